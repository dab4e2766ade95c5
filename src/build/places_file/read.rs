//! Reading a places file: a table with a header, in the CSV dialect every table of incimap is read in
//! (`incidents::table::reader_builder`; comma, semicolon or tab, told from the header as
//! `incidents::sniff::sniff_delimiter` tells it). Rows that cannot be read are kept aside with their line;
//! only a file that cannot be read at all, or whose header lacks `name`, `lat` or `lon`, is an error.

use std::path::Path;

use crate::incidents::InputKind;
use crate::incidents::sniff::sniff_delimiter;
use crate::incidents::table::reader_builder;

/// Largest places file read (bytes): a hand-kept list of villages is a few hundred KB at most, so a larger
/// file is not a places file (and is refused rather than read into memory).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// What separates a row's alternate names.
pub const ALTERNATE_NAME_SEPARATOR: char = ';';

/// One row of a places file as written (cells trimmed), before it is checked against the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    /// Line of the file the row starts on (1-based; the header is line 1).
    pub line: u64,
    pub name: String,
    /// WGS84 decimal degrees.
    pub lat: f64,
    pub lon: f64,
    /// The region as the user wrote it (`Belgorod Oblast`, `Курская область`, `RU.09`), if given.
    pub admin1: Option<String>,
    /// Other names of the place (the `alternate_names` cell split at `;`).
    pub alternate_names: Vec<String>,
    /// Where the user got the place (free text, kept for the user's own reference).
    pub source: Option<String>,
}

/// Something said about one row: why it was skipped, or a note on a row that was kept.
#[derive(Debug, Clone, PartialEq)]
pub struct RowNote {
    /// Line of the file (1-based).
    pub line: u64,
    pub why: String,
}

/// Why a places file cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum PlacesFileError {
    /// (The I/O error is part of the message, not a cause of its own, so that it is said once.)
    #[error("cannot read places file {path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("places file {path} has {bytes} bytes, more than a places file may have ({MAX_FILE_BYTES})")]
    TooLarge { path: String, bytes: u64 },
    #[error("places file {path}: {why}")]
    Unusable { path: String, why: String },
}

/// The rows of a places file that could be read, and those that could not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceTable {
    pub rows: Vec<PlaceRow>,
    pub bad: Vec<RowNote>,
}

/// Read the places file at `path` (see [`parse`]).
pub fn read_file(path: &Path) -> Result<PlaceTable, PlacesFileError> {
    let label = path.display().to_string();
    let io = |error| PlacesFileError::Io { path: label.clone(), error };
    let bytes = std::fs::metadata(path).map_err(io)?.len();
    if bytes > MAX_FILE_BYTES {
        return Err(PlacesFileError::TooLarge { path: label, bytes });
    }
    let text = std::fs::read(path).map_err(io)?;
    let tsv = path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "tsv" | "tab"));
    parse(&text, &label, tsv)
}

