//! The user's own places (`--places FILE`): villages an analyst knows and the gazetteer lacks, joined to a
//! loaded gazetteer so that every command finds them by the same names and region filters as any place.
//!
//! The file is a table with a header (comma-, semicolon- or tab-separated, UTF-8, a BOM allowed):
//!
//! | column | | |
//! |---|---|---|
//! | `name` | required | the name as the place is written (any script) |
//! | `lat`, `lon` | required | WGS84 decimal degrees (`latitude`/`longitude` also accepted; a decimal comma too) |
//! | `admin1` | optional | the region: `Belgorod Oblast`, `Белгородская область`, `Kursk region`, or a GeoNames code `RU.09` |
//! | `alternate_names` | optional | other names, separated by `;` |
//! | `source` | optional | where the place came from (for the user's reference; not used) |
//!
//! Other columns are ignored. Each row is checked and a row that fails is skipped with its line
//! and the reason; the others join. A row becomes a [`Place`] of [`PlaceSource::User`] with an exact point,
//! an id from [`USER_ID_BASE`] up, feature code `PPL` and population 0; its country is the one whose
//! polygon holds the point (or its `admin1`'s), its admin1 the region the `admin1` cell names (level 1), or
//! when there is none the one of the nearest gazetteer place of its country within [`ADMIN1_NEAREST_KM`];
//! its admin2 that of the nearest place of its region within [`ADMIN2_NEAREST_KM`]. A place with the
//! name of a gazetteer place within [`DUPLICATE_KM`] is added all the same (the user may be correcting a
//! point), with a note.

mod read;

use std::collections::HashSet;
use std::path::Path;

use compact_str::CompactString;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::border::BorderIndex;
use crate::gazetteer::{Gazetteer, Place, PlaceSource, PointPrecision, USER_ID_BASE, great_circle_km};
use crate::resolve::Resolver;
pub use read::{
    ALTERNATE_NAME_SEPARATOR, MAX_FILE_BYTES, PlaceRow, PlaceTable, PlacesFileError, RowNote, parse, read_file,
};

/// With no `admin1` given, a place takes the region of the nearest gazetteer place of its country within
/// this distance (km). Villages of the border oblasts lie a few km apart and district seats at most about
/// 25 km from their villages; a point farther than this from every known place is left without a region
/// rather than given a guess.
pub const ADMIN1_NEAREST_KM: f64 = 25.0;
/// A place takes the district (admin2) of the nearest gazetteer place of its region within this distance
/// (km): about a village's own extent, so that a point on a district's edge does not take its neighbour's.
pub const ADMIN2_NEAREST_KM: f64 = 5.0;
/// The `admin1` given is plausible when the nearest known place of that region is at most this much (km)
/// farther from the point than the nearest known place of any region of the country: a point near a
/// boundary between two regions has places of both near it; one deep inside another region does not.
pub const ADMIN1_SLACK_KM: f64 = 15.0;
/// A point the polygons put in the neighbouring country of its `admin1`'s is plausible within this distance
/// (km) of the Russia–Ukraine land border, which the shipped polygons draw to about a km.
pub const COUNTRY_SLACK_KM: f64 = 2.0;
/// A user place with a gazetteer place of the same name key within this distance (km) duplicates it (noted).
pub const DUPLICATE_KM: f64 = 2.0;

/// What joining a places file did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlacesReport {
    /// The file as named by the user.
    pub file: String,
    /// Places added to the gazetteer.
    pub added: usize,
    /// Rows skipped, by line, with the reason.
    pub skipped: Vec<RowNote>,
    /// Notes on rows that were added (a duplicate of a gazetteer place, a place left without a region).
    pub notes: Vec<RowNote>,
}

impl PlacesReport {
    /// Every skipped row and note as `FILE:LINE: reason`, in line order, for stderr.
    pub fn messages(&self) -> Vec<String> {
        let skipped =
            self.skipped.iter().map(|n| (n.line, format!("{}:{}: {}; row skipped", self.file, n.line, n.why)));
        let notes = self.notes.iter().map(|n| (n.line, format!("{}:{}: note: {}", self.file, n.line, n.why)));
        let mut all: Vec<(u64, String)> = skipped.chain(notes).collect();
        all.sort_by_key(|(line, _)| *line);
        all.into_iter().map(|(_, m)| m).collect()
    }
}

/// Read the places file at `path` and join its places to `gaz` (see the module documentation). Must run
/// before `gaz` is first looked up, and before any [`Resolver`] over it is made.
pub fn join_file(gaz: &mut Gazetteer, path: &Path) -> Result<PlacesReport, PlacesFileError> {
    let table = read_file(path)?;
    let mut report = join_rows(gaz, &table.rows);
    report.file = path.display().to_string();
    report.skipped.extend(table.bad);
    report.skipped.sort_by_key(|n| n.line);
    Ok(report)
}

