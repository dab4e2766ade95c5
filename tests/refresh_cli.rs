//! `incimap gazetteer refresh` end to end, against a real HTTP/1.1 server on 127.0.0.1 (tests/support)
//! serving the fixtures of tests/data/refresh/ (real GeoNames rows, simplified OSM outlines, and postal-code
//! rows of our own placed by Wikipedia's coordinates; see tools/make_refresh_fixtures.py). Expected figures
//! come from the fixture files themselves, counted here with plain string handling (403 rows, all feature
//! class P: `cut -f7 | sort | uniq -c`; 6 postal villages that no dump row names), from the GeoNames row of
//! Belgorod (578072, 50.61074 36.58015) and from Wikipedia's coordinates of Gora-Podol (50°28′26″ N
//! 35°38′47″ E).
//!
//! Every fault test installs a good gazetteer first, records the SHA-256 of every file in the install
//! directory, breaks one thing on the server, and checks for a clear error and identical checksums.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use support::{Reply, Server, checksums, dump_zip, fixture, postal_zip, zip_of, zip_reply};

/// A user's environment: a private XDG data home, so the default install directory is inside it.
struct Home {
    tmp: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home { tmp: tempfile::tempdir().expect("tempdir") }
    }
    /// Where refresh installs by default here ($XDG_DATA_HOME/incimap).
    fn installed(&self) -> PathBuf {
        self.tmp.path().join("data/incimap")
    }
    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("incimap").expect("binary");
        cmd.env("XDG_DATA_HOME", self.tmp.path().join("data"));
        cmd.env("HOME", self.tmp.path());
        cmd.env_remove("INCIMAP_GAZETTEER");
        cmd
    }
    /// `gazetteer refresh` against `server`, quick to give up (tests need no patience).
    fn refresh(&self, server: &Server, extra: &[&str]) -> std::process::Output {
        let mut cmd = self.cmd();
        cmd.args(["gazetteer", "refresh"]).args(server.args());
        if !extra.contains(&"--timeout") {
            cmd.args(["--timeout", "30"]);
        }
        cmd.args(["--retries", "1", "--retry-wait", "0.05"]);
        cmd.args(extra);
        cmd.output().expect("run incimap")
    }
    /// A good install, and the checksums of everything in it.
    fn install_baseline(&self, server: &Server) -> BTreeMap<String, String> {
        let out = self.refresh(server, &[]);
        assert!(out.status.success(), "baseline refresh failed: {}", String::from_utf8_lossy(&out.stderr));
        let sums = checksums(&self.installed());
        assert!(sums.contains_key("gazetteer.bin"), "{sums:?}");
        sums
    }
    fn info(&self) -> serde_json::Value {
        let out = self.cmd().args(["gazetteer", "info", "--format", "json"]).output().expect("run incimap");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("info JSON")
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Rows of the fixture dumps, counted by hand: non-empty lines with 19 tab-separated columns and class P.
fn fixture_places(cc: &str) -> u64 {
    String::from_utf8(fixture(&format!("{cc}.txt")))
        .unwrap()
        .lines()
        .filter(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            c.len() == 19 && c[6] == "P"
        })
        .count() as u64
}

/// Postal-code villages of the fixture that the dumps lack, counted by hand: rows of `postal/{cc}.txt`
/// whose name is no name or alternate name of any row of the country's dump fixture.
fn fixture_postal_villages(cc: &str) -> u64 {
    let dump = String::from_utf8(fixture(&format!("{cc}.txt"))).unwrap();
    let names: std::collections::BTreeSet<&str> =
        dump.lines().flat_map(|l| l.split('\t').skip(1).take(3).flat_map(|c| c.split(','))).collect();
    let postal = String::from_utf8(fixture(&format!("postal/{cc}.txt"))).unwrap();
    postal.lines().filter(|l| !names.contains(l.split('\t').nth(2).unwrap())).count() as u64
}

