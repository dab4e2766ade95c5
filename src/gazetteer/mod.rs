//! The gazetteer: GeoNames populated places, their regions, a name index and the boundary geometry,
//! built once from public files ([`build`](crate::build)) into a compact binary ([`format`](mod@format)) that the binary embeds.
//!
//! ```
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let belgorod = gaz.places.iter().find(|p| p.geonameid == 578072).unwrap();
//! assert_eq!(gaz.admin1_name(belgorod), Some("Belgorod Oblast"));
//! ```

pub mod format;
pub mod index;
pub mod measures;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use compact_str::CompactString;
use geo::CoordsIter;
use serde::{Deserialize, Serialize};

pub use format::Manifest;

use index::KeyTable;
pub use measures::{LatLon, PlaceMeasures, StoredMeasure};

/// The gazetteer compiled into the binary (built from `gazetteer/` in the source tree).
pub static EMBEDDED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/gazetteer/gazetteer.bin"));

/// File name of the binary gazetteer inside a gazetteer directory.
pub const DATA_FILE: &str = "gazetteer.bin";
/// File name of the human-readable manifest inside a gazetteer directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Errors from loading or building a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("gazetteer directory {0} does not exist")]
    MissingDir(PathBuf),
    #[error("gazetteer directory {dir} has no {file}: build one with `incimap gazetteer build`")]
    MissingFile { dir: PathBuf, file: &'static str },
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{what} is not a valid incimap gazetteer: {why}")]
    Corrupt { what: String, why: String },
    #[error("{file}:{line}: {why}")]
    BadRow { file: String, line: u64, why: String },
    #[error("{0}")]
    Invalid(String),
}

/// A populated place (GeoNames feature class P).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Place {
    pub geonameid: u32,
    /// GeoNames' primary name (may carry diacritics or apostrophes: `Ryl’sk`).
    pub name: CompactString,
    pub lat: f64,
    pub lon: f64,
    /// GeoNames feature code: `PPLC`, `PPLA`, `PPLA2`, `PPL`, ...
    pub feature_code: CompactString,
    /// ISO 3166 alpha-2 country code.
    pub country: CompactString,
    /// Raw GeoNames admin1 code (`09`); the full form is `country.admin1`.
    pub admin1: CompactString,
    /// Raw GeoNames admin2 code.
    pub admin2: CompactString,
    pub population: u64,
    /// Where the place came from.
    pub source: PlaceSource,
    /// What its point stands for.
    pub precision: PointPrecision,
}

impl Place {
    /// Admin1 code in GeoNames' `CC.code` form (`RU.09`), or empty when unknown.
    pub fn admin1_code(&self) -> String {
        self.admin1_code_inline().into_string()
    }
    /// [`Place::admin1_code`] as an inline string: no allocation (codes are a few bytes).
    pub fn admin1_code_inline(&self) -> CompactString {
        if self.admin1.is_empty() { CompactString::default() } else { join_codes(&[&self.country, &self.admin1]) }
    }
    /// Is the place in the admin1 region `code` (`RU.09`)? Compares in place, without building the code.
    ///
    /// ```
    /// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    /// let belgorod = gaz.places.iter().find(|p| p.geonameid == 578072).unwrap();
    /// assert!(belgorod.in_admin1("RU.09") && !belgorod.in_admin1("RU.0") && !belgorod.in_admin1("UA.09"));
    /// ```
    pub fn in_admin1(&self, code: &str) -> bool {
        code.split_once('.').is_some_and(|(cc, a1)| !a1.is_empty() && *self.country == *cc && *self.admin1 == *a1)
    }
    /// Admin2 code in `CC.admin1.admin2` form, or empty when unknown.
    pub fn admin2_code(&self) -> String {
        if self.admin1.is_empty() || self.admin2.is_empty() {
            String::new()
        } else {
            join_codes(&[&self.country, &self.admin1, &self.admin2]).into_string()
        }
    }
}

/// Where a place came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceSource {
    /// GeoNames' main gazetteer (cities500 or a country dump): the id is GeoNames' own.
    #[default]
    Geonames,
    /// GeoNames' postal-code places (`build::postal`): the id is incimap's, from [`OWN_ID_BASE`] up.
    Postal,
    /// The user's own places file (`--places`, `build::places_file`): the id is incimap's, from
    /// [`USER_ID_BASE`] up.
    User,
}

