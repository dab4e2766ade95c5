//! GeoNames' postal-code places (`postal/RU.txt`, `UA.txt`, `BY.txt`): the villages that cities500 lacks,
//! merged into the gazetteer's places only where their point can be trusted.
//!
//! A postal file has one row per post office code, so one village may appear several times; and its points
//! are noisy: GeoNames often matched a namesake elsewhere, so a village of Belgorod district can be put a
//! thousand km away. The rules, in order (thresholds named below):
//!
//! 1. **Names.** A row whose name is not a settlement's (digits, abbreviations with a full stop:
//!    «Москва 194», «Уфпс Г. Москвы») is dropped.
//! 2. **Regions.** Admin names are words (Russia: «Белгородская Область», «ГРАЙВОРОНСКИЙ РАЙОН»). Each is
//!    mapped to the GeoNames admin1/admin2 code that its rows' cities500 namesakes within [`MERGE_KM`] vote
//!    for; a name with no vote keeps no code.
//! 3. **Merge.** A row with a cities500 place of the same name key within [`MERGE_KM`] is that place: its
//!    Cyrillic name joins the place's names, and no new place is made.
//! 4. **Trust.** A point must lie inside its oblast (the box of its oblast's cities500 places, widened by
//!    [`OBLAST_MARGIN_DEG`]) and inside its district: within the district's radius of the district's centre,
//!    both derived from its trusted points (cities500 places and merged rows; all its rows when fewer than
//!    [`MIN_TRUSTED`] are trusted). A point that fails is dropped, never kept at a wrong location.
//! 5. **One place per settlement.** The rows of one name in one district that survive are clustered within
//!    [`SAME_SETTLEMENT_KM`]; each cluster is one place at its median point.

use std::collections::HashMap;

use crate::gazetteer::{OWN_ID_BASE, Place, PlaceSource, PointPrecision, great_circle_km};
use crate::names::romanize::{romanize, script_for};

mod read;
pub(super) use read::read_postal;
pub use read::{PostalRow, parse_postal_line};

/// A postal row within this distance (km) of a cities500 place with the same name key is that place.
pub const MERGE_KM: f64 = 5.0;
/// Rows of one name in one district within this distance (km) of each other are one settlement.
pub const SAME_SETTLEMENT_KM: f64 = 3.0;
/// How far (degrees) outside the box of its oblast's cities500 places a postal point may lie.
pub const OBLAST_MARGIN_DEG: f64 = 0.3;
/// A district's radius is this many times the 75th percentile of its anchors' distances from its centre ...
pub const DISTRICT_SPREAD: f64 = 1.5;
/// ... and at least this (km) ...
pub const MIN_DISTRICT_KM: f64 = 20.0;
/// ... and at most this (km): Russia's largest border districts are about 80 km across.
pub const MAX_DISTRICT_KM: f64 = 70.0;
/// A district with fewer trusted points than this takes all its rows as anchors (their median is robust to
/// the quarter of them that are misplaced).
pub const MIN_TRUSTED: usize = 3;

/// What the merge did, for the build's report and the manifest.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PostalReport {
    /// Rows read (of the countries built).
    pub rows: u64,
    /// Rows whose name is not a settlement's.
    pub not_settlement_names: u64,
    /// Rows that are a cities500 place (merged into it).
    pub merged_rows: u64,
    /// Rows dropped because their point lies outside their oblast.
    pub outside_oblast: u64,
    /// Rows dropped because their point lies outside their district.
    pub outside_district: u64,
    /// Rows kept, as points of new places.
    pub kept_rows: u64,
    /// New places made from the kept rows.
    pub places: u64,
}

impl std::fmt::Display for PostalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "postal rows {}: {} merged into cities500 places, {} kept as {} new places, dropped {} outside their \
             district, {} outside their oblast, {} not settlement names",
            self.rows,
            self.merged_rows,
            self.kept_rows,
            self.places,
            self.outside_district,
            self.outside_oblast,
            self.not_settlement_names
        )
    }
}

