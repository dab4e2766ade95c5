//! `incimap stats` speed: 1,000,000 incidents summarised with two group-bys (issue 6: ≤ 2 s).
//!
//! - `stats_1m/add_two_groupbys`: the summary itself (`Stats::add` with a distance and two keys per incident).
//! - `stats_1m/incidents_two_groupbys`: keying real `Incident` records (`Keyer` by region and weapon) and adding
//!   them, as `incimap stats --by region --by weapon` does after reading.
//! - `stats_1m/read_csv_two_groupbys`: end to end from a 1,000,000-row CSV on disk through the incident reader
//!   (distances from its `border_km` column, as `incimap stats --use-border-km` does, so the border engine is not
//!   timed) to the report.
//! - `stats_1m/read_csv_measured_two_groupbys`: the same with every point measured by the border engine.
//!
//! Run: `cargo bench --bench stats`.

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use incimap::border::{LatLon, Measurement};
use incimap::incidents::{self, Incident, Locator, Precision, ReadOptions};
use incimap::resolve::Resolver;
use incimap::stats::{Bands, GroupBy, Keyer, Stats};

const N: usize = 1_000_000;
const REGIONS: [&str; 8] = ["RU.09", "RU.41", "RU.10", "RU.86", "RU.61", "UA.07", "UA.21", "UA.18"];
const WEAPONS: [&str; 6] = ["drone", "bomb", "missile", "artillery", "glide bomb", "rocket"];

/// A deterministic spread of distances: mostly within 100 km, some far, some inside Ukraine (negative).
fn distance(i: usize) -> f64 {
    let u = ((i as f64) * 0.618_033_988_749_894_9).fract();
    if i.is_multiple_of(10) { -u * 60.0 } else { u * u * 400.0 }
}

fn add_two_groupbys(c: &mut Criterion) {
    let rows: Vec<(f64, &str, &str)> =
        (0..N).map(|i| (distance(i), REGIONS[i % REGIONS.len()], WEAPONS[(i / 3) % WEAPONS.len()])).collect();
    let mut g = c.benchmark_group("stats_1m");
    g.sample_size(10);
    g.bench_function("add_two_groupbys", |b| {
        b.iter(|| {
            let mut s = Stats::new(Bands::default(), 2);
            for &(km, region, weapon) in &rows {
                s.add(km, &[region, weapon]);
            }
            black_box(s.report(0))
        })
    });
    g.finish();
}

fn incident(i: usize) -> Incident {
    let mut fields = serde_json::Map::new();
    fields.insert("region".into(), REGIONS[i % REGIONS.len()].into());
    fields.insert("weapon".into(), WEAPONS[(i / 3) % WEAPONS.len()].into());
    Incident {
        source: "bench.csv".into(),
        line: i as u64 + 2,
        fields: fields.into(),
        date: Some(format!("2024-{:02}-01", i % 12 + 1)),
        weapon: Some(WEAPONS[(i / 3) % WEAPONS.len()].into()),
        event_type: None,
        lat: 50.0,
        lon: 36.0,
        precision: Precision::Exact,
        status: None,
        place: None,
        measurement: Measurement {
            border_km: distance(i),
            nearest_border: LatLon { lat: 50.0, lon: 36.0 },
            inside_ukraine: false,
            country: Some("RU"),
            geodesic_m: f64::NAN,
            azimuth_deg: f64::NAN,
        },
        evidence: None,
        note: None,
    }
}

fn incidents_two_groupbys(c: &mut Criterion) {
    // 10,000 distinct incidents added 100 times each: a million additions without holding a million records.
    let sample: Vec<Incident> = (0..10_000).map(incident).collect();
    let by = [GroupBy::Region, GroupBy::Weapon];
    let mut g = c.benchmark_group("stats_1m");
    g.sample_size(10);
    g.bench_function("incidents_two_groupbys", |b| {
        b.iter(|| {
            let mut s = Stats::new(Bands::default(), 2);
            let mut keyer = Keyer::new(None);
            for _ in 0..N / sample.len() {
                for inc in &sample {
                    s.add_incident(inc, &by, &mut keyer);
                }
            }
            black_box(s.report_with(0, &by, Some(&keyer)))
        })
    });
    g.finish();
}

fn read_csv_two_groupbys(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("incidents.csv");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        writeln!(w, "date,region,country,lat,lon,weapon,source,notes,border_km").unwrap();
        for i in 0..N {
            let lat = 49.0 + (i % 400) as f64 * 0.01;
            let lon = 34.0 + (i % 700) as f64 * 0.01;
            writeln!(
                w,
                "2024-{:02}-{:02},{},RU,{lat:.4},{lon:.4},{},outlet {},row {i},{:.3}",
                i % 12 + 1,
                i % 28 + 1,
                ["Belgorod Oblast", "Kursk Oblast", "Bryansk Oblast"][i % 3],
                WEAPONS[(i / 3) % WEAPONS.len()],
                i % 5,
                distance(i)
            )
            .unwrap();
        }
    }
    let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
    let resolver = Resolver::new(&gaz);
    let border = incimap::border::BorderIndex::new(&gaz.boundaries);
    let locator = Locator { resolver: &resolver, border: &border };
    let by = [GroupBy::Region, GroupBy::Weapon];
    let paths = [path];
    let mut g = c.benchmark_group("stats_1m");
    g.sample_size(10);
    for (name, given) in [("read_csv_two_groupbys", true), ("read_csv_measured_two_groupbys", false)] {
        let opts = ReadOptions { given_border_km: given, ..ReadOptions::default() };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut s = Stats::new(Bands::default(), 2);
                let mut keyer = Keyer::new(Some(&resolver));
                let summary = incidents::read(
                    &paths,
                    &locator,
                    &opts,
                    |i| {
                        s.add_incident(&i, &by, &mut keyer);
                        Ok(())
                    },
                    |_| Ok(()),
                )
                .unwrap();
                assert_eq!(summary.incidents as usize, N);
                black_box(s.report_with(0, &by, Some(&keyer)))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, add_two_groupbys, incidents_two_groupbys, read_csv_two_groupbys);
criterion_main!(benches);
