//! Which inputs to read (directories expanded) and what kind each one is (from its name, else its first bytes).

use std::collections::HashSet;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{Input, ReadError};

/// The kinds of input [`super::read`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputKind {
    /// Comma-separated table with a header.
    Csv,
    /// Tab-separated table with a header.
    Tsv,
    /// Semicolon-separated table with a header (spreadsheet exports in many locales).
    Semicolon,
    /// One JSON object (or GeoJSON Feature) per line; also GeoJSONSeq (RFC 8142).
    Ndjson,
    /// A JSON array of objects, or a GeoJSON FeatureCollection.
    Json,
    /// A news article, geoparsed for incidents.
    Text,
}

/// File extensions picked up when walking a directory.
const KNOWN_EXTENSIONS: &[&str] =
    &["csv", "tsv", "tab", "ndjson", "jsonl", "geojsonl", "geojsons", "json", "geojson", "txt", "md"];

/// The inputs named by `paths`, in order: `-` is stdin, directories are walked recursively in name order
/// (hidden entries and files of unknown extensions skipped), files are taken as they are.
pub(crate) fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, ReadError> {
    let mut out = Vec::new();
    // Every directory and file once, by its real path: links back to a folder (`sub/up -> ..`) neither loop
    // nor read a file twice.
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            if seen.contains(&real_path(p)) {
                continue; // named twice, or inside a folder named before
            }
            let before = out.len();
            walk(p, &mut out, &mut seen)?;
            if out.len() == before {
                return Err(ReadError::BadInput {
                    path: p.display().to_string(),
                    why: format!("directory holds no inputs (looked for .{})", KNOWN_EXTENSIONS.join(", .")),
                });
            }
        } else if p.exists() {
            if seen.insert(real_path(p)) {
                out.push(Input::File(p.clone()));
            }
        } else {
            return Err(ReadError::Io {
                path: p.display().to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            });
        }
    }
    Ok(out)
}

/// A path with its links resolved (the path itself when that fails).
fn real_path(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

fn walk(dir: &Path, out: &mut Vec<Input>, seen: &mut HashSet<PathBuf>) -> Result<(), ReadError> {
    if !seen.insert(real_path(dir)) {
        return Ok(());
    }
    let io = |source| ReadError::Io { path: dir.display().to_string(), source };
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(io)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>().map_err(io)?;
    entries.sort();
    for p in entries {
        let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, seen)?;
        } else if extension(&p).is_some_and(|e| KNOWN_EXTENSIONS.contains(&e.as_str())) && seen.insert(real_path(&p)) {
            out.push(Input::File(p));
        }
    }
    Ok(())
}

fn extension(p: &Path) -> Option<String> {
    p.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase())
}

/// Why an input's kind could not be told.
pub(crate) enum SniffError {
    Io(std::io::Error),
    Bad(String),
}

/// Tell the kind of an input from its extension, else from its first bytes (which stay in `reader`).
/// Refuses empty and binary inputs.
pub(crate) fn recognise(path: Option<&Path>, reader: &mut impl BufRead) -> Result<InputKind, SniffError> {
    let head = reader.fill_buf().map_err(SniffError::Io)?;
    if head.is_empty() {
        return Err(SniffError::Bad("empty input".into()));
    }
    if looks_binary(head) {
        return Err(SniffError::Bad(
            "looks like a binary file (NUL bytes or a known binary signature), not a table or text".into(),
        ));
    }
    let by_name = path.and_then(extension).and_then(|e| match e.as_str() {
        "csv" => Some(InputKind::Csv),
        "tsv" | "tab" => Some(InputKind::Tsv),
        "ndjson" | "jsonl" | "geojsonl" | "geojsons" => Some(InputKind::Ndjson),
        "json" | "geojson" => Some(by_content(head).filter(|k| *k == InputKind::Ndjson).unwrap_or(InputKind::Json)),
        "txt" | "md" => Some(InputKind::Text),
        _ => None,
    });
    let kind = by_name.or_else(|| by_content(head)).unwrap_or(InputKind::Text);
    // A ".csv" that is really semicolon-separated (spreadsheet export).
    if kind == InputKind::Csv && header_delimiter(head) == Some(b';') {
        return Ok(InputKind::Semicolon);
    }
    Ok(kind)
}

