//! Fuzzing on stable Rust (issue 25): seeded byte-level mutations of small seed files
//! (`tests/data/fuzz/<target>/`) fed to the library's real readers. Each case must end in `Ok` or a typed
//! error with a message: no panic, no hang, bounded memory (see `fuzz_support`). The default run is short
//! (hundreds to thousands of cases per target, part of `cargo test`); `INCIMAP_FUZZ_SCALE` and
//! `INCIMAP_FUZZ_CASES` raise it, as `docs/testing.md` describes.
//!
//! Targets: the incident tables (CSV/TSV/semicolon, NDJSON, JSON, GeoJSON) read by `map`/`stats`, and their
//! rows as `extract --text-column` reads them; the point inputs of `distance --input`; the user's places
//! file (`--places`); articles, through `map`'s text reader and the geoparser; the GeoNames files of
//! `gazetteer build`/`refresh` (dumps plain and zipped, admin codes, postal codes, boundaries); the binary
//! gazetteer file (`gazetteer::format::decode`), mutated as it is, with its checksum recomputed and
//! structurally, and used when it loads.

mod fuzz_support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use geo::Simplify;

use fuzz_support::{Case, Outcome, Rng, fuzz};
use incimap::border::BorderIndex;
use incimap::border::points::check_coordinates;
use incimap::build::{BuildOptions, geonames, places_file, postal};
use incimap::extract::Extractor;
use incimap::gazetteer::{Gazetteer, format};
use incimap::incidents::points::{PointReader, open_points};
use incimap::incidents::{self, InputKind, Locator, ReadOptions};
use incimap::resolve::{Query, Resolver};

#[global_allocator]
static ALLOCATOR: fuzz_support::Counting = fuzz_support::Counting;

/// Mutated cases per target in the default run (with the seeds, about 40 s in all in a debug build on two
/// cores).
const TABLE_CASES: usize = 1200;
const POINT_CASES: usize = 3000;
const PLACES_CASES: usize = 200;
const ARTICLE_CASES: usize = 600;
const GEONAMES_CASES: usize = 60;
const GAZETTEER_CASES: usize = 300;

fn embedded() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::embedded().expect("embedded gazetteer"))
}

fn embedded_border() -> &'static BorderIndex {
    static BORDER: OnceLock<BorderIndex> = OnceLock::new();
    BORDER.get_or_init(|| BorderIndex::new(&embedded().boundaries))
}

/// Every incident placed inside the world, every unplaced row with its reason.
fn check_read(
    result: Result<(Vec<incidents::Incident>, Vec<incidents::Unresolved>, incidents::Summary), incidents::ReadError>,
) -> Outcome {
    let (placed, failed, summary) = result.map_err(|e| e.to_string())?;
    for i in &placed {
        assert!(i.lat.is_finite() && i.lat.abs() <= 90.0, "{}:{}: latitude {}", i.source, i.line, i.lat);
        assert!(i.lon.is_finite() && i.lon.abs() <= 180.0, "{}:{}: longitude {}", i.source, i.line, i.lon);
    }
    for u in &failed {
        assert!(!u.reason.trim().is_empty(), "{}:{}: unresolved without a reason", u.source, u.line);
    }
    assert_eq!(summary.incidents as usize, placed.len());
    Ok(())
}

/// A file name for the case: its seed's (so the reader goes by the extension), or now and then one that
/// tells nothing, so that the kind is recognised from the bytes.
fn case_file(dir: &Path, case: &mut Case) -> PathBuf {
    let name =
        if case.mutated && case.rng.one_in(5) { "input.dat".to_string() } else { case.seed.name.replace('/', "_") };
    let path = dir.join(name);
    std::fs::write(&path, &case.bytes).expect("write case");
    path
}

