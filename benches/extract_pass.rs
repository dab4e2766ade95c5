//! Instruction counts for the library's extraction, for callgrind (criterion's `realistic/mentions` measures the
//! same on wall time, which this shared machine makes noisy).
//!
//! Splits a corpus file (from `tools/gen_news_corpus.py`) into articles of about 4 KB and runs
//! `Extractor::extract` over all of them with a fresh extractor inside `pass`, after a warm-up pass
//! that builds the one-off indexes and fills the per-thread word memo. Run under callgrind:
//!
//! ```sh
//! cargo bench --bench extract_pass --no-run        # prints the executable's path
//! valgrind --tool=callgrind --toggle-collect='extract_pass::pass' target/release/deps/extract_pass-HASH /tmp/real1m.txt
//! ```

use incimap::border::BorderIndex;
use incimap::extract::Extractor;
use incimap::gazetteer::Gazetteer;
use incimap::resolve::Resolver;

fn main() {
    // `cargo bench` passes `--bench`; the corpus is the first argument that is not a flag.
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with('-')) else {
        eprintln!("usage: extract_pass CORPUS.txt");
        return;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return;
        }
    };
    let mut docs = Vec::new();
    let mut current = String::new();
    for paragraph in text.split("\n\n") {
        current.push_str(paragraph);
        current.push_str("\n\n");
        if current.len() > 4000 {
            docs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        docs.push(current);
    }
    let gaz = Gazetteer::embedded().expect("embedded gazetteer");
    let resolver = Resolver::new(&gaz);
    let border = BorderIndex::new(&gaz.boundaries);
    // The warm-up stays out of `pass`, so that callgrind collects only the measured pass. Two rounds: a
    // resolver builds its fuzzy index only once it has answered enough names (it scans until then), which
    // one pass over a corpus of few distinct names may not reach.
    let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 20);
    let mut warm = 0;
    for _ in 0..2 {
        let ex = Extractor::new(&resolver, Some(&border));
        warm = docs.iter().map(|d| ex.extract(d, "bench.txt", date).len()).sum();
    }
    let mentions = pass(&docs, &resolver, &border);
    println!(
        "{} articles, {} bytes, {warm} mentions per pass, {mentions} in the measured pass",
        docs.len(),
        text.len()
    );
}

/// One pass over `docs` with a fresh extractor; the number of mentions found.
#[inline(never)]
fn pass(docs: &[String], resolver: &Resolver, border: &BorderIndex) -> usize {
    let date = chrono::NaiveDate::from_ymd_opt(2024, 5, 20);
    let ex = Extractor::new(resolver, Some(border));
    docs.iter().map(|d| ex.extract(d, "bench.txt", date).len()).sum()
}