/// Read a places file's bytes (`label` names it in errors; `tsv`: tab-separated whatever the header
/// looks like, as for a `.tsv` file).
///
/// ```
/// // A spreadsheet's export: BOM, semicolons, a decimal comma, the alternate names quoted.
/// let text = "\u{feff}name;lat;lon;alternate_names\nГончаровка;51,19111;35.25194;\"Goncharovka; Гончарівка\"\n";
/// let table = incimap::build::places_file::parse(text.as_bytes(), "mine.csv", false).unwrap();
/// let row = &table.rows[0];
/// assert_eq!((row.line, row.name.as_str(), row.lat, row.lon), (2, "Гончаровка", 51.19111, 35.25194));
/// assert_eq!(row.alternate_names, ["Goncharovka", "Гончарівка"]);
/// ```
pub fn parse(bytes: &[u8], label: &str, tsv: bool) -> Result<PlaceTable, PlacesFileError> {
    let unusable = |why: String| PlacesFileError::Unusable { path: label.to_string(), why };
    let kind = if tsv { InputKind::Tsv } else { kind_of(bytes).ok_or_else(|| unusable(header_problem(bytes)))? };
    let mut csv = reader_builder(kind).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let read_error = |e: csv::Error| unusable(e.to_string());
    if !csv.read_byte_record(&mut record).map_err(read_error)? {
        return Err(unusable("empty file: it needs a header naming the columns name, lat and lon".into()));
    }
    let columns = Columns::of(&record).map_err(unusable)?;
    let mut lines = LineCounter { bytes, at: 0, line: 1 };
    let mut table = PlaceTable::default();
    while csv.read_byte_record(&mut record).map_err(read_error)? {
        let line = lines.line_at(record.position().map_or(0, |p| p.byte() as usize));
        if record.iter().all(|cell| cell.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        match columns.row(&record, line) {
            Ok(row) => table.rows.push(row),
            Err(why) => table.bad.push(RowNote { line, why }),
        }
    }
    Ok(table)
}

/// Whether lower-cased, trimmed column names make a places header.
fn is_places_header(cols: &[String]) -> bool {
    let has = |names: &[&str]| cols.iter().any(|c| names.contains(&c.as_str()));
    has(NAME) && has(LAT) && has(LON)
}

/// Column names accepted for each field (the location columns as the incident tables accept them).
const NAME: &[&str] = &["name"];
const LAT: &[&str] = &["lat", "latitude"];
const LON: &[&str] = &["lon", "longitude", "lng"];
const ADMIN1: &[&str] = &["admin1"];
const ALTERNATE_NAMES: &[&str] = &["alternate_names"];
const SOURCE: &[&str] = &["source"];

/// The table kind whose delimiter makes the first line a places header.
fn kind_of(bytes: &[u8]) -> Option<InputKind> {
    sniff_delimiter(bytes, is_places_header).map(|d| match d {
        b'\t' => InputKind::Tsv,
        b';' => InputKind::Semicolon,
        _ => InputKind::Csv,
    })
}

/// What is wrong with a first line that is not a places header.
fn header_problem(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]);
    let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("").trim();
    if first.is_empty() {
        return "the first line must be a header naming the columns name, lat and lon".into();
    }
    format!(
        "the first line must be a header naming the columns name, lat and lon (separated by commas, semicolons \
         or tabs), not {first:?}"
    )
}

/// Where each field's column is in a places file.
struct Columns {
    name: usize,
    lat: usize,
    lon: usize,
    admin1: Option<usize>,
    alternate_names: Option<usize>,
    source: Option<usize>,
    /// Columns in the header.
    count: usize,
}

impl Columns {
    /// The columns of a header record (the first of a name wins; unknown columns are ignored).
    fn of(header: &csv::ByteRecord) -> Result<Columns, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_lowercase())
            .collect();
        let find = |accepted: &[&str]| names.iter().position(|n| accepted.contains(&n.as_str()));
        let required = |accepted: &[&str]| {
            find(accepted)
                .ok_or_else(|| format!("the header has no column {:?} (it has {})", accepted[0], names.join(", ")))
        };
        Ok(Columns {
            name: required(NAME)?,
            lat: required(LAT)?,
            lon: required(LON)?,
            admin1: find(ADMIN1),
            alternate_names: find(ALTERNATE_NAMES),
            source: find(SOURCE),
            count: names.len(),
        })
    }

    /// One record as a row, or why it cannot be one.
    fn row(&self, record: &csv::ByteRecord, line: u64) -> Result<PlaceRow, String> {
        if record.len() > self.count {
            return Err(format!(
                "the row has {} cells, the header {} (a name with an unquoted delimiter?)",
                record.len(),
                self.count
            ));
        }
        // A short row (trailing optional cells left out) reads its missing cells as empty.
        let cell = |i: usize| -> Result<&str, String> {
            let bytes = record.get(i).unwrap_or_default();
            std::str::from_utf8(bytes).map(str::trim).map_err(|_| "the row is not valid UTF-8".to_string())
        };
        let optional = |i: Option<usize>| -> Result<Option<String>, String> {
            Ok(i.map(cell).transpose()?.filter(|s| !s.is_empty()).map(str::to_string))
        };
        let name = cell(self.name)?;
        if name.is_empty() {
            return Err("missing name".into());
        }
        crate::resolve::check_name(name)?;
        let alternate_names = match self.alternate_names {
            Some(i) => split_names(cell(i)?)?,
            None => Vec::new(),
        };
        Ok(PlaceRow {
            line,
            name: name.to_string(),
            lat: coordinate(cell(self.lat)?, "lat")?,
            lon: coordinate(cell(self.lon)?, "lon")?,
            admin1: optional(self.admin1)?,
            alternate_names,
            source: optional(self.source)?,
        })
    }
}

