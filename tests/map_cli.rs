//! `incimap map` on the command line: bad rows go to unresolved.csv with their lines and the rest is
//! mapped; --strict makes them fatal without touching the output; usage errors exit 2.

mod map_common;

use map_common::*;

fn read_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn bad_rows_go_to_unresolved_csv_and_the_rest_is_mapped() {
    let tmp = tempdir();
    let input = tmp.path().join("table.csv");
    std::fs::write(&input, TABLE).unwrap();
    let out = tmp.path().join("out");
    let assert = map_cmd(&tmp.path().join("xdg"))
        .args(["map", "--bands", "0,10"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("mapped 7 incidents"), "{stderr}");
    assert!(stderr.contains("3 could not be placed"), "{stderr}");
    assert!(assert.get_output().stdout.is_empty(), "map writes files, not stdout");

    let rows = read_csv(&out.join("unresolved.csv"));
    let lines: Vec<u64> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    assert_eq!(lines, TABLE_BAD_LINES.to_vec());
    assert!(rows.iter().all(|r| r[0].ends_with("table.csv") && !r[3].is_empty()), "{rows:?}");
    assert!(rows[0][2].contains("Zzyzxville"), "{rows:?}");

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("incidents.geojson")).unwrap()).unwrap();
    let feats = doc["features"].as_array().unwrap();
    let mapped: Vec<u64> = feats.iter().map(|f| f["properties"]["input_line"].as_u64().unwrap()).collect();
    assert_eq!(mapped, vec![2, 3, 6, 8, 9, 10, 11]);
    // The row that named Belgorod resolved to GeoNames 578072 (checked in cities500 by hand).
    let belgorod = &feats[1]["properties"];
    assert_eq!(belgorod["geonameid"], 578072);
    assert_eq!(belgorod["place_name"], "Belgorod");
    // Kharkiv's coordinates are inside Ukraine; Moscow is far outside and beyond every band.
    assert_eq!(feats[2]["properties"]["inside_ukraine"], true);
    assert!(feats[2]["properties"]["border_km"].as_f64().unwrap() < 0.0);
    assert!(feats[6]["properties"]["border_km"].as_f64().unwrap() > 250.0);
    assert_eq!(feats[5]["properties"]["country"], "BY");
}

#[test]
fn strict_fails_on_the_first_bad_row_and_writes_nothing() {
    let tmp = tempdir();
    let input = tmp.path().join("table.csv");
    std::fs::write(&input, TABLE).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("incidents.geojson"), "previous run").unwrap();
    let assert = map_cmd(&tmp.path().join("xdg"))
        .args(["map", "--strict", "--bands", "0,10"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("table.csv:4"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out.join("incidents.geojson")).unwrap(), "previous run");
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(files.len(), 1, "nothing else written");
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempdir();
    let input = tmp.path().join("table.csv");
    std::fs::write(&input, TABLE).unwrap();
    for args in [
        vec!["map", "--bands", "10,5"],
        vec!["map", "--bands", "0,abc"],
        vec!["map", "--format", "csv"],
        vec!["map", "--format", "json"],
    ] {
        let assert = map_cmd(&tmp.path().join("xdg")).args(&args).arg(&input).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains("--bands") || stderr.contains("--format"), "{args:?}: {stderr}");
    }
    map_cmd(&tmp.path().join("xdg")).arg("map").assert().code(2);
    // A missing input is a runtime failure with its name.
    let assert = map_cmd(&tmp.path().join("xdg")).args(["map", "no-such-file.csv"]).assert().code(1);
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("no-such-file.csv"));
}

#[test]
fn default_output_directory_is_output() {
    let tmp = tempdir();
    std::fs::write(tmp.path().join("t.csv"), "lat,lon\n50.7,36.9\n").unwrap();
    map_cmd(&tmp.path().join("xdg"))
        .current_dir(tmp.path())
        .args(["map", "t.csv", "--bands", "0,10"])
        .assert()
        .success();
    for f in [
        "incidents.geojson",
        "leaders.geojson",
        "border.geojson",
        "ukraine.geojson",
        "bands.geojson",
        "incidents.qml",
        "leaders.qml",
        "border.qml",
        "ukraine.qml",
        "bands.qml",
        "index.html",
        "unresolved.csv",
    ] {
        assert!(tmp.path().join("output").join(f).is_file(), "output/{f}");
    }
}

