//! CSV/TSV/semicolon tables with a header row, streamed record by record.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::rc::Rc;

use compact_str::CompactString;
use rayon::prelude::*;
use serde_json::Value;
use std::sync::Arc;

use super::locate::{Context, NotPlaced, is_known_column};
use super::schema::Schema;
use super::{Fields, Incident, InputKind, ReadError, Sink};

/// The CSV dialect of a table of `kind`: its delimiter, rows of any length (the caller checks them), the
/// header read as a record, quotes honoured except in TSV. The user's places file is read with it too.
pub(crate) fn reader_builder(kind: InputKind) -> csv::ReaderBuilder {
    let delimiter = match kind {
        InputKind::Tsv => b'\t',
        InputKind::Semicolon => b';',
        _ => b',',
    };
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        // TSV exports rarely quote; a stray quote must not swallow the rest of the file.
        .quoting(kind != InputKind::Tsv);
    builder
}

/// A table opened for reading: its records to come, where its newlines are, its header and schema.
struct Table<R> {
    csv: csv::Reader<LineLimit<R>>,
    newlines: Rc<RefCell<Newlines>>,
    header: Vec<String>,
    schema: &'static Schema,
}

/// Open a table of `kind`: lines capped at `max_line_bytes`, the header read and its schema recognised.
fn open<R: BufRead>(reader: R, kind: InputKind, source: &str, max_line_bytes: usize) -> Result<Table<R>, ReadError> {
    let newlines = Rc::new(RefCell::new(Newlines::default()));
    let limited = LineLimit {
        inner: reader,
        max: max_line_bytes,
        run: 0,
        offset: 0,
        blank: true,
        newlines: Some(newlines.clone()),
    };
    let mut csv = reader_builder(kind).from_reader(limited);
    let mut record = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut record).map_err(|e| csv_error(source, e))? {
        return Err(ReadError::BadInput { path: source.to_string(), why: "empty table".into() });
    }
    let header = header_names(&record);
    let schema = Schema::recognise(header.iter().map(String::as_str));
    Ok(Table { csv, newlines, header, schema })
}

/// A csv error of `source` as a reading error.
fn csv_error(source: &str, e: csv::Error) -> ReadError {
    let why = match e.into_kind() {
        csv::ErrorKind::Io(e) => e.to_string(),
        other => format!("{other:?}"),
    };
    ReadError::BadInput { path: source.to_string(), why }
}

pub(crate) fn read<R: BufRead>(reader: R, kind: InputKind, ctx: &Context, sink: &mut Sink) -> Result<(), ReadError> {
    let Table { mut csv, newlines, header, schema } = open(reader, kind, ctx.source, ctx.opts.max_line_bytes)?;
    let bad = |why: String| ReadError::BadInput { path: ctx.source.to_string(), why };
    let csv_err = |e: csv::Error| csv_error(ctx.source, e);
    if !header.iter().any(|h| schema.locates(h)) {
        return Err(bad(format!(
            "table header has no location column (lat/lon, place or region): {}",
            header.join(",")
        )));
    }
    let ctx = &Context { schema, ..*ctx };

    // Records are read in order on this thread, in batches. Turning them into incidents (the costly part:
    // fields, dates, resolution, measurement) runs on all cores on a helper thread while the next batch is
    // read; results go to the sink on this thread, in input order. At most `IN_FLIGHT` batches are out at
    // once, so memory stays bounded; their record buffers come back to be reused.
    let header = &header;
    let columns = &Columns::new(header);
    std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<Batch>(IN_FLIGHT);
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<(Rows, Batch)>(IN_FLIGHT);
        scope.spawn(move || {
            for batch in raw_rx {
                let rows: Rows = batch
                    .par_iter()
                    .with_min_len(64)
                    .map(|(line, rec)| row(ctx, header, columns, *line, rec))
                    .collect();
                if done_tx.send((rows, batch)).is_err() {
                    return; // the reader stopped (an error): nothing more is wanted
                }
            }
        });
        let mut spare: Vec<Batch> = Vec::new();
        let mut in_flight = 0;
        let mut deliver = |(rows, batch): (Rows, Batch), spare: &mut Vec<Batch>| -> Result<(), ReadError> {
            for r in rows.into_iter().flatten() {
                sink.located(r)?;
            }
            sink.flush()?;
            spare.push(batch); // its records are reused (their buffers stay allocated)
            Ok(())
        };
        loop {
            let mut records = spare.pop().unwrap_or_default();
            let mut filled = 0;
            while filled < BATCH {
                if filled == records.len() {
                    records.push((0, csv::ByteRecord::new()));
                }
                let (line, record) = &mut records[filled];
                if !csv.read_byte_record(record).map_err(csv_err)? {
                    break;
                }
                // csv's own line count skips blank lines; count the newlines before the record's first byte.
                *line = newlines.borrow_mut().line_at(record.position().map_or(0, |p| p.byte()));
                filled += 1;
            }
            records.truncate(filled);
            let last = filled < BATCH;
            if filled > 0 {
                // The helper only stops early when this thread has gone, so sending cannot fail here.
                let _ = raw_tx.send(records);
                in_flight += 1;
            }
            while in_flight > 0 && (in_flight >= IN_FLIGHT || last) {
                let Ok(done) = done_rx.recv() else { break };
                in_flight -= 1;
                deliver(done, &mut spare)?;
            }
            if last {
                return Ok(());
            }
        }
    })
}

