//! The incident reader against hand-made fixtures (tests/data/incidents/): every format yields the same
//! incidents, places resolve to the GeoNames rows read by hand, bad rows come back with file, line and reason.
//! Distances come from the fixtures' `border_km` column so these tests do not depend on the border engine.

#[path = "support/incidents.rs"]
mod fixtures;

use std::path::PathBuf;

use fixtures::{data, gazetteer};
use incimap::incidents::{self, Incident, InputKind, Locator, Precision, ReadError, ReadOptions, Unresolved};
use incimap::resolve::{Resolver, Status};

fn opts() -> ReadOptions {
    fixtures::given_km()
}

fn read_with(paths: &[PathBuf], opts: &ReadOptions) -> Result<(Vec<Incident>, Vec<Unresolved>), ReadError> {
    let (gaz, border) = gazetteer();
    let resolver = Resolver::new(gaz);
    let locator = Locator { resolver: &resolver, border };
    let (i, u, summary) = incidents::read_all(paths, &locator, opts)?;
    assert_eq!(summary.incidents as usize, i.len());
    assert_eq!(summary.unresolved as usize, u.len());
    Ok((i, u))
}

fn read(paths: &[PathBuf]) -> (Vec<Incident>, Vec<Unresolved>) {
    read_with(paths, &opts()).expect("read")
}

/// The three incidents of tests/data/incidents/formats/, as written there.
fn assert_three(name: &str, got: &[Incident]) {
    assert_eq!(got.len(), 3, "{name}");
    let want = [
        (50.61, 36.58, "2024-01-02", "drone", 32.8),
        (50.50, 36.90, "2024-01-05", "bomb", 4.0),
        (49.99, 36.23, "2024-01", "artillery", -31.6),
    ];
    for ((inc, (lat, lon, date, weapon, km)), source) in got.iter().zip(want).zip(["outlet A", "outlet B", "outlet C"])
    {
        assert_eq!((inc.lat, inc.lon), (lat, lon), "{name}");
        assert_eq!(inc.date.as_deref(), Some(date), "{name}");
        assert_eq!(inc.weapon.as_deref(), Some(weapon), "{name}");
        assert_eq!(inc.measurement.border_km, km, "{name}");
        assert_eq!(inc.measurement.inside_ukraine, km < 0.0, "{name}");
        assert_eq!(inc.precision, Precision::Exact, "{name}");
        assert_eq!(inc.field_str("source").as_deref(), Some(source), "{name}");
    }
    assert_eq!(got[0].field_str("notes").as_deref(), Some("roof damaged, no casualties"), "{name}");
    assert_eq!(got[1].field_str("casualties").as_deref(), Some("2"), "{name}: extra column kept");
    assert_eq!(got[2].field_str("source").as_deref(), Some("outlet C"), "{name}");
}

#[test]
fn every_format_reads_the_same_incidents() {
    for name in ["table.csv", "table.tsv", "semicolon.csv", "rows.ndjson", "array.json", "points.geojson"] {
        let (inc, unresolved) = read(&[data(&format!("formats/{name}"))]);
        assert!(unresolved.is_empty(), "{name}: {unresolved:?}");
        assert_three(name, &inc);
    }
}

#[test]
fn line_numbers_are_lines_or_element_numbers() {
    let (inc, _) = read(&[data("formats/table.csv")]);
    assert_eq!(inc.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 3, 4]);
    // NDJSON: the blank line 2 is skipped, numbering follows the file.
    let (inc, _) = read(&[data("formats/rows.ndjson")]);
    assert_eq!(inc.iter().map(|i| i.line).collect::<Vec<_>>(), [1, 3, 4]);
    let (inc, _) = read(&[data("formats/points.geojson")]);
    assert_eq!(inc.iter().map(|i| i.line).collect::<Vec<_>>(), [1, 2, 3]);
}

#[test]
fn a_directory_reads_every_input_in_name_order() {
    let (inc, unresolved) = read(&[data("formats")]);
    assert!(unresolved.is_empty());
    assert_eq!(inc.len(), 18);
    let sources: Vec<&str> = inc.iter().step_by(3).map(|i| i.source.rsplit('/').next().unwrap()).collect();
    assert_eq!(sources, ["array.json", "points.geojson", "rows.ndjson", "semicolon.csv", "table.csv", "table.tsv"]);
}

