//! Distance-from-border statistics: count, quantiles and mean of `border_km`, counts and shares per distance
//! band, overall and per group (`region`, `country`, `month`, `weapon`, `source`, or pairs of them).
//!
//! Memory is bounded by the number of groups, not rows: each group keeps a [`sketch::DistanceSketch`]
//! (exact quantiles up to 4,096 incidents, beyond that within max(10 m, 0.1 %) of the exact type-7 value, in at
//! most ~0.5 MB; count, min, max and mean always exact) and one counter per band.
//!
//! Quantile definition: linear interpolation between order statistics, Hyndman & Fan type 7 (numpy's and R's
//! default). Bands are half-open, `from_km ≤ d < to_km`; a point on the border (0 km) falls in the band starting
//! at 0. Points inside Ukraine have negative distances and fall in mirrored negative bands (`-10..0` and so on).
//!
//! ```
//! use incimap::stats::{Bands, Stats};
//! let mut stats = Stats::new(Bands::default(), 0);
//! for km in [3.0, 12.0, 12.0, 40.0, -5.0] {
//!     stats.add(km, &[]);
//! }
//! let report = stats.report(0);
//! assert_eq!(report.count, 5);
//! assert_eq!(report.border_km.as_ref().unwrap().median, 12.0);
//! let near: u64 = report.bands.iter().filter(|b| b.from_km == Some(0.0)).map(|b| b.count).sum();
//! assert_eq!(near, 1); // only 3 km is in 0–10; −5 km is in the inside band −10..0
//! ```

pub mod chart;
pub mod filter;
pub mod sketch;

use std::collections::HashMap;

use serde::Serialize;

use crate::incidents::Incident;
use crate::resolve::Resolver;
use sketch::DistanceSketch;

/// Distance band edges, km, ascending; the last band is open-ended (to ∞) and, for distances below the first
/// edge, an open band from −∞ is added.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    edges: Vec<f64>,
}

impl Default for Bands {
    /// `-250, -100, -50, -25, -10, 0, 10, 25, 50, 100, 250`: the issue's 0, 10, 25, 50, 100, 250, ∞ and their
    /// mirror for points inside Ukraine.
    fn default() -> Self {
        Bands::mirrored(&[0.0, 10.0, 25.0, 50.0, 100.0, 250.0])
    }
}

impl Bands {
    /// Bands from a `--bands` list ([`crate::border::band_edges::parse`]: `0,10,25,50,100,250`, an `inf` at the
    /// end allowed and implied), mirrored for points inside Ukraine.
    ///
    /// ```
    /// let b = incimap::stats::Bands::parse("0,5,20,inf").unwrap();
    /// assert_eq!(b.edges(), &[-20.0, -5.0, 0.0, 5.0, 20.0]);
    /// assert_eq!(incimap::stats::Bands::parse("10").unwrap().edges(), &[-10.0, 0.0, 10.0]);
    /// assert!(incimap::stats::Bands::parse("10,5").is_err());
    /// ```
    pub fn parse(list: &str) -> Result<Bands, String> {
        crate::border::band_edges::parse(list).map(|edges| Bands::mirrored(&edges))
    }

    /// Non-negative edges plus their negatives.
    fn mirrored(edges: &[f64]) -> Bands {
        let mut all: Vec<f64> = edges.iter().filter(|&&e| e > 0.0).map(|e| -e).collect();
        all.reverse();
        if edges[0] > 0.0 {
            // The band from 0 to the first edge would otherwise be lost.
            all.push(0.0);
        }
        all.extend_from_slice(edges);
        all.dedup();
        Bands { edges: all }
    }

    /// The edges, km, ascending.
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }

    /// Number of bands: one between each pair of edges plus the two open ends.
    pub fn len(&self) -> usize {
        self.edges.len() + 1
    }

    /// Always false: there is at least one band.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `(from, to)` of band `i`, `None` for −∞/∞.
    pub fn range(&self, i: usize) -> (Option<f64>, Option<f64>) {
        let from = if i == 0 { None } else { Some(self.edges[i - 1]) };
        let to = self.edges.get(i).copied();
        (from, to)
    }

    /// The band a distance falls in (`from ≤ d < to`).
    pub fn index(&self, km: f64) -> usize {
        self.edges.partition_point(|&e| e <= km)
    }

    /// A label such as `10–25`, `≥ 250`, `< -250`.
    pub fn label(&self, i: usize) -> String {
        match self.range(i) {
            (None, Some(t)) => format!("< {}", fmt_km(t)),
            (Some(f), None) => format!("≥ {}", fmt_km(f)),
            (Some(f), Some(t)) => format!("{}–{}", fmt_km(f), fmt_km(t)),
            (None, None) => "all".to_string(),
        }
    }
}

