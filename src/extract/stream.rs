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
pub const CHUNK_BYTES: usize = 256 << 10;

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

/// A piece of one input, cut at a paragraph (else line, else word) boundary, decoded and ready to geoparse.
pub struct Chunk {
    /// The decoded text (invalid bytes read as `?`, same length as the bytes).
    pub text: String,
    /// Offset of the chunk's first byte in the whole input.
    pub base: u64,
    /// Newlines in the input before the chunk.
    pub lines_before: u64,
    /// Invalid UTF-8 bytes replaced in this chunk.
    pub invalid_bytes: u64,
    /// The line (1-based, in the whole input) of the chunk's first invalid byte, if any.
    pub first_invalid_line: Option<u64>,
}

/// Cuts a reader into [`Chunk`]s of about [`CHUNK_BYTES`], refusing binary input.
pub struct Chunks<R: Read> {
    reader: R,
    buf: Vec<u8>,
    base: u64,
    lines_before: u64,
    eof: bool,
    first: bool,
}

impl<R: Read> Chunks<R> {
    /// Chunks of `reader`.
    pub fn new(reader: R) -> Self {
        Chunks {
            reader,
            buf: Vec::with_capacity(CHUNK_BYTES + 4096),
            base: 0,
            lines_before: 0,
            eof: false,
            first: true,
        }
    }
}

impl<R: Read> Iterator for Chunks<R> {
    type Item = Result<Chunk, StreamError>;

    fn next(&mut self) -> Option<Self::Item> {
        // Fill up to a chunk.
        while !self.eof && self.buf.len() < CHUNK_BYTES {
            let old = self.buf.len();
            self.buf.resize(CHUNK_BYTES, 0);
            let n = loop {
                match self.reader.read(&mut self.buf[old..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.eof = true;
                        self.buf.clear();
                        return Some(Err(StreamError::Io(e)));
                    }
                }
            };
            self.buf.truncate(old + n);
            if n == 0 {
                self.eof = true;
            }
        }
        if self.buf.is_empty() {
            return None;
        }
        let binary = if self.first {
            self.first = false;
            super::text::looks_binary(&self.buf).then_some(0)
        } else {
            self.buf.iter().position(|&b| b == 0).map(|at| self.base + at as u64)
        };
        if let Some(at) = binary {
            self.eof = true;
            self.buf.clear();
            return Some(Err(StreamError::Binary(at)));
        }
        let cut = if self.eof { self.buf.len() } else { cut_point(&self.buf) };
        let (text, invalid) = decode_same_length(&self.buf[..cut]);
        let first_invalid_line = std::str::from_utf8(&self.buf[..cut]).err().map(|e| {
            let before = &self.buf[..e.valid_up_to()];
            self.lines_before + before.iter().filter(|&&b| b == b'\n').count() as u64 + 1
        });
        let chunk = Chunk {
            text: text.into_owned(),
            base: self.base,
            lines_before: self.lines_before,
            invalid_bytes: invalid as u64,
            first_invalid_line,
        };
        self.lines_before += self.buf[..cut].iter().filter(|&&b| b == b'\n').count() as u64;
        self.base += cut as u64;
        self.buf.drain(..cut);
        Some(Ok(chunk))
    }
}

/// Geoparse one chunk, with offsets and lines counted in the whole input.
pub fn extract_chunk(
    ex: &Extractor,
    chunk: &Chunk,
    source: &str,
    report_date: Option<chrono::NaiveDate>,
) -> Vec<Mention> {
    let mut mentions = ex.extract(&chunk.text, source, report_date);
    if chunk.base > 0 {
        for m in mentions.iter_mut() {
            m.start += chunk.base as usize;
            m.end += chunk.base as usize;
            m.line += chunk.lines_before;
        }
    }
    mentions
}

/// What [`extract_parallel`] (and [`extract_parallel_map`]) reports, input by input and in input order.
pub enum Event<T = Vec<Mention>> {
    /// Mentions of the input numbered `.0` (several events per input for large ones), as the worker
    /// mapped them.
    Mentions(usize, T),
    /// The input numbered `.0` is finished: what was read, or why it could not be.
    Done(usize, Result<InputStats, StreamError>),
}

/// Geoparse several inputs on `threads` threads (one [`Extractor`] each, so each keeps its own caches),
/// reading ahead a few chunks and reporting to `sink` strictly in input order. `open` opens input `i`;
/// `sources[i]` names it in the mentions. A sink error stops everything and is returned.
pub fn extract_parallel<R: Read + Send>(
    resolver: &crate::resolve::Resolver,
    border: Option<&crate::border::BorderIndex>,
    sources: &[String],
    open: impl Fn(usize) -> std::io::Result<R> + Sync,
    report_date: Option<chrono::NaiveDate>,
    threads: usize,
    sink: impl FnMut(Event) -> std::io::Result<()>,
) -> std::io::Result<()> {
    extract_parallel_map(resolver, border, sources, open, report_date, threads, |_, ms| ms, sink)
}