/// Join `rows` to `gaz`: each is checked and made a place, and the places are appended with their names and
/// border measurements ([`Gazetteer::append_places`]).
pub fn join_rows(gaz: &mut Gazetteer, rows: &[PlaceRow]) -> PlacesReport {
    let mut report = PlacesReport::default();
    if rows.is_empty() {
        return report;
    }
    let border = BorderIndex::new(&gaz.boundaries);
    let mut places = Vec::new();
    let mut alt_names = Vec::new();
    {
        let judge = Judge::new(gaz, &border);
        for row in rows {
            let id = USER_ID_BASE.checked_add(places.len() as u32);
            match id.ok_or_else(|| "too many places".to_string()).and_then(|id| judge.place(row, id)) {
                Ok((place, notes)) => {
                    report.notes.extend(notes.into_iter().map(|why| RowNote { line: row.line, why }));
                    places.push(place);
                    alt_names.push(row.alternate_names.clone());
                }
                Err(why) => report.skipped.push(RowNote { line: row.line, why }),
            }
        }
    }
    report.added = places.len();
    if !places.is_empty() {
        let measures = crate::border::places::measure(&border, &places);
        gaz.append_places(places, &alt_names, measures);
    }
    report
}

/// Checks rows against a gazetteer and makes places of them.
struct Judge<'g> {
    gaz: &'g Gazetteer,
    resolver: Resolver<'g>,
    border: &'g BorderIndex,
    near: NearIndex,
    /// (country, admin1) of every region that has places in the gazetteer.
    regions_with_places: HashSet<(CompactString, CompactString)>,
}

/// A region a row is placed in.
struct Admin1 {
    country: CompactString,
    code: CompactString,
}

