//! Border measurement speed (release): `cargo bench --bench border`.
//!
//! Targets (issue 3): ≥ 1,000,000 points/s through the library over random points in lon 28–48, lat 43–56
//! (batch over both cores), reported single-core too; index build time (paid once per `incimap distance`).
//! The nearest-segment grid fills its cells on first use, so `measure_many_cold_cells_100k` measures a fresh
//! index each time (its build excluded) as a one-shot run sees it; the others reuse one index.
//! End to end (CSV → CSV through the binary):
//! ```sh
//! awk 'BEGIN{srand(42); print "id,lat,lon,note"; for(i=1;i<=1000000;i++) printf "p%d,%.5f,%.5f,x\n", i, 43+13*rand(), 28+20*rand()}' > /tmp/big.csv
//! cargo build --release && /usr/bin/time -v target/release/incimap distance --input /tmp/big.csv --format csv > /tmp/out.csv
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use incimap::border::BorderIndex;
use incimap::gazetteer::Gazetteer;

/// Deterministic uniform points in the issue's box (xorshift; no extra dependency).
fn random_points(n: usize) -> Vec<(f64, f64)> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n).map(|_| (43.0 + 13.0 * next(), 28.0 + 20.0 * next())).collect()
}

fn bench(c: &mut Criterion) {
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let border = BorderIndex::new(&gaz.boundaries);
    let points = random_points(100_000);

    let mut g = c.benchmark_group("border");
    g.measurement_time(Duration::from_secs(8));
    g.sample_size(20);
    g.throughput(Throughput::Elements(points.len() as u64));
    g.bench_function("measure_single_core_100k", |b| {
        b.iter(|| {
            let mut sum = 0.0;
            for &(lat, lon) in &points {
                if let Ok(m) = border.measure(lat, lon) {
                    sum += m.border_km;
                }
            }
            black_box(sum)
        })
    });
    g.bench_function("measure_many_all_cores_100k", |b| b.iter(|| black_box(border.measure_many(&points))));
    g.bench_function("measure_many_cold_cells_100k", |b| {
        b.iter_batched(
            || BorderIndex::new(&gaz.boundaries),
            |fresh| black_box(fresh.measure_many(&points)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("country_only_single_core_100k", |b| {
        b.iter(|| points.iter().filter(|&&(lat, lon)| border.country(lat, lon).is_some()).count())
    });
    g.finish();

    let mut g = c.benchmark_group("border_setup");
    g.sample_size(10);
    g.bench_function("index_build", |b| b.iter(|| black_box(BorderIndex::new(&gaz.boundaries))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