/// The postal-code villages of all three countries (two each, by the fixture's design).
fn postal_villages() -> u64 {
    let n = fixture_postal_villages("RU") + fixture_postal_villages("UA") + fixture_postal_villages("BY");
    assert_eq!(n, 6);
    n
}

/// A failed refresh: exit code 1, the message names what failed, says the install is unchanged, and
/// every installed file is byte-for-byte what it was.
fn assert_failed_cleanly(home: &Home, out: &std::process::Output, before: &BTreeMap<String, String>, expect: &[&str]) {
    let err = stderr(out);
    eprintln!("--- refresh failed as expected:\n{err}");
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    for e in expect {
        assert!(err.contains(e), "stderr lacks {e:?}: {err}");
    }
    assert!(err.contains("unchanged"), "stderr does not say the install is unchanged: {err}");
    assert_eq!(&checksums(&home.installed()), before, "the installed gazetteer changed");
    // No staging folder left behind.
    let parent = home.installed().parent().unwrap().to_path_buf();
    let leftovers: Vec<String> = std::fs::read_dir(&parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refresh_installs_and_info_and_lookups_use_it() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = home.installed();
    for f in
        ["gazetteer.bin", "manifest.json", "NOTICE", "sources/state.json", "sources/RU.zip", "sources/postal/RU.zip"]
    {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    assert!(!dir.join("previous").exists(), "nothing was replaced, so nothing is kept");

    // `gazetteer info` without --gazetteer reads the installed one.
    let info = home.info();
    assert_eq!(info["location"], dir.display().to_string());
    let places = fixture_places("RU") + fixture_places("UA") + fixture_places("BY");
    assert_eq!(places, 403);
    assert_eq!(info["places"], places + postal_villages());
    assert_eq!(info["places_by_source"]["geonames"], places);
    assert_eq!(info["places_by_source"]["postal"], postal_villages());
    for cc in ["RU", "UA", "BY"] {
        let n: u64 = info["counts"][cc].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(n, fixture_places(cc) + fixture_postal_villages(cc), "{cc}");
    }
    let origin = info["origin"].as_str().unwrap();
    assert!(origin.contains(&server.url("/geonames")) && origin.contains(&server.url("/gb")), "{origin}");
    assert!(info["built_at"].as_str().unwrap().starts_with("20"), "{}", info["built_at"]);
    let url_of = |file: &str| -> String {
        let s = info["sources"].as_array().unwrap().iter().find(|s| s["file"] == file);
        s.unwrap_or_else(|| panic!("no source {file}: {}", info["sources"]))["url"].as_str().unwrap().to_string()
    };
    assert_eq!(url_of("RU.txt"), server.url("/geonames/RU.zip"));
    assert_eq!(url_of("admin2Codes.txt"), server.url("/geonames/admin2Codes.txt"));
    assert_eq!(url_of("russia.geojson"), server.url("/files/geoBoundaries-RUS-ADM0.geojson"));
    // Each postal-code dump is a source of kind "postal", apart from the country dump of the same name.
    for cc in ["RU", "UA", "BY"] {
        let file = format!("postal/{cc}.txt");
        assert_eq!(url_of(&file), server.url(&format!("/postal/{cc}.zip")));
        let src = info["sources"].as_array().unwrap().iter().find(|s| s["file"] == file.as_str()).unwrap();
        assert_eq!((src["kind"].as_str(), src["rows"].as_u64()), (Some("postal"), Some(3)), "{src}");
    }
    // The table form says where it came from, too.
    let table = home.cmd().args(["gazetteer", "info", "--format", "table"]).output().unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains(&server.url("/geonames/RU.zip")), "{table}");

    // The installed file is what `--gazetteer DIR` loads, and lookups use it: Belgorod is there (its
    // GeoNames row), Sudzha (in the embedded gazetteer, not in the fixture) is not.
    let gaz = incimap::gazetteer::Gazetteer::open(&dir).unwrap();
    let resolver = incimap::resolve::Resolver::new(&gaz);
    let belgorod = resolver.resolve(&incimap::resolve::Query::new("Belgorod")).best.expect("Belgorod");
    assert_eq!((belgorod.geonameid, belgorod.lat, belgorod.lon), (578072, 50.61074, 36.58015));
    assert!(resolver.resolve(&incimap::resolve::Query::new("Sudzha")).best.is_none());
    // A village only the postal-code dump has, where Wikipedia puts it (50°28′26″ N 35°38′47″ E).
    let village = resolver.resolve(&incimap::resolve::Query::new("Гора-Подол")).best.expect("Gora-Podol");
    let km = incimap::gazetteer::great_circle_km(
        village.lat,
        village.lon,
        50.0 + 28.0 / 60.0 + 26.0 / 3600.0,
        35.0 + 38.0 / 60.0 + 47.0 / 3600.0,
    );
    assert!(km < 0.01, "Gora-Podol is {km} km off");
    let embedded = incimap::gazetteer::Gazetteer::embedded().unwrap();
    assert!(incimap::resolve::Resolver::new(&embedded).resolve(&incimap::resolve::Query::new("Sudzha")).best.is_some());

    // The border was derived from the served outlines and checked: the data README's 1,975 km, ±5 km.
    let km = info["border_km"].as_f64().unwrap();
    assert!((km - 1975.0).abs() <= 5.0, "{km}");
}

#[test]
fn resolve_command_uses_the_installed_gazetteer() {
    let server = Server::with_fixtures();
    let home = Home::new();
    // Before: the embedded gazetteer knows Sudzha (cities500 row 486816).
    let out = home.cmd().args(["resolve", "--format", "json", "Sudzha"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["best"]["geonameid"], 486816, "{v}");
    home.install_baseline(&server);
    let out = home.cmd().args(["resolve", "--format", "json", "Belgorod", "Sudzha"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["best"]["geonameid"], 578072);
    // In the embedded gazetteer, not in the installed fixture one.
    assert_eq!(v[1]["status"], "not_found");
}

#[test]
fn second_refresh_asks_conditionally_and_keeps_the_install() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    server.clear_seen();
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("up to date"), "{}", stderr(&out));
    let ru = server.seen_at("/geonames/RU.zip");
    assert_eq!(ru.len(), 1);
    assert!(ru[0].header("If-None-Match").is_some_and(|v| v.starts_with("\"zip-")), "{:?}", ru[0]);
    assert_eq!(ru[0].status, 304);
    // admin2Codes.txt carries only Last-Modified: the request must use If-Modified-Since.
    let a2 = server.seen_at("/geonames/admin2Codes.txt");
    assert_eq!(a2[0].header("If-Modified-Since"), Some("Tue, 12 Mar 2024 01:21:00 GMT"));
    assert_eq!(a2[0].status, 304);
    // Every request got 304: nothing downloaded again.
    assert!(server.seen().iter().all(|s| s.status == 304), "{:?}", server.seen());
    assert_eq!(checksums(&home.installed()), before);

    // One source changes: only it is downloaded, the rest comes from the cache, and a new build installs.
    let ua = String::from_utf8(fixture("UA.txt")).unwrap();
    let fewer: Vec<&str> = ua.lines().take(80).collect();
    server.route("/geonames/UA.zip", vec![zip_reply(&dump_zip("UA", (fewer.join("\n") + "\n").as_bytes()))]);
    server.clear_seen();
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let downloaded: Vec<String> = server.seen().iter().filter(|s| s.status == 200).map(|s| s.path.clone()).collect();
    assert_eq!(downloaded, vec!["/geonames/UA.zip".to_string()]);
    let info = home.info();
    let ua_n: u64 = info["counts"]["UA"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(ua_n, 80 + fixture_postal_villages("UA"));
    assert_eq!(info["places"], fixture_places("RU") + 80 + fixture_places("BY") + postal_villages());
}

#[test]
fn rollback_restores_the_previous_version_byte_for_byte() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let dir = home.installed();

    // Nothing to roll back to yet.
    let out = home.cmd().args(["gazetteer", "refresh", "--rollback"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no previous gazetteer"), "{}", stderr(&out));

    let v1 = home.install_baseline(&server)["gazetteer.bin"].clone();
    let ru = String::from_utf8(fixture("RU.txt")).unwrap();
    let fewer: Vec<&str> = ru.lines().take(200).collect();
    server.route("/geonames/RU.zip", vec![zip_reply(&dump_zip("RU", (fewer.join("\n") + "\n").as_bytes()))]);
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after_v2 = checksums(&dir);
    let v2 = after_v2["gazetteer.bin"].clone();
    assert_ne!(v1, v2);
    assert_eq!(after_v2["previous/gazetteer.bin"], v1, "the replaced version is kept");
    assert_eq!(home.info()["places"], 200 + fixture_places("UA") + fixture_places("BY") + postal_villages());

    let out = home.cmd().args(["gazetteer", "refresh", "--rollback"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let after = checksums(&dir);
    assert_eq!(after["gazetteer.bin"], v1);
    assert_eq!(after["previous/gazetteer.bin"], v2, "a second rollback can undo the first");
    assert_eq!(home.info()["places"], 403 + postal_villages());

    let out = home.cmd().args(["gazetteer", "refresh", "--rollback"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(checksums(&dir)["gazetteer.bin"], v2);
}

#[test]
fn not_found_is_a_clear_error() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    server.route("/geonames/BY.zip", vec![Reply::Status(404, "<html><body>Not Found</body></html>".into())]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["/geonames/BY.zip", "HTTP 404"]);
    // 404 is final: no retry.
    assert_eq!(server.seen_at("/geonames/BY.zip").iter().filter(|s| s.status == 404).count(), 1);
}

#[test]
fn a_missing_postal_dump_fails_the_refresh_and_names_it() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    server.route("/postal/UA.zip", vec![Reply::Status(404, "<html><body>Not Found</body></html>".into())]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["/postal/UA.zip", "HTTP 404"]);
    assert_eq!(server.seen_at("/postal/UA.zip").iter().filter(|s| s.status == 404).count(), 1, "404 is final");
}

#[test]
fn an_empty_or_html_or_memberless_postal_dump_is_refused() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let page = b"<!DOCTYPE html><html><head><title>GeoNames - error</title></head><body>no such file</body></html>";
    let wrong_country = String::from_utf8(fixture("postal/BY.txt")).unwrap();
    let cases: Vec<(Reply, Vec<&str>)> = vec![
        (Reply::ok(Vec::new(), "application/zip"), vec!["postal/UA.zip", "empty file"]),
        (Reply::ok(page.to_vec(), "text/html"), vec!["postal/UA.zip", "HTML page", "GeoNames - error"]),
        (zip_reply(&zip_of(&[("readme.txt", b"readme\n")])), vec!["postal/UA.zip", "no UA.txt in the archive"]),
        (zip_reply(&postal_zip("UA", b"")), vec!["postal/UA.txt", "no valid postal-code rows"]),
        (zip_reply(&postal_zip("UA", wrong_country.as_bytes())), vec!["postal/UA.txt", "no postal-code rows of UA"]),
    ];
    for (reply, expect) in cases {
        server.route("/postal/UA.zip", vec![reply]);
        let out = home.refresh(&server, &[]);
        assert_failed_cleanly(&home, &out, &before, &expect);
    }
}

#[test]
fn server_error_then_success_is_retried() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let zip = dump_zip("UA", &fixture("UA.txt"));
    server.route("/geonames/UA.zip", vec![Reply::Status(500, "oops".into()), zip_reply(&zip)]);
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let statuses: Vec<u16> = server.seen_at("/geonames/UA.zip").iter().map(|s| s.status).collect();
    assert_eq!(statuses, vec![500, 200]);
    assert!(stderr(&out).contains("HTTP 500"), "the retry is logged: {}", stderr(&out));
    assert_eq!(home.info()["places"], 403 + postal_villages());
}

#[test]
fn persistent_server_errors_give_up_after_the_retries() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    server.route("/geonames/admin1CodesASCII.txt", vec![Reply::Status(503, "busy".into())]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["admin1CodesASCII.txt", "503", "gave up after 2 attempts"]);
    assert_eq!(server.seen_at("/geonames/admin1CodesASCII.txt").iter().filter(|s| s.status == 503).count(), 2);
}

#[test]
fn a_stalled_response_times_out() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let zip = dump_zip("RU", &fixture("RU.txt"));
    server.route(
        "/geonames/RU.zip",
        vec![Reply::Stall { body: zip, send: 1000, hold: std::time::Duration::from_secs(120) }],
    );
    let started = std::time::Instant::now();
    let out = home.refresh(&server, &["--timeout", "3"]);
    assert_failed_cleanly(&home, &out, &before, &["/geonames/RU.zip", "stalled"]);
    assert!(started.elapsed().as_secs() < 60, "gave up only after {:?}", started.elapsed());
}

#[test]
fn a_truncated_body_is_refused() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let zip = dump_zip("RU", &fixture("RU.txt"));
    let send = zip.len() / 2;
    server.route("/geonames/RU.zip", vec![Reply::Truncated { body: zip, send }]);
    let out = home.refresh(&server, &[]);
    let err = stderr(&out);
    assert_failed_cleanly(&home, &out, &before, &["/geonames/RU.zip"]);
    assert!(err.contains("truncated") || err.contains("broke off"), "{err}");
}

