//! Layer files read back by an independent reader (the `geojson` crate, serde_json, geo) and checked
//! against RFC 7946 / RFC 8142, and the distance bands checked against geodesic distances computed here
//! with GeographicLib, independently of the projection-and-buffer construction.

mod map_common;

use std::sync::OnceLock;

use geo::{Contains, Coord};
use geographiclib_rs::{Geodesic, InverseGeodesic};
use incimap::layers::{LayerFormat, LayerWriter, MapOptions, bands};
use map_common::*;

/// Every number in a coordinates array, recursively.
fn positions(v: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
    if let Some(a) = v.as_array() {
        if a.len() >= 2 && a[0].is_number() {
            out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()));
        } else {
            a.iter().for_each(|x| positions(x, out));
        }
    }
}

/// Shoelace signed area of a lon/lat ring (positive = counter-clockwise).
fn signed_area(ring: &[(f64, f64)]) -> f64 {
    ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum::<f64>() / 2.0
}

/// Check a FeatureCollection file against RFC 7946: no `crs`, a bbox that is exactly the extent of its
/// positions, at most six decimals, right-hand winding. Returns the document.
fn check_rfc7946(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    // Independent reader: the geojson crate must accept it.
    let _: geojson::GeoJson = text.parse().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    assert!(doc.get("crs").is_none(), "{}: RFC 7946 has no crs member", path.display());
    let feats = doc["features"].as_array().unwrap();
    let mut all = Vec::new();
    for f in feats {
        assert!(f["properties"].is_object());
        let g = &f["geometry"];
        positions(&g["coordinates"], &mut all);
        // Every coordinate's text has at most 6 decimals: re-serialise and look.
        for (x, y) in {
            let mut p = Vec::new();
            positions(&g["coordinates"], &mut p);
            p
        } {
            for v in [x, y] {
                let s = serde_json::to_string(&v).unwrap();
                let decimals = s.split('.').nth(1).map_or(0, |d| d.len());
                assert!(decimals <= 6 && !s.contains('e'), "{}: coordinate {s}", path.display());
            }
            assert!((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y), "lon/lat order");
        }
        let polys: Vec<&serde_json::Value> = match g["type"].as_str().unwrap() {
            "Polygon" => vec![&g["coordinates"]],
            "MultiPolygon" => g["coordinates"].as_array().unwrap().iter().collect(),
            _ => vec![],
        };
        for p in polys {
            for (i, ring) in p.as_array().unwrap().iter().enumerate() {
                let mut pts = Vec::new();
                positions(ring, &mut pts);
                assert_eq!(pts.first(), pts.last(), "closed ring");
                let a = signed_area(&pts);
                if i == 0 {
                    assert!(a > 0.0, "{}: exterior ring must be counter-clockwise", path.display());
                } else {
                    assert!(a < 0.0, "{}: holes must be clockwise", path.display());
                }
            }
        }
    }
    if all.is_empty() {
        return doc;
    }
    let bbox: Vec<f64> = doc["bbox"].as_array().expect("a bbox").iter().map(|v| v.as_f64().unwrap()).collect();
    let west = all.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let south = all.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let east = all.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let north = all.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(bbox, vec![west, south, east, north], "{}: bbox", path.display());
    doc
}

fn write_two(dir: &std::path::Path, format: LayerFormat) -> incimap::layers::Summary {
    let opts = MapOptions { edges_km: vec![0.0, 10.0], format, ..MapOptions::default() };
    let mut w = LayerWriter::create(dir, opts, &boundaries()).unwrap();
    w.add_incident(&belgorod()).unwrap();
    let mut kharkiv = incident(3, 49.99, 36.23, -31.5, (50.2, 36.6), Some("UA"));
    kharkiv.fields.insert("date".into(), "01.05.2024".into());
    w.add_incident(&kharkiv).unwrap();
    w.add_unresolved(&incimap::incidents::Unresolved {
        source: "hand.csv".into(),
        line: 4,
        input: "Zzyzx, \"quoted\"".into(),
        reason: "place not found".into(),
    })
    .unwrap();
    w.finish().unwrap()
}

