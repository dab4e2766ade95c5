//! Geoparsing throughput: article text through the library (`Extractor::extract`) and through
//! `incidents_from_text`, with the full shipped gazetteer loaded.
//!
//! The corpus is the committed articles (tests/data/articles, examples/*.txt) repeated to about 8 MB, each copy
//! followed by a paragraph naming three other gazetteer places (so that lookups keep missing the cache as
//! they would on fresh news), cut into articles of a few KB. A fresh extractor (empty caches) is used for
//! every pass over the corpus. That corpus is place-dense (about 12,600 mentions per MiB); the `realistic`
//! group adds the development reports (tests/data/dev1, once held out), longer and sparser (about 8,400 per MiB),
//! as `tools/gen_news_corpus.py --realistic` does. When `../shared/seeds` is present, the `seeds` group does
//! the same with the five real reports there (read at run time, never copied into the project): about
//! 4,200 mentions per MiB, the density of real news (the reports alone run at about 3,300 per MB).
//!
//! Run: `cargo bench --bench extract`. End to end through the binary: see docs/benchmarks.md.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use incimap::border::BorderIndex;
use incimap::extract::Extractor;
use incimap::gazetteer::Gazetteer;
use incimap::incidents::incidents_from_text;
use incimap::resolve::Resolver;

/// Build the benchmark corpus from the articles of `dirs`: a list of articles totalling about `bytes` bytes.
fn corpus(gaz: &Gazetteer, dirs: &[&str], bytes: usize) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut base = Vec::new();
    for dir in dirs {
        if let Ok(rd) = std::fs::read_dir(root.join(dir)) {
            let mut files: Vec<_> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files.into_iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
                if let Ok(t) = std::fs::read_to_string(&f) {
                    base.push(t);
                }
            }
        }
    }
    assert!(!base.is_empty(), "no articles found");
    // The places the random sentences name: GeoNames' own (cities500), as before the postal villages joined the
    // gazetteer, so that the corpus, and the figures, compare across gazetteer versions.
    let named: Vec<&incimap::gazetteer::Place> =
        gaz.places.iter().filter(|p| p.source == incimap::gazetteer::PlaceSource::Geonames).collect();
    // A deterministic walk over those places (a simple LCG; no rand dependency needed).
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut out = Vec::new();
    let mut total = 0;
    let mut i = 0;
    while total < bytes {
        let a = &named[next(named.len())].name;
        let b = &named[next(named.len())].name;
        let c = &named[next(named.len())].name;
        let text = format!(
            "{}\nLater, a drone fell near {a} and debris damaged a house in {b}, officials in {c} said on Tuesday.\n",
            base[i % base.len()]
        );
        total += text.len();
        out.push(text);
        i += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let resolver = Resolver::new(&gaz);
    let border = BorderIndex::new(&gaz.boundaries);
    let docs = corpus(&gaz, &["tests/data/articles", "examples"], 8 << 20);
    let bytes: usize = docs.iter().map(String::len).sum();
    let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 20);
    let mentions = |docs: &[String]| {
        let ex = Extractor::new(&resolver, Some(&border));
        docs.iter().map(|d| ex.extract(d, "bench.txt", date).len()).sum::<usize>()
    };

    let mut g = c.benchmark_group("extract");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("mentions", |bch| bch.iter(|| mentions(&docs)));
    g.bench_function("incidents_from_text", |bch| {
        bch.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += incidents_from_text(d, "bench.txt", date, &resolver, &border).0.len();
            }
            n
        })
    });
    g.finish();

    // The other corpora, `mentions` only.
    let mut mentions_group = |name: &str, dirs: &[&str]| {
        let docs = corpus(&gaz, dirs, 8 << 20);
        let bytes: usize = docs.iter().map(String::len).sum();
        let mut g = c.benchmark_group(name);
        g.sample_size(10);
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function("mentions", |bch| bch.iter(|| mentions(&docs)));
        g.finish();
    };
    mentions_group("realistic", &["tests/data/articles", "examples", "tests/data/dev1"]);
    if Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds").is_dir() {
        mentions_group("seeds", &["../shared/seeds"]);
    } else {
        eprintln!("note: ../shared/seeds is absent (a plain clone): the seeds group is skipped");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
