//! Resolving a place name to GeoNames places: candidates from the name index, ranked by region hint,
//! feature code, population and match quality, with honest ambiguity.
//!
//! Matching goes in tiers, each tried only when the earlier ones found nothing inside the hinted
//! region: the name's [`key`](crate::names::key) (primary, ASCII and alternate names), then the base
//! forms of an inflected word ([`lemma_keys`](crate::names::lemma_keys): Белгороде → Белгород), then the
//! Russian spellings of a Russian village written the Ukrainian way
//! ([`russian_spellings`](crate::names::russian_spellings): Безсонівка → Бессоновка; Russian places only),
//! then keys one edit away (a typo; keys of at least [`fuzzy::MIN_FUZZY_LEN`] letters).
//!
//! A region or country hint is a hard filter on `best`: a place outside it may be listed among the
//! candidates (after those inside) but is never chosen. Region phrases inside the name are understood
//! too: "Petropavlovka, Voronezh region", "Петропавловка Воронежской области", "в Белгороде".
//!
//! ```
//! use incimap::resolve::{Query, Resolver, Status};
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let resolver = Resolver::new(&gaz);
//! let r = resolver.resolve(&Query::new("Грайворон"));
//! assert_eq!(r.status, Status::Resolved);
//! assert_eq!(r.best.unwrap().geonameid, 559034);
//! // Sudzha lies in Kursk Oblast only: asked in Voronezh Oblast, nothing is chosen; Kursk's is listed.
//! let mut q = Query::new("Sudzha");
//! q.region = Some("Voronezh region".into());
//! let r = resolver.resolve(&q);
//! assert_eq!(r.status, Status::NotFound);
//! assert!(r.candidates.iter().any(|c| c.admin1 == "RU.41"));
//! ```

pub mod fuzzy;
mod region;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use compact_str::CompactString;
use serde::Serialize;

use crate::gazetteer::{Gazetteer, Place, PlaceSource, PointPrecision};
use crate::names;

use fuzzy::FuzzyIndex;
use region::{DistrictCentres, RegionIndex, RegionRef, lexicon};
pub use region::{
    DivisionWord, DivisionWordKind, district_form, district_named_after, division_word, is_colloquial_region_name,
    is_region_adjective, one_word_alias, seat_district_forms,
};

/// Longest name (in characters) the resolver looks at; longer input is refused as not a place name.
pub const MAX_NAME_CHARS: usize = 200;

/// Two candidates whose scores differ by less than this are too close to call (`ambiguous`).
pub const AMBIGUITY_MARGIN: f64 = 0.01;

/// Rivals nearer than this (km) to the best candidate are the same settlement (a city and its
/// quarter), not a different place, and never make a resolution ambiguous.
const SAME_PLACE_KM: f64 = 15.0;

/// A place of at least this population, or a seat of a region or district, is a town of its own standing:
/// another place's alternate name that is its own name is suspect (GeoNames lists a misspelling of
/// Novorossiysk among Krasnodar's names), while a hamlet that shares a city's old name (a village Gorlovka
/// beside Horlivka's Russian name) does not make it so.
pub const TOWN_POPULATION: u64 = 10_000;
/// Places of at least this population are cities, of another kind than towns and villages.
pub const CITY_POPULATION: u64 = 100_000;

/// How far (km) a village may lie from the seat of its district: the largest districts of the border oblasts
/// are about 80 km across.
pub const DISTRICT_REACH_KM: f64 = 60.0;

/// A place without a GeoNames district code counts as inside a district hint when it lies within this
/// distance (km) of the district's centre ...
pub const DISTRICT_NEAR_KM: f64 = 12.0;
/// ... or when that centre is the nearest district centre of its oblast and within this distance (km).
pub const DISTRICT_RADIUS_KM: f64 = 50.0;

/// A query: a name and optional hints.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub name: String,
    /// Free-text region hint ("Voronezh region", "Курской области"); a hard filter on `best`.
    pub region: Option<String>,
    /// ISO alpha-2 country code; a hard filter on `best`.
    pub country: Option<String>,
    /// How many candidates to return at most.
    pub limit: usize,
}

impl Query {
    /// A query for `name` with no hints and the default candidate limit.
    pub fn new(name: &str) -> Self {
        Query { name: name.to_string(), region: None, country: None, limit: 5 }
    }
}

/// Outcome of a resolution.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Resolved,
    Ambiguous,
    NotFound,
}

impl Status {
    /// The status as the contract writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Resolved => "resolved",
            Status::Ambiguous => "ambiguous",
            Status::NotFound => "not_found",
        }
    }

    /// The status written `s` (as [`Status::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Resolved, Status::Ambiguous, Status::NotFound].into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// A resolved place as it appears in every output (the contract's `Place` object).
#[derive(Debug, Clone, Serialize, PartialEq)]
///
/// The strings are inline strings: most fit in the struct itself, so building a place object (the
/// geoparser builds one for every place it locates) allocates nothing for them.
pub struct Candidate {
    pub geonameid: u32,
    pub name: CompactString,
    pub country: CompactString,
    pub admin1: CompactString,
    pub admin1_name: CompactString,
    pub feature_code: CompactString,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
    pub score: f64,
    /// Where the place came from: `geonames`, `postal` (GeoNames' postal-code places) or `user`.
    pub source: PlaceSource,
    /// `exact`, or `district` when the point is the seat of the district the place is known to lie in.
    #[serde(rename = "point_precision")]
    pub precision: PointPrecision,
    /// Index into the gazetteer's places.
    #[serde(skip)]
    pub place_index: u32,
}

/// The answer to one [`Query`].
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub query: String,
    pub status: Status,
    pub best: Option<Candidate>,
    /// Ranked: places inside the hinted region (or country) first, then the others; `best` is the
    /// first when there is one.
    pub candidates: Vec<Candidate>,
    /// Why the best candidate won, or why nothing did.
    pub reason: String,
}

/// A region named in text ("Voronezh region", "Курской области", "Borovsky district", "LPR").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionHint {
    /// 1 for admin1 (oblast, krai, republic), 2 for admin2 (district).
    pub level: u8,
    /// GeoNames code: `RU.86` for admin1, `RU.25.1234` for admin2.
    pub code: String,
    /// The region's English name (`Voronezh Oblast`).
    pub name: String,
    /// Index into the gazetteer's places of the administrative centre, when known.
    pub seat: Option<u32>,
}

impl RegionHint {
    /// The admin1 code of the region: `RU.09` for `RU.09` and for a district `RU.09.1234`.
    ///
    /// ```
    /// let hint = incimap::resolve::RegionHint { level: 2, code: "RU.09.1234".into(), name: String::new(), seat: None };
    /// assert_eq!(hint.admin1(), "RU.09");
    /// assert_eq!(hint.admin2(), Some("RU.09.1234"));
    /// ```
    pub fn admin1(&self) -> &str {
        match self.code.match_indices('.').nth(1) {
            Some((at, _)) => &self.code[..at],
            None => &self.code,
        }
    }

    /// The admin2 code, for a district that the gazetteer's divisions hold.
    pub fn admin2(&self) -> Option<&str> {
        (self.code.matches('.').count() == 2).then_some(self.code.as_str())
    }
}

