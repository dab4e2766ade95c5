//! Accuracy on reports written by others, blind to the extractor, in English, Russian and Ukrainian, with gold
//! places taken from GeoNames rows or independent coordinates (see each corpus's README):
//! - `tests/data/blind3`: the blind corpus of issue 23, scored against its bar (≥ 95 % of incident sites at the
//!   right place, none outside the region the text names, ≥ 85 % of context mentions kept as context); its
//!   first-run figures are in the README.
//! - `tests/data/blind4`: a second blind corpus (30 reports), written after the work on blind3; its floors are its
//!   first run, rounded down, recorded in the README before anything it showed was fixed.
//! - `tests/data/dev1`, `tests/data/dev2`: written blind once, measured, then used to fix what they exposed: they are
//!   development data now, and their tests assert minimums at today's figures so that nothing slips back.
//!
//! Gold rows are matched to mentions by position: the first occurrence of the gold `mention` string in its
//! file, and the extracted mention that overlaps it. A site also counts as found when the same article has an
//! incident at the gold place elsewhere (gold marks the first occurrence, the story may tell it later).
//!
//! A context row of a place the gazetteer holds (it has a gold id) counts as kept only when the extractor found the
//! mention and called it context: a missed place is no right answer. A context row without an id (a river, a
//! plant, a person, a place the gazetteer lacks) counts as kept unless it was made an incident.
//!
//! A village GeoNames' cities500 lacks has no gold id (the shipped gazetteer's own ids for GeoNames' postal-code
//! villages change between builds). Where a source independent of GeoNames and of incimap gave its coordinates,
//! the row carries them (`lat`, `lon`; the source of each is in the corpus README), and an incident placed at its
//! own point must lie within [`VILLAGE_RADIUS_KM`] of them.

use std::collections::BTreeMap;
use std::path::Path;

use incimap::border::BorderIndex;
use incimap::extract::{Extractor, Mention, Role};
use incimap::gazetteer::Gazetteer;
use incimap::incidents::Precision;
use incimap::resolve::Resolver;

use geographiclib_rs::{Geodesic, InverseGeodesic};

/// How far, in km, an incident placed at a village's own point may lie from the village's independent gold
/// coordinates. Villages are a few km across, and two sources' points for one village (its centre, its church, its
/// post office) differ by a km or two; 5 km takes both in, while a namesake elsewhere in the region, tens of km
/// away, still counts as wrong.
const VILLAGE_RADIUS_KM: f64 = 5.0;

struct Gold {
    file: String,
    report_date: String,
    mention: String,
    role: String,
    geonameid: Option<u32>,
    admin1: String,
    precision: String,
    /// Empty where the corpus has no `event_type` column.
    event_type: String,
    weapon: String,
    date: String,
    /// Independent coordinates (lat, lon) of a village without a gold id; `None` on every other row.
    point: Option<(f64, f64)>,
}

/// The gold columns every corpus has; `event_type` is optional (the development corpora predate it).
const GOLD_COLUMNS: [&str; 10] =
    ["file", "report_date", "mention", "role", "geonameid", "admin1", "precision", "weapon", "date", "lat"];

fn gold_rows(dir: &Path) -> Vec<Gold> {
    let text = std::fs::read_to_string(dir.join("gold.tsv")).expect("gold.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("gold header").split('\t').collect();
    for c in GOLD_COLUMNS.iter().chain(&["lon"]) {
        assert!(header.contains(c), "gold header lacks {c}: {header:?}");
    }
    let column = |name: &str| header.iter().position(|h| *h == name);
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), header.len(), "gold row {l:?}");
            let get = |name: &str| column(name).map_or("", |i| f[i]);
            let point = match (get("lat"), get("lon")) {
                ("", "") => None,
                (lat, lon) => Some((
                    lat.parse().unwrap_or_else(|e| panic!("gold row {l:?}: lat: {e}")),
                    lon.parse().unwrap_or_else(|e| panic!("gold row {l:?}: lon: {e}")),
                )),
            };
            assert!(
                point.is_none() || (get("geonameid").is_empty() && get("role") == "incident"),
                "gold row {l:?}: coordinates belong only on incident rows without an id"
            );
            Gold {
                file: get("file").into(),
                report_date: get("report_date").into(),
                mention: get("mention").into(),
                role: get("role").into(),
                geonameid: get("geonameid").parse().ok(),
                admin1: get("admin1").into(),
                precision: get("precision").into(),
                event_type: get("event_type").into(),
                weapon: get("weapon").into(),
                date: get("date").into(),
                point,
            }
        })
        .collect()
}

