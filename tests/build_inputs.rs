//! `build` over the input layouts it accepts: plain dumps, dumps inside GeoNames-style zips, postal-code
//! files plain or zipped in a `postal/` folder, and hostile zips. Inputs are the committed refresh fixtures
//! (tests/data/refresh/, 403 rows of class P: RU 253, UA 104, BY 46, counted with `wc -l`; postal/: 3 rows
//! per country, of which 2 are villages no dump row names, see tools/make_refresh_fixtures.py).

mod support;

use incimap::build::{BuildOptions, build};
use incimap::gazetteer::{GazetteerError, PlaceSource};
use support::{fixture, fixture_path, zip_of};

/// A build input folder: the admin codes and outlines, and the dumps as `dumps` says (names relative to
/// the folder, `postal/RU.txt` for a postal-code file).
fn input(dumps: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["admin1CodesASCII.txt", "admin2Codes.txt", "ukraine.geojson", "russia.geojson", "belarus.geojson"] {
        std::fs::copy(fixture_path(f), dir.path().join(f)).unwrap();
    }
    for (name, bytes) in dumps {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// The three dumps, plain.
fn plain_dumps() -> Vec<(&'static str, Vec<u8>)> {
    vec![("RU.txt", fixture("RU.txt")), ("UA.txt", fixture("UA.txt")), ("BY.txt", fixture("BY.txt"))]
}

/// The postal-code fixture of `cc` zipped as GeoNames publishes it (export/zip/{CC}.zip).
fn postal_zip(cc: &str) -> Vec<u8> {
    zip_of(&[(&format!("{cc}.txt"), &fixture(&format!("postal/{cc}.txt"))), ("readme.txt", b"about\n")])
}

/// The message of a build that must fail.
fn build_error(dir: &tempfile::TempDir) -> String {
    match build(&BuildOptions::new(dir.path())) {
        Err(e) => e.to_string(),
        Ok(out) => panic!("the build should fail, it made {} places", out.gazetteer.places.len()),
    }
}

#[test]
fn zipped_and_plain_dumps_and_postal_files_build_the_same_places() {
    let mut plain = plain_dumps();
    plain.push(("postal/RU.txt", fixture("postal/RU.txt")));
    plain.push(("postal/UA.txt", fixture("postal/UA.txt")));
    plain.push(("postal/BY.txt", fixture("postal/BY.txt")));
    let plain = input(&plain);
    let zipped = input(&[
        ("RU.zip", zip_of(&[("RU.txt", &fixture("RU.txt")), ("readme.txt", b"about\n")])),
        ("UA.zip", zip_of(&[("UA.txt", &fixture("UA.txt"))])),
        ("BY.zip", zip_of(&[("BY.txt", &fixture("BY.txt"))])),
        ("postal/RU.zip", postal_zip("RU")),
        ("postal/UA.zip", postal_zip("UA")),
        ("postal/BY.zip", postal_zip("BY")),
    ]);
    let a = build(&BuildOptions::new(plain.path())).unwrap();
    let b = build(&BuildOptions::new(zipped.path())).unwrap();
    let postal = a.gazetteer.places.iter().filter(|p| p.source == PlaceSource::Postal).count();
    assert_eq!((a.gazetteer.places.len(), postal), (403 + 6, 6));
    assert_eq!(a.gazetteer.places, b.gazetteer.places);
    let files = |out: &incimap::build::BuildOutput| -> Vec<String> {
        out.gazetteer.manifest.sources.iter().map(|s| format!("{} {} {}", s.file, s.kind, s.rows)).collect()
    };
    for f in ["RU.zip:RU.txt geonames 253", "postal/RU.zip:RU.txt postal 3", "postal/BY.zip:BY.txt postal 3"] {
        assert!(files(&b).iter().any(|s| s == f), "{f} not in {:?}", files(&b));
    }
    assert!(files(&a).iter().any(|s| s == "postal/UA.txt postal 3"), "{:?}", files(&a));
    // A postal member is hashed as read: the same SHA-256 as the fixture's bytes.
    let ua = b.gazetteer.manifest.sources.iter().find(|s| s.file == "postal/UA.zip:UA.txt").unwrap();
    assert_eq!(ua.sha256, support::sha256_hex(&fixture("postal/UA.txt")));
    assert!(a.warnings.is_empty() && b.warnings.is_empty(), "{:?} {:?}", a.warnings, b.warnings);
}

#[test]
fn a_postal_folder_must_hold_every_country_built() {
    // UA's file is missing: the error names the country (and is found before any row is read).
    let mut files = plain_dumps();
    files.push(("postal/RU.txt", fixture("postal/RU.txt")));
    files.push(("postal/BY.zip", postal_zip("BY")));
    let err = build_error(&input(&files));
    assert!(err.contains("no postal-code file for UA") && err.contains("UA.zip or UA.txt"), "{err}");
    assert!(!err.contains("for RU") && !err.contains("BY.zip or"), "{err}");

    // UA's file is there but holds Belarus's rows.
    files.push(("postal/UA.txt", fixture("postal/BY.txt")));
    assert!(build_error(&input(&files)).contains("postal/UA.txt: no postal-code rows of UA"));

    // Building RU alone needs only RU's file: the postal files pass, and the build goes on to the next
    // input it lacks (the outline of Ukraine, taken away here so that no full build runs).
    let dir = input(&[("RU.txt", fixture("RU.txt")), ("postal/RU.txt", fixture("postal/RU.txt"))]);
    std::fs::remove_file(dir.path().join("ukraine.geojson")).unwrap();
    let mut opts = BuildOptions::new(dir.path());
    opts.countries = vec!["RU".into()];
    let err = build(&opts).map(|o| o.gazetteer.places.len()).unwrap_err().to_string();
    assert!(err.contains("needs boundary GeoJSON for Ukraine"), "{err}");
}

#[test]
fn a_hostile_postal_zip_is_refused_like_a_dump_zip() {
    let mut files = plain_dumps();
    files.push(("postal/RU.txt", fixture("postal/RU.txt")));
    files.push(("postal/BY.txt", fixture("postal/BY.txt")));
    let evil = zip_of(&[("UA.txt", &fixture("postal/UA.txt")), ("../../x.txt", b"owned\n")]);
    files.push(("postal/UA.zip", evil));
    let dir = input(&files);
    match build(&BuildOptions::new(dir.path())) {
        Err(GazetteerError::Corrupt { what, why }) => {
            assert!(what.ends_with("UA.zip") && why.contains("escapes the archive"), "{what}: {why}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|o| o.gazetteer.places.len())),
    }
    assert!(!dir.path().parent().unwrap().join("x.txt").exists());
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
    let dir = input(&plain_dumps());
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
    // Without a postal/ folder the build goes on with the dumps' places, and says so once.
    assert!(out.gazetteer.places.iter().all(|p| p.source == PlaceSource::Geonames));
    let notes: Vec<&String> = out.warnings.iter().filter(|w| w.contains("postal")).collect();
    assert_eq!(notes.len(), 1, "{:?}", out.warnings);
    assert!(notes[0].ends_with("no postal/ folder: the gazetteer holds only the dumps' places"), "{}", notes[0]);
}
