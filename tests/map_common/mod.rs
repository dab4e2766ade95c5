//! Shared by the `map_*` tests: boundaries, hand-made incidents, external-tool gating.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use incimap::border::{LatLon, Measurement};
use incimap::gazetteer::{Boundaries, Gazetteer};
use incimap::incidents::{Incident, Precision};
use incimap::resolve::{Candidate, Status};

/// The embedded gazetteer's boundaries (its land border included: `gazetteer/` is committed with it).
pub fn boundaries() -> Boundaries {
    let b = Gazetteer::embedded().expect("embedded gazetteer").boundaries;
    assert!(!b.land_border.0.is_empty(), "the embedded gazetteer has a land border");
    b
}

/// A located incident with a measurement given by hand.
pub fn incident(
    line: u64,
    lat: f64,
    lon: f64,
    border_km: f64,
    nearest: (f64, f64),
    country: Option<&'static str>,
) -> Incident {
    let mut fields = serde_json::Map::new();
    fields.insert("lat".into(), serde_json::Value::String(lat.to_string()));
    fields.insert("lon".into(), serde_json::Value::String(lon.to_string()));
    Incident {
        source: "hand.csv".into(),
        line,
        fields: fields.into(),
        date: Some("2024-05-01".into()),
        weapon: None,
        event_type: None,
        lat,
        lon,
        precision: Precision::Exact,
        status: None,
        place: None,
        measurement: Measurement {
            border_km,
            nearest_border: LatLon { lat: nearest.0, lon: nearest.1 },
            inside_ukraine: border_km < 0.0,
            country,
            geodesic_m: f64::NAN,
            azimuth_deg: f64::NAN,
        },
        evidence: None,
        note: None,
    }
}

/// Belgorod as the contract's example shows it: resolved place, 32.839 km outside.
pub fn belgorod() -> Incident {
    let mut inc = incident(2, 50.61074, 36.58015, 32.839, (50.36, 36.3), Some("RU"));
    inc.fields.insert("place".into(), "Belgorod".into());
    inc.fields.insert("country".into(), "Russia".into());
    inc.fields.insert("weapon".into(), "drone".into());
    inc.status = Some(Status::Resolved);
    inc.place = Some(Candidate {
        geonameid: 578072,
        name: "Belgorod".into(),
        country: "RU".into(),
        admin1: "RU.09".into(),
        admin1_name: "Belgorod Oblast".into(),
        feature_code: "PPLA".into(),
        population: 345289,
        lat: 50.61074,
        lon: 36.58015,
        score: 0.97,
        source: incimap::gazetteer::PlaceSource::Geonames,
        precision: incimap::gazetteer::PointPrecision::Exact,
        place_index: 0,
    });
    inc
}

/// A fresh temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Path inside the crate.
pub fn crate_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `incimap` with a private XDG_DATA_HOME and no INCIMAP_GAZETTEER: the embedded gazetteer, never the user's.
pub fn map_cmd(xdg: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("incimap").unwrap();
    cmd.env("XDG_DATA_HOME", xdg).env_remove("INCIMAP_GAZETTEER");
    cmd
}

/// The incident table the CLI tests map: seven rows that place (coordinates or a known town) and three that
/// cannot (an unknown place, a latitude off the globe, a date that does not exist), on known lines.
pub const TABLE: &str = "\
date,place,region,country,lat,lon,weapon,source,notes
2024-03-01,,,RU,50.7,36.9,drone,test,coordinates only
2024-03-02,Belgorod,Belgorod Oblast,RU,,,drone,test,resolved by name
2024-03-03,Zzyzxville,Kursk Oblast,RU,,,bomb,test,no such place
2024-03-04,,,RU,95.1,36.5,drone,test,latitude off the globe
2024-03-05,,,UA,49.99,36.23,missile,test,inside Ukraine
2024-03-06,,,RU,51.3,185.1,drone,test,longitude off the globe
2024-03-07,,,RU,47.23,39.72,drone,test,Rostov area
2024-03-08,,,RU,52.3,34.0,,test,north
2024-03-09,,,BY,52.1,30.9,,test,Belarus
2024-03-10,,,RU,55.75,37.62,drone,test,far away
";

/// Lines of [`TABLE`] that must land in unresolved.csv.
pub const TABLE_BAD_LINES: [u64; 3] = [4, 5, 7];

/// Run `incimap map` on [`TABLE`] (plus `extra` args) into a fresh directory; returns (tempdir, out dir).
pub fn map_table(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let input = tmp.path().join("table.csv");
    std::fs::write(&input, TABLE).unwrap();
    let out = tmp.path().join("out");
    let assert = map_cmd(&tmp.path().join("xdg")).arg("map").arg(&input).arg("-o").arg(&out).args(extra).assert();
    let output = assert.get_output().clone();
    assert!(output.status.success(), "incimap map failed: {}", String::from_utf8_lossy(&output.stderr));
    (tmp, out)
}
