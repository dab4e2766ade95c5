//! `incimap distance` through the binary: every output format, every input layout, bad rows with line
//! numbers, --strict, usage errors. Expected numbers come from `tests/data/border/reference_places.csv`
//! (Python GeographicLib, see `tools/border_reference.py`).

mod support;

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary with no installed gazetteer in reach: the embedded one is used.
fn incimap(data_home: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("incimap").expect("binary");
    cmd.env("XDG_DATA_HOME", data_home.path()).env_remove("INCIMAP_GAZETTEER");
    cmd
}

/// (name as GeoNames spells it, lat, lon, border_km) from the independent reference.
fn reference_places() -> Vec<(String, f64, f64, f64)> {
    let path = format!("{}/tests/data/border/reference_places.csv", env!("CARGO_MANIFEST_DIR"));
    let mut r = csv::Reader::from_path(path).expect("fixture");
    r.records()
        .map(|row| {
            let row = row.expect("row");
            (
                row[0].to_string(),
                row[2].parse().expect("lat"),
                row[3].parse().expect("lon"),
                row[4].parse().expect("km"),
            )
        })
        .collect()
}

fn reference(name: &str) -> (f64, f64, f64) {
    let p = reference_places().into_iter().find(|p| p.0 == name).expect(name);
    (p.1, p.2, p.3)
}

#[test]
fn names_resolve_and_measure_as_json() {
    let home = tempfile::tempdir().expect("tmp");
    let out = incimap(&home)
        .args(["distance", "--format", "json", "Belgorod", "Shebekino", "Sudzha", "Kharkiv", "Simferopol"])
        .args(["Rostov-on-Don", "Kaluga"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 7);
    let geonames = ["Belgorod", "Shebekino", "Sudzha", "Kharkiv", "Simferopol", "Rostov-na-Donu", "Kaluga"];
    for (row, geoname) in rows.iter().zip(geonames) {
        let (lat, lon, km) = reference(geoname);
        assert_eq!(row["lat"].as_f64(), Some(lat), "{row}");
        assert_eq!(row["lon"].as_f64(), Some(lon), "{row}");
        let got = row["border_km"].as_f64().expect("border_km");
        assert!((got - km).abs() <= 0.011, "{geoname}: {got} vs reference {km}");
        assert_eq!(row["inside_ukraine"].as_bool(), Some(km < 0.0));
        assert!(row["nearest_border"]["lat"].is_f64() && row["nearest_border"]["lon"].is_f64());
    }
    assert_eq!(rows[0]["name"], "Belgorod");
    assert_eq!(rows[4]["country"], "UA"); // Simferopol, de jure
    assert_eq!(rows[6]["country"], "RU");
}

#[test]
fn lat_lon_point_as_csv() {
    let home = tempfile::tempdir().expect("tmp");
    let (lat, lon, km) = reference("Kharkiv");
    let out = incimap(&home)
        .args(["distance", "--format", "csv", "--lat", &lat.to_string(), "--lon", &lon.to_string()])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("name,lat,lon,border_km,nearest_lat,nearest_lon,inside_ukraine,country"));
    let row: Vec<&str> = lines.next().expect("row").split(',').collect();
    assert_eq!(row[0], "");
    assert!((row[3].parse::<f64>().expect("km") - km).abs() <= 0.011);
    assert_eq!((row[6], row[7]), ("true", "UA"));
    assert_eq!(lines.next(), None);
}

/// Reservoirs and a river island inside Ukraine are Ukraine: a country is its outline with its inland water.
/// Passes once the shipped gazetteer is rebuilt with outlines (before that they had no country and a
/// positive distance).
#[test]
fn inland_water_in_ukraine_measures_inside_ukraine() {
    let gazetteer = incimap::gazetteer::Gazetteer::embedded().expect("embedded gazetteer");
    let border = incimap::border::BorderIndex::new(&gazetteer.boundaries);
    let home = tempfile::tempdir().expect("tmp");
    for (name, lat, lon, km) in support::INLAND_WATER_POINTS {
        let m = border.measure(lat, lon).expect("measurable");
        assert_eq!((m.country, m.inside_ukraine), (Some("UA"), true), "{name}: {m:?}");
        assert!((m.border_km + km).abs() <= 0.010, "{name}: {} km, reference -{km} km", m.border_km);
        // And so says the command a user runs.
        let out = incimap(&home)
            .args(["distance", "--format", "json", "--lat", &lat.to_string(), "--lon", &lon.to_string()])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!((v[0]["country"].as_str(), v[0]["inside_ukraine"].as_bool()), (Some("UA"), Some(true)), "{name}");
        let got = v[0]["border_km"].as_f64().expect("border_km");
        assert!((got + km).abs() <= 0.011, "{name}: {got} km, reference -{km} km");
    }
}