/// The layers read back as they were written (issue 24's round trip): mapping `incidents.geojson` again gives
/// the same features (place, status, precision, evidence, input file and line; no `input_*` copies), `stats` on
/// it the same figures as on the inputs, and a table's coordinates are written as numbers.
#[test]
fn the_layer_reads_back_as_it_was_written() {
    let tmp = tempdir();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let table = tmp.path().join("coded.csv");
    std::fs::write(&table, "date,lat,lon,weapon\n2024-05-01,50.61074,36.58015,drone\n").unwrap();
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    let xdg = tmp.path().join("xdg");
    map_cmd(&xdg).args(["map", "-q"]).arg(&examples).arg(&table).arg("-o").arg(&first).assert().success();
    let layer = first.join("incidents.geojson");
    map_cmd(&xdg).args(["map", "-q"]).arg(&layer).arg("-o").arg(&second).assert().success();
    let features = |dir: &std::path::Path| -> Vec<serde_json::Value> {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("incidents.geojson")).unwrap()).unwrap();
        doc["features"].as_array().unwrap().clone()
    };
    let (a, b) = (features(&first), features(&second));
    assert!(a.len() > 10, "{}", a.len());
    assert_eq!(a, b, "the layer read back differs");
    assert!(a.iter().any(|f| f["properties"]["precision"] == "near"), "a near incident to carry over");
    assert!(a.iter().all(|f| f["properties"].as_object().unwrap().keys().all(|k| !k.starts_with("input_input"))));
    let coded = a.iter().find(|f| f["properties"]["input_file"].as_str().unwrap().ends_with("coded.csv")).unwrap();
    assert_eq!(
        (coded["properties"]["lat"].as_f64(), coded["properties"]["lon"].as_f64()),
        (Some(50.61074), Some(36.58015))
    );

    let stats = |input: &[&std::path::Path]| {
        let out =
            map_cmd(&xdg).args(["stats", "-q", "--by", "region", "--format", "csv"]).args(input).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    assert_eq!(stats(&[&examples, &table]), stats(&[&layer]));
}

/// A date that cannot be read keeps its row: placed, `date` empty, the text kept as `input_date`, and a
/// warning with its line; dates written with Russian or Ukrainian month names are read. A row whose point is
/// off the globe is reported by the place it names.
#[test]
fn rows_with_unreadable_dates_are_kept_and_bad_points_named() {
    let tmp = tempdir();
    let input = tmp.path().join("dates.csv");
    std::fs::write(
        &input,
        "date,place,lat,lon\n14 мая 2024,,50.6,36.6\nsometime in spring,,50.6,36.6\n3 травня 2024,Shebekino,95.1,36.5\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let assert = map_cmd(&tmp.path().join("xdg")).arg("map").arg(&input).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("dates.csv:3: unrecognised date") && stderr.contains("kept without a date"), "{stderr}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("incidents.geojson")).unwrap()).unwrap();
    let props: Vec<&serde_json::Value> = doc["features"].as_array().unwrap().iter().map(|f| &f["properties"]).collect();
    assert_eq!(props.len(), 2);
    assert_eq!(props[0]["date"], "2024-05-14");
    assert_eq!((props[1]["date"].is_null(), props[1]["input_date"].as_str()), (true, Some("sometime in spring")));
    let rows = read_csv(&out.join("unresolved.csv"));
    assert_eq!(rows.len(), 1);
    assert!(rows[0][2].contains("Shebekino") && rows[0][3].contains("latitude"), "{rows:?}");
}

