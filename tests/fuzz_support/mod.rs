//! A small mutation fuzzer for stable Rust: seeded byte-level mutations of seed files, each case run under
//! `catch_unwind`, a watchdog for hangs and a counting allocator for memory. See `tests/fuzz.rs` and the
//! "Fuzzing" section of `docs/testing.md`.
//!
//! Environment:
//! - `INCIMAP_FUZZ_SCALE=K`: K times each target's default number of mutated cases (the longer run);
//! - `INCIMAP_FUZZ_CASES=N`: N mutated cases for every target instead;
//! - `INCIMAP_FUZZ_SEED=S`: the run's seed (default fixed, so CI runs the same cases every time);
//! - `INCIMAP_FUZZ_CASE_SECS=T`: the longest a case may take before it counts as a hang (default 30 s);
//! - `INCIMAP_FUZZ_KEEP=caseN-`: write the inputs of the cases whose label starts so (to look at one);
//! - `INCIMAP_FUZZ_ONLY=N`: run case N alone (with the same seed and case count: to replay one);
//! - `INCIMAP_FUZZ_VERBOSE=1`: print every case's outcome.

use std::alloc::{GlobalAlloc, Layout, System};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// Counts the bytes allocated and the peak since the last [`reset_peak`].
pub struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            added(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            added(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
            added(new_size);
        }
        p
    }
}

fn added(n: usize) {
    let now = CURRENT.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

/// Bytes allocated now.
fn current() -> usize {
    CURRENT.load(Ordering::Relaxed)
}

/// Start a new peak at the current allocation.
fn reset_peak() {
    PEAK.store(current(), Ordering::Relaxed);
}

/// Most memory a single case may take above what was allocated before it.
pub const MAX_CASE_BYTES: usize = 256 << 20;

/// Only one target runs at a time, so that the allocator's peak belongs to one case.
fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The case running now, for the watchdog.
struct Running {
    target: String,
    label: String,
    input: Arc<Vec<u8>>,
    started: Instant,
}

static RUNNING: Mutex<Option<Running>> = Mutex::new(None);

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    match v.trim().parse() {
        Ok(n) => Some(n),
        Err(_) => panic!("{name}={v:?} is not a whole number"),
    }
}

/// How long a case may run before the watchdog calls it a hang.
fn case_limit() -> Duration {
    Duration::from_secs(env_number("INCIMAP_FUZZ_CASE_SECS").unwrap_or(30))
}

/// Where inputs that panicked, hung or took too much memory are written.
pub fn failures_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures")
}

fn record(target: &str, label: &str, input: &[u8]) -> PathBuf {
    let dir = failures_dir();
    let _ = std::fs::create_dir_all(&dir);
    let safe: String = label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    let path = dir.join(format!("{target}-{safe}"));
    let _ = std::fs::write(&path, input);
    path
}

/// Starts (once) a thread that aborts the process, after writing the input down, when a case runs longer than
/// [`case_limit`]: a hang must not hold CI until its own timeout, and must leave its input behind.
fn watchdog() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let limit = case_limit();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(250));
                let running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(r) = running.as_ref()
                    && r.started.elapsed() > limit
                {
                    let path = record(&r.target, &r.label, &r.input);
                    eprintln!(
                        "fuzz {}: case {} still running after {limit:?} (a hang): input written to {}",
                        r.target,
                        r.label,
                        path.display()
                    );
                    std::process::abort();
                }
            }
        });
    });
}

/// splitmix64: small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True once in `n` times.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Byte strings that readers treat specially: delimiters, quotes, JSON syntax, BOMs and invalid UTF-8,
/// numbers at the edges of their types, and words the geoparser looks for.
const TOKENS: &[&[u8]] = &[
    b"\xef\xbb\xbf",
    b"\0",
    b"\"",
    b"\"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x1e",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xf0\x9f\x92",
    b"\xe2\x80\xa8",
    b"\xe2\x80\x8b",
    b"\xcc\x81",
    b"NaN",
    b"inf",
    b"-0",
    b"1e400",
    b"-1e-400",
    b"0x1F",
    b"99999999999999999999",
    b"4294967296",
    b"-1",
    b"null",
    b"true",
    b"\"type\":\"Feature\"",
    b"{\"type\":\"Point\",\"coordinates\":[",
    b"\"features\":[",
    b"lat",
    b"lon",
    b"latitude",
    b"place",
    b"region",
    b"date",
    b"border_km",
    b"Belgorod",
    "Белгород".as_bytes(),
    "ё".as_bytes(),
    b"Kharkiv Oblast",
    b" Oblast",
    b"between ",
    b" and ",
    b" km from ",
    b"yesterday",
    b"29 February 2023",
    b"31.12.9999",
    b"drone",
    b"shelled ",
    b"PPLA",
    b"RU.09",
    b"UA.",
    b"P\tPPL\tRU",
];

/// Longest mutated input: past the readers' 1 MiB line cap, within their 16 MiB article limit.
pub const MAX_INPUT: usize = 3 << 20;

