//! `incimap map` output opened by real clients: GDAL's ogrinfo (every layer: geometry type, count, fields,
//! validity), headless Chromium (index.html draws the incidents, labels and filters them, with the network cut off),
//! and QGIS headless through tools/qgis_check.py (every layer loads with its style). A missing tool skips
//! its test with a note, or fails when env CI is set.

mod map_common;
mod needs;

use needs::{Need, case};
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

fn ogrinfo_reads_every_layer() {
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
fn the_geopackage_holds_every_layer_and_its_style() {
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
fn flatgeobuf_layers_hold_what_the_geojson_layers_hold() {
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
/// else `python3` if it has it.
fn find_geopandas_python() -> Option<String> {
    let candidates = std::env::var("INCIMAP_TEST_PYTHON").into_iter().chain(["python3".to_string()]);
    candidates.into_iter().find(|python| {
        Command::new(python).args(["-c", "import geopandas, pyarrow"]).output().is_ok_and(|o| o.status.success())
    })
}

/// [`find_geopandas_python`], which a test that needs it must have (under CI it runs without, and fails here).
fn geopandas_python() -> String {
    find_geopandas_python().expect("a Python with GeoPandas (INCIMAP_TEST_PYTHON, see .ci/run)")
}

/// GDAL's ogrinfo, which the layer tests read with.
const OGRINFO: Need = Need::Tool { program: "ogrinfo", install: "apt-get install gdal-bin" };

/// Headless Chromium, which the page tests draw with.
const CHROMIUM: Need = Need::Tool { program: "chromium", install: "apt-get install chromium" };

/// The need for GeoPandas.
const GEOPANDAS: Need = Need::Check {
    what: "a Python with GeoPandas: pip install geopandas pyarrow; INCIMAP_TEST_PYTHON=...",
    present: || find_geopandas_python().is_some(),
};

/// `--format geoparquet`: GeoPandas reads each layer as GeoParquet (its `geo` metadata, WKB geometries, CRS84)
/// with the same features as the GeoJSON layer of the same run: count, geometry (shapely's equality) and every
/// non-null property.
fn geoparquet_layers_read_in_geopandas_as_the_geojson_layers() {
    let python = geopandas_python();
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

fn ogrinfo_reads_geojsonseq() {
    let (_tmp, out) = map_table(&["--format", "geojsonseq", "--bands", "0,10"]);
    let s = summary_of(&out.join("incidents.geojsons"));
    assert!(s.contains("using driver `GeoJSONSeq' successful"), "{s}");
    assert!(s.contains("Geometry: Point\n") && s.contains("Feature Count: 7\n"), "{s}");
    let s = summary_of(&out.join("leaders.geojsons"));
    assert!(s.contains("Geometry: Line String\n") && s.contains("Feature Count: 7\n"), "{s}");
}

fn chromium(args: &[&str], page: &std::path::Path) -> std::process::Output {
    chromium_url(args, &format!("file://{}", page.display()))
}

fn chromium_url(args: &[&str], url: &str) -> std::process::Output {
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
        .arg(url)
        .output()
        .expect("run chromium")
}

/// The DOM of `page` once its script has run, opened with the URL fragment `fragment` (the page's filter state).
fn dom_of(page: &std::path::Path, fragment: &str) -> String {
    let out = chromium_url(&["--dump-dom"], &format!("file://{}{fragment}", page.display()));
    assert!(out.status.success(), "chromium: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of attribute `attr` on the first element that has it (after `after`, when given).
fn attr(dom: &str, after: &str, attr: &str) -> Option<String> {
    let from = dom.find(after)?;
    let rest = &dom[from..];
    let i = rest.find(&format!(" {attr}=\""))? + attr.len() + 3;
    Some(rest[i..i + rest[i..].find('"')?].to_string())
}

fn chromium_draws_incidents_and_border() {
    let page = output().join("index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no URL but the SVG namespace, nothing loaded by src/href, and a policy that forbids
    // fetching anything.
    let urls: Vec<&str> = html
        .match_indices("://")
        .map(|(i, s)| (i.saturating_sub(5), s))
        .map(|(i, _)| &html[i..(i + 40).min(html.len())])
        .collect();
    assert!(
        urls.iter().all(|u| u.contains("http://www.w3.org/2000/svg") && !u.contains("https")),
        "external URLs: {urls:?}"
    );
    for attr in [" src=", " href=", "url(", "@import"] {
        assert!(!html.contains(attr), "the page loads something: {attr}");
    }
    assert!(html.contains("default-src 'none'"));

    let dom = dom_of(&page, "");
    // The test table's 7 placed rows, all drawn (on the canvas: the page reports what it drew).
    assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-drawn").as_deref(), Some("7"), "drawn");
    assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-shown").as_deref(), Some("7"), "shown");
    assert!(dom.contains("id=\"map-canvas\"") && dom.contains("id=\"points-canvas\""));
    assert!(dom.contains("id=\"legend\"") && dom.contains("inside Ukraine"), "legend");
    // Regional capitals as labels, among them the oblast centres beside the border and Belarus' capital.
    for name in ["Belgorod", "Kursk", "Bryansk", "Kharkiv", "Sumy", "Chernihiv", "Minsk", "Moscow"] {
        assert!(dom.contains(&format!("data-name=\"{name}\"")), "no label for {name}");
    }
    let shown: usize = attr(&dom, "id=\"labels\"", "data-labels-shown").unwrap().parse().unwrap();
    assert!(shown >= 15, "only {shown} labels shown");

    let shot = output().join("screenshot.png");
    let out = chromium(&[&format!("--screenshot={}", shot.display())], &page);
    assert!(out.status.success(), "chromium screenshot: {}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 50_000, "screenshot of {} bytes", png.len());
    if let Ok(keep) = std::env::var("INCIMAP_KEEP_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}

/// Eight incidents written here at the coordinates of known towns (four in Russia's border oblasts and
/// beyond, three in Ukraine's), with weapons, event types and dates chosen so that each filter keeps a number
/// counted by hand below.
const FILTER_ROWS: &str = "\
date,place,lat,lon,weapon,event_type,source
2024-05-03,Belgorod,50.61074,36.58015,drone,air_strike,hand
2024-05-10,Kursk,51.7373,36.1874,missile,air_strike,hand
2024-06-01,Kharkiv,49.9935,36.2304,missile,shelling,hand
,Sumy,50.9216,34.8003,drone,crash,hand
2024-04-20,Voronezh,51.6720,39.1843,drone,interception,hand
2024-05-25,Rostov-on-Don,47.2313,39.7233,drone,damage,hand
,Bryansk,53.2521,34.3717,artillery,shelling,hand
2024-07-15,Chernihiv,51.5055,31.2849,bomb,air_strike,hand
";

/// The page's filters (given in the URL fragment, as a bookmarked view) show the hand-counted incidents, and the
/// legend's counts follow them.
fn chromium_filters_show_the_incidents_counted_by_hand() {
    let tmp = tempdir();
    let input = tmp.path().join("rows.csv");
    std::fs::write(&input, FILTER_ROWS).unwrap();
    let out = tmp.path().join("out");
    map_cmd(&tmp.path().join("xdg")).arg("map").arg(&input).arg("-o").arg(&out).assert().success();
    let page = out.join("index.html");
    // (fragment, incidents shown): counted from FILTER_ROWS by hand.
    let cases = [
        ("", 8),
        ("#weapon=drone", 4),                            // Belgorod, Sumy, Voronezh, Rostov
        ("#weapon=missile", 2),                          // Kursk, Kharkiv
        ("#event=air_strike", 3),                        // Belgorod, Kursk, Chernihiv
        ("#country=UA", 3),                              // Kharkiv, Sumy, Chernihiv
        ("#from=2024-05-01&to=2024-05-31", 5),           // 3, 10 and 25 May, and the two undated rows
        ("#from=2024-05-01&to=2024-05-31&undated=0", 3), // the undated rows hidden
        ("#weapon=drone&country=RU", 3),                 // Belgorod, Voronezh, Rostov
        ("#weapon=drone,artillery&event=shelling", 1),   // Bryansk
    ];
    for (fragment, want) in cases {
        let dom = dom_of(&page, fragment);
        assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-shown"), Some(want.to_string()), "{fragment}: shown");
        assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-drawn"), Some(want.to_string()), "{fragment}: drawn");
        assert_eq!(attr(&dom, "id=\"shown\"", "data-shown"), Some(want.to_string()), "{fragment}: legend");
    }
    // With drones only, each event type counts the drone incidents of that type (what ticking it would
    // show), and each weapon its incidents under the other filters (all of them).
    let dom = dom_of(&page, "#weapon=drone");
    let count = |facet: &str, value: &str| {
        attr(&dom, &format!("data-filter=\"{facet}\" data-value=\"{value}\""), "data-count")
            .unwrap_or_else(|| panic!("no legend entry {facet}={value}"))
    };
    for (event, n) in [("air_strike", "1"), ("crash", "1"), ("interception", "1"), ("damage", "1"), ("shelling", "0")] {
        assert_eq!(count("event", event), n, "event {event} among drones");
    }
    for (weapon, n) in [("drone", "4"), ("missile", "2"), ("artillery", "1"), ("bomb", "1")] {
        assert_eq!(count("weapon", weapon), n, "weapon {weapon}");
    }
    assert_eq!(count("country", "RU"), "3", "drone incidents in Russia");
    assert_eq!(count("country", "UA"), "1", "drone incidents in Ukraine (Sumy)");
    assert_eq!(attr(&dom, "data-filter=\"undated\"", "data-count").as_deref(), Some("1"), "undated drone (Sumy)");
}

/// The popup of an incident (opened by the URL fragment `#incident=ID`) leads with its date, place, what
/// happened and its distance to the border, then the evidence sentence, then the other properties.
fn chromium_popup_leads_with_date_place_event_and_distance() {
    let tmp = tempdir();
    let input = tmp.path().join("report.txt");
    let sentence = "A drone struck an apartment block in Belgorod on Friday, the regional governor said.";
    std::fs::write(&input, format!("Belgorod, 3 May 2024. {sentence}\n")).unwrap();
    let out = tmp.path().join("out");
    map_cmd(&tmp.path().join("xdg")).arg("map").arg(&input).arg("-o").arg(&out).assert().success();
    let dom = dom_of(&out.join("index.html"), "#incident=1");
    let popup = &dom[dom.find("id=\"popup\"").expect("a popup")..];
    let popup = &popup[..popup.find("</table>").expect("the other properties")];
    let at = |needle: &str| popup.find(needle).unwrap_or_else(|| panic!("popup lacks {needle:?}: {popup}"));
    let order = [
        at("<div class=\"date\">2024-05-03</div>"),
        at("<div class=\"place\">Belgorod, Belgorod Oblast</div>"),
        at("<div class=\"what\">air strike · drone</div>"),
        // Belgorod lies about 33 km from the border (the contract's example: 32.839 km).
        at("<div class=\"distance\">32.8 km from the border, in Russia</div>"),
        at(&format!("<blockquote class=\"evidence\">{sentence}</blockquote>")),
        at("<table>"),
        at("<td>end</td>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "popup order {order:?}: {popup}");
}

/// 20,000 incidents (the default `--html-max`) are all drawn, and the legend counts them.
fn chromium_draws_twenty_thousand_incidents() {
    let tmp = tempdir();
    let input = tmp.path().join("many.csv");
    let mut rows = String::from("date,lat,lon,weapon\n");
    for i in 0..20_000u32 {
        // A grid over the border region, 200 × 100 points.
        let (lat, lon) = (45.0 + f64::from(i / 200) * 0.08, 31.0 + f64::from(i % 200) * 0.07);
        let weapon = if i % 4 == 0 { "missile" } else { "drone" };
        rows.push_str(&format!("2024-05-{:02},{lat:.4},{lon:.4},{weapon}\n", 1 + i % 28));
    }
    std::fs::write(&input, rows).unwrap();
    let out = tmp.path().join("out");
    map_cmd(&tmp.path().join("xdg")).arg("map").arg(&input).arg("-o").arg(&out).assert().success();
    let page = out.join("index.html");
    let dom = dom_of(&page, "");
    assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-shown").as_deref(), Some("20000"));
    assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-drawn").as_deref(), Some("20000"));
    let dom = dom_of(&page, "#weapon=missile");
    assert_eq!(attr(&dom, "id=\"map\"", "data-incidents-shown").as_deref(), Some("5000"), "every fourth row");
}

fn qgis_loads_every_layer_styled() {
    let python = if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
    let has_qgis = Command::new(python)
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(has_qgis, "QGIS' Python bindings are required: apt-get install python3-qgis");
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

/// `distance` and `extract` with `--format geoparquet`: GeoPandas reads the file as GeoParquet with the features
/// the same run writes as GeoJSON (count, points, every property), and a GeoParquet sent to stdout is the same
/// file's content.
fn distance_and_extract_geoparquet_read_in_geopandas() {
    let python = geopandas_python();
    let tmp = tempdir();
    let xdg = tmp.path().join("xdg");
    let article = crate_path("examples");
    let runs: [(&str, Vec<std::ffi::OsString>); 2] = [
        ("distance", ["distance", "Belgorod", "Kursk", "Sudzha"].map(Into::into).to_vec()),
        ("extract", vec!["extract".into(), article.into_os_string()]),
    ];
    let script = r#"
import json, sys
import geopandas as gpd
from shapely.geometry import shape
parquet, geojson = sys.argv[1], sys.argv[2]
got = gpd.read_parquet(parquet)
want = json.load(open(geojson))["features"]
assert str(got.crs) in ("OGC:CRS84", "EPSG:4326"), got.crs
assert len(got) == len(want) > 0, (len(got), len(want))
for (_, row), f in zip(got.iterrows(), want):
    if f["geometry"] is not None:
        assert row.geometry.equals(shape(f["geometry"])), (row.geometry, f["geometry"])
    for k, v in f["properties"].items():
        if v is None or isinstance(v, (dict, list)):
            continue
        g = row[k]
        assert g == v or (isinstance(v, float) and abs(g - v) < 1e-9), (k, g, v)
print(len(got))
"#;
    for (what, args) in runs {
        let parquet = tmp.path().join(format!("{what}.parquet"));
        let geojson = tmp.path().join(format!("{what}.geojson"));
        let piped = tmp.path().join(format!("{what}-stdout.parquet"));
        map_cmd(&xdg).args(&args).args(["--format", "geoparquet", "-o"]).arg(&parquet).assert().success();
        let out = map_cmd(&xdg).args(&args).args(["--format", "geojson"]).output().unwrap();
        std::fs::write(&geojson, &out.stdout).unwrap();
        let out = map_cmd(&xdg).args(&args).args(["--format", "geoparquet"]).output().unwrap();
        std::fs::write(&piped, &out.stdout).unwrap();
        for file in [&parquet, &piped] {
            let check = Command::new(&python).arg("-c").arg(script).arg(file).arg(&geojson).output().unwrap();
            assert!(check.status.success(), "{what}: {}", String::from_utf8_lossy(&check.stderr));
        }
    }
}

fn main() {
    needs::run(vec![
        case("ogrinfo_reads_every_layer", ogrinfo_reads_every_layer).needs(OGRINFO),
        case("the_geopackage_holds_every_layer_and_its_style", the_geopackage_holds_every_layer_and_its_style)
            .needs(OGRINFO),
        case(
            "flatgeobuf_layers_hold_what_the_geojson_layers_hold",
            flatgeobuf_layers_hold_what_the_geojson_layers_hold,
        )
        .needs(OGRINFO),
        case("distance_and_extract_geoparquet_read_in_geopandas", distance_and_extract_geoparquet_read_in_geopandas)
            .needs(GEOPANDAS),
        case(
            "geoparquet_layers_read_in_geopandas_as_the_geojson_layers",
            geoparquet_layers_read_in_geopandas_as_the_geojson_layers,
        )
        .needs(GEOPANDAS),
        case("ogrinfo_reads_geojsonseq", ogrinfo_reads_geojsonseq).needs(OGRINFO),
        case("chromium_draws_incidents_and_border", chromium_draws_incidents_and_border).needs(CHROMIUM),
        case(
            "chromium_filters_show_the_incidents_counted_by_hand",
            chromium_filters_show_the_incidents_counted_by_hand,
        )
        .needs(CHROMIUM),
        case(
            "chromium_popup_leads_with_date_place_event_and_distance",
            chromium_popup_leads_with_date_place_event_and_distance,
        )
        .needs(CHROMIUM),
        case("chromium_draws_twenty_thousand_incidents", chromium_draws_twenty_thousand_incidents).needs(CHROMIUM),
        case("qgis_loads_every_layer_styled", qgis_loads_every_layer_styled)
            .needs(Need::PythonModule { module: "qgis.core", install: "apt-get install python3-qgis" }),
    ]);
}
