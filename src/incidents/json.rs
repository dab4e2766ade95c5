//! JSON inputs: NDJSON/GeoJSONSeq line by line, and JSON documents (an array of objects, a GeoJSON
//! FeatureCollection, or one object) streamed element by element through a serde visitor, so a large
//! array never sits in memory whole.

use std::cell::RefCell;
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use rayon::prelude::*;

use super::locate::{Context, NotPlaced, canonical_keys};
use super::schema::Schema;
use super::{Incident, ReadError, Sink};

/// One JSON value of an input (an NDJSON line, an array element, a feature) → an incident or why not.
fn element(ctx: &Context, number: u64, value: Value) -> Result<Incident, NotPlaced> {
    let Value::Object(mut obj) = value else {
        let shown = value.to_string();
        return Err(ctx.unresolved(number, &shown, "not a JSON object").into());
    };
    let is_feature = obj.get("type").and_then(Value::as_str) == Some("Feature");
    if !is_feature {
        canonical_keys(&mut obj);
        let ctx = Context { schema: Schema::recognise(obj.keys().map(String::as_str)), ..*ctx };
        return ctx.locate(number, obj.into(), None);
    }
    let mut fields = match obj.remove("properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    canonical_keys(&mut fields);
    let ctx = Context { schema: Schema::recognise(fields.keys().map(String::as_str)), ..*ctx };
    let point = match obj.remove("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => match point_of(&g) {
            Ok(p) => Some(p),
            Err(why) => return Err(ctx.unresolved(number, &g.to_string(), why).into()),
        },
    };
    ctx.locate(number, fields.into(), point)
}

fn handle(ctx: &Context, sink: &mut Sink, number: u64, value: Value) -> Result<(), ReadError> {
    sink.located(element(ctx, number, value))
}

/// `(lon, lat)` of a GeoJSON Point geometry.
fn point_of(g: &Value) -> Result<(f64, f64), String> {
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("(no type)");
    if kind != "Point" {
        return Err(format!("geometry is a {kind}, not a Point"));
    }
    let c = g.get("coordinates").and_then(Value::as_array).ok_or("Point has no coordinates")?;
    match (c.first().and_then(Value::as_f64), c.get(1).and_then(Value::as_f64)) {
        (Some(lon), Some(lat)) => Ok((lon, lat)),
        _ => Err("bad coordinates: Point coordinates must be [lon, lat] numbers".to_string()),
    }
}

/// NDJSON / GeoJSONSeq: one value per line (RFC 8142's record separators are ignored). Lines are read in order
/// in batches and parsed and located on all cores.
pub(crate) fn read_lines<R: BufRead>(mut reader: R, ctx: &Context, sink: &mut Sink) -> Result<(), ReadError> {
    let mut batch: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut line = 0u64;
    let max = ctx.opts.max_line_bytes;
    loop {
        let mut filled = 0;
        while filled < BATCH {
            if filled == batch.len() {
                batch.push((0, Vec::new()));
            }
            let (number, buf) = &mut batch[filled];
            buf.clear();
            line += 1;
            let n = (&mut reader)
                .take(max as u64 + 1)
                .read_until(b'\n', buf)
                .map_err(|source| ReadError::Io { path: ctx.source.to_string(), source })?;
            if n == 0 {
                break;
            }
            if buf.len() > max && buf.last() != Some(&b'\n') {
                return Err(ReadError::BadInput {
                    path: ctx.source.to_string(),
                    why: format!("line {line} is longer than {max} bytes"),
                });
            }
            *number = line;
            filled += 1;
        }
        if filled == 0 {
            return Ok(());
        }
        let rows: Vec<Option<Result<Incident, NotPlaced>>> =
            batch[..filled].par_iter().with_min_len(64).map(|(number, buf)| json_line(ctx, *number, buf)).collect();
        for r in rows.into_iter().flatten() {
            sink.located(r)?;
        }
        sink.flush()?;
        if filled < BATCH {
            return Ok(());
        }
    }
}

/// Lines handed to the worker threads at once.
const BATCH: usize = super::BATCH;

/// One NDJSON line → an incident, a line that cannot be placed, or `None` for a blank line.
fn json_line(ctx: &Context, number: u64, buf: &[u8]) -> Option<Result<Incident, NotPlaced>> {
    let Ok(text) = std::str::from_utf8(buf) else {
        return Some(Err(ctx.unresolved(number, &String::from_utf8_lossy(buf), "line is not valid UTF-8").into()));
    };
    let text = text.trim_start_matches(['\u{feff}', '\u{1e}']).trim();
    if text.is_empty() {
        return None;
    }
    Some(match serde_json::from_str::<Value>(text) {
        Ok(v) => element(ctx, number, v),
        Err(e) => Err(ctx.unresolved(number, text, format!("invalid JSON: {e}")).into()),
    })
}

/// A JSON document: an array of objects, a FeatureCollection (its `features` streamed) or a single object.
pub(crate) fn read_document<R: BufRead>(reader: R, ctx: &Context, sink: &mut Sink) -> Result<(), ReadError> {
    let state = State { ctx, sink: RefCell::new(sink), failed: RefCell::new(None), count: RefCell::new(0) };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Document(&state).deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = state.failed.into_inner() {
        return Err(e);
    }
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.is_io() => Err(ReadError::Io { path: ctx.source.to_string(), source: e.into() }),
        Err(e) => Err(ReadError::BadInput { path: ctx.source.to_string(), why: format!("invalid JSON: {e}") }),
    }
}

/// Shared by the visitors: where elements go, and the first error a callback returned (serde errors carry
/// only text, so the real error waits here while a marker error unwinds the parser).
struct State<'a, 's> {
    ctx: &'a Context<'a>,
    sink: RefCell<&'a mut Sink<'s>>,
    failed: RefCell<Option<ReadError>>,
    count: RefCell<u64>,
}

impl State<'_, '_> {
    fn element<E: serde::de::Error>(&self, value: Value) -> Result<(), E> {
        let number = {
            let mut c = self.count.borrow_mut();
            *c += 1;
            *c
        };
        let mut sink = self.sink.borrow_mut();
        handle(self.ctx, &mut sink, number, value).map_err(|e| {
            *self.failed.borrow_mut() = Some(e);
            E::custom("stopped")
        })
    }
}

struct Document<'x, 'a, 's>(&'x State<'a, 's>);

impl<'de> DeserializeSeed<'de> for Document<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of objects, a GeoJSON FeatureCollection or an object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.0.element(v)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = Map::new();
        let mut had_features = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                had_features = true;
                map.next_value_seed(Features(self.0))?;
            } else if had_features {
                map.next_value::<IgnoredAny>()?;
            } else {
                rest.insert(key, map.next_value::<Value>()?);
            }
        }
        if !had_features {
            // One object (a Feature or a plain record) on its own.
            self.0.element(Value::Object(rest))?;
        }
        Ok(())
    }
}

struct Features<'x, 'a, 's>(&'x State<'a, 's>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of GeoJSON features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.0.element(v)?;
        }
        Ok(())
    }
}
