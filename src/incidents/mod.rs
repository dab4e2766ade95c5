//! Incidents: records read from tables (CSV/TSV, NDJSON, JSON, GeoJSON) or extracted from articles,
//! located (resolved when they name a place) and measured against the border. `map` and `stats` both
//! read their inputs through here.
//!
//! The entry point is [`read`]: it streams every input (files, directories, `-` for stdin) row by row and
//! hands each located incident and each row that could not be placed to a callback, so memory stays bounded
//! by a few batches of rows (one article for text inputs) however large the input is. [`read_batches`] hands
//! incidents over a batch at a time, for consumers that work on all cores.
//!
//! ```
//! use incimap::incidents::{self, Locator, ReadOptions};
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let resolver = incimap::resolve::Resolver::new(&gaz);
//! let border = incimap::border::BorderIndex::new(&gaz.boundaries);
//! let locator = Locator { resolver: &resolver, border: &border };
//!
//! let dir = tempfile::tempdir().unwrap();
//! let csv = dir.path().join("table.csv");
//! std::fs::write(&csv, "date,lat,lon,weapon,border_km\n02.01.2024,50.6,36.6,drone,31.2\n2024-01-03,50.6,236.6,bomb,31.2\n")
//!     .unwrap();
//! // Distances are measured with `border`; this example takes them from the table's `border_km` column instead.
//! let opts = ReadOptions { given_border_km: true, ..ReadOptions::default() };
//!
//! let (mut placed, mut failed) = (Vec::new(), Vec::new());
//! let summary = incidents::read(
//!     &[csv],
//!     &locator,
//!     &opts,
//!     |incident| {
//!         placed.push(incident);
//!         Ok(())
//!     },
//!     |unresolved| {
//!         failed.push(unresolved);
//!         Ok(())
//!     },
//! )
//! .unwrap();
//! assert_eq!((summary.incidents, summary.unresolved), (1, 1));
//! assert_eq!(placed[0].date.as_deref(), Some("2024-01-02")); // dates are normalised to ISO
//! assert_eq!(placed[0].fields["weapon"], "drone"); // every input column is kept
//! assert_eq!(placed[0].measurement.border_km, 31.2);
//! assert_eq!(failed[0].line, 3); // the longitude off the globe, with its line
//! ```

pub mod date;
mod fields;
mod json;
mod locate;
pub mod points;
pub mod schema;
pub mod sniff;
pub(crate) mod table;
mod text;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::border::{BorderIndex, Measurement};
use crate::resolve::{Candidate, Resolver, Status};

pub use fields::Fields;
pub use locate::value_text;
pub use sniff::InputKind;
pub use text::{incidents_from_mentions, incidents_from_text, merge_document};

/// How precisely an incident is located: the extractor's (mentions carry it first).
pub use crate::extract::Precision;

/// A located, measured incident.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    /// Input file (or `-`).
    pub source: String,
    /// 1-based line (tables, NDJSON) or feature/element number (JSON, GeoJSON) in the input.
    pub line: u64,
    /// Every field of the input row, as read (strings, numbers, ...).
    pub fields: Fields,
    pub date: Option<String>,
    pub weapon: Option<String>,
    /// What kind of event it is: from the text for an extracted incident, from an `event_type` column for a
    /// table row (`air_strike`, `shelling`, ... as `extract` writes them).
    pub event_type: Option<crate::extract::events::EventType>,
    pub lat: f64,
    pub lon: f64,
    pub precision: Precision,
    /// Resolution of the row's place name, when it named one.
    pub status: Option<Status>,
    pub place: Option<Candidate>,
    pub measurement: Measurement,
    /// The sentence an extracted incident came from.
    pub evidence: Option<String>,
    /// A problem with the row that did not stop it being placed (a date that cannot be read, kept as
    /// `input_date` with `date` empty), as `line: reason`; [`read`] collects it into [`Summary::notes`].
    #[serde(skip)]
    pub note: Option<String>,
}

