//! `build` over the input layouts it accepts: plain dumps, dumps inside GeoNames-style zips, postal-code
//! files plain or zipped in a `postal/` folder, and hostile zips. Inputs are the committed refresh fixtures
//! (tests/data/refresh/, 403 rows of class P: RU 253, UA 104, BY 46, counted with `wc -l`; postal/: 3 rows
//! per country, of which 2 are villages no dump row names, see tools/make_refresh_fixtures.py).

mod needs;
use needs::{Need, case};
mod support;

use incimap::build::{BuildOptions, build};
use incimap::gazetteer::{GazetteerError, PlaceSource};
use support::{INLAND_WATER_POINTS, fixture, fixture_path, zip_of};

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

fn a_hostile_postal_zip_is_refused_like_a_dump_zip() {
    let mut files = plain_dumps();
    files.push(("postal/RU.txt", fixture("postal/RU.txt")));
    files.push(("postal/BY.txt", fixture("postal/BY.txt")));
    let evil = zip_of(&[("UA.txt", &fixture("postal/UA.txt")), ("../../x.txt", b"owned\n")]);
    files.push(("postal/UA.zip", evil));
    let dir = input(&files);
    match build(&BuildOptions::new(dir.path())) {
        // An input of the build, named as such (not "... is not a valid incimap gazetteer").
        Err(GazetteerError::Invalid(why)) => {
            assert!(why.contains("UA.zip: ") && why.contains("escapes the archive"), "{why}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|o| o.gazetteer.places.len())),
    }
    assert!(!dir.path().parent().unwrap().join("x.txt").exists());
}

fn a_zip_with_an_escaping_entry_is_refused() {
    let dir = input(&[
        ("RU.zip", zip_of(&[("RU.txt", &fixture("RU.txt")), ("../../x.txt", b"owned\n")])),
        ("UA.txt", fixture("UA.txt")),
    ]);
    match build(&BuildOptions::new(dir.path())) {
        Err(GazetteerError::Invalid(why)) => {
            assert!(why.contains("RU.zip: ") && why.contains("escapes the archive"), "{why}")
        }
        other => panic!("expected a refusal, got {:?}", other.map(|o| o.gazetteer.places.len())),
    }
}

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

/// The project's source data (`../shared/data`), or `None` in a plain clone: CI has it, so there its
/// absence is a failure.
fn shared_data() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if dir.join("boundaries").is_dir() && dir.join("geonames").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing, and CI is set", dir.display());
    eprintln!("note: {} is absent (a plain clone): the source-data build test is skipped", dir.display());
    None
}

/// A gazetteer built, once per test binary, from the source data's country boundaries and GeoNames'
/// cities500 extract (as the shipped gazetteer is; the postal-code files are left out): about 6 s in a
/// debug build.
fn built_from_shared_data() -> Option<&'static incimap::build::BuildOutput> {
    static BUILT: std::sync::OnceLock<Option<incimap::build::BuildOutput>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let data = shared_data()?;
            let dir = tempfile::tempdir().unwrap();
            for f in ["ukraine.geojson", "russia-west.geojson", "belarus.geojson"] {
                std::fs::copy(data.join("boundaries").join(f), dir.path().join(f)).unwrap();
            }
            for f in ["cities500-RU-UA-BY.txt", "admin1CodesASCII.txt", "admin2Codes.txt"] {
                std::fs::copy(data.join("geonames").join(f), dir.path().join(f)).unwrap();
            }
            Some(build(&BuildOptions::new(dir.path())).unwrap())
        })
        .as_ref()
}

fn inland_water_and_river_islands_are_inside_ukraine() {
    let Some(out) = built_from_shared_data() else { return };
    let border = incimap::border::BorderIndex::new(&out.gazetteer.boundaries);
    for (name, lat, lon, km) in INLAND_WATER_POINTS {
        let m = border.measure(lat, lon).unwrap();
        assert_eq!((m.country, m.inside_ukraine), (Some("UA"), true), "{name}: {m:?}");
        // The engine promises 10 m; the sign is what the holes got wrong.
        assert!((m.border_km + km).abs() <= 0.010, "{name}: {} km, reference -{km} km", m.border_km);
    }
}