fn fmt_km(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x}") }
}

/// A field incidents are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Admin1 region code of the resolved place (`RU.09`), else of the row's `region` column.
    Region,
    /// Country the point lies in (from the country polygons), else the resolved place's or the row's.
    Country,
    /// `YYYY-MM` of the date.
    Month,
    /// The `weapon` column, lower-cased.
    Weapon,
    /// The `source` column, else the input file.
    Source,
    /// The kind of event (`air_strike`, `shelling`, ...; see `extract::events::EventType`).
    #[value(name = "event_type")]
    EventType,
}

/// Key of incidents that lack the grouped field.
pub const UNKNOWN: &str = "(unknown)";

/// Turns incidents into group keys, remembering region phrases it has already looked up.
pub struct Keyer<'r> {
    resolver: Option<&'r Resolver<'r>>,
    regions: HashMap<String, Option<(String, String)>>,
    /// Region code → name, for labels.
    names: HashMap<String, String>,
}

impl<'r> Keyer<'r> {
    /// A keyer; `resolver` lets the `region` column of rows given by coordinates become a region code.
    pub fn new(resolver: Option<&'r Resolver<'r>>) -> Self {
        Keyer { resolver, regions: HashMap::new(), names: HashMap::new() }
    }

    /// The key of `incident` for `by`.
    pub fn key(&mut self, by: GroupBy, incident: &Incident) -> String {
        let key = match by {
            GroupBy::Region => self.region(incident),
            GroupBy::Country => incident
                .measurement
                .country
                .map(str::to_string)
                .or_else(|| incident.place.as_ref().map(|p| p.country.to_string()))
                .or_else(|| incident.field_str("country").map(|c| c.to_uppercase())),
            GroupBy::Month => incident.date.as_ref().map(|d| d.chars().take(7).collect()),
            GroupBy::Weapon => incident.weapon.as_ref().map(|w| w.to_lowercase()),
            GroupBy::Source => incident.field_str("source").or_else(|| Some(incident.source.clone())),
            GroupBy::EventType => incident.event_type.map(|t| t.as_str().to_string()),
        };
        key.filter(|k| !k.is_empty()).unwrap_or_else(|| UNKNOWN.to_string())
    }

    fn region(&mut self, incident: &Incident) -> Option<String> {
        if let Some(p) = incident.place.as_ref().filter(|p| !p.admin1.is_empty()) {
            if !p.admin1_name.is_empty() && !self.names.contains_key(p.admin1.as_str()) {
                self.names.insert(p.admin1.to_string(), p.admin1_name.to_string());
            }
            return Some(p.admin1.to_string());
        }
        let text = incident.field_str("region")?;
        if let Some(found) = self.regions.get(&text) {
            return Some(found.as_ref().map_or(text, |(code, _)| code.clone()));
        }
        let found = self.resolver.and_then(|r| r.region(&text)).map(|h| (h.code, h.name));
        self.regions.insert(text.clone(), found.clone());
        match found {
            Some((code, name)) => {
                self.names.entry(code.clone()).or_insert(name);
                Some(code)
            }
            None => Some(text),
        }
    }

    /// A readable label for a key (`Belgorod Oblast` for `RU.09`), when one is known.
    pub fn label(&self, by: GroupBy, key: &str) -> Option<String> {
        match by {
            GroupBy::Region => self.names.get(key).cloned(),
            _ => None,
        }
    }
}

/// One group's running totals.
#[derive(Debug, Clone)]
struct Group {
    /// Every incident, measured or not.
    count: u64,
    sketch: DistanceSketch,
    bands: Vec<u64>,
}

