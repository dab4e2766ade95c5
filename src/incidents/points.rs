//! Streaming point input for `incimap distance --input`: CSV/TSV/semicolon tables with `lat`/`lon` (or
//! `latitude`/`longitude`) columns, or NDJSON objects with those keys; any other columns are allowed and
//! ignored, except a `name` (else `place`, else `id`) column, whose value is carried along to label the result.
//!
//! Inputs are opened and recognised as `map` and `stats` open theirs ([`open_points`]: empty and binary
//! inputs refused, the layout told by name and first bytes, a UTF-8 BOM skipped) and every line is capped at
//! [`ReadOptions::max_line_bytes`], so memory stays bounded whatever the input. Rows are read one at a time. A
//! row that cannot be measured becomes a [`BadRow`] with its line number and the reason; see
//! [`crate::border::points::check_coordinates`] for the rule.
//!
//! ```
//! use incimap::incidents::InputKind;
//! use incimap::incidents::points::PointReader;
//! let data = "id,latitude,longitude\nA,50.6,36.6\nB,,36.6\n";
//! let mut reader = PointReader::new(data.as_bytes(), "pts.csv", InputKind::Csv, 1 << 20).unwrap();
//! let first = reader.next().unwrap().unwrap().unwrap();
//! assert_eq!((first.line, first.name.as_deref(), first.lat), (2, Some("A"), 50.6));
//! let second = reader.next().unwrap().unwrap().unwrap_err();
//! assert_eq!(second.line, 3);
//! ```

use std::io::{BufRead, Read};
use std::path::Path;

use super::table::LineLimit;
use super::{Input, InputKind, ReadError, ReadOptions};

/// Open a point input (a file or `-`) as `map` opens its inputs, and tell its layout: `forced` when given, else
/// from its name and first bytes. Empty and binary inputs, and inputs that are neither a table nor NDJSON, are
/// refused; the layout returned is a table's (`Csv`, `Tsv`, `Semicolon`) or `Ndjson` (a JSON document of one
/// object on one line is NDJSON of one row).
pub fn open_points(
    path: &Path,
    forced: Option<InputKind>,
    opts: &ReadOptions,
) -> Result<(impl BufRead + use<>, InputKind), ReadError> {
    let input = if path.as_os_str() == "-" { Input::Stdin } else { Input::File(path.to_path_buf()) };
    let (reader, kind) = super::open(&input, &ReadOptions { kind: forced, ..opts.clone() })?;
    match kind {
        InputKind::Json => Ok((reader, InputKind::Ndjson)),
        InputKind::Text => {
            let why = "neither a table with lat/lon columns nor NDJSON".to_string();
            Err(ReadError::BadInput { path: input.name(), why })
        }
        table_or_lines => Ok((reader, table_or_lines)),
    }
}

/// A row with usable coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    /// 1-based line of the input where the row starts.
    pub line: u64,
    /// The row's `name` (else `place`, else `id`) value, when the input has such a column and it is not empty.
    pub name: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {why}")]
pub struct BadRow {
    /// The input's name (`-` is shown as `stdin`).
    pub file: String,
    pub line: u64,
    pub why: String,
}

/// A failure that stops reading the input (unlike a [`BadRow`], which only skips one row).
#[derive(Debug, thiserror::Error)]
pub enum PointsError {
    #[error("{file}: cannot read: {error}")]
    Io { file: String, error: std::io::Error },
    #[error("{file}: {why}")]
    Header { file: String, why: String },
    #[error("{file}: {why}")]
    TooLong { file: String, why: String },
}

/// Column names recognised for latitude, longitude and the label (case-insensitive).
const LAT_NAMES: [&str; 2] = ["lat", "latitude"];
const LON_NAMES: [&str; 4] = ["lon", "longitude", "lng", "long"];
const NAME_NAMES: [&str; 3] = ["name", "place", "id"];

enum Inner<R: BufRead> {
    Table { reader: csv::Reader<LineLimit<R>>, record: csv::ByteRecord, lat: usize, lon: usize, name: Option<usize> },
    Ndjson { reader: R, buf: Vec<u8>, line: u64, max: usize },
}

/// Streams the rows of one point input. Yields `Ok(Ok(row))`, `Ok(Err(bad_row))` for a skipped row, or
/// `Err(..)` when the input cannot be read further.
pub struct PointReader<R: BufRead> {
    inner: Inner<R>,
    source: String,
    done: bool,
}

fn find_column(headers: &csv::ByteRecord, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|want| {
        headers.iter().position(|h| {
            let h = String::from_utf8_lossy(h);
            h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(want)
        })
    })
}

impl<R: BufRead> PointReader<R> {
    /// Start reading `input` (named `source` in messages) in the given format, refusing lines longer than
    /// `max_line_bytes`. For a table this reads the header and fails when it has no latitude or longitude column.
    pub fn new(input: R, source: &str, kind: InputKind, max_line_bytes: usize) -> Result<PointReader<R>, PointsError> {
        let source = if source == "-" { "stdin".to_string() } else { source.to_string() };
        let inner = match kind {
            InputKind::Ndjson | InputKind::Json => {
                Inner::Ndjson { reader: input, buf: Vec::new(), line: 0, max: max_line_bytes }
            }
            InputKind::Text => {
                let why = "neither a table with lat/lon columns nor NDJSON".to_string();
                return Err(PointsError::Header { file: source, why });
            }
            InputKind::Csv | InputKind::Tsv | InputKind::Semicolon => {
                // The dialect `map` reads tables in, with the header as headers.
                let mut reader = super::table::reader_builder(kind)
                    .has_headers(true)
                    .from_reader(LineLimit::capped(input, max_line_bytes));
                let headers = match reader.byte_headers() {
                    Ok(h) => h.clone(),
                    Err(e) => {
                        return Err(PointsError::Header { file: source, why: format!("cannot read the header: {e}") });
                    }
                };
                let (Some(lat), Some(lon)) = (find_column(&headers, &LAT_NAMES), find_column(&headers, &LON_NAMES))
                else {
                    return Err(PointsError::Header {
                        file: source,
                        why: "the header has no lat/lon (or latitude/longitude) columns".into(),
                    });
                };
                let name = find_column(&headers, &NAME_NAMES);
                Inner::Table { reader, record: csv::ByteRecord::new(), lat, lon, name }
            }
        };
        Ok(PointReader { inner, source, done: false })
    }

