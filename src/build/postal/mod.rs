//! GeoNames' postal-code places (`postal/RU.txt`, `UA.txt`, `BY.txt`): the villages that cities500 lacks,
//! merged into the gazetteer's places only where their point can be trusted.
//!
//! A postal file has one row per post office code, so one village may appear several times; and its points
//! are noisy: GeoNames often matched a namesake elsewhere, so a village of Belgorod district can be put a
//! thousand km away, and one point can stand for same-named villages of several districts. The rules, in
//! order (thresholds named below):
//!
//! 1. **Names.** A qualifier in brackets and a post office number are taken off («Ждановичи 2» →
//!    Ждановичи); a row whose name is not a settlement's (abbreviations: «Уфпс Г. Москвы») is dropped.
//!    Repeated rows of one settlement (one per postal code) count once.
//! 2. **Regions.** Each admin name is given its GeoNames code by the region engine, checked against the
//!    rows that are GeoNames places ([`regions`]).
//! 3. **Merge.** A row with a GeoNames place of the same name key within [`MERGE_KM`], in the row's own
//!    oblast, is that place: its Cyrillic name joins the place's names, and no new place is made. A post
//!    office of a town («Москва Цех 10» at Moscow's point) merges into the town without its label.
//! 4. **Trust.** Only a point GeoNames matched to a place of its own (accuracy [`MATCHED_ACCURACY`]) can
//!    be a village's point: an estimated one lies within 10 km of the village about one time in seven
//!    (measured against analysts' coordinates of real events). Each postal district gets an extent: a centre and a radius from its trusted points (the
//!    GeoNames places its rows merged into, and its seat, the town it is named after; its own rows when it
//!    has fewer than [`MIN_TRUSTED`]). A row's point is kept only inside its oblast and inside its district's
//!    extent, and only for one district when same-named villages of several districts share it (the one
//!    whose centre is nearest).
//! 5. **The others.** A row whose point failed, of a name that only one GeoNames place of its oblast bears
//!    (inside the district's extent, when the district is known), is that place (Киров of Kaluga Oblast,
//!    put at Kirov of Kirov Oblast). Any other village whose point failed is still known to lie in its district: it is kept at the
//!    district's seat (or, for a district whose seat GeoNames lacks, the centre of at least [`MIN_TRUSTED`]
//!    trusted points) with [`PointPrecision::District`], unless a trusted point of the same name was kept in
//!    that district; it is dropped when the district has neither, or when the row names no district (a town
//!    of oblast significance). Never at a wrong point.
//! 6. **One place per settlement.** Kept rows of one name in one district within [`SAME_SETTLEMENT_KM`] of
//!    each other are one place, at their median point, named by the standard romanisation
//!    ([`crate::names::romanize`]) with the Cyrillic name as an alternate.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::gazetteer::{Gazetteer, OWN_ID_BASE, Place, PlaceSource, PointPrecision, great_circle_km};
use crate::names::romanize::{romanize, script_for};

mod read;
pub mod regions;
pub(super) use read::read_postal;
pub use read::{PostalRow, parse_postal_line};

use regions::{DistrictName, OblastName, RegionCodes, Votes};

/// GeoNames' accuracy code of a postal point matched to a GeoNames place (1 is estimated, 6 a centroid).
/// Measured against analysts' coordinates of the real events of `../shared/data/real` (development
/// two thirds), the nearest same-named Ukrainian postal point lies within 10 km of the event for 83 % of
/// matched points and 14 % of estimated ones.
pub const MATCHED_ACCURACY: u8 = 4;
/// A postal row within this distance (km) of a GeoNames place with the same name key is that place.
pub const MERGE_KM: f64 = 5.0;
/// Rows of one name in one district within this distance (km) of each other are one settlement; so are
/// same-named rows of different districts (one of them misplaced).
pub const SAME_SETTLEMENT_KM: f64 = 3.0;
/// How far (degrees) outside the box of its oblast's GeoNames places a postal point may lie.
pub const OBLAST_MARGIN_DEG: f64 = 0.3;
/// A district's radius is this many times the 75th percentile of its trusted points' distances from its
/// centre ...
pub const DISTRICT_SPREAD: f64 = 1.5;
/// ... and at least this (km): a district of the border oblasts is 30 to 80 km across ...
pub const MIN_DISTRICT_KM: f64 = 20.0;
/// ... and at most this (km).
pub const MAX_DISTRICT_KM: f64 = 60.0;
/// A district with fewer trusted points than this takes its rows inside its oblast as anchors instead
/// (their median is robust to the quarter of them that are misplaced).
pub const MIN_TRUSTED: usize = 3;
/// A post office label («Москва Цех 10») merges into a town of at least this population whose name it
/// starts with.
pub const POST_OFFICE_TOWN_POPULATION: u64 = 10_000;

