//! Text articles: read whole (up to a limit), geoparsed by the run's [`crate::extract::Extractor`] and turned
//! into incidents by [`incidents_from_mentions`].

use std::io::Read;

use rustc_hash::FxHashSet as HashSet;

use super::{Incident, Unresolved};
use crate::border::BorderIndex;
use crate::extract::stream::{Chunks, StreamError, extract_chunk};
use crate::extract::{Extractor, Mention, Precision, Role};
use crate::resolve::{Resolver, Status};

use super::locate::Context;
use super::{ReadError, Sink};

/// Read one article in chunks ([`crate::extract::stream::Chunks`], as `extract` reads it, so memory stays bounded
/// whatever its size): each chunk geoparsed, the article's mentions turned into incidents together. Invalid
/// UTF-8 is read as `?` and noted; NUL bytes make it binary; an article over [`super::ReadOptions::max_text_bytes`]
/// is refused.
pub(crate) fn read<R: Read>(
    reader: R,
    ctx: &Context,
    extractor: &crate::extract::Extractor,
    sink: &mut Sink,
) -> Result<(), ReadError> {
    let max = ctx.opts.max_text_bytes;
    let bad = |why: String| ReadError::BadInput { path: ctx.source.to_string(), why };
    let (mut mentions, mut bytes, mut invalid, mut first_invalid_line, mut blank) = (Vec::new(), 0, 0, None, true);
    for chunk in Chunks::new(reader.take(max + 1)) {
        let chunk = chunk.map_err(|e| match e {
            StreamError::Io(source) => ReadError::Io { path: ctx.source.to_string(), source },
            other => bad(other.to_string().trim_end_matches("; skipped").to_string()),
        })?;
        bytes += chunk.text.len() as u64;
        if bytes > max {
            return Err(bad(format!("article larger than {} MiB; split it or pass a table", max >> 20)));
        }
        invalid += chunk.invalid_bytes;
        first_invalid_line = first_invalid_line.or(chunk.first_invalid_line);
        blank &= chunk.text.trim_start_matches('\u{feff}').trim().is_empty();
        mentions.extend(extract_chunk(extractor, &chunk, ctx.source, ctx.opts.report_date));
    }
    if blank {
        return Err(bad("empty article".into()));
    }
    if invalid > 0 {
        let line = first_invalid_line.unwrap_or(1);
        sink.note(ctx.source, line, &format!("not valid UTF-8: {invalid} invalid byte(s) read as '?'"));
    }
    let (found, failed) = incidents_from_mentions(&mentions);
    for i in found {
        sink.incident(i)?;
    }
    for u in failed {
        sink.unresolved(u)?;
    }
    Ok(())
}

/// The incidents an article describes (mentions with role `incident`), located and measured; incident
/// mentions that cannot be placed come back as [`Unresolved`]. `report_date` resolves relative dates.
///
/// One incident per site: repeated mentions of a place, and the two ends of "between A and B", make one
/// incident; a region-precision mention is dropped when the same article places an incident more
/// precisely in that region (it summarises the same events).
pub fn incidents_from_text(
    text: &str,
    source: &str,
    report_date: Option<chrono::NaiveDate>,
    resolver: &Resolver,
    border: &BorderIndex,
) -> (Vec<Incident>, Vec<Unresolved>) {
    let ex = Extractor::new(resolver, Some(border));
    let mentions = ex.extract(text, source, report_date);
    incidents_from_mentions(&mentions)
}

/// Turn extracted mentions into incidents (see [`incidents_from_text`]).
pub fn incidents_from_mentions(mentions: &[Mention]) -> (Vec<Incident>, Vec<Unresolved>) {
    let mut incidents: Vec<Incident> = Vec::new();
    let mut unresolved = Vec::new();
    for m in mentions.iter().filter(|m| m.role == Role::Incident) {
        let (Some(lat), Some(lon), Some(meas)) = (m.lat, m.lon, m.measurement.clone()) else {
            unresolved.push(Unresolved {
                source: m.source.to_string(),
                line: line_of(m),
                input: m.mention.to_string(),
                reason: if m.lat.is_some() {
                    "could not be measured against the border".into()
                } else {
                    format!("no place named {:?} in the gazetteer and no region given", m.name)
                },
            });
            continue;
        };
        // A guess between namesakes anywhere is no point on a map: the analyst names the region (or adds the
        // place). Within the region the text names, the likeliest namesake there stands, marked ambiguous.
        if m.status == Status::Ambiguous && m.precision != Precision::Region && m.region.is_none() {
            let guess = m
                .place
                .as_ref()
                .map_or(String::new(), |p| format!(" (the likeliest, {} in {})", p.name, p.admin1_name));
            unresolved.push(Unresolved {
                source: m.source.to_string(),
                line: line_of(m),
                input: m.mention.to_string(),
                reason: format!("ambiguous: {:?} names several places{guess}; the text gives no region", m.name),
            });
            continue;
        }
        let mut fields = serde_json::Map::new();
        fields.insert("mention".into(), m.mention.as_str().into());
        fields.insert("start".into(), m.start.into());
        fields.insert("end".into(), m.end.into());
        fields.insert("name".into(), m.name.as_str().into());
        if let Some(r) = &m.region {
            fields.insert("region".into(), r.as_str().into());
        }
        if let Some(b) = &m.between {
            fields.insert("between".into(), b.as_str().into());
        }
        if let Some(w) = &m.weapon_model {
            fields.insert("weapon_model".into(), w.as_str().into());
        }
        incidents.push(Incident {
            source: m.source.to_string(),
            line: line_of(m),
            fields: fields.into(),
            date: m.date.as_deref().map(str::to_string),
            weapon: m.weapon.map(str::to_string),
            event_type: m.event_type,
            lat,
            lon,
            precision: m.precision,
            status: Some(m.status),
            place: m.place.as_deref().cloned(),
            measurement: meas,
            evidence: Some(m.evidence.to_string()),
            note: None,
        });
    }
    (merge_document(incidents), unresolved)
}

/// One document's incidents, each site once: the first incident at a point (with its precision and date)
/// stands for the mentions that repeat it, and an incident placed only at its region's centre is dropped when
/// the document places another incident precisely in that region. `map` applies it to an article's
/// incidents and to `extract` output read back, so both give the same incidents.
pub fn merge_document(incidents: Vec<Incident>) -> Vec<Incident> {
    let precise_regions: HashSet<String> = incidents
        .iter()
        .filter(|i| i.precision != Precision::Region)
        .filter_map(|i| i.place.as_ref().map(|p| p.admin1.to_string()))
        .collect();
    let mut seen: HashSet<String> = HashSet::default();
    incidents
        .into_iter()
        .filter(|i| {
            let region_only = i.precision == Precision::Region
                && i.place.as_ref().is_some_and(|p| precise_regions.contains(p.admin1.as_str()))
                && i.status != Some(Status::NotFound);
            let site = format!("{:.4},{:.4},{:?},{}", i.lat, i.lon, i.precision, i.date.as_deref().unwrap_or(""));
            !region_only && seen.insert(site)
        })
        .collect()
}

fn line_of(m: &Mention) -> u64 {
    m.line
}
