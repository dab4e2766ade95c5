//! Mentions as JSON, written field by field: the same bytes as `serde_json::to_writer(&mention)` (compact
//! formatter; floats through `zmij`, as serde_json does; non-finite floats as `null`), without serde's
//! per-field machinery, so that the extraction threads can render their own output cheaply.

use super::Precision;
use super::{Mention, Role};
use crate::resolve::{Candidate, Status};

/// Append `m` as one JSON object (no separator, no newline).
pub fn write_mention(out: &mut Vec<u8>, m: &Mention) {
    out.extend_from_slice(b"{\"source\":");
    string(out, &m.source);
    out.extend_from_slice(b",\"mention\":");
    string(out, &m.mention);
    out.extend_from_slice(b",\"start\":");
    integer(out, m.start as u64);
    out.extend_from_slice(b",\"end\":");
    integer(out, m.end as u64);
    out.extend_from_slice(b",\"role\":");
    out.extend_from_slice(match m.role {
        Role::Incident => b"\"incident\"",
        Role::Context => b"\"context\"",
    });
    out.extend_from_slice(b",\"status\":");
    out.extend_from_slice(status(m.status));
    out.extend_from_slice(b",\"precision\":");
    out.extend_from_slice(match m.precision {
        Precision::Exact => b"\"exact\"",
        Precision::Near => b"\"near\"",
        Precision::Region => b"\"region\"",
    });
    out.extend_from_slice(b",\"place\":");
    match &m.place {
        Some(p) => candidate(out, p),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"border_km\":");
    opt_float(out, m.border_km);
    out.extend_from_slice(b",\"date\":");
    opt_string(out, m.date.as_deref());
    out.extend_from_slice(b",\"weapon\":");
    opt_string(out, m.weapon);
    out.extend_from_slice(b",\"weapon_model\":");
    opt_string(out, m.weapon_model.as_deref());
    out.extend_from_slice(b",\"event_type\":");
    opt_string(out, m.event_type.map(|t| t.as_str()));
    out.extend_from_slice(b",\"name\":");
    string(out, &m.name);
    out.extend_from_slice(b",\"lat\":");
    opt_float(out, m.lat);
    out.extend_from_slice(b",\"lon\":");
    opt_float(out, m.lon);
    out.extend_from_slice(b",\"region\":");
    opt_string(out, m.region.as_deref());
    out.extend_from_slice(b",\"region_code\":");
    opt_string(out, m.region_code.as_deref());
    out.extend_from_slice(b",\"between\":");
    opt_string(out, m.between.as_deref());
    out.extend_from_slice(b",\"evidence\":");
    string(out, &m.evidence);
    out.extend_from_slice(b",\"reason\":");
    string(out, m.reason);
    out.extend_from_slice(b",\"line\":");
    integer(out, m.line);
    if let Some(km) = m.moved_km {
        // Only rows of a table carry it: articles' mentions keep their form.
        out.extend_from_slice(b",\"moved_km\":");
        opt_float(out, Some(km));
    }
    out.push(b'}');
}

fn status(s: Status) -> &'static [u8] {
    match s {
        Status::Resolved => b"\"resolved\"",
        Status::Ambiguous => b"\"ambiguous\"",
        Status::NotFound => b"\"not_found\"",
    }
}

fn candidate(out: &mut Vec<u8>, c: &Candidate) {
    out.extend_from_slice(b"{\"geonameid\":");
    integer(out, u64::from(c.geonameid));
    out.extend_from_slice(b",\"name\":");
    string(out, &c.name);
    out.extend_from_slice(b",\"country\":");
    string(out, &c.country);
    out.extend_from_slice(b",\"admin1\":");
    string(out, &c.admin1);
    out.extend_from_slice(b",\"admin1_name\":");
    string(out, &c.admin1_name);
    out.extend_from_slice(b",\"feature_code\":");
    string(out, &c.feature_code);
    out.extend_from_slice(b",\"population\":");
    integer(out, c.population);
    out.extend_from_slice(b",\"lat\":");
    float(out, c.lat);
    out.extend_from_slice(b",\"lon\":");
    float(out, c.lon);
    out.extend_from_slice(b",\"score\":");
    float(out, c.score);
    out.extend_from_slice(b",\"source\":\"");
    out.extend_from_slice(c.source.as_str().as_bytes());
    out.extend_from_slice(b"\",\"point_precision\":\"");
    out.extend_from_slice(c.precision.as_str().as_bytes());
    out.extend_from_slice(b"\"}");
}

fn integer(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// As serde_json: the shortest representation that reads back the same (`zmij`), `null` when not finite.
fn float(out: &mut Vec<u8>, x: f64) {
    if x.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn opt_float(out: &mut Vec<u8>, x: Option<f64>) {
    match x {
        Some(x) => float(out, x),
        None => out.extend_from_slice(b"null"),
    }
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string with serde_json's escapes: `"` and `\`, the short forms `\b \t \n \f \r`, other control
/// characters as `\u00xx` (lower-case hex); everything else, non-ASCII included, as is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Most text needs no escape: skip clean 16-byte blocks with a test the compiler can vectorise.
    let mut clean = 0;
    while let Some(block) = bytes.get(clean..clean + 16) {
        if block.iter().fold(false, |any, &b| any | (b < 0x20) | (b == b'"') | (b == b'\\')) {
            break;
        }
        clean += 16;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0C => b"\\f",
            b'\r' => b"\\r",
            0..=0x1F => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xF) as usize]]);
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_serde_json_does() {
        for s in ["plain", "q\"b\\s", "tab\tnl\ncr\rbs\u{8}ff\u{c}", "\u{1}\u{1f}\u{7f}", "Курск — “x”", ""]
        {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(String::from_utf8(out).ok(), serde_json::to_string(s).ok(), "{s:?}");
        }
    }

    #[test]
    fn floats_print_as_serde_json_does() {
        for x in [0.0, -0.0, 1.0, 50.5, 1e-7, 1e21, 123456789.123, f64::NAN, f64::INFINITY, -36.65432] {
            let mut out = Vec::new();
            float(&mut out, x);
            assert_eq!(String::from_utf8(out).ok(), serde_json::to_string(&x).ok(), "{x}");
        }
    }

    /// Every mention of the held-out corpus, with the shipped gazetteer, renders as serde_json renders it.
    #[test]
    fn mentions_of_a_development_corpus_match_serde_json() {
        let gaz = crate::gazetteer::Gazetteer::embedded().expect("embedded gazetteer");
        let resolver = crate::resolve::Resolver::new(&gaz);
        let border = crate::border::BorderIndex::new(&gaz.boundaries);
        let ex = super::super::Extractor::new(&resolver, Some(&border));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev1");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("development corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let mut n = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).expect("readable article");
            for m in ex.extract(&text, &f.display().to_string(), chrono::NaiveDate::from_ymd_opt(2024, 5, 20)) {
                let mut out = Vec::new();
                write_mention(&mut out, &m);
                let want = serde_json::to_vec(&m).expect("serialisable");
                assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want));
                n += 1;
            }
        }
        assert!(n > 100, "only {n} mentions");
    }
}