/// What the merge did, for the build's report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PostalReport {
    /// Rows read (of the countries built).
    pub rows: u64,
    /// Rows whose name is not a settlement's.
    pub not_settlement_names: u64,
    /// Rows repeating another row of the same settlement and point (another postal code).
    pub repeated_rows: u64,
    /// Rows that are a GeoNames place (merged into it), post office labels included.
    pub merged_rows: u64,
    /// Rows whose point was trusted and kept.
    pub kept_rows: u64,
    /// New places made from the kept rows.
    pub places: u64,
    /// Rows whose point was an estimate or failed, but whose village was kept at its district's seat.
    pub moved_rows: u64,
    /// New places at their district's seat.
    pub seat_places: u64,
    /// Rows dropped: their point failed and their district's seat is unknown (or a trusted namesake was kept).
    pub dropped_rows: u64,
    /// Rows dropped because their oblast name could not be given a code.
    pub unknown_oblast_rows: u64,
    /// Postal districts, and those with a point (their seat's, or the centre of their trusted points).
    pub districts: u64,
    pub districts_with_seat: u64,
}

impl std::fmt::Display for PostalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "postal rows {}: {} repeat another postal code, {} are not settlement names, {} merged into GeoNames \
             places; {} points kept as {} new places; {} points were estimates or failed their district or oblast, and \
             their villages were put at the district's seat as {} places; {} dropped ({} of an oblast the build cannot name); {} of {} districts have a seat or a trusted centre",
            self.rows,
            self.repeated_rows,
            self.not_settlement_names,
            self.merged_rows,
            self.kept_rows,
            self.places,
            self.moved_rows,
            self.seat_places,
            self.dropped_rows + self.unknown_oblast_rows,
            self.unknown_oblast_rows,
            self.districts_with_seat,
            self.districts,
        )
    }
}

/// The settlement a postal row names, or `None` for a post office's label. A qualifier in brackets
/// («Нагірна (Нагірнянська сільська рада)», the council it belongs to) and a post office number after the
/// name («Ждановичи 2», «Красноярск Мсц-1») are taken off; what is left must be letters, spaces, hyphens and
/// apostrophes (a full stop or slash marks an abbreviation: «Уфпс Г. Москвы», «А/Т Москва-Иваново»).
fn settlement_name(raw: &str) -> Option<String> {
    let name = raw.split('(').next().unwrap_or(raw);
    let name = name.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '-').trim();
    let ok = name.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && name.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | 'ʼ'));
    ok.then(|| name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A postal row with its cleaned name and that name's key.
struct Row {
    row: PostalRow,
    key: String,
}

impl Row {
    fn oblast(&self) -> OblastName {
        (self.row.country.clone(), self.row.admin_name1.clone())
    }
    fn district(&self) -> DistrictName {
        (self.row.country.clone(), self.row.admin_name1.clone(), self.row.admin_name2.clone())
    }
    fn point(&self) -> (f64, f64) {
        (self.row.lat, self.row.lon)
    }
}

/// The rows that name settlements, each settlement and point once.
fn settlement_rows(rows: Vec<PostalRow>, report: &mut PostalReport) -> Vec<Row> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for mut r in rows {
        let Some(name) = settlement_name(&r.name) else {
            report.not_settlement_names += 1;
            continue;
        };
        r.name = name;
        let id = (
            r.country.clone(),
            r.admin_name1.clone(),
            r.admin_name2.clone(),
            r.name.clone(),
            r.lat.to_bits(),
            r.lon.to_bits(),
        );
        if !seen.insert(id) {
            report.repeated_rows += 1;
            continue;
        }
        let key = crate::names::key(&r.name);
        out.push(Row { row: r, key });
    }
    out
}

/// How a row relates to the GeoNames places.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Match {
    /// A place of the same name key within [`MERGE_KM`] (its index).
    Namesake(usize),
    /// A post office of a town within [`MERGE_KM`] whose name its label starts with.
    PostOffice(usize),
    None,
}

