//! Resolution speed (release): `cargo bench --bench resolve`.
//!
//! Targets (issue 2): ≥ 500,000 exact-name resolutions/s on one core, ≥ 50,000 fuzzy ones, embedded
//! gazetteer load ≤ 20 ms; `names::key` and `names::lemma_keys` at several million short words/s.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use incimap::gazetteer::Gazetteer;
use incimap::resolve::{Query, Resolver};

/// Names as news reports spell them: exact primary names, alternate spellings, Cyrillic.
const EXACT: &[&str] = &[
    "Belgorod",
    "Grayvoron",
    "Graivoron",
    "Rubezhnoye",
    "Kiev",
    "Odessa",
    "Kursk",
    "Шебекино",
    "Pavlovskaya",
    "Atamanskaya",
    "Kaluga",
    "Maloyaroslavets",
    "Borovsk",
    "Vovchansk",
    "Lisichansk",
    "Rylsk",
];

/// One letter off a known name (no exact or inflected match), each at least six letters.
const FUZZY: &[&str] =
    &["Belgorud", "Grayvorn", "Maloyaroslavats", "Vovchamsk", "Lisichamsk", "Kozelshk", "Taganrgo", "Shebekimo"];

fn bench(c: &mut Criterion) {
    c.bench_function("gazetteer_embedded_load", |b| b.iter(|| black_box(Gazetteer::embedded().unwrap())));

    let gaz = Gazetteer::embedded().unwrap();
    let resolver = Resolver::new(&gaz);
    let exact: Vec<Query> = EXACT.iter().map(|n| Query::new(n)).collect();
    let fuzzy: Vec<Query> = FUZZY.iter().map(|n| Query::new(n)).collect();
    // build the lazy indexes outside the measurement, and check the inputs are what they claim
    for q in &exact {
        assert!(resolver.resolve(q).best.is_some(), "{}", q.name);
    }
    for q in &fuzzy {
        let r = resolver.resolve(q);
        assert!(r.reason.contains("one letter off"), "{}: {}", q.name, r.reason);
    }

    let mut g = c.benchmark_group("resolve");
    g.throughput(Throughput::Elements(exact.len() as u64));
    g.bench_function("exact", |b| {
        b.iter(|| {
            for q in &exact {
                black_box(resolver.resolve(q));
            }
        })
    });
    g.throughput(Throughput::Elements(fuzzy.len() as u64));
    g.bench_function("fuzzy", |b| {
        b.iter(|| {
            for q in &fuzzy {
                black_box(resolver.resolve(q));
            }
        })
    });
    let hinted: Vec<Query> = ["Pavlovskaya", "Atamanskaya", "Petropavlovka"]
        .iter()
        .map(|n| Query { region: Some("Krasnodar Krai".into()), ..Query::new(n) })
        .collect();
    g.throughput(Throughput::Elements(hinted.len() as u64));
    g.bench_function("with_region_hint", |b| {
        b.iter(|| {
            for q in &hinted {
                black_box(resolver.resolve(q));
            }
        })
    });
    g.finish();

    let words = ["Белгороде", "Klintsakh", "Taganrog", "Херсоні", "Сумах", "Grayvoron", "Kozel’sk", "Rubezhnoye"];
    let mut g = c.benchmark_group("names");
    g.throughput(Throughput::Elements(words.len() as u64));
    g.bench_function("key", |b| {
        b.iter(|| {
            for w in &words {
                black_box(incimap::names::key(w));
            }
        })
    });
    let mut buf = String::new();
    g.bench_function("key_into", |b| {
        b.iter(|| {
            for w in &words {
                incimap::names::key_into(w, &mut buf);
                black_box(&buf);
            }
        })
    });
    g.bench_function("lemma_keys", |b| {
        b.iter(|| {
            for w in &words {
                black_box(incimap::names::lemma_keys(w));
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