impl<'g> Judge<'g> {
    fn new(gaz: &'g Gazetteer, border: &'g BorderIndex) -> Judge<'g> {
        Judge {
            gaz,
            resolver: Resolver::new(gaz),
            border,
            near: NearIndex::new(&gaz.places),
            regions_with_places: gaz.places.iter().map(|p| (p.country.clone(), p.admin1.clone())).collect(),
        }
    }

    /// The place a row makes, with notes on it; or why the row is refused.
    fn place(&self, row: &PlaceRow, id: u32) -> Result<(Place, Vec<String>), String> {
        crate::border::points::check_coordinates(self.border, row.lat, row.lon)?;
        let mut notes = Vec::new();
        let admin1 = match &row.admin1 {
            Some(text) => self.stated_admin1(row, text)?,
            None => self.nearest_admin1(row, &mut notes)?,
        };
        let admin2 = self.nearest_admin2(row, &admin1);
        notes.extend(self.duplicate(row));
        let place = Place {
            geonameid: id,
            name: row.name.as_str().into(),
            lat: row.lat,
            lon: row.lon,
            feature_code: "PPL".into(),
            country: admin1.country,
            admin1: admin1.code,
            admin2,
            population: 0,
            source: PlaceSource::User,
            precision: PointPrecision::Exact,
        };
        Ok((place, notes))
    }

    /// The admin1 region `text` names, checked against the point.
    fn stated_admin1(&self, row: &PlaceRow, text: &str) -> Result<Admin1, String> {
        let region = self.region(text).ok_or_else(|| {
            format!(
                "admin1 {text:?} is not a region incimap knows (write it as \"Belgorod Oblast\", \"Белгородская \
                 область\", \"Kursk region\" or a GeoNames code such as RU.09)"
            )
        })?;
        let (country, code) = region.code.split_once('.').unwrap_or((region.code.as_str(), ""));
        let admin1 = Admin1 { country: country.into(), code: code.into() };
        self.check_country(row, text, &admin1.country)?;
        self.check_region(row, text, &region.name, &admin1)?;
        Ok(admin1)
    }

    /// The admin1 region of a phrase or a GeoNames code (`RU.09`).
    fn region(&self, text: &str) -> Option<crate::gazetteer::Region> {
        if let Some(r) = self.gaz.admin1_by_code(&text.trim().to_ascii_uppercase()) {
            return Some(r.clone());
        }
        let hint = self.resolver.regions(text).into_iter().find(|h| h.level == 1)?;
        self.gaz.admin1_by_code(&hint.code).cloned()
    }

    /// A point the polygons put in another country than its admin1's must lie by the border between them.
    fn check_country(&self, row: &PlaceRow, text: &str, country: &str) -> Result<(), String> {
        let Some(found) = self.border.country(row.lat, row.lon) else { return Ok(()) };
        if found == country {
            return Ok(());
        }
        let across_land_border = matches!((found, country), ("RU", "UA") | ("UA", "RU"));
        let km = self.border.measure(row.lat, row.lon).map(|m| m.border_km.abs()).unwrap_or(f64::INFINITY);
        if across_land_border && km <= COUNTRY_SLACK_KM {
            return Ok(());
        }
        Err(format!(
            "admin1 {text:?} is in {country}, but ({}, {}) lies in {found}{}",
            row.lat,
            row.lon,
            if km.is_finite() { format!(", {km:.1} km from the border") } else { String::new() }
        ))
    }

    /// The admin1 given must have a known place about as near the point as any other region's.
    fn check_region(&self, row: &PlaceRow, text: &str, name: &str, admin1: &Admin1) -> Result<(), String> {
        if !self.regions_with_places.contains(&(admin1.country.clone(), admin1.code.clone())) {
            return Ok(()); // nothing to judge by
        }
        let any = self.near.nearest(&self.gaz.places, row.lat, row.lon, f64::INFINITY, |p| {
            p.country == admin1.country && !p.admin1.is_empty()
        });
        let Some((nearest, any_km)) = any else { return Ok(()) };
        let limit = any_km + ADMIN1_SLACK_KM;
        let same = |p: &Place| p.country == admin1.country && p.admin1 == admin1.code;
        if self.near.nearest(&self.gaz.places, row.lat, row.lon, limit, same).is_some() {
            return Ok(());
        }
        let other = self.gaz.admin1_name(&self.gaz.places[nearest as usize]).unwrap_or("another region");
        let named = if text == name { format!("{text:?}") } else { format!("{text:?} ({name})") };
        Err(format!(
            "admin1 {named} does not fit the point ({}, {}): no place of {name} lies within {limit:.0} km of it, \
             while {other} has one {any_km:.1} km away (lat and lon mistyped, or the wrong region?)",
            row.lat, row.lon
        ))
    }

    /// With no admin1 given: the country from the polygons and the region of the nearest place in it.
    fn nearest_admin1(&self, row: &PlaceRow, notes: &mut Vec<String>) -> Result<Admin1, String> {
        let country = self.border.country(row.lat, row.lon).ok_or_else(|| {
            format!(
                "({}, {}) lies outside Russia, Ukraine and Belarus as the shipped polygons draw them; give its admin1",
                row.lat, row.lon
            )
        })?;
        let nearest = self.near.nearest(&self.gaz.places, row.lat, row.lon, ADMIN1_NEAREST_KM, |p| {
            p.country == country && !p.admin1.is_empty()
        });
        let code = match nearest {
            Some((i, _)) => self.gaz.places[i as usize].admin1.clone(),
            None => {
                notes.push(format!(
                    "no admin1 given and no place of the gazetteer within {ADMIN1_NEAREST_KM} km: the place has no \
                     region, so no --region keeps it"
                ));
                CompactString::default()
            }
        };
        Ok(Admin1 { country: country.into(), code })
    }

    /// The district of the nearest place of the same region, when that place is close enough.
    fn nearest_admin2(&self, row: &PlaceRow, admin1: &Admin1) -> CompactString {
        if admin1.code.is_empty() {
            return CompactString::default();
        }
        let same = |p: &Place| p.country == admin1.country && p.admin1 == admin1.code;
        self.near
            .nearest(&self.gaz.places, row.lat, row.lon, ADMIN2_NEAREST_KM, same)
            .map(|(i, _)| self.gaz.places[i as usize].admin2.clone())
            .unwrap_or_default()
    }

    /// A note when a gazetteer place has one of the row's names within [`DUPLICATE_KM`].
    fn duplicate(&self, row: &PlaceRow) -> Option<String> {
        let names = std::iter::once(&row.name).chain(&row.alternate_names);
        for name in names {
            let key = crate::names::key(name);
            // A binary search, not `names_with_key`: that may build its table over the index being changed.
            let entries = &self.gaz.names;
            let lo = entries.partition_point(|e| e.key.as_str() < key.as_str());
            for e in entries[lo..].iter().take_while(|e| e.key == key) {
                let p = &self.gaz.places[e.place as usize];
                let km = great_circle_km(row.lat, row.lon, p.lat, p.lon);
                if km <= DUPLICATE_KM {
                    return Some(format!(
                        "the gazetteer has {} (geonameid {}) under the name {name:?} {km:.1} km away; added all the \
                         same (your point may correct it)",
                        p.name, p.geonameid
                    ));
                }
            }
        }
        None
    }
}

/// Mean Earth radius (km) of the points in [`NearIndex`], the one [`great_circle_km`] uses.
const EARTH_RADIUS_KM: f64 = 6371.0;