/// Merge postal `rows` into `places` (GeoNames places, with their alternate names beside them); `gaz` is
/// a gazetteer of those places and the build's regions (for the region engine). See the module comment for
/// the rules. New places are appended, with ids from [`OWN_ID_BASE`]; `warnings` gets the region names
/// decided by votes.
pub fn merge(
    rows: Vec<PostalRow>,
    places: &mut Vec<(Place, Vec<String>)>,
    gaz: &Gazetteer,
    warnings: &mut Vec<String>,
) -> PostalReport {
    let mut report = PostalReport { rows: rows.len() as u64, ..Default::default() };
    let rows = settlement_rows(rows, &mut report);
    let by_key = key_index(places);
    let matches: Vec<Match> = rows.iter().map(|r| find_match(r, places, &by_key)).collect();
    let codes = region_codes(&rows, &matches, places, gaz, warnings);

    // Merge the rows that are GeoNames places of their own oblast.
    let mut merged = vec![false; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        let (Match::Namesake(p) | Match::PostOffice(p)) = matches[i] else { continue };
        let own_oblast =
            codes.admin1.get(&r.oblast()).is_none_or(|a1| places[p].0.admin1.is_empty() || *places[p].0.admin1 == **a1);
        if !own_oblast {
            continue;
        }
        merged[i] = true;
        report.merged_rows += 1;
        if matches[i] == Match::Namesake(p) {
            let (place, names) = &mut places[p];
            if *place.name != r.row.name && !names.contains(&r.row.name) {
                names.push(r.row.name.clone());
            }
        }
    }

    let extents = district_extents(&rows, &merged, &matches, places, &codes);
    report.districts = rows.iter().map(Row::district).collect::<HashSet<_>>().len() as u64;
    report.districts_with_seat = extents.values().filter(|e| e.seat.is_some()).count() as u64;
    let oblast_boxes = oblast_boxes(places);
    let in_oblast_by_key = oblast_key_index(places, &by_key);
    let mut kept: BTreeMap<(DistrictName, String), Vec<usize>> = BTreeMap::new();
    let mut failed: BTreeMap<(DistrictName, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if merged[i] {
            continue;
        }
        let Some(a1) = codes.admin1.get(&r.oblast()) else {
            report.unknown_oblast_rows += 1;
            continue;
        };
        let in_oblast = oblast_boxes.get(&(r.row.country.clone(), a1.clone())).is_some_and(|b| b.holds(r.point()));
        // A town of oblast significance has no district: its oblast is all there is to check.
        let extent = extents.get(&r.district()).filter(|_| !r.row.admin_name2.is_empty());
        let in_district = r.row.admin_name2.is_empty() || extent.is_some_and(|e| e.holds(r.point()));
        let matched = r.row.accuracy == Some(MATCHED_ACCURACY);
        if matched && in_oblast && in_district {
            kept.entry((r.district(), r.key.clone())).or_default().push(i);
            continue;
        }
        // A point that fails, of a name only one GeoNames place of the oblast bears (within the district, when
        // the district is known): that place, whose point GeoNames missed (Киров of Kaluga Oblast put at Kirov
        // of Kirov Oblast).
        let key = (r.row.country.clone(), a1.clone(), r.key.clone());
        if let Some(&[p]) = in_oblast_by_key.get(&key).map(Vec::as_slice)
            && extent.is_none_or(|e| e.holds((places[p].0.lat, places[p].0.lon)))
        {
            report.merged_rows += 1;
            let (place, names) = &mut places[p];
            if *place.name != r.row.name && !names.contains(&r.row.name) {
                names.push(r.row.name.clone());
            }
            continue;
        }
        failed.entry((r.district(), r.key.clone())).or_default().push(i);
    }
    settle_shared_points(&rows, &mut kept, &mut failed, &extents);

    let first_new = places.len();
    for ((district, _), members) in &kept {
        let a1 = codes.admin1.get(&(district.0.clone(), district.1.clone())).cloned().unwrap_or_default();
        let a2 = codes.admin2.get(district).cloned().unwrap_or_default();
        for cluster in clusters(&rows, members) {
            let points: Vec<(f64, f64)> = cluster.iter().map(|&i| rows[i].point()).collect();
            let point = median_point(&points);
            places.push(new_place(&rows[cluster[0]].row, point, &a1, &a2, PointPrecision::Exact));
            report.kept_rows += cluster.len() as u64;
            report.places += 1;
        }
    }
    for ((district, key), members) in &failed {
        // A town without a district has no district's point to stand at.
        let seat = extents.get(district).filter(|_| !district.2.is_empty()).and_then(|e| e.seat);
        let trusted_namesake = kept.contains_key(&(district.clone(), key.clone()));
        match seat {
            Some(point) if !trusted_namesake => {
                let a1 = codes.admin1.get(&(district.0.clone(), district.1.clone())).cloned().unwrap_or_default();
                let a2 = codes.admin2.get(district).cloned().unwrap_or_default();
                places.push(new_place(&rows[members[0]].row, point, &a1, &a2, PointPrecision::District));
                report.moved_rows += members.len() as u64;
                report.seat_places += 1;
            }
            _ => report.dropped_rows += members.len() as u64,
        }
    }
    for (n, (p, _)) in places[first_new..].iter_mut().enumerate() {
        p.geonameid = OWN_ID_BASE + n as u32;
    }
    report
}

