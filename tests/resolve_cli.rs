//! `incimap resolve` end to end, on the binary. Expected ids are GeoNames rows read by hand from
//! ../shared/data/geonames/cities500-RU-UA-BY.txt: 578072 Belgorod (PPLA, RU.09, 345289, 50.61074
//! 36.58015), 559034 Grayvoron, 2017979 Petropavlovka (RU.11, Buryatia), 512051 Pavlovskaya (RU.38).
//! The user's installed gazetteer is kept out of the way with an empty XDG_DATA_HOME.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn incimap(data_home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("incimap").unwrap();
    cmd.env("XDG_DATA_HOME", data_home.path()).env_remove("INCIMAP_GAZETTEER");
    cmd
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

#[test]
fn json_output_follows_the_contract() {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home).args(["resolve", "--format", "json", "Belgorod", "Грайворон"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out.stdout);
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[0]["query"], "Belgorod");
    assert_eq!(arr[0]["status"], "resolved");
    let best = &arr[0]["best"];
    assert_eq!(best["geonameid"], 578072);
    assert_eq!(best["name"], "Belgorod");
    assert_eq!(best["country"], "RU");
    assert_eq!(best["admin1"], "RU.09");
    assert_eq!(best["admin1_name"], "Belgorod Oblast");
    assert_eq!(best["feature_code"], "PPLA");
    assert_eq!(best["population"], 345289);
    assert_eq!(best["lat"], 50.61074);
    assert_eq!(best["lon"], 36.58015);
    let score = best["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));
    assert!(arr[0]["candidates"].is_array());
    assert!(arr[0]["reason"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(arr[1]["best"]["geonameid"], 559034);
}

#[test]
fn names_from_stdin_in_input_order() {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home)
        .args(["resolve", "--format", "json"])
        .write_stdin("Pavlovskaya\r\n\n  Belgorod  \nGrayvoron\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out.stdout);
    let ids: Vec<i64> = v.as_array().unwrap().iter().map(|r| r["best"]["geonameid"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![512051, 578072, 559034]);
}

#[test]
fn region_hint_gives_not_found_with_outside_candidates() {
    let home = tempfile::tempdir().unwrap();
    let out =
        incimap(&home).args(["resolve", "--format", "json", "--region", "Voronezh region", "Sudzha"]).output().unwrap();
    assert!(out.status.success());
    let v = json_of(&out.stdout);
    assert_eq!(v[0]["status"], "not_found");
    assert!(v[0]["best"].is_null());
    // 486816 Sudzha, Kursk Oblast: the only Sudzha of the source files
    let cands = v[0]["candidates"].as_array().unwrap();
    assert!(cands.iter().any(|c| c["geonameid"] == 486816 && c["admin1"] == "RU.41"));
}

#[test]
fn limit_and_country() {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home).args(["resolve", "--format", "json", "--limit", "2", "Pavlovka"]).output().unwrap();
    let v = json_of(&out.stdout);
    assert_eq!(v[0]["candidates"].as_array().unwrap().len(), 2);
    let out = incimap(&home).args(["resolve", "--format", "json", "--country", "by", "Belgorod"]).output().unwrap();
    let v = json_of(&out.stdout);
    assert_eq!(v[0]["status"], "not_found");
}

#[test]
fn geojson_output() {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home).args(["resolve", "--format", "geojson", "Belgorod", "Nowhereville"]).output().unwrap();
    assert!(out.status.success());
    let v = json_of(&out.stdout);
    assert_eq!(v["type"], "FeatureCollection");
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["geometry"]["type"], "Point");
    assert_eq!(f[0]["geometry"]["coordinates"], serde_json::json!([36.58015, 50.61074]));
    assert_eq!(f[0]["properties"]["geonameid"], 578072);
    assert_eq!(f[0]["properties"]["query"], "Belgorod");
    assert!(f[1]["geometry"].is_null());
    assert_eq!(f[1]["properties"]["status"], "not_found");
}