/// A row's line and fields, or why the row cannot be read.
pub(crate) type RowFields = Result<(u64, Fields), super::Unresolved>;

/// The rows of a table as fields, unlocated (for `extract --text-column`), in order: each row with its line,
/// or why it cannot be read. Returns the table's schema after the last row.
pub(crate) fn read_rows<R: BufRead>(
    reader: R,
    kind: InputKind,
    source: &str,
    max_line_bytes: usize,
    each: &mut dyn FnMut(&'static Schema, RowFields) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    let Table { mut csv, newlines, header, schema } = open(reader, kind, source, max_line_bytes)?;
    let csv_err = |e: csv::Error| csv_error(source, e);
    let mut record = csv::ByteRecord::new();
    let columns = Columns::new(&header);
    while csv.read_byte_record(&mut record).map_err(csv_err)? {
        let line = newlines.borrow_mut().line_at(record.position().map_or(0, |p| p.byte()));
        let Some(row) = row_fields(source, &header, &columns, line, &record) else { continue };
        each(schema, row)?;
    }
    Ok(())
}

/// A header record's column names: known columns under their canonical lower-case name, others as written,
/// unnamed ones as `column_N`.
fn header_names(record: &csv::ByteRecord) -> Vec<String> {
    record
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let h = String::from_utf8_lossy(h);
            let h = h.trim_start_matches('\u{feff}').trim();
            let lower = h.to_ascii_lowercase();
            if is_known_column(&lower) {
                lower
            } else if h.is_empty() {
                format!("column_{}", i + 1)
            } else {
                h.to_string()
            }
        })
        .collect()
}

/// Rows handed to the worker threads at once.
const BATCH: usize = super::BATCH;
/// Batches read ahead of the one being delivered.
const IN_FLIGHT: usize = 2;

type Batch = Vec<(u64, csv::ByteRecord)>;
type Rows = Vec<Option<Result<Incident, NotPlaced>>>;

/// The columns of a table as rows store them: names in order (a repeated name keeps its last column, as a
/// map of the row would), shared by every row, and the record index each is read from.
struct Columns {
    names: Arc<[CompactString]>,
    index: Vec<usize>,
}

impl Columns {
    fn new(header: &[String]) -> Columns {
        let mut order: Vec<(&str, usize)> = header.iter().map(String::as_str).zip(0..).collect();
        order.sort(); // by name, then by column: the last of equal names comes last
        let mut kept: Vec<(&str, usize)> = Vec::with_capacity(order.len());
        for (name, i) in order {
            match kept.last_mut() {
                Some(last) if last.0 == name => last.1 = i,
                _ => kept.push((name, i)),
            }
        }
        Columns {
            names: kept.iter().map(|&(n, _)| CompactString::from(n)).collect(),
            index: kept.iter().map(|&(_, i)| i).collect(),
        }
    }
}

/// One record → an incident, a row that cannot be placed, or `None` for a blank line.
fn row(
    ctx: &Context,
    header: &[String],
    columns: &Columns,
    line: u64,
    record: &csv::ByteRecord,
) -> Option<Result<Incident, NotPlaced>> {
    Some(match row_fields(ctx.source, header, columns, line, record)? {
        Ok((line, fields)) => ctx.locate(line, fields, None),
        Err(u) => Err(u.into()),
    })
}

