//! `--places FILE`, the user's own places, end to end on the binary. The fixtures (`tests/data/places/`, see
//! its README) hold villages of the Russian border districts that the shipped gazetteer lacks, with coordinates
//! from Wikipedia rather than GeoNames:
//! - Гончаровка (Goncharovka), Sudzhansky District, Kursk Oblast: 51°11′28″N 35°15′07″E = 51.191111, 35.251944
//!   (Spanish Wikipedia, which also puts it 7.5 km from the Russia–Ukraine border).
//! - Журавлёвка (Zhuravlyovka), Belgorod District, Belgorod Oblast: 50°18′48″N 36°19′20″E = 50.313333, 36.322222
//!   (Russian Wikipedia); its edge is "just under a kilometre" from the border (Kommersant, 2022). Its Crimean
//!   namesake is GeoNames 701355 (cities500, UA.11).
//! - Суджа (Sudzha), 51°12′N 35°16′E (German Wikipedia), which the gazetteer has as GeoNames 486816 (cities500).
//!
//! GeoNames admin1 codes (admin1CodesASCII.txt): RU.41 Kursk, RU.09 Belgorod, UA.11 Crimea.
//! The user's installed gazetteer is kept out of the way with an empty XDG_DATA_HOME.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// `gazetteer::USER_ID_BASE`: 0xC000_0000 + 0x1000_0000.
const USER_ID_BASE: u64 = 0xD000_0000;
const GONCHAROVKA: (f64, f64) = (51.191111, 35.251944);
const ZHURAVLYOVKA: (f64, f64) = (50.313333, 36.322222);

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/places").join(name)
}

fn incimap(home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("incimap").unwrap();
    cmd.env("XDG_DATA_HOME", home.path()).env_remove("INCIMAP_GAZETTEER").env_remove("INCIMAP_PLACES");
    cmd
}

/// Run incimap with `--places FILE` and `args`; (exit code, stdout, stderr).
fn run_with(places: &str, args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home).arg("--places").arg(fixture(places)).args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn json_of(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// `resolve --format json --region REGION NAME...` with a places file: one resolution per name.
fn resolve(places: &str, region: &str, names: &[&str]) -> Vec<Value> {
    let mut args = vec!["resolve", "--format", "json", "--region", region];
    args.extend_from_slice(names);
    let (code, out, err) = run_with(places, &args);
    assert_eq!(code, 0, "{err}");
    json_of(&out).as_array().unwrap().clone()
}

/// Whether a place object is the user's place at `point` in `admin1`.
fn is_user_place(place: &Value, point: (f64, f64), admin1: &str) -> bool {
    place["source"] == "user"
        && place["geonameid"].as_u64().is_some_and(|id| id >= USER_ID_BASE)
        && place["lat"].as_f64() == Some(point.0)
        && place["lon"].as_f64() == Some(point.1)
        && place["admin1"] == admin1
        && place["country"] == "RU"
        && place["point_precision"] == "exact"
}

#[test]
fn a_user_place_resolves_under_its_names_in_both_scripts_within_its_oblast() {
    let names = ["Гончаровка", "Goncharovka", "Гончарівка", "Honcharivka", "в Гончаровке"];
    for r in resolve("border_villages.csv", "Kursk region", &names) {
        assert_eq!(r["status"], "resolved", "{r}");
        assert!(is_user_place(&r["best"], GONCHAROVKA, "RU.41"), "{r}");
        assert_eq!(r["best"]["name"], "Гончаровка");
        assert_eq!(r["best"]["admin1_name"], "Kursk Oblast");
    }
    for r in resolve("border_villages.csv", "Белгородская область", &["Журавлёвка", "Zhuravlyovka", "Журавлівка"])
    {
        assert_eq!(r["status"], "resolved", "{r}");
        assert!(is_user_place(&r["best"], ZHURAVLYOVKA, "RU.09"), "{r}");
    }
}

#[test]
fn another_oblasts_region_does_not_find_it() {
    for r in resolve("border_villages.csv", "Belgorod Oblast", &["Гончаровка", "Goncharovka"]) {
        assert!(r["best"].is_null() || r["best"]["source"] != "user", "{r}");
    }
    // The namesake in Crimea is the gazetteer's own.
    let r = &resolve("border_villages.csv", "Crimea", &["Журавлёвка"])[0];
    assert_eq!(r["best"]["geonameid"], 701355, "{r}");
    assert_eq!(r["best"]["source"], "geonames");
    assert_eq!(r["best"]["admin1"], "UA.11");
}

#[test]
fn distance_measures_a_user_place_at_its_point() {
    let (code, out, err) = run_with("border_villages.csv", &["distance", "--format", "json", "Гончаровка"]);
    assert_eq!(code, 0, "{err}");
    let by_name = json_of(&out)[0].clone();
    assert_eq!((by_name["lat"].as_f64(), by_name["lon"].as_f64()), (Some(GONCHAROVKA.0), Some(GONCHAROVKA.1)));
    assert_eq!(by_name["country"], "RU");
    // Wikipedia: 7.5 km from the border (to a few hundred metres: the village is about a km across).
    let km = by_name["border_km"].as_f64().unwrap();
    assert!((km - 7.5).abs() < 1.0, "{km}");
    // The same point given as coordinates measures the same.
    let (lat, lon) = (GONCHAROVKA.0.to_string(), GONCHAROVKA.1.to_string());
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home).args(["distance", "--format", "json", "--lat", &lat, "--lon", &lon]).output().unwrap();
    assert_eq!(json_of(&String::from_utf8_lossy(&out.stdout))[0]["border_km"], by_name["border_km"]);

    // Zhuravlyovka's edge is under a km from the border; its centre a little more.
    let (code, out, err) =
        run_with("border_villages.csv", &["distance", "--format", "json", "Журавлёвка, Belgorod Oblast"]);
    assert_eq!(code, 0, "{err}");
    let km = json_of(&out)[0]["border_km"].as_f64().unwrap();
    assert!(km > 0.0 && km < 4.0, "{km}");
}

