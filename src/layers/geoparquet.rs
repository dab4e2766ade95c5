//! GeoParquet output (`map --format geoparquet`): each layer as a `.parquet` file following GeoParquet 1.1
//! (a WKB `geometry` column, the `geo` file metadata naming it, its geometry types and its bounding box;
//! coordinates are longitude/latitude on WGS 84, GeoParquet's default CRS), for pandas, GeoPandas, DuckDB and
//! Arrow users. Written with the [`parquet`] crate's Arrow writer, Snappy-compressed, in row groups of
//! [`BATCH_ROWS`].

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BinaryBuilder, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use geozero::{CoordDimensions, ToWkb};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use serde_json::Value;

use super::LayerError;
use super::convert::{ColumnType, Error, Shape, for_each_feature, geometry_of, shape_of};

/// Rows per record batch (and row group unit).
const BATCH_ROWS: usize = 8192;

/// Write the GeoJSON layer `geojson` as GeoParquet `target`, atomically.
pub fn write(geojson: &Path, target: &Path) -> Result<(), LayerError> {
    let io = |source: std::io::Error| LayerError::Io { path: target.to_path_buf(), source };
    let shape = shape_of(geojson).map_err(|e| e.for_layer(geojson, target))?;
    let out = crate::atomic_file::AtomicWriter::create(target).map_err(io)?;
    let out = write_rows(&shape, geojson, out).map_err(|e| e.for_layer(geojson, target))?;
    out.commit().map_err(io)
}

/// The `geo` metadata of GeoParquet 1.1 for a layer of `shape`.
fn geo_metadata(shape: &Shape) -> String {
    let types: Vec<&str> = match (shape.mixed_geometry, shape.geometry) {
        (false, Some(t)) => vec![match t {
            "POINT" => "Point",
            "LINESTRING" => "LineString",
            "POLYGON" => "Polygon",
            "MULTIPOINT" => "MultiPoint",
            "MULTILINESTRING" => "MultiLineString",
            "MULTIPOLYGON" => "MultiPolygon",
            _ => "GeometryCollection",
        }],
        _ => Vec::new(),
    };
    let mut column = serde_json::json!({"encoding": "WKB", "geometry_types": types});
    if let Some(r) = shape.extent {
        column["bbox"] = serde_json::json!([r.min().x, r.min().y, r.max().x, r.max().y]);
    }
    serde_json::json!({"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}).to_string()
}

/// One column being filled for a batch.
enum Builder {
    Integer(Int64Builder),
    Real(Float64Builder),
    Boolean(BooleanBuilder),
    Text(StringBuilder),
}

impl Builder {
    fn new(t: ColumnType) -> Builder {
        match t {
            ColumnType::Integer => Builder::Integer(Int64Builder::new()),
            ColumnType::Real => Builder::Real(Float64Builder::new()),
            ColumnType::Boolean => Builder::Boolean(BooleanBuilder::new()),
            ColumnType::Text => Builder::Text(StringBuilder::new()),
        }
    }

    fn data_type(t: ColumnType) -> DataType {
        match t {
            ColumnType::Integer => DataType::Int64,
            ColumnType::Real => DataType::Float64,
            ColumnType::Boolean => DataType::Boolean,
            ColumnType::Text => DataType::Utf8,
        }
    }

    fn push(&mut self, v: Option<&Value>) {
        match (self, v) {
            (Builder::Integer(b), Some(Value::Number(n))) => b.append_option(n.as_i64()),
            (Builder::Real(b), Some(Value::Number(n))) => b.append_option(n.as_f64()),
            (Builder::Boolean(b), Some(Value::Bool(x))) => b.append_value(*x),
            (Builder::Text(b), Some(Value::String(s))) => b.append_value(s),
            (Builder::Text(b), Some(other)) if !other.is_null() => b.append_value(other.to_string()),
            (Builder::Integer(b), _) => b.append_null(),
            (Builder::Real(b), _) => b.append_null(),
            (Builder::Boolean(b), _) => b.append_null(),
            (Builder::Text(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Integer(b) => Arc::new(b.finish()),
            Builder::Real(b) => Arc::new(b.finish()),
            Builder::Boolean(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
        }
    }
}

/// Stream the features of `geojson` into `out` as GeoParquet; the writer is handed back to be committed.
fn write_rows<W: std::io::Write + Send>(shape: &Shape, geojson: &Path, out: W) -> Result<W, Error> {
    let columns = shape.typed_columns();
    let mut fields = vec![Field::new("geometry", DataType::Binary, true)];
    fields.extend(columns.iter().map(|(name, t)| Field::new(*name, Builder::data_type(*t), true)));
    let schema = Arc::new(Schema::new(fields));
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![KeyValue::new("geo".to_string(), geo_metadata(shape))]))
        .build();
    let parquet_error = |e: parquet::errors::ParquetError| Error::Write(e.to_string());
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(parquet_error)?;
    let mut geometry = BinaryBuilder::new();
    let mut builders: Vec<Builder> = columns.iter().map(|(_, t)| Builder::new(*t)).collect();
    let mut rows = 0;
    let flush = |geometry: &mut BinaryBuilder, builders: &mut [Builder], writer: &mut ArrowWriter<W>| {
        let mut arrays: Vec<ArrayRef> = vec![Arc::new(geometry.finish())];
        arrays.extend(builders.iter_mut().map(Builder::finish));
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| Error::Write(e.to_string()))?;
        writer.write(&batch).map_err(parquet_error)
    };
    for_each_feature(geojson, &mut |f| {
        match geometry_of(&f)? {
            Some(g) => geometry.append_value(g.to_wkb(CoordDimensions::xy()).map_err(|e| Error::Write(e.to_string()))?),
            None => geometry.append_null(),
        }
        let props = f.properties.as_ref();
        for ((name, _), b) in columns.iter().zip(builders.iter_mut()) {
            b.push(props.and_then(|p| p.get(*name)));
        }
        rows += 1;
        if rows % BATCH_ROWS == 0 {
            flush(&mut geometry, &mut builders, &mut writer)?;
        }
        Ok(())
    })?;
    if rows % BATCH_ROWS != 0 || rows == 0 {
        flush(&mut geometry, &mut builders, &mut writer)?;
    }
    writer.into_inner().map_err(parquet_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geo_metadata_names_the_column_types_and_box() {
        let shape = Shape {
            geometry: Some("POINT"),
            extent: Some(geo::Rect::new(geo::coord! { x: 30.0, y: 45.0 }, geo::coord! { x: 40.0, y: 55.0 })),
            ..Shape::default()
        };
        let meta: Value = serde_json::from_str(&geo_metadata(&shape)).unwrap();
        // GeoParquet 1.1: version, primary_column, columns.<name>.encoding / geometry_types / bbox.
        assert_eq!(meta["version"], "1.1.0");
        assert_eq!(meta["primary_column"], "geometry");
        assert_eq!(meta["columns"]["geometry"]["encoding"], "WKB");
        assert_eq!(meta["columns"]["geometry"]["geometry_types"], serde_json::json!(["Point"]));
        assert_eq!(meta["columns"]["geometry"]["bbox"], serde_json::json!([30.0, 45.0, 40.0, 55.0]));
    }
}