#[test]
fn table_output_shows_place_region_population_coordinates_score_and_why() {
    let home = tempfile::tempdir().unwrap();
    incimap(&home)
        .args(["resolve", "--format", "table", "Belgorod"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Belgorod (578072)"))
        .stdout(predicate::str::contains("Belgorod Oblast"))
        .stdout(predicate::str::contains("345289"))
        .stdout(predicate::str::contains("50.61074"))
        .stdout(predicate::str::contains("36.58015"))
        .stdout(predicate::str::contains("WHY"))
        .stdout(predicate::str::contains("regional capital"));
}

/// Runs `args` (with `stdin`), expects exit `code`, a message containing `needle`, and no panic.
fn fails(args: &[&str], stdin: Option<Vec<u8>>, code: i32, needle: &str) {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = incimap(&home);
    cmd.args(args);
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: expected {needle:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout: {}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn bad_input_is_refused_clearly() {
    let long = "Б".repeat(10_000);
    fails(&["resolve", ""], None, 2, "empty name");
    fails(&["resolve", "Belgorod", "   "], None, 2, "argument 2: empty name");
    fails(&["resolve", &long], None, 2, "10000 characters");
    fails(&["resolve", "Bel\u{1b}[31mgorod"], None, 2, "control character U+001B");
    fails(&["resolve", "--format", "json"], Some(b"\n \n".to_vec()), 2, "no place names");
    fails(&["resolve", "--region", "Atlantis region", "Belgorod"], None, 2, "not a region");
    fails(&["resolve", "--country", "Russia", "Belgorod"], None, 2, "ISO alpha-2");
    fails(&["resolve", "--limit", "0", "Belgorod"], None, 2, "--limit");
    fails(&["resolve", "--format", "csv", "Belgorod"], None, 2, "--format");
}

/// An unusable line on stdin (not UTF-8, longer than any name) is reported with its line and answered
/// `not_found`; the other names are answered (issue 25: one bad line failed the whole batch). Memory stays
/// bounded: stdin is answered a chunk at a time.
#[test]
fn an_unusable_stdin_line_is_reported_on_its_own() {
    let home = tempfile::tempdir().unwrap();
    let long = "Б".repeat(10_000);
    let mut stdin = b"Belgorod\n\xff\xfeKursk\n".to_vec();
    stdin.extend_from_slice(format!("{long}\nSumy\n").as_bytes());
    let out = incimap(&home).args(["resolve", "--format", "json"]).write_stdin(stdin).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("stdin line 2: not valid UTF-8") && err.contains("stdin line 3: a line of more than"),
        "{err}"
    );
    let answers: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<&str> = answers.iter().map(|a| a["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["resolved", "not_found", "not_found", "resolved"]);
    // Belgorod and Sumy: GeoNames 578072 and 692194.
    assert_eq!(
        (answers[0]["best"]["geonameid"].as_u64(), answers[3]["best"]["geonameid"].as_u64()),
        (Some(578072), Some(692194))
    );
}

#[test]
fn missing_or_corrupt_gazetteer_dir() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    fails(&["--gazetteer", missing.to_str().unwrap(), "resolve", "Belgorod"], None, 1, "does not exist");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    fails(&["--gazetteer", empty.to_str().unwrap(), "resolve", "Belgorod"], None, 1, "gazetteer.bin");
    let corrupt = dir.path().join("corrupt");
    std::fs::create_dir(&corrupt).unwrap();
    std::fs::write(corrupt.join("gazetteer.bin"), b"INCIMAPG\x01\x00\x00\x00garbage garbage").unwrap();
    fails(&["--gazetteer", corrupt.to_str().unwrap(), "resolve", "Belgorod"], None, 1, "not a valid incimap gazetteer");
    let truncated = dir.path().join("truncated");
    std::fs::create_dir(&truncated).unwrap();
    let whole = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/gazetteer/gazetteer.bin")).unwrap();
    std::fs::write(truncated.join("gazetteer.bin"), &whole[..whole.len() / 2]).unwrap();
    fails(
        &["--gazetteer", truncated.to_str().unwrap(), "resolve", "Belgorod"],
        None,
        1,
        "not a valid incimap gazetteer",
    );
}
