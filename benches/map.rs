//! Layer writing speed (release): `cargo bench --bench map`.
//!
//! - `write_100k`: 100,000 measured incidents streamed through `LayerWriter` into incidents and leaders
//!   (GeoJSON and GeoJSONSeq), plus the finish (border, Ukraine, styles, index.html; bands are built on a
//!   background thread from `create`).
//! - `write_100k_batches`: the same in batches of 4,096 through `add_incidents`, as `incimap map` feeds it
//!   (formatted on all cores, written by the files' own threads).
//! - `read_locate_100k`: a 100,000-row CSV with coordinates read, located and measured by
//!   `incidents::read_batches` (the reader half of `incimap map`).
//! - `bands_default`: the five default distance bands (AEQD projection, buffers, Ukraine cut out).
//!
//! The end-to-end figure (1,000,000 CSV rows → all layers through the binary, compared with ogr2ogr) is
//! measured with the commands in the issue 5 report.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use incimap::border::BorderIndex;
use incimap::gazetteer::Gazetteer;
use incimap::incidents::{self, Incident, Locator, Precision, ReadOptions};
use incimap::layers::{LayerFormat, LayerWriter, MapOptions, bands};
use incimap::resolve::Resolver;

/// Deterministic points near the border (xorshift; no extra dependency), measured by the real engine.
fn incidents(n: usize, border: &BorderIndex) -> Vec<Incident> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .filter_map(|i| {
            let (lat, lon) = (47.0 + 6.0 * next(), 31.0 + 10.0 * next());
            let measurement = border.measure(lat, lon).ok()?;
            let mut fields = serde_json::Map::new();
            fields.insert("date".into(), "2024-03-01".into());
            fields.insert("lat".into(), format!("{lat:.5}").into());
            fields.insert("lon".into(), format!("{lon:.5}").into());
            fields.insert("notes".into(), format!("row {i}").into());
            Some(Incident {
                source: "bench.csv".into(),
                line: i as u64 + 2,
                fields: fields.into(),
                date: Some("2024-03-01".into()),
                weapon: Some("drone".into()),
                event_type: None,
                lat,
                lon,
                precision: Precision::Exact,
                status: None,
                place: None,
                measurement,
                evidence: None,
                note: None,
            })
        })
        .collect()
}

/// A CSV like the 1,000,000-row test table (coordinates, date, weapon, source, notes), `n` rows.
fn table(n: usize) -> String {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut s = String::from("date,place,lat,lon,weapon,source,notes\n");
    for i in 0..n {
        let (lat, lon) = (44.0 + 10.0 * next(), 30.0 + 16.0 * next());
        s.push_str(&format!(
            "2024-{:02}-{:02},p{i},{lat:.5},{lon:.5},drone,src{},note {i}\n",
            1 + i % 12,
            1 + i % 28,
            i % 97
        ));
    }
    s
}

fn bench(c: &mut Criterion) {
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let border = BorderIndex::new(&gaz.boundaries);
    let incs = incidents(100_000, &border);
    let dir = tempfile::tempdir().unwrap();

    let mut g = c.benchmark_group("map");
    g.measurement_time(Duration::from_secs(10));
    g.sample_size(10);
    g.throughput(Throughput::Elements(incs.len() as u64));
    for (name, format) in
        [("write_100k_geojson", LayerFormat::GeoJson), ("write_100k_geojsonseq", LayerFormat::GeoJsonSeq)]
    {
        g.bench_function(name, |b| {
            b.iter(|| {
                let opts = MapOptions { format, ..MapOptions::default() };
                let mut w = LayerWriter::create(dir.path(), opts, &gaz.boundaries).unwrap();
                for i in &incs {
                    w.add_incident(i).unwrap();
                }
                black_box(w.finish().unwrap())
            })
        });
    }
    g.bench_function("write_100k_batches_geojson", |b| {
        b.iter(|| {
            let mut w = LayerWriter::create(dir.path(), MapOptions::default(), &gaz.boundaries).unwrap();
            for batch in incs.chunks(4096) {
                w.add_incidents(batch).unwrap();
            }
            black_box(w.finish().unwrap())
        })
    });

    let csv = dir.path().join("rows.csv");
    std::fs::write(&csv, table(100_000)).unwrap();
    let resolver = Resolver::new(&gaz);
    let locator = Locator { resolver: &resolver, border: &border };
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("read_locate_100k", |b| {
        b.iter(|| {
            let mut n = 0usize;
            let opts = ReadOptions::default();
            incidents::read_batches(
                std::slice::from_ref(&csv),
                &locator,
                &opts,
                |batch| {
                    n += batch.len();
                    Ok(())
                },
                |_| Ok(()),
            )
            .unwrap();
            black_box(n)
        })
    });

    g.throughput(Throughput::Elements(1));
    g.bench_function("bands_default", |b| {
        b.iter(|| black_box(bands::build(&gaz.boundaries, &bands::DEFAULT_EDGES_KM).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