/// The GeoNames place a row is, by name and point.
fn find_match(r: &Row, places: &[(Place, Vec<String>)], by_key: &HashMap<String, Vec<usize>>) -> Match {
    let near = |i: &usize| {
        let p = &places[*i].0;
        *p.country == *r.row.country && great_circle_km(p.lat, p.lon, r.row.lat, r.row.lon) <= MERGE_KM
    };
    if let Some(&i) = by_key.get(&r.key).into_iter().flatten().find(|i| near(i)) {
        return Match::Namesake(i);
    }
    // "moskva tseh": a label that starts with a town's name, at the town's point.
    let mut prefix = r.key.as_str();
    while let Some((head, _)) = prefix.rsplit_once(' ') {
        prefix = head;
        let town = by_key
            .get(prefix)
            .into_iter()
            .flatten()
            .find(|i| near(i) && places[**i].0.population >= POST_OFFICE_TOWN_POPULATION);
        if let Some(&i) = town {
            return Match::PostOffice(i);
        }
    }
    Match::None
}

/// The codes of every oblast and district the rows name, with the rows' namesakes as votes.
fn region_codes(
    rows: &[Row],
    matches: &[Match],
    places: &[(Place, Vec<String>)],
    gaz: &Gazetteer,
    warnings: &mut Vec<String>,
) -> RegionCodes {
    let mut votes: Votes = HashMap::new();
    for (r, m) in rows.iter().zip(matches) {
        if let Match::Namesake(p) = m
            && !places[*p].0.admin1.is_empty()
        {
            *votes.entry(r.oblast()).or_default().entry(places[*p].0.admin1.to_string()).or_default() += 1;
        }
    }
    let oblasts: Vec<OblastName> =
        rows.iter().map(Row::oblast).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let districts: Vec<DistrictName> =
        rows.iter().map(Row::district).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    regions::region_codes(gaz, &oblasts, &districts, &votes, warnings)
}

/// A new postal place for `row` at `point`.
fn new_place(
    row: &PostalRow,
    point: (f64, f64),
    admin1: &str,
    admin2: &str,
    precision: PointPrecision,
) -> (Place, Vec<String>) {
    let latin = romanize(&row.name, script_for(&row.name, &row.country));
    let alt = if latin == row.name { Vec::new() } else { vec![row.name.clone()] };
    let place = Place {
        geonameid: 0,
        name: latin.as_str().into(),
        lat: point.0,
        lon: point.1,
        feature_code: "PPL".into(),
        country: row.country.as_str().into(),
        admin1: admin1.into(),
        admin2: admin2.into(),
        population: 0,
        source: PlaceSource::Postal,
        precision,
    };
    (place, alt)
}

/// A row's point and name: a district's own matched rows inside its oblast are kept so.
type NamedPoint<'r> = ((f64, f64), &'r str);

/// Where a postal district's villages may lie.
#[derive(Debug, Clone)]
struct Extent {
    centre: (f64, f64),
    radius_km: f64,
    /// The district's point: its seat's, else the centre of at least [`MIN_TRUSTED`] trusted points; `None`
    /// when neither is known.
    seat: Option<(f64, f64)>,
}

impl Extent {
    fn holds(&self, p: (f64, f64)) -> bool {
        great_circle_km(self.centre.0, self.centre.1, p.0, p.1) <= self.radius_km
    }
}