/// Where a mention lies: its gazetteer place's admin1, else the region the text tied it to.
fn admin1_of(m: &Mention) -> Option<&str> {
    m.place.as_ref().map(|p| p.admin1.as_str()).or(m.region_code.as_deref())
}

fn precision_name(p: Precision) -> &'static str {
    match p {
        Precision::Exact => "exact",
        Precision::Near => "near",
        Precision::Region => "region",
    }
}

/// Does incident mention `m` place gold site `g` right?
fn places_site(m: &Mention, g: &Gold) -> bool {
    if m.role != Role::Incident {
        return false;
    }
    match g.geonameid {
        Some(id) => m.place.as_ref().is_some_and(|p| p.geonameid == id),
        // A village without a GeoNames id, or a region-only report: the right region, and either not pinned
        // (known only by its region or district) or pinned at the village's own point.
        None => admin1_of(m) == Some(g.admin1.as_str()) && (m.precision != Precision::Exact || at_own_point(m, g)),
    }
}

/// Is `m` pinned within [`VILLAGE_RADIUS_KM`] of gold row `g`'s independent coordinates?
fn at_own_point(m: &Mention, g: &Gold) -> bool {
    let Some((lat, lon)) = g.point else { return false };
    let Some((m_lat, m_lon)) = point_of(m) else { return false };
    m.precision == Precision::Exact && geodesic_km(lat, lon, m_lat, m_lon) <= VILLAGE_RADIUS_KM
}

/// The mention's located point, else its place's.
fn point_of(m: &Mention) -> Option<(f64, f64)> {
    match (m.lat, m.lon) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => m.place.as_ref().map(|p| (p.lat, p.lon)),
    }
}

/// Geodesic distance on the WGS84 ellipsoid, km.
fn geodesic_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let metres: f64 = Geodesic::wgs84().inverse(lat1, lon1, lat2, lon2);
    metres / 1000.0
}

/// How the extractor did on one corpus.
#[derive(Default)]
struct Score {
    sites: usize,
    found: usize,
    /// Incidents at a gold site's position placed in another admin1 than the text names.
    outside_region: usize,
    contexts: usize,
    contexts_kept: usize,
    /// Found sites, and those at the gold precision.
    precise: usize,
    precision_right: usize,
    villages: usize,
    villages_at_own_point: usize,
    dated: usize,
    dates_right: usize,
    armed: usize,
    weapons_right: usize,
    typed: usize,
    types_right: usize,
    misses: Vec<String>,
}