/// Why a candidate matched the name, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MatchKind {
    /// The key of GeoNames' primary (or ASCII) name.
    Primary,
    /// The key of one of GeoNames' alternate names.
    Alternate,
    /// An alternate name that is also the own name of a town of its own standing (see [`TOWN_POPULATION`]).
    SuspectAlternate,
    /// A base form of an inflected word (Белгороде → Белгород).
    Inflected,
    /// The Russian spelling of a Russian place written the Ukrainian way (Безсонівка → Бессоновка).
    Respelt,
    /// One edit away from a known key.
    Fuzzy,
    /// The same consonants as a Ukrainian place's name: the Russian spelling of a Ukrainian village
    /// (Svetlichnoye for Svitlychne), a last resort.
    Skeleton,
    /// The query named a region; the place is its administrative centre.
    RegionSeat,
}

impl MatchKind {
    fn quality(self) -> f64 {
        match self {
            MatchKind::Primary => 1.0,
            MatchKind::Alternate => 0.95,
            MatchKind::SuspectAlternate => 0.85,
            MatchKind::Inflected => 0.88,
            MatchKind::Respelt => 0.8,
            MatchKind::Fuzzy => 0.72,
            MatchKind::Skeleton => 0.66,
            MatchKind::RegionSeat => 0.6,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            MatchKind::Primary => "exact name",
            MatchKind::Alternate => "alternate name (GeoNames)",
            MatchKind::SuspectAlternate => "alternate name (GeoNames) that is another town's own name",
            MatchKind::Inflected => "base form of an inflected word",
            MatchKind::Respelt => "Russian spelling of a Ukrainian form (-івка → -овка, без- → бес-)",
            MatchKind::Fuzzy => "one letter off a known name",
            MatchKind::Skeleton => "the consonants of a Ukrainian name (a Russian spelling of it?)",
            MatchKind::RegionSeat => "administrative centre of the region named",
        }
    }
}

/// Weight of a GeoNames feature code in ranking: capital > regional seat > district seat > town.
fn feature_weight(code: &str) -> f64 {
    match code {
        "PPLC" => 1.0,
        "PPLA" => 0.85,
        "PPLA2" => 0.7,
        "PPLA3" | "PPLA4" | "PPLA5" => 0.55,
        "PPL" | "PPLG" => 0.45,
        "PPLF" | "PPLL" | "PPLR" | "PPLS" => 0.35,
        "PPLX" => 0.25,
        _ => 0.1, // PPLH historical, PPLQ abandoned, PPLW destroyed, PPLCH ...
    }
}

/// Whether the town key `town` may give the district form `form`, before its forms are worked out: the form
/// starts with the town's first word less at most its last three letters (Shostka → shost·kinsk, Lozova →
/// loz·ivsk, Krasnaya Yaruga → krasn·oiaruzhsk).
fn may_name_district(town: &str, form: &str) -> bool {
    let head = town.split(' ').next().unwrap_or(town);
    let n = head.len().saturating_sub(3).max(DISTRICT_TOWN_PREFIX).min(head.len());
    head.get(..n).is_some_and(|h| form.starts_with(h))
}

/// How many first letters (of keys, ASCII) a district's form shares with the town it is named after: three
/// (Lozova, Lozivskyi; Krasnaya Yaruga, Krasnoyaruzhsky).
const DISTRICT_TOWN_PREFIX: usize = 3;

/// Whether two namesakes are one village known twice: once by the gazetteer only by its district (placed at
/// the district's seat) and once in the user's own places, with a point in the same oblast within
/// [`DISTRICT_REACH_KM`] of that seat. (Two such namesakes from the gazetteer's own sources are two villages:
/// the build gives a village its district's point only when no trusted point of its name was kept there.)
fn same_village(a: &Place, b: &Place) -> bool {
    use crate::gazetteer::PlaceSource::User;
    a.precision != b.precision
        && (a.source == User) != (b.source == User)
        && a.country == b.country
        && a.admin1 == b.admin1
        && distance_km(a, b) <= DISTRICT_REACH_KM
}

/// The places of ranked `hits` for callers that rank places themselves (at most `limit`): without those found
/// only by a suspect alternate name, which a caller's own prior (a regional capital's prominence) could
/// otherwise put back above the town whose own name it is.
fn ranked_places(hits: &[Hit], limit: usize) -> Vec<u32> {
    hits.iter().filter(|h| h.kind != MatchKind::SuspectAlternate).take(limit.max(1)).map(|h| h.place).collect()
}

/// Whether some place of `entries` (the entries of one key) bears the key as its own name and is a town of its
/// own standing: then another place that bears it only as an alternate name is suspect.
fn is_a_towns_name(gaz: &Gazetteer, entries: &[crate::gazetteer::NameEntry]) -> bool {
    entries.iter().any(|e| e.kind != crate::gazetteer::NameKind::Alternate && is_town(&gaz.places[e.place as usize]))
}

/// Whether some place of `entries` (the entries of one key) bears the key only as a suspect alternate name:
/// [`places_named`] then leaves it out. Cheap: most keys are no town's name.
pub fn has_suspect_alternates(gaz: &Gazetteer, entries: &[crate::gazetteer::NameEntry]) -> bool {
    is_a_towns_name(gaz, entries)
        && entries.iter().any(|e| e.kind == crate::gazetteer::NameKind::Alternate && !has_own_name(entries, e.place))
}

/// Whether place `place` bears the key of `entries` as its own (primary or ASCII) name.
fn has_own_name(entries: &[crate::gazetteer::NameEntry], place: u32) -> bool {
    entries.iter().any(|o| o.place == place && o.kind != crate::gazetteer::NameKind::Alternate)
}

/// The places `entries` (the entries of one key) name, without those that bear the key only as a suspect
/// alternate name (another town's own name: see [`TOWN_POPULATION`]); for callers that rank places
/// themselves, as the resolver ranks them.
///
/// ```
/// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
/// let key = incimap::names::key("Novorossiysk");
/// let places = incimap::resolve::places_named(&gaz, gaz.names_with_key(&key));
/// // 518255 Novorossiysk; not Krasnodar (542420), whose alternate names hold a misspelling of it
/// assert!(places.iter().any(|&p| gaz.places[p as usize].geonameid == 518255));
/// assert!(places.iter().all(|&p| gaz.places[p as usize].geonameid != 542420));
/// ```
pub fn places_named(gaz: &Gazetteer, entries: &[crate::gazetteer::NameEntry]) -> Vec<u32> {
    let suspect = is_a_towns_name(gaz, entries);
    let mut out: Vec<u32> =
        entries.iter().filter(|e| !suspect || has_own_name(entries, e.place)).map(|e| e.place).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether a place is a town of its own standing ([`TOWN_POPULATION`], or a seat).
fn is_town(p: &Place) -> bool {
    p.population >= TOWN_POPULATION || matches!(&*p.feature_code, "PPLC" | "PPLA" | "PPLA2")
}

/// The kind of place a name means, for telling namesakes apart: its standing (capital or regional centre,
/// district seat, any other settlement) and its size (city, town, village or unknown).
fn place_kind(p: &Place) -> (u8, u8) {
    let standing = match &*p.feature_code {
        "PPLC" | "PPLA" => 2,
        "PPLA2" => 1,
        _ => 0,
    };
    let size = if p.population >= CITY_POPULATION {
        2
    } else if p.population >= TOWN_POPULATION {
        1
    } else {
        0
    };
    (standing, size)
}

/// Words for a feature code, for the human explanation.
fn feature_words(code: &str) -> &'static str {
    match code {
        "PPLC" => "national capital",
        "PPLA" => "regional capital",
        "PPLA2" => "district seat",
        "PPLA3" | "PPLA4" | "PPLA5" => "local seat",
        "PPL" => "town or village",
        "PPLX" => "section of a city",
        "PPLH" => "historical place",
        "PPLQ" => "abandoned place",
        "PPLW" => "destroyed place",
        "PPLF" => "farm village",
        _ => "populated place",
    }
}

