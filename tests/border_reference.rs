//! The border engine against an independent computation: `tools/border_reference.py` (Python GeographicLib,
//! border densified to a metre, brute-force ray casting for countries), whose output is committed in
//! `tests/data/border/`. The engine must agree within 10 m on every point.

use geographiclib_rs::{Geodesic, InverseGeodesic};
use incimap::border::BorderIndex;
use incimap::gazetteer::Gazetteer;

struct Expected {
    name: Option<String>,
    lat: f64,
    lon: f64,
    border_km: f64,
    nearest: (f64, f64),
    inside_ukraine: bool,
    country: Option<String>,
}

fn read(file: &str) -> Vec<Expected> {
    let path = format!("{}/tests/data/border/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(&path).expect("fixture");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let num = |r: &csv::StringRecord, name: &str| -> f64 { r[col(name).expect(name)].parse().expect("a number") };
    reader
        .records()
        .map(|r| {
            let r = r.expect("row");
            Expected {
                name: col("name").map(|i| r[i].to_string()),
                lat: num(&r, "lat"),
                lon: num(&r, "lon"),
                border_km: num(&r, "border_km"),
                nearest: (num(&r, "nearest_lat"), num(&r, "nearest_lon")),
                inside_ukraine: &r[col("inside_ukraine").expect("inside")] == "true",
                country: Some(r[col("country").expect("country")].to_string()).filter(|c| !c.is_empty()),
            }
        })
        .collect()
}

fn index() -> BorderIndex {
    BorderIndex::new(&Gazetteer::embedded().expect("embedded gazetteer").boundaries)
}

#[test]
fn random_points_agree_with_geographiclib_within_10_m() {
    let border = index();
    let expected = read("reference_points.csv");
    assert!(expected.len() >= 1000, "only {} reference points", expected.len());
    let g = Geodesic::wgs84();
    let (mut worst, mut far_nearest) = (0.0f64, 0);
    for e in &expected {
        assert!((28.0..=48.0).contains(&e.lon) && (43.0..=56.0).contains(&e.lat));
        let m = border.measure(e.lat, e.lon).expect("measurable");
        let diff = (m.border_km - e.border_km).abs();
        worst = worst.max(diff);
        assert!(diff <= 0.010, "({}, {}): {:.4} km, reference {:.4} km", e.lat, e.lon, m.border_km, e.border_km);
        assert_eq!(m.country.map(String::from), e.country, "country of ({}, {})", e.lat, e.lon);
        assert_eq!(m.inside_ukraine, e.inside_ukraine, "inside_ukraine of ({}, {})", e.lat, e.lon);
        // The nearest border point: the same one, unless two are (almost) equally near.
        let apart: f64 = g.inverse(m.nearest_border.lat, m.nearest_border.lon, e.nearest.0, e.nearest.1);
        if apart > 10.0 {
            far_nearest += 1;
        }
    }
    eprintln!("{} points, largest difference {:.2} m", expected.len(), worst * 1000.0);
    assert!(far_nearest * 100 <= expected.len(), "{far_nearest} nearest points differ by more than 10 m");
}

#[test]
fn named_places_agree_with_geographiclib() {
    let border = index();
    let places = read("reference_places.csv");
    let by_name = |n: &str| places.iter().find(|p| p.name.as_deref() == Some(n)).expect(n);
    for p in &places {
        let m = border.measure(p.lat, p.lon).expect("measurable");
        assert!(
            (m.border_km - p.border_km).abs() <= 0.010,
            "{:?}: {:.4} km, reference {:.4} km",
            p.name,
            m.border_km,
            p.border_km
        );
        assert_eq!(m.country.map(String::from), p.country, "{:?}", p.name);
    }
    // The expectations, on top of the numbers: the Ukrainian cities are inside (negative), Crimea is
    // Ukraine de jure, the Russian ones outside.
    for inside in ["Kharkiv", "Simferopol"] {
        let m = border.measure(by_name(inside).lat, by_name(inside).lon).expect("measurable");
        assert!(m.border_km < 0.0 && m.inside_ukraine && m.country == Some("UA"), "{inside}: {m:?}");
    }
    for outside in ["Belgorod", "Shebekino", "Sudzha", "Rostov-na-Donu", "Kaluga"] {
        let m = border.measure(by_name(outside).lat, by_name(outside).lon).expect("measurable");
        assert!(m.border_km > 0.0 && !m.inside_ukraine && m.country == Some("RU"), "{outside}: {m:?}");
    }
}

#[test]
fn batch_measure_matches_single_measure_in_order() {
    let border = index();
    let points: Vec<(f64, f64)> = read("reference_points.csv").iter().map(|e| (e.lat, e.lon)).collect();
    let batch = border.measure_many(&points);
    assert_eq!(batch.len(), points.len());
    for (&(lat, lon), b) in points.iter().zip(&batch) {
        assert_eq!(b.as_ref().ok(), border.measure(lat, lon).as_ref().ok());
    }
}

#[test]
fn bad_coordinates_are_errors_not_panics() {
    let border = index();
    assert!(border.measure(f64::NAN, 36.0).is_err());
    assert!(border.measure(50.0, f64::INFINITY).is_err());
    assert!(border.measure(90.5, 36.0).is_err());
    assert!(border.measure(50.0, -180.5).is_err());
    // Valid but far away: measured, no country.
    let sydney = border.measure(-33.87, 151.21).expect("measurable");
    assert!(sydney.border_km > 10_000.0 && sydney.country.is_none());
}