impl Incident {
    /// The value of input column `name` as text (numbers are formatted), when present and not empty.
    pub fn field_str(&self, name: &str) -> Option<String> {
        self.field_text(name).map(std::borrow::Cow::into_owned)
    }

    /// [`Incident::field_str`] without copying text fields.
    pub fn field_text(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        value_text(self.fields.get(name)?)
    }
}

/// An input row or mention that could not be placed.
#[derive(Debug, Clone, Serialize)]
pub struct Unresolved {
    pub source: String,
    pub line: u64,
    /// The place text or the raw row, shortened.
    pub input: String,
    pub reason: String,
}

/// What [`read`] needs to place and measure incidents.
#[derive(Clone, Copy)]
pub struct Locator<'a> {
    pub resolver: &'a Resolver<'a>,
    pub border: &'a BorderIndex,
}

/// Options of [`read`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Make every unresolved row a fatal error ([`ReadError::Strict`]).
    pub strict: bool,
    /// Date used to resolve relative dates ("yesterday") in text articles.
    pub report_date: Option<chrono::NaiveDate>,
    /// Treat every input as this kind instead of recognising it from its name and contents.
    pub kind: Option<InputKind>,
    /// Take each row's distance from its `border_km` field (as written by `incimap map`) instead of measuring
    /// it: such rows are not measured at all (`measurement.country` is `None`, `nearest_border` NaN); rows
    /// without a usable `border_km` are measured. The point must still be locatable and valid.
    pub given_border_km: bool,
    /// Largest text article read whole, in bytes (tables and JSON stream and have no limit).
    pub max_text_bytes: u64,
    /// Longest line accepted in a table or NDJSON file, in bytes (guards against binary or one-line files).
    pub max_line_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            strict: false,
            report_date: None,
            kind: None,
            given_border_km: false,
            max_text_bytes: 16 << 20,
            max_line_bytes: 1 << 20,
        }
    }
}

/// Totals of one [`read`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Input files read (stdin counts as one).
    pub files: u64,
    pub incidents: u64,
    pub unresolved: u64,
    /// Placed rows that had a problem (see [`Incident::note`]), and the first [`MAX_NOTES`] of them as
    /// `source:line: reason`.
    pub noted: u64,
    pub notes: Vec<String>,
    /// Rows that are no incidents and were left out (context mentions of `extract` output).
    pub skipped: u64,
}

/// Notes kept word for word in [`Summary::notes`]; the rest are counted.
pub const MAX_NOTES: usize = 20;

/// Why reading stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A whole input is unusable (empty, binary, not UTF-8, broken JSON, too large).
    #[error("{path}: {why}")]
    BadInput { path: String, why: String },
    #[error("no inputs given")]
    NoInputs,
    /// Nothing can be located or measured (e.g. a gazetteer without the border line).
    #[error("{0}")]
    Unusable(String),
    /// `--strict`: the first row that could not be placed.
    #[error("{}:{}: {} ({}) [--strict]", .0.source, .0.line, .0.reason, .0.input)]
    Strict(Unresolved),
    /// A callback failed (e.g. writing the output).
    #[error(transparent)]
    Sink(anyhow::Error),
}

/// Read every input in `paths` (files; directories, walked in name order; `-` for stdin), locate and measure
/// each row, and pass each [`Incident`] to `on_incident` and each row that could not be placed to
/// `on_unresolved`, in input order. Stops at the first error a callback returns, at a file that cannot be read
/// as its kind, and (with [`ReadOptions::strict`]) at the first unresolved row.
///
/// Tables: CSV/TSV/semicolon-separated with a header naming any of `date, place, region, country, lat, lon,
/// weapon, source, notes` (`latitude`/`longitude`/`lng` accepted; other columns are kept in `fields`).
/// NDJSON/GeoJSONSeq, JSON arrays of objects and GeoJSON FeatureCollections of points are read the same way.
/// Anything else is a text article, geoparsed by [`incidents_from_text`].
pub fn read<I, U>(
    paths: &[PathBuf],
    locator: &Locator,
    opts: &ReadOptions,
    mut on_incident: I,
    mut on_unresolved: U,
) -> Result<Summary, ReadError>
where
    I: FnMut(Incident) -> anyhow::Result<()>,
    U: FnMut(Unresolved) -> anyhow::Result<()>,
{
    read_into(paths, locator, opts, Incidents::Each(&mut on_incident), &mut on_unresolved)
}

