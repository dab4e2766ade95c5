//! The checks refresh runs on what it downloads, without a network: zip safety, error pages, the URL
//! rule, geoBoundaries metadata. Zips are made here with the zip crate, as an attacker or a broken
//! mirror would make them.

mod support;

use incimap::refresh::archive::{extract_member, html_page};
use incimap::refresh::fetch::check_url;
use incimap::refresh::geoboundaries::download_url;
use support::zip_of;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn only_the_expected_member_is_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let zip = write(dir.path(), "RU.zip", &zip_of(&[("readme.txt", b"readme"), ("RU.txt", b"1\t2\n")]));
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    assert_eq!(extract_member(&zip, "RU.txt", &out.join("RU.txt"), 1000), Ok(4));
    assert_eq!(std::fs::read(out.join("RU.txt")).unwrap(), b"1\t2\n");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names, vec!["RU.txt".to_string()]);
}

#[test]
fn a_missing_member_names_what_the_archive_holds() {
    let dir = tempfile::tempdir().unwrap();
    let zip = write(dir.path(), "RU.zip", &zip_of(&[("UA.txt", b"x")]));
    let err = extract_member(&zip, "RU.txt", &dir.path().join("RU.txt"), 1000).unwrap_err();
    assert_eq!(err, "no RU.txt in the archive (it holds: UA.txt)");
    assert!(!dir.path().join("RU.txt").exists());
}

#[test]
fn every_kind_of_escaping_entry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for evil in ["../../x", "/etc/x", "a/../../x", "..\\..\\x"] {
        let zip = write(dir.path(), "RU.zip", &zip_of(&[("RU.txt", b"x"), (evil, b"owned")]));
        let err = extract_member(&zip, "RU.txt", &dir.path().join("RU.txt"), 1000).unwrap_err();
        assert!(err.contains("path traversal"), "{evil}: {err}");
        assert!(!dir.path().join("RU.txt").exists(), "{evil}: nothing is extracted from a hostile archive");
    }
}

#[test]
fn size_limits_count_declared_and_real_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let zip = write(dir.path(), "RU.zip", &zip_of(&[("RU.txt", &[b'a'; 5000])]));
    let err = extract_member(&zip, "RU.txt", &dir.path().join("RU.txt"), 4999).unwrap_err();
    assert!(err.contains("declares 5000 bytes") && err.contains("4999"), "{err}");
    assert_eq!(extract_member(&zip, "RU.txt", &dir.path().join("RU.txt"), 5000), Ok(5000));
}

#[test]
fn not_a_zip_and_error_pages_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(dir.path(), "a.zip", b"\n  <!doctype html><html><title>502 Bad Gateway</title></html>");
    let err = extract_member(&page, "RU.txt", &dir.path().join("RU.txt"), 1000).unwrap_err();
    assert_eq!(err, "the server sent an HTML page (\"502 Bad Gateway\") instead of a zip archive");
    let text = write(dir.path(), "b.zip", b"578072\tBelgorod\n");
    let err = extract_member(&text, "RU.txt", &dir.path().join("RU.txt"), 1000).unwrap_err();
    assert!(err.contains("not a zip archive"), "{err}");
    assert!(html_page(b"geonameid\tname\n").is_none());
    assert_eq!(html_page(b"<HTML><BODY>gone</BODY></HTML>").as_deref(), Some("an HTML page"));
}

#[test]
fn https_everywhere_plain_http_only_to_loopback() {
    for ok in [
        "https://download.geonames.org/export/dump",
        "http://127.0.0.1:8000/dump",
        "http://127.0.0.2/dump",
        "http://localhost:8000/dump",
        "http://[::1]:8000/dump",
    ] {
        assert!(check_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://download.geonames.org/export/dump",
        "http://10.0.0.1/dump",
        "http://127.0.0.1.example.com/dump",
        "ftp://download.geonames.org/export/dump",
        "file:///etc/passwd",
        "not a url",
    ] {
        assert!(check_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn geoboundaries_metadata_forms() {
    let base = reqwest::Url::parse("https://www.geoboundaries.org/api/current/gbOpen/UKR/ADM0/").unwrap();
    let arr =
        br#"[{"boundaryISO":"UKR","gjDownloadURL":"https://github.com/wmgeolab/geoBoundaries/raw/abc/UKR.geojson"}]"#;
    assert_eq!(
        download_url(arr, &base).unwrap().as_str(),
        "https://github.com/wmgeolab/geoBoundaries/raw/abc/UKR.geojson"
    );
    // RFC 3986: /gbOpen/UKR/ADM0/ + ../../files/X → /gbOpen/files/X
    let rel = br#"{"gjDownloadURL":"../../files/UKR.geojson"}"#;
    assert_eq!(
        download_url(rel, &base).unwrap().as_str(),
        "https://www.geoboundaries.org/api/current/gbOpen/files/UKR.geojson"
    );
    assert!(download_url(br#"{"gjDownloadURL":42}"#, &base).unwrap_err().contains("not a URL string"));
    assert!(download_url(b"{}", &base).unwrap_err().contains("no gjDownloadURL"));
    assert!(download_url(b"<html><title>Down</title></html>", &base).unwrap_err().contains("HTML page"));
    assert!(download_url(b"{not json", &base).unwrap_err().contains("not JSON"));
}