impl PlaceSource {
    /// The word used in outputs and manifests: `geonames`, `postal`, `user`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceSource::Geonames => "geonames",
            PlaceSource::Postal => "postal",
            PlaceSource::User => "user",
        }
    }
}

/// What a place's point stands for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointPrecision {
    /// The settlement's own point.
    #[default]
    Exact,
    /// The settlement is known to lie in its district, but its own point could not be trusted: the point
    /// is the district's seat.
    District,
}

impl PointPrecision {
    /// The word used in outputs: `exact`, `district`.
    pub fn as_str(self) -> &'static str {
        match self {
            PointPrecision::Exact => "exact",
            PointPrecision::District => "district",
        }
    }
}

/// Ids of places that GeoNames gives no id of its own (postal-code places, the user's places) start here,
/// clear of GeoNames' ids (about 13 million in 2026).
pub const OWN_ID_BASE: u32 = 0xC000_0000;

/// Ids of the user's own places (`--places`) start here, clear of the postal-code places' ids above
/// [`OWN_ID_BASE`] (some ten thousand), so that the two never meet.
pub const USER_ID_BASE: u32 = OWN_ID_BASE + 0x1000_0000;

/// Great-circle distance in km between two points (spherical Earth, radius 6,371 km): for telling a
/// settlement from its namesakes, not for the border distances, which are geodesic.
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (la1, lo1, la2, lo2) = (lat1.to_radians(), lon1.to_radians(), lat2.to_radians(), lon2.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// `parts` joined with dots, inline when short (GeoNames codes are): the geoparser builds a code for every
/// place object, and `format!` into a `String` costs several times as much.
fn join_codes(parts: &[&str]) -> CompactString {
    let mut s = CompactString::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push('.');
        }
        s.push_str(p);
    }
    s
}

/// A first- (oblast, krai, republic) or second-level (district) administrative division.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Region {
    /// `RU.09` for admin1, `RU.09.1234` for admin2.
    pub code: String,
    pub name: String,
    pub ascii_name: String,
    pub geonameid: u32,
    /// Alternate names from the full GeoNames dumps when available (Latin and Cyrillic only).
    pub alt_names: Vec<String>,
    /// Index into [`Gazetteer::places`] of the administrative centre, when the gazetteer holds it.
    pub seat: Option<u32>,
}

/// How a name in the index relates to its place.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// GeoNames' primary name.
    Primary,
    /// GeoNames' ASCII name.
    Ascii,
    /// One of GeoNames' alternate names.
    Alternate,
}

/// One entry of the name index: a normalised key (see [`crate::names::key`]) pointing at a place.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NameEntry {
    pub key: CompactString,
    /// Index into [`Gazetteer::places`].
    pub place: u32,
    pub kind: NameKind,
}

/// Country and boundary geometry, lon/lat WGS84.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Boundaries {
    /// Ukraine's internationally recognised territory, Crimea included.
    pub ukraine: geo::MultiPolygon<f64>,
    /// Russia (western part).
    pub russia: geo::MultiPolygon<f64>,
    pub belarus: geo::MultiPolygon<f64>,
    /// The Russia–Ukraine land border, derived from the two polygons (by `border::derive`).
    pub land_border: geo::MultiLineString<f64>,
    /// The distance bands at the default edges (`layers::bands::DEFAULT_EDGES_KM`), built with the gazetteer so that
    /// `map` need not spend about 1.3 s of CPU on them every run; empty when there is no border to buffer.
    pub default_bands: Vec<Band>,
}