/// NUL bytes or the signature of a common binary format (zip, gzip, PDF, PNG, ...).
fn looks_binary(head: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] =
        &[b"PK\x03\x04", b"\x1f\x8b", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF"];
    SIGNATURES.iter().any(|s| head.starts_with(s)) || head.iter().take(8192).any(|&b| b == 0)
}

/// Recognise JSON (one document or one object per line) or a table with a known header; `None` for text.
fn by_content(head: &[u8]) -> Option<InputKind> {
    let text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('[') {
        return Some(InputKind::Json);
    }
    if text.starts_with('{') {
        // NDJSON when the first line is a complete object by itself.
        let first = text.lines().next().unwrap_or("");
        let one_line = serde_json::from_str::<serde_json::Value>(first).is_ok();
        let more = text.lines().nth(1).is_some_and(|l| l.trim_start().starts_with('{'));
        return Some(if one_line && (more || !text.trim_end().contains('\n')) {
            if more { InputKind::Ndjson } else { InputKind::Json }
        } else {
            InputKind::Json
        });
    }
    match header_delimiter(head)? {
        b'\t' => Some(InputKind::Tsv),
        b';' => Some(InputKind::Semicolon),
        _ => Some(InputKind::Csv),
    }
}

/// The delimiter of a first line that names at least two known columns (one of them a location), if any.
fn header_delimiter(head: &[u8]) -> Option<u8> {
    sniff_delimiter(head, |cols| {
        // A producer's header is known by its signature; incimap's own by two known columns.
        let schema = super::schema::Schema::recognise(cols.iter().map(String::as_str));
        let known = cols.iter().filter(|c| super::schema::is_known_column(c)).count();
        let location = cols.iter().any(|c| schema.locates(c));
        cols.len() >= 2 && known >= 2 && location
    })
}

/// The delimiter (tab, semicolon or comma, tried in that order) under which the first line of `head` (a
/// UTF-8 BOM skipped) is a header that `is_header` accepts; it is given the column names trimmed, unquoted
/// and lower-cased. Other readers of header tables (the user's places file) tell their delimiter so too.
pub(crate) fn sniff_delimiter(head: &[u8], is_header: impl Fn(&[String]) -> bool) -> Option<u8> {
    let text = String::from_utf8_lossy(&head[..head.len().min(8192)]);
    let first = text.trim_start_matches('\u{feff}').lines().next()?;
    [b'\t', b';', b','].into_iter().find(|&d| {
        let cols: Vec<String> =
            first.split(d as char).map(|c| c.trim().trim_matches('"').to_ascii_lowercase()).collect();
        is_header(&cols)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: Option<&str>, body: &str) -> Option<InputKind> {
        let mut r = std::io::BufReader::new(body.as_bytes());
        recognise(name.map(Path::new), &mut r).ok()
    }

    #[test]
    fn recognises_by_content() {
        assert_eq!(kind(None, "date,place,weapon\n"), Some(InputKind::Csv));
        assert_eq!(kind(None, "date\tlat\tlon\n"), Some(InputKind::Tsv));
        assert_eq!(kind(None, "date;place\n"), Some(InputKind::Semicolon));
        assert_eq!(kind(None, "{\"a\":1}\n{\"a\":2}\n"), Some(InputKind::Ndjson));
        assert_eq!(kind(None, "{\"type\":\"FeatureCollection\",\n\"features\":[]}"), Some(InputKind::Json));
        assert_eq!(kind(None, "[{\"a\":1}]"), Some(InputKind::Json));
        assert_eq!(kind(None, "A drone fell on Belgorod, officials said.\n"), Some(InputKind::Text));
        assert_eq!(kind(Some("x.csv"), "date;place;lat;lon\n"), Some(InputKind::Semicolon));
        assert_eq!(kind(Some("x.json"), "{\"a\":1}\n{\"a\":2}\n"), Some(InputKind::Ndjson));
    }

    #[test]
    fn refuses_empty_and_binary() {
        assert_eq!(kind(None, ""), None);
        assert_eq!(kind(Some("a.csv"), "date,place\n\0\0\0"), None);
    }
}