/// The extent of every postal district, from its trusted points: the GeoNames places its rows merged into
/// and its seat (or its rows inside its oblast, when fewer than [`MIN_TRUSTED`] are trusted).
fn district_extents(
    rows: &[Row],
    merged: &[bool],
    matches: &[Match],
    places: &[(Place, Vec<String>)],
    codes: &RegionCodes,
) -> HashMap<DistrictName, Extent> {
    let boxes = oblast_boxes(places);
    let mut trusted: HashMap<DistrictName, Vec<usize>> = HashMap::new();
    let mut own_rows: HashMap<DistrictName, Vec<NamedPoint>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let d = r.district();
        if merged[i]
            && let Match::Namesake(p) | Match::PostOffice(p) = matches[i]
        {
            let t = trusted.entry(d.clone()).or_default();
            if !t.contains(&p) {
                t.push(p);
            }
        }
        let in_oblast = codes
            .admin1
            .get(&r.oblast())
            .and_then(|a1| boxes.get(&(r.row.country.clone(), a1.clone())))
            .is_some_and(|b| b.holds(r.point()));
        if in_oblast && r.row.accuracy == Some(MATCHED_ACCURACY) {
            own_rows.entry(d).or_default().push((r.point(), r.row.name.as_str()));
        }
    }
    let seats = district_seats(own_rows.keys().chain(trusted.keys()), places, codes);
    let mut out = HashMap::new();
    for d in own_rows.keys().chain(trusted.keys()) {
        if out.contains_key(d) {
            continue;
        }
        let seat = seats.get(d).copied();
        let mut anchors: Vec<(f64, f64)> =
            trusted.get(d).into_iter().flatten().map(|&p| (places[p].0.lat, places[p].0.lon)).collect();
        if let Some(s) = seat.filter(|s| !trusted.get(d).is_some_and(|t| t.contains(s))) {
            anchors.push((places[s].0.lat, places[s].0.lon));
        }
        let trusted_anchors = anchors.len() >= MIN_TRUSTED;
        if !trusted_anchors {
            anchors.extend(own_rows.get(d).into_iter().flatten().map(|(p, _)| *p));
        }
        if anchors.is_empty() {
            continue;
        }
        let centre = median_point(&anchors);
        let mut dist: Vec<f64> = anchors.iter().map(|p| great_circle_km(centre.0, centre.1, p.0, p.1)).collect();
        dist.sort_by(f64::total_cmp);
        let p75 = dist[(dist.len() * 3 / 4).min(dist.len() - 1)];
        let radius_km = (DISTRICT_SPREAD * p75).clamp(MIN_DISTRICT_KM, MAX_DISTRICT_KM);
        let mut extent = Extent { centre, radius_km, seat: seat.map(|s| (places[s].0.lat, places[s].0.lon)) };
        if extent.seat.is_none() {
            extent.seat = postal_seat(d, own_rows.get(d).map(Vec::as_slice).unwrap_or_default(), &extent);
        }
        // A district named after a village GeoNames lacks (Петропавловский район, seat Петропавловка) has no
        // seat to find: the centre of its trusted points stands for it.
        if extent.seat.is_none() && trusted_anchors {
            extent.seat = Some(centre);
        }
        out.insert(d.clone(), extent);
    }
    out
}

/// The seat of a district GeoNames does not hold the seat of: its own row named so (a matched point inside
/// the district's extent), the one nearest the district's centre.
fn postal_seat(d: &DistrictName, own_rows: &[NamedPoint], extent: &Extent) -> Option<(f64, f64)> {
    let wanted = crate::resolve::district_form(&d.2)?;
    own_rows
        .iter()
        .filter(|(p, name)| extent.holds(*p) && crate::resolve::seat_district_forms(name).contains(&wanted))
        .map(|(p, _)| *p)
        .min_by(|a, b| {
            let da = great_circle_km(extent.centre.0, extent.centre.1, a.0, a.1);
            let db = great_circle_km(extent.centre.0, extent.centre.1, b.0, b.1);
            da.total_cmp(&db)
        })
}