/// [`read`], handing incidents over in batches (in input order, each batch in order) instead of one by one:
/// the form for consumers that process many incidents at once on all cores, such as
/// [`crate::layers::LayerWriter::add_incidents`]. A batch holds at most a few thousand incidents, so memory
/// stays bounded. Rows that cannot be placed go to `on_unresolved` as they are found (a batch's unresolved
/// rows before its incidents).
///
/// ```
/// use incimap::incidents::{self, Locator, ReadOptions};
/// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
/// let resolver = incimap::resolve::Resolver::new(&gaz);
/// let border = incimap::border::BorderIndex::new(&gaz.boundaries);
/// let locator = Locator { resolver: &resolver, border: &border };
/// let dir = tempfile::tempdir().unwrap();
/// let csv = dir.path().join("t.csv");
/// std::fs::write(&csv, "lat,lon\n50.6,36.6\n51.2,35.3\n").unwrap();
/// let mut lines = Vec::new();
/// incidents::read_batches(&[csv], &locator, &ReadOptions::default(), |batch| {
///     lines.extend(batch.iter().map(|i| i.line));
///     Ok(())
/// }, |_| Ok(())).unwrap();
/// assert_eq!(lines, [2, 3]);
/// ```
pub fn read_batches<B, U>(
    paths: &[PathBuf],
    locator: &Locator,
    opts: &ReadOptions,
    mut on_batch: B,
    mut on_unresolved: U,
) -> Result<Summary, ReadError>
where
    B: FnMut(Vec<Incident>) -> anyhow::Result<()>,
    U: FnMut(Unresolved) -> anyhow::Result<()>,
{
    let incidents = Incidents::Batches { pending: Vec::new(), on_batch: &mut on_batch };
    read_into(paths, locator, opts, incidents, &mut on_unresolved)
}

fn read_into<'s>(
    paths: &[PathBuf],
    locator: &Locator,
    opts: &'s ReadOptions,
    incidents: Incidents<'s>,
    on_unresolved: &'s mut dyn FnMut(Unresolved) -> anyhow::Result<()>,
) -> Result<Summary, ReadError> {
    if paths.is_empty() {
        return Err(ReadError::NoInputs);
    }
    let inputs = sniff::expand(paths)?;
    let mut sink = Sink { opts, summary: Summary::default(), incidents, on_unresolved, document: Vec::new() };
    // One extractor for every article of the run, so its caches (names, regions, border distances) serve
    // them all.
    let extractor = crate::extract::Extractor::new(locator.resolver, Some(locator.border));
    for input in &inputs {
        sink.summary.files += 1;
        read_one(input, locator, &extractor, opts, &mut sink)?;
        sink.release()?;
        sink.flush()?;
    }
    Ok(sink.summary)
}

/// One row of a table, unlocated: its fields under the producer's [`schema::Schema`], for geoparsing a text
/// column (`extract --text-column`).
#[derive(Debug, Clone)]
pub struct TableRow {
    /// 1-based line where the row starts.
    pub line: u64,
    pub schema: &'static schema::Schema,
    pub fields: Fields,
}

impl TableRow {
    /// The first of `names` present with a non-empty value, as text.
    pub fn text(&self, names: &[&str]) -> Option<std::borrow::Cow<'_, str>> {
        names.iter().find_map(|n| self.fields.get(n)).and_then(value_text)
    }

    /// The coordinates the row gives under its schema, when both parse as numbers within range.
    pub fn coordinates(&self) -> Option<(f64, f64)> {
        let number = |names: &[&str]| self.text(names)?.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        let (lat, lon) = (number(self.schema.lat)?, number(self.schema.lon)?);
        (lat.abs() <= 90.0 && lon.abs() <= 180.0).then_some((lat, lon))
    }
}