/// [`extract_parallel`], with each chunk's mentions passed through `map` (given the input's number) on the
/// worker thread that found them: the output can be rendered there, in parallel, leaving the calling thread
/// only to write it in order.
#[allow(clippy::too_many_arguments)]
pub fn extract_parallel_map<R: Read + Send, T: Send>(
    resolver: &crate::resolve::Resolver,
    border: Option<&crate::border::BorderIndex>,
    sources: &[String],
    open: impl Fn(usize) -> std::io::Result<R> + Sync,
    report_date: Option<chrono::NaiveDate>,
    threads: usize,
    map: impl Fn(usize, Vec<Mention>) -> T + Sync,
    mut sink: impl FnMut(Event<T>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::sync::mpsc::{Receiver, sync_channel};
    use std::sync::{Arc, Mutex};
    enum Job {
        Chunk(usize, usize, Chunk),
        End(usize, usize, Result<(), StreamError>),
    }
    enum Output<T> {
        /// Input, mapped mentions, how many mentions, bytes, invalid bytes.
        Mentions(usize, T, u64, u64, u64),
        End(usize, Result<(), StreamError>),
    }
    let threads = threads.max(1);
    let (job_tx, job_rx) = sync_channel::<Job>(threads);
    let job_rx: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(job_rx));
    let (out_tx, out_rx) = sync_channel::<(usize, Output<T>)>(threads);
    std::thread::scope(|scope| {
        // Reader: numbers every chunk and every end of input, so the outputs can be put back in order.
        let open = &open;
        scope.spawn(move || {
            let mut seq = 0;
            for i in 0..sources.len() {
                let mut end = Ok(());
                match open(i) {
                    Ok(r) => {
                        for chunk in Chunks::new(r) {
                            match chunk {
                                Ok(c) => {
                                    if job_tx.send(Job::Chunk(seq, i, c)).is_err() {
                                        return;
                                    }
                                    seq += 1;
                                }
                                Err(e) => end = Err(e),
                            }
                        }
                    }
                    Err(e) => end = Err(StreamError::Io(e)),
                }
                if job_tx.send(Job::End(seq, i, end)).is_err() {
                    return;
                }
                seq += 1;
            }
        });
        let map = &map;
        for _ in 0..threads {
            let job_rx = Arc::clone(&job_rx);
            let out_tx = out_tx.clone();
            scope.spawn(move || {
                let ex = Extractor::new(resolver, border);
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let out = match job {
                        Ok(Job::Chunk(seq, i, c)) => {
                            let ms = extract_chunk(&ex, &c, &sources[i], report_date);
                            let n = ms.len() as u64;
                            (seq, Output::Mentions(i, map(i, ms), n, c.text.len() as u64, c.invalid_bytes))
                        }
                        Ok(Job::End(seq, i, r)) => (seq, Output::End(i, r)),
                        Err(_) => return,
                    };
                    if out_tx.send(out).is_err() {
                        return;
                    }
                }
            });
        }
        // Only the workers may hold the job queue and the result channel: when they stop, the reader's and
        // this thread's ends notice.
        drop(job_rx);
        drop(out_tx);
        // In order: hold early arrivals until their turn.
        let mut next = 0;
        let mut waiting = std::collections::BTreeMap::new();
        let mut stats = InputStats::default();
        for (seq, out) in out_rx {
            waiting.insert(seq, out);
            while let Some(out) = waiting.remove(&next) {
                next += 1;
                let event = match out {
                    Output::Mentions(i, ms, n, bytes, invalid) => {
                        stats.bytes += bytes;
                        stats.invalid_bytes += invalid;
                        stats.mentions += n;
                        Event::Mentions(i, ms)
                    }
                    Output::End(i, r) => Event::Done(i, r.map(|()| std::mem::take(&mut stats))),
                };
                // Returning drops the receiver: the workers and the reader stop at their next send.
                sink(event)?;
            }
        }
        Ok(())
    })
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
    fn parallel_extraction_reports_in_input_order() {
        let gaz = crate::gazetteer::Gazetteer::embedded().expect("embedded gazetteer");
        let resolver = crate::resolve::Resolver::new(&gaz);
        // Input 1 is binary; inputs 0 and 2 name one place each; 3 is empty.
        let inputs: Vec<&[u8]> = vec![b"A drone fell on Kursk.", b"\x7fELF\0\0\0", b"Shelling hit Sumy.", b""];
        let sources: Vec<String> = (0..inputs.len()).map(|i| format!("in{i}")).collect();
        let mut events = Vec::new();
        extract_parallel(
            &resolver,
            None,
            &sources,
            |i| Ok(inputs[i]),
            None,
            3,
            |e| {
                events.push(match e {
                    Event::Mentions(i, ms) => {
                        format!("{i}:{}", ms.iter().map(|m| m.mention.as_str()).collect::<Vec<_>>().join(","))
                    }
                    Event::Done(i, Ok(st)) => format!("{i}:done {} bytes", st.bytes),
                    Event::Done(i, Err(e)) => format!("{i}:failed {}", matches!(e, StreamError::Binary(0))),
                });
                Ok(())
            },
        )
        .expect("no sink error");
        assert_eq!(
            events,
            ["0:Kursk", "0:done 22 bytes", "1:failed true", "2:Sumy", "2:done 18 bytes", "3:done 0 bytes"]
        );
    }

    #[test]
    fn cuts_at_paragraphs_then_lines() {
        assert_eq!(cut_point(b"aa\nbbbbbb\n\ncc"), 11);
        assert_eq!(cut_point(b"aaaaaaa\nbbbb cc"), 8);
    }
}