/// Options for reading a case: the defaults for a seed as it is, else now and then a forced kind, small
/// caps, `--strict`, given border distances, a report date.
fn random_options(case: &mut Case) -> ReadOptions {
    let mut opts = ReadOptions::default();
    if !case.mutated {
        return opts;
    }
    let rng = &mut case.rng;
    if rng.one_in(5) {
        let kinds =
            [InputKind::Csv, InputKind::Tsv, InputKind::Semicolon, InputKind::Ndjson, InputKind::Json, InputKind::Text];
        opts.kind = Some(*rng.pick(&kinds));
    }
    if rng.one_in(4) {
        opts.max_line_bytes = 64 + rng.below(4096);
    }
    if rng.one_in(6) {
        opts.max_text_bytes = 64 + rng.below(4096) as u64;
    }
    opts.strict = rng.one_in(8);
    opts.given_border_km = rng.one_in(4);
    opts.report_date = rng.one_in(2).then(|| chrono::NaiveDate::from_ymd_opt(2024, 5, 15).expect("date"));
    opts
}

/// `map`/`stats`: incident tables of every kind, and `extract --text-column`'s row reader.
#[test]
fn fuzz_incident_tables() {
    let gaz = embedded();
    let resolver = Resolver::new(gaz);
    let locator = Locator { resolver: &resolver, border: embedded_border() };
    let dir = tempfile::tempdir().expect("tempdir");
    fuzz("tables", &fuzz_support::seeds("tables"), TABLE_CASES, |case| {
        let path = case_file(dir.path(), case);
        let opts = random_options(case);
        let read = check_read(incidents::read_all(std::slice::from_ref(&path), &locator, &opts));
        let is_table = [".csv", ".tsv"].iter().any(|e| case.seed.name.ends_with(e));
        if is_table && case.rng.one_in(2) {
            let rows = incidents::read_rows(&path, &opts, |row| {
                if let Err(u) = row {
                    assert!(!u.reason.trim().is_empty(), "row {} without a reason", u.line);
                }
                Ok(())
            });
            rows.map_err(|e| e.to_string())?;
        }
        read
    });
}

/// `distance --input`: CSV/TSV/semicolon/NDJSON points, opened as `distance` opens them (from a file: the layout
/// forced or recognised), streamed and checked row by row.
#[test]
fn fuzz_distance_points() {
    let border = embedded_border();
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = incimap::incidents::ReadOptions::default();
    fuzz("points", &fuzz_support::seeds("points"), POINT_CASES, |case| {
        let forced = match case.rng.below(7) {
            0 => Some(InputKind::Csv),
            1 => Some(InputKind::Tsv),
            2 => Some(InputKind::Semicolon),
            3 => Some(InputKind::Ndjson),
            _ => None,
        };
        let path = dir.path().join(&case.seed.name);
        std::fs::write(&path, &case.bytes).expect("write the case");
        let (input, format) = open_points(&path, forced, &opts).map_err(|e| e.to_string())?;
        let name = case.seed.name.clone();
        let reader = PointReader::new(input, &name, format, opts.max_line_bytes).map_err(|e| e.to_string())?;
        for item in reader {
            match item.map_err(|e| e.to_string())? {
                Ok(row) => {
                    if check_coordinates(border, row.lat, row.lon).is_ok() {
                        let m = border.measure(row.lat, row.lon);
                        assert!(
                            m.is_ok(),
                            "line {}: ({}, {}) passed the check but cannot be measured",
                            row.line,
                            row.lat,
                            row.lon
                        );
                    }
                }
                Err(bad) => assert!(!bad.why.trim().is_empty(), "line {} skipped without a reason", bad.line),
            }
        }
        Ok(())
    });
}

/// `--places`: the user's own places file, parsed and joined to a small gazetteer.
#[test]
fn fuzz_places_file() {
    let small = format::decode(&small_gazetteer(), "seed").expect("the small gazetteer decodes");
    fuzz("places", &fuzz_support::seeds("places"), PLACES_CASES, |case| {
        let tsv = case.seed.name.ends_with(".tsv") && !case.rng.one_in(4);
        let table = places_file::parse(&case.bytes, &case.seed.name, tsv).map_err(|e| e.to_string())?;
        for note in &table.bad {
            assert!(!note.why.trim().is_empty(), "line {} refused without a reason", note.line);
        }
        // Joining measures the places against the border (a border index per join): one case in three.
        if !case.mutated || case.rng.one_in(3) {
            let mut gaz = small.clone();
            let report = places_file::join_rows(&mut gaz, &table.rows);
            assert!(report.messages().iter().all(|m| !m.trim().is_empty()));
            let _ = Resolver::new(&gaz).resolve(&Query::new("Goncharovka"));
        }
        Ok(())
    });
}