/// How prominent a place is, in [0, 1]: half feature code, half population (log scale, 3 million = 1).
fn prominence(p: &Place) -> f64 {
    let pop = ((p.population as f64) + 1.0).log10() / 6.5;
    0.5 * feature_weight(&p.feature_code) + 0.5 * pop.min(1.0)
}

/// Score in [0, 1]: the name match's quality, tempered by the place's prominence.
fn score(p: &Place, kind: MatchKind) -> f64 {
    let s = kind.quality() * (0.75 + 0.25 * prominence(p));
    (s * 1000.0).round() / 1000.0
}

/// Great-circle distance in km (spherical; only used to tell a settlement from its namesakes).
fn distance_km(a: &Place, b: &Place) -> f64 {
    crate::gazetteer::great_circle_km(a.lat, a.lon, b.lat, b.lon)
}

/// "population 345,289", or what is known of it: GeoNames' postal-code places and the user's own carry none;
/// a village known only by its district says so.
fn population_words(p: &Place) -> String {
    let mut s = if p.population == 0 && p.source != PlaceSource::Geonames {
        format!("population not known ({} place)", p.source.as_str())
    } else {
        format!("population {}", thousands(p.population))
    };
    if p.precision == PointPrecision::District {
        s.push_str(", placed at its district's seat");
    }
    s
}

/// `345289` → `345,289`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a name cannot be resolved at all, before looking it up: empty, too long, control characters.
///
/// ```
/// assert!(incimap::resolve::check_name("Belgorod").is_ok());
/// assert!(incimap::resolve::check_name("  ").is_err());
/// assert!(incimap::resolve::check_name("Bel\u{7}gorod").is_err());
/// ```
pub fn check_name(name: &str) -> Result<(), String> {
    // Fast path for the usual short, clean name: no more bytes than the character limit (so no more
    // characters), and no byte that starts a control character (C0, DEL, or 0xC2 leading C1's UTF-8).
    if name.len() <= MAX_NAME_CHARS
        && !name.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2)
        && !name.trim().is_empty()
    {
        return Ok(());
    }
    if name.trim().is_empty() {
        return Err("empty name".into());
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!("name of {chars} characters: a place name has at most {MAX_NAME_CHARS}"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!("name contains the control character U+{:04X}", c as u32));
    }
    Ok(())
}

/// One place found for a query, before ranking.
#[derive(Debug, Clone, Copy)]
struct Hit {
    place: u32,
    kind: MatchKind,
    inside: bool,
    score: f64,
}

/// What [`Resolver::rank_query`] found: the ranked hits, the filter they were judged by and what the query
/// turned out to name.
struct Ranked<'q> {
    hits: Vec<Hit>,
    filter: Filter,
    /// The filter in words, for explanations (empty when the caller wants no explanation).
    filter_words: Vec<String>,
    /// The name without region phrases and leading prepositions.
    name_part: Cow<'q, str>,
    kind: RankedKind,
}

/// What a query named, as far as explaining its resolution goes.
enum RankedKind {
    /// A place (the usual case).
    Place,
    /// A place, with a region hint the gazetteer does not know: nothing is chosen.
    UnknownRegion(String),
    /// A whole region: its administrative centre stands for it.
    WholeRegion(Vec<RegionRef>),
}

/// The hard filter of a query: country and region hints (all must hold).
#[derive(Debug, Default)]
struct Filter {
    country: Option<String>,
    /// Each inner list is one hint: the place must lie in one of its regions.
    regions: Vec<Vec<RegionRef>>,
}

impl Filter {
    fn is_empty(&self) -> bool {
        self.country.is_none() && self.regions.is_empty()
    }
}

/// Resolves names against one gazetteer. Cheap to create; the region and fuzzy indexes are built at
/// first use and shared by later queries (the resolver is `Sync`).
pub struct Resolver<'g> {
    gaz: &'g Gazetteer,
    regions: OnceLock<RegionIndex>,
    districts: OnceLock<DistrictCentres>,
    fuzzy: OnceLock<FuzzyIndex>,
    /// Ukrainian places by the [`names::consonant_skeleton`] of their names, at first use.
    skeletons: OnceLock<HashMap<String, Vec<u32>>>,
    /// Per place: index of its admin1 region in the gazetteer, or `u16::MAX`.
    place_admin1: OnceLock<Vec<u16>>,
    /// Lookups so far: the hash tables above are built only once a resolver is used for many queries
    /// (a one-shot `incimap resolve Belgorod` is faster with binary searches).
    uses: std::sync::atomic::AtomicU32,
    countries: OnceLock<HashSet<String>>,
    /// [`Resolver::town_of_district`]'s candidate towns by "phrase␟admin1": working out the forms of the
    /// candidate towns' names is costly, and a long input names the same districts again and again.
    district_towns: std::sync::Mutex<HashMap<String, std::sync::Arc<[u32]>>>,
    /// Place indexes by GeoNames id (incimap's own for postal and user places), at first use.
    by_geonameid: OnceLock<HashMap<u32, u32>>,
}

/// Bound on [`Resolver::town_of_district`]'s memo (cleared when exceeded).
const DISTRICT_TOWN_MEMO: usize = 10_000;

