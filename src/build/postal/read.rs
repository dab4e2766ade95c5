//! Reading GeoNames' postal-code files (12 tab-separated columns: country code, postal code, place name,
//! admin name1, admin code1, admin name2, admin code2, admin name3, admin code3, latitude, longitude,
//! accuracy).

use std::path::PathBuf;

use crate::build::geonames::{self, RowError};
use crate::build::{MAX_ZIP_MEMBER_BYTES, Reading, metered};
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

/// Read every postal-code file's rows of `countries`; malformed rows are reported with file and line.
pub(in crate::build) fn read_postal(
    paths: &[PathBuf],
    reading: &mut Reading,
) -> Result<Vec<PostalRow>, GazetteerError> {
    let mut rows = Vec::new();
    for path in paths {
        let label = format!("postal/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("?"));
        let io = |source| GazetteerError::Io { path: path.to_path_buf(), source };
        let mut meter = metered(std::fs::File::open(path).map_err(io)?, MAX_ZIP_MEMBER_BYTES);
        let mut errors = Vec::new();
        let mut count = 0u64;
        geonames::for_each_line(&mut meter, |line_no, line| match line.and_then(parse_postal_line) {
            Ok(row) => {
                count += 1;
                if reading.countries.contains(&row.country) {
                    rows.push(row);
                }
            }
            Err(why) => errors.push(RowError { line: line_no, why }),
        })
        .map_err(io)?;
        for err in errors {
            reading.problems.row(&label, err)?;
        }
        if count == 0 {
            return Err(GazetteerError::Invalid(format!("{label}: no valid postal-code rows")));
        }
        let sha = meter.sha256();
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        reading.source(label, "postal", count, None, sha, file_name);
    }
    Ok(rows)
}