/// Articles: `map`'s text reader on the bytes, and the geoparser on them decoded leniently.
#[test]
fn fuzz_articles() {
    let gaz = embedded();
    let resolver = Resolver::new(gaz);
    let border = embedded_border();
    let locator = Locator { resolver: &resolver, border };
    let extractor = Extractor::new(&resolver, Some(border));
    let dir = tempfile::tempdir().expect("tempdir");
    fuzz("articles", &fuzz_support::seeds("articles"), ARTICLE_CASES, |case| {
        let text = String::from_utf8_lossy(&case.bytes).into_owned();
        let date = case.rng.one_in(2).then(|| chrono::NaiveDate::from_ymd_opt(2024, 5, 15).expect("date"));
        let mentions = extractor.extract(&text, "fuzz.txt", date);
        for m in &mentions {
            assert!(
                text.get(m.start..m.end).is_some(),
                "mention {:?} at {}..{} is not a slice of the text",
                m.mention,
                m.start,
                m.end
            );
            if let (Some(lat), Some(lon)) = (m.lat, m.lon) {
                assert!(lat.abs() <= 90.0 && lon.abs() <= 180.0, "mention {:?} at ({lat}, {lon})", m.mention);
            }
        }
        let (placed, _) = incidents::incidents_from_mentions(&mentions);
        let _ = incidents::merge_document(placed);
        let path = case_file(dir.path(), case);
        let mut opts = random_options(case);
        opts.kind = Some(InputKind::Text);
        check_read(incidents::read_all(std::slice::from_ref(&path), &locator, &opts))
    });
}

