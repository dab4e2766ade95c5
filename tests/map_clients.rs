//! `incimap map` output opened by real clients: GDAL's ogrinfo (every layer: geometry type, count, fields,
//! validity), headless Chromium (index.html draws the incidents and the border with the network cut off),
//! and QGIS headless through tools/qgis_check.py (every layer loads with its style). A missing tool skips
//! its test with a note, or fails when env CI is set.

mod map_common;

use std::process::Command;
use std::sync::OnceLock;

use map_common::*;

/// One CLI run on the test table, shared by the tests here.
fn output() -> &'static std::path::Path {
    static OUT: OnceLock<(tempfile::TempDir, std::path::PathBuf)> = OnceLock::new();
    &OUT.get_or_init(|| map_table(&["--bands", "0,10,25,50"])).1
}

fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo").args(args).output().expect("run ogrinfo");
    assert!(out.status.success(), "ogrinfo {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn summary_of(path: &std::path::Path) -> String {
    ogrinfo(&["-ro", "-so", "-al", path.to_str().unwrap()])
}

#[test]
fn ogrinfo_reads_every_layer() {
    if !require_tool("ogrinfo", "apt-get install gdal-bin") {
        return;
    }
    let out = output();
    // (file, driver, geometry, count) — counts from the table: 7 rows place, 3 do not.
    let expect = [
        ("incidents.geojson", "GeoJSON", "Point", 7),
        ("leaders.geojson", "GeoJSON", "Line String", 7),
        ("border.geojson", "GeoJSON", "Multi Line String", 1),
        ("ukraine.geojson", "GeoJSON", "Multi Polygon", 1),
        ("bands.geojson", "GeoJSON", "Multi Polygon", 3),
    ];
    for (file, driver, geom, count) in expect {
        let s = summary_of(&out.join(file));
        assert!(s.contains(&format!("using driver `{driver}' successful")), "{file}: {s}");
        assert!(s.contains(&format!("Geometry: {geom}\n")), "{file}: {s}");
        assert!(s.contains(&format!("Feature Count: {count}\n")), "{file}: {s}");
        assert!(s.contains("ID[\"EPSG\",4326]"), "{file}: WGS84");
    }
    let s = summary_of(&out.join("incidents.geojson"));
    for field in [
        "date: ",
        "place: ",
        "region: ",
        "input_country: ",
        "lat: ",
        "lon: ",
        "notes: ",
        "source: ",
        "border_km: Real",
        "country: String",
        "inside_ukraine: Integer(Boolean)",
        "geonameid: Integer",
        "place_name: String",
        "admin1_name: String",
        "status: String",
        "score: Real",
        "precision: String",
        "evidence: ",
        "input_file: String",
        "input_line: Integer",
    ] {
        assert!(s.contains(&format!("\n{field}")), "incidents.geojson lacks field {field}: {s}");
    }
    let s = summary_of(&out.join("bands.geojson"));
    for field in ["from_km: ", "to_km: ", "label: String", "area_km2: Real"] {
        assert!(s.contains(&format!("\n{field}")), "bands.geojson lacks {field}");
    }
    // GEOS (through GDAL's SQLite dialect) finds every band valid.
    let v = ogrinfo(&[
        "-ro",
        "-dialect",
        "sqlite",
        "-sql",
        "SELECT count(*) AS n, sum(ST_IsValid(geometry)) AS valid FROM bands",
        out.join("bands.geojson").to_str().unwrap(),
    ]);
    assert!(v.contains("n (Integer) = 3") && v.contains("valid (Integer) = 3"), "band validity: {v}");
    // unresolved.csv through GDAL's CSV driver: the three bad rows.
    let s = summary_of(&out.join("unresolved.csv"));
    assert!(s.contains("Feature Count: 3\n") && s.contains("\nreason: String"), "unresolved.csv: {s}");
    let lines = ogrinfo(&["-ro", "-al", "-q", out.join("unresolved.csv").to_str().unwrap()]);
    for l in TABLE_BAD_LINES {
        assert!(lines.contains(&format!("line (String) = {l}\n")), "line {l} missing: {lines}");
    }
}