#[test]
fn places_and_regions_are_resolved() {
    let (inc, unresolved) = read(&[data("places.csv")]);
    // Shebekino: geonameid 495112, 50.40967 36.9136 (cities500-RU-UA-BY.txt).
    let shebekino = &inc[0];
    assert_eq!(shebekino.place.as_ref().map(|p| p.geonameid), Some(495112));
    assert_eq!((shebekino.lat, shebekino.lon), (50.40967, 36.9136));
    assert_eq!(shebekino.precision, Precision::Exact);
    assert!(matches!(shebekino.status, Some(Status::Resolved | Status::Ambiguous)));
    // Region only: placed at the seat of Kursk Oblast (RU.41), Kursk, 538560, PPLA in the GeoNames file.
    let kursk = &inc[1];
    assert_eq!(kursk.precision, Precision::Region);
    assert_eq!(kursk.place.as_ref().map(|p| p.geonameid), Some(538560));
    assert_eq!((kursk.lat, kursk.lon), (51.73733, 36.18735));
    // "Russia" as the country column: Belgorod, 578072.
    assert_eq!(inc[2].place.as_ref().map(|p| p.geonameid), Some(578072));
    assert_eq!(inc.len(), 3);

    let lines: Vec<u64> = unresolved.iter().map(|u| u.line).collect();
    assert_eq!(lines, [4, 6]);
    assert!(unresolved[0].reason.contains("place not found"), "{:?}", unresolved[0]);
    assert_eq!(unresolved[0].input, "Xyzzyqwertville");
    assert!(unresolved[1].reason.contains("unknown country"), "{:?}", unresolved[1]);
    assert!(unresolved.iter().all(|u| u.source.ends_with("places.csv")));
}

#[test]
fn bad_rows_are_reported_with_their_lines_and_the_rest_is_read() {
    let (inc, unresolved) = read(&[data("bad_rows.csv")]);
    assert_eq!(inc.iter().map(|i| i.line).collect::<Vec<_>>(), [2, 4, 8]);
    // An impossible date keeps its row, without a date, its text kept; the summary notes it with its line.
    assert_eq!((inc[1].date.as_deref(), inc[1].field_str("date").as_deref()), (None, Some("2024-02-30")));
    let (gaz, border) = gazetteer();
    let resolver = Resolver::new(gaz);
    let locator = Locator { resolver: &resolver, border };
    let (_, _, summary) = incidents::read_all(&[data("bad_rows.csv")], &locator, &opts()).unwrap();
    assert_eq!(summary.noted, 1);
    assert!(summary.notes[0].contains("bad_rows.csv:4:") && summary.notes[0].contains("2024-02-30"), "{summary:?}");
    // A quoted comma stays in its cell; the weapon is its class, the wording kept.
    assert_eq!(inc[2].weapon.as_deref(), Some("bomb"));
    assert_eq!(inc[2].field_str("weapon").as_deref(), Some("bomb, FAB-250"));
    let got: Vec<(u64, &str)> = unresolved.iter().map(|u| (u.line, u.reason.as_str())).collect();
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, 3);
    assert!(got[0].1.contains("4 fields") && got[0].1.contains("header has 5"), "{got:?}");
    assert_eq!(got[1].0, 5);
    assert!(got[1].1.contains("bad coordinates"), "{got:?}");
    assert_eq!(got[2].0, 6);
    assert!(got[2].1.contains("bad coordinates") && got[2].1.contains("longitude"), "{got:?}");
}

#[test]
fn lines_count_blank_lines_crlf_and_quoted_newlines() {
    let body =
        b"\r\nlat,lon,notes,border_km\r\n\r\n50.6,36.6,\"two\r\nlines\",1\r\n\r\n\r\n50.6,36.6,x,2\r\n50.6,36.6,y,3";
    let (_dir, p) = temp_file("crlf.csv", body);
    let (inc, u) = read(&[p]);
    assert!(u.is_empty(), "{u:?}");
    assert_eq!(inc.iter().map(|i| i.line).collect::<Vec<_>>(), [4, 8, 9]);
    assert_eq!(inc[0].field_str("notes").as_deref(), Some("two\r\nlines"));
}