/// A missing input is a runtime failure (exit 1), said once.
#[test]
fn a_missing_input_fails_with_one_message() {
    let tmp = tempdir();
    let out = map_cmd(&tmp.path().join("xdg"))
        .args(["map", "/nonexistent/incidents.csv", "-o"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("no such file").count(), 1, "{stderr}");
}

/// Weapons are normalised to the contract's classes, the wording kept as `weapon_text`, so `stats --by weapon`
/// groups "fpv-дрон" and "Shahed-136" with "drone" and "glide bomb" with "bomb"; words of no class stay as
/// written.
#[test]
fn weapons_are_classes_with_their_wording_kept() {
    let tmp = tempdir();
    let input = tmp.path().join("weapons.csv");
    std::fs::write(
        &input,
        "date,lat,lon,weapon\n2024-05-01,50.6,36.6,fpv-дрон\n2024-05-01,50.6,36.6,Shahed-136\n\
         2024-05-01,50.6,36.6,drone\n2024-05-01,50.6,36.6,glide bomb\n2024-05-01,50.6,36.6,T-72\n",
    )
    .unwrap();
    let xdg = tmp.path().join("xdg");
    let out = tmp.path().join("out");
    map_cmd(&xdg).args(["map", "-q"]).arg(&input).arg("-o").arg(&out).assert().success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("incidents.geojson")).unwrap()).unwrap();
    let got: Vec<(String, Option<String>)> = doc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (p["weapon"].as_str().unwrap().to_string(), p["weapon_text"].as_str().map(str::to_string))
        })
        .collect();
    let want = [
        ("drone", Some("fpv-дрон")),
        ("drone", Some("Shahed-136")),
        ("drone", None),
        ("bomb", Some("glide bomb")),
        ("T-72", None),
    ];
    let want: Vec<(String, Option<String>)> =
        want.iter().map(|(w, t)| (w.to_string(), t.map(str::to_string))).collect();
    assert_eq!(got, want);
    let stats = map_cmd(&xdg).args(["stats", "-q", "--by", "weapon", "--format", "csv"]).arg(&input).output().unwrap();
    let csv = String::from_utf8(stats.stdout).unwrap();
    assert!(csv.contains("\ndrone,3,") && csv.contains("\nbomb,1,"), "{csv}");
}

/// `map` takes the same selection flags as `stats`: of the test table's seven placed rows, four name a drone
/// (lines 2, 3, 8 and 11).
#[test]
fn map_keeps_the_selected_incidents() {
    let tmp = tempdir();
    let input = tmp.path().join("table.csv");
    std::fs::write(&input, TABLE).unwrap();
    let out = tmp.path().join("out");
    let assert = map_cmd(&tmp.path().join("xdg"))
        .args(["map", "--weapon", "drone", "--bands", "0,10"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("3 incidents left out"), "{stderr}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("incidents.geojson")).unwrap()).unwrap();
    let lines: Vec<u64> =
        doc["features"].as_array().unwrap().iter().map(|f| f["properties"]["input_line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 8, 11]);
}

/// `extract` output read by `map` gives the incidents mapping the articles gives (issue 24's round trip):
/// incidents only, each site once, with the same place, precision, date, weapon, evidence, file and line,
/// whichever of the three formats it was written in.
#[test]
fn extract_output_maps_as_the_articles_do() {
    let tmp = tempdir();
    let xdg = tmp.path().join("xdg");
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let articles: Vec<std::path::PathBuf> =
        ["en_kursk_sudzha.txt", "en_rostov_taganrog.txt", "ru_belgorod_shebekino.txt", "uk_kharkiv_izium.txt"]
            .iter()
            .map(|a| examples.join(a))
            .collect();
    let features = |input: &[std::path::PathBuf], name: &str| -> Vec<serde_json::Value> {
        let out = tmp.path().join(name);
        map_cmd(&xdg).args(["map", "-q", "--date", "2024-06-01"]).args(input).arg("-o").arg(&out).assert().success();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("incidents.geojson")).unwrap()).unwrap();
        doc["features"].as_array().unwrap().clone()
    };
    let want = features(&articles, "articles");
    assert!(want.len() >= 3, "{}", want.len());
    for format in ["csv", "json", "geojson"] {
        let out = map_cmd(&xdg)
            .args(["extract", "--date", "2024-06-01", "--format", format])
            .args(&articles)
            .output()
            .unwrap();
        assert!(out.status.success());
        let file = tmp.path().join(format!("mentions.{format}"));
        std::fs::write(&file, &out.stdout).unwrap();
        assert_eq!(features(&[file], &format!("from-{format}")), want, "extract --format {format} read back");
    }
}

/// What an interrupted run left in the output folder (its temporary files and staging folders) is gone after
/// the next run (issue 25).
#[test]
fn leftovers_of_an_interrupted_run_are_removed() {
    let tmp = tempdir();
    let input = tmp.path().join("table.csv");
    std::fs::write(&input, TABLE).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join(".incimap-AbC123.tmp")).unwrap();
    std::fs::write(out.join(".incimap-AbC123.tmp/incidents.geojson"), "half").unwrap();
    std::fs::write(out.join(".incimap-XyZ789.tmp"), "half a layer").unwrap();
    std::fs::write(out.join("notes.txt"), "the user's own file").unwrap();
    map_cmd(&tmp.path().join("xdg"))
        .args(["map", "-q", "--bands", "0,10"])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(out.join("notes.txt").exists(), "other files stay");
}

/// Every subcommand's `--help` ends with examples of its own use (issue 24).
#[test]
fn every_help_shows_examples() {
    let tmp = tempdir();
    for sub in ["resolve", "distance", "extract", "map", "stats", "gazetteer"] {
        let out = map_cmd(&tmp.path().join("xdg")).args([sub, "--help"]).output().unwrap();
        assert!(out.status.success(), "{sub}");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains(&format!("Examples:\n  incimap {sub} ")), "{sub}: {help}");
    }
}