/// Read the rows of one table (a file or `-`) without locating them, in order: each row, or why it cannot be
/// read (a row of the wrong length), goes to `each`. An input that is not a table is a [`ReadError::BadInput`].
pub fn read_rows(
    path: &Path,
    opts: &ReadOptions,
    mut each: impl FnMut(Result<TableRow, Unresolved>) -> anyhow::Result<()>,
) -> Result<(), ReadError> {
    let input = if path.as_os_str() == "-" { Input::Stdin } else { Input::File(path.to_path_buf()) };
    let name = input.name();
    let (reader, kind) = open(&input, opts)?;
    if !matches!(kind, InputKind::Csv | InputKind::Tsv | InputKind::Semicolon) {
        let why = "not a table with a header (a text column is read from CSV or TSV tables)".to_string();
        return Err(ReadError::BadInput { path: name, why });
    }
    table::read_rows(reader, kind, &name, opts.max_line_bytes, &mut |schema, row| {
        each(row.map(|(line, fields)| TableRow { line, schema, fields })).map_err(ReadError::Sink)
    })
}

/// [`read`] into vectors: convenient for small inputs and tests.
pub fn read_all(
    paths: &[PathBuf],
    locator: &Locator,
    opts: &ReadOptions,
) -> Result<(Vec<Incident>, Vec<Unresolved>, Summary), ReadError> {
    let (mut placed, mut failed) = (Vec::new(), Vec::new());
    let summary = read(
        paths,
        locator,
        opts,
        |i| {
            placed.push(i);
            Ok(())
        },
        |u| {
            failed.push(u);
            Ok(())
        },
    )?;
    Ok((placed, failed, summary))
}

/// Incidents handed over in batches of at most this many (see [`read_batches`]).
pub(crate) const BATCH: usize = 4096;

/// How the caller takes incidents.
enum Incidents<'s> {
    /// One by one ([`read`]).
    Each(&'s mut dyn FnMut(Incident) -> anyhow::Result<()>),
    /// In batches ([`read_batches`]): collected in `pending` until a reader says a batch is complete.
    Batches { pending: Vec<Incident>, on_batch: &'s mut dyn FnMut(Vec<Incident>) -> anyhow::Result<()> },
}

/// Where located rows go: counts them, applies `strict`, forwards to the caller's callbacks.
pub(crate) struct Sink<'s> {
    opts: &'s ReadOptions,
    summary: Summary,
    incidents: Incidents<'s>,
    on_unresolved: &'s mut dyn FnMut(Unresolved) -> anyhow::Result<()>,
    /// The incidents of the document being read, held to be merged (see [`Sink::incident`]).
    document: Vec<Incident>,
}

/// A document's incidents held at most: a longer one is merged in parts, so memory stays bounded.
const MAX_DOCUMENT: usize = 100_000;