/// `--format gpkg`: one GeoPackage that GDAL opens with the same layers, counts and typed fields as the
/// GeoJSON layers, that GDAL's own validator (validate_gpkg.py, from python3-gdal) accepts, and whose
/// `layer_styles` table holds each layer's default style. Nothing but the GeoPackage, `index.html` and
/// `unresolved.csv` is left in the output directory.
#[test]
fn the_geopackage_holds_every_layer_and_its_style() {
    if !require_tool("ogrinfo", "apt-get install gdal-bin") {
        return;
    }
    let (_tmp, out) = map_table(&["--format", "gpkg", "--bands", "0,10,25,50"]);
    let mut files: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    assert_eq!(files, ["incimap.gpkg", "index.html", "unresolved.csv"]);
    let gpkg = out.join("incimap.gpkg");
    let s = summary_of(&gpkg);
    assert!(s.contains("using driver `GPKG' successful"), "{s}");
    for (layer, geom, count) in [
        ("incidents", "Point", 7),
        ("leaders", "Line String", 7),
        ("border", "Multi Line String", 1),
        ("ukraine", "Multi Polygon", 1),
        ("bands", "Multi Polygon", 3),
    ] {
        let s = ogrinfo(&["-ro", "-so", gpkg.to_str().unwrap(), layer]);
        assert!(s.contains(&format!("Geometry: {geom}\n")), "{layer}: {s}");
        assert!(s.contains(&format!("Feature Count: {count}\n")), "{layer}: {s}");
        assert!(s.contains("ID[\"EPSG\",4326]"), "{layer}: WGS84");
    }
    let s = ogrinfo(&["-ro", "-so", gpkg.to_str().unwrap(), "incidents"]);
    for field in ["border_km: Real", "inside_ukraine: Integer(Boolean)", "geonameid: Integer", "place_name: String"] {
        assert!(s.contains(&format!("\n{field}")), "incidents lacks {field}: {s}");
    }
    let styles = ogrinfo(&[
        "-ro",
        "-q",
        "-sql",
        "SELECT f_table_name, useAsDefault, length(styleQML) > 100 AS has_qml FROM layer_styles ORDER BY f_table_name",
        gpkg.to_str().unwrap(),
    ]);
    for layer in ["bands", "border", "incidents", "leaders", "ukraine"] {
        assert!(styles.contains(&format!("f_table_name (String) = {layer}\n")), "{layer}: {styles}");
    }
    assert_eq!(styles.matches("useAsDefault (Integer(Boolean)) = 1").count(), 5, "{styles}");
    assert_eq!(styles.matches("has_qml (Integer) = 1").count(), 5, "{styles}");

    let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
    if std::path::Path::new(validator).exists() {
        let v = Command::new("/usr/bin/python3").arg(validator).arg(&gpkg).output().expect("run validate_gpkg.py");
        let report = format!("{}{}", String::from_utf8_lossy(&v.stdout), String::from_utf8_lossy(&v.stderr));
        assert!(v.status.success() && report.trim().is_empty(), "validate_gpkg.py: {report}");
    } else {
        assert!(std::env::var_os("CI").is_none(), "GDAL's validate_gpkg.py is required under CI (python3-gdal)");
        eprintln!("note: GDAL's validate_gpkg.py is not installed (apt-get install python3-gdal): not run");
    }
}

/// `--format fgb`: each layer as FlatGeobuf that GDAL opens with the same counts, and whose features GDAL
/// reads back with the same properties as the GeoJSON layer of the same run (FlatGeobuf's index sorts the
/// features, so they are matched by input file and line).
#[test]
fn flatgeobuf_layers_hold_what_the_geojson_layers_hold() {
    if !require_tool("ogrinfo", "apt-get install gdal-bin") {
        return;
    }
    let (_tmp, out) = map_table(&["--format", "fgb", "--bands", "0,10,25,50"]);
    for (layer, geom, count) in [
        ("incidents", "Point", 7),
        ("leaders", "Line String", 7),
        ("border", "Multi Line String", 1),
        ("ukraine", "Multi Polygon", 1),
        ("bands", "Multi Polygon", 3),
    ] {
        let s = summary_of(&out.join(format!("{layer}.fgb")));
        assert!(s.contains("using driver `FlatGeobuf' successful"), "{layer}: {s}");
        assert!(s.contains(&format!("Geometry: {geom}\n")) && s.contains(&format!("Feature Count: {count}\n")), "{s}");
        assert!(out.join(format!("{layer}.qml")).exists(), "{layer}.qml beside it");
    }
    let converted = out.join("incidents-from-fgb.geojson");
    let status = Command::new("ogr2ogr")
        .args(["-f", "GeoJSON"])
        .arg(&converted)
        .arg(out.join("incidents.fgb"))
        .status()
        .expect("run ogr2ogr");
    assert!(status.success());
    let features = |path: &std::path::Path| -> Vec<serde_json::Value> {
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut f: Vec<serde_json::Value> = doc["features"].as_array().unwrap().clone();
        f.sort_by_key(|f| f["properties"]["input_line"].as_u64());
        f
    };
    let geojson = features(&output().join("incidents.geojson"));
    let from_fgb = features(&converted);
    assert_eq!(geojson.len(), from_fgb.len());
    for (a, b) in geojson.iter().zip(&from_fgb) {
        // GDAL leaves out null properties; every other one is the same value.
        // The runs read the table from different temporary folders: `input_file` differs by its folder only.
        for (k, v) in a["properties"].as_object().unwrap() {
            if !v.is_null() && k != "input_file" {
                assert_eq!(&b["properties"][k], v, "{k} of line {}", a["properties"]["input_line"]);
            }
        }
        let xy = |f: &serde_json::Value| -> Vec<f64> {
            f["geometry"]["coordinates"].as_array().unwrap().iter().map(|c| c.as_f64().unwrap()).collect()
        };
        assert_eq!(xy(a), xy(b));
    }
}