#[test]
fn extract_finds_a_user_place_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("report.txt");
    std::fs::write(
        &article,
        "Утром 12 августа беспилотник атаковал слободу Гончаровка Суджанского района, повреждены два дома.\n",
    )
    .unwrap();
    let (code, out, err) = run_with("border_villages.csv", &["extract", "--format", "json", article.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let mentions = json_of(&out);
    let m = mentions.as_array().unwrap().iter().find(|m| m["mention"] == "Гончаровка").expect("mentioned");
    assert_eq!(m["status"], "resolved", "{m}");
    assert_eq!(m["role"], "incident", "{m}");
    assert!(is_user_place(&m["place"], GONCHAROVKA, "RU.41"), "{m}");
}

#[test]
fn map_and_stats_use_user_places() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("incidents.csv");
    std::fs::write(&table, "date,place,region,weapon\n2024-08-12,Гончаровка,Kursk region,drone\n").unwrap();
    let out_dir = dir.path().join("out");
    let (code, _, err) =
        run_with("border_villages.csv", &["map", "-o", out_dir.to_str().unwrap(), table.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let layer = json_of(&std::fs::read_to_string(out_dir.join("incidents.geojson")).unwrap());
    let p = &layer["features"][0]["properties"];
    assert_eq!((p["place_source"].as_str(), p["place_name"].as_str()), (Some("user"), Some("Гончаровка")), "{p}");
    assert_eq!(p["status"], "resolved");

    let (code, out, err) = run_with("border_villages.csv", &["stats", "--format", "json", table.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let stats = json_of(&out);
    assert_eq!(stats["count"], 1, "{stats}");
    assert!((stats["border_km"]["median"].as_f64().unwrap() - 7.5).abs() < 1.0, "{stats}");
}

#[test]
fn bad_rows_are_reported_with_file_and_line_and_good_rows_still_join() {
    let (code, out, err) =
        run_with("mixed.csv", &["resolve", "--format", "json", "Goncharovka", "Zhuravlyovka, Belgorod"]);
    assert_eq!(code, 0, "{err}");
    let file = fixture("mixed.csv").display().to_string();
    let skipped: Vec<u64> = err
        .lines()
        .filter(|l| l.ends_with("row skipped"))
        .map(|l| {
            let rest = l.split_once(&format!("{file}:")).unwrap_or_else(|| panic!("no file in {l:?}")).1;
            rest.split(':').next().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(skipped, [3, 4, 5, 6, 7, 8, 9, 10], "{err}");
    let line = |n: u64| err.lines().find(|l| l.contains(&format!("{file}:{n}: "))).unwrap_or_default().to_string();
    assert!(line(3).contains("missing name"), "{err}");
    assert!(line(4).contains("missing lat"), "{err}");
    assert!(line(5).contains("out of range"), "{err}");
    assert!(line(6).contains("not a number"), "{err}");
    assert!(line(7).contains("swapped"), "{err}");
    assert!(line(8).contains("not a region"), "{err}");
    assert!(line(9).contains("Bryansk"), "{err}");
    assert!(line(10).contains("lies in UA"), "{err}");
    // Sudzha is in the gazetteer: the user's row is kept, with a note.
    assert!(line(12).contains("note:") && line(12).contains("486816"), "{err}");
    assert!(line(2).is_empty() && line(11).is_empty(), "{err}");

    let r = json_of(&out);
    assert!(is_user_place(&r[0]["best"], GONCHAROVKA, "RU.41"), "{r}");
    assert!(is_user_place(&r[1]["best"], ZHURAVLYOVKA, "RU.09"), "{r}");
}

#[test]
fn a_spreadsheet_export_reads_as_the_plain_file() {
    let r = &resolve("spreadsheet_export.csv", "Kursk", &["Гончарівка"])[0];
    assert!(is_user_place(&r["best"], GONCHAROVKA, "RU.41"), "{r}");
}

#[test]
fn the_environment_variable_names_the_file_too() {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(&home)
        .env("INCIMAP_PLACES", fixture("border_villages.csv"))
        .args(["resolve", "--format", "json", "--region", "Kursk region", "Goncharovka"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json_of(&String::from_utf8_lossy(&out.stdout));
    assert!(is_user_place(&r[0]["best"], GONCHAROVKA, "RU.41"), "{r}");
}

#[test]
fn a_missing_or_headerless_file_fails_with_exit_code_1() {
    let (code, out, err) = run_with("no-such-file.csv", &["resolve", "Belgorod"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("no-such-file.csv") && err.contains("error"), "{err}");

    let (code, _, err) = run_with("README.md", &["resolve", "Belgorod"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("header"), "{err}");
}