/// The files of `gazetteer build`/`refresh`: one mutated per case (a dump now and then zipped), the rest
/// as seeded; the build must end in a gazetteer or a typed error naming the problem. The seed's boundaries
/// are coarse outlines of our own whose shared zigzag passes the border's validation, so the seeds build a
/// gazetteer of a dozen places (name index, seats, measures included). The line parsers also get each
/// mutated file directly.
#[test]
fn fuzz_geonames_files() {
    let seeds = fuzz_support::seeds("geonames");
    // Regression inputs: `geonames-regressions/<what>/<file>` replaces the seed `<file>`.
    let mut cases = fuzz_support::seeds("geonames");
    cases.extend(fuzz_support::seeds("geonames-regressions").into_iter().map(|mut r| {
        r.name = format!("regression/{}", r.name);
        r
    }));
    fuzz("geonames", &cases, GEONAMES_CASES, |case| {
        let file = match case.seed.name.strip_prefix("regression/") {
            Some(r) => r.split_once('/').map_or(r, |(_, f)| f).to_string(),
            None => case.seed.name.clone(),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        for seed in &seeds {
            let path = dir.path().join(&seed.name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &seed.bytes).expect("write seed");
        }
        let _ = geonames::for_each_line(case.bytes.as_slice(), |_, line| {
            if let Ok(line) = line {
                let _ = geonames::parse_dump_line(line);
                let _ = geonames::parse_admin_line(line);
                let _ = postal::parse_postal_line(line);
            }
        });
        let target = dir.path().join(&file);
        let is_dump = matches!(file.as_str(), "RU.txt" | "UA.txt");
        if is_dump && case.rng.one_in(4) {
            std::fs::remove_file(&target).expect("remove plain dump");
            let zip = zipped(&file, &case.bytes);
            let zip = if case.rng.one_in(2) { fuzz_support::mutate(&mut case.rng, &zip, &[]) } else { zip };
            std::fs::write(target.with_extension("zip"), &zip).expect("write zip");
            case.replace_input(zip);
        } else {
            std::fs::write(&target, &case.bytes).expect("write case");
        }
        let mut opts = BuildOptions::new(dir.path());
        opts.countries = vec!["RU".into(), "UA".into()];
        opts.strict = case.rng.one_in(3);
        let built = incimap::build::build(&opts).map_err(|e| e.to_string())?;
        assert!(built.gazetteer.places.iter().all(|p| p.lat.abs() <= 90.0 && p.lon.abs() <= 180.0));
        Ok(())
    });
}

/// A zip holding one member, as GeoNames serves its dumps.
fn zipped(member: &str, bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file(member, options).expect("zip member");
    zip.write_all(bytes).expect("zip write");
    zip.finish().expect("zip finish").into_inner()
}

/// A small real gazetteer: the embedded one's places of two border oblasts, their names and districts, and
/// its boundaries, encoded by the real encoder (the seed of [`fuzz_gazetteer_file`]).
fn small_gazetteer() -> Vec<u8> {
    let mut gaz = embedded().clone();
    let keep: Vec<usize> = (0..gaz.places.len())
        .filter(|&i| {
            let p = &gaz.places[i];
            (p.in_admin1("RU.09") || p.in_admin1("UA.07")) && (p.population >= 20_000 || i % 97 == 0)
        })
        .collect();
    let mut new_index = vec![None; gaz.places.len()];
    for (new, &old) in keep.iter().enumerate() {
        new_index[old] = Some(new as u32);
    }
    let rows = gaz.place_measures.rows();
    let measures = if rows.len() == gaz.places.len() { keep.iter().map(|&i| rows[i]).collect() } else { Vec::new() };
    gaz.place_measures = incimap::gazetteer::PlaceMeasures::from_rows(gaz.place_measures.fingerprint(), measures);
    gaz.places = keep.iter().map(|&i| gaz.places[i].clone()).collect();
    gaz.names.retain_mut(|e| match new_index[e.place as usize] {
        Some(n) => {
            e.place = n;
            true
        }
        None => false,
    });
    gaz.admin2.retain(|r| r.code.starts_with("RU.09.") || r.code.starts_with("UA.07."));
    for r in gaz.admin1.iter_mut().chain(gaz.admin2.iter_mut()) {
        r.seat = r.seat.and_then(|s| new_index[s as usize]);
    }
    // The boundaries are the bulk: simplified (to a few kilometres) and one band, to keep the seed small.
    let b = &mut gaz.boundaries;
    for area in [&mut b.ukraine, &mut b.russia, &mut b.belarus] {
        *area = area.simplify(0.05);
    }
    b.land_border = b.land_border.simplify(0.01);
    b.default_bands.truncate(1);
    for band in &mut b.default_bands {
        band.area = band.area.simplify(0.05);
    }
    format::encode(&gaz).expect("encode the small gazetteer")
}

/// Where the CRC sits in the header, and what it covers (everything after the header).
const HEADER_LEN: usize = 16;

fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.len() >= HEADER_LEN {
        let crc = crc32fast::hash(&bytes[HEADER_LEN..]);
        bytes[12..HEADER_LEN].copy_from_slice(&crc.to_le_bytes());
    }
    bytes
}