/// The settlement a postal row names, or `None` for a post office's label. A qualifier in brackets
/// («Нагірна (Нагірнянська сільська рада)», the council it belongs to) and a post office number after the
/// name («Ждановичи 2») are taken off; what is left must be letters, spaces, hyphens and apostrophes (a
/// full stop marks an abbreviation: «Уфпс Г. Москвы»).
fn settlement_name(raw: &str) -> Option<String> {
    let name = raw.split('(').next().unwrap_or(raw);
    let name = name.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace()).trim();
    let ok = name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | 'ʼ'));
    ok.then(|| name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// District key: country, oblast name, district name.
type DistrictKey = (String, String, String);

/// A coordinate-wise median point.
fn median_point(points: &[(f64, f64)]) -> (f64, f64) {
    let med = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (med(points.iter().map(|p| p.0).collect()), med(points.iter().map(|p| p.1).collect()))
}

/// A district's centre and radius (km) from its anchor points.
fn district_extent(anchors: &[(f64, f64)]) -> ((f64, f64), f64) {
    let centre = median_point(anchors);
    let mut d: Vec<f64> = anchors.iter().map(|p| great_circle_km(centre.0, centre.1, p.0, p.1)).collect();
    d.sort_by(f64::total_cmp);
    let p75 = d[(d.len() * 3 / 4).min(d.len() - 1)];
    (centre, (DISTRICT_SPREAD * p75).clamp(MIN_DISTRICT_KM, MAX_DISTRICT_KM))
}

/// The most-voted code of each name.
fn winners(votes: HashMap<String, HashMap<String, u32>>) -> HashMap<String, String> {
    votes
        .into_iter()
        .filter_map(|(name, codes)| {
            let best = codes.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
            Some((name, best.0))
        })
        .collect()
}

/// Merge postal `rows` into `places` (cities500, with their alternate names beside them): see the module
/// comment for the rules. New places are appended, with ids from [`OWN_ID_BASE`].
pub fn merge(rows: Vec<PostalRow>, places: &mut Vec<(Place, Vec<String>)>) -> PostalReport {
    let mut report = PostalReport { rows: rows.len() as u64, ..Default::default() };
    let rows: Vec<PostalRow> = rows
        .into_iter()
        .filter_map(|mut r| {
            let name = settlement_name(&r.name);
            report.not_settlement_names += u64::from(name.is_none());
            r.name = name?;
            Some(r)
        })
        .collect();
    let keys: Vec<String> = rows.iter().map(|r| crate::names::key(&r.name)).collect();
    let by_key = key_index(places);

    // Which cities500 place each row is (same key within MERGE_KM), and the region votes that gives.
    let mut a1_votes: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let mut a2_votes: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let mut matched: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    for (r, k) in rows.iter().zip(&keys) {
        let hit = by_key.get(k.as_str()).into_iter().flatten().copied().find(|&i| {
            let p = &places[i].0;
            p.country == r.country && great_circle_km(p.lat, p.lon, r.lat, r.lon) <= MERGE_KM
        });
        if let Some(i) = hit {
            let p = &places[i].0;
            let a1 = format!("{}\t{}", r.country, r.admin_name1);
            *a1_votes.entry(a1.clone()).or_default().entry(p.admin1.to_string()).or_default() += 1;
            if !p.admin2.is_empty() {
                let a2 = format!("{a1}\t{}", r.admin_name2);
                *a2_votes.entry(a2).or_default().entry(format!("{}\t{}", p.admin1, p.admin2)).or_default() += 1;
            }
        }
        matched.push(hit);
    }
    let admin1_of = winners(a1_votes);
    let admin2_of = winners(a2_votes);
    let oblast_boxes = oblast_boxes(places);

    // Anchors per district: the trusted points, or all its rows when too few are trusted.
    let mut trusted: HashMap<DistrictKey, Vec<(f64, f64)>> = HashMap::new();
    let mut all: HashMap<DistrictKey, Vec<(f64, f64)>> = HashMap::new();
    let district = |r: &PostalRow| (r.country.clone(), r.admin_name1.clone(), r.admin_name2.clone());
    for (r, m) in rows.iter().zip(&matched) {
        all.entry(district(r)).or_default().push((r.lat, r.lon));
        if let Some(i) = m {
            trusted.entry(district(r)).or_default().push((places[*i].0.lat, places[*i].0.lon));
        }
    }
    let extents: HashMap<DistrictKey, ((f64, f64), f64)> = all
        .iter()
        .map(|(d, pts)| {
            let anchors = trusted.get(d).filter(|t| t.len() >= MIN_TRUSTED).unwrap_or(pts);
            (d.clone(), district_extent(anchors))
        })
        .collect();

    // Surviving rows, grouped by district and name key.
    let mut groups: HashMap<(DistrictKey, String), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(pi) = matched[i] {
            report.merged_rows += 1;
            let (place, names) = &mut places[pi];
            if !names.contains(&r.name) && *place.name != r.name {
                names.push(r.name.clone());
            }
            continue;
        }
        let a1 = admin1_of.get(&format!("{}\t{}", r.country, r.admin_name1));
        let in_oblast = a1.and_then(|c| oblast_boxes.get(&(r.country.clone(), c.clone()))).is_none_or(|b| {
            (b.0 - OBLAST_MARGIN_DEG..=b.2 + OBLAST_MARGIN_DEG).contains(&r.lat)
                && (b.1 - OBLAST_MARGIN_DEG..=b.3 + OBLAST_MARGIN_DEG).contains(&r.lon)
        });
        if !in_oblast || a1.is_none() {
            report.outside_oblast += 1;
            continue;
        }
        let (centre, radius) = extents[&district(r)];
        if great_circle_km(centre.0, centre.1, r.lat, r.lon) > radius {
            report.outside_district += 1;
            continue;
        }
        report.kept_rows += 1;
        groups.entry((district(r), keys[i].clone())).or_default().push(i);
    }

    let mut new_places = Vec::new();
    let mut ordered: Vec<_> = groups.into_iter().collect();
    ordered.sort();
    for ((d, _), members) in ordered {
        let a1 = admin1_of[&format!("{}\t{}", d.0, d.1)].clone();
        let a2 = admin2_of
            .get(&format!("{}\t{}\t{}", d.0, d.1, d.2))
            .and_then(|c| c.split_once('\t'))
            .filter(|(c1, _)| *c1 == a1)
            .map(|(_, c2)| c2.to_string())
            .unwrap_or_default();
        for cluster in clusters(&rows, &members) {
            let points: Vec<(f64, f64)> = cluster.iter().map(|&i| (rows[i].lat, rows[i].lon)).collect();
            let (lat, lon) = median_point(&points);
            let cyrillic = rows[cluster[0]].name.clone();
            let latin = romanize(&cyrillic, script_for(&cyrillic, &d.0));
            new_places.push(Place {
                geonameid: 0,
                name: latin.as_str().into(),
                lat,
                lon,
                feature_code: "PPL".into(),
                country: d.0.as_str().into(),
                admin1: a1.as_str().into(),
                admin2: a2.as_str().into(),
                population: 0,
                source: PlaceSource::Postal,
                precision: PointPrecision::Exact,
            });
            let alt = if latin == cyrillic { Vec::new() } else { vec![cyrillic] };
            places.push((new_places[new_places.len() - 1].clone(), alt));
        }
    }
    let first_new = places.len() - new_places.len();
    for (n, (p, _)) in places[first_new..].iter_mut().enumerate() {
        p.geonameid = OWN_ID_BASE + n as u32;
    }
    report.places = new_places.len() as u64;
    report
}