    /// The input's name as used in messages.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn bad(&self, line: u64, why: impl Into<String>) -> Option<Result<Result<PointRow, BadRow>, PointsError>> {
        Some(Ok(Err(BadRow { file: self.source.clone(), line, why: why.into() })))
    }
}

/// Parse a coordinate field (surrounding spaces allowed; a decimal comma is not).
fn parse_coordinate(field: &[u8]) -> Result<f64, String> {
    let text = std::str::from_utf8(field).map_err(|_| "not UTF-8".to_string())?.trim();
    if text.is_empty() {
        return Err("empty".into());
    }
    text.parse::<f64>().map_err(|_| format!("{text:?} is not a number"))
}

impl<R: BufRead> Iterator for PointReader<R> {
    type Item = Result<Result<PointRow, BadRow>, PointsError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match &mut self.inner {
            Inner::Table { reader, record, lat, lon, name } => {
                let (lat_i, lon_i, name_i) = (*lat, *lon, *name);
                match reader.read_byte_record(record) {
                    Ok(false) => {
                        self.done = true;
                        None
                    }
                    Err(e) => {
                        let line = e.position().map(|p| p.line()).unwrap_or(0);
                        if let csv::ErrorKind::Io(_) = e.kind() {
                            self.done = true;
                            let error = std::io::Error::other(e.to_string());
                            return Some(Err(PointsError::Io { file: self.source.clone(), error }));
                        }
                        // Not UTF-8 or similar: skip the row.
                        self.bad(line, format!("unreadable row ({e})"))
                    }
                    Ok(true) => {
                        let line = record.position().map(|p| p.line()).unwrap_or(0);
                        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                            return self.next(); // blank line
                        }
                        let field = |i: usize| record.get(i).unwrap_or(&[]);
                        let lat = match parse_coordinate(field(lat_i)) {
                            Ok(v) => v,
                            Err(why) => return self.bad(line, format!("latitude {why}")),
                        };
                        let lon = match parse_coordinate(field(lon_i)) {
                            Ok(v) => v,
                            Err(why) => return self.bad(line, format!("longitude {why}")),
                        };
                        let name = name_i
                            .map(|i| String::from_utf8_lossy(field(i)).trim().to_string())
                            .filter(|n| !n.is_empty());
                        Some(Ok(Ok(PointRow { line, name, lat, lon })))
                    }
                }
            }
            Inner::Ndjson { reader, buf, line, max } => {
                buf.clear();
                let max = *max;
                match reader.by_ref().take(max as u64 + 1).read_until(b'\n', buf) {
                    Ok(0) => {
                        self.done = true;
                        None
                    }
                    Err(error) => {
                        self.done = true;
                        Some(Err(PointsError::Io { file: self.source.clone(), error }))
                    }
                    Ok(_) if buf.len() > max && buf.last() != Some(&b'\n') => {
                        self.done = true;
                        let why = format!("line {} is longer than {max} bytes: not NDJSON", *line + 1);
                        Some(Err(PointsError::TooLong { file: self.source.clone(), why }))
                    }
                    Ok(_) => {
                        *line += 1;
                        let line = *line;
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            return self.next();
                        }
                        let text = if line == 1 { buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(buf) } else { buf };
                        let row = parse_ndjson(text, line);
                        Some(Ok(row.map_err(|why| BadRow { file: self.source.clone(), line, why })))
                    }
                }
            }
        }
    }
}

/// One NDJSON line: an object with numeric (or numeric-string) `lat`/`lon` or `latitude`/`longitude`.
fn parse_ndjson(bytes: &[u8], line: u64) -> Result<PointRow, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON ({e})"))?;
    let serde_json::Value::Object(map) = value else {
        return Err("not a JSON object".into());
    };
    let get = |names: &[&str]| names.iter().find_map(|n| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)));
    let coordinate = |names: &[&str], what: &str| -> Result<f64, String> {
        match get(names).map(|(_, v)| v) {
            None | Some(serde_json::Value::Null) => Err(format!("{what} is missing")),
            Some(serde_json::Value::Number(n)) => n.as_f64().ok_or_else(|| format!("{what} {n} is not a number")),
            Some(serde_json::Value::String(s)) => parse_coordinate(s.as_bytes()).map_err(|why| format!("{what} {why}")),
            Some(other) => Err(format!("{what} {other} is not a number")),
        }
    };
    let lat = coordinate(&LAT_NAMES, "latitude")?;
    let lon = coordinate(&LON_NAMES, "longitude")?;
    let name = match get(&NAME_NAMES).map(|(_, v)| v) {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    Ok(PointRow { line, name, lat, lon })
}
