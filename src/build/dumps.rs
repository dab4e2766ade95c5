//! Reading GeoNames dumps (the 19-column format of `RU.txt` and `cities500.txt`, plain or zipped).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::geonames::{self, DumpRow, RowError};
use super::{MAX_ZIP_MEMBER_BYTES, Reading, metered, zipped};
use crate::gazetteer::{GazetteerError, Place, PlaceSource, PointPrecision};

/// What the dumps hold: populated places by GeoNames id with their alternate names, and the alternate
/// names of admin features (for region names in other scripts).
#[derive(Default)]
pub(super) struct Dumps {
    pub places: HashMap<u32, (Place, Vec<String>)>,
    pub admin_alt: HashMap<u32, Vec<String>>,
}

/// Whether an alternate name is worth indexing: a name of 2 to 80 characters in Latin or Cyrillic letters,
/// not a link, code or number.
fn keep_name(name: &str) -> bool {
    let n = name.chars().count();
    (2..=80).contains(&n)
        && !name.contains("http")
        && !name.contains('/')
        && name.chars().any(|c| c.is_alphabetic())
        && !name.chars().any(|c| c.is_ascii_digit())
        && name.chars().all(|c| {
            !c.is_alphabetic()
                || c.is_ascii_alphabetic()
                || ('\u{00C0}'..='\u{024F}').contains(&c) // Latin with diacritics
                || ('\u{0400}'..='\u{052F}').contains(&c) // Cyrillic
        })
}

/// Read one dump (`*.txt`, or a zip holding them) into `dumps`.
pub(super) fn read_dump(path: &Path, reading: &mut Reading, dumps: &mut Dumps) -> Result<(), GazetteerError> {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    if file_name.to_ascii_lowercase().ends_with(".zip") {
        return zipped::read_text_members(path, MAX_ZIP_MEMBER_BYTES, |member, mut meter| {
            let label = format!("{file_name}:{member}");
            let (rows, modified) = read_dump_rows(&mut meter, &label, reading, dumps)?;
            reading.source(label, "geonames", rows, modified, meter.sha256(), &file_name);
            Ok(())
        });
    }
    let file = std::fs::File::open(path).map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    let mut meter = metered(file, u64::MAX);
    let (rows, modified) = read_dump_rows(&mut meter, &file_name, reading, dumps)?;
    reading.source(file_name.clone(), "geonames", rows, modified, meter.sha256(), &file_name);
    Ok(())
}

fn read_dump_rows<R: Read>(
    reader: &mut R,
    label: &str,
    reading: &mut Reading,
    dumps: &mut Dumps,
) -> Result<(u64, Option<String>), GazetteerError> {
    let (countries, problems) = (&reading.countries, &mut reading.problems);
    let mut rows = 0u64;
    let mut modified: Option<String> = None;
    let mut fatal: Option<GazetteerError> = None;
    let mut row_errors = Vec::new();
    let res = geonames::for_each_line(reader, |line_no, line| {
        if fatal.is_some() {
            return;
        }
        match line.and_then(geonames::parse_dump_line) {
            Ok(row) => {
                rows += 1;
                if !countries.contains(&row.country) {
                    return;
                }
                if modified.as_deref().is_none_or(|m| row.modified.as_str() > m) && row.modified.len() == 10 {
                    modified = Some(row.modified.clone());
                }
                keep_row(row, dumps);
            }
            Err(why) => {
                let err = RowError { line: line_no, why };
                if problems.strict {
                    fatal = Some(GazetteerError::BadRow { file: label.to_string(), line: err.line, why: err.why });
                } else {
                    row_errors.push(err);
                }
            }
        }
    });
    if let Some(f) = fatal {
        return Err(f);
    }
    for err in row_errors {
        problems.row(label, err)?;
    }
    res.map_err(|e| GazetteerError::Invalid(format!("{label}: {e}")))?;
    if rows == 0 {
        return Err(GazetteerError::Invalid(format!("{label}: no valid GeoNames rows")));
    }
    Ok((rows, modified))
}

fn keep_row(row: DumpRow, dumps: &mut Dumps) {
    let mut alt: Vec<String> = row.alternatenames.into_iter().filter(|n| keep_name(n)).collect();
    alt.sort();
    alt.dedup();
    match row.feature_class.as_str() {
        "P" => {
            let place = Place {
                geonameid: row.geonameid,
                name: row.name.into(),
                lat: row.lat,
                lon: row.lon,
                feature_code: row.feature_code.into(),
                country: row.country.into(),
                admin1: row.admin1.into(),
                admin2: row.admin2.into(),
                population: row.population,
                source: PlaceSource::Geonames,
                precision: PointPrecision::Exact,
            };
            let mut names = alt;
            if !row.asciiname.is_empty() && row.asciiname != place.name {
                names.push(row.asciiname);
            }
            // The same place may come from several extracts: keep the union of its names.
            let entry = dumps.places.entry(place.geonameid).or_insert_with(|| (place, Vec::new()));
            entry.1.extend(names);
            entry.1.sort();
            entry.1.dedup();
        }
        "A" if row.feature_code.starts_with("ADM1") || row.feature_code.starts_with("ADM2") => {
            dumps.admin_alt.entry(row.geonameid).or_default().extend(alt);
        }
        _ => {}
    }
}
