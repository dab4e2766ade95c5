//! The embedded gazetteer and gazetteer directories: what they hold, and clear errors when unusable.
//! Expected figures come from the source files (counted with grep/awk/cut over
//! ../shared/data/geonames/) and from the data README (8,189 rows in cities500-RU-UA-BY.txt).

use assert_cmd::Command;
use incimap::gazetteer::{Gazetteer, GazetteerError};

fn incimap() -> Command {
    let mut cmd = Command::cargo_bin("incimap").expect("binary");
    // Never pick up a gazetteer installed on the developer's machine.
    cmd.env("XDG_DATA_HOME", std::env::temp_dir().join("incimap-test-no-install"));
    cmd.env_remove("INCIMAP_GAZETTEER");
    cmd
}

#[test]
fn embedded_gazetteer_holds_the_shipped_geonames_extract() {
    use incimap::gazetteer::{PlaceSource, PointPrecision};
    let gaz = Gazetteer::embedded().expect("embedded gazetteer decodes");
    // data README: 8,189 rows; `cut -f9 | sort | uniq -c`: BY 310, RU 5028, UA 2851. Every cities500 row is a
    // place of its own, with GeoNames as its source.
    let geonames: Vec<_> = gaz.places.iter().filter(|p| p.source == PlaceSource::Geonames).collect();
    assert_eq!(geonames.len(), 8189);
    let per_country = |cc: &str| geonames.iter().filter(|p| p.country == cc).count();
    assert_eq!((per_country("BY"), per_country("RU"), per_country("UA")), (310, 5028, 2851));
    // The postal-code villages: at most one place per row of the three files (`wc -l`: 3,133 + 43,538 +
    // 29,571), named in Latin letters (the files give Cyrillic only), with ids of incimap's own; only they stand
    // at a district's point.
    let postal: Vec<_> = gaz.places.iter().filter(|p| p.source == PlaceSource::Postal).collect();
    assert!(!postal.is_empty() && postal.len() <= 3_133 + 43_538 + 29_571, "{}", postal.len());
    assert_eq!(postal.len() + geonames.len(), gaz.places.len());
    assert!(gaz.places.iter().all(|p| p.precision == PointPrecision::Exact || p.source == PlaceSource::Postal));
    for p in postal.iter().step_by(97) {
        assert!(p.geonameid >= incimap::gazetteer::OWN_ID_BASE, "{p:?}");
        assert!(!p.name.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "{p:?}");
    }
    // grep -cE '^(RU|UA|BY)\.' admin1CodesASCII.txt / admin2Codes.txt
    assert_eq!(gaz.admin1.len(), 117);
    assert_eq!(gaz.admin2.len(), 2166);
}

#[test]
fn belgorod_and_its_oblast_match_the_source_rows() {
    let gaz = Gazetteer::embedded().unwrap();
    // cities500 row 578072: Belgorod 50.61074 36.58015 P PPLA RU admin1 09 population 345289
    let p = gaz.places.iter().find(|p| p.geonameid == 578072).expect("Belgorod present");
    assert_eq!((p.name.as_str(), p.feature_code.as_str(), p.country.as_str()), ("Belgorod", "PPLA", "RU"));
    assert_eq!((p.lat, p.lon, p.population), (50.61074, 36.58015, 345289));
    assert_eq!(p.admin1_code(), "RU.09");
    // admin1CodesASCII: RU.09 Belgorod Oblast 578071; its only PPLA is Belgorod.
    let oblast = gaz.admin1_by_code("RU.09").expect("RU.09");
    assert_eq!((oblast.name.as_str(), oblast.geonameid), ("Belgorod Oblast", 578071));
    let seat = oblast.seat.expect("seat");
    assert_eq!(gaz.places[seat as usize].geonameid, 578072);
}

#[test]
fn boundaries_are_present_and_the_border_is_derived() {
    let gaz = Gazetteer::embedded().unwrap();
    assert!(!gaz.boundaries.ukraine.0.is_empty());
    assert!(!gaz.boundaries.russia.0.is_empty());
    assert!(!gaz.boundaries.belarus.0.is_empty());
    // The data README gives the land border as 1,975 km; the issue allows ±5 km.
    assert!((gaz.manifest.border_km - 1975.0).abs() <= 5.0, "border {} km", gaz.manifest.border_km);
}