impl<'g> Resolver<'g> {
    /// A resolver over `gaz`.
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Resolver {
            gaz,
            regions: OnceLock::new(),
            districts: OnceLock::new(),
            fuzzy: OnceLock::new(),
            skeletons: OnceLock::new(),
            place_admin1: OnceLock::new(),
            uses: Default::default(),
            countries: OnceLock::new(),
            district_towns: Default::default(),
            by_geonameid: OnceLock::new(),
        }
    }

    /// The index of the place with this GeoNames id (as [`Candidate::geonameid`] gives it), if the gazetteer
    /// holds it: how a layer written by `incimap map` finds its places again.
    pub fn place_by_geonameid(&self, geonameid: u32) -> Option<u32> {
        let index = self
            .by_geonameid
            .get_or_init(|| self.gaz.places.iter().zip(0u32..).map(|(p, i)| (p.geonameid, i)).collect());
        index.get(&geonameid).copied()
    }

    /// The gazetteer this resolver reads.
    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.gaz
    }

    fn region_index(&self) -> &RegionIndex {
        self.regions.get_or_init(|| RegionIndex::build(self.gaz))
    }

    fn district_centres(&self) -> &DistrictCentres {
        self.districts.get_or_init(|| DistrictCentres::new(self.gaz))
    }

    /// Whether this resolver has been used enough for its lookup tables to pay off.
    fn warm(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        const WARM_AFTER: u32 = 200;
        self.uses.load(Relaxed) >= WARM_AFTER || self.uses.fetch_add(1, Relaxed) >= WARM_AFTER
    }

    fn fuzzy_index(&self) -> &FuzzyIndex {
        self.fuzzy.get_or_init(|| FuzzyIndex::build(&self.gaz.names))
    }

    /// English name of a place's admin1 region (table built at first use).
    fn place_admin1_name(&self, index: u32) -> Option<&'g str> {
        if !self.warm() {
            return self.gaz.places.get(index as usize).and_then(|p| self.admin1_name(p));
        }
        let table = self.place_admin1.get_or_init(|| {
            // Places come in runs of one region (postal villages by district): one search a run, not a place.
            let mut last: Option<(&str, &str, u16)> = None;
            self.gaz
                .places
                .iter()
                .map(|p| match last {
                    Some((cc, a1, i)) if *p.country == *cc && *p.admin1 == *a1 => i,
                    _ => {
                        let i = self.admin1_index(p).map(|i| i as u16).unwrap_or(u16::MAX);
                        last = Some((p.country.as_str(), p.admin1.as_str(), i));
                        i
                    }
                })
                .collect()
        });
        let i = *table.get(index as usize)?;
        self.gaz.admin1.get(i as usize).map(|r| r.name.as_str())
    }

    /// English name of a place's admin1 region.
    fn admin1_name(&self, p: &Place) -> Option<&'g str> {
        self.admin1_index(p).map(|i| self.gaz.admin1[i].name.as_str())
    }

    /// Position of a place's admin1 region in the gazetteer, found without building its `CC.code`.
    fn admin1_index(&self, p: &Place) -> Option<usize> {
        if p.admin1.is_empty() {
            return None;
        }
        let (cc, a1) = (p.country.as_bytes(), p.admin1.as_bytes());
        let cmp = |code: &str| {
            let c = code.as_bytes();
            let (head, tail) = c.split_at(c.len().min(cc.len()));
            head.cmp(cc).then_with(|| tail.first().cmp(&Some(&b'.'))).then_with(|| tail.get(1..).unwrap_or(&[]).cmp(a1))
        };
        self.gaz.admin1.binary_search_by(|r| cmp(&r.code)).ok()
    }

    /// Build the contract's place object for place `index` with `score`.
    pub fn candidate(&self, index: u32, score: f64) -> Candidate {
        let p: &Place = &self.gaz.places[index as usize];
        Candidate {
            geonameid: p.geonameid,
            name: p.name.clone(),
            country: p.country.clone(),
            admin1: p.admin1_code_inline(),
            admin1_name: self.place_admin1_name(index).unwrap_or("").into(),
            feature_code: p.feature_code.clone(),
            population: p.population,
            lat: p.lat,
            lon: p.lon,
            score,
            source: p.source,
            precision: p.precision,
            place_index: index,
        }
    }

    /// The administrative centre of a region, as [`Resolver::hint`] gives it, without its code and name.
    fn region_seat(&self, r: RegionRef) -> Option<u32> {
        if r.level == 1 {
            self.gaz.admin1[r.index as usize].seat
        } else {
            self.district_centres().centre(self.gaz, r.index)
        }
    }

    fn hint(&self, r: RegionRef) -> RegionHint {
        let (reg, seat) = if r.level == 1 {
            let reg = &self.gaz.admin1[r.index as usize];
            (reg, reg.seat)
        } else {
            let centre = self.district_centres().centre(self.gaz, r.index);
            (&self.gaz.admin2[r.index as usize], centre)
        };
        RegionHint { level: r.level, code: reg.code.clone(), name: reg.name.clone(), seat }
    }

    /// The town a district phrase is named after, as a district is named after its seat: "Шосткинського
    /// району" → Shostka, "Krasnoyaruzhsky district" → Krasnaya Yaruga. For districts the gazetteer's divisions
    /// lack (Ukraine's raions since 2020) and to find a listed district's own town. Only GeoNames towns are
    /// looked at (a district is named after a town of some standing); among several, one in `admin1` (when
    /// given, the only ones taken) or in a region of `prefer`, then a seat, then the most populous.
    ///
    /// ```
    /// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    /// let r = incimap::resolve::Resolver::new(&gaz);
    /// let shostka = r.town_of_district("Шосткинського району", None, &[]).unwrap();
    /// assert_eq!(gaz.places[shostka as usize].geonameid, 693942);
    /// ```
    pub fn town_of_district(&self, phrase: &str, admin1: Option<&str>, prefer: &[&str]) -> Option<u32> {
        let mut k = String::with_capacity(phrase.len() + 8);
        k.push_str(phrase);
        k.push('\u{1f}');
        k.push_str(admin1.unwrap_or(""));
        // A poisoned memo (a panic elsewhere while it was held) is only a memo: work the answer out again.
        let known = self.district_towns.lock().ok().and_then(|m| m.get(&k).cloned());
        let towns = known.unwrap_or_else(|| {
            let towns: std::sync::Arc<[u32]> = self.towns_of_district(phrase, admin1).into();
            if let Ok(mut memo) = self.district_towns.lock() {
                if memo.len() >= DISTRICT_TOWN_MEMO {
                    memo.clear();
                }
                memo.insert(k, towns.clone());
            }
            towns
        });
        let gaz = self.gaz;
        towns.iter().copied().max_by_key(|&t| {
            let pl = &gaz.places[t as usize];
            let preferred = prefer.iter().any(|a1| pl.in_admin1(a1));
            (preferred, matches!(&*pl.feature_code, "PPLA2" | "PPLA" | "PPLC"), pl.population)
        })
    }

    /// Every GeoNames town (in `admin1`, when given) a district phrase may be named after.
    fn towns_of_district(&self, phrase: &str, admin1: Option<&str>) -> Vec<u32> {
        let Some(form) = district_form(phrase) else { return Vec::new() };
        let gaz = self.gaz;
        // A town and the districts named after it share their first letters (Shostka, Shostkynskyi; Lozova,
        // Lozivskyi): only names with the form's first three are worked out.
        let Some(prefix) = form.get(..DISTRICT_TOWN_PREFIX) else { return Vec::new() };
        let mut towns: Vec<u32> = gaz
            .names_with_prefix(prefix)
            .iter()
            .filter(|e| {
                let pl = &gaz.places[e.place as usize];
                pl.source == PlaceSource::Geonames
                    && pl.precision == PointPrecision::Exact
                    && admin1.is_none_or(|a1| pl.in_admin1(a1))
                    && may_name_district(&e.key, &form)
                    && seat_district_forms(&e.key).contains(&form)
            })
            .map(|e| e.place)
            .collect();
        towns.sort_unstable();
        towns.dedup();
        towns
    }

    /// Recognise a region phrase: admin1 ("Voronezh region", "Voronezh Oblast", "Voronezhskaya oblast",
    /// "Воронежской области", "Krasnodar area", "Krasnodar Krai", "Kursk", "Crimea", "LPR", "Luhansk
    /// People's Republic") or admin2 ("Borovsky district", "Graivoron district", "Боровский район").
    /// When several regions answer (two "Pavlovsky district"s), the first of [`Resolver::regions`].
    ///
    /// ```
    /// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    /// let r = incimap::resolve::Resolver::new(&gaz);
    /// assert_eq!(r.region("Воронежской области").unwrap().code, "RU.86");
    /// assert_eq!(r.region("LNR").unwrap().code, "UA.14");
    /// assert_eq!(r.region("Borovsky district").unwrap().level, 2);
    /// assert!(r.region("Belgorodka").is_none());
    /// ```
    pub fn region(&self, text: &str) -> Option<RegionHint> {
        self.regions(text).into_iter().next()
    }

    /// Every region a phrase may name, most likely first (admin1 before admin2 unless the phrase says
    /// district; a region's own name before its capital's; an oblast before a city of the same name
    /// when the phrase says oblast or region).
    pub fn regions(&self, text: &str) -> Vec<RegionHint> {
        if text.chars().count() > MAX_NAME_CHARS {
            return Vec::new();
        }
        self.region_refs(text).into_iter().map(|r| self.hint(r)).collect()
    }

    fn region_refs(&self, text: &str) -> Vec<RegionRef> {
        if let Some(r) = self.region_by_code(text) {
            return vec![r];
        }
        self.region_index().lookup(text).0
    }

    /// A region given by its GeoNames code (`RU.09`, `UA.07`, `RU.09.1234`), alone or before its name as
    /// `stats` prints group keys (`RU.09 Belgorod Oblast`): the code decides, the name is not read.
    fn region_by_code(&self, text: &str) -> Option<RegionRef> {
        let code = text.split_whitespace().next()?;
        let b = code.as_bytes();
        if b.len() < 4 || !b[..2].iter().all(u8::is_ascii_uppercase) || b[2] != b'.' {
            return None;
        }
        let find = |table: &[crate::gazetteer::Region]| table.binary_search_by(|r| r.code.as_str().cmp(code)).ok();
        match code.matches('.').count() {
            1 => find(&self.gaz.admin1).map(|i| RegionRef { level: 1, index: i as u32 }),
            2 => find(&self.gaz.admin2).map(|i| RegionRef { level: 2, index: i as u32 }),
            _ => None,
        }
    }

    fn in_region(&self, p: &Place, r: RegionRef) -> bool {
        if r.level == 1 {
            let code = &self.gaz.admin1[r.index as usize].code;
            code.len() == p.country.len() + 1 + p.admin1.len()
                && code.starts_with(p.country.as_str())
                && code.ends_with(p.admin1.as_str())
                && !p.admin1.is_empty()
        } else {
            let code = &self.gaz.admin2[r.index as usize].code;
            if !p.admin2.is_empty() {
                return *code == p.admin2_code();
            }
            self.near_district_centre(p, r.index)
        }
    }

    /// For a place without a GeoNames district code (most Russian ones): whether it lies in admin2 region
    /// `district`, judged by distance: within [`DISTRICT_NEAR_KM`] of the district's centre, or nearer to
    /// it than to any other district centre of its oblast and within [`DISTRICT_RADIUS_KM`].
    fn near_district_centre(&self, p: &Place, district: u32) -> bool {
        let centres = self.district_centres().of_admin1(self.gaz, &p.admin1_code());
        let Some(&(_, centre)) = centres.iter().find(|(d, _)| *d == district) else { return false };
        let d = distance_km(p, &self.gaz.places[centre as usize]);
        if d <= DISTRICT_NEAR_KM {
            return true;
        }
        d <= DISTRICT_RADIUS_KM
            && centres.iter().all(|&(other, c)| other == district || distance_km(p, &self.gaz.places[c as usize]) >= d)
    }

    fn passes(&self, p: &Place, f: &Filter) -> bool {
        if let Some(c) = &f.country
            && !p.country.eq_ignore_ascii_case(c)
        {
            return false;
        }
        f.regions.iter().all(|hint| hint.iter().any(|&r| self.in_region(p, r)))
    }

    /// Country codes the gazetteer holds, and what country names in a query map to.
    fn country_of_phrase(&self, text: &str) -> Option<String> {
        let known = self.countries.get_or_init(|| {
            let distinct: HashSet<&str> = self.gaz.places.iter().map(|p| p.country.as_str()).collect();
            distinct.into_iter().map(str::to_string).collect()
        });
        let code = match names::key(text).as_str() {
            "russia" | "rosia" | "russian federation" | "rf" | "ru" => "RU",
            "ukraine" | "ukraina" | "ua" => "UA",
            "belarus" | "belarus republic" | "by" => "BY",
            _ => return None,
        };
        known.contains(code).then(|| code.to_string())
    }

    /// Resolve one query.
    pub fn resolve(&self, q: &Query) -> Resolution {
        let mut res = Resolution {
            query: q.name.clone(),
            status: Status::NotFound,
            best: None,
            candidates: Vec::new(),
            reason: String::new(),
        };
        let ranked = match self.rank_query(q) {
            Ok(r) => r,
            Err(why) => {
                res.reason = why;
                return res;
            }
        };
        let Ranked { hits, filter, filter_words, name_part, kind } = ranked;
        let limit = q.limit.max(1);
        res.candidates = hits.iter().take(limit).map(|h| self.candidate(h.place, h.score)).collect();
        match kind {
            RankedKind::UnknownRegion(region) => {
                res.reason = format!(
                    "the region {region:?} is not one the gazetteer knows (try an oblast, krai, republic or district name); nothing chosen"
                );
                return res;
            }
            RankedKind::WholeRegion(refs) => return self.region_as_place(res, &refs, &hits, &filter_words),
            RankedKind::Place => {}
        }
        let inside: Vec<&Hit> = hits.iter().filter(|h| h.inside).collect();
        let Some(best) = inside.first().copied() else {
            res.reason = self.explain_not_found(&name_part, &hits, &filter_words);
            return res;
        };
        let bp = &self.gaz.places[best.place as usize];
        let rival = inside[1..].iter().copied().find(|h| {
            let hp = &self.gaz.places[h.place as usize];
            distance_km(bp, hp) > SAME_PLACE_KM && !same_village(bp, hp)
        });
        // A rival as likely by score, or a namesake of the same kind (which the score's population term
        // must not decide: two villages are two villages whatever their census).
        let close = rival
            .filter(|r| r.score > best.score - AMBIGUITY_MARGIN)
            .or_else(|| inside[1..].iter().copied().find(|h| self.indistinguishable(best, h)));
        // A guess one letter off, or by consonants alone, is never certain on its own.
        let guess = matches!(best.kind, MatchKind::Fuzzy | MatchKind::Skeleton);
        res.status = if close.is_some() || guess { Status::Ambiguous } else { Status::Resolved };
        // places inside the filter rank first, so the best is the first candidate
        res.best = res.candidates.first().cloned().filter(|c| c.place_index == best.place);
        if res.best.is_none() {
            res.best = Some(self.candidate(best.place, best.score));
        }
        res.reason = self.explain(best, &inside, close.or(rival), close.is_some(), &filter_words);
        if guess {
            res.reason.push_str("; a guess, not certain: check the spelling or give a region");
        }
        if bp.admin2.is_empty() && filter.regions.iter().flatten().any(|r| r.level == 2) {
            res.reason.push_str(
                " (GeoNames gives this place no district: judged inside by its distance to the district's centre)",
            );
        }
        res
    }

    /// The places [`Resolver::resolve`] lists as candidates for `q` (gazetteer indices, best first, at most
    /// `q.limit`), without building place objects or explanations: for callers that rank them themselves. A
    /// place found only by a suspect alternate name (another town's own name) is left out.
    ///
    /// ```
    /// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    /// let r = incimap::resolve::Resolver::new(&gaz);
    /// let q = incimap::resolve::Query::new("Belgorod");
    /// let full: Vec<u32> = r.resolve(&q).candidates.iter().map(|c| c.place_index).collect();
    /// assert_eq!(r.candidate_places(&q), full);
    /// ```
    pub fn candidate_places(&self, q: &Query) -> Vec<u32> {
        match self.rank_query(q) {
            Ok(r) => ranked_places(&r.hits, q.limit),
            Err(_) => Vec::new(),
        }
    }

    /// [`Resolver::candidate_places`] for a query of `name` with the region hint `region`, no country and
    /// the limit `limit`, written into `out` (cleared first), without building the query's strings or the
    /// words that only explanations use. `name_key`, when the caller has it, must be
    /// [`names::key`]`(name)`: it spares working the key out again.
    ///
    /// ```
    /// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    /// let r = incimap::resolve::Resolver::new(&gaz);
    /// let mut q = incimap::resolve::Query::new("Petropavlovka");
    /// q.region = Some("Voronezh region".into());
    /// q.limit = 10;
    /// let mut out = Vec::new();
    /// r.candidate_places_into("Petropavlovka", None, Some("Voronezh region"), 10, &mut out);
    /// assert_eq!(out, r.candidate_places(&q));
    /// ```
    pub fn candidate_places_into(
        &self,
        name: &str,
        name_key: Option<&str>,
        region: Option<&str>,
        limit: usize,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        if let Ok(r) = self.rank_name(name, name_key, region, None, false) {
            out.extend(ranked_places(&r.hits, limit));
        }
    }

    /// Whether a query of `name` alone (no region, no country) can only find places named `key` exactly,
    /// when `key` is [`names::key`]`(name)` and the gazetteer names some place `key`: then
    /// [`Resolver::candidate_places_into`] would list none of the others. True for one word with no Cyrillic
    /// letter (no base forms are tried: the exact key already matched) that names no region; false means
    /// the query may find more, not that it does.
    ///
    /// ```
    /// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    /// let r = incimap::resolve::Resolver::new(&gaz);
    /// assert!(r.finds_only_key_matches("Belgorod", "belgorod"));
    /// assert!(!r.finds_only_key_matches("Белгород", "белгород"));
    /// assert!(!r.finds_only_key_matches("Stary Oskol", "stari oskol"));
    /// ```
    pub fn finds_only_key_matches(&self, name: &str, key: &str) -> bool {
        // As `split_name` takes a name apart (a separator, a second word, a region alias) and `find` tries
        // base forms (any Cyrillic letter): each would query more than the key.
        let plain = |c: char| !(c.is_whitespace() || matches!(c, ',' | '(' | ';' | '\u{0400}'..='\u{04FF}'));
        name.chars().all(plain) && (!lexicon().is_alias_key(key) || self.centre_named(key))
    }

    /// Find and rank the places a query names, with the filter that applied; `Err` says why the name
    /// cannot be looked up at all.
    fn rank_query<'q>(&self, q: &'q Query) -> Result<Ranked<'q>, String> {
        self.rank_name(&q.name, None, q.region.as_deref(), q.country.as_deref(), true)
    }

    /// [`Resolver::rank_query`] for a query given by its parts; `full_key` is `names::key(name)` when known.
    /// The filter's words (for explanations) are worked out only when `explain` is set.
    fn rank_name<'q>(
        &self,
        name: &'q str,
        full_key: Option<&str>,
        region: Option<&str>,
        country: Option<&str>,
        explain: bool,
    ) -> Result<Ranked<'q>, String> {
        check_name(name)?;
        let mut filter = Filter { country: None, regions: Vec::new() };
        let mut filter_words: Vec<String> = Vec::new();
        if let Some(c) = country.map(str::trim).filter(|c| !c.is_empty()) {
            filter.country = Some(c.to_ascii_uppercase());
            if explain {
                filter_words.push(c.to_ascii_uppercase());
            }
        }
        let mut unknown_region = None;
        if let Some(text) = region.map(str::trim).filter(|t| !t.is_empty()) {
            if let Some(cc) = self.country_of_phrase(text) {
                if explain {
                    filter_words.push(cc.clone());
                }
                filter.country = Some(cc);
            } else {
                let refs = self.region_refs(text);
                if refs.is_empty() {
                    unknown_region = Some(text.to_string());
                } else {
                    if explain {
                        filter_words.push(self.hint(refs[0]).name);
                    }
                    filter.regions.push(refs);
                }
            }
        }

        // Region phrases inside the name, and leading prepositions ("в Белгороде").
        let (name_part, name_key, in_name) = self.split_name(name.trim(), full_key);
        match in_name {
            Some(InName::Region(refs)) => {
                if explain {
                    filter_words.push(self.hint(refs[0]).name);
                }
                filter.regions.push(refs);
            }
            Some(InName::Country(cc)) => {
                if explain {
                    filter_words.push(cc.clone());
                }
                filter.country = Some(cc);
            }
            Some(InName::WholeRegion(refs)) => {
                // The query named a region, not a place: its administrative centres.
                let mut hits = Vec::new();
                for &r in &refs {
                    if let Some(seat) = self.region_seat(r) {
                        self.add_hit(seat, MatchKind::RegionSeat, &filter, &mut hits);
                    }
                }
                self.rank(&mut hits);
                return Ok(Ranked { hits, filter, filter_words, name_part, kind: RankedKind::WholeRegion(refs) });
            }
            None => {}
        }

        let mut hits = self.find(&name_part, name_key, &filter);
        let kind = match unknown_region {
            Some(region) => {
                for h in &mut hits {
                    h.inside = false;
                }
                RankedKind::UnknownRegion(region)
            }
            None => RankedKind::Place,
        };
        self.rank(&mut hits);
        Ok(Ranked { hits, filter, filter_words, name_part, kind })
    }

    /// Places matching `name` (a name without region phrases; `key` its key when already known), each
    /// once with its best match kind.
    fn find(&self, name: &str, key: Option<Cow<'_, str>>, filter: &Filter) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        let k = key.unwrap_or_else(|| Cow::Owned(names::key(name)));
        if k.is_empty() {
            return hits;
        }
        self.add_key(&k, false, filter, &mut hits);
        let found_inside = |hits: &[Hit]| hits.iter().any(|h| h.inside);
        // Inflected forms: when nothing matched inside the hint, or the name is Cyrillic (where a case
        // ending may also happen to spell a small village's name).
        let cyrillic = name.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        if !found_inside(&hits) || cyrillic {
            names::for_each_lemma(&k, |cand| self.add_key(cand, true, filter, &mut hits));
        }
        // A Russian village written the Ukrainian way (Безсонівка → Бессоновка): Russian places only.
        if !found_inside(&hits) && cyrillic && (k.contains("iv") || k.starts_with("bez")) {
            let mut respell = |cand: &str| {
                for r in names::russian_spellings(cand) {
                    for e in self.gaz.names_with_key(&r) {
                        if self.gaz.places[e.place as usize].country == "RU" {
                            self.add_hit(e.place, MatchKind::Respelt, filter, &mut hits);
                        }
                    }
                }
            };
            respell(&k);
            names::for_each_lemma(&k, respell);
        }
        if !found_inside(&hits) && k.len() >= fuzzy::MIN_FUZZY_LEN && k.len() <= 64 {
            // A one-shot lookup scans the name index; a resolver in steady use builds the index.
            let near = if self.warm() {
                self.fuzzy_index().neighbours(&self.gaz.names, &k)
            } else {
                fuzzy::neighbours_by_scan(&self.gaz.names, &k)
            };
            for e in near {
                let key = &self.gaz.names[e as usize].key;
                for entry in self.gaz.names_with_key(key) {
                    self.add_hit(entry.place, MatchKind::Fuzzy, filter, &mut hits);
                }
            }
        }
        // A Russian spelling of a Ukrainian village: Ukrainian places with the same consonants.
        if !found_inside(&hits)
            && let Some(skeleton) = names::consonant_skeleton(&k)
        {
            for &p in self.skeleton_index().get(&skeleton).into_iter().flatten() {
                self.add_hit(p, MatchKind::Skeleton, filter, &mut hits);
            }
        }
        hits
    }

    /// Ukrainian places by the consonant skeletons of their names' keys (see [`MatchKind::Skeleton`]).
    fn skeleton_index(&self) -> &HashMap<String, Vec<u32>> {
        self.skeletons.get_or_init(|| {
            let mut index: HashMap<String, Vec<u32>> = HashMap::new();
            for e in &self.gaz.names {
                if self.gaz.places[e.place as usize].country != "UA" {
                    continue;
                }
                if let Some(s) = names::consonant_skeleton(&e.key) {
                    let v = index.entry(s).or_default();
                    if !v.contains(&e.place) {
                        v.push(e.place);
                    }
                }
            }
            index
        })
    }

    fn add_key(&self, k: &str, inflected: bool, filter: &Filter, hits: &mut Vec<Hit>) {
        use crate::gazetteer::NameKind;
        let entries = self.gaz.names_with_key(k);
        hits.reserve(entries.len());
        let a_towns_name = !inflected && is_a_towns_name(self.gaz, entries);
        for e in entries {
            let kind = if inflected {
                MatchKind::Inflected
            } else if e.kind != NameKind::Alternate {
                MatchKind::Primary
            } else if a_towns_name && !has_own_name(entries, e.place) {
                MatchKind::SuspectAlternate
            } else {
                MatchKind::Alternate
            };
            self.add_hit(e.place, kind, filter, hits);
        }
    }

    fn add_hit(&self, place: u32, kind: MatchKind, filter: &Filter, hits: &mut Vec<Hit>) {
        if let Some(h) = hits.iter_mut().find(|h| h.place == place) {
            if kind < h.kind {
                h.kind = kind;
                h.score = score(&self.gaz.places[place as usize], kind);
            }
            return;
        }
        let p = &self.gaz.places[place as usize];
        let inside = filter.is_empty() || self.passes(p, filter);
        hits.push(Hit { place, kind, inside, score: score(p, kind) });
    }

    /// Inside the filter first, then by score, population, the user's own places first, and GeoNames id (for a
    /// stable order). (A prior toward
    /// the border among namesakes of one kind was tried and placed fewer real events right: in Ukraine the war
    /// is at the front line, not the border; it waits for the front line.)
    fn rank(&self, hits: &mut [Hit]) {
        let places = &self.gaz.places;
        // A total order (ids are unique): an unstable sort gives the same result, faster.
        hits.sort_unstable_by(|a, b| {
            b.inside
                .cmp(&a.inside)
                .then(b.score.total_cmp(&a.score))
                .then(places[b.place as usize].population.cmp(&places[a.place as usize].population))
                // the user's own places before the gazetteer's namesakes they cannot be told from
                .then(
                    (places[b.place as usize].source == PlaceSource::User)
                        .cmp(&(places[a.place as usize].source == PlaceSource::User)),
                )
                .then(places[a.place as usize].geonameid.cmp(&places[b.place as usize].geonameid))
        });
        // A village known only by its district gives way to the same village with a point of its own.
        if let Some(first) = hits.first().copied()
            && places[first.place as usize].precision == PointPrecision::District
            && let Some(i) = hits.iter().position(|h| {
                h.inside == first.inside
                    && h.kind <= first.kind
                    && same_village(&places[first.place as usize], &places[h.place as usize])
            })
        {
            hits[..=i].rotate_right(1);
        }
    }

    /// Whether `other` is a namesake `best` cannot be told from without more to go on: a place elsewhere
    /// (beyond [`SAME_PLACE_KM`], and not the same village known twice) of the same kind ([`place_kind`]),
    /// matched as well (a place whose own name it is is not made doubtful by one that merely lists it among
    /// its alternate names).
    fn indistinguishable(&self, best: &Hit, other: &Hit) -> bool {
        let (bp, op) = (&self.gaz.places[best.place as usize], &self.gaz.places[other.place as usize]);
        other.kind <= best.kind
            && place_kind(op) == place_kind(bp)
            && distance_km(bp, op) > SAME_PLACE_KM
            && !same_village(bp, op)
    }

    /// The query named a region, not a place ("Kursk region", "LPR"): its administrative centre, from
    /// `hits` (the regions' centres, ranked).
    fn region_as_place(
        &self,
        mut res: Resolution,
        refs: &[RegionRef],
        hits: &[Hit],
        filter_words: &[String],
    ) -> Resolution {
        let names: Vec<String> = refs.iter().map(|&r| self.hint(r).name).collect();
        let inside: Vec<&Hit> = hits.iter().filter(|h| h.inside).collect();
        let Some(best) = inside.first() else {
            res.reason = format!(
                "names the region {} , whose centre is not in the gazetteer{}",
                names.join(" / "),
                if filter_words.is_empty() { String::new() } else { format!(" or not in {}", filter_words.join(", ")) }
            );
            return res;
        };
        res.best = Some(self.candidate(best.place, best.score));
        let p = &self.gaz.places[best.place as usize];
        if inside.len() > 1 {
            res.status = Status::Ambiguous;
            res.reason =
                format!("names more than one region ({}); {} is the centre of the largest", names.join(", "), p.name);
        } else {
            res.status = Status::Resolved;
            res.reason = format!("names the region {}: placed at its administrative centre, {}", names[0], p.name);
        }
        res
    }

    fn explain_not_found(&self, name: &str, hits: &[Hit], filter_words: &[String]) -> String {
        if hits.is_empty() {
            return format!(
                "no place in the gazetteer is named {name:?}, in any spelling, case form or one letter off (the shipped gazetteer holds cities500 and GeoNames' postal-code villages; `gazetteer refresh` installs the full dumps, and `--places` adds your own)"
            );
        }
        let mut elsewhere: Vec<String> = Vec::new();
        for h in hits.iter().take(3) {
            let p = &self.gaz.places[h.place as usize];
            elsewhere.push(format!("{} ({})", p.name, self.admin1_name(p).unwrap_or(&p.country)));
        }
        format!(
            "no place named {name:?} in {}; {} elsewhere, listed as candidates: {}",
            filter_words.join(", "),
            hits.len(),
            elsewhere.join(", ")
        )
    }

    fn explain(&self, best: &Hit, inside: &[&Hit], rival: Option<&Hit>, ambiguous: bool, filter: &[String]) -> String {
        let p = &self.gaz.places[best.place as usize];
        let mut s = String::with_capacity(160);
        let region = self.admin1_name(p).unwrap_or(&p.country);
        let _ = write!(
            s,
            "{}; {} in {}, {}",
            best.kind.describe(),
            feature_words(&p.feature_code),
            region,
            population_words(p)
        );
        if !filter.is_empty() {
            let _ = write!(s, "; within {}", filter.join(", "));
        }
        match rival {
            None if inside.len() <= 1 => s.push_str("; no other place matches"),
            None => s.push_str("; the other matches are parts of the same settlement"),
            Some(r) => {
                let rp = &self.gaz.places[r.place as usize];
                let rregion = self.admin1_name(rp).unwrap_or(&rp.country);
                if ambiguous {
                    let _ = write!(
                        s,
                        "; but {} in {} ({}, {}) is nearly as likely: give a region",
                        rp.name,
                        rregion,
                        feature_words(&rp.feature_code),
                        population_words(rp)
                    );
                } else {
                    let _ = write!(
                        s,
                        "; ranks above {} other match{} (next: {} in {}, {}, {})",
                        inside.len() - 1,
                        if inside.len() == 2 { "" } else { "es" },
                        rp.name,
                        rregion,
                        feature_words(&rp.feature_code),
                        population_words(rp)
                    );
                }
            }
        }
        s
    }

    /// Split a query into the place name and what it says about the region: "Petropavlovka, Voronezh
    /// region", "Petropavlovka (Voronezh Oblast)", "Петропавловка Воронежской области", "в Белгороде".
    /// Is `key` the primary (or ASCII) name of a national or regional capital?
    fn centre_named(&self, key: &str) -> bool {
        self.gaz.names_with_key(key).iter().any(|e| {
            e.kind != crate::gazetteer::NameKind::Alternate
                && matches!(&*self.gaz.places[e.place as usize].feature_code, "PPLC" | "PPLA")
        })
    }

    /// The name part borrows from `raw` unless words had to be joined.
    /// `full_key`, when given, is `names::key(raw)`.
    fn split_name<'r, 'k>(
        &self,
        raw: &'r str,
        full_key: Option<&'k str>,
    ) -> (Cow<'r, str>, Option<Cow<'k, str>>, Option<InName>) {
        let idx = lexicon();
        // "name, region" / "name (region)"
        if let Some(pos) = raw.find([',', '(', ';']) {
            let name = raw[..pos].trim();
            let rest = raw[pos + 1..].trim().trim_end_matches(')').trim();
            if !name.is_empty() && !rest.is_empty() {
                let name = Cow::Borrowed(self.strip_leading(name));
                if let Some(cc) = self.country_of_phrase(rest) {
                    return (name, None, Some(InName::Country(cc)));
                }
                let refs = self.region_refs(rest);
                if !refs.is_empty() {
                    return (name, None, Some(InName::Region(refs)));
                }
                return (name, None, None);
            }
        }
        // One word (the common case): a region only if it is an alias (LPR, Crimea, Donbas).
        if !raw.contains(char::is_whitespace) {
            let k = full_key.map_or_else(|| Cow::Owned(names::key(raw)), Cow::Borrowed);
            // ... and no capital or regional centre carries the name itself: "Moscow" is the city.
            if idx.is_alias_key(&k) && !self.centre_named(&k) {
                let refs = self.region_refs(raw);
                if !refs.is_empty() {
                    return (Cow::Borrowed(""), None, Some(InName::WholeRegion(refs)));
                }
            }
            return (Cow::Borrowed(raw), Some(k), None);
        }
        let words: Vec<&str> = raw.split_whitespace().collect();
        let keys: Vec<String> = words.iter().map(|w| names::key(w)).collect();
        // A whole region phrase ("Voronezh region", "LPR", "Crimea"): only with a generic word or an alias.
        let has_generic = keys.iter().any(|k| idx.is_generic_word(k));
        if has_generic || full_key.map_or_else(|| idx.is_alias(raw), |k| idx.is_alias_key(k)) {
            let refs = self.region_refs(raw);
            if !refs.is_empty() {
                return (Cow::Borrowed(""), None, Some(InName::WholeRegion(refs)));
            }
        }
        // "Name Region-phrase" with a generic word at the end.
        if words.len() >= 3 && words.len() <= 12 && keys.last().is_some_and(|k| idx.is_generic_word(k)) {
            for split in 1..words.len() - 1 {
                let tail = words[split..].join(" ");
                let refs = self.region_refs(&tail);
                if !refs.is_empty() {
                    let mut head: Vec<&str> = words[..split].to_vec();
                    // "Petropavlovka in the Voronezh region": drop the joining words
                    while head.len() > 1 && head.last().is_some_and(|w| idx.is_leading_word(&names::key(w))) {
                        head.pop();
                    }
                    let name = self.strip_leading(&head.join(" ")).to_string();
                    return (Cow::Owned(name), None, Some(InName::Region(refs)));
                }
            }
        }
        (Cow::Borrowed(self.strip_leading(raw)), None, None)
    }

    /// Drop leading prepositions ("в Белгороде", "near Kupiansk") when a name remains.
    fn strip_leading<'n>(&self, name: &'n str) -> &'n str {
        let idx = lexicon();
        let mut rest = name.trim();
        while let Some((first, tail)) = rest.split_once(char::is_whitespace) {
            if idx.is_leading_word(&names::key(first)) && !tail.trim().is_empty() {
                rest = tail.trim_start();
            } else {
                break;
            }
        }
        rest
    }
}