#[test]
fn a_corrupt_zip_is_refused() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    // A zip header, then garbage: what a damaged mirror or disk gives.
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    server.route("/geonames/UA.zip", vec![zip_reply(&bytes)]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["UA.zip", "corrupt zip"]);
}

#[test]
fn a_zip_entry_climbing_out_is_refused() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let dump = fixture("UA.txt");
    let zip = zip_of(&[("UA.txt", &dump), ("../../x", b"owned\n")]);
    server.route("/geonames/UA.zip", vec![zip_reply(&zip)]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["UA.zip", "../../x", "path traversal"]);
    for p in [home.tmp.path().join("x"), home.tmp.path().join("data/x"), PathBuf::from("x")] {
        assert!(!p.exists(), "{} was written", p.display());
    }
}

/// A deflated member of `n` zero bytes (a few kB compressed).
fn zeros_zip(cc: &str, n: usize) -> Vec<u8> {
    zip_of(&[(&format!("{cc}.txt"), &vec![b'0'; n])])
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let bomb = zeros_zip("BY", 8 << 20);
    assert!(bomb.len() < 64 << 10, "the bomb is small on the wire: {}", bomb.len());
    server.route("/geonames/BY.zip", vec![zip_reply(&bomb)]);
    let out = home.refresh(&server, &["--max-unzipped-mb", "4"]);
    assert_failed_cleanly(&home, &out, &before, &["BY.zip", "declares 8388608 bytes", "zip bomb"]);
}