#[test]
fn missing_and_corrupt_directories_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    assert!(matches!(Gazetteer::open(&missing), Err(GazetteerError::MissingDir(_))));
    assert!(matches!(Gazetteer::open(dir.path()), Err(GazetteerError::MissingFile { .. })));
    std::fs::write(dir.path().join("gazetteer.bin"), b"").unwrap();
    assert!(matches!(Gazetteer::open(dir.path()), Err(GazetteerError::Corrupt { .. })));
    std::fs::write(dir.path().join("gazetteer.bin"), b"not a gazetteer at all, just text").unwrap();
    assert!(matches!(Gazetteer::open(dir.path()), Err(GazetteerError::Corrupt { .. })));
    // A valid header followed by truncated data.
    let mut truncated = incimap::gazetteer::EMBEDDED[..4096].to_vec();
    std::fs::write(dir.path().join("gazetteer.bin"), &truncated).unwrap();
    assert!(matches!(Gazetteer::open(dir.path()), Err(GazetteerError::Corrupt { .. })));
    // Flipped bytes in the body.
    truncated = incimap::gazetteer::EMBEDDED.to_vec();
    for b in truncated.iter_mut().skip(100).step_by(997) {
        *b ^= 0xA5;
    }
    std::fs::write(dir.path().join("gazetteer.bin"), &truncated).unwrap();
    assert!(Gazetteer::open(dir.path()).is_err());
}

/// A gazetteer directory holding `bytes` as its gazetteer.bin.
fn gazetteer_dir(bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gazetteer.bin"), bytes).unwrap();
    dir
}