/// Greedy clusters of `members` (row indices) whose points lie within [`SAME_SETTLEMENT_KM`] of the
/// cluster's first point.
fn clusters(rows: &[PostalRow], members: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for &i in members {
        let r = &rows[i];
        match out.iter_mut().find(|c| {
            let f = &rows[c[0]];
            great_circle_km(f.lat, f.lon, r.lat, r.lon) <= SAME_SETTLEMENT_KM
        }) {
            Some(c) => c.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// Places by the keys of their primary and alternate names.
fn key_index(places: &[(Place, Vec<String>)]) -> HashMap<String, Vec<usize>> {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (p, alt)) in places.iter().enumerate() {
        for n in std::iter::once(p.name.as_str()).chain(alt.iter().map(String::as_str)) {
            let v = by_key.entry(crate::names::key(n)).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    by_key
}

/// (min lat, min lon, max lat, max lon) of each oblast's places, by (country, admin1 code).
fn oblast_boxes(places: &[(Place, Vec<String>)]) -> HashMap<(String, String), (f64, f64, f64, f64)> {
    let mut boxes: HashMap<(String, String), (f64, f64, f64, f64)> = HashMap::new();
    for (p, _) in places {
        if p.admin1.is_empty() {
            continue;
        }
        let b = boxes.entry((p.country.to_string(), p.admin1.to_string())).or_insert((p.lat, p.lon, p.lat, p.lon));
        *b = (b.0.min(p.lat), b.1.min(p.lon), b.2.max(p.lat), b.3.max(p.lon));
    }
    boxes
}