/// A structural change to a decoded gazetteer that the encoder writes as it is: indices out of range,
/// regions out of order, coordinates that are no numbers, boundaries emptied. The decoder must refuse what
/// would break a lookup, and anything it accepts must be usable.
fn corrupt_structure(rng: &mut Rng, gaz: &mut Gazetteer) {
    let n = gaz.places.len() as u32;
    let huge = *rng.pick(&[n, n + 1, u32::MAX]);
    match rng.below(8) {
        0 => {
            let regions = if rng.one_in(2) { &mut gaz.admin1 } else { &mut gaz.admin2 };
            let i = rng.below(regions.len().max(1));
            if let Some(r) = regions.get_mut(i) {
                r.seat = Some(huge);
            }
        }
        1 => {
            let regions = if rng.one_in(2) { &mut gaz.admin1 } else { &mut gaz.admin2 };
            let (i, j) = (rng.below(regions.len().max(1)), rng.below(regions.len().max(1)));
            if i < regions.len() && j < regions.len() {
                regions.swap(i, j);
            }
            if rng.one_in(2) && !regions.is_empty() {
                let copy = regions[0].clone();
                regions.push(copy);
            }
        }
        2 if !gaz.names.is_empty() => {
            let i = rng.below(gaz.names.len());
            gaz.names[i].place = huge;
        }
        3 if !gaz.names.is_empty() => {
            let (i, j) = (rng.below(gaz.names.len()), rng.below(gaz.names.len()));
            gaz.names.swap(i, j);
        }
        4 if !gaz.places.is_empty() => {
            let i = rng.below(gaz.places.len());
            let bad = *rng.pick(&[f64::NAN, f64::INFINITY, -1e300, 91.0, 181.0]);
            if rng.one_in(2) {
                gaz.places[i].lat = bad;
            } else {
                gaz.places[i].lon = bad;
            }
        }
        5 => {
            let b = &mut gaz.boundaries;
            let bad = *rng.pick(&[f64::NAN, f64::INFINITY, 1e300]);
            if let Some(line) = b.land_border.0.first_mut()
                && let Some(c) = line.0.first_mut()
            {
                c.x = bad;
            }
            if let Some(p) = b.ukraine.0.first_mut() {
                p.exterior_mut(|ring| {
                    if let Some(c) = ring.0.get_mut(1) {
                        c.y = bad;
                    }
                });
            }
        }
        6 => {
            let b = &mut gaz.boundaries;
            match rng.below(3) {
                0 => b.land_border.0.clear(),
                1 => b.russia.0.clear(),
                _ => b.default_bands.clear(),
            }
        }
        _ => {
            gaz.places.truncate(rng.below(gaz.places.len() + 1));
        }
    }
}

/// The gazetteer file loader: the small gazetteer mutated as it is (the checksum must refuse it) and with
/// its checksum recomputed (the decoder's own validation must), and, when it loads, used: names resolved,
/// points measured, an article geoparsed.
#[test]
fn fuzz_gazetteer_file() {
    let small = small_gazetteer();
    let decoded = format::decode(&small, "seed").expect("the seed decodes");
    // The small gazetteer, and any regression inputs kept under tests/data/fuzz/gazetteer/.
    let mut seeds = vec![fuzz_support::Seed { name: "small.bin".into(), bytes: small }];
    seeds.extend(fuzz_support::seeds("gazetteer"));
    let text = "Shelling of Shebekino and Vovchansk; a drone fell near Belgorod, Kharkiv Oblast.";
    fuzz("gazetteer", &seeds, GAZETTEER_CASES, |case| {
        let bytes = match case.rng.below(5) {
            _ if !case.mutated => case.bytes.clone(),
            0 => case.bytes.clone(),
            1 | 2 => with_checksum(case.bytes.clone()),
            _ => {
                let mut gaz = decoded.clone();
                corrupt_structure(&mut case.rng, &mut gaz);
                format::encode(&gaz).map_err(|e| e.to_string())?
            }
        };
        case.replace_input(bytes.clone());
        let gaz = if case.rng.one_in(4) {
            // As `Gazetteer::open` reads a file, now and then with a size that is not the file's.
            let len = bytes.len() as u64;
            let len = if case.rng.one_in(4) { (len + 32).saturating_sub(case.rng.below(64) as u64) } else { len };
            format::decode_from(bytes.as_slice(), len, "fuzz.bin")
        } else {
            format::decode(&bytes, "fuzz.bin")
        };
        let gaz = gaz.map_err(|e| e.to_string())?;
        let resolver = Resolver::new(&gaz);
        for name in ["Belgorod", "Vovchansk", "Kharkiv", "Шебекино", "Zzzz"] {
            let _ = resolver.resolve(&Query::new(name));
        }
        let mut q = Query::new("Shebekino");
        q.region = Some("Belgorod Oblast".into());
        let _ = resolver.resolve(&q);
        let border = BorderIndex::new(&gaz.boundaries);
        if border.segment_count() > 0 {
            let _ = border.measure(50.6, 36.6);
        }
        let _ = Extractor::new(&resolver, Some(&border)).extract(text, "fuzz.txt", None);
        Ok(())
    });
}