impl Boundaries {
    /// Check that every coordinate is a WGS84 longitude/latitude (finite, |lon| ≤ 180, |lat| ≤ 90) and every
    /// band's edges are finite: the geometry engines size their grids from these coordinates, so one stray
    /// value (a longitude of 4294967295) would cost minutes and gigabytes, or overflow. Names the first bad
    /// coordinate.
    pub fn check_coordinates(&self) -> Result<(), String> {
        let polygons = [("Ukraine", &self.ukraine), ("Russia", &self.russia), ("Belarus", &self.belarus)];
        for (what, area) in polygons {
            check_lon_lat(what, area.coords_iter())?;
        }
        check_lon_lat("the land border", self.land_border.coords_iter())?;
        for band in &self.default_bands {
            if !(band.from_km.is_finite() && band.to_km.is_finite()) {
                return Err(format!("a distance band runs from {} to {} km", band.from_km, band.to_km));
            }
            check_lon_lat(&format!("the band {}", band.label()), band.area.coords_iter())?;
        }
        Ok(())
    }
}

/// The first of `coords` that is not a WGS84 longitude/latitude, as an error about `what`.
pub(crate) fn check_lon_lat(what: &str, mut coords: impl Iterator<Item = geo::Coord<f64>>) -> Result<(), String> {
    match coords.find(|c| !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0)) {
        Some(c) => {
            Err(format!("{what} has a point at longitude {:?}, latitude {:?}: not a WGS84 coordinate", c.x, c.y))
        }
        None => Ok(()),
    }
}

/// One band: the land and sea outside Ukraine between `from_km` and `to_km` of the border (the map layers draw
/// its part on Russian land, `layers::bands::clip_to_land`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub from_km: f64,
    pub to_km: f64,
    /// lon/lat WGS84, exterior rings counter-clockwise, holes clockwise (RFC 7946).
    pub area: geo::MultiPolygon<f64>,
}

impl Band {
    /// `0–10 km`.
    pub fn label(&self) -> String {
        format!("{}–{} km", trim_km(self.from_km), trim_km(self.to_km))
    }
}

fn trim_km(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A loaded gazetteer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gazetteer {
    pub manifest: Manifest,
    pub places: Vec<Place>,
    /// Admin1 regions sorted by code.
    pub admin1: Vec<Region>,
    /// Admin2 regions sorted by code.
    pub admin2: Vec<Region>,
    /// Name index sorted by key, then place.
    pub names: Vec<NameEntry>,
    pub boundaries: Boundaries,
    /// Every place's border measurement against `boundaries`, taken when the gazetteer was built (empty
    /// for a gazetteer without a land border).
    #[serde(skip)]
    pub place_measures: PlaceMeasures,
    /// A hash table over `names`, built once the gazetteer is looked up often (see
    /// [`Gazetteer::names_with_key`]); not stored, and never to be built before `names` is final.
    #[serde(skip)]
    pub(crate) key_index: KeyIndex,
}

/// The lazily built [`KeyTable`] of a gazetteer's name index. A one-shot lookup (`incimap resolve
/// Belgorod`) is faster with a binary search than with building a table over every key; a geoparser
/// looks up thousands of names, and a binary search over the million heap strings of the name index costs
/// it about twenty cache-missing comparisons per name where the table costs one hash and one comparison.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex {
    table: OnceLock<KeyTable>,
    /// Lookups so far, up to [`KeyIndex::BUILD_AFTER`].
    uses: AtomicU32,
}

impl KeyIndex {
    /// Lookups by binary search before the table is built.
    const BUILD_AFTER: u32 = 200;
}

/// A clone starts without a table: the clone's name index may be changed before it is first looked up.
impl Clone for KeyIndex {
    fn clone(&self) -> Self {
        KeyIndex::default()
    }
}

