//! Accuracy on unseen reports (issue 4's bar): the held-out corpora in tests/data/eval and tests/data/eval2 were
//! written blind to the extractor, in English, Russian and Ukrainian, with gold places taken from the GeoNames
//! source rows (see their READMEs). The bar: ≥ 95 % of incident sites resolved to the right place, and no incident placed
//! outside the region the text names.
//!
//! Gold rows are matched to mentions by position: the first occurrence of the gold `mention` string in its
//! file, and the extracted mention that overlaps it. A site also counts as found when the same article has an
//! incident at the gold place elsewhere (gold marks the first occurrence, the story may tell it later).
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
    weapon: String,
    date: String,
    /// Independent coordinates (lat, lon) of a village without a gold id; `None` on every other row.
    point: Option<(f64, f64)>,
}

fn gold_rows(dir: &Path) -> Vec<Gold> {
    let text = std::fs::read_to_string(dir.join("gold.tsv")).expect("gold.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("file\treport_date\tmention\trole\tgeonameid\tadmin1\tprecision\tweapon\tdate\tlat\tlon"),
        "gold header"
    );
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 11, "gold row {l:?}");
            let point = match (f[9], f[10]) {
                ("", "") => None,
                (lat, lon) => Some((
                    lat.parse().unwrap_or_else(|e| panic!("gold row {l:?}: lat: {e}")),
                    lon.parse().unwrap_or_else(|e| panic!("gold row {l:?}: lon: {e}")),
                )),
            };
            assert!(
                point.is_none() || (f[4].is_empty() && f[3] == "incident"),
                "gold row {l:?}: coordinates belong only on incident rows without an id"
            );
            Gold {
                file: f[0].into(),
                report_date: f[1].into(),
                mention: f[2].into(),
                role: f[3].into(),
                geonameid: f[4].parse().ok(),
                admin1: f[5].into(),
                precision: f[6].into(),
                weapon: f[7].into(),
                date: f[8].into(),
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

/// Score the extractor on the held-out corpus in `tests/data/{corpus}` against the accuracy bar, printing
/// every miss.
fn meets_the_accuracy_bar(corpus: &str) {
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
    let (mut sites, mut found, mut wrong_region) = (0, 0, 0);
    let (mut contexts, mut contexts_right) = (0, 0);
    let (mut villages, mut villages_at_own_point) = (0, 0);
    let (mut dated, mut dates_right, mut armed, mut weapons_right, mut precise, mut precision_right) =
        (0, 0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for (file, rows) in &by_file {
        let text = std::fs::read_to_string(dir.join(file)).expect("eval article");
        let report = chrono::NaiveDate::parse_from_str(&rows[0].report_date, "%Y-%m-%d").expect("report date");
        let mentions = ex.extract(&text, file, Some(report));
        for g in rows {
            let start = text.find(&g.mention).unwrap_or_else(|| panic!("{file}: {:?} not in the text", g.mention));
            let end = start + g.mention.len();
            let here = mentions.iter().find(|m| m.start < end && m.end > start);
            if g.role == "context" {
                contexts += 1;
                if here.is_none_or(|m| m.role == Role::Context) {
                    contexts_right += 1;
                } else if let Some(m) = here {
                    misses.push(format!(
                        "{file}: {:?} is context, extracted as an incident in: {}",
                        g.mention, m.evidence
                    ));
                }
                continue;
            }
            sites += 1;
            villages += usize::from(g.point.is_some());
            if let Some(m) = here.filter(|m| m.role == Role::Incident)
                && admin1_of(m).is_some_and(|a| a != g.admin1)
            {
                wrong_region += 1;
                misses.push(format!(
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
                misses.push(format!(
                    "{file}: incident {:?} ({:?} in {}) not found; at its position: {:?}{off_km}",
                    g.mention,
                    g.geonameid,
                    g.admin1,
                    here.map(|m| (m.role, m.place.as_ref().map(|p| (p.geonameid, p.name.clone())), &m.reason))
                ));
                continue;
            };
            found += 1;
            villages_at_own_point += usize::from(at_own_point(m, g));
            precise += 1;
            if precision_name(m.precision) == g.precision {
                precision_right += 1;
            }
            if !g.date.is_empty() {
                dated += 1;
                if m.date.as_deref() == Some(g.date.as_str()) {
                    dates_right += 1;
                }
            }
            if !g.weapon.is_empty() {
                armed += 1;
                if m.weapon == Some(g.weapon.as_str()) {
                    weapons_right += 1;
                } else {
                    misses.push(format!(
                        "{file}: {:?} weapon {:?}, gold {}: {}",
                        g.mention, m.weapon, g.weapon, m.evidence
                    ));
                }
            }
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    eprintln!(
        "{corpus}: incident sites found at the right place: {found}/{sites} ({:.1} %)",
        100.0 * share(found, sites)
    );
    eprintln!("incidents placed outside the region the text names: {wrong_region}");
    eprintln!("context mentions kept as context: {contexts_right}/{contexts}");
    eprintln!("precision right on found sites: {precision_right}/{precise}");
    eprintln!(
        "villages without a GeoNames id found at their own point (within {VILLAGE_RADIUS_KM} km of independent \
         coordinates): {villages_at_own_point}/{villages}"
    );
    eprintln!("dates right: {dates_right}/{dated}; weapons right: {weapons_right}/{armed}");
    for m in &misses {
        eprintln!("  {m}");
    }
    assert!(share(found, sites) >= 0.95, "incident sites found: {found}/{sites}, below 95 %");
    assert_eq!(wrong_region, 0, "incidents placed outside the region the text names");
}

#[test]
fn held_out_reports_meet_the_accuracy_bar() {
    meets_the_accuracy_bar("eval");
}

#[test]
fn second_held_out_set_meets_the_accuracy_bar() {
    meets_the_accuracy_bar("eval2");
}