#[test]
fn a_zip_bomb_lying_about_its_size_is_refused_by_what_it_inflates_to() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let mut bomb = zeros_zip("BY", 8 << 20);
    // Forge the uncompressed size (offset 22 of the local header, 24 of the central directory record)
    // down to 1000 bytes, so the headers pass the size check.
    let find = |sig: &[u8], from: usize| bomb[from..].windows(4).position(|w| w == sig).map(|p| p + from).unwrap();
    let local = find(b"PK\x03\x04", 0);
    let central = find(b"PK\x01\x02", local + 30);
    for at in [local + 22, central + 24] {
        bomb[at..at + 4].copy_from_slice(&1000u32.to_le_bytes());
    }
    server.route("/geonames/BY.zip", vec![zip_reply(&bomb)]);
    let out = home.refresh(&server, &["--max-unzipped-mb", "4"]);
    let err = stderr(&out);
    assert_failed_cleanly(&home, &out, &before, &["BY.zip", "BY.txt"]);
    assert!(err.contains("declares 1000") || err.contains("does not inflate"), "{err}");
}

#[test]
fn an_html_error_page_served_as_the_zip_is_named() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let page =
        b"<!DOCTYPE html>\n<html><head><title>Maintenance - GeoNames</title></head><body>Back soon</body></html>";
    server.route("/geonames/RU.zip", vec![Reply::ok(page.to_vec(), "text/html")]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["RU.zip", "HTML page", "Maintenance - GeoNames"]);
}

