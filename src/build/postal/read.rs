//! Reading GeoNames' postal-code files (12 tab-separated columns: country code, postal code, place name,
//! admin name1, admin code1, admin name2, admin code2, admin name3, admin code3, latitude, longitude,
//! accuracy).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::build::geonames::{self, RowError};
use crate::build::inputs::PostalInputs;
use crate::build::{MAX_ZIP_MEMBER_BYTES, Reading, metered, zipped};
use crate::gazetteer::GazetteerError;

/// One row of a GeoNames postal-code file, the fields incimap uses.
#[derive(Debug, Clone, PartialEq)]
pub struct PostalRow {
    pub country: String,
    pub name: String,
    pub admin_name1: String,
    pub admin_name2: String,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames' accuracy code: 1 estimated, 4 matched to a GeoNames place, 6 centroid (`None` when blank or
    /// not a number).
    pub accuracy: Option<u8>,
}

/// Parse one line of a GeoNames postal-code file (12 tab-separated columns).
///
/// ```
/// let line = "RU\t307490\tТеткино\tКурская Область\t\tГЛУШКОВСКИЙ РАЙОН\t\t\t\t51.2789\t34.285\t4";
/// let row = incimap::build::postal::parse_postal_line(line).unwrap();
/// assert_eq!((row.name.as_str(), row.lat), ("Теткино", 51.2789));
/// ```
pub fn parse_postal_line(line: &str) -> Result<PostalRow, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 12 {
        return Err(format!("expected 12 tab-separated columns of a postal-code file, found {}", cols.len()));
    }
    let coord = |s: &str, what: &str, limit: f64| -> Result<f64, String> {
        let v: f64 = s.trim().parse().map_err(|_| format!("{what} {:?} is not a number", s.trim()))?;
        if !v.is_finite() || v.abs() > limit {
            return Err(format!("{what} {v} is out of range"));
        }
        Ok(v)
    };
    let name = cols[2].trim();
    if name.is_empty() {
        return Err("empty place name".into());
    }
    if cols[0].trim().len() != 2 {
        return Err(format!("country code {:?} is not two letters", cols[0].trim()));
    }
    Ok(PostalRow {
        country: cols[0].trim().to_string(),
        name: name.to_string(),
        admin_name1: cols[3].trim().to_string(),
        admin_name2: cols[5].trim().to_string(),
        lat: coord(cols[9], "latitude", 90.0)?,
        lon: coord(cols[10], "longitude", 180.0)?,
        accuracy: cols[11].trim().parse().ok(),
    })
}

/// Read every postal-code file's rows of the countries built; malformed rows are reported with file and line.
///
/// Without a `postal` folder the build goes on with the dumps' places alone (and says so once). With one,
/// each country built needs its file (`{CC}.txt` or `{CC}.zip`, or GeoNames' `allCountries`), holding rows
/// of that country: a missing or empty dump must never make a silently smaller gazetteer.
pub(in crate::build) fn read_postal(
    inputs: &PostalInputs,
    reading: &mut Reading,
) -> Result<Vec<PostalRow>, GazetteerError> {
    let Some(dir) = &inputs.dir else {
        reading.problems.warnings.push(format!(
            "{}: no postal/ folder: the gazetteer holds only the dumps' places",
            reading.opts.from.display()
        ));
        return Ok(Vec::new());
    };
    check_every_country_has_a_file(dir, &inputs.files, &reading.countries)?;
    let mut rows = Vec::new();
    for path in &inputs.files {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        // Keyed apart from the country dump of the same name (`RU.txt`), for labels and download URLs.
        let key = format!("postal/{file_name}");
        let first = rows.len();
        if file_name.to_ascii_lowercase().ends_with(".zip") {
            zipped::read_text_members(path, MAX_ZIP_MEMBER_BYTES, |member, mut meter| {
                let label = format!("{key}:{member}");
                let count = read_postal_rows(&mut meter, &label, reading, &mut rows)?;
                reading.source(label, "postal", count, None, meter.sha256(), &key);
                Ok(())
            })?;
        } else {
            let io = |source| GazetteerError::Io { path: path.to_path_buf(), source };
            let mut meter = metered(std::fs::File::open(path).map_err(io)?, MAX_ZIP_MEMBER_BYTES);
            let count = read_postal_rows(&mut meter, &key, reading, &mut rows)?;
            reading.source(key.clone(), "postal", count, None, meter.sha256(), &key);
        }
        if let Some(cc) = country_of(path).filter(|cc| reading.countries.contains(cc))
            && !rows[first..].iter().any(|r| r.country == *cc)
        {
            return Err(GazetteerError::Invalid(format!("{key}: no postal-code rows of {cc}")));
        }
    }
    Ok(rows)
}

/// The country a postal-code file is named after (`RU.txt`, `ru.zip` → `RU`).
fn country_of(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    (stem.len() == 2 && stem.chars().all(|c| c.is_ascii_alphabetic())).then(|| stem.to_ascii_uppercase())
}

/// Every country built has a postal-code file in `dir`, or GeoNames' `allCountries` file is there.
fn check_every_country_has_a_file(
    dir: &Path,
    files: &[PathBuf],
    countries: &BTreeSet<String>,
) -> Result<(), GazetteerError> {
    let all = files.iter().any(|p| p.file_stem().is_some_and(|s| s.eq_ignore_ascii_case("allCountries")));
    let present: BTreeSet<String> = files.iter().filter_map(|p| country_of(p)).collect();
    let missing: Vec<&str> = countries.iter().filter(|cc| !all && !present.contains(*cc)).map(|c| c.as_str()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = missing.iter().map(|cc| format!("{cc}.zip or {cc}.txt")).collect();
    Err(GazetteerError::Invalid(format!(
        "{} has no postal-code file for {} (wanted: {}, from https://download.geonames.org/export/zip/); \
         every country built needs one when there is a postal/ folder",
        dir.display(),
        missing.join(", "),
        names.join("; ")
    )))
}

/// Read the rows of one postal-code file, keeping those of the countries built in `rows`; returns the
/// number of valid rows (of any country).
fn read_postal_rows<R: Read>(
    reader: &mut R,
    label: &str,
    reading: &mut Reading,
    rows: &mut Vec<PostalRow>,
) -> Result<u64, GazetteerError> {
    let mut errors = Vec::new();
    let mut count = 0u64;
    geonames::for_each_line(reader, |line_no, line| match line.and_then(parse_postal_line) {
        Ok(row) => {
            count += 1;
            if reading.countries.contains(&row.country) {
                rows.push(row);
            }
        }
        Err(why) => errors.push(RowError { line: line_no, why }),
    })
    .map_err(|e| GazetteerError::Invalid(format!("{label}: {e}")))?;
    for err in errors {
        reading.problems.row(label, err)?;
    }
    if count == 0 {
        return Err(GazetteerError::Invalid(format!("{label}: no valid postal-code rows")));
    }
    Ok(count)
}
