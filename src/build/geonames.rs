//! Readers for GeoNames' tab-separated formats: the 19-column dump (`RU.txt`, `cities500.txt`),
//! `admin1CodesASCII.txt` and `admin2Codes.txt`.

use std::io::{BufRead, Read};

/// One row of a GeoNames dump, the fields incimap uses.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpRow {
    pub geonameid: u32,
    pub name: String,
    pub asciiname: String,
    pub alternatenames: Vec<String>,
    pub lat: f64,
    pub lon: f64,
    pub feature_class: String,
    pub feature_code: String,
    pub country: String,
    pub admin1: String,
    pub admin2: String,
    pub population: u64,
    pub modified: String,
}

/// One row of `admin1CodesASCII.txt` or `admin2Codes.txt`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminRow {
    pub code: String,
    pub name: String,
    pub ascii_name: String,
    pub geonameid: u32,
}

/// A malformed row: 1-based line number and why it was rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: u64,
    pub why: String,
}

/// Parse one line of a 19-column GeoNames dump.
///
/// ```
/// let line = "578072\tBelgorod\tBelgorod\tBelgorod,Белгород\t50.61074\t36.58015\tP\tPPLA\tRU\t\t09\t\t\t\t345289\t\t134\tEurope/Moscow\t2022-04-26";
/// let row = incimap::build::geonames::parse_dump_line(line).unwrap();
/// assert_eq!((row.geonameid, row.population), (578072, 345289));
/// ```
pub fn parse_dump_line(line: &str) -> Result<DumpRow, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 19 {
        return Err(format!("expected 19 tab-separated columns, found {}", cols.len()));
    }
    let geonameid = cols[0]
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("geonameid {:?} is not a whole number", truncate(cols[0])))?;
    let lat = parse_coord(cols[4], "latitude", 90.0)?;
    let lon = parse_coord(cols[5], "longitude", 180.0)?;
    let name = cols[1].trim();
    if name.is_empty() {
        return Err("empty name".into());
    }
    let population = if cols[14].trim().is_empty() {
        0
    } else {
        cols[14]
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("population {:?} is not a whole number", truncate(cols[14])))?
    };
    Ok(DumpRow {
        geonameid,
        name: name.to_string(),
        asciiname: cols[2].trim().to_string(),
        alternatenames: cols[3].split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect(),
        lat,
        lon,
        feature_class: cols[6].trim().to_string(),
        feature_code: cols[7].trim().to_string(),
        country: cols[8].trim().to_string(),
        admin1: cols[10].trim().to_string(),
        admin2: cols[11].trim().to_string(),
        population,
        modified: cols[18].trim().to_string(),
    })
}

/// Parse one line of `admin1CodesASCII.txt` / `admin2Codes.txt`.
pub fn parse_admin_line(line: &str) -> Result<AdminRow, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 4 {
        return Err(format!("expected 4 tab-separated columns, found {}", cols.len()));
    }
    let code = cols[0].trim();
    if code.split('.').count() < 2 {
        return Err(format!("code {:?} is not of the form CC.code", truncate(code)));
    }
    let geonameid = cols[3]
        .trim()
        .parse::<u32>()
        .map_err(|_| format!("geonameid {:?} is not a whole number", truncate(cols[3])))?;
    Ok(AdminRow {
        code: code.to_string(),
        name: cols[1].trim().to_string(),
        ascii_name: cols[2].trim().to_string(),
        geonameid,
    })
}

fn parse_coord(s: &str, what: &str, limit: f64) -> Result<f64, String> {
    let v = s.trim().parse::<f64>().map_err(|_| format!("{what} {:?} is not a number", truncate(s)))?;
    if !v.is_finite() || v.abs() > limit {
        return Err(format!("{what} {v} is out of range"));
    }
    Ok(v)
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Longest dump line read, bytes: GeoNames' longest rows (a capital with hundreds of alternate names) are a few
/// tens of kilobytes; a longer line is no dump row, and is skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Read lines from `reader`, calling `on_line(line_number, line)` for each non-empty one; a line that is not
/// valid UTF-8, holds a NUL byte or is longer than [`MAX_LINE_BYTES`] is passed as `Err` and the reading goes on.
pub fn for_each_line<R: Read>(reader: R, mut on_line: impl FnMut(u64, Result<&str, String>)) -> std::io::Result<()> {
    let mut reader = std::io::BufReader::with_capacity(1 << 16, reader);
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = (&mut reader).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.len() > MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            skip_rest_of_line(&mut reader)?;
            on_line(line_no, Err(format!("line longer than {MAX_LINE_BYTES} bytes")));
            continue;
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        if buf.is_empty() {
            continue;
        }
        if buf.contains(&0) {
            on_line(line_no, Err("a NUL byte in the row".to_string()));
            continue;
        }
        on_line(line_no, std::str::from_utf8(&buf).map_err(|_| "invalid UTF-8".to_string()));
    }
    Ok(())
}

/// Read past the next newline (or to the end) without keeping what is read.
fn skip_rest_of_line(reader: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', chunk) {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(());
            }
            None => {
                let len = chunk.len();
                reader.consume(len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines as read, numbered from 1: a NUL byte, invalid UTF-8 and an over-long line are reported on their own
    /// line and the reading goes on, without holding the long line.
    #[test]
    fn bad_lines_are_reported_and_the_rest_read() {
        let mut data = b"first\nsec\0ond\n\xff\xfe\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        data.extend_from_slice(b"\n\nlast\r\n");
        let mut seen = Vec::new();
        for_each_line(data.as_slice(), |n, line| seen.push((n, line.map(str::to_string)))).unwrap();
        let long = format!("line longer than {MAX_LINE_BYTES} bytes");
        assert_eq!(
            seen,
            [
                (1, Ok("first".to_string())),
                (2, Err("a NUL byte in the row".to_string())),
                (3, Err("invalid UTF-8".to_string())),
                (4, Err(long)),
                (6, Ok("last".to_string())),
            ]
        );
    }
}