impl Group {
    fn new(bands: usize) -> Self {
        Group { count: 0, sketch: DistanceSketch::default(), bands: vec![0; bands] }
    }

    fn add(&mut self, km: f64, band: Option<usize>) {
        self.count += 1;
        if let Some(b) = band {
            self.sketch.add(km);
            self.bands[b] += 1;
        }
    }
}

/// Accumulates distances overall and per group key tuple.
///
/// Feed it with [`Stats::add`] (a distance and its group keys) or [`Stats::add_incident`]; read the result
/// with [`Stats::report`].
pub struct Stats {
    bands: Bands,
    arity: usize,
    all: Group,
    /// Groups by their keys joined with [`KEY_SEPARATOR`] (one string, so a lookup needs no allocation).
    groups: HashMap<String, Group>,
    /// Reused buffer for building the joined key.
    scratch: String,
}

/// Joins the keys of a multi-field group internally; never appears in keys (it is removed from them).
const KEY_SEPARATOR: char = '\u{1f}';

impl Stats {
    /// Totals over `bands`, grouped by `arity` keys per incident (0 for no grouping).
    pub fn new(bands: Bands, arity: usize) -> Self {
        let all = Group::new(bands.len());
        Stats { bands, arity, all, groups: HashMap::new(), scratch: String::new() }
    }

    /// Add one incident at `km` from the border (NaN: not measured; counted but not in distances or bands)
    /// with its group keys (`keys.len()` must equal the arity; extra keys are ignored, missing ones are
    /// [`UNKNOWN`]).
    pub fn add(&mut self, km: f64, keys: &[&str]) {
        let band = km.is_finite().then(|| self.bands.index(km));
        self.all.add(km, band);
        if self.arity > 0 {
            self.scratch.clear();
            for i in 0..self.arity {
                if i > 0 {
                    self.scratch.push(KEY_SEPARATOR);
                }
                let k = keys.get(i).copied().unwrap_or(UNKNOWN);
                self.scratch.extend(k.chars().filter(|&c| c != KEY_SEPARATOR));
            }
            match self.groups.get_mut(self.scratch.as_str()) {
                Some(g) => g.add(km, band),
                None => {
                    let mut g = Group::new(self.bands.len());
                    g.add(km, band);
                    self.groups.insert(self.scratch.clone(), g);
                }
            }
        }
    }

    /// Add an incident, keyed by `by` through `keyer`.
    pub fn add_incident(&mut self, incident: &Incident, by: &[GroupBy], keyer: &mut Keyer) {
        let keys: Vec<String> = by.iter().map(|&b| keyer.key(b, incident)).collect();
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.add(incident.measurement.border_km, &refs);
    }

    /// The report, with `unresolved` inputs noted. Groups are sorted by the first key (months
    /// chronologically, others by descending count, then name; unknown last), then by the next.
    pub fn report(&self, unresolved: u64) -> Report {
        self.report_with(unresolved, &[], None)
    }

