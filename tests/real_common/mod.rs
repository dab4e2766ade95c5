//! What the real-record tests (`coverage_real`, `geoparse_real`) share: the development split, the files'
//! encodings and CSV reading, the distance the Python scripts use, and where the data is.

#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// Whether a record is in the development two thirds: `int(sha256(id).hexdigest(), 16) % 3 != 0`.
pub fn is_development(id: &str) -> bool {
    let digest = Sha256::digest(id.as_bytes());
    // the digest as a big-endian number, mod 3
    digest.iter().fold(0u32, |r, &b| (r * 256 + u32::from(b)) % 3) != 0
}

/// Windows-1252 bytes as text.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| if (0x80..0xA0).contains(&b) { CP1252_HIGH[usize::from(b - 0x80)] } else { char::from(b) })
        .collect()
}

/// Line ends as Python's text mode reads them (`\r\n` and `\r` become `\n`), so that a line break inside a
/// quoted field reads as the script's does.
pub fn universal_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Great-circle distance (km) on a sphere of radius 6,371 km, the script's formula.
pub fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = (p2 - p1, (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// The column `name` of `headers`, or a panic naming the file.
pub fn column(headers: &csv::StringRecord, name: &str, file: &Path) -> usize {
    headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{}: no column {name:?}", file.display()))
}

/// The rows of a CSV file, as text, with its column indexes for `names`.
pub fn rows(file: &Path, text: &str, names: &[&str]) -> (Vec<usize>, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap_or_else(|e| panic!("{}: {e}", file.display())).clone();
    let columns = names.iter().map(|n| column(&headers, n, file)).collect();
    let rows = reader.records().map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", file.display()))).collect();
    (columns, rows)
}

/// A coordinate as Python's `float()` reads it, or `None`.
pub fn coordinate(field: &str) -> Option<f64> {
    field.trim().parse().ok()
}

/// UCDP's `date_start`: month/day/year, then a time ("1/22/2014 12:00:00 AM", "05/02/2014 00:00").
pub fn ucdp_date(field: &str) -> Option<NaiveDate> {
    let day = field.split_whitespace().next()?;
    let mut parts = day.split('/').map(|p| p.parse::<u32>().ok());
    let (month, day, year) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Whether `text` leaves the place `name` unnamed: the key of `name` is not a substring of the key of `text`.
/// `None` for a name without a key.
pub fn unnamed_in(name: &str, text: &str) -> Option<bool> {
    let name = incimap::names::key(name);
    (!name.is_empty()).then(|| !incimap::names::key(text).contains(&name))
}

/// The headline and the paragraph under it, as a user would paste them (either may be missing).
pub fn headline_and_body(title: &str, body: &str) -> String {
    match (title.trim(), body.trim()) {
        (t, "") => t.to_string(),
        ("", b) => b.to_string(),
        (t, b) => format!("{t}\n\n{b}"),
    }
}

/// Windows-1252 for 0x80–0x9F (the five bytes the code page leaves undefined stay C1 controls, as in
/// Latin-1); every other byte is its Latin-1 character.
pub const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}',
    '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// The real records' folder, or `None` (with a note) in a plain clone; a panic when `CI` is set.
pub fn data_dir(what: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "{} is missing, and CI is set", dir.display());
    eprintln!("note: {} is absent (a plain clone): {what} not measured", dir.display());
    None
}

// Tests of these helpers, run by the files that include them (see `geoparse_real`).
/// The split rule against SHA-256's published test vector: sha256("abc") = ba7816bf…f20015ad, which is 1 mod 3
/// (Python: `int(hashlib.sha256(b"abc").hexdigest(), 16) % 3`); sha256("1") = 6b86b273…, 0 mod 3 (held out).
pub fn split_rule_reads_the_digest_as_a_number() {
    assert!(is_development("abc"));
    assert!(!is_development("1"));
    // Python: UW0064 → 0 (held out), UW0067 → 1, 244657 → 2
    assert!(!is_development("UW0064"));
    assert!(is_development("UW0067"));
    assert!(is_development("244657"));
}

/// The decoder against the Windows-1252 code chart (the bytes the UCDP file holds: 0x91–0x97, 0xB0, 0xB7, 0xCB).
pub fn cp1252_decoder_follows_the_code_page() {
    let bytes = b"\x93Pisky\x94 \x96 Kiev\x92s \x91x\x92, 5\xb0 \xb7 \xcb \x97 \x80\x9f\x81 caf\xe9";
    assert_eq!(
        decode_cp1252(bytes),
        "\u{201C}Pisky\u{201D} \u{2013} Kiev\u{2019}s \u{2018}x\u{2019}, 5° · Ë \u{2014} €Ÿ\u{81} café"
    );
}