/// Apply 1 to 4 random mutations to `input`; `others` are the other seeds, for splicing. The result is at
/// most [`MAX_INPUT`] bytes.
pub fn mutate(rng: &mut Rng, input: &[u8], others: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, &mut out, others);
        out.truncate(MAX_INPUT);
    }
    out
}

fn mutate_once(rng: &mut Rng, out: &mut Vec<u8>, others: &[&[u8]]) {
    let at = |rng: &mut Rng, out: &Vec<u8>| rng.below(out.len() + 1);
    match rng.below(14) {
        0 if !out.is_empty() => {
            let i = rng.below(out.len());
            out[i] ^= 1 << rng.below(8);
        }
        1 if !out.is_empty() => {
            let i = rng.below(out.len());
            out[i] = *rng.pick(&[0, 0x7f, 0x80, 0xff, b'"', b',', b';', b'\t', b'\n', b'-', b'.', b'e', b'9']);
        }
        2 | 3 => {
            let i = at(rng, out);
            let token = *rng.pick(TOKENS);
            out.splice(i..i, token.iter().copied());
        }
        4 if !out.is_empty() => {
            let i = rng.below(out.len());
            let n = (1 + rng.below(32)).min(out.len() - i);
            out.drain(i..i + n);
        }
        5 if !out.is_empty() => {
            let i = rng.below(out.len());
            let n = (1 + rng.below(64)).min(out.len() - i);
            let copy = out[i..i + n].to_vec();
            let j = at(rng, out);
            out.splice(j..j, copy);
        }
        6 => {
            let i = at(rng, out);
            out.truncate(i);
        }
        7 if !others.is_empty() => {
            let other = *rng.pick(others);
            let (i, j) = (at(rng, out), rng.below(other.len() + 1));
            out.truncate(i);
            out.extend_from_slice(&other[j..]);
        }
        8 => {
            // One line repeated many times.
            let line = rng.pick(&out.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect::<Vec<_>>()).clone();
            let times = (1 + rng.below(300)).min(MAX_INPUT / (line.len() + 1));
            let i = at(rng, out);
            let block: Vec<u8> = (0..times).flat_map(|_| line.iter().copied().chain([b'\n'])).collect();
            out.splice(i..i, block);
        }
        9 if rng.one_in(4) => {
            // A huge line: past the readers' caps now and then (1 MiB), long otherwise.
            let n = if rng.one_in(3) { (1 << 20) + 1 + rng.below(4096) } else { 1 + rng.below(70_000) };
            let fill = *rng.pick(&[b'x', b'"', b' ', 0u8, b'9', b'[']);
            let i = at(rng, out);
            out.splice(i..i, std::iter::repeat_n(fill, n));
        }
        10 => {
            // Deep nesting.
            let opens: [&[u8]; 4] = [b"[", b"{\"a\":", b"\"", b"(("];
            let open = *rng.pick(&opens);
            let n = 1 + rng.below(300);
            let i = at(rng, out);
            out.splice(i..i, open.iter().copied().cycle().take(open.len() * n));
        }
        11 => {
            // Swap two lines.
            let mut lines: Vec<Vec<u8>> = out.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(i, j);
            *out = lines.join(&b'\n');
        }
        12 => {
            // Replace a run of digits with an edge-case number.
            let starts: Vec<usize> = (0..out.len())
                .filter(|&i| out[i].is_ascii_digit() && (i == 0 || !out[i - 1].is_ascii_digit()))
                .collect();
            if let Some(&s) = (!starts.is_empty()).then(|| rng.pick(&starts)) {
                let e = s + out[s..].iter().take_while(|b| b.is_ascii_digit()).count();
                let numbers: [&[u8]; 7] =
                    [b"0", b"-0", b"1e400", b"NaN", b"99999999999999999999", b"4294967295", b"90.0001"];
                let number = *rng.pick(&numbers);
                out.splice(s..e, number.iter().copied());
            }
        }
        _ => {
            let i = at(rng, out);
            let n = 1 + rng.below(8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            out.splice(i..i, bytes);
        }
    }
}

/// A seed file: its name (which readers may look at) and bytes.
pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The seed files of one target: every file under `tests/data/fuzz/<dir>` (none when it does not exist), in
/// name order.
pub fn seeds(dir: &str) -> Vec<Seed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz").join(dir);
    let mut out = Vec::new();
    let mut stack = if root.is_dir() { vec![root.clone()] } else { Vec::new() };
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.strip_prefix(&root).expect("under root").to_string_lossy().into_owned();
                out.push(Seed { name, bytes: std::fs::read(&path).expect("seed readable") });
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Mutated cases to run for a target: `INCIMAP_FUZZ_CASES`, else the target's default times
/// `INCIMAP_FUZZ_SCALE` (1 unless set).
pub fn case_count(default: usize) -> usize {
    let scale = env_number("INCIMAP_FUZZ_SCALE").unwrap_or(1) as usize;
    env_number("INCIMAP_FUZZ_CASES").map_or(default.saturating_mul(scale), |n| n as usize)
}

/// The run's seed: `INCIMAP_FUZZ_SEED`, else a fixed one.
pub fn run_seed() -> u64 {
    env_number("INCIMAP_FUZZ_SEED").unwrap_or(0x1_2025_0025)
}

/// One input of a target: its seed's name (for the reader) and bytes, and the random source of this case
/// (for choices beyond the bytes: options, file names).
pub struct Case<'a> {
    pub seed: &'a Seed,
    /// False for a seed read as it is.
    pub mutated: bool,
    pub bytes: Vec<u8>,
    pub rng: Rng,
}