/// The gazetteer's places on an R-tree, for the nearest place that meets a condition.
struct NearIndex {
    /// Points on a sphere of [`EARTH_RADIUS_KM`] (km), with their place's index.
    tree: RTree<GeomWithData<[f64; 3], u32>>,
}

/// A point on the sphere of [`EARTH_RADIUS_KM`]: chord distances between such points grow with the
/// great-circle distance, so the R-tree's nearest by chord is the nearest by great circle.
fn on_sphere(lat: f64, lon: f64) -> [f64; 3] {
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    [EARTH_RADIUS_KM * cp * cl, EARTH_RADIUS_KM * cp * sl, EARTH_RADIUS_KM * sp]
}

impl NearIndex {
    /// The places with points of their own (a village placed at its district's seat tells nothing of where
    /// its neighbours are).
    fn new(places: &[Place]) -> NearIndex {
        let points = places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.precision == PointPrecision::Exact)
            .map(|(i, p)| GeomWithData::new(on_sphere(p.lat, p.lon), i as u32));
        NearIndex { tree: RTree::bulk_load(points.collect()) }
    }

    /// The nearest of `places` (those indexed) that `keep` accepts, within `max_km` of the point: its index
    /// and great-circle distance (km).
    fn nearest(
        &self,
        places: &[Place],
        lat: f64,
        lon: f64,
        max_km: f64,
        keep: impl Fn(&Place) -> bool,
    ) -> Option<(u32, f64)> {
        for (point, chord2) in self.tree.nearest_neighbor_iter_with_distance_2(on_sphere(lat, lon)) {
            // A chord is never longer than its arc: past `max_km` of chord, every arc is too.
            if chord2.sqrt() > max_km {
                return None;
            }
            let p = &places[point.data as usize];
            if keep(p) {
                let km = great_circle_km(lat, lon, p.lat, p.lon);
                return (km <= max_km).then_some((point.data, km));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: u64, name: &str, lat: f64, lon: f64, admin1: Option<&str>) -> PlaceRow {
        PlaceRow {
            line,
            name: name.into(),
            lat,
            lon,
            admin1: admin1.map(str::to_string),
            alternate_names: Vec::new(),
            source: None,
        }
    }

    /// The nearest place found through the R-tree is the one a scan of every place finds.
    #[test]
    fn near_index_agrees_with_a_scan() {
        let gaz = Gazetteer::embedded().unwrap();
        let near = NearIndex::new(&gaz.places);
        for (lat, lon) in [(51.19111, 35.25194), (50.31333, 36.32222), (45.0, 34.0), (55.75, 37.62), (60.0, 100.0)] {
            let keep = |p: &Place| p.country == "RU" && p.feature_code == "PPL" && p.precision == PointPrecision::Exact;
            let scan = gaz
                .places
                .iter()
                .enumerate()
                .filter(|(_, p)| keep(p))
                .map(|(i, p)| (i as u32, great_circle_km(lat, lon, p.lat, p.lon)))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            assert_eq!(near.nearest(&gaz.places, lat, lon, f64::INFINITY, keep), scan, "({lat}, {lon})");
            let within = scan.filter(|s| s.1 <= 30.0);
            assert_eq!(near.nearest(&gaz.places, lat, lon, 30.0, keep), within, "({lat}, {lon}) within 30 km");
        }
    }

    /// Ids count up from USER_ID_BASE over the rows kept; the places, their names and measurements join.
    #[test]
    fn kept_rows_join_with_ids_names_and_measurements() {
        let mut gaz = Gazetteer::embedded().unwrap();
        let before = gaz.places.len();
        let rows = [
            row(2, "Гончаровка", 51.19111, 35.25194, Some("Kursk region")),
            row(3, "Nowhere", 36.3, 50.3, None), // swapped
            row(4, "Журавлёвка", 50.31333, 36.32222, None),
        ];
        let report = join_rows(&mut gaz, &rows);
        assert_eq!(report.added, 2);
        assert_eq!(report.skipped.iter().map(|n| n.line).collect::<Vec<_>>(), [3]);
        let ids: Vec<u32> = gaz.places[before..].iter().map(|p| p.geonameid).collect();
        assert_eq!(ids, [USER_ID_BASE, USER_ID_BASE + 1]);
        assert!(gaz.names.windows(2).all(|w| (&w[0].key, w[0].place) <= (&w[1].key, w[1].place)));
        let border = BorderIndex::new(&gaz.boundaries);
        for i in before..gaz.places.len() {
            let p = &gaz.places[i];
            assert_eq!(border.stored(&gaz.place_measures, i), Some(border.measure(p.lat, p.lon).ok()));
        }
    }
}