const TABLE: &str = "id,city,latitude,longitude,notes\n\
                     b1,Belgorod,50.61074,36.58015,\"a, quoted note\"\n\
                     missing,Nowhere,,36.6,\n\
                     k1,Kharkiv,49.98081,36.25272,\n\
                     far,Lat,91.5,36.6,\n\
                     swapped,Swapped,36.58015,50.61074,\n\
                     nan,NaN,NaN,30,\n\
                     text,Text,fifty,30,\n\
                     s1,Simferopol,44.95719,34.11079,\n";

#[test]
fn csv_input_skips_bad_rows_with_their_line_numbers() {
    let home = tempfile::tempdir().expect("tmp");
    let file = home.path().join("points.csv");
    std::fs::write(&file, TABLE).expect("write");
    let out = incimap(&home).args(["distance", "--format", "csv", "--input"]).arg(&file).output().expect("runs");
    assert!(out.status.success(), "bad rows are skipped, the run goes on");
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    let names: Vec<&str> = stdout.lines().skip(1).map(|l| l.split(',').next().unwrap_or("")).collect();
    assert_eq!(names, ["b1", "k1", "s1"], "good rows in input order, labelled by the id column");
    let stderr = String::from_utf8(out.stderr).expect("utf8");
    let shown = file.display().to_string();
    for line in [3, 5, 6, 7, 8] {
        assert!(stderr.contains(&format!("{shown}:{line}:")), "line {line} not reported:\n{stderr}");
    }
    assert!(stderr.contains("swapped"), "{stderr}");
    assert!(!stderr.contains(&format!("{shown}:2:")) && !stderr.contains(&format!("{shown}:4:")));
}

#[test]
fn strict_makes_a_bad_row_fatal() {
    let home = tempfile::tempdir().expect("tmp");
    let file = home.path().join("points.csv");
    std::fs::write(&file, TABLE).expect("write");
    incimap(&home)
        .args(["distance", "--strict", "--format", "csv", "--input"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("{}:3:", file.display())));
}

