//! `incimap extract` end to end: formats, inputs (files, directories, stdin), and bad input (binary files,
//! invalid UTF-8, empty files, a large file, usage errors). Runs the real binary with the embedded gazetteer
//! (XDG_DATA_HOME points at an empty temporary directory, so no installed gazetteer is picked up).

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn cmd(tmp: &Path) -> Command {
    let mut c = Command::cargo_bin("incimap").unwrap();
    c.env("XDG_DATA_HOME", tmp).env_remove("INCIMAP_GAZETTEER");
    c
}

fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/articles")
}

fn json(out: &[u8]) -> Vec<serde_json::Value> {
    serde_json::from_slice::<Vec<serde_json::Value>>(out).expect("a JSON array on stdout")
}

#[test]
fn json_has_the_contract_fields_and_exact_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    let file = articles().join("en_voronezh.txt");
    let out =
        cmd(tmp.path()).args(["extract", "--format", "json", "--date", "2024-05-20"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read(&file).unwrap();
    let ms = json(&out.stdout);
    assert!(!ms.is_empty());
    for m in &ms {
        for f in
            ["source", "mention", "start", "end", "role", "status", "precision", "place", "border_km", "date", "weapon"]
        {
            assert!(m.get(f).is_some(), "field {f} missing in {m}");
        }
        let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        assert_eq!(&text[s..e], m["mention"].as_str().unwrap().as_bytes());
    }
    // Petropavlovka: the gazetteer knows two in Voronezh Oblast (RU.86), neither the one meant (see
    // tests/extract_geoparse.rs): an incident in RU.86, not a sure one.
    let p = ms.iter().find(|m| m["mention"] == "Petropavlovka").unwrap();
    assert_eq!((p["role"].as_str(), p["status"].as_str()), (Some("incident"), Some("ambiguous")));
    assert_eq!(p["place"]["admin1"], "RU.86");
    assert_eq!(p["date"], "2024-05-19");
    assert_eq!(p["weapon"], "bomb");
}

#[test]
fn directories_geojson_and_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cmd(tmp.path()).args(["extract", "--format", "geojson"]).arg(articles()).output().unwrap();
    assert!(out.status.success());
    let fc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let feats = fc["features"].as_array().unwrap();
    // Every article in the directory contributes.
    let n_files = std::fs::read_dir(articles())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "txt"))
        .count();
    let sources: std::collections::HashSet<&str> =
        feats.iter().map(|f| f["properties"]["source"].as_str().unwrap()).collect();
    assert_eq!(sources.len(), n_files);
    assert!(feats.iter().any(|f| f["geometry"]["type"] == "Point"));

    let out =
        cmd(tmp.path()).args(["extract", "--format", "csv"]).arg(articles().join("en_belgorod.txt")).output().unwrap();
    assert!(out.status.success());
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let headers = r.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "role") && headers.iter().any(|h| h == "border_km"));
    // The contract keeps `event_type` the last column; columns added later go before it.
    assert_eq!(headers.iter().next_back(), Some("event_type"));
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let name = headers.iter().position(|h| h == "mention").unwrap();
    assert!(rows.iter().any(|row| &row[name] == "Shebekino"));
}

