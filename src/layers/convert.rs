//! Reading back the GeoJSON layers `map` writes, to convert them into other formats (GeoPackage, FlatGeobuf,
//! GeoParquet): features streamed one at a time, and a first pass that learns a layer's columns, geometry type
//! and extent (the other formats declare their schema before their features).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use geo::BoundingRect;
use serde_json::Value;

use super::LayerError;

/// Why a layer could not be converted.
#[derive(Debug)]
pub(crate) enum Error {
    /// The layer file could not be read as GeoJSON.
    Read(String),
    /// The target format refused something.
    Write(String),
}

impl Error {
    /// As a [`LayerError`]: reading `layer` failed, or writing `target`.
    pub fn for_layer(self, layer: &Path, target: &Path) -> LayerError {
        let (path, why) = match self {
            Error::Read(why) => (layer, why),
            Error::Write(why) => (target, why),
        };
        LayerError::Io { path: path.to_path_buf(), source: std::io::Error::new(std::io::ErrorKind::InvalidData, why) }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Write(e.to_string())
    }
}

/// What the features of a layer hold, learnt in a first pass: each property's column type, the geometry
/// types seen and the extent.
#[derive(Default)]
pub(crate) struct Shape {
    /// Each property's type; `None` for one only ever null.
    pub columns: BTreeMap<String, Option<ColumnType>>,
    /// The geometry type name (GeoPackage's: `POINT`, `MULTIPOLYGON` ...) of the first feature with one.
    pub geometry: Option<&'static str>,
    /// Whether features have several geometry types.
    pub mixed_geometry: bool,
    pub extent: Option<geo::Rect<f64>>,
}

impl Shape {
    /// The columns to write, in name order, untyped ones as text; `fid` and `geom` are the formats' own.
    pub fn typed_columns(&self) -> Vec<(&str, ColumnType)> {
        self.columns
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "fid" | "geom" | "geometry"))
            .map(|(k, t)| (k.as_str(), t.unwrap_or(ColumnType::Text)))
            .collect()
    }
}

/// A column's type, from the JSON values it holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ColumnType {
    Integer,
    Real,
    Boolean,
    Text,
}

impl ColumnType {
    pub fn of(v: &Value) -> Option<ColumnType> {
        match v {
            Value::Null => None,
            Value::Bool(_) => Some(ColumnType::Boolean),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(ColumnType::Integer),
            Value::Number(_) => Some(ColumnType::Real),
            _ => Some(ColumnType::Text),
        }
    }

    pub fn join(self, other: ColumnType) -> ColumnType {
        use ColumnType::*;
        match (self, other) {
            (a, b) if a == b => a,
            (Integer, Real) | (Real, Integer) => Real,
            _ => Text,
        }
    }
}

/// Call `each` with every feature of a GeoJSON FeatureCollection file, streamed: only one feature is in
/// memory at a time, whatever the file's size (other members, such as `bbox`, are skipped).
pub(crate) fn for_each_feature(
    path: &Path,
    each: &mut dyn FnMut(geojson::Feature) -> Result<(), Error>,
) -> Result<(), Error> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct Collection<'a>(&'a mut dyn FnMut(geojson::Feature) -> Result<(), Error>, &'a mut Option<Error>);
    struct Features<'a, 'b>(&'b mut Collection<'a>);
    impl<'de> Visitor<'de> for Collection<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a GeoJSON FeatureCollection")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "features" {
                    map.next_value_seed(Features(&mut self))?;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for Features<'_, '_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }
    impl<'de> Visitor<'de> for Features<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of features")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(feature) = seq.next_element::<geojson::Feature>()? {
                if let Err(e) = (self.0.0)(feature) {
                    *self.0.1 = Some(e);
                    return Err(serde::de::Error::custom("stopped"));
                }
            }
            Ok(())
        }
    }
    let file = std::fs::File::open(path).map_err(|e| Error::Read(e.to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut head = Vec::new();
    reader.read_until(b'\n', &mut head).map_err(|e| Error::Read(e.to_string()))?;
    if is_line_layer_head(&head) {
        return features_by_line(reader, each);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::Read(e.to_string()))?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, file));
    let mut failed = None;
    let read = de.deserialize_map(Collection(each, &mut failed));
    match (failed, read) {
        (Some(e), _) => Err(e),
        (None, Err(e)) => Err(Error::Read(e.to_string())),
        (None, Ok(())) => Ok(()),
    }
}