/// A Python with GeoPandas (GeoParquet's reference reader): `INCIMAP_TEST_PYTHON` (`.ci/run` makes a venv),
/// else `python3` if it has it; `None` (a note) outside CI, a failure under it.
fn geopandas_python() -> Option<String> {
    let candidates = std::env::var("INCIMAP_TEST_PYTHON").into_iter().chain(["python3".to_string()]);
    for python in candidates {
        let ok =
            Command::new(&python).args(["-c", "import geopandas, pyarrow"]).output().is_ok_and(|o| o.status.success());
        if ok {
            return Some(python);
        }
    }
    assert!(std::env::var_os("CI").is_none(), "GeoPandas is required under CI (INCIMAP_TEST_PYTHON, see .ci/run)");
    eprintln!("note: skipping, no Python with GeoPandas (pip install geopandas pyarrow; INCIMAP_TEST_PYTHON=...)");
    None
}

/// `--format geoparquet`: GeoPandas reads each layer as GeoParquet (its `geo` metadata, WKB geometries, CRS84)
/// with the same features as the GeoJSON layer of the same run: count, geometry (shapely's equality) and every
/// non-null property.
#[test]
fn geoparquet_layers_read_in_geopandas_as_the_geojson_layers() {
    let Some(python) = geopandas_python() else { return };
    let (_tmp, out) = map_table(&["--format", "geoparquet", "--bands", "0,10,25,50"]);
    let script = r#"
import json, sys
import geopandas as gpd
from shapely.geometry import shape
parquet_dir, geojson_dir = sys.argv[1], sys.argv[2]
for layer in ["incidents", "leaders", "border", "ukraine", "bands"]:
    g = gpd.read_parquet("%s/%s.parquet" % (parquet_dir, layer))
    assert g.crs is not None and g.crs.to_string() == "OGC:CRS84", (layer, g.crs)
    want = json.load(open("%s/%s.geojson" % (geojson_dir, layer)))["features"]
    assert len(g) == len(want), (layer, len(g), len(want))
    for i, f in enumerate(want):
        assert g.geometry.iloc[i].equals(shape(f["geometry"])), (layer, i)
        for k, v in f["properties"].items():
            if v is None or k == "input_file":
                continue
            got = g[k].iloc[i]
            got = got.item() if hasattr(got, "item") else got
            assert got == v, (layer, i, k, got, v)
    print(layer, len(g))
"#;
    let run = Command::new(&python).args(["-c", script]).arg(&out).arg(output()).output().expect("run python");
    let report = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "GeoPandas check failed: {report}");
    assert!(report.contains("incidents 7") && report.contains("bands 3"), "{report}");
}

#[test]
fn ogrinfo_reads_geojsonseq() {
    if !require_tool("ogrinfo", "apt-get install gdal-bin") {
        return;
    }
    let (_tmp, out) = map_table(&["--format", "geojsonseq", "--bands", "0,10"]);
    let s = summary_of(&out.join("incidents.geojsons"));
    assert!(s.contains("using driver `GeoJSONSeq' successful"), "{s}");
    assert!(s.contains("Geometry: Point\n") && s.contains("Feature Count: 7\n"), "{s}");
    let s = summary_of(&out.join("leaders.geojsons"));
    assert!(s.contains("Geometry: Line String\n") && s.contains("Feature Count: 7\n"), "{s}");
}