impl Gazetteer {
    /// The gazetteer embedded in the binary.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        format::decode(EMBEDDED, "the embedded gazetteer")
    }

    /// Load a gazetteer directory written by `incimap gazetteer build` or `refresh`.
    pub fn open(dir: &Path) -> Result<Gazetteer, GazetteerError> {
        if !dir.is_dir() {
            return Err(GazetteerError::MissingDir(dir.to_path_buf()));
        }
        let path = dir.join(DATA_FILE);
        if !path.is_file() {
            return Err(GazetteerError::MissingFile { dir: dir.to_path_buf(), file: DATA_FILE });
        }
        let io = |source| GazetteerError::Io { path: path.clone(), source };
        let file = std::fs::File::open(&path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        // Streamed, not read whole: a full-size gazetteer is 30 MB that need not be in memory twice.
        format::decode_from(file, len, &path.display().to_string())
    }

    /// The admin1 region with GeoNames code `code` (`RU.09`).
    pub fn admin1_by_code(&self, code: &str) -> Option<&Region> {
        self.admin1.binary_search_by(|r| r.code.as_str().cmp(code)).ok().map(|i| &self.admin1[i])
    }

    /// The admin2 region with code `code` (`RU.09.1234`).
    pub fn admin2_by_code(&self, code: &str) -> Option<&Region> {
        self.admin2.binary_search_by(|r| r.code.as_str().cmp(code)).ok().map(|i| &self.admin2[i])
    }

    /// English name of a place's admin1 region (`Belgorod Oblast`).
    pub fn admin1_name(&self, place: &Place) -> Option<&str> {
        self.admin1_by_code(&place.admin1_code()).map(|r| r.name.as_str())
    }

    /// Name-index entries whose key equals `key` exactly: by binary search for the first 200
    /// lookups (a one-shot lookup is faster so), then through a hash table over the keys built once.
    pub fn names_with_key(&self, key: &str) -> &[NameEntry] {
        let idx = &self.key_index;
        if let Some(table) = idx.table.get() {
            return table.get(&self.names, key);
        }
        if idx.uses.fetch_add(1, Ordering::Relaxed) < KeyIndex::BUILD_AFTER {
            return self.names_by_search(key);
        }
        idx.table.get_or_init(|| KeyTable::build(&self.names)).get(&self.names, key)
    }

    /// Append `places` (made after loading: the user's own) with their alternate names (one list per place)
    /// and their border measurements (`measures`, rows for these places only): their names join the sorted
    /// name index, their measurements the stored ones when both were measured against the same boundaries
    /// (else the places are measured when used). Returns the index of the first appended place.
    ///
    /// The name index's hash table is dropped, to be built again over the new index on use; a
    /// [`Resolver`](crate::resolve::Resolver) made before keeps its own tables, so make resolvers after.
    pub fn append_places(&mut self, places: Vec<Place>, alt_names: &[Vec<String>], measures: PlaceMeasures) -> usize {
        let first = self.places.len();
        let mut entries = index::name_entries(&places, alt_names);
        for e in &mut entries {
            e.place += first as u32;
        }
        self.names = index::merge_entries(std::mem::take(&mut self.names), entries);
        self.places.extend(places);
        self.place_measures.append(first, measures);
        self.key_index = KeyIndex::default();
        first
    }

    /// [`Gazetteer::names_with_key`] by binary search over the sorted name index.
    /// Name-index entries whose key starts with `prefix` (the index is sorted by key), by binary search.
    pub fn names_with_prefix(&self, prefix: &str) -> &[NameEntry] {
        let lo = self.names.partition_point(|e| e.key.as_str() < prefix);
        let hi = lo + self.names[lo..].partition_point(|e| e.key.starts_with(prefix));
        &self.names[lo..hi]
    }

    fn names_by_search(&self, key: &str) -> &[NameEntry] {
        let lo = self.names.partition_point(|e| e.key.as_str() < key);
        let hi = lo + self.names[lo..].partition_point(|e| e.key.as_str() == key);
        &self.names[lo..hi]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `names_with_key` answers like the binary search it starts with, before and after it builds its table:
    /// over every key of the embedded gazetteer (runs found by a linear pass over the sorted index).
    #[test]
    fn names_with_key_agrees_with_binary_search() {
        let gaz = Gazetteer::embedded().unwrap();
        let names = &gaz.names;
        let mut lookups = 0;
        let mut i = 0;
        while i < names.len() {
            let j = i + names[i..].iter().take_while(|e| e.key == names[i].key).count();
            let key = &names[i].key;
            assert_eq!(gaz.names_by_search(key), &names[i..j], "key {key:?}");
            assert_eq!(gaz.names_with_key(key), &names[i..j], "key {key:?} after {lookups} lookups");
            lookups += 1;
            i = j;
        }
        assert!(lookups > KeyIndex::BUILD_AFTER as usize && gaz.key_index.table.get().is_some());
        for absent in ["no such key at all", "", "belgorodx", "belgoro"] {
            assert!(gaz.names_with_key(absent).is_empty() && gaz.names_by_search(absent).is_empty());
        }
    }
}
