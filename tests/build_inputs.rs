//! `build` over the input layouts it accepts: plain dumps, dumps inside GeoNames-style zips,
//! and hostile zips. Inputs are the committed refresh fixtures (tests/data/refresh/, 403 rows of class P:
//! RU 253, UA 104, BY 46, counted with `wc -l`).

mod support;

use incimap::build::{BuildOptions, build};
use incimap::gazetteer::GazetteerError;
use support::{fixture, fixture_path, zip_of};

/// A build input folder: the admin codes and outlines, and the dumps as `dumps` says.
fn input(dumps: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["admin1CodesASCII.txt", "admin2Codes.txt", "ukraine.geojson", "russia.geojson", "belarus.geojson"] {
        std::fs::copy(fixture_path(f), dir.path().join(f)).unwrap();
    }
    for (name, bytes) in dumps {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

#[test]
fn zipped_and_plain_dumps_build_the_same_places() {
    let plain = input(&[("RU.txt", fixture("RU.txt")), ("UA.txt", fixture("UA.txt")), ("BY.txt", fixture("BY.txt"))]);
    let zipped = input(&[
        ("RU.zip", zip_of(&[("RU.txt", &fixture("RU.txt")), ("readme.txt", b"about\n")])),
        ("UA.zip", zip_of(&[("UA.txt", &fixture("UA.txt"))])),
        ("BY.zip", zip_of(&[("BY.txt", &fixture("BY.txt"))])),
    ]);
    let a = build(&BuildOptions::new(plain.path())).unwrap();
    let b = build(&BuildOptions::new(zipped.path())).unwrap();
    assert_eq!(a.gazetteer.places.len(), 403);
    assert_eq!(a.gazetteer.places, b.gazetteer.places);
    assert!(
        b.gazetteer.manifest.sources.iter().any(|s| s.file == "RU.zip:RU.txt"),
        "{:?}",
        b.gazetteer.manifest.sources
    );
    assert!(a.warnings.is_empty() && b.warnings.is_empty(), "{:?} {:?}", a.warnings, b.warnings);
}

#[test]
fn a_zip_with_an_escaping_entry_is_refused() {
    let dir = input(&[
        ("RU.zip", zip_of(&[("RU.txt", &fixture("RU.txt")), ("../../x.txt", b"owned\n")])),
        ("UA.txt", fixture("UA.txt")),
    ]);
    match build(&BuildOptions::new(dir.path())) {
        Err(GazetteerError::Corrupt { why, .. }) => assert!(why.contains("escapes the archive"), "{why}"),
        other => panic!("expected a refusal, got {:?}", other.map(|o| o.gazetteer.places.len())),
    }
}

#[test]
fn provenance_is_recorded_per_file() {
    let dir = input(&[("RU.txt", fixture("RU.txt")), ("UA.txt", fixture("UA.txt")), ("BY.txt", fixture("BY.txt"))]);
    let mut opts = BuildOptions::new(dir.path());
    opts.origin = Some("a mirror".into());
    opts.urls.insert("RU.txt".into(), "https://mirror.example/RU.zip".into());
    let out = build(&opts).unwrap();
    let m = &out.gazetteer.manifest;
    assert_eq!(m.origin, "a mirror");
    let ru = m.sources.iter().find(|s| s.file == "RU.txt").unwrap();
    assert_eq!(ru.url.as_deref(), Some("https://mirror.example/RU.zip"));
    assert_eq!(ru.rows, 253);
    // sha256 of the file as read: the same as hashing the fixture independently.
    assert_eq!(ru.sha256, support::sha256_hex(&fixture("RU.txt")));
    assert!(m.sources.iter().find(|s| s.file == "UA.txt").unwrap().url.is_none());
}