#[test]
fn ndjson_from_stdin_as_geojson() {
    let home = tempfile::tempdir().expect("tmp");
    let input = "{\"name\":\"Sudzha\",\"lat\":51.1976,\"lon\":35.2726}\n\
                 \n\
                 {\"name\":\"broken\",\"lat\":\"x\",\"lon\":1}\n\
                 not json\n\
                 {\"id\":7,\"lat\":\"50.40967\",\"lon\":36.9136,\"extra\":[1,2]}\n";
    let out = incimap(&home)
        .args(["distance", "--format", "geojson", "--input", "-"])
        .write_stdin(input)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let gj: geojson::GeoJson = String::from_utf8(out.stdout).expect("utf8").parse().expect("GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = gj else { panic!("not a FeatureCollection") };
    assert_eq!(fc.features.len(), 2);
    let props = |i: usize| fc.features[i].properties.clone().expect("properties");
    assert_eq!(props(0)["name"], "Sudzha");
    assert_eq!(props(1)["name"], "7");
    let (_, _, sudzha_km) = reference("Sudzha");
    let (_, _, shebekino_km) = reference("Shebekino");
    assert!((props(0)["border_km"].as_f64().expect("km") - sudzha_km).abs() <= 0.011);
    assert!((props(1)["border_km"].as_f64().expect("km") - shebekino_km).abs() <= 0.011);
    let stderr = String::from_utf8(out.stderr).expect("utf8");
    assert!(stderr.contains("stdin:3:") && stderr.contains("stdin:4:"), "{stderr}");
}

#[test]
fn tsv_input_as_table() {
    let home = tempfile::tempdir().expect("tmp");
    let file = home.path().join("points.tsv");
    std::fs::write(&file, "place\tlat\tlon\nKaluga\t54.5293\t36.27542\n").expect("write");
    incimap(&home)
        .args(["distance", "--format", "table", "--input"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("Kaluga").and(predicate::str::contains("RU")));
}

#[test]
fn an_input_without_coordinate_columns_is_an_error() {
    let home = tempfile::tempdir().expect("tmp");
    let file = home.path().join("points.csv");
    std::fs::write(&file, "name,x,y\nA,1,2\n").expect("write");
    incimap(&home)
        .args(["distance", "--format", "csv", "--input"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("lat/lon"));
}

#[test]
fn usage_errors_exit_2() {
    let home = tempfile::tempdir().expect("tmp");
    incimap(&home).args(["distance", "--format", "json"]).assert().code(2);
    incimap(&home).args(["distance", "--lat", "50"]).assert().code(2);
    incimap(&home).args(["distance", "--lat", "95", "--lon", "30"]).assert().code(2);
    incimap(&home).args(["distance", "--format", "markdown", "Kharkiv"]).assert().code(2);
}

#[test]
fn an_unknown_name_is_reported_and_the_rest_printed() {
    let home = tempfile::tempdir().expect("tmp");
    let out = incimap(&home).args(["distance", "--format", "csv", "Belgorod", "Qxzzyqwv"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Qxzzyqwv"));
}

/// `map` reads NDJSON that starts with a UTF-8 byte-order mark and semicolon tables (spreadsheet exports);
/// `distance --input` reads them the same way (issue 25: one reader per format).
#[test]
fn ndjson_with_a_bom_and_semicolon_tables_are_read() {
    let home = tempfile::tempdir().expect("tmp");
    let (_, _, sudzha_km) = reference("Sudzha");
    let ndjson = home.path().join("points.ndjson");
    std::fs::write(&ndjson, "\u{feff}{\"name\":\"Sudzha\",\"lat\":51.1976,\"lon\":35.2726}\n").expect("write");
    let semicolon = home.path().join("points.csv");
    std::fs::write(&semicolon, "name;lat;lon\nSudzha;51.1976;35.2726\n").expect("write");
    for file in [&ndjson, &semicolon] {
        let out = incimap(&home).args(["distance", "--format", "csv", "--input"]).arg(file).output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut rows = csv::Reader::from_reader(out.stdout.as_slice());
        let row = rows.records().next().expect("one row").expect("csv");
        assert_eq!(&row[0], "Sudzha");
        let km: f64 = row[3].parse().expect("km");
        assert!((km - sudzha_km).abs() <= 0.011, "{km} vs {sudzha_km}");
    }
}

/// Binary input, and a line without end, are refused after a bounded read with a clear message and exit 1:
/// a gigabyte of zero bytes from another process, and 64 MiB of one line (issue 25).
#[test]
fn binary_streams_and_endless_lines_are_refused_early() {
    use std::io::Write as _;
    use std::process::Stdio;
    let home = tempfile::tempdir().expect("tmp");
    let bin = assert_cmd::cargo::cargo_bin("incimap");
    for (what, chunk, expected) in
        [("zero bytes", vec![0u8; 1 << 20], "binary"), ("one endless line", vec![b'7'; 1 << 20], "longer than")]
    {
        let mut child = std::process::Command::new(&bin)
            .args(["distance", "--format", "csv", "--input", "-"])
            .env("XDG_DATA_HOME", home.path())
            .env_remove("INCIMAP_GAZETTEER")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        let started = std::time::Instant::now();
        let mut header_sent = false;
        // Up to 1 GiB; the reader stops long before, and the write then fails with a broken pipe.
        for _ in 0..1024 {
            if !header_sent && chunk[0] != 0 {
                header_sent = stdin.write_all(b"lat,lon\n").is_ok();
            }
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
        drop(stdin);
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "{what}: read to the end");
    }
}

/// Each subcommand's `--help` lists the formats docs/contract.md gives it, and only those (issue 24).
#[test]
fn help_lists_only_the_formats_each_subcommand_writes() {
    let home = tempfile::tempdir().expect("tmp");
    let cases: [(&[&str], &str); 5] = [
        (&["distance"], "table, json, csv, geojson, geoparquet"),
        (&["extract"], "json, geojson, csv, geoparquet"),
        (&["resolve"], "table, json, geojson"),
        (&["stats"], "table, csv, json, markdown"),
        (&["gazetteer", "info"], "table, json"),
    ];
    for (command, formats) in cases {
        let out = incimap(&home).args(command).arg("--help").output().expect("runs");
        let help = String::from_utf8(out.stdout).expect("utf8");
        let at = help.find("--format").unwrap_or_else(|| panic!("{command:?}: no --format"));
        let listed = help[at..].split("[possible values: ").nth(1).and_then(|r| r.split(']').next());
        assert_eq!(listed, Some(formats), "{command:?}");
    }
}

/// `-o FILE` is written only when the run succeeds: a run stopped by `--strict` leaves the file as it was.
#[test]
fn an_output_file_is_replaced_only_by_a_finished_run() {
    let home = tempfile::tempdir().expect("tmp");
    let out = home.path().join("distances.csv");
    std::fs::write(&out, "earlier results\n").expect("write");
    let input = home.path().join("points.csv");
    std::fs::write(&input, "name,lat,lon\nSudzha,51.1976,35.2726\nbad,x,1\n").expect("write");
    let args = ["distance", "--format", "csv", "--strict", "--input"];
    incimap(&home).args(args).arg(&input).arg("-o").arg(&out).assert().code(1);
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "earlier results\n");
    incimap(&home).args(&args[..3]).arg("--input").arg(&input).arg("-o").arg(&out).assert().success();
    let written = std::fs::read_to_string(&out).expect("read");
    assert!(written.starts_with("name,lat,lon,border_km") && written.contains("Sudzha"), "{written}");
    let leftovers = std::fs::read_dir(home.path()).expect("dir").flatten();
    assert!(leftovers.filter(|e| e.file_name().to_string_lossy().starts_with(".incimap-")).count() == 0);
}
