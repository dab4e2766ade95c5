//! Text articles: read whole (up to a limit), geoparsed by the run's [`crate::extract::Extractor`] and turned
//! into incidents by [`crate::extract::incidents_from_mentions`].

use std::io::Read;

use super::locate::Context;
use super::{ReadError, Sink};

pub(crate) fn read<R: Read>(
    reader: R,
    ctx: &Context,
    extractor: &crate::extract::Extractor,
    sink: &mut Sink,
) -> Result<(), ReadError> {
    let max = ctx.opts.max_text_bytes;
    let mut bytes = Vec::new();
    reader
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io { path: ctx.source.to_string(), source })?;
    let bad = |why: String| ReadError::BadInput { path: ctx.source.to_string(), why };
    if bytes.len() as u64 > max {
        return Err(bad(format!("article larger than {} MiB; split it or pass a table", max >> 20)));
    }
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        bad(format!("not UTF-8 text (invalid byte at offset {}, line {line})", e.valid_up_to()))
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(bad("empty article".into()));
    }
    let mentions = extractor.extract(text, ctx.source, ctx.opts.report_date);
    let (found, failed) = crate::extract::incidents_from_mentions(&mentions);
    for i in found {
        sink.incident(i)?;
    }
    for u in failed {
        sink.unresolved(u)?;
    }
    Ok(())
}