/// What a query says about the region besides the name.
enum InName {
    /// "…, Voronezh region": a filter.
    Region(Vec<RegionRef>),
    /// "…, Russia": a country filter.
    Country(String),
    /// The whole query is a region phrase.
    WholeRegion(Vec<RegionRef>),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extractor's path ([`Resolver::candidate_places_into`], with and without the name's key) lists
    /// the same places as [`Resolver::candidate_places`] for names of every shape, with and without hints.
    #[test]
    fn candidate_places_into_agrees_with_candidate_places() {
        let gaz = Gazetteer::embedded().unwrap();
        let r = Resolver::new(&gaz);
        let mut names: Vec<String> = gaz.places.iter().step_by(211).map(|p| p.name.to_string()).collect();
        names.extend(
            [
                "Белгороде",
                "в Белгороде",
                "near Kupiansk",
                "Petropavlovka, Voronezh region",
                "Petropavlovka (Voronezh Oblast)",
                "Петропавловка Воронежской области",
                "Petropavlovka in the Voronezh region",
                "LPR",
                "Donbas",
                "Crimea",
                "Moscow",
                "Kursk region",
                "Grayvoron",
                "Belgorodd",
                "Kharkov",
                "Rostov-na-Donu",
                "Stary Oskol, Russia",
                "",
                "  ",
                "Bel\u{7}gorod",
            ]
            .map(String::from),
        );
        let mut out = Vec::new();
        for region in [None, Some("Voronezh region"), Some("Russia"), Some("Kursk"), Some("Atlantis region"), Some(" ")]
        {
            for name in &names {
                let mut q = Query::new(name);
                q.region = region.map(String::from);
                q.limit = 10;
                let expected = r.candidate_places(&q);
                r.candidate_places_into(name, None, region, 10, &mut out);
                assert_eq!(out, expected, "{name:?} in {region:?}");
                let k = names::key(name);
                r.candidate_places_into(name, Some(&k), region, 10, &mut out);
                assert_eq!(out, expected, "{name:?} in {region:?}, with its key");
            }
        }
    }

    /// When `finds_only_key_matches` says so, a region-free query lists only places named the key: over
    /// many gazetteer names (and their upper- and lower-case forms) and names that are regions, aliases,
    /// capitals, Cyrillic, several words or carry separators.
    #[test]
    fn finds_only_key_matches_is_never_wrong() {
        let gaz = Gazetteer::embedded().unwrap();
        let r = Resolver::new(&gaz);
        let mut names: Vec<String> = gaz.places.iter().step_by(7).map(|p| p.name.to_string()).collect();
        let place_names = names.len();
        names.extend(
            gaz.places.iter().step_by(401).flat_map(|p| [p.name.to_uppercase().into(), p.name.to_lowercase().into()]),
        );
        names.extend(gaz.admin1.iter().chain(gaz.admin2.iter()).map(|a| a.name.clone()));
        let tricky = "LPR|DPR|LNR|Donbas|Donbass|Crimea|Krym|Moscow|Kursk|Kyiv|Belgorod|Белгород|Белгороде|Kharkov|\
                      Kharkiv|Rostov-na-Donu|Stary Oskol|Belgorod;|Kupiansk(|Kursk,Russia|Zaporizhzhia|Kherson|Novaya|\
                      Oblast|Region|Rayon";
        names.extend(tricky.split('|').map(String::from));
        let mut out = Vec::new();
        let mut answered = 0;
        for name in &names {
            let key = names::key(name);
            let named: Vec<u32> = gaz.names_with_key(&key).iter().map(|e| e.place).collect();
            if named.is_empty() || !r.finds_only_key_matches(name, &key) {
                continue;
            }
            answered += 1;
            r.candidate_places_into(name, Some(&key), None, 10, &mut out);
            assert!(out.iter().all(|p| named.contains(p)), "{name:?}: {out:?} beyond {named:?}");
        }
        // Most place names are one Latin word: the shortcut must apply to them.
        assert!(answered > place_names / 2, "{answered} of {place_names}");
        assert!(!r.finds_only_key_matches("Donbas", "donbas"));
        assert!(!r.finds_only_key_matches("Белгород", &names::key("Белгород")));
    }
}
