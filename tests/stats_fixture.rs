//! `incimap::stats` against figures computed outside incimap: numpy on the fixture tables
//! (tests/data/incidents/make_expected.py → expected.json) and small cases worked by hand. Distances are fed
//! directly (the fixtures' `border_km` column, or `Stats::add`), so nothing here depends on the border engine.

#[path = "support/incidents.rs"]
mod fixtures;

use fixtures::{data, gazetteer};
use incimap::incidents::{self, Locator};
use incimap::stats::{Bands, GroupBy, Keyer, Report, Stats};
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(data("expected.json")).unwrap()).unwrap()
}

/// Read a fixture through the incident reader (distances from its `border_km` column) and summarise it.
fn report(file: &str, by: &[GroupBy]) -> Report {
    let (gaz, border) = gazetteer();
    let resolver = incimap::resolve::Resolver::new(gaz);
    let locator = Locator { resolver: &resolver, border };
    let opts = fixtures::given_km();
    let mut stats = Stats::new(Bands::default(), by.len());
    let mut keyer = Keyer::new(Some(&resolver));
    let summary = incidents::read(
        &[data(file)],
        &locator,
        &opts,
        |i| {
            stats.add_incident(&i, by, &mut keyer);
            Ok(())
        },
        |_| Ok(()),
    )
    .unwrap();
    stats.report_with(summary.unresolved, by, Some(&keyer))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + b.abs())
}

/// Compare one summary (count, border_km, bands) with numpy's.
fn assert_summary(what: &str, count: u64, got: &Value, want: &Value) {
    assert_eq!(count, want["count"].as_u64().unwrap(), "{what}: count");
    match (&got["border_km"], &want["border_km"]) {
        (Value::Null, Value::Null) => {}
        (g, w) => {
            for k in ["min", "p25", "median", "mean", "p75", "p90", "max"] {
                let (g, w) = (g[k].as_f64().unwrap(), w[k].as_f64().unwrap());
                assert!(close(g, w), "{what}: {k} = {g}, numpy says {w}");
            }
        }
    }
    let (gb, wb) = (got["bands"].as_array().unwrap(), want["bands"].as_array().unwrap());
    assert_eq!(gb.len(), wb.len(), "{what}: bands {gb:?}");
    for (g, w) in gb.iter().zip(wb) {
        assert_eq!(g["from_km"].as_f64(), w["from_km"].as_f64(), "{what}");
        assert_eq!(g["to_km"].as_f64(), w["to_km"].as_f64(), "{what}");
        assert_eq!(g["count"], w["count"], "{what}: band {}", g["label"]);
        assert!(close(g["share"].as_f64().unwrap(), w["share"].as_f64().unwrap()), "{what}: share");
    }
}

fn check_file(file: &str) {
    let want = &expected()[file];
    let r = report(file, &[]);
    assert_eq!(r.unresolved, want["unresolved"].as_u64().unwrap(), "{file}: unresolved");
    assert_summary(file, r.count, &serde_json::to_value(&r).unwrap(), &want["all"]);
}

#[test]
fn fixed_set_overall_matches_numpy() {
    check_file("fixed.csv");
}

#[test]
fn single_incident_matches_numpy() {
    check_file("single.csv");
}

#[test]
fn all_unresolved_input_has_no_distances() {
    check_file("all_unresolved.csv");
    let r = report("all_unresolved.csv", &[]);
    assert_eq!((r.count, r.unresolved), (0, 5));
    assert!(r.border_km.is_none());
}

#[test]
fn groupings_match_numpy() {
    let want = expected();
    for (by, name) in [
        (vec![GroupBy::Month], "month"),
        (vec![GroupBy::Weapon], "weapon"),
        (vec![GroupBy::Country], "country"),
        (vec![GroupBy::Source], "source"),
        (vec![GroupBy::Country, GroupBy::Weapon], "country,weapon"),
        (vec![GroupBy::Month, GroupBy::Weapon], "month,weapon"),
    ] {
        let r = report("fixed.csv", &by);
        let groups = want["fixed.csv"]["by"][name].as_object().unwrap();
        assert_eq!(
            r.groups.len(),
            groups.len(),
            "by {name}: {:?}",
            r.groups.iter().map(|g| &g.key).collect::<Vec<_>>()
        );
        for g in &r.groups {
            let w = groups.get(&g.key).unwrap_or_else(|| panic!("by {name}: unexpected group {}", g.key));
            assert_summary(&format!("by {name}: {}", g.key), g.count, &serde_json::to_value(g).unwrap(), w);
        }
    }
}

#[test]
fn groups_are_sorted_sensibly() {
    // Weapons by count (drone 7; artillery, bomb, missile 3 each, by name), unknown last.
    let keys = |r: &Report| r.groups.iter().map(|g| g.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&report("fixed.csv", &[GroupBy::Weapon])), ["drone", "artillery", "bomb", "missile", "(unknown)"]);
    // Months in calendar order, whatever their counts (6, 5, 6).
    assert_eq!(keys(&report("fixed.csv", &[GroupBy::Month])), ["2024-01", "2024-02", "2024-03"]);
    // Two-way: months in order, then weapons by count within the month.
    let two = keys(&report("fixed.csv", &[GroupBy::Month, GroupBy::Weapon]));
    assert_eq!(&two[..3], ["2024-01 / drone", "2024-01 / bomb", "2024-01 / missile"]);
}