#[test]
fn incident_and_leader_layers_follow_rfc7946_and_keep_every_field() {
    let dir = tempdir();
    let s = write_two(dir.path(), LayerFormat::GeoJson);
    assert_eq!((s.incidents, s.leaders, s.unresolved, s.inside_ukraine), (2, 2, 1, 1));

    let doc = check_rfc7946(&dir.path().join("incidents.geojson"));
    let f = &doc["features"][0];
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(f["geometry"]["coordinates"], serde_json::json!([36.58015, 50.61074]));
    let p = &f["properties"];
    // Input fields as read; the input's `country` ("Russia") kept beside the computed one.
    assert_eq!(p["place"], "Belgorod");
    assert_eq!(p["lat"], "50.61074");
    assert_eq!(p["input_country"], "Russia");
    assert_eq!(p["country"], "RU");
    assert_eq!(p["border_km"], 32.839);
    assert_eq!(p["inside_ukraine"], false);
    assert_eq!(p["geonameid"], 578072);
    assert_eq!(p["place_name"], "Belgorod");
    assert_eq!(p["admin1_name"], "Belgorod Oblast");
    assert_eq!(p["status"], "resolved");
    assert_eq!(p["score"], 0.97);
    assert_eq!(p["precision"], "exact");
    assert!(p["evidence"].is_null());
    assert_eq!(p["date"], "2024-05-01");
    // The input said "drone" and the incident's normalised weapon is None here: the input's wording is kept.
    assert_eq!(p["weapon_text"], "drone");
    let p2 = &doc["features"][1]["properties"];
    assert_eq!((p2["date"].as_str(), p2["input_date"].as_str()), (Some("2024-05-01"), Some("01.05.2024")));
    assert_eq!(p2["inside_ukraine"], true);

    let leaders = check_rfc7946(&dir.path().join("leaders.geojson"));
    let l = &leaders["features"][0];
    assert_eq!(l["geometry"]["type"], "LineString");
    assert_eq!(l["geometry"]["coordinates"], serde_json::json!([[36.58015, 50.61074], [36.3, 50.36]]));
    assert_eq!(l["properties"]["border_km"], 32.839);
    assert_eq!(l["properties"]["incident_id"], 1);

    for name in ["border", "ukraine", "bands"] {
        check_rfc7946(&dir.path().join(format!("{name}.geojson")));
        assert!(dir.path().join(format!("{name}.qml")).is_file());
    }
    let csv = std::fs::read_to_string(dir.path().join("unresolved.csv")).unwrap();
    assert_eq!(csv, "source,line,input,reason\nhand.csv,4,\"Zzyzx, \"\"quoted\"\"\",place not found\n");
}

#[test]
fn geojsonseq_is_rfc8142() {
    let dir = tempdir();
    write_two(dir.path(), LayerFormat::GeoJsonSeq);
    for name in ["incidents", "leaders"] {
        let bytes = std::fs::read(dir.path().join(format!("{name}.geojsons"))).unwrap();
        let records: Vec<&[u8]> = bytes.split(|&b| b == 0x1e).collect();
        assert!(records[0].is_empty(), "the file starts with RS");
        assert_eq!(records.len(), 3, "two records");
        for r in &records[1..] {
            assert_eq!(r.last(), Some(&b'\n'), "each record ends with LF");
            let f: geojson::Feature = std::str::from_utf8(r).unwrap().trim_end().parse().unwrap();
            assert!(f.geometry.is_some());
        }
        assert!(!dir.path().join(format!("{name}.geojson")).exists());
        assert!(dir.path().join(format!("{name}.qml")).is_file());
    }
}

#[test]
fn an_unfinished_run_replaces_nothing() {
    let dir = tempdir();
    std::fs::write(dir.path().join("incidents.geojson"), "previous").unwrap();
    let opts = MapOptions { edges_km: vec![0.0, 10.0], ..MapOptions::default() };
    let mut w = LayerWriter::create(dir.path(), opts, &boundaries()).unwrap();
    w.add_incident(&belgorod()).unwrap();
    drop(w); // an error while reading: finish() never runs
    assert_eq!(std::fs::read_to_string(dir.path().join("incidents.geojson")).unwrap(), "previous");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 1, "no temporary or partial files left: {left:?}");
}

