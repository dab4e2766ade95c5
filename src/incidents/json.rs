//! JSON inputs: NDJSON/GeoJSONSeq line by line, and JSON documents (an array of objects, a GeoJSON
//! FeatureCollection, or one object) streamed element by element through a serde visitor, so a large
//! array never sits in memory whole.

use std::cell::RefCell;
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::locate::{Context, canonical_keys};
use super::{ReadError, Sink};

/// One JSON value of an input (an NDJSON line, an array element, a feature) → the sink.
fn handle(ctx: &Context, sink: &mut Sink, number: u64, value: Value) -> Result<(), ReadError> {
    let Value::Object(mut obj) = value else {
        let shown = value.to_string();
        return sink.unresolved(ctx.unresolved(number, &shown, "not a JSON object"));
    };
    let is_feature = obj.get("type").and_then(Value::as_str) == Some("Feature");
    if !is_feature {
        canonical_keys(&mut obj);
        return sink.located(ctx.locate(number, obj, None));
    }
    let mut fields = match obj.remove("properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    canonical_keys(&mut fields);
    let point = match obj.remove("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => match point_of(&g) {
            Ok(p) => Some(p),
            Err(why) => return sink.unresolved(ctx.unresolved(number, &g.to_string(), why)),
        },
    };
    sink.located(ctx.locate(number, fields, point))
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

/// NDJSON / GeoJSONSeq: one value per line (RFC 8142's record separators are ignored).
pub(crate) fn read_lines<R: BufRead>(mut reader: R, ctx: &Context, sink: &mut Sink) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    let max = ctx.opts.max_line_bytes;
    loop {
        buf.clear();
        line += 1;
        let n = (&mut reader)
            .take(max as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|source| ReadError::Io { path: ctx.source.to_string(), source })?;
        if n == 0 {
            return Ok(());
        }
        if buf.len() > max && buf.last() != Some(&b'\n') {
            return Err(ReadError::BadInput {
                path: ctx.source.to_string(),
                why: format!("line {line} is longer than {max} bytes"),
            });
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            sink.unresolved(ctx.unresolved(line, &String::from_utf8_lossy(&buf), "line is not valid UTF-8"))?;
            continue;
        };
        let text = text.trim_start_matches(['\u{feff}', '\u{1e}']).trim();
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(text) {
            Ok(v) => handle(ctx, sink, line, v)?,
            Err(e) => sink.unresolved(ctx.unresolved(line, text, format!("invalid JSON: {e}")))?,
        }
    }
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