#[test]
fn an_html_page_served_as_admin_codes_is_named() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let page = b"<html><head><title>Captive portal</title></head></html>";
    server.route("/geonames/admin1CodesASCII.txt", vec![Reply::ok(page.to_vec(), "text/html")]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["admin1CodesASCII.txt", "HTML page", "Captive portal"]);
}

/// A server that trickles a few bytes at a time never stalls long enough for `--timeout`; `--deadline` gives
/// the file up all the same, and the installed gazetteer stays (issue 25: it held a download for as long as it
/// liked).
#[test]
fn a_trickling_download_meets_its_deadline() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let zip = dump_zip("RU", &fixture("RU.txt"));
    assert!(zip.len() > 64 * 200, "long enough to trickle for over 10 s");
    server.route(
        "/geonames/RU.zip",
        vec![Reply::Trickle { body: zip, piece: 64, every: std::time::Duration::from_millis(50) }],
    );
    let started = std::time::Instant::now();
    let out = home.refresh(&server, &["--timeout", "3", "--deadline", "2"]);
    assert_failed_cleanly(&home, &out, &before, &["/geonames/RU.zip", "longer than the 2 s"]);
    assert!(started.elapsed().as_secs() < 30, "gave up only after {:?}", started.elapsed());
}

/// An admin1 file served empty (HTTP 200, no bytes) is refused: the installed gazetteer stays as it was
/// (issue 25: it installed, and every region hint failed afterwards).
#[test]
fn an_empty_admin_codes_file_is_refused() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    server.route("/geonames/admin1CodesASCII.txt", vec![Reply::ok(Vec::new(), "text/plain")]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["admin1CodesASCII.txt", "no first-level regions"]);
}