#[test]
fn strict_mode_stops_at_the_first_bad_row() {
    let strict = ReadOptions { strict: true, ..opts() };
    match read_with(&[data("bad_rows.csv")], &strict) {
        Err(ReadError::Strict(u)) => assert_eq!(u.line, 3),
        other => panic!("expected a strict error, got {:?}", other.map(|(i, u)| (i.len(), u.len()))),
    }
    let msg = read_with(&[data("bad_rows.csv")], &strict).err().unwrap().to_string();
    assert!(msg.contains("bad_rows.csv:3:"), "{msg}");
}

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    (dir, p)
}

fn bad_input_message(name: &str, bytes: &[u8]) -> String {
    let (_dir, p) = temp_file(name, bytes);
    match read_with(&[p], &opts()) {
        Err(e @ (ReadError::BadInput { .. } | ReadError::Io { .. })) => e.to_string(),
        Err(e) => panic!("{name}: unexpected error kind {e}"),
        Ok((i, u)) => panic!("{name}: read {} incidents and {} unresolved from bad input", i.len(), u.len()),
    }
}

#[test]
fn unusable_files_are_clear_errors() {
    assert!(bad_input_message("empty.csv", b"").contains("empty input"));
    assert!(bad_input_message("blank.txt", b"  \n\n").contains("empty article"));
    assert!(bad_input_message("data.csv", b"PK\x03\x04\x14\x00\x00\x00").contains("binary"));
    assert!(bad_input_message("x.bin", b"date,lat\n\x00\x01\x02\x03").contains("binary"));
    // An article with invalid UTF-8 is no unusable file: it is read as `extract` reads it (tests/map_cli.rs).
    let (_dir, article) = temp_file("article.txt", b"Drones hit \xff\xfe the town.\n");
    assert!(read_with(&[article], &opts()).is_ok());
    assert!(
        bad_input_message("broken.json", b"[{\"lat\": 50.1, \"lon\": 36.2, \"border_km\": 5},")
            .contains("invalid JSON")
    );
    assert!(bad_input_message("no_location.csv", b"date,weapon\n2024-01-01,drone\n").contains("location column"));
    let long = format!("date,lat,lon\n2024-01-01,50,{}\n", "3".repeat(2 << 20));
    assert!(bad_input_message("long.csv", long.as_bytes()).contains("longer than"));
    let msg = read_with(&[PathBuf::from("/nonexistent/incidents.csv")], &opts()).err().unwrap().to_string();
    assert!(msg.contains("/nonexistent/incidents.csv") && msg.contains("no such file"), "{msg}");
}

#[test]
fn a_row_that_is_not_utf8_is_read_as_windows_1252() {
    // 0xE9 is "é" in Windows-1252 (and Latin-1), the encoding spreadsheets save CSV in on Western Windows.
    let (_dir, p) =
        temp_file("mixed.csv", b"date,lat,lon,place\n2024-01-01,50.6,36.6,\n2024-01-02,50.6,36.6,Bel\xe9\n");
    let (inc, unresolved) = read(std::slice::from_ref(&p));
    assert!(unresolved.is_empty(), "{unresolved:?}");
    assert_eq!(inc.len(), 2);
    assert_eq!(inc[1].field_str("place").as_deref(), Some("Belé"));
}

/// The incident read from `csv` (one row under its header), or the reason it was not placed.
fn one_row(name: &str, csv: &[u8]) -> Result<Incident, Unresolved> {
    let (_dir, p) = temp_file(name, csv);
    let (mut inc, mut unresolved) = read(&[p]);
    assert_eq!(inc.len() + unresolved.len(), 1, "{name}");
    inc.pop().ok_or_else(|| unresolved.remove(0))
}