/// Features parsed at once in [`features_by_line`], on all cores.
const LINE_BATCH: usize = 4096;

/// Whether a layer's first line is the head incimap writes, `{"type":"FeatureCollection", ... "features":[`,
/// after which every feature is one line (ending in `,` but the last) and a line starting with `]` ends them.
fn is_line_layer_head(line: &[u8]) -> bool {
    let line = line.trim_ascii_end();
    line.starts_with(b"{\"type\":\"FeatureCollection\"") && line.ends_with(b"\"features\":[")
}

/// [`for_each_feature`] over a layer of one feature a line (see [`is_line_layer_head`]), its head read: lines are
/// read in batches of [`LINE_BATCH`], parsed on all cores from memory (several times faster than parsing from a
/// reader), and handed to `each` in order.
fn features_by_line(
    mut reader: impl BufRead,
    each: &mut dyn FnMut(geojson::Feature) -> Result<(), Error>,
) -> Result<(), Error> {
    use rayon::prelude::*;
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut ended = false;
    while !ended {
        let mut filled = 0;
        while filled < LINE_BATCH {
            if filled == lines.len() {
                lines.push(Vec::new());
            }
            let line = &mut lines[filled];
            line.clear();
            let n = reader.read_until(b'\n', line).map_err(|e| Error::Read(e.to_string()))?;
            if n == 0 || line.starts_with(b"]") {
                ended = true;
                break;
            }
            filled += 1;
        }
        let parsed: Vec<Result<geojson::Feature, String>> = lines[..filled]
            .par_iter()
            .map(|l| {
                let l = l.trim_ascii_end();
                serde_json::from_slice(l.strip_suffix(b",").unwrap_or(l)).map_err(|e| e.to_string())
            })
            .collect();
        for feature in parsed {
            each(feature.map_err(Error::Read)?)?;
        }
    }
    Ok(())
}

/// A feature's geometry as geo-types, or `None` for a feature without one.
pub(crate) fn geometry_of(f: &geojson::Feature) -> Result<Option<geo::Geometry<f64>>, Error> {
    let Some(g) = &f.geometry else { return Ok(None) };
    to_geo(g.clone()).map(Some).map_err(Error::Read)
}

/// A GeoJSON geometry as geo-types. Every position must hold at least two numbers (longitude, latitude):
/// the geojson crate's conversion indexes them unchecked and panics on `[36.6]` or `[]`.
pub(crate) fn to_geo(g: geojson::Geometry) -> Result<geo::Geometry<f64>, String> {
    check_positions(&g.value)?;
    geo::Geometry::<f64>::try_from(g).map_err(|e| e.to_string())
}

fn check_positions(value: &geojson::GeometryValue) -> Result<(), String> {
    use geojson::GeometryValue as V;
    let short = |p: &&geojson::Position| p.len() < 2;
    let bad = match value {
        V::Point { coordinates } => std::iter::once(coordinates).find(short),
        V::MultiPoint { coordinates } | V::LineString { coordinates } => coordinates.iter().find(short),
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => coordinates.iter().flatten().find(short),
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().find(short),
        V::GeometryCollection { geometries } => return geometries.iter().try_for_each(|g| check_positions(&g.value)),
    };
    match bad {
        Some(p) => Err(format!(
            "a {} has a position of {} number(s), {:?}: it needs longitude and latitude",
            value.type_name(),
            p.len(),
            p.as_slice()
        )),
        None => Ok(()),
    }
}