/// UA.txt with the population column (15th) of every `step`-th row made non-numeric.
fn ua_with_bad_rows(step: usize) -> (Vec<u8>, Vec<usize>) {
    let ua = String::from_utf8(fixture("UA.txt")).unwrap();
    let mut bad_lines = Vec::new();
    let lines: Vec<String> = ua
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i % step == step - 1 {
                bad_lines.push(i + 1);
                let mut c: Vec<&str> = l.split('\t').collect();
                c[14] = "lots";
                c.join("\t")
            } else {
                l.to_string()
            }
        })
        .collect();
    ((lines.join("\n") + "\n").into_bytes(), bad_lines)
}

#[test]
fn many_malformed_rows_fail_the_refresh_with_file_and_line() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let (dump, bad) = ua_with_bad_rows(3);
    server.route("/geonames/UA.zip", vec![zip_reply(&dump_zip("UA", &dump))]);
    let out = home.refresh(&server, &[]);
    let first = format!("UA.txt:{}: population \"lots\" is not a whole number", bad[0]);
    assert_failed_cleanly(
        &home,
        &out,
        &before,
        &[&format!("{} of 104 rows of UA.txt are malformed", bad.len()), &first],
    );
}

#[test]
fn a_few_malformed_rows_are_reported_and_skipped_unless_strict() {
    let server = Server::with_fixtures();
    let home = Home::new();
    home.install_baseline(&server);
    // One bad row in 104 is under the 1% tolerance.
    let (dump, bad) = ua_with_bad_rows(104);
    assert_eq!(bad, vec![104]);
    server.route("/geonames/UA.zip", vec![zip_reply(&dump_zip("UA", &dump))]);
    let before = checksums(&home.installed());
    let out = home.refresh(&server, &["--strict"]);
    assert_failed_cleanly(&home, &out, &before, &["UA.txt:104:"]);
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("UA.txt:104: population \"lots\""), "{}", stderr(&out));
    assert_eq!(home.info()["places"], 402 + postal_villages());
}