#[test]
fn region_groups_use_admin1_codes() {
    let r = report("fixed.csv", &[GroupBy::Region]);
    // Belgorod Oblast is RU.09 in admin1CodesASCII.txt; five placeable rows name it.
    let belgorod = r.groups.iter().find(|g| g.key == "RU.09").expect("RU.09 group");
    assert_eq!(belgorod.count, 5);
    assert_eq!(belgorod.label.as_deref(), Some("Belgorod Oblast"));
    // By hand: 32.8, 4.0, 4.0, 4.0, 7.25 → median 4.0, mean 52.05 / 5 = 10.41.
    let d = belgorod.border_km.as_ref().unwrap();
    assert_eq!((d.min, d.median, d.max), (4.0, 4.0, 32.8));
    assert!(close(d.mean, 10.41));
    assert_eq!(r.groups[0].key, "RU.09", "the largest group first");
}

// --- Stats::add with distances worked by hand ---

fn distances(xs: &[f64]) -> Report {
    let mut s = Stats::new(Bands::default(), 0);
    xs.iter().for_each(|&x| s.add(x, &[]));
    s.report(0)
}

#[test]
fn ties_give_the_tied_value() {
    // Sorted: 5 5 5 5 8. Type 7: p25 → x[1] = 5; median → x[2] = 5; p75 → x[3] = 5; p90 → x[3.6] = 5 + 0.6·3 = 6.8.
    let r = distances(&[5.0, 8.0, 5.0, 5.0, 5.0]);
    let d = r.border_km.unwrap();
    assert_eq!((d.min, d.p25, d.median, d.p75, d.max), (5.0, 5.0, 5.0, 5.0, 8.0));
    assert!(close(d.p90, 6.8), "{}", d.p90);
    assert!(close(d.mean, 5.6));
}

#[test]
fn band_edges_belong_to_the_band_above() {
    // 0 → 0–10; 10 → 10–25; 250 → ≥ 250; 9.999 → 0–10.
    let r = distances(&[0.0, 10.0, 250.0, 9.999]);
    let count = |from: f64| r.bands.iter().find(|b| b.from_km == Some(from)).unwrap().count;
    assert_eq!((count(0.0), count(10.0), count(250.0)), (2, 1, 1));
    assert!(r.bands.iter().all(|b| b.to_km.is_none_or(|t| t > 0.0)), "no inside bands without inside points");
}

#[test]
fn points_inside_ukraine_fall_in_negative_bands() {
    // −0.5 → −10..0; −10 → −10..0 (from ≤ d); −10.5 → −25..−10; −300 → < −250; 3 → 0..10.
    let r = distances(&[-0.5, -10.0, -10.5, -300.0, 3.0]);
    let band = |from: Option<f64>, to: Option<f64>| {
        r.bands.iter().find(|b| b.from_km == from && b.to_km == to).unwrap_or_else(|| panic!("{from:?}..{to:?}")).count
    };
    assert_eq!(band(Some(-10.0), Some(0.0)), 2);
    assert_eq!(band(Some(-25.0), Some(-10.0)), 1);
    assert_eq!(band(None, Some(-250.0)), 1);
    assert_eq!(band(Some(0.0), Some(10.0)), 1);
    assert_eq!(r.bands.len(), 12);
    // Sorted −300 −10.5 −10 −0.5 3: median −10, p25 −10.5, p75 −0.5; p90 → x[3.6] = −0.5 + 0.6·3.5 = 1.6.
    let d = r.border_km.unwrap();
    assert_eq!((d.p25, d.median, d.p75), (-10.5, -10.0, -0.5));
    assert!(close(d.p90, 1.6));
    assert!(close(d.mean, -63.6));
}

#[test]
fn custom_bands_and_shares() {
    let mut s = Stats::new(Bands::parse("0,5,20").unwrap(), 0);
    for x in [1.0, 2.0, 6.0, 30.0] {
        s.add(x, &[]);
    }
    let r = s.report(0);
    let got: Vec<(String, u64, f64)> = r.bands.iter().map(|b| (b.label.clone(), b.count, b.share)).collect();
    assert_eq!(got, [("0–5".to_string(), 2, 0.5), ("5–20".to_string(), 1, 0.25), ("≥ 20".to_string(), 1, 0.25)]);
}

#[test]
fn unmeasured_incidents_are_counted_but_not_in_distances() {
    let mut s = Stats::new(Bands::default(), 1);
    s.add(f64::NAN, &["a"]);
    s.add(12.0, &["a"]);
    let r = s.report(3);
    assert_eq!((r.count, r.unmeasured, r.unresolved), (2, 1, 3));
    assert_eq!(r.border_km.as_ref().unwrap().median, 12.0);
    assert_eq!(r.groups[0].bands.iter().map(|b| b.share).sum::<f64>(), 1.0);
}

#[test]
fn many_values_stay_within_the_stated_error() {
    // 200,001 values 0.000, 0.005, ..., 1000 km (evenly spaced): every type-7 quantile is exact arithmetic.
    let n = 200_001u64;
    let mut s = Stats::new(Bands::default(), 0);
    for i in 0..n {
        s.add(i as f64 * 0.005, &[]);
    }
    let d = s.report(0).border_km.unwrap();
    for (got, want) in [(d.p25, 250.0), (d.median, 500.0), (d.p75, 750.0), (d.p90, 900.0)] {
        assert!((got - want).abs() <= (0.01f64).max(1e-3 * want), "{got} vs {want}");
    }
    assert!(close(d.mean, 500.0));
}
