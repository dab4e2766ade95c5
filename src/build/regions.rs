//! Regions: GeoNames' admin1 and admin2 code files, and the seat of each region.

use std::collections::HashMap;
use std::path::Path;

use super::geonames::{self, AdminRow, RowError};
use super::{Reading, metered};
use crate::gazetteer::{GazetteerError, Place, PlaceSource, Region};

/// Read `admin1CodesASCII.txt` or `admin2Codes.txt` (`kind`): the regions of the countries built, with
/// the alternate names their features have in the dumps.
pub(super) fn read_admin(
    path: &Path,
    kind: &str,
    admin_alt: &HashMap<u32, Vec<String>>,
    reading: &mut Reading,
) -> Result<Vec<Region>, GazetteerError> {
    let label = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    let file = std::fs::File::open(path).map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    let mut meter = metered(file, u64::MAX);
    let mut rows: Vec<AdminRow> = Vec::new();
    let mut errors = Vec::new();
    let mut count = 0u64;
    geonames::for_each_line(&mut meter, |line_no, line| match line.and_then(geonames::parse_admin_line) {
        Ok(row) => {
            count += 1;
            if reading.countries.contains(row.code.split('.').next().unwrap_or("")) {
                rows.push(row);
            }
        }
        Err(why) => errors.push(RowError { line: line_no, why }),
    })
    .map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    for err in errors {
        reading.problems.row(&label, err)?;
    }
    let sha = meter.sha256();
    reading.source(label.clone(), kind, count, None, sha, &label);
    let mut regions: Vec<Region> = rows
        .into_iter()
        .map(|r| {
            let mut alt: Vec<String> = admin_alt.get(&r.geonameid).cloned().unwrap_or_default();
            alt.sort();
            alt.dedup();
            Region {
                code: r.code,
                name: r.name,
                ascii_name: r.ascii_name,
                geonameid: r.geonameid,
                alt_names: alt,
                seat: None,
            }
        })
        .collect();
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    regions.dedup_by(|a, b| a.code == b.code);
    if kind == "admin1" {
        // Without a country's oblasts no region hint works: an empty or truncated file is refused, so that a
        // refresh keeps the installed gazetteer rather than install one that cannot read "Kursk Oblast".
        let mut missing: Vec<&str> = reading
            .countries
            .iter()
            .map(String::as_str)
            .filter(|cc| !regions.iter().any(|r| r.code.split('.').next() == Some(*cc)))
            .collect();
        missing.sort_unstable();
        if !missing.is_empty() {
            return Err(GazetteerError::Invalid(format!(
                "{label} holds no first-level regions of {} ({count} rows read): region hints could not work",
                missing.join(", ")
            )));
        }
    }
    Ok(regions)
}

/// The administrative centre of each region: the place with the matching seat feature code
/// (`PPLA`/`PPLC` for admin1, `PPLA2` for admin2), else the most populous place in the region.
pub(super) fn assign_seats(places: &[Place], admin1: &mut [Region], admin2: &mut [Region]) {
    let rank = |p: &Place, level: u8| -> u8 {
        match (level, p.feature_code.as_str()) {
            (1, "PPLA") => 3,
            (1, "PPLC") => 2,
            (2, "PPLA2") => 3,
            (2, "PPLA") | (2, "PPLC") => 2,
            _ => 0,
        }
    };
    let mut best1: HashMap<String, (u8, u64, u32)> = HashMap::new();
    let mut best2: HashMap<String, (u8, u64, u32)> = HashMap::new();
    // Only GeoNames' own places: a postal village has no population to rank by, and one placed at its
    // district's seat would stand for the seat itself.
    for (i, p) in places.iter().enumerate().filter(|(_, p)| p.source == PlaceSource::Geonames) {
        let k1 = p.admin1_code();
        if !k1.is_empty() {
            let cand = (rank(p, 1), p.population, i as u32);
            let e = best1.entry(k1).or_insert(cand);
            if (cand.0, cand.1) > (e.0, e.1) {
                *e = cand;
            }
        }
        let k2 = p.admin2_code();
        if !k2.is_empty() {
            let cand = (rank(p, 2), p.population, i as u32);
            let e = best2.entry(k2).or_insert(cand);
            if (cand.0, cand.1) > (e.0, e.1) {
                *e = cand;
            }
        }
    }
    for r in admin1.iter_mut() {
        r.seat = best1.get(&r.code).map(|b| b.2);
    }
    for r in admin2.iter_mut() {
        r.seat = best2.get(&r.code).map(|b| b.2);
    }
}
