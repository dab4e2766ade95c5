//! Reading article text of any size in bounded memory: the input is read in chunks cut at paragraph (else
//! line, else word) boundaries, each chunk is geoparsed as a document, and mention offsets are shifted back
//! to positions in the whole input.
//!
//! Invalid UTF-8 is decoded lossily with every invalid byte replaced by `?`, one byte for one byte, so that
//! `start`/`end` stay exact byte offsets into the original file. Binary input (NUL bytes or many control
//! characters at the start) is refused.

use std::io::Read;

use super::{Extractor, Mention};

/// Bytes read per chunk. Articles are far smaller; a corpus in one file is cut into documents of this size.
pub const CHUNK_BYTES: usize = 1 << 20;

/// What reading one input found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputStats {
    /// Bytes read.
    pub bytes: u64,
    /// Invalid UTF-8 bytes replaced by `?`.
    pub invalid_bytes: u64,
    /// Mentions found.
    pub mentions: u64,
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error("looks like a binary file, not text (NUL or control bytes near offset {0}); skipped")]
    Binary(u64),
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Sink(std::io::Error),
}

/// Geoparse everything `reader` yields, handing each chunk's mentions to `sink` in order.
pub fn extract_reader<R: Read>(
    ex: &Extractor,
    mut reader: R,
    source: &str,
    report_date: Option<chrono::NaiveDate>,
    mut sink: impl FnMut(Vec<Mention>) -> std::io::Result<()>,
) -> Result<InputStats, StreamError> {
    let mut stats = InputStats::default();
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + 4096);
    let mut base: u64 = 0; // offset of buf[0] in the input
    let mut eof = false;
    let mut first = true;
    let mut lines_before: u64 = 0; // newlines before buf[0]
    while !eof || !buf.is_empty() {
        // Fill up to a chunk.
        while !eof && buf.len() < CHUNK_BYTES {
            let old = buf.len();
            buf.resize(CHUNK_BYTES, 0);
            let n = loop {
                match reader.read(&mut buf[old..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(StreamError::Io(e)),
                }
            };
            buf.truncate(old + n);
            if n == 0 {
                eof = true;
            }
        }
        if buf.is_empty() {
            break;
        }
        if first {
            first = false;
            if super::text::looks_binary(&buf) {
                return Err(StreamError::Binary(0));
            }
        } else if buf.contains(&0) {
            let at = buf.iter().position(|&b| b == 0).unwrap_or(0) as u64;
            return Err(StreamError::Binary(base + at));
        }
        let cut = if eof { buf.len() } else { cut_point(&buf) };
        let (text, invalid) = decode_same_length(&buf[..cut]);
        stats.invalid_bytes += invalid as u64;
        stats.bytes += cut as u64;
        let mut mentions = ex.extract(&text, source, report_date);
        if base > 0 {
            for m in mentions.iter_mut() {
                m.start += base as usize;
                m.end += base as usize;
                m.line += lines_before;
            }
        }
        stats.mentions += mentions.len() as u64;
        sink(mentions).map_err(StreamError::Sink)?;
        lines_before += buf[..cut].iter().filter(|&&b| b == b'\n').count() as u64;
        base += cut as u64;
        buf.drain(..cut);
    }
    Ok(stats)
}

/// Where to end a chunk: after the last blank line in its second half, else the last newline, else the last
/// ASCII space, else the last UTF-8 character boundary.
fn cut_point(buf: &[u8]) -> usize {
    let half = buf.len() / 2;
    let tail = &buf[half..];
    if let Some(p) = tail.windows(2).rposition(|w| w == b"\n\n") {
        return half + p + 2;
    }
    if let Some(p) = tail.iter().rposition(|&b| b == b'\n') {
        return half + p + 1;
    }
    if let Some(p) = tail.iter().rposition(|&b| b == b' ') {
        return half + p + 1;
    }
    // A UTF-8 lead or ASCII byte starts a character.
    let mut i = buf.len();
    while i > half && (buf[i - 1] & 0xC0) == 0x80 {
        i -= 1;
    }
    if i > half { i - 1 } else { buf.len() }
}

/// Decode UTF-8, replacing each invalid byte by `?` (so byte offsets are unchanged). Returns the text and
/// the number of replaced bytes.
pub fn decode_same_length(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, usize) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), 0),
        Err(_) => {
            let mut out = String::with_capacity(bytes.len());
            let mut bad = 0;
            let mut rest = bytes;
            loop {
                match std::str::from_utf8(rest) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        // Safe: the prefix was just validated.
                        out.push_str(std::str::from_utf8(&rest[..good]).unwrap_or(""));
                        let skip = e.error_len().unwrap_or(rest.len() - good);
                        for _ in 0..skip {
                            out.push('?');
                        }
                        bad += skip;
                        rest = &rest[good + skip..];
                    }
                }
            }
            (std::borrow::Cow::Owned(out), bad)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lossy_decoding_keeps_byte_offsets() {
        let input = b"ab\xffc \xe2\x82 \xd0\x9a";
        let (t, bad) = decode_same_length(input);
        assert_eq!(t.len(), input.len());
        assert_eq!(bad, 3);
        assert!(t.ends_with("К"));
    }

    #[test]
    fn cuts_at_paragraphs_then_lines() {
        assert_eq!(cut_point(b"aa\nbbbbbb\n\ncc"), 11);
        assert_eq!(cut_point(b"aaaaaaa\nbbbb cc"), 8);
    }
}