#[test]
fn producers_exports_are_read_by_their_columns() {
    // ACLED: columns of its 2023 codebook; geo_precision 2 is "near the named place"; the date as its export
    // tool writes it. Belgorod's point is GeoNames 578072's.
    let acled = one_row(
        "acled.csv",
        b"event_id_cnty,event_date,sub_event_type,country,admin1,location,latitude,longitude,geo_precision,notes\n\
          RUS1,14 May 2024,Air/drone strike,Russia,Belgorod,Belgorod,50.61074,36.58015,2,a drone hit a garage\n",
    )
    .expect("acled row");
    assert_eq!((acled.lat, acled.lon), (50.61074, 36.58015));
    assert_eq!(acled.date.as_deref(), Some("2024-05-14"));
    assert_eq!(acled.precision, Precision::Near);
    assert_eq!(acled.event_type.map(|t| t.as_str()), Some("air_strike"));
    assert_eq!(acled.field_str("notes").as_deref(), Some("a drone hit a garage"));

    // CIR without coordinates: the town in its province, as GeoNames 486816 (Sudzha, Kursk Oblast).
    let cir = one_row(
        "cir.csv",
        b"entry,date,brief description,lat,lon,country,province,district,town/city,arms/munition\n\
          X1,2022-03-01,a column on a road,,,Russia,Kursk Oblast,,Sudzha,T-72\n",
    )
    .expect("cir row");
    assert_eq!(cir.place.as_ref().map(|p| p.geonameid), Some(486816));
    assert_eq!(cir.weapon.as_deref(), Some("T-72"));

    // UCDP GED, Windows-1252, month-first dates: "Horlivka town" is the town (GeoNames 707753) in its oblast;
    // "Luhansk oblast" is the oblast, placed at its seat (GeoNames 702658, Luhansk) with region precision.
    let ucdp_header = b"id,date_start,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,source_headline\n";
    let ucdp = |row: &[u8]| one_row("ged.csv", &[ucdp_header.as_slice(), row].concat());
    let town = ucdp(b"1,7/3/2014 12:00:00 AM,1,Horlivka town,Donetsk oblast,,,,Shelling \x96 report\n").expect("town");
    assert_eq!(town.place.as_ref().map(|p| p.geonameid), Some(707753));
    assert_eq!(town.date.as_deref(), Some("2014-07-03"));
    assert_eq!(town.field_str("source_headline").as_deref(), Some("Shelling \u{2013} report"));
    let oblast = ucdp(b"2,7/3/2014 12:00:00 AM,4,Luhansk oblast,Luhansk oblast,,,,report\n").expect("oblast");
    assert_eq!(oblast.place.as_ref().map(|p| p.geonameid), Some(702658));
    assert_eq!(oblast.precision, Precision::Region);
    // Given coordinates keep the producer's precision: where_prec 4 is a province.
    let coded = ucdp(b"3,7/3/2014 12:00:00 AM,4,Luhansk oblast,Luhansk oblast,,48.57,39.33,report\n").expect("coded");
    assert_eq!((coded.lat, coded.lon, coded.precision), (48.57, 39.33, Precision::Region));
}

#[test]
fn kinds_can_be_forced_and_json_kinds_are_told_apart() {
    // NDJSON content in a .json file.
    let (_d, p) = temp_file(
        "rows.json",
        b"{\"lat\":50.6,\"lon\":36.6,\"border_km\":1}\n{\"lat\":50.7,\"lon\":36.6,\"border_km\":2}\n",
    );
    let (inc, _) = read(&[p]);
    assert_eq!(inc.len(), 2);
    // A table without extension, forced to TSV.
    let (_d, p) = temp_file("export", b"lat\tlon\tborder_km\n50.6\t36.6\t3.5\n");
    let forced = ReadOptions { kind: Some(InputKind::Tsv), ..opts() };
    let (inc, _) = read_with(std::slice::from_ref(&p), &forced).unwrap();
    assert_eq!(inc[0].measurement.border_km, 3.5);
    // ... and recognised from its header without forcing.
    let (inc, _) = read(&[p]);
    assert_eq!(inc.len(), 1);
}

