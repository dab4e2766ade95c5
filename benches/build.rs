//! Gazetteer build and load at full scale, on synthetic GeoNames dumps in the real 19-column format
//! (the real RU/UA/BY dumps, about 500,000 rows, cannot be fetched in CI).
//!
//! `cargo bench --bench build` measures:
//! - `build/synthetic_100k`: `build::build` over 100,000 dump rows (RU/UA/BY 70/22/8 %);
//! - `open/synthetic_500k`: `Gazetteer::open` of the gazetteer built from 500,000 rows (the load target
//!   is ≤ 150 ms);
//! - `first_answer/*`: what `incimap resolve NAME` does on that gazetteer before its answer: open, a new
//!   [`Resolver`], one query: a name the gazetteer holds (`found`), one it lacks, which is looked up one
//!   letter off too (`not_found`: "Belgorod" is not among the synthetic names), and one with a region
//!   phrase (`region_hint`) and a district phrase (`district_hint`), which build the resolver's region
//!   index and its district centres.
//!
//! Boundaries and admin codes come from tests/data/refresh/ (committed), so a plain clone can run it. For
//! the end-to-end figure (time and peak memory of the release binary on 500,000 rows), see
//! tools/gen_synthetic_dump.py and the commands in its report.

use std::hint::black_box;
use std::io::Write;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use incimap::build::{self, BuildOptions};
use incimap::gazetteer::Gazetteer;
use incimap::resolve::{Query, Resolver, Status};

/// A small deterministic generator (xorshift), so every run measures the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const LAT: [&str; 26] = [
    "ka", "ro", "vo", "ni", "sk", "ov", "ev", "ka", "la", "mi", "po", "ra", "de", "li", "no", "bo", "ta", "gu", "ze",
    "sa", "ve", "ly", "zh", "ch", "sh", "ya",
];
const CYR: [&str; 26] = [
    "ка", "ро", "во", "ни", "ск", "ов", "ев", "ка", "ла", "ми", "по", "ра", "де", "ли", "но", "бо", "та", "гу", "зе",
    "са", "ве", "лы", "жи", "че", "ша", "я",
];
/// Feature class and code, and weight (55 % populated places, the rest read and dropped).
const FEATURES: [(&str, &str, usize); 8] = [
    ("P", "PPL", 51),
    ("P", "PPLA2", 2),
    ("P", "PPLA3", 2),
    ("H", "STM", 15),
    ("T", "HLL", 8),
    ("S", "FRM", 10),
    ("L", "LCTY", 8),
    ("A", "ADM3", 4),
];

/// Admin1 codes per country, from the committed admin1 fixture.
fn admin1_codes(cc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixtures().join("admin1CodesASCII.txt")).expect("admin1 fixture");
    text.lines()
        .filter_map(|l| l.split('\t').next())
        .filter_map(|code| code.strip_prefix(&format!("{cc}.")).map(str::to_string))
        .collect()
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/refresh")
}

/// Write `rows` synthetic dump rows (RU/UA/BY) plus the fixture admin codes and boundaries into `dir`.
fn synthetic_input(dir: &Path, rows: usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut gid = 10_000_000u32;
    for (cc, share, (lat0, lat1, lon0, lon1)) in [
        ("RU", 0.70, (44.0, 60.0, 28.0, 50.0)),
        ("UA", 0.22, (44.4, 52.3, 22.2, 40.2)),
        ("BY", 0.08, (51.3, 56.1, 23.2, 32.7)),
    ] {
        let admin1 = admin1_codes(cc);
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(format!("{cc}.txt"))).unwrap());
        for _ in 0..(rows as f64 * share) as usize {
            gid += 1;
            let k = 2 + rng.below(3);
            let idx: Vec<usize> = (0..k).map(|_| rng.below(LAT.len())).collect();
            let mut name: String = idx.iter().map(|&i| LAT[i]).collect();
            name[..1].make_ascii_uppercase();
            let cyr: String = idx.iter().map(|&i| CYR[i]).collect();
            let mut alts = vec![cyr];
            for s in ["ovka", "ino", "skoye"].iter().take(rng.below(4)) {
                alts.push(format!("{name}{s}"));
            }
            if rng.below(100) == 0 {
                alts.extend((0..30).map(|i| format!("{name}{}", LAT[i % 26])));
            }
            let mut pick = rng.below(100);
            let (fclass, fcode) = FEATURES
                .iter()
                .find(|f| {
                    if pick < f.2 {
                        true
                    } else {
                        pick -= f.2;
                        false
                    }
                })
                .map(|f| (f.0, f.1))
                .unwrap_or(("P", "PPL"));
            let pop = if fclass == "P" { (50.0 / rng.unit().max(1e-6).powf(1.0 / 1.2)) as u64 } else { 0 };
            writeln!(
                out,
                "{gid}\t{name}\t{name}\t{}\t{:.5}\t{:.5}\t{fclass}\t{fcode}\t{cc}\t\t{}\t\t\t\t{pop}\t\t120\tEurope/Moscow\t2023-01-{:02}",
                alts.join(","),
                lat0 + (lat1 - lat0) * rng.unit(),
                lon0 + (lon1 - lon0) * rng.unit(),
                admin1[rng.below(admin1.len())],
                1 + rng.below(28),
            )
            .unwrap();
        }
    }
    for f in ["admin1CodesASCII.txt", "admin2Codes.txt", "ukraine.geojson", "russia.geojson", "belarus.geojson"] {
        std::fs::copy(fixtures().join(f), dir.join(f)).unwrap();
    }
}

fn bench_build(c: &mut Criterion) {
    let input = tempfile::tempdir().unwrap();
    synthetic_input(input.path(), 100_000);
    let opts = BuildOptions::new(input.path());
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    group.bench_function("synthetic_100k", |b| b.iter(|| black_box(build::build(&opts).unwrap())));
    group.finish();
}

fn bench_open(c: &mut Criterion) {
    let input = tempfile::tempdir().unwrap();
    synthetic_input(input.path(), 500_000);
    let out = build::build(&BuildOptions::new(input.path())).unwrap();
    let gaz_dir = tempfile::tempdir().unwrap();
    build::write_dir(&out.gazetteer, gaz_dir.path()).unwrap();
    drop(out);
    let mut group = c.benchmark_group("open");
    group.sample_size(20);
    // The drop (freeing ~80 MB of places and names) is not part of loading: keep it out of the timing.
    group.bench_function("synthetic_500k", |b| b.iter_with_large_drop(|| Gazetteer::open(gaz_dir.path()).unwrap()));
    group.finish();

    // A name the synthetic gazetteer holds: the first place's.
    let found = Gazetteer::open(gaz_dir.path()).unwrap().places[0].name.to_string();
    let mut group = c.benchmark_group("first_answer");
    group.sample_size(20);
    for (label, name, found) in [
        ("found", found.as_str(), Some(true)),
        ("not_found", "Belgorod", Some(false)),
        ("region_hint", "Belgorod, Voronezh region", None),
        ("district_hint", "Belgorod, Borovsky district", None),
    ] {
        group.bench_function(label, |b| {
            b.iter_with_large_drop(|| {
                let gaz = Gazetteer::open(gaz_dir.path()).unwrap();
                let res = Resolver::new(&gaz).resolve(&Query::new(name));
                if let Some(found) = found {
                    assert_eq!(res.status != Status::NotFound, found, "{name}");
                }
                gaz
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_build, bench_open);
criterion_main!(benches);