/// The seat of each district: the GeoNames place of its oblast it is named after (Грайворонский район →
/// Grayvoron), the most prominent when several are.
fn district_seats<'d>(
    districts: impl Iterator<Item = &'d DistrictName>,
    places: &[(Place, Vec<String>)],
    codes: &RegionCodes,
) -> HashMap<DistrictName, usize> {
    // The adjective forms each GeoNames place of an oblast gives a district (place index, forms), by
    // (country, admin1).
    type Forms = Vec<(usize, Vec<String>)>;
    let mut by_oblast: HashMap<(String, String), Forms> = HashMap::new();
    for (i, (p, alt)) in places.iter().enumerate() {
        if p.admin1.is_empty() || p.source != PlaceSource::Geonames {
            continue;
        }
        let mut forms: Vec<String> = Vec::new();
        for n in std::iter::once(p.name.as_str()).chain(alt.iter().map(String::as_str)) {
            for f in crate::resolve::seat_district_forms(n) {
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
        by_oblast.entry((p.country.to_string(), p.admin1.to_string())).or_default().push((i, forms));
    }
    let prominence = |i: usize| {
        let p = &places[i].0;
        (matches!(&*p.feature_code, "PPLA2" | "PPLA" | "PPLC" | "PPLA3"), p.population)
    };
    let mut out = HashMap::new();
    for d in districts {
        if out.contains_key(d) {
            continue;
        }
        let Some(a1) = codes.admin1.get(&(d.0.clone(), d.1.clone())) else { continue };
        let Some(wanted) = crate::resolve::district_form(&d.2) else { continue };
        let seat = by_oblast
            .get(&(d.0.clone(), a1.clone()))
            .into_iter()
            .flatten()
            .filter(|(_, forms)| forms.contains(&wanted))
            .map(|(i, _)| *i)
            .max_by_key(|&i| prominence(i));
        if let Some(s) = seat {
            out.insert(d.clone(), s);
        }
    }
    out
}

/// Same-named villages of several districts kept at one point: the point is the village of the district
/// whose centre is nearest; the others are moved to `failed` (their own point is unknown).
fn settle_shared_points(
    rows: &[Row],
    kept: &mut BTreeMap<(DistrictName, String), Vec<usize>>,
    failed: &mut BTreeMap<(DistrictName, String), Vec<usize>>,
    extents: &HashMap<DistrictName, Extent>,
) {
    let mut by_key: BTreeMap<String, Vec<DistrictName>> = BTreeMap::new();
    for (d, k) in kept.keys() {
        by_key.entry(k.clone()).or_default().push(d.clone());
    }
    for (k, districts) in by_key.into_iter().filter(|(_, ds)| ds.len() > 1) {
        // (distance to its own centre, district, member) for every kept row of this name.
        let mut claims: Vec<(f64, DistrictName, usize)> = Vec::new();
        for d in &districts {
            let centre = extents.get(d).map(|e| e.centre).unwrap_or((0.0, 0.0));
            for &i in &kept[&(d.clone(), k.clone())] {
                let (lat, lon) = rows[i].point();
                claims.push((great_circle_km(centre.0, centre.1, lat, lon), d.clone(), i));
            }
        }
        claims.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
        let mut accepted: Vec<(DistrictName, usize)> = Vec::new();
        for (_, d, i) in claims {
            let (lat, lon) = rows[i].point();
            let taken = accepted.iter().any(|(od, oi)| {
                let (olat, olon) = rows[*oi].point();
                *od != d && great_circle_km(lat, lon, olat, olon) <= SAME_SETTLEMENT_KM
            });
            if taken {
                let slot = (d.clone(), k.clone());
                if let Some(v) = kept.get_mut(&slot) {
                    v.retain(|&m| m != i);
                    if v.is_empty() {
                        kept.remove(&slot);
                    }
                }
                failed.entry(slot).or_default().push(i);
            } else {
                accepted.push((d, i));
            }
        }
    }
}

/// Greedy clusters of `members` (row indices) whose points lie within [`SAME_SETTLEMENT_KM`] of the
/// cluster's first point.
fn clusters(rows: &[Row], members: &[usize]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for &i in members {
        let (lat, lon) = rows[i].point();
        match out.iter_mut().find(|c| {
            let (flat, flon) = rows[c[0]].point();
            great_circle_km(flat, flon, lat, lon) <= SAME_SETTLEMENT_KM
        }) {
            Some(c) => c.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// A coordinate-wise median point.
fn median_point(points: &[(f64, f64)]) -> (f64, f64) {
    let med = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (med(points.iter().map(|p| p.0).collect()), med(points.iter().map(|p| p.1).collect()))
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

/// GeoNames' own places by (country, admin1 code, name key), from the places' key index.
fn oblast_key_index(
    places: &[(Place, Vec<String>)],
    by_key: &HashMap<String, Vec<usize>>,
) -> HashMap<(String, String, String), Vec<usize>> {
    let mut out: HashMap<(String, String, String), Vec<usize>> = HashMap::new();
    for (k, ps) in by_key {
        for &p in ps {
            let pl = &places[p].0;
            if pl.source == PlaceSource::Geonames && !pl.admin1.is_empty() {
                out.entry((pl.country.to_string(), pl.admin1.to_string(), k.clone())).or_default().push(p);
            }
        }
    }
    out
}

/// The box of an oblast's GeoNames places.
#[derive(Debug, Clone, Copy)]
struct LatLonBox {
    min: (f64, f64),
    max: (f64, f64),
}

impl LatLonBox {
    /// Whether `p` lies in the box widened by [`OBLAST_MARGIN_DEG`].
    fn holds(&self, p: (f64, f64)) -> bool {
        (self.min.0 - OBLAST_MARGIN_DEG..=self.max.0 + OBLAST_MARGIN_DEG).contains(&p.0)
            && (self.min.1 - OBLAST_MARGIN_DEG..=self.max.1 + OBLAST_MARGIN_DEG).contains(&p.1)
    }
}

/// The box of each oblast's GeoNames places, by (country, admin1 code).
fn oblast_boxes(places: &[(Place, Vec<String>)]) -> HashMap<(String, String), LatLonBox> {
    let mut boxes: HashMap<(String, String), LatLonBox> = HashMap::new();
    for (p, _) in places.iter().filter(|(p, _)| p.source == PlaceSource::Geonames && !p.admin1.is_empty()) {
        let b = boxes
            .entry((p.country.to_string(), p.admin1.to_string()))
            .or_insert(LatLonBox { min: (p.lat, p.lon), max: (p.lat, p.lon) });
        b.min = (b.min.0.min(p.lat), b.min.1.min(p.lon));
        b.max = (b.max.0.max(p.lat), b.max.1.max(p.lon));
    }
    boxes
}

#[cfg(test)]
mod tests {
    //! The merge rules on rows of our own: a small Belgorod Oblast of GeoNames places (their points are
    //! those of cities500) and postal rows placed by hand where each rule must take them. Expected outcomes
    //! are worked out by hand from the rules in the module comment.
    use super::*;
    use crate::gazetteer::Region;

    fn geonames(id: u32, name: &str, lat: f64, lon: f64, feature: &str, population: u64) -> (Place, Vec<String>) {
        let place = Place {
            geonameid: id,
            name: name.into(),
            lat,
            lon,
            feature_code: feature.into(),
            country: "RU".into(),
            admin1: "09".into(),
            admin2: String::new().into(),
            population,
            source: PlaceSource::Geonames,
            precision: PointPrecision::Exact,
        };
        (place, Vec::new())
    }

    fn region(code: &str, name: &str) -> Region {
        Region {
            code: code.into(),
            name: name.into(),
            ascii_name: name.into(),
            geonameid: 0,
            alt_names: vec![],
            seat: None,
        }
    }

    fn row(name: &str, district: &str, lat: f64, lon: f64, accuracy: u8) -> PostalRow {
        PostalRow {
            country: "RU".into(),
            name: name.into(),
            admin_name1: "Белгородская Область".into(),
            admin_name2: district.into(),
            lat,
            lon,
            accuracy: Some(accuracy),
        }
    }

    const GRAYVORON: &str = "ГРАЙВОРОНСКИЙ РАЙОН";
    const KRASNAYA_YARUGA: &str = "КРАСНОЯРУЖСКИЙ РАЙОН";

    /// The places after the merge, and its report.
    fn merged(rows: Vec<PostalRow>) -> (Vec<(Place, Vec<String>)>, PostalReport) {
        let mut places = vec![
            geonames(559034, "Grayvoron", 50.4767, 35.6773, "PPLA2", 6212),
            geonames(560700, "Golovchino", 50.5337, 35.7864, "PPL", 5229),
            geonames(566000, "Dorogoshch", 50.5710, 35.6200, "PPL", 2000),
            geonames(542571, "Krasnaya Yaruga", 50.7002, 35.6675, "PPL", 7300),
            geonames(578072, "Belgorod", 50.6107, 36.5802, "PPLA", 345_289),
            geonames(495112, "Shebekino", 50.4097, 36.9136, "PPL", 45_194),
        ];
        let admin1 = vec![region("RU.09", "Belgorod Oblast")];
        let admin2 =
            vec![region("RU.09.824990", "Grayvoronskiy Rayon"), region("RU.09.824991", "Krasnoyaruzhskiy Rayon")];
        let view = crate::build::regions_view(&places, &admin1, &admin2);
        let mut warnings = Vec::new();
        let report = merge(rows, &mut places, &view, &mut warnings);
        (places, report)
    }

    fn new_place<'p>(places: &'p [(Place, Vec<String>)], latin: &str) -> Vec<&'p Place> {
        places.iter().map(|(p, _)| p).filter(|p| p.source == PlaceSource::Postal && p.name == latin).collect()
    }

    #[test]
    fn rows_at_geonames_places_merge_and_a_trusted_village_is_kept() {
        let (places, report) = merged(vec![
            row("Грайворон", GRAYVORON, 50.4767, 35.6773, 4),
            row("Грайворон 2", GRAYVORON, 50.4767, 35.6773, 4), // another post office: the same settlement
            row("Головчино", GRAYVORON, 50.5300, 35.7800, 4),   // 0.7 km from cities500's point
            row("Дорогощь", GRAYVORON, 50.5710, 35.6200, 4),
            row("Глотово", GRAYVORON, 50.5000, 35.7200, 4), // 4 km from the district's centre
        ]);
        assert_eq!((report.merged_rows, report.repeated_rows, report.kept_rows, report.places), (3, 1, 1, 1));
        assert_eq!(places.len(), 7);
        assert!(places[1].1.contains(&"Головчино".to_string()), "the Cyrillic name joins Golovchino's names");
        let glotovo = new_place(&places, "Glotovo");
        assert_eq!(glotovo.len(), 1);
        let g = glotovo[0];
        assert_eq!((g.lat, g.lon, g.precision, g.admin1.as_str()), (50.5, 35.72, PointPrecision::Exact, "09"));
        assert_eq!(g.admin2.as_str(), "824990", "Грайворонский район is GeoNames' Grayvoronskiy Rayon");
        assert!(g.geonameid >= OWN_ID_BASE);
    }

    #[test]
    fn estimated_and_far_points_go_to_the_district_seat() {
        let (places, report) = merged(vec![
            row("Грайворон", GRAYVORON, 50.4767, 35.6773, 4),
            row("Головчино", GRAYVORON, 50.5300, 35.7800, 4),
            row("Дорогощь", GRAYVORON, 50.5710, 35.6200, 4),
            row("Гора-Подол", GRAYVORON, 50.4500, 35.7000, 1), // estimated, though inside the district
            row("Журавлевка", GRAYVORON, 52.8500, 52.3000, 4), // a namesake 1,200 km away
        ]);
        assert_eq!((report.moved_rows, report.seat_places, report.dropped_rows), (2, 2, 0));
        for latin in ["Gora-Podol", "Zhuravlevka"] {
            let p = new_place(&places, latin);
            assert_eq!(p.len(), 1, "{latin}");
            // at Grayvoron, the seat the district is named after
            assert_eq!((p[0].lat, p[0].lon, p[0].precision), (50.4767, 35.6773, PointPrecision::District), "{latin}");
        }
    }

    #[test]
    fn a_point_shared_by_two_districts_belongs_to_the_nearer_centre() {
        // Grayvoron district's centre is the median of Grayvoron, Golovchino and Dorogoshch: (50.5337, 35.6773);
        // Krasnaya Yaruga district's, of its own matched rows and its seat: (50.7002, 35.6675). Ivanovka at
        // (50.62, 35.70) is 9.7 km from the first and 9.2 km from the second (by hand, 111 km a degree of
        // latitude, 71 km of longitude here): Krasnaya Yaruga district's.
        let (places, report) = merged(vec![
            row("Грайворон", GRAYVORON, 50.4767, 35.6773, 4),
            row("Головчино", GRAYVORON, 50.5300, 35.7800, 4),
            row("Дорогощь", GRAYVORON, 50.5710, 35.6200, 4),
            row("Красная Яруга", KRASNAYA_YARUGA, 50.7002, 35.6675, 4),
            row("Ивановка", GRAYVORON, 50.6200, 35.7000, 4),
            row("Ивановка", KRASNAYA_YARUGA, 50.6200, 35.7000, 4),
        ]);
        let ivanovka = new_place(&places, "Ivanovka");
        assert_eq!(ivanovka.len(), 2, "{ivanovka:?}");
        let exact: Vec<_> = ivanovka.iter().filter(|p| p.precision == PointPrecision::Exact).collect();
        assert_eq!(exact.len(), 1);
        assert_eq!((exact[0].lat, exact[0].lon, exact[0].admin2.as_str()), (50.62, 35.70, "824991"));
        let other = ivanovka.iter().find(|p| p.precision == PointPrecision::District).unwrap();
        assert_eq!((other.lat, other.lon), (50.4767, 35.6773), "Grayvoron district's Ivanovka at its seat");
        assert_eq!(report.kept_rows, 1);
    }

    #[test]
    fn a_failed_row_of_a_unique_geonames_name_is_that_place_and_unknown_districts_drop() {
        let (places, report) = merged(vec![
            row("Грайворон", GRAYVORON, 50.4767, 35.6773, 4),
            row("Головчино", GRAYVORON, 50.5300, 35.7800, 4),
            row("Дорогощь", GRAYVORON, 50.5710, 35.6200, 4),
            // Golovchino's second post office, put 300 km off: the only Golovchino of the oblast.
            row("Головчино", GRAYVORON, 53.2000, 38.0000, 4),
            // A district no GeoNames place or trusted row tells anything of: nowhere to put the village.
            row("Нигдеевка", "НЕВЕДОМСКИЙ РАЙОН", 50.5000, 36.0000, 1),
            // Not a settlement's name.
            row("Уфпс Г. Белгорода", "", 50.6107, 36.5802, 4),
        ]);
        assert_eq!((report.merged_rows, report.dropped_rows, report.not_settlement_names), (4, 1, 1));
        assert_eq!(places.len(), 6, "no new place");
    }
}