impl Sink<'_> {
    /// Take an incident. Incidents of a document's mentions (an article's, or `extract` output's read back)
    /// are held until the document ends, then merged ([`merge_document`]) and passed on.
    pub(crate) fn incident(&mut self, incident: Incident) -> Result<(), ReadError> {
        if !incident.fields.contains_key("mention") {
            self.release()?;
            return self.deliver(incident);
        }
        if self.document.first().is_some_and(|d| d.source != incident.source) || self.document.len() >= MAX_DOCUMENT {
            self.release()?;
        }
        self.document.push(incident);
        Ok(())
    }

    /// Pass on the held document's incidents, merged.
    pub(crate) fn release(&mut self) -> Result<(), ReadError> {
        for incident in merge_document(std::mem::take(&mut self.document)) {
            self.deliver(incident)?;
        }
        Ok(())
    }

    /// Note a problem of `source` at `line` that lost nothing (see [`Summary::notes`]).
    pub(crate) fn note(&mut self, source: &str, line: u64, note: &str) {
        self.summary.noted += 1;
        if self.summary.notes.len() < MAX_NOTES {
            self.summary.notes.push(format!("{source}:{line}: {note}"));
        }
    }

    fn deliver(&mut self, mut incident: Incident) -> Result<(), ReadError> {
        self.summary.incidents += 1;
        if let Some(note) = incident.note.take() {
            self.note(&incident.source, incident.line, &note);
        }
        match &mut self.incidents {
            Incidents::Each(on_incident) => on_incident(incident).map_err(ReadError::Sink),
            Incidents::Batches { pending, .. } => {
                pending.push(incident);
                if pending.len() >= BATCH { self.flush() } else { Ok(()) }
            }
        }
    }

    /// Hand the incidents collected so far to a batch consumer (readers call this at the end of each batch
    /// of rows, so a batch follows the input's own batches).
    pub(crate) fn flush(&mut self) -> Result<(), ReadError> {
        match &mut self.incidents {
            Incidents::Batches { pending, on_batch } if !pending.is_empty() => {
                on_batch(std::mem::replace(pending, Vec::with_capacity(BATCH))).map_err(ReadError::Sink)
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn unresolved(&mut self, unresolved: Unresolved) -> Result<(), ReadError> {
        if self.opts.strict {
            return Err(ReadError::Strict(unresolved));
        }
        self.summary.unresolved += 1;
        (self.on_unresolved)(unresolved).map_err(ReadError::Sink)
    }

    pub(crate) fn located(&mut self, r: Result<Incident, locate::NotPlaced>) -> Result<(), ReadError> {
        match r {
            Ok(i) => self.incident(i),
            Err(locate::NotPlaced::Row(u)) => self.unresolved(u),
            Err(locate::NotPlaced::Skip) => {
                self.summary.skipped += 1;
                Ok(())
            }
            Err(locate::NotPlaced::Fatal(why)) => Err(ReadError::Unusable(why)),
        }
    }
}

/// One input: a file path, or stdin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub(crate) fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }

    fn path(&self) -> Option<&Path> {
        match self {
            Input::Stdin => None,
            Input::File(p) => Some(p),
        }
    }
}

/// An input opened for reading, and its kind (forced by `opts`, else recognised by its name and contents).
fn open(
    input: &Input,
    opts: &ReadOptions,
) -> Result<(std::io::BufReader<Box<dyn std::io::Read>>, InputKind), ReadError> {
    let name = input.name();
    let io_err = |source| ReadError::Io { path: name.clone(), source };
    let raw: Box<dyn std::io::Read> = match input {
        Input::Stdin => Box::new(std::io::stdin().lock()),
        Input::File(p) => Box::new(std::fs::File::open(p).map_err(io_err)?),
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, raw);
    let kind = match opts.kind {
        Some(k) => k,
        None => sniff::recognise(input.path(), &mut reader).map_err(|e| match e {
            sniff::SniffError::Io(e) => io_err(e),
            sniff::SniffError::Bad(why) => ReadError::BadInput { path: name.clone(), why },
        })?,
    };
    Ok((reader, kind))
}

fn read_one(
    input: &Input,
    locator: &Locator,
    extractor: &crate::extract::Extractor,
    opts: &ReadOptions,
    sink: &mut Sink,
) -> Result<(), ReadError> {
    let name = input.name();
    let (reader, kind) = open(input, opts)?;
    let ctx = locate::Context { source: &name, schema: &schema::INCIMAP, locator, opts };
    match kind {
        InputKind::Csv | InputKind::Tsv | InputKind::Semicolon => table::read(reader, kind, &ctx, sink),
        InputKind::Ndjson => json::read_lines(reader, &ctx, sink),
        InputKind::Json => json::read_document(reader, &ctx, sink),
        InputKind::Text => text::read(reader, &ctx, extractor, sink),
    }
}