#[test]
fn geojson_non_points_and_non_objects_are_unresolved() {
    let body = br#"{"type":"FeatureCollection","features":[
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[36,50],[37,51]]},"properties":{}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":[36.6,50.6]},"properties":{"border_km":9}},
        {"type":"Feature","geometry":{"type":"Point","coordinates":["x",50.6]},"properties":{}}]}"#;
    let (_d, p) = temp_file("mixed.geojson", body);
    let (inc, u) = read(&[p]);
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].line, 2);
    assert_eq!(u.iter().map(|u| u.line).collect::<Vec<_>>(), [1, 3]);
    assert!(u[0].reason.contains("LineString"));
    assert!(u[1].reason.contains("bad coordinates"));

    let (_d, p) = temp_file("arr.json", b"[1, {\"lat\": 50.6, \"lon\": 36.6, \"border_km\": 2}]");
    let (inc, u) = read(&[p]);
    assert_eq!((inc.len(), u.len()), (1, 1));
    assert!(u[0].reason.contains("not a JSON object"));
}

#[test]
fn a_callback_error_stops_reading() {
    let (gaz, border) = gazetteer();
    let resolver = Resolver::new(gaz);
    let locator = Locator { resolver: &resolver, border };
    let mut seen = 0;
    let r = incidents::read(
        &[data("formats/table.csv")],
        &locator,
        &opts(),
        |_| {
            seen += 1;
            anyhow::bail!("disk full")
        },
        |_| Ok(()),
    );
    assert_eq!(seen, 1);
    assert!(matches!(r, Err(ReadError::Sink(e)) if e.to_string() == "disk full"));
}

#[test]
fn large_inputs_keep_order_and_lines_across_batches() {
    // 10,000 rows: several of the reader's internal batches, with bad rows sprinkled in.
    let mut csv = String::from("lat,lon,border_km,n\n");
    let mut ndjson = String::new();
    for i in 0..10_000u32 {
        let lat = if i % 1000 == 999 { "north".to_string() } else { "50.5".to_string() };
        csv.push_str(&format!("{lat},36.5,{i},{i}\n"));
        ndjson.push_str(&format!("{{\"lat\":\"{lat}\",\"lon\":36.5,\"border_km\":{i},\"n\":{i}}}\n"));
    }
    let (_d1, p1) = temp_file("big.csv", csv.as_bytes());
    let (_d2, p2) = temp_file("big.ndjson", ndjson.as_bytes());
    for (p, first_line) in [(p1, 2u64), (p2, 1u64)] {
        let (inc, u) = read(&[p]);
        assert_eq!((inc.len(), u.len()), (9_990, 10));
        let mut expected_n = (0..10_000u64).filter(|i| i % 1000 != 999);
        for i in &inc {
            let n = expected_n.next().unwrap();
            assert_eq!(i.measurement.border_km, n as f64);
            assert_eq!(i.line, n + first_line);
        }
        assert_eq!(
            u.iter().map(|u| u.line - first_line).collect::<Vec<_>>(),
            (0..10).map(|k| k * 1000 + 999).collect::<Vec<u64>>()
        );
    }
}

/// A folder that links back to itself is read once, each file once (issue 25: `sub/up -> ..` read the same
/// file 41 times; two links to `.` ran forever).
#[cfg(unix)]
#[test]
fn folders_linked_back_to_themselves_are_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::copy(data("single.csv"), d.join("single.csv")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("self1")).unwrap();
    std::os::unix::fs::symlink(".", d.join("self2")).unwrap();
    let started = std::time::Instant::now();
    let (once, _) = read(&[data("single.csv")]);
    let (inc, unresolved) = read(&[d.clone(), d.join("sub/up"), d.join("single.csv")]);
    assert_eq!((inc.len(), unresolved.len()), (once.len(), 0), "each file once");
    assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
}

/// A table row naming a place that several namesakes share, without a region, is left unplaced ("ambiguous")
/// as an article's mention is; with its region, the likeliest namesake there is placed, marked ambiguous.
/// (GeoNames has two villages named Pisky in Mykolaiv Oblast, UA.16, and the postal places more elsewhere.)
#[test]
fn ambiguous_rows_need_their_region() {
    let (_dir, p) = temp_file("pisky.csv", b"date,place,region\n2024-05-01,Pisky,\n2024-05-02,Pisky,Mykolaiv Oblast\n");
    let (inc, unresolved) = read(&[p]);
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(unresolved[0].line == 2 && unresolved[0].reason.starts_with("ambiguous"), "{unresolved:?}");
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].status, Some(Status::Ambiguous));
    assert_eq!(inc[0].place.as_ref().map(|p| p.admin1.as_str()), Some("UA.16"));
}