/// An article with a stray Latin-1 byte is read by `map` as `extract` reads it (the byte as `?`, a warning
/// with its line), not refused (issue 25: readers that agree). Belgorod is GeoNames 578072.
#[test]
fn an_article_with_invalid_utf8_is_mapped_with_a_warning() {
    let tmp = tempdir();
    let article = tmp.path().join("report.txt");
    std::fs::write(&article, b"Local news.\nA drone fell on Belgorod on 3 May 2024, officials said. Caf\xe9 hit.\n")
        .unwrap();
    let out = tmp.path().join("out");
    let assert = map_cmd(&tmp.path().join("xdg")).arg("map").arg(&article).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("report.txt:2: not valid UTF-8"), "{stderr}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("incidents.geojson")).unwrap()).unwrap();
    let ids: Vec<u64> =
        doc["features"].as_array().unwrap().iter().map(|f| f["properties"]["geonameid"].as_u64().unwrap()).collect();
    assert_eq!(ids, [578072]);
}

/// `map` killed at any moment (SIGKILL, SIGINT, SIGTERM, SIGHUP) leaves the output folder holding one run's set of
/// files, the previous run's or its own, never a mix: layers, `index.html` and `unresolved.csv` switch together
/// (after the folder's recovery, which the next run does first when a kill fell inside the switch) (issue 25).
#[test]
fn a_killed_run_leaves_one_runs_files() {
    let tmp = tempdir();
    let xdg = tmp.path().join("xdg");
    let out = tmp.path().join("out");
    let one = tmp.path().join("one.csv");
    std::fs::write(&one, "date,place,weapon\n2024-03-02,Belgorod,drone\n").unwrap();
    let two = tmp.path().join("two.csv");
    std::fs::write(
        &two,
        "date,place,weapon\n2024-03-02,Belgorod,drone\n2024-03-03,Sudzha,drone\n2024-03-04,Zzyzxville,drone\n",
    )
    .unwrap();
    let run =
        |input: &std::path::Path| map_cmd(&xdg).args(["map", "-q"]).arg(input).arg("-o").arg(&out).assert().success();
    run(&one);
    let started = std::time::Instant::now();
    run(&two);
    let full = started.elapsed();
    // Which run's files the folder holds: the second's name Sudzha (no regional capital, which the page labels
    // anyway) and Zzyzxville, the first's do not.
    let second = |name: &str, mark: &str| std::fs::read_to_string(out.join(name)).unwrap().contains(mark);
    let state = || {
        let files = [("incidents.geojson", "Sudzha"), ("index.html", "Sudzha"), ("unresolved.csv", "Zzyzxville")];
        let seen: Vec<bool> = files.iter().map(|(f, m)| second(f, m)).collect();
        assert!(seen.iter().all(|s| *s == seen[0]), "a mixed set: {files:?} {seen:?}");
        seen[0]
    };
    let bin = assert_cmd::cargo::cargo_bin("incimap");
    for (i, signal) in ["KILL", "INT", "TERM", "HUP"].iter().cycle().take(12).enumerate() {
        let (input, before) = if state() { (&one, true) } else { (&two, false) };
        let mut child = std::process::Command::new(&bin)
            .args(["map", "-q"])
            .arg(input)
            .arg("-o")
            .arg(&out)
            .env("XDG_DATA_HOME", &xdg)
            .env_remove("INCIMAP_GAZETTEER")
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(i as f64 / 10.0));
        let _ = std::process::Command::new("kill").arg(format!("-{signal}")).arg(child.id().to_string()).status();
        let _ = child.wait();
        incimap::atomic_file::recover(&out).unwrap();
        let after = state();
        assert!(after == before || after == (input == &two), "run {i}: the folder holds neither run's files");
    }
    run(&two);
    assert!(state());
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