/// The alternate names of a cell, each checked as a name.
fn split_names(cell: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> =
        cell.split(ALTERNATE_NAME_SEPARATOR).map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect();
    for n in &names {
        crate::resolve::check_name(n).map_err(|why| format!("alternate name {n:?}: {why}"))?;
    }
    Ok(names)
}

/// A coordinate cell as a number: a decimal point, or a decimal comma as spreadsheets of many locales
/// write it (`50,3133`). Range and plausibility are checked later, against the map.
fn coordinate(cell: &str, what: &str) -> Result<f64, String> {
    if cell.is_empty() {
        return Err(format!("missing {what}"));
    }
    let decimal_comma = cell.matches(',').count() == 1 && !cell.contains('.');
    let text = if decimal_comma { cell.replace(',', ".") } else { cell.to_string() };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{what} {cell:?} is not a number (decimal degrees, such as 50.6107)")),
    }
}

/// Numbers records by the line they start on. csv's own count skips blank lines, and a record's position
/// may be where the previous record's line ending began: the line is the one of the first byte after it.
struct LineCounter<'b> {
    bytes: &'b [u8],
    /// Offset up to which newlines are counted ...
    at: usize,
    /// ... and the line there.
    line: u64,
}

impl LineCounter<'_> {
    /// The 1-based line of the record at byte `offset` (offsets must not decrease between calls).
    fn line_at(&mut self, offset: usize) -> u64 {
        let start = offset.max(self.at);
        let first = start
            + self.bytes.get(start..).unwrap_or_default().iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..first]).count() as u64;
        self.at = first;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> PlaceTable {
        parse(text.as_bytes(), "t.csv", false).unwrap()
    }

    #[test]
    fn rows_carry_the_line_they_start_on() {
        let text = "name,lat,lon,source\r\n\r\nA,50.1,36.1,\r\nB,50.2,36.2,\"two\nlines\"\n\n\nC,50.3,36.3,\n";
        let t = parse_str(text);
        assert_eq!(t.bad, []);
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 4, 8]);
        assert_eq!(t.rows[1].source.as_deref(), Some("two\nlines"));
    }

    #[test]
    fn delimiters_are_told_from_the_header() {
        for text in ["name,lat,lon\nA,50.1,36.1\n", "name;lat;lon\nA;50,1;36,1\n", "name\tlat\tlon\nA\t50.1\t36.1\n"] {
            let t = parse_str(text);
            assert_eq!((t.rows.len(), t.rows[0].lat, t.rows[0].lon), (1, 50.1, 36.1), "{text:?}");
        }
        assert!(matches!(parse(b"place,x,y\nA,1,2\n", "t.csv", false), Err(PlacesFileError::Unusable { .. })));
        assert!(matches!(parse(b"", "t.csv", false), Err(PlacesFileError::Unusable { .. })));
    }

    #[test]
    fn bad_cells_are_reported_by_line_and_the_rest_read() {
        let text =
            "Name,Latitude,Longitude,admin1,extra\n,50,36,,\nA,north,36,,\nB,50,,,\nC,50.5,36.5,,x,y\nD,50.5,36.5\n";
        let t = parse_str(text);
        assert_eq!(t.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["D"]);
        let lines: Vec<u64> = t.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(t.bad[0].why.contains("missing name"));
        assert!(t.bad[1].why.contains("not a number"));
        assert!(t.bad[2].why.contains("missing lon"));
        assert!(t.bad[3].why.contains("cells"));
    }

    #[test]
    fn invalid_utf8_is_one_bad_row() {
        let t = parse(b"name,lat,lon\nA\xff,50,36\nB,50,36\n", "t.csv", false).unwrap();
        assert_eq!((t.rows.len(), t.bad.len(), t.bad[0].line), (1, 1, 2));
    }
}