#[test]
fn a_format_1_gazetteer_is_refused_with_a_rebuild_message() {
    // The head of the gazetteer shipped in format 1 (tests/data/gazetteer/README.md): its header says version 1.
    let old = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/gazetteer/format1-head.bin")).unwrap();
    assert_eq!((&old[..8], &old[8..12]), (&b"INCIMAPG"[..], &1u32.to_le_bytes()[..]));
    let dir = gazetteer_dir(&old);
    let err = Gazetteer::open(dir.path()).unwrap_err();
    assert!(matches!(err, GazetteerError::Corrupt { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("format version 1"), "{msg}");
    assert!(msg.contains("rebuild it with `incimap gazetteer build` or `refresh`"), "{msg}");
    let out = incimap().args(["--gazetteer"]).arg(dir.path()).args(["resolve", "Belgorod"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("format version 1") && err.contains("rebuild it"), "{err}");
}

#[test]
fn any_changed_byte_of_the_body_is_refused() {
    let good = incimap::gazetteer::EMBEDDED;
    // A byte in the first place block (geonameids, coordinates) and the last byte (a border measurement's
    // longitude): both may still decode to something plausible, so only the checksum can tell.
    for at in [good.len() / 3, good.len() - 1] {
        let mut bad = good.to_vec();
        bad[at] ^= 0x01;
        let dir = gazetteer_dir(&bad);
        let err = Gazetteer::open(dir.path()).unwrap_err();
        assert!(matches!(err, GazetteerError::Corrupt { .. }), "byte {at}: {err:?}");
    }
    // One byte more, or one less, is refused too.
    let mut longer = good.to_vec();
    longer.push(0);
    assert!(matches!(Gazetteer::open(gazetteer_dir(&longer).path()), Err(GazetteerError::Corrupt { .. })));
    let shorter = &good[..good.len() - 1];
    assert!(matches!(Gazetteer::open(gazetteer_dir(shorter).path()), Err(GazetteerError::Corrupt { .. })));
}

#[test]
fn a_gazetteer_written_and_opened_again_is_the_same() {
    let gaz = Gazetteer::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    incimap::build::write_dir(&gaz, dir.path()).unwrap();
    let back = Gazetteer::open(dir.path()).unwrap();
    assert_eq!(back.places, gaz.places);
    assert_eq!(back.names, gaz.names);
    assert_eq!((back.admin1, back.admin2), (gaz.admin1, gaz.admin2));
    assert_eq!(back.manifest, gaz.manifest);
    assert_eq!(back.place_measures, gaz.place_measures);
    // The written file is byte for byte the embedded one: the encoding is deterministic.
    assert_eq!(std::fs::read(dir.path().join("gazetteer.bin")).unwrap(), incimap::gazetteer::EMBEDDED);
}

/// Gazetteers of format versions 3 and 4 (without the places' sources and point precisions; version 3 also
/// without the border measurements) still load, their places taken as GeoNames' own with their own points.
/// And a gazetteer without stored measurements makes `extract` measure places itself: the same output as
/// the embedded one.
#[test]
fn older_formats_still_load_and_unmeasured_places_give_the_same_extract() {
    use incimap::gazetteer::format::{FORMAT_VERSION, encode_version};
    use incimap::gazetteer::{PlaceSource, PointPrecision};
    let gaz = Gazetteer::embedded().unwrap();
    for version in [3, 4] {
        let bytes = encode_version(&gaz, version).unwrap();
        assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), version);
        let dir = gazetteer_dir(&bytes);
        let back = Gazetteer::open(dir.path()).unwrap_or_else(|e| panic!("version {version} loads: {e}"));
        assert_eq!(back.place_measures.rows().is_empty(), version == 3);
        assert_eq!(back.places.len(), gaz.places.len());
        for (b, g) in back.places.iter().zip(&gaz.places) {
            assert_eq!((b.source, b.precision), (PlaceSource::Geonames, PointPrecision::Exact));
            assert_eq!((b.geonameid, &b.name, b.lat, b.lon), (g.geonameid, &g.name, g.lat, g.lon));
        }
        assert_eq!(back.names, gaz.names);
    }

    let mut unmeasured = gaz.clone();
    assert!(!unmeasured.place_measures.rows().is_empty());
    unmeasured.place_measures = Default::default();
    let dir = gazetteer_dir(&encode_version(&unmeasured, FORMAT_VERSION).unwrap());
    let article = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dev1");
    let run = |gazetteer: Option<&std::path::Path>| {
        let mut cmd = incimap();
        if let Some(g) = gazetteer {
            cmd.arg("--gazetteer").arg(g);
        }
        let out = cmd.args(["extract", "--format", "json", "--date", "2024-05-20", article]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let (old, new) = (run(Some(dir.path())), run(None));
    assert!(old.len() > 10_000 && String::from_utf8_lossy(&new).contains("\"border_km\""));
    assert!(old == new, "extract differs between the unmeasured and the embedded gazetteer");
}

#[test]
fn cli_reports_a_corrupt_gazetteer_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gazetteer.bin"), b"garbage").unwrap();
    let out = incimap().args(["--gazetteer"]).arg(dir.path()).args(["resolve", "Belgorod"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a valid incimap gazetteer"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn info_json_describes_the_embedded_gazetteer() {
    let out = incimap().args(["gazetteer", "info", "--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["location"], "embedded");
    // Every place of the embedded gazetteer, counted independently of the CLI, by source.
    let gaz = Gazetteer::embedded().unwrap();
    assert_eq!(v["places"], gaz.places.len());
    let postal = gaz.places.iter().filter(|p| p.source == incimap::gazetteer::PlaceSource::Postal).count();
    assert_eq!(
        (v["places_by_source"]["geonames"].as_u64(), v["places_by_source"]["postal"].as_u64()),
        (Some(8189), Some(postal as u64))
    );
    assert_eq!(v["counts"]["RU"]["PPLA"], 80);
    // sha256 of the embedded bytes, computed here independently of the CLI.
    use sha2::Digest;
    let expected: String =
        sha2::Sha256::digest(incimap::gazetteer::EMBEDDED).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(v["sha256"], expected.as_str());
    let files: Vec<&str> = v["sources"].as_array().unwrap().iter().map(|s| s["file"].as_str().unwrap()).collect();
    for f in ["cities500-RU-UA-BY.txt", "admin1CodesASCII.txt", "admin2Codes.txt", "ukraine.geojson", "belarus.geojson"]
    {
        assert!(files.contains(&f), "{f} missing from {files:?}");
    }
}

#[test]
fn a_built_directory_round_trips_and_is_used_by_the_cli() {
    let gaz = Gazetteer::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    incimap::build::write_dir(&gaz, dir.path()).unwrap();
    let back = Gazetteer::open(dir.path()).unwrap();
    assert_eq!(back.places, gaz.places);
    let out =
        incimap().arg("--gazetteer").arg(dir.path()).args(["gazetteer", "info", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["location"], dir.path().display().to_string());
}

/// A crafted gazetteer whose checksum is valid but whose region points at a place it does not hold, or whose
/// regions are out of order, is refused on load rather than panicking later (issue 25).
#[test]
fn indexes_out_of_range_are_refused_on_load() {
    let gaz = Gazetteer::embedded().unwrap();
    let mut bad_seat = gaz.clone();
    bad_seat.admin1[0].seat = Some(u32::MAX);
    let bytes = incimap::gazetteer::format::encode(&bad_seat).unwrap();
    let err = incimap::gazetteer::format::decode(&bytes, "crafted").expect_err("refused").to_string();
    assert!(err.contains("seat of admin1 region"), "{err}");
    let mut unordered = gaz.clone();
    unordered.admin2.swap(0, 1);
    let bytes = incimap::gazetteer::format::encode(&unordered).unwrap();
    let err = incimap::gazetteer::format::decode(&bytes, "crafted").expect_err("refused").to_string();
    assert!(err.contains("not in code order"), "{err}");
}

#[test]
fn a_source_longer_than_its_stated_size_is_refused_not_a_panic() {
    // Found by tests/fuzz.rs: `decode_from` given fewer bytes than its source holds (a file that grew after
    // its size was taken) buffered past that size and its count of bytes left underflowed.
    let bytes = incimap::gazetteer::EMBEDDED;
    let full = bytes.len() as u64;
    for len in [full - 1, full - 300_000, 4096] {
        let err = incimap::gazetteer::format::decode_from(bytes, len, "growing.bin").unwrap_err();
        assert!(matches!(err, GazetteerError::Corrupt { .. }), "{len}: {err}");
    }
}