fn countries_become_outlines_and_the_border_stays() {
    let Some(out) = built_from_shared_data() else { return };
    // Interior rings in the source files (counted by a Python script over the GeoJSON: the polygons' rings
    // after the first), and the polygons that lie within another's outer ring (Shapely, `contains`): every
    // ring is filled (none of them meets another country's polygon, so none is an enclave) and those
    // polygons go.
    let expected = [
        ("UA", incimap::build::OutlineCounts { filled: 12_294, enclaves: 0, covered: 39 }),
        ("RU", incimap::build::OutlineCounts { filled: 33_380, enclaves: 0, covered: 239 }),
        ("BY", incimap::build::OutlineCounts { filled: 4_599, enclaves: 0, covered: 3 }),
    ];
    assert_eq!(out.outlines.countries, expected);
    let b = &out.gazetteer.boundaries;
    // 181, 479 and 25 polygons in the files.
    assert_eq!((b.ukraine.0.len(), b.russia.0.len(), b.belarus.0.len()), (181 - 39, 479 - 239, 25 - 3));
    assert!([&b.ukraine, &b.russia, &b.belarus].iter().all(|c| c.0.iter().all(|p| p.interiors().is_empty())));

    // The land border derived from the polygons as read (holes and all) is the one the build derived from
    // the outlines, to the vertex, and is the source README's 1,975 km long.
    let data = shared_data().unwrap().join("boundaries");
    let (ukraine, russia) =
        (polygons_of(&data.join("ukraine.geojson")), polygons_of(&data.join("russia-west.geojson")));
    let from_holes = incimap::border::derive::land_border(&ukraine, &russia).unwrap();
    assert!(from_holes == b.land_border, "the outlines moved the land border");
    let km = incimap::border::derive::length_km(&b.land_border);
    assert!((km - 1975.0).abs() < 1.0, "{km} km");
}

/// Every polygon of a GeoJSON FeatureCollection.
fn polygons_of(path: &std::path::Path) -> geo::MultiPolygon<f64> {
    let gj: geojson::GeoJson = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let geojson::GeoJson::FeatureCollection(fc) = gj else { panic!("{} is not a FeatureCollection", path.display()) };
    let mut polygons = Vec::new();
    for f in fc.features {
        match geo::Geometry::<f64>::try_from(f.geometry.unwrap()).unwrap() {
            geo::Geometry::Polygon(p) => polygons.push(p),
            geo::Geometry::MultiPolygon(mp) => polygons.extend(mp.0),
            other => panic!("unexpected {other:?}"),
        }
    }
    geo::MultiPolygon::new(polygons)
}

fn main() {
    needs::run(vec![
        case(
            "zipped_and_plain_dumps_and_postal_files_build_the_same_places",
            zipped_and_plain_dumps_and_postal_files_build_the_same_places,
        ),
        case("a_postal_folder_must_hold_every_country_built", a_postal_folder_must_hold_every_country_built),
        case("a_hostile_postal_zip_is_refused_like_a_dump_zip", a_hostile_postal_zip_is_refused_like_a_dump_zip),
        case("a_zip_with_an_escaping_entry_is_refused", a_zip_with_an_escaping_entry_is_refused),
        case("provenance_is_recorded_per_file", provenance_is_recorded_per_file),
        case("inland_water_and_river_islands_are_inside_ukraine", inland_water_and_river_islands_are_inside_ukraine)
            .needs(Need::Shared("data/boundaries"))
            .needs(Need::Shared("data/geonames")),
        case("countries_become_outlines_and_the_border_stays", countries_become_outlines_and_the_border_stays)
            .needs(Need::Shared("data/boundaries"))
            .needs(Need::Shared("data/geonames")),
    ]);
}
