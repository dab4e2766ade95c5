//! `incimap stats` on the command line: output formats against the numpy figures in
//! tests/data/incidents/expected.json, charts rendered by a real SVG renderer, usage and input errors.
//! Distances come from the fixtures' `border_km` column (`--use-border-km`).

mod needs;

use needs::{Need, case};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/incidents").join(name)
}

/// The binary with no user gazetteer in sight (the embedded one is used).
fn incimap(home: &Path) -> Command {
    let mut c = Command::cargo_bin("incimap").unwrap();
    c.env("XDG_DATA_HOME", home).env_remove("INCIMAP_GAZETTEER");
    c
}

fn run_json(args: &[&str]) -> Value {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(home.path()).arg("stats").args(args).arg("--format").arg("json").output().unwrap();
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn expected() -> Value {
    serde_json::from_slice(&std::fs::read(data("expected.json")).unwrap()).unwrap()
}

/// JSON distances are rounded to metres and shares to 4 decimals.
fn assert_close(what: &str, got: &Value, want: &Value) {
    for k in ["min", "p25", "median", "mean", "p75", "p90", "max"] {
        let (g, w) = (got[k].as_f64().unwrap(), want[k].as_f64().unwrap());
        assert!((g - w).abs() <= 0.0005, "{what}: {k} = {g}, numpy says {w}");
    }
}

fn json_matches_numpy_and_the_contract_shape() {
    let fixed = data("fixed.csv");
    let v = run_json(&["--use-border-km", fixed.to_str().unwrap()]);
    let want = &expected()["fixed.csv"];
    assert_eq!(v["count"], 17);
    assert_eq!(v["unresolved"], 2);
    assert_close("all", &v["border_km"], &want["all"]["border_km"]);
    let bands = v["bands"].as_array().unwrap();
    let want_bands = want["all"]["bands"].as_array().unwrap();
    assert_eq!(bands.len(), want_bands.len());
    for (g, w) in bands.iter().zip(want_bands) {
        assert_eq!((&g["from_km"], &g["to_km"], &g["count"]), (&w["from_km"], &w["to_km"], &w["count"]));
        assert!((g["share"].as_f64().unwrap() - w["share"].as_f64().unwrap()).abs() <= 0.00005);
    }
    assert_eq!(v["groups"], Value::Array(vec![]));
}

fn two_way_groups_match_numpy() {
    let fixed = data("fixed.csv");
    let v = run_json(&["--use-border-km", "--by", "country", "--by", "weapon", fixed.to_str().unwrap()]);
    let want = expected()["fixed.csv"]["by"]["country,weapon"].clone();
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), want.as_object().unwrap().len());
    for g in groups {
        let key = g["key"].as_str().unwrap();
        let w = &want[key];
        assert_eq!(g["count"], w["count"], "{key}");
        assert_close(key, &g["border_km"], &w["border_km"]);
        assert_eq!(g["keys"].as_array().unwrap().len(), 2);
    }
    // RU has 14 of the 17 incidents, so its rows come first.
    assert_eq!(groups[0]["keys"][0], "RU");
}

fn single_and_all_unresolved_inputs() {
    let v = run_json(&["--use-border-km", data("single.csv").to_str().unwrap()]);
    assert_eq!(v["count"], 1);
    for k in ["min", "p25", "median", "mean", "p75", "p90", "max"] {
        assert_eq!(v["border_km"][k], 14.2, "{k}");
    }
    let v = run_json(&["--use-border-km", data("all_unresolved.csv").to_str().unwrap()]);
    assert_eq!((v["count"].as_u64(), v["unresolved"].as_u64()), (Some(0), Some(5)));
    assert_eq!(v["border_km"], Value::Null);
    assert!(v["bands"].as_array().unwrap().iter().all(|b| b["count"] == 0 && b["share"] == 0.0));
}

fn unresolved_rows_are_named_on_stderr_and_strict_fails() {
    let home = tempfile::tempdir().unwrap();
    let fixed = data("fixed.csv");
    let out = incimap(home.path()).args(["stats", "--use-border-km", "--format", "json"]).arg(&fixed).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixed.csv:13:") && err.contains("longitude 185.3"), "{err}");
    assert!(err.contains("fixed.csv:20:") && err.contains("bad coordinates"), "{err}");
    assert!(err.contains("2 of 19 inputs could not be placed"), "{err}");

    let out = incimap(home.path()).args(["stats", "--use-border-km", "--strict"]).arg(&fixed).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixed.csv:13:") && err.contains("--strict"), "{err}");
    assert!(out.stdout.is_empty());
}

