//! Country boundaries: the polygons of Ukraine, Russia and Belarus from GeoJSON, turned into each
//! country's outline (its territory with its inland water, see [`outline`]), the land border derived from
//! them, and the default distance bands built on it.

use std::path::Path;

use super::inputs::Inputs;
use super::{Reading, sha256_hex};
use crate::border::polygon::PolygonIndex;
use crate::gazetteer::{Boundaries, GazetteerError};

mod outline;
pub use outline::{ENCLAVE_MIN_SHARE, OutlineCounts};

/// How the build turned each country's polygons into its outline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutlineReport {
    /// (ISO alpha-2 code, what was done), for each country whose polygons were read.
    pub countries: Vec<(&'static str, OutlineCounts)>,
}

impl std::fmt::Display for OutlineReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "country outlines (inland water is territory):")?;
        for (i, (code, c)) in self.countries.iter().enumerate() {
            write!(
                f,
                "{} {code} {} interior rings filled, {} kept as enclaves, {} polygons dropped as covered",
                if i == 0 { "" } else { ";" },
                c.filled,
                c.enclaves,
                c.covered
            )?;
        }
        Ok(())
    }
}

/// The country outlines the inputs hold (and what making them did), the land border derived from them,
/// and the default distance bands.
pub(super) fn read_boundaries(
    inputs: &Inputs,
    reading: &mut Reading,
) -> Result<(Boundaries, OutlineReport), GazetteerError> {
    let opts = reading.opts;
    let (Some(ua), Some(ru)) = (&inputs.ukraine, &inputs.russia) else {
        return Err(GazetteerError::Invalid(format!(
            "{} needs boundary GeoJSON for Ukraine and Russia (files named ukraine*.geojson and russia*.geojson)",
            opts.from.display()
        )));
    };
    let ukraine = read_polygons(ua, reading)?;
    let russia = read_polygons(ru, reading)?;
    let belarus = match &inputs.belarus {
        Some(p) => read_polygons(p, reading)?,
        None => geo::MultiPolygon::new(vec![]),
    };
    let (ukraine, russia, belarus, report) = outlines(ukraine, russia, belarus, inputs.belarus.is_some());
    let land_border = crate::border::derive::land_border(&ukraine, &russia)
        .map_err(|why| GazetteerError::Invalid(format!("cannot derive the Russia–Ukraine land border: {why}")))?;
    crate::border::derive::validate(&land_border).map_err(|why| {
        GazetteerError::Invalid(format!("the derived Russia–Ukraine land border failed validation: {why}"))
    })?;
    let mut boundaries = Boundaries { ukraine, russia, belarus, land_border, default_bands: Vec::new() };
    // Built here, once, rather than by every `map` run. Without a border there is nothing to buffer; `map`
    // then reports that itself.
    boundaries.default_bands =
        crate::layers::bands::build(&boundaries, &crate::layers::bands::DEFAULT_EDGES_KM).unwrap_or_default();
    Ok((boundaries, report))
}

type Polygons = geo::MultiPolygon<f64>;

/// The outlines of Ukraine, Russia and Belarus: each one's holes are tested against the other two as read.
fn outlines(
    ukraine: Polygons,
    russia: Polygons,
    belarus: Polygons,
    with_belarus: bool,
) -> (Polygons, Polygons, Polygons, OutlineReport) {
    let (ua, (ru, by)) = rayon::join(
        || PolygonIndex::new(&ukraine),
        || rayon::join(|| PolygonIndex::new(&russia), || PolygonIndex::new(&belarus)),
    );
    let ((ukraine, ua_counts), ((russia, ru_counts), (belarus, by_counts))) = rayon::join(
        || outline::outline(ukraine, &[&ru, &by]),
        || rayon::join(|| outline::outline(russia, &[&ua, &by]), || outline::outline(belarus, &[&ua, &ru])),
    );
    let mut countries = vec![("UA", ua_counts), ("RU", ru_counts)];
    if with_belarus {
        countries.push(("BY", by_counts));
    }
    (ukraine, russia, belarus, OutlineReport { countries })
}

/// Read every (multi)polygon in a GeoJSON file (a FeatureCollection, Feature or bare geometry).
fn read_polygons(path: &Path, reading: &mut Reading) -> Result<geo::MultiPolygon<f64>, GazetteerError> {
    let bytes = std::fs::read(path).map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    let label = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    // An input of the build, not a gazetteer: named as such ("x.zip: not a readable zip archive").
    let corrupt = |why: String| GazetteerError::Invalid(format!("{}: {why}", path.display()));
    let text = std::str::from_utf8(&bytes).map_err(|_| corrupt("not UTF-8".into()))?;
    let gj: geojson::GeoJson = text.parse().map_err(|e| corrupt(format!("not GeoJSON ({e})")))?;
    let geometries: Vec<geojson::Geometry> = match gj {
        geojson::GeoJson::FeatureCollection(fc) => fc.features.into_iter().filter_map(|f| f.geometry).collect(),
        geojson::GeoJson::Feature(f) => f.geometry.into_iter().collect(),
        geojson::GeoJson::Geometry(g) => vec![g],
    };
    let mut polygons = Vec::new();
    let count = geometries.len() as u64;
    for g in geometries {
        let geom = crate::layers::convert::to_geo(g).map_err(|e| corrupt(format!("bad geometry ({e})")))?;
        match geom {
            geo::Geometry::Polygon(p) => polygons.push(p),
            geo::Geometry::MultiPolygon(mp) => polygons.extend(mp.0),
            _ => {}
        }
    }
    if polygons.is_empty() {
        return Err(corrupt("holds no polygon".into()));
    }
    let polygons = geo::MultiPolygon::new(polygons);
    crate::gazetteer::check_lon_lat("a polygon", geo::CoordsIter::coords_iter(&polygons)).map_err(corrupt)?;
    reading.source(label.clone(), "boundary", count, None, sha256_hex(&bytes), &label);
    Ok(polygons)
}
