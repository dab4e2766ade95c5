//! The geoBoundaries API: `GET {base}/{ISO3}/ADM0/` answers JSON metadata whose `gjDownloadURL` names
//! the GeoJSON file of the country's outline.

use reqwest::Url;

/// The countries whose outlines a refresh fetches: ISO3 code, and the file name the build recognises.
pub const COUNTRIES: [(&str, &str); 3] =
    [("UKR", "ukraine.geojson"), ("RUS", "russia.geojson"), ("BLR", "belarus.geojson")];

/// The metadata URL of a country: `{base}/{ISO3}/ADM0/`.
///
/// ```
/// let u = incimap::refresh::geoboundaries::metadata_url("https://www.geoboundaries.org/api/current/gbOpen", "UKR");
/// assert_eq!(u, "https://www.geoboundaries.org/api/current/gbOpen/UKR/ADM0/");
/// ```
pub fn metadata_url(base: &str, iso3: &str) -> String {
    format!("{}/{iso3}/ADM0/", base.trim_end_matches('/'))
}

/// The GeoJSON download URL in a metadata answer (an object, or an array of them as the API gives for
/// several boundaries), resolved against the metadata URL when relative.
///
/// ```
/// let meta = br#"{"boundaryISO":"UKR","gjDownloadURL":"https://github.com/x/UKR.geojson"}"#;
/// let base = reqwest::Url::parse("https://www.geoboundaries.org/api/current/gbOpen/UKR/ADM0/").unwrap();
/// let u = incimap::refresh::geoboundaries::download_url(meta, &base).unwrap();
/// assert_eq!(u.as_str(), "https://github.com/x/UKR.geojson");
/// ```
pub fn download_url(metadata: &[u8], metadata_url: &Url) -> Result<Url, String> {
    if let Some(page) = super::archive::html_page(metadata) {
        return Err(format!("the server sent {page} instead of JSON metadata"));
    }
    let value: serde_json::Value =
        serde_json::from_slice(metadata).map_err(|e| format!("the metadata is not JSON ({e})"))?;
    let object = match &value {
        serde_json::Value::Array(items) => items.first().cloned().unwrap_or(serde_json::Value::Null),
        other => other.clone(),
    };
    let url = match object.get("gjDownloadURL") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(_) => return Err("the metadata's gjDownloadURL is not a URL string".into()),
        None => return Err("the metadata has no gjDownloadURL (is this the geoBoundaries API?)".into()),
    };
    metadata_url.join(&url).map_err(|e| format!("gjDownloadURL {url:?} is not a valid URL ({e})"))
}