fn csv_and_markdown_and_table_formats() {
    let home = tempfile::tempdir().unwrap();
    let fixed = data("fixed.csv");
    let run = |format: &str| {
        let out = incimap(home.path())
            .args(["stats", "--use-border-km", "--by", "weapon", "--format", format])
            .arg(&fixed)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };

    let csv = run("csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["weapon", "count", "unmeasured", "min_km"]);
    assert!(header.contains(&"band_0_10".to_string()) && header.contains(&"band_250_inf".to_string()));
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(&records[0][0], "(all)");
    assert_eq!(&records[0][1], "17");
    let median = header.iter().position(|h| h == "median_km").unwrap();
    assert_eq!(&records[0][median], "10.000");
    // drone: seven placeable rows (lines 2, 3, 5, 6, 9, 10, 18; "Drone" on line 5 folds in), the largest group.
    assert_eq!(&records[1][0], "drone");
    assert_eq!(&records[1][1], "7");

    let md = run("markdown");
    assert!(md.starts_with("**Incidents: 17"), "{md}");
    assert!(md.contains("| weapon ") && md.contains("| drone "), "{md}");
    assert!(md.lines().any(|l| l.starts_with("| :") && l.contains("-:")), "alignment row: {md}");

    let table = run("table");
    assert!(table.contains("median") && table.contains("drone") && table.contains("(unknown)"), "{table}");
    assert!(!table.contains('|'));
}

/// Write the chart of the fixture by month into `home`; its path.
fn write_chart(home: &std::path::Path) -> std::path::PathBuf {
    let svg = home.join("charts/dist.svg");
    let out = incimap(home)
        .args(["stats", "--use-border-km", "--by", "month", "--format", "json", "--chart"])
        .arg(&svg)
        .arg(data("fixed.csv"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    svg
}

fn chart_is_written() {
    let home = tempfile::tempdir().unwrap();
    let svg = write_chart(home.path());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"));
    for needle in [
        "Incidents by distance to the border, by month",
        "All incidents (n = 17)",
        "2024-02 (n = 5)",
        "Cumulative share",
        "Distance to the Russia–Ukraine border, km",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    // No temporary file left beside it.
    let entries: Vec<_> = std::fs::read_dir(svg.parent().unwrap()).unwrap().collect();
    assert_eq!(entries.len(), 1);
}

/// A real renderer accepts the chart (librsvg's rsvg-convert, installed by .ci/run).
fn rsvg_renders_the_chart() {
    let home = tempfile::tempdir().unwrap();
    let svg = write_chart(home.path());
    let png = home.path().join("c.png");
    let status = std::process::Command::new("rsvg-convert").arg("-o").arg(&png).arg(&svg).status();
    assert!(status.expect("rsvg-convert runs").success(), "rsvg-convert failed on the chart");
    assert!(std::fs::metadata(&png).unwrap().len() > 1000);
}

fn stdin_and_several_inputs() {
    let home = tempfile::tempdir().unwrap();
    let ndjson = "{\"lat\":50.6,\"lon\":36.6,\"border_km\":3,\"weapon\":\"drone\"}\n{\"lat\":50.7,\"lon\":36.6,\"border_km\":5}\n";
    let out = incimap(home.path())
        .args(["stats", "--use-border-km", "--format", "json", "-"])
        .arg(data("single.csv"))
        .write_stdin(ndjson)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 3, 5, 14.2 → median 5, mean 22.2 / 3 = 7.4.
    assert_eq!(v["count"], 3);
    assert_eq!(v["border_km"]["median"], 5.0);
    assert_eq!(v["border_km"]["mean"], 7.4);
}

fn usage_errors_exit_2() {
    let home = tempfile::tempdir().unwrap();
    let single = data("single.csv");
    for args in [
        vec!["--bands", "10,5"],
        vec!["--bands", "0,x"],
        vec!["--format", "geojson"],
        vec!["--chart", "out.png"],
        vec!["--by", "region", "--by", "region"],
        vec!["--by", "region", "--by", "month", "--by", "weapon"],
        vec!["--by", "colour"],
    ] {
        let out = incimap(home.path()).arg("stats").args(&args).arg(&single).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = incimap(home.path()).arg("stats").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no inputs");
}

fn bad_inputs_exit_1_with_the_file_named() {
    let home = tempfile::tempdir().unwrap();
    let empty = home.path().join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let binary = home.path().join("photo.csv");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    for (path, needle) in [(&empty, "empty input"), (&binary, "binary")] {
        let out = incimap(home.path()).args(["stats", "--format", "json"]).arg(path).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&path.display().to_string()) && err.contains(needle), "{err}");
        assert!(!err.contains("panicked"));
    }
}

/// `--by event_type` groups a table's `event_type` column; a value that is no event type is unknown.
/// (Medians by hand: 10, 20, 30 → 20.)
fn groups_by_event_type() {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("typed.csv");
    std::fs::write(
        &table,
        "lat,lon,border_km,event_type\n50.6,36.6,10,air_strike\n50.6,36.6,30,air_strike\n50.6,36.6,20,air_strike\n\
         50.6,36.6,5,shelling\n50.6,36.6,7,picnic\n",
    )
    .unwrap();
    let v = run_json(&["--use-border-km", "--by", "event_type", table.to_str().unwrap()]);
    let groups = v["groups"].as_array().unwrap();
    let key_count: Vec<(&str, u64)> =
        groups.iter().map(|g| (g["key"].as_str().unwrap(), g["count"].as_u64().unwrap())).collect();
    assert_eq!(key_count, [("air_strike", 3), ("shelling", 1), ("(unknown)", 1)]);
    assert_eq!(groups[0]["border_km"]["median"], 20.0);
}

/// The selection flags, counted by hand on fixed.csv (17 placeable rows): Belgorod Oblast has lines 2–5 and 18;
/// drones are lines 2, 3, 5 ("Drone"), 6, 9, 10, 18; February is lines 8–12; missiles in Kursk Oblast are
/// lines 7 and 8. A region given as a code or in Russian is the same oblast.
fn filters_select_incidents() {
    let home = tempfile::tempdir().unwrap();
    let fixed = data("fixed.csv");
    let count = |flags: &[&str]| -> u64 {
        let out = incimap(home.path())
            .args(["stats", "--use-border-km", "--format", "json"])
            .args(flags)
            .arg(&fixed)
            .output()
            .unwrap();
        assert!(out.status.success(), "{flags:?}: {}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["count"].as_u64().unwrap()
    };
    assert_eq!(count(&[]), 17);
    assert_eq!(count(&["--region", "Belgorod Oblast"]), 5);
    assert_eq!(count(&["--region", "RU.09"]), 5);
    assert_eq!(count(&["--region", "Белгородская область"]), 5);
    assert_eq!(count(&["--weapon", "drone"]), 7);
    assert_eq!(count(&["--weapon", "fpv-дрон"]), 7);
    assert_eq!(count(&["--since", "2024-02", "--until", "2024-02-29"]), 5);
    assert_eq!(count(&["--region", "Kursk Oblast", "--weapon", "missile"]), 2);
    let out = incimap(home.path()).args(["stats", "--event-type", "bombing"]).arg(&fixed).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an unknown event type is a usage error");
}

/// CSV group keys carry their readable name in a last `label` column: RU.09 is "Belgorod Oblast" in GeoNames'
/// admin1CodesASCII.txt; fixed.csv's Belgorod rows are lines 2–5 and 18.
fn csv_groups_carry_their_names() {
    let home = tempfile::tempdir().unwrap();
    let out = incimap(home.path())
        .args(["stats", "--use-border-km", "--by", "region", "--format", "csv"])
        .arg(data("fixed.csv"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.last().map(String::as_str), Some("label"));
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let belgorod = records.iter().find(|r| &r[0] == "RU.09").expect("a Belgorod row");
    assert_eq!((&belgorod[1], &belgorod[header.len() - 1]), ("5", "Belgorod Oblast"));
}

fn main() {
    needs::run(vec![
        case("json_matches_numpy_and_the_contract_shape", json_matches_numpy_and_the_contract_shape),
        case("two_way_groups_match_numpy", two_way_groups_match_numpy),
        case("single_and_all_unresolved_inputs", single_and_all_unresolved_inputs),
        case(
            "unresolved_rows_are_named_on_stderr_and_strict_fails",
            unresolved_rows_are_named_on_stderr_and_strict_fails,
        ),
        case("csv_and_markdown_and_table_formats", csv_and_markdown_and_table_formats),
        case("chart_is_written", chart_is_written),
        case("rsvg_renders_the_chart", rsvg_renders_the_chart)
            .needs(Need::Tool { program: "rsvg-convert", install: "apt-get install librsvg2-bin" }),
        case("stdin_and_several_inputs", stdin_and_several_inputs),
        case("usage_errors_exit_2", usage_errors_exit_2),
        case("bad_inputs_exit_1_with_the_file_named", bad_inputs_exit_1_with_the_file_named),
        case("groups_by_event_type", groups_by_event_type),
        case("filters_select_incidents", filters_select_incidents),
        case("csv_groups_carry_their_names", csv_groups_carry_their_names),
    ]);
}