    /// [`Stats::report`] with the grouping fields named (to sort months by date) and labels from `keyer`.
    pub fn report_with(&self, unresolved: u64, by: &[GroupBy], keyer: Option<&Keyer>) -> Report {
        // Hide the inside-Ukraine bands when nothing is inside, so the common case reads simply.
        let any_negative = self.all.sketch.min().is_some_and(|m| m < 0.0);
        let visible: Vec<usize> = (0..self.bands.len())
            .filter(|&i| {
                let (from, to) = self.bands.range(i);
                let negative = to.is_some_and(|t| t <= 0.0) && from.is_none_or(|f| f < 0.0);
                any_negative || !negative || self.all.bands[i] > 0
            })
            .collect();
        let bands_of = |g: &Group| -> Vec<BandCount> {
            let measured = g.sketch.count();
            visible
                .iter()
                .map(|&i| {
                    let (from_km, to_km) = self.bands.range(i);
                    let count = g.bands[i];
                    let share = if measured == 0 { 0.0 } else { count as f64 / measured as f64 };
                    BandCount { from_km, to_km, label: self.bands.label(i), count, share }
                })
                .collect()
        };
        let summary_of = |g: &Group| -> Option<Distances> {
            let q = g.sketch.quantiles(&[0.25, 0.5, 0.75, 0.9])?;
            Some(Distances {
                min: g.sketch.min()?,
                p25: q[0],
                median: q[1],
                mean: g.sketch.mean()?,
                p75: q[2],
                p90: q[3],
                max: g.sketch.max()?,
            })
        };

        // Per-level totals for sorting (a two-way table keeps the first field's order).
        let split: Vec<(Vec<&str>, &Group)> =
            self.groups.iter().map(|(k, g)| (k.split(KEY_SEPARATOR).collect(), g)).collect();
        let mut level_counts: Vec<HashMap<&str, u64>> = vec![HashMap::new(); self.arity];
        for (key, g) in &split {
            for (lvl, k) in key.iter().enumerate() {
                *level_counts[lvl].entry(k).or_default() += g.count;
            }
        }
        let mut keys: Vec<&(Vec<&str>, &Group)> = split.iter().collect();
        keys.sort_by(|(a, _), (b, _)| {
            for lvl in 0..self.arity {
                let (ka, kb) = (a[lvl], b[lvl]);
                let ord = (ka == UNKNOWN).cmp(&(kb == UNKNOWN)).then_with(|| {
                    if by.get(lvl) == Some(&GroupBy::Month) {
                        ka.cmp(kb)
                    } else {
                        level_counts[lvl][kb].cmp(&level_counts[lvl][ka]).then_with(|| ka.cmp(kb))
                    }
                });
                if ord.is_ne() {
                    return ord;
                }
            }
            std::cmp::Ordering::Equal
        });
        let groups = keys
            .into_iter()
            .map(|(k, g)| {
                let k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
                let labels: Vec<Option<String>> = k
                    .iter()
                    .enumerate()
                    .map(|(lvl, key)| keyer.zip(by.get(lvl)).and_then(|(kr, &b)| kr.label(b, key)))
                    .collect();
                GroupReport {
                    key: k.join(" / "),
                    keys: k.clone(),
                    label: labels.iter().any(Option::is_some).then(|| {
                        labels
                            .iter()
                            .zip(k)
                            .map(|(l, key)| l.clone().unwrap_or_else(|| key.clone()))
                            .collect::<Vec<_>>()
                            .join(" / ")
                    }),
                    count: g.count,
                    unmeasured: g.count - g.sketch.count(),
                    border_km: summary_of(g),
                    bands: bands_of(g),
                }
            })
            .collect();
        Report {
            count: self.all.count,
            unmeasured: self.all.count - self.all.sketch.count(),
            unresolved,
            by: by.to_vec(),
            border_km: summary_of(&self.all),
            bands: bands_of(&self.all),
            groups,
        }
    }
}

/// The contract's `border_km` summary object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distances {
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub mean: f64,
    pub p75: f64,
    pub p90: f64,
    pub max: f64,
}

/// One band's count and share of the measured incidents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandCount {
    /// Lower edge, km (`null`: −∞).
    pub from_km: Option<f64>,
    /// Upper edge, km, exclusive (`null`: ∞).
    pub to_km: Option<f64>,
    pub count: u64,
    /// `count` over the group's measured incidents, in [0, 1].
    pub share: f64,
    /// `10–25`, `≥ 250`, ...
    pub label: String,
}

/// One group's statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupReport {
    /// The keys joined with ` / ` (`RU.09`, or `RU.09 / drone` for two fields).
    pub key: String,
    /// The keys, one per `--by` field.
    pub keys: Vec<String>,
    /// Readable form of the key (`Belgorod Oblast`), when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub count: u64,
    /// `null` when no incident of the group has a distance.
    pub border_km: Option<Distances>,
    pub bands: Vec<BandCount>,
    /// Incidents without a distance (not measured).
    pub unmeasured: u64,
}

/// The full statistics, shaped as the contract's `stats --format json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Located incidents.
    pub count: u64,
    /// `null` when there are no distances.
    pub border_km: Option<Distances>,
    pub bands: Vec<BandCount>,
    pub groups: Vec<GroupReport>,
    /// Located incidents without a distance.
    pub unmeasured: u64,
    /// Inputs (rows, mentions) that could not be placed.
    pub unresolved: u64,
    /// The grouping fields, in order.
    pub by: Vec<GroupBy>,
}