/// One `--bands` grammar for `map` and `stats` (issue 24): what one takes the other takes, with the same edges.
#[test]
fn band_lists_parse_strictly() {
    use incimap::border::band_edges::parse;
    assert_eq!(parse("0,10,25,50,100,250").unwrap(), bands::DEFAULT_EDGES_KM.to_vec());
    assert_eq!(parse(" 5 , 7.5 ,∞").unwrap(), vec![0.0, 5.0, 7.5]);
    assert_eq!(parse("10").unwrap(), vec![0.0, 10.0]);
    for bad in ["", "0", "inf", "0,10,10", "0,-5", "-10,0,10", "0,x", "0,inf,10", "0,2000", "0,NaN"] {
        assert!(parse(bad).is_err(), "{bad:?} should be refused");
        assert!(incimap::stats::Bands::parse(bad).is_err(), "stats: {bad:?} should be refused");
    }
    for good in ["10", "0,10,25", "5,7.5,inf"] {
        let drawn = parse(good).unwrap();
        let counted = incimap::stats::Bands::parse(good).unwrap();
        let outside: Vec<f64> = counted.edges().iter().copied().filter(|e| *e >= 0.0).collect();
        assert_eq!(outside, drawn, "{good}");
    }
}

// ---- distance bands against independent geodesic distances ----

struct BorderRef {
    /// Border vertices, lat/lon.
    pts: Vec<(f64, f64)>,
    /// Segments as index pairs.
    segs: Vec<(usize, usize)>,
}

fn border_ref() -> &'static BorderRef {
    static R: OnceLock<BorderRef> = OnceLock::new();
    R.get_or_init(|| {
        let b = boundaries();
        let (mut pts, mut segs) = (Vec::new(), Vec::new());
        for l in &b.land_border.0 {
            let start = pts.len();
            pts.extend(l.coords().map(|c| (c.y, c.x)));
            segs.extend((start..pts.len().saturating_sub(1)).map(|i| (i, i + 1)));
        }
        BorderRef { pts, segs }
    })
}

/// Geodesic distance (km) from a point to the border: candidate segments by a spherical distance to
/// their end points, then a golden-section search along each candidate (straight in lon/lat between
/// vertices a few hundred metres apart) with GeographicLib's inverse problem.
fn geodesic_km_to_border(lat: f64, lon: f64) -> f64 {
    let r = border_ref();
    let g = Geodesic::wgs84();
    let hav = |a: (f64, f64)| {
        let (p1, p2) = (lat.to_radians(), a.0.to_radians());
        let dl = (a.1 - lon).to_radians();
        let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6371.0 * h.sqrt().asin()
    };
    let near: Vec<f64> = r.pts.iter().map(|&p| hav(p)).collect();
    let best = near.iter().cloned().fold(f64::INFINITY, f64::min);
    let mut min_m = f64::INFINITY;
    for &(i, j) in &r.segs {
        if near[i].min(near[j]) > best * 1.01 + 2.0 {
            continue;
        }
        let at = |t: f64| {
            let (a, b) = (r.pts[i], r.pts[j]);
            let d: f64 = g.inverse(lat, lon, a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            d
        };
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        let phi = 0.618_033_988_75;
        for _ in 0..40 {
            let (m1, m2) = (hi - phi * (hi - lo), lo + phi * (hi - lo));
            if at(m1) < at(m2) { hi = m2 } else { lo = m1 }
        }
        min_m = min_m.min(at((lo + hi) / 2.0)).min(at(0.0)).min(at(1.0));
    }
    min_m / 1000.0
}

fn default_bands() -> &'static Vec<bands::Band> {
    static B: OnceLock<Vec<bands::Band>> = OnceLock::new();
    B.get_or_init(|| bands::build(&boundaries(), &bands::DEFAULT_EDGES_KM).unwrap())
}

/// `map` draws the bands the gazetteer was built with: they must be what the band builder makes now from
/// the same boundaries (a stale `gazetteer/` after a change to the builder fails here).
#[test]
fn the_gazetteer_carries_the_default_bands_the_builder_makes() {
    assert_eq!(&boundaries().default_bands, default_bands());
}