#[test]
fn a_country_shrinking_below_half_needs_allow_shrink() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let ua = String::from_utf8(fixture("UA.txt")).unwrap();
    let few: Vec<&str> = ua.lines().take(40).collect();
    server.route("/geonames/UA.zip", vec![zip_reply(&dump_zip("UA", (few.join("\n") + "\n").as_bytes()))]);
    let out = home.refresh(&server, &[]);
    // The postal villages count with their country (their district seat is among the 40 rows kept).
    let villages = fixture_postal_villages("UA");
    let shrink = format!("UA would shrink from {} to {} places", 104 + villages, 40 + villages);
    assert_failed_cleanly(&home, &out, &before, &[&shrink, "--allow-shrink"]);
    let out = home.refresh(&server, &["--allow-shrink"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(home.info()["places"], fixture_places("RU") + 40 + fixture_places("BY") + postal_villages());
}

#[test]
fn boundary_metadata_without_a_download_url_is_refused() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    let meta = serde_json::json!({"boundaryISO": "RUS", "boundaryType": "ADM0", "staticDownloadLink": "x.zip"});
    server.route("/gb/RUS/ADM0/", vec![Reply::ok(meta.to_string().into_bytes(), "application/json")]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["geoBoundaries metadata for RUS", "no gjDownloadURL"]);
}

#[test]
fn a_border_that_fails_validation_is_not_installed() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    // The wrong country served as Russia: Belarus also borders Ukraine, but that is not the
    // Russia–Ukraine land border (wrong length, wrong ends).
    server.serve_boundary("RUS", &fixture("belarus.geojson"));
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["land border"]);
}

#[test]
fn a_redirect_to_plain_http_elsewhere_is_not_followed() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let before = home.install_baseline(&server);
    // A downgrade to plain HTTP on a remote host (reserved TEST-NET address: never contacted).
    server.route("/geonames/RU.zip", vec![Reply::Redirect("http://192.0.2.1/RU.zip".into())]);
    let out = home.refresh(&server, &[]);
    assert_failed_cleanly(&home, &out, &before, &["/geonames/RU.zip", "redirect refused", "http://192.0.2.1/RU.zip"]);
    // A redirect within the rule (to another loopback path) is followed.
    server.route("/geonames/RU.zip", vec![Reply::Redirect(server.url("/mirror/RU.zip"))]);
    server.route("/mirror/RU.zip", vec![zip_reply(&dump_zip("RU", &fixture("RU.txt")))]);
    let out = home.refresh(&server, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn bad_country_codes_are_a_usage_error() {
    let home = Home::new();
    let out = home.cmd().args(["gazetteer", "refresh", "--countries", "RU,Ukraine"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("ISO alpha-2"), "{}", stderr(&out));
    assert!(!home.installed().exists());
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_request() {
    let home = Home::new();
    let out = home
        .cmd()
        .args(["gazetteer", "refresh", "--base-url", "http://download.geonames.org/export/dump"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("plain HTTP is only allowed to loopback"), "{}", stderr(&out));
    assert!(!home.installed().exists());
}

#[test]
fn a_directory_with_foreign_files_is_not_replaced() {
    let server = Server::with_fixtures();
    let home = Home::new();
    let dir = home.tmp.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("thesis.tex"), b"\\documentclass{article}").unwrap();
    let before = checksums(&dir);
    let out = home.refresh(&server, &["--dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("thesis.tex"), "{}", stderr(&out));
    assert_eq!(checksums(&dir), before);
    let _ = Path::new(&dir);
}