impl Case<'_> {
    /// Make `bytes` the case's input: for a target that turns the mutated bytes into what the reader gets
    /// (a checksum recomputed, a zip made), so that a failure writes down what the reader really read.
    pub fn replace_input(&mut self, bytes: Vec<u8>) {
        if let Some(r) = RUNNING.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            r.input = Arc::new(bytes.clone());
        }
        self.bytes = bytes;
    }
}

/// What a case came to: `Ok`, or the message of the typed error the reader returned.
pub type Outcome = Result<(), String>;

/// Totals of one target's run, printed at its end.
#[derive(Default)]
struct Totals {
    cases: usize,
    errors: usize,
    slowest: Duration,
    most_bytes: usize,
}

/// Run `target`: every seed as it is, then `default_cases` mutated inputs (see [`case_count`]), each through
/// `run`. Fails, after writing the input under [`failures_dir`], on a panic, an error without a message, or
/// a case over [`MAX_CASE_BYTES`]; aborts on a hang (see [`watchdog`]).
pub fn fuzz(target: &str, seeds: &[Seed], default_cases: usize, mut run: impl FnMut(&mut Case) -> Outcome) {
    assert!(!seeds.is_empty(), "fuzz {target}: no seeds");
    let _serial = serial();
    watchdog();
    let cases = case_count(default_cases);
    let base = run_seed() ^ fnv(target.as_bytes());
    let started = Instant::now();
    let mut totals = Totals::default();
    let mut failures: Vec<String> = Vec::new();
    let only = env_number("INCIMAP_FUZZ_ONLY").map(|n| n as usize);
    for n in 0..seeds.len() + cases {
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let mut rng = Rng::new(base ^ (n as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let (seed, bytes, label) = if n < seeds.len() {
            (&seeds[n], seeds[n].bytes.clone(), format!("seed-{}", seeds[n].name))
        } else {
            let seed = &seeds[rng.below(seeds.len())];
            let others: Vec<&[u8]> = seeds.iter().map(|s| s.bytes.as_slice()).collect();
            let bytes = mutate(&mut rng, &seed.bytes, &others);
            (seed, bytes, format!("case{n}-{}", seed.name))
        };
        let input = Arc::new(bytes.clone());
        if std::env::var("INCIMAP_FUZZ_KEEP").is_ok_and(|k| !k.is_empty() && label.starts_with(&k)) {
            eprintln!("fuzz {target}: {label} written to {}", record(target, &label, &input).display());
        }
        let mut case = Case { seed, bytes, rng, mutated: n >= seeds.len() };
        *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) = Some(Running {
            target: target.into(),
            label: label.clone(),
            input: input.clone(),
            started: Instant::now(),
        });
        let before = current();
        reset_peak();
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| run(&mut case)));
        let took = t.elapsed();
        let grew = PEAK.load(Ordering::Relaxed).saturating_sub(before);
        *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) = None;
        totals.cases += 1;
        if std::env::var("INCIMAP_FUZZ_VERBOSE").is_ok() {
            eprintln!("fuzz {target}: {label}: {outcome:?}");
        }
        if took > Duration::from_secs(1) || grew > 128 << 20 {
            eprintln!("fuzz {target}: {label} took {:.1} s and {} MiB", took.as_secs_f64(), grew >> 20);
        }
        totals.slowest = totals.slowest.max(took);
        totals.most_bytes = totals.most_bytes.max(grew);
        let problem = match outcome {
            Err(panic) => Some(format!("panicked: {}", panic_message(&panic))),
            Ok(Err(why)) if why.trim().is_empty() => Some("returned an error without a message".to_string()),
            Ok(Err(_)) => {
                totals.errors += 1;
                None
            }
            Ok(Ok(())) => None,
        };
        let problem = problem.or_else(|| {
            (grew > MAX_CASE_BYTES).then(|| format!("took {} MiB (limit {})", grew >> 20, MAX_CASE_BYTES >> 20))
        });
        if let Some(problem) = problem {
            let path = record(target, &label, &case.bytes);
            failures.push(format!("{label} {problem}; input in {}", path.display()));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    eprintln!(
        "fuzz {target}: {} cases ({} seeds) in {:.1} s, {} typed errors, slowest {:.0} ms, most memory {:.1} MiB \
         (INCIMAP_FUZZ_SEED={})",
        totals.cases,
        seeds.len(),
        started.elapsed().as_secs_f64(),
        totals.errors,
        totals.slowest.as_secs_f64() * 1000.0,
        totals.most_bytes as f64 / f64::from(1 << 20),
        run_seed(),
    );
    assert!(failures.is_empty(), "fuzz {target}: {} failing case(s):\n{}", failures.len(), failures.join("\n"));
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

/// FNV-1a, to derive each target's stream of cases from the run's seed.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}