#[test]
fn bands_are_valid_and_their_edges_lie_at_their_distances() {
    let b = default_bands();
    assert_eq!(b.len(), 5);
    let center = bands::border_center(&boundaries().land_border).unwrap();
    let g = Geodesic::wgs84();
    use geo::Distance;
    let ukraine_rings: Vec<geo::LineString<f64>> =
        boundaries().ukraine.0.iter().map(|p| p.exterior().clone()).collect();
    for band in b {
        bands::validate(band).unwrap();
        use geo::Validation;
        assert!(band.area.is_valid(), "{}", band.label());
        // Every vertex lies between the band's distances, within the stated error; the farthest vertices
        // are the outer edge and lie at `to_km`.
        let verts: Vec<Coord<f64>> = band.area.0.iter().flat_map(|p| p.exterior().coords().copied()).collect();
        let step = (verts.len() / 150).max(1);
        let mut max_outer_err: f64 = 0.0;
        for c in verts.iter().step_by(step) {
            let d = geodesic_km_to_border(c.y, c.x);
            let reach: f64 = g.inverse(center.y, center.x, c.y, c.x);
            let tol = bands::stated_error_km(band.to_km, reach / 1000.0);
            assert!(
                d >= band.from_km - tol && d <= band.to_km + tol,
                "{}: vertex ({}, {}) is {d} km from the border (tolerance {tol})",
                band.label(),
                c.y,
                c.x
            );
            // Vertices on the buffer's outer edge (not on Ukraine's boundary, which the band follows where it
            // cuts through): they must sit at `to_km` within the stated error.
            let on_ukraine = ukraine_rings.iter().any(|r| geo::Euclidean.distance(&geo::Point(*c), r) < 1e-4);
            if !on_ukraine && d > (band.from_km + band.to_km) / 2.0 {
                assert!((d - band.to_km).abs() <= tol, "{}: outer vertex at {d} km (tolerance {tol})", band.label());
                max_outer_err = max_outer_err.max((d - band.to_km).abs());
            }
        }
        eprintln!("{}: outer edge within {:.3} km of its distance (sampled vertices)", band.label(), max_outer_err);
    }
}

#[test]
fn points_fall_in_the_band_of_their_geodesic_distance() {
    let b = default_bands();
    let ukraine = boundaries().ukraine;
    let ukraine_whole: Vec<geo::Polygon<f64>> =
        ukraine.0.iter().map(|p| geo::Polygon::new(p.exterior().clone(), vec![])).collect();
    // A deterministic spread of points over the region (a Halton sequence in bases 2 and 3).
    let halton = |mut i: u32, base: u32| {
        let (mut f, mut r) = (1.0, 0.0);
        while i > 0 {
            f /= base as f64;
            r += f * (i % base) as f64;
            i /= base;
        }
        r
    };
    let mut checked = 0;
    for i in 1..400u32 {
        let lon = 30.0 + 12.0 * halton(i, 2);
        let lat = 45.0 + 9.0 * halton(i, 3);
        let p = geo::Point::new(lon, lat);
        if ukraine_whole.iter().any(|u| u.contains(&p)) {
            assert!(b.iter().all(|band| !band.area.contains(&p)), "({lat}, {lon}) inside Ukraine is in a band");
            continue;
        }
        let d = geodesic_km_to_border(lat, lon);
        for band in b {
            // Clear of the edges by more than the error bound: membership must be exact.
            let margin = bands::stated_error_km(band.to_km, 900.0);
            if d > band.from_km + margin && d < band.to_km - margin {
                assert!(band.area.contains(&p), "({lat}, {lon}) at {d} km is not in {}", band.label());
                checked += 1;
            } else if d < band.from_km - margin || d > band.to_km + margin {
                assert!(!band.area.contains(&p), "({lat}, {lon}) at {d} km is wrongly in {}", band.label());
            }
        }
    }
    assert!(checked > 50, "only {checked} points fell inside bands");
}

// ---- what the layers draw: bands on Russian land, Ukraine without specks of holes ----

/// `bands.geojson` as `map` writes it with the default edges.
fn written_bands() -> &'static Vec<geo::MultiPolygon<f64>> {
    static B: OnceLock<(tempfile::TempDir, Vec<geo::MultiPolygon<f64>>)> = OnceLock::new();
    &B.get_or_init(|| {
        let dir = tempdir();
        LayerWriter::create(dir.path(), MapOptions::default(), &boundaries()).unwrap().finish().unwrap();
        let text = std::fs::read_to_string(dir.path().join("bands.geojson")).unwrap();
        let fc: geojson::FeatureCollection = text.parse().unwrap();
        let bands = fc
            .features
            .into_iter()
            .map(|f| geo::MultiPolygon::<f64>::try_from(f.geometry.unwrap().value).unwrap())
            .collect();
        (dir, bands)
    })
    .1
}