#[test]
fn stdin_is_read_with_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cmd(tmp.path())
        .args(["extract", "-"])
        .write_stdin("Debris of a drone fell on a house in Kursk on Monday.")
        .output()
        .unwrap();
    assert!(out.status.success());
    let ms = json(&out.stdout);
    assert_eq!(ms.len(), 1);
    assert_eq!((ms[0]["source"].as_str(), ms[0]["place"]["geonameid"].as_u64()), (Some("-"), Some(538560)));
    assert_eq!(ms[0]["weapon"], "debris");
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_extracted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a_binary.txt"), b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0").unwrap();
    std::fs::write(dir.join("b_empty.txt"), b"").unwrap();
    // Invalid UTF-8 before the place: offsets must still be byte offsets into the file.
    let latin1 = b"Caf\xe9 owners said a drone hit Belgorod on Monday.\n".to_vec();
    std::fs::write(dir.join("c_latin1.txt"), &latin1).unwrap();
    let out = cmd(tmp.path()).arg("extract").arg(&dir).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "a file that cannot be read is a runtime failure: {err}");
    assert!(err.contains("a_binary.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("b_empty.txt") && err.contains("empty"), "{err}");
    assert!(err.contains("c_latin1.txt") && err.contains("UTF-8"), "{err}");
    assert!(!err.contains("panicked"));
    let ms = json(&out.stdout);
    let b = ms.iter().find(|m| m["mention"] == "Belgorod").expect("the readable file is still extracted");
    let s = b["start"].as_u64().unwrap() as usize;
    assert_eq!(&latin1[s..s + 8], b"Belgorod");
}

#[test]
fn usage_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let f = articles().join("en_kaluga.txt");
    let f = f.to_str().unwrap();
    for args in [vec!["extract", "--date", "20 May", f], vec!["extract", "--format", "table", f]] {
        let out = cmd(tmp.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // A missing file is no usage error: exit 1, as for map, stats and distance (issue 24).
    let out = cmd(tmp.path()).args(["extract", "/no/such/file.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr).matches("no such file").count(), 1, "said once");
}

/// A large input is read in chunks: bounded memory, offsets into the whole file. 100 MB by default
/// (INCIMAP_BIG_MB to change it); the places at the end must be found at their exact offsets.
#[test]
fn large_file_streams() {
    let mb: usize = std::env::var("INCIMAP_BIG_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.txt");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let filler = "the quick brown fox jumps over the lazy dog and nothing happened here at all today\n";
        let mut n = 0;
        while n < mb << 20 {
            f.write_all(filler.as_bytes()).unwrap();
            n += filler.len();
        }
        f.write_all(b"\nA drone fell on a house in Kursk on Monday.\n").unwrap();
    }
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    let out = cmd(tmp.path()).arg("extract").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ms = json(&out.stdout);
    assert_eq!(ms.len(), 1);
    let s = ms[0]["start"].as_u64().unwrap() as usize;
    assert_eq!(s, len - "Kursk on Monday.\n".len());
}

/// Great-circle km on a sphere of 6,371 km: an independent check of the geodesic `moved_km` (within 0.5 %).
fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[test]
fn a_table_text_column_is_geoparsed_row_by_row() {
    let tmp = tempfile::tempdir().unwrap();
    // A CIR-style export: the second row's coded point is one degree north of Sudzha (GeoNames 486816,
    // 51.1976 N 35.2726 E); the first row has no point; the third names no place; a quoted description runs
    // over two lines, so the rows' lines are 2, 3, 5 and 6.
    let table = tmp.path().join("export.csv");
    std::fs::write(
        &table,
        "entry,date,brief description,lat,lon,town/city,province\n\
         A1,2022-03-02,Drones struck a depot in Sudzha,,,Sudzha,Kursk Oblast\n\
         A2,2022-03-03,\"Shelling hit Sudzha overnight.\nNo one was hurt.\",52.1976,35.2726,Sudzha,Kursk Oblast\n\
         A3,2022-03-04,a column of trucks at night,50.1,36.1,,\n\
         A4,2022-03-05,short row\n",
    )
    .unwrap();
    let out = cmd(tmp.path())
        .args(["extract", "--format", "json", "--text-column", "brief description"])
        .arg(&table)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("export.csv:6: row has 3 fields"), "{stderr}");
    let ms = json(&out.stdout);
    let lines: Vec<u64> = ms.iter().map(|m| m["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3], "{ms:?}");
    for m in &ms {
        assert_eq!(m["place"]["geonameid"], 486816, "{m}");
        assert_eq!(m["role"], "incident", "{m}");
    }
    assert!(ms[0].get("moved_km").is_none(), "no coded point, no moved_km: {}", ms[0]);
    let moved = ms[1]["moved_km"].as_f64().expect("moved_km");
    let (lat, lon) = (ms[1]["lat"].as_f64().unwrap(), ms[1]["lon"].as_f64().unwrap());
    let want = haversine_km(52.1976, 35.2726, lat, lon);
    assert!((moved - want).abs() < want * 0.005, "moved {moved} km, sphere says {want}");
    // The offsets are into the row's text.
    assert_eq!(ms[0]["start"], 25); // "Drones struck a depot in " is 25 bytes

    // A text column needs a table.
    let article = articles().join("en_voronezh.txt");
    let out = cmd(tmp.path()).args(["extract", "--text-column", "notes"]).arg(&article).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a table"));
}