/// One record → its fields, a row of the wrong length, or `None` for a blank line.
fn row_fields(
    source: &str,
    header: &[String],
    columns: &Columns,
    line: u64,
    record: &csv::ByteRecord,
) -> Option<RowFields> {
    if record.len() == 1 && record[0].iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    if record.len() != header.len() {
        let input = super::locate::shorten(&String::from_utf8_lossy(record.as_slice()));
        let reason = format!("row has {} fields, the header has {}", record.len(), header.len());
        return Some(Err(super::Unresolved { source: source.to_string(), line, input, reason }));
    }
    Some(Ok((line, Fields::from_checked(columns.names.clone(), cell_values(record, columns)))))
}

/// A record's cells as strings, in the order of `columns`, trimmed.
fn cell_values(record: &csv::ByteRecord, columns: &Columns) -> Vec<Value> {
    // One UTF-8 check for the whole record; every cell must also start and end on a character boundary
    // (two cells could each hold half of a character). A row that is not UTF-8 is read as Windows-1252, the
    // encoding spreadsheets save CSV in on Western Windows (UCDP's files are so encoded): every byte is a
    // character there, so nothing is lost or refused.
    let text = std::str::from_utf8(record.as_slice()).ok();
    let cell = |i: usize| text.and_then(|t| t.get(record.range(i)?));
    let value = |i: usize| match cell(i) {
        Some(c) => Value::String(c.trim().to_string()),
        None => Value::String(decode_windows_1252(record.get(i).unwrap_or_default()).trim().to_string()),
    };
    columns.index.iter().map(|&i| value(i)).collect()
}

/// Windows-1252 bytes as text (the five bytes the code page leaves undefined read as their C1 controls).
pub(crate) fn decode_windows_1252(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    text.into_owned()
}

/// Newline positions seen by [`LineLimit`] but not yet passed by a record, to number records by file line.
/// Holds at most the newlines of the csv reader's read-ahead buffer.
#[derive(Default)]
pub(crate) struct Newlines {
    /// Offset of each newline, and whether it ends a blank line (nothing or `\r` before it).
    pending: VecDeque<(u64, bool)>,
    /// Newlines before every offset already asked about.
    passed: u64,
}

impl Newlines {
    /// The 1-based line of byte `offset` (offsets must not decrease between calls).
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.pending.front().is_some_and(|&(n, _)| n < offset) {
            self.pending.pop_front();
            self.passed += 1;
        }
        // csv reports a record where the previous one's terminator began: step over the rest of that
        // terminator and any blank lines.
        let mut at = offset;
        while let Some(&(n, empty)) = self.pending.front() {
            if n == at || (empty && n >= at) {
                self.pending.pop_front();
                self.passed += 1;
                at = n + 1;
            } else {
                break;
            }
        }
        self.passed + 1
    }
}

/// Refuses lines longer than `max` bytes, so a binary or newline-free file cannot grow one record without bound;
/// notes where the newlines are.
pub(crate) struct LineLimit<R> {
    inner: R,
    max: usize,
    /// Bytes since the last newline.
    run: usize,
    /// Bytes read so far.
    offset: u64,
    /// Whether the current line holds nothing but `\r` so far.
    blank: bool,
    /// Where the newlines are, for a reader that asks ([`Newlines::line_at`] keeps it short); `None` when no one
    /// asks, so that nothing accumulates.
    newlines: Option<Rc<RefCell<Newlines>>>,
}

impl<R> LineLimit<R> {
    /// Refuse lines longer than `max` bytes of `inner`, and note nothing else.
    pub(crate) fn capped(inner: R, max: usize) -> LineLimit<R> {
        LineLimit { inner, max, run: 0, offset: 0, blank: true, newlines: None }
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let data = &buf[..n];
        let mut newlines = self.newlines.as_ref().map(|n| n.borrow_mut());
        let too_long = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a line is longer than {} bytes: not a table", self.max),
            )
        };
        // Whole lines at a time: memchr finds the newlines; a line's other bytes only add to its length.
        let mut start = 0;
        for at in memchr::memchr_iter(b'\n', data) {
            let line = &data[start..at];
            self.run += line.len();
            if self.run > self.max {
                return Err(too_long());
            }
            let blank = self.blank && line.iter().all(|&b| b == b'\r');
            if let Some(n) = newlines.as_mut() {
                n.pending.push_back((self.offset + at as u64, blank));
            }
            self.run = 0;
            self.blank = true;
            start = at + 1;
        }
        let rest = &data[start..];
        self.run += rest.len();
        if self.run > self.max {
            return Err(too_long());
        }
        self.blank &= rest.iter().all(|&b| b == b'\r');
        self.offset += n as u64;
        Ok(n)
    }
}