/// The bands are cut to Russia: no part of any band lies outside the Russia polygon (beyond rounding), none
/// reaches into Belarus or the Sea of Azov, where the bands as built (everything outside Ukraine within
/// their distances) did reach.
#[test]
fn written_bands_lie_on_russian_land() {
    // Areas compared in square degrees (planar): a ratio, independent of the rings' orientation.
    use geo::{Area, BooleanOps};
    let b = boundaries();
    let written = written_bands();
    let overlap = b.russia.intersection(&b.belarus).unsigned_area();
    assert!(overlap < 0.01, "Russia and Belarus overlap by {overlap} deg²");
    assert_eq!(written.len(), bands::DEFAULT_EDGES_KM.len() - 1);
    for (band, built) in written.iter().zip(default_bands()) {
        let area = band.unsigned_area();
        assert!(area > 0.1, "{}: {area} deg²", built.label());
        // Rounding to 6 decimals moves an edge by up to 0.1 m: a sliver of that width may stick out.
        let outside = band.difference(&b.russia).unsigned_area();
        assert!(outside <= area * 1e-5, "{}: {outside} deg² of {area} outside Russia", built.label());
        // Where the two sources' outlines overlap (a few km² along their border) a band may lie in both.
        let in_belarus = band.intersection(&b.belarus).unsigned_area();
        assert!(in_belarus <= overlap + area * 1e-5, "{}: {in_belarus} deg² in Belarus", built.label());
    }
    // (lat, lon, band index as built): Homyel', Belarus, about 55 km from the Russia–Belarus–Ukraine
    // tripoint; the middle of the Sea of Azov, some 150 km from the border's end on Taganrog Bay.
    for (name, lat, lon, was_in) in [("Homyel'", 52.4345, 30.9754, 3), ("Sea of Azov", 46.0, 36.9, 4)] {
        let p = geo::Point::new(lon, lat);
        assert!(
            default_bands()[was_in].area.contains(&p),
            "{name} was in {} as built",
            default_bands()[was_in].label()
        );
        assert!(written.iter().all(|band| !band.contains(&p)), "{name} is in a written band");
    }
    // Belgorod, 32.8 km from the border in Russia, is still in the 25–50 km band.
    assert!(written[2].contains(&geo::Point::new(36.58015, 50.61074)));
}

/// `ukraine.geojson` draws no interior ring under `DISPLAY_HOLE_MIN_KM2` (QGIS drew thousands of them as
/// speckle); a large one stays; the boundaries measured against keep every ring.
#[test]
fn the_ukraine_layer_draws_no_specks_of_holes() {
    use geo::{GeodesicArea, LineString, Polygon};
    let doc: serde_json::Value = serde_json::from_slice(&incimap::layers::ukraine_layer(&boundaries())).unwrap();
    let geometry: geojson::Geometry = serde_json::from_value(doc["features"][0]["geometry"].clone()).unwrap();
    let geometry: geo::MultiPolygon<f64> = geometry.value.try_into().unwrap();
    for p in &geometry.0 {
        for hole in p.interiors() {
            let km2 = Polygon::new(hole.clone(), vec![]).geodesic_area_unsigned() / 1e6;
            assert!(km2 >= incimap::layers::DISPLAY_HOLE_MIN_KM2, "a hole of {km2} km² is drawn");
        }
    }
    // A territory with a pond of about 0.8 km² (0.01° square near 50° N) and a lake of about 640 km² (0.3°).
    let square =
        |x: f64, y: f64, d: f64| LineString::from(vec![(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)]);
    let mut b = boundaries();
    let land = Polygon::new(square(30.0, 50.0, 1.0), vec![square(30.1, 50.1, 0.01), square(30.5, 50.5, 0.3)]);
    b.ukraine = geo::MultiPolygon::new(vec![land]);
    let doc: serde_json::Value = serde_json::from_slice(&incimap::layers::ukraine_layer(&b)).unwrap();
    let rings = doc["features"][0]["geometry"]["coordinates"][0].as_array().unwrap().len();
    assert_eq!(rings, 2, "the exterior and the lake");
    assert_eq!(b.ukraine.0[0].interiors().len(), 2, "the measured territory keeps both holes");
}