/// `a` of `b`, as a fraction (1 when there is nothing to count).
fn share(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl Score {
    /// Score the extractor on the corpus in `tests/data/{corpus}`, printing the figures and every miss.
    fn of(corpus: &str) -> Score {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(corpus);
        let gold = gold_rows(&dir);
        let gaz = Gazetteer::embedded().expect("embedded gazetteer");
        let resolver = Resolver::new(&gaz);
        let border = BorderIndex::new(&gaz.boundaries);
        let ex = Extractor::new(&resolver, Some(&border));
        let mut by_file: BTreeMap<&str, Vec<&Gold>> = BTreeMap::new();
        for g in &gold {
            by_file.entry(g.file.as_str()).or_default().push(g);
        }
        let mut score = Score::default();
        for (file, rows) in &by_file {
            let text = std::fs::read_to_string(dir.join(file)).expect("corpus report");
            let report = chrono::NaiveDate::parse_from_str(&rows[0].report_date, "%Y-%m-%d").expect("report date");
            let mentions = ex.extract(&text, file, Some(report));
            for g in rows {
                score.add(file, &text, &mentions, g);
            }
        }
        score.print(corpus);
        score
    }

    fn add(&mut self, file: &str, text: &str, mentions: &[Mention], g: &Gold) {
        let start = text.find(&g.mention).unwrap_or_else(|| panic!("{file}: {:?} not in the text", g.mention));
        let end = start + g.mention.len();
        let here = mentions.iter().find(|m| m.start < end && m.end > start);
        if g.role == "context" {
            self.add_context(file, here, g);
        } else {
            self.add_site(file, mentions, here, g);
        }
    }

    fn add_context(&mut self, file: &str, here: Option<&Mention>, g: &Gold) {
        self.contexts += 1;
        let kept = match here {
            Some(m) => m.role == Role::Context,
            None => g.geonameid.is_none(),
        };
        if kept {
            self.contexts_kept += 1;
        } else if let Some(m) = here {
            self.misses
                .push(format!("{file}: {:?} is context, extracted as an incident in: {}", g.mention, m.evidence));
        } else {
            self.misses.push(format!("{file}: context {:?} ({:?}) not found", g.mention, g.geonameid));
        }
    }

    fn add_site(&mut self, file: &str, mentions: &[Mention], here: Option<&Mention>, g: &Gold) {
        self.sites += 1;
        self.villages += usize::from(g.point.is_some());
        if let Some(m) = here.filter(|m| m.role == Role::Incident)
            && admin1_of(m).is_some_and(|a| a != g.admin1)
        {
            self.outside_region += 1;
            self.misses.push(format!(
                "{file}: {:?} placed in {:?} ({:?}), the text says {}",
                g.mention,
                admin1_of(m),
                m.place.as_ref().map(|p| &p.name),
                g.admin1
            ));
        }
        let hit = here.filter(|m| places_site(m, g)).or_else(|| mentions.iter().find(|m| places_site(m, g)));
        let Some(m) = hit else {
            // For a village with independent coordinates, how far the mention at its position was put.
            let off_km = g
                .point
                .zip(here.and_then(point_of))
                .map(|((lat, lon), (m_lat, m_lon))| {
                    format!(", {:.1} km from the gold point", geodesic_km(lat, lon, m_lat, m_lon))
                })
                .unwrap_or_default();
            self.misses.push(format!(
                "{file}: incident {:?} ({:?} in {}) not found; at its position: {:?}{off_km}",
                g.mention,
                g.geonameid,
                g.admin1,
                here.map(|m| (m.role, m.place.as_ref().map(|p| (p.geonameid, p.name.clone())), &m.reason))
            ));
            return;
        };
        self.found += 1;
        self.villages_at_own_point += usize::from(at_own_point(m, g));
        self.precise += 1;
        self.precision_right += usize::from(precision_name(m.precision) == g.precision);
        if !g.date.is_empty() {
            self.dated += 1;
            self.dates_right += usize::from(m.date.as_deref() == Some(g.date.as_str()));
        }
        if !g.weapon.is_empty() {
            self.armed += 1;
            if m.weapon == Some(g.weapon.as_str()) {
                self.weapons_right += 1;
            } else {
                self.misses
                    .push(format!("{file}: {:?} weapon {:?}, gold {}: {}", g.mention, m.weapon, g.weapon, m.evidence));
            }
        }
        if !g.event_type.is_empty() {
            self.typed += 1;
            let got = m.event_type.map(|t| t.as_str());
            if got == Some(g.event_type.as_str()) {
                self.types_right += 1;
            } else {
                self.misses
                    .push(format!("{file}: {:?} event {got:?}, gold {}: {}", g.mention, g.event_type, m.evidence));
            }
        }
    }

    fn print(&self, corpus: &str) {
        let pc = |a: usize, b: usize| format!("{a}/{b} ({:.1} %)", 100.0 * share(a, b));
        eprintln!("{corpus}: incident sites found at the right place: {}", pc(self.found, self.sites));
        eprintln!("incidents placed outside the region the text names: {}", self.outside_region);
        eprintln!("context mentions kept as context: {}", pc(self.contexts_kept, self.contexts));
        eprintln!("precision right on found sites: {}", pc(self.precision_right, self.precise));
        eprintln!(
            "villages without a GeoNames id found at their own point (within {VILLAGE_RADIUS_KM} km of independent \
             coordinates): {}/{}",
            self.villages_at_own_point, self.villages
        );
        eprintln!(
            "dates right: {}; weapons right: {}; event types right: {}",
            pc(self.dates_right, self.dated),
            pc(self.weapons_right, self.armed),
            pc(self.types_right, self.typed)
        );
        for m in &self.misses {
            eprintln!("  {m}");
        }
    }

    /// Assert each figure is at least its minimum (fractions; `outside_region` a count at most).
    #[track_caller]
    fn assert_at_least(&self, min: &Minimums) {
        let checks = [
            ("incident sites", self.found, self.sites, min.sites),
            ("context kept", self.contexts_kept, self.contexts, min.context),
            ("precision", self.precision_right, self.precise, min.precision),
            ("dates", self.dates_right, self.dated, min.dates),
            ("weapons", self.weapons_right, self.armed, min.weapons),
            ("event types", self.types_right, self.typed, min.event_types),
        ];
        for (what, a, b, floor) in checks {
            assert!(share(a, b) >= floor, "{what}: {a}/{b} is below {:.1} %", 100.0 * floor);
        }
        assert!(
            self.outside_region <= min.outside_region,
            "{} incidents outside the named region",
            self.outside_region
        );
    }
}

/// The least a corpus must score, as fractions, and the most incidents it may place outside the named region.
struct Minimums {
    sites: f64,
    context: f64,
    precision: f64,
    dates: f64,
    weapons: f64,
    event_types: f64,
    outside_region: usize,
}

/// Issue 23's bar for a blind corpus: ≥ 95 % of incident sites, ≥ 85 % of context kept, none outside the named
/// region. Printed beside the figures; [`BLIND_FLOORS`] is what the test asserts until the bar is met.
const BAR: (f64, f64, usize) = (0.95, 0.85, 0);

/// The blind corpus's figures today, rounded down: the floor that later changes must not go under. Its first
/// run (211/244 sites, 125/175 context, 9 outside the region; see its README) is the blind measure; since then
/// its misses have been studied, so its figures are development figures and a fresh blind corpus measures next.
const BLIND_FLOORS: Minimums = Minimums {
    sites: 0.93,
    context: 0.81,
    precision: 0.78,
    dates: 0.82,
    weapons: 0.89,
    event_types: 0.88,
    outside_region: 6,
};

#[test]
fn blind_corpus_keeps_its_floors() {
    let score = Score::of("blind3");
    eprintln!(
        "issue 23's bar: sites {:.1} % (wants {:.0} %), context {:.1} % (wants {:.0} %), outside the region {} (wants {})",
        100.0 * share(score.found, score.sites),
        100.0 * BAR.0,
        100.0 * share(score.contexts_kept, score.contexts),
        100.0 * BAR.1,
        score.outside_region,
        BAR.2
    );
    score.assert_at_least(&BLIND_FLOORS);
}

/// The second blind corpus (issue 23): 30 reports written, after this session's work, by a writer who saw no
/// code and ran nothing but `incimap resolve`. Its first run is recorded in the README; the floors are that
/// run, rounded down, but for incidents outside the named region: 7 then, 3 held since districts beside a city
/// are the city's.
#[test]
fn second_blind_corpus_keeps_its_first_run() {
    let score = Score::of("blind4");
    eprintln!(
        "blind4 first run: sites {:.1} %, context {:.1} %, outside the region {}",
        100.0 * share(score.found, score.sites),
        100.0 * share(score.contexts_kept, score.contexts),
        score.outside_region
    );
    score.assert_at_least(&Minimums {
        sites: 0.93,
        context: 0.82,
        precision: 0.78,
        dates: 0.90,
        weapons: 0.82,
        event_types: 0.72,
        outside_region: 3,
    });
}

/// The first development corpus (once held out as `eval`): today's figures, rounded down.
#[test]
fn first_development_corpus_keeps_its_minimums() {
    Score::of("dev1").assert_at_least(&Minimums {
        sites: 0.97,
        context: 0.88,
        precision: 0.91,
        dates: 0.93,
        weapons: 0.88,
        event_types: 0.0, // no gold types
        outside_region: 0,
    });
}

/// The second development corpus (once held out as `eval2`): today's figures, rounded down.
#[test]
fn second_development_corpus_keeps_its_minimums() {
    Score::of("dev2").assert_at_least(&Minimums {
        sites: 1.0,
        context: 0.83,
        precision: 0.89,
        dates: 0.77,
        weapons: 0.82,
        event_types: 0.0, // no gold types
        outside_region: 0,
    });
}