pub(crate) fn geometry_type(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) => "POINT",
        geo::Geometry::LineString(_) | geo::Geometry::Line(_) => "LINESTRING",
        geo::Geometry::Polygon(_) | geo::Geometry::Rect(_) | geo::Geometry::Triangle(_) => "POLYGON",
        geo::Geometry::MultiPoint(_) => "MULTIPOINT",
        geo::Geometry::MultiLineString(_) => "MULTILINESTRING",
        geo::Geometry::MultiPolygon(_) => "MULTIPOLYGON",
        geo::Geometry::GeometryCollection(_) => "GEOMETRYCOLLECTION",
    }
}

/// First pass over a layer: its columns, geometry type and extent.
pub(crate) fn shape_of(path: &Path) -> Result<Shape, Error> {
    let mut shape = Shape::default();
    for_each_feature(path, &mut |f| {
        for (k, v) in f.properties.iter().flatten() {
            // A column seen only with nulls so far has no type yet (TEXT if it never gets one).
            let e = shape.columns.entry(k.clone()).or_insert(None);
            if let Some(t) = ColumnType::of(v) {
                *e = Some(e.map_or(t, |known| known.join(t)));
            }
        }
        if let Some(g) = geometry_of(&f)? {
            let t = geometry_type(&g);
            shape.mixed_geometry |= shape.geometry.is_some_and(|s| s != t);
            shape.geometry.get_or_insert(t);
            if let Some(r) = g.bounding_rect() {
                shape.extent = Some(match shape.extent {
                    None => r,
                    Some(e) => geo::Rect::new(
                        geo::coord! { x: e.min().x.min(r.min().x), y: e.min().y.min(r.min().y) },
                        geo::coord! { x: e.max().x.max(r.max().x), y: e.max().y.max(r.max().y) },
                    ),
                });
            }
        }
        Ok(())
    })?;
    Ok(shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layer as incimap writes it (a feature a line) reads as the same layer in one line, which takes the
    /// streaming path.
    #[test]
    fn features_read_by_line_as_by_stream() {
        let features = [
            r#"{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[36.6,50.6]},"properties":{"a":1,"b":"x,]"}}"#,
            r#"{"type":"Feature","id":2,"geometry":null,"properties":{"a":null,"b":"y"}}"#,
            r#"{"type":"Feature","id":3,"geometry":{"type":"LineString","coordinates":[[36.6,50.6],[36.4,50.3]]},"properties":{}}"#,
        ];
        let dir = tempfile::tempdir().unwrap();
        let by_line = dir.path().join("lines.geojson");
        let head = r#"{"type":"FeatureCollection","name":"t","features":["#;
        std::fs::write(&by_line, format!("{head}\n{}\n],\"bbox\":[36.4,50.3,36.6,50.6]}}\n", features.join(",\n")))
            .unwrap();
        let one_line = dir.path().join("one.geojson");
        std::fs::write(&one_line, format!("{head}{}]}}", features.join(","))).unwrap();
        let read = |p: &Path| {
            let mut got = Vec::new();
            for_each_feature(p, &mut |f| {
                got.push(f);
                Ok(())
            })
            .unwrap();
            got
        };
        assert!(is_line_layer_head(format!("{head}\n").as_bytes()));
        let (a, b) = (read(&by_line), read(&one_line));
        assert_eq!(a.len(), 3);
        assert_eq!(a, b);
    }

    #[test]
    fn column_types_join_to_the_widest() {
        use ColumnType::*;
        assert_eq!(Integer.join(Real), Real);
        assert_eq!(Integer.join(Text), Text);
        assert_eq!(Boolean.join(Integer), Text);
        assert_eq!(ColumnType::of(&serde_json::json!(3)), Some(Integer));
        assert_eq!(ColumnType::of(&serde_json::json!(3.5)), Some(Real));
        assert_eq!(ColumnType::of(&Value::Null), None);
    }
}