fn chromium(args: &[&str], page: &std::path::Path) -> std::process::Output {
    let profile = tempdir();
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            // Any request the page made would fail: the map must draw without the network.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium")
}

#[test]
fn chromium_draws_incidents_and_border() {
    if !require_tool("chromium", "apt-get install chromium") {
        return;
    }
    let page = output().join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no URL but the SVG namespace, and a policy that forbids fetching anything.
    let urls: Vec<&str> = html
        .match_indices("://")
        .map(|(i, s)| (i.saturating_sub(5), s))
        .map(|(i, _)| &html[i..(i + 40).min(html.len())])
        .collect();
    assert!(
        urls.iter().all(|u| u.contains("http://www.w3.org/2000/svg") && !u.contains("https")),
        "external URLs: {urls:?}"
    );
    assert!(html.contains("default-src 'none'"));

    let out = chromium(&["--dump-dom"], &page);
    assert!(out.status.success(), "chromium: {}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains("data-incidents-drawn=\"7\""), "the script did not draw 7 incidents");
    assert_eq!(dom.matches("<circle class=\"incident\"").count(), 7);
    assert_eq!(dom.matches("<path class=\"leader\"").count(), 7);
    let border = dom.split("id=\"border-line\" d=\"").nth(1).expect("a border path");
    let d = &border[..border.find('"').unwrap()];
    assert!(d.matches('L').count() > 500, "the border path has {} segments", d.matches('L').count());
    assert_eq!(dom.matches("<path class=\"band\"").count(), 3);
    assert!(dom.contains("id=\"legend\"") && dom.contains("inside Ukraine"), "legend");

    let shot = output().join("screenshot.png");
    let out = chromium(&[&format!("--screenshot={}", shot.display())], &page);
    assert!(out.status.success(), "chromium screenshot: {}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 50_000, "screenshot of {} bytes", png.len());
    if let Ok(keep) = std::env::var("INCIMAP_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

#[test]
fn qgis_loads_every_layer_styled() {
    let python = if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let has_qgis = Command::new(python)
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_qgis {
        if std::env::var_os("CI").is_some() {
            panic!("QGIS' Python bindings are required when CI is set: apt-get install python3-qgis");
        }
        eprintln!("note: skipping, QGIS' Python bindings are not installed (apt-get install python3-qgis)");
        return;
    }
    check_in_qgis(python, output());
    // The GeoPackage's layers carry their styles inside: QGIS loads each as its default style.
    let (_tmp, gpkg_out) = map_table(&["--format", "gpkg", "--bands", "0,10,25,50"]);
    check_in_qgis(python, &gpkg_out);
    // FlatGeobuf layers, with their `.qml` beside them.
    let (_tmp, fgb_out) = map_table(&["--format", "fgb", "--bands", "0,10,25,50"]);
    check_in_qgis(python, &fgb_out);
}

/// tools/qgis_check.py on an output directory: every layer loads, with the test table's counts and its style.
fn check_in_qgis(python: &str, dir: &std::path::Path) {
    let out = Command::new(python)
        .arg(crate_path("tools/qgis_check.py"))
        .arg(dir)
        .arg("--json")
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("run qgis_check.py");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "qgis_check failed: {text}\n{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let layer = |name: &str| report["layers"].as_array().unwrap().iter().find(|l| l["layer"] == name).unwrap().clone();
    for (name, count, renderer) in [
        ("incidents", 7, "graduatedSymbol"),
        ("leaders", 7, "singleSymbol"),
        ("border", 1, "singleSymbol"),
        ("ukraine", 1, "singleSymbol"),
        ("bands", 3, "graduatedSymbol"),
    ] {
        let l = layer(name);
        assert_eq!(l["ok"], true, "{name}: {l}");
        assert_eq!(l["features"], count, "{name}");
        assert_eq!(l["renderer"], renderer, "{name}");
    }
    assert_eq!(layer("incidents")["attribute"], "border_km");
    // Inside Ukraine, the three bands, and beyond the last edge.
    assert_eq!(layer("incidents")["classes"].as_array().unwrap().len(), 5);
    assert_eq!(layer("bands")["attribute"], "from_km");
}
