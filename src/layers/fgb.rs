//! FlatGeobuf output (`map --format fgb`): each layer as a `.fgb` file (the [`flatgeobuf`] crate, with its
//! packed Hilbert R-tree index, EPSG:4326), for large layers on the web and fast loading in GIS; the QGIS
//! styles go beside them as `.qml` files of the same name, which QGIS applies on opening.

use std::path::Path;

use flatgeobuf::{ColumnType as FgbColumn, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, PropertyProcessor};
use serde_json::Value;

use super::LayerError;
use super::convert::{ColumnType, Error, for_each_feature, geometry_of, shape_of};

/// Write the GeoJSON layer `geojson` as FlatGeobuf `target`, atomically.
pub fn write(name: &str, geojson: &Path, target: &Path) -> Result<(), LayerError> {
    let io = |source: std::io::Error| LayerError::Io { path: target.to_path_buf(), source };
    let fgb = build(name, geojson).map_err(|e| e.for_layer(geojson, target))?;
    crate::atomic_file::write_with(target, |out| fgb.write(out).map_err(|e| std::io::Error::other(e.to_string())))
        .map_err(io)
}

/// The FlatGeobuf dataset of a layer, in memory until written (features go to the writer's temporary file).
fn build<'a>(name: &'a str, geojson: &Path) -> Result<FgbWriter<'a>, Error> {
    let shape = shape_of(geojson)?;
    let geometry = match (shape.mixed_geometry, shape.geometry) {
        (false, Some("POINT")) => GeometryType::Point,
        (false, Some("LINESTRING")) => GeometryType::LineString,
        (false, Some("POLYGON")) => GeometryType::Polygon,
        (false, Some("MULTILINESTRING")) => GeometryType::MultiLineString,
        (false, Some("MULTIPOLYGON")) => GeometryType::MultiPolygon,
        (false, Some("MULTIPOINT")) => GeometryType::MultiPoint,
        _ => GeometryType::Unknown,
    };
    let options = FgbWriterOptions {
        write_index: true,
        detect_type: true,
        promote_to_multi: false,
        crs: FgbCrs { code: 4326, ..Default::default() },
        ..Default::default()
    };
    let mut fgb = FgbWriter::create_with_options(name, geometry, options).map_err(|e| Error::Write(e.to_string()))?;
    let columns: Vec<(String, ColumnType)> =
        shape.typed_columns().into_iter().map(|(n, t)| (n.to_string(), t)).collect();
    for (column, t) in &columns {
        let kind = match t {
            ColumnType::Integer => FgbColumn::Long,
            ColumnType::Real => FgbColumn::Double,
            ColumnType::Boolean => FgbColumn::Bool,
            ColumnType::Text => FgbColumn::String,
        };
        fgb.add_column(column, kind, |_, _| {});
    }
    for_each_feature(geojson, &mut |f| {
        // FlatGeobuf has no feature without a geometry; the layers `map` writes have none such.
        let Some(g) = geometry_of(&f)? else { return Ok(()) };
        let props = f.properties.as_ref();
        let mut failed = None;
        fgb.add_feature_geom(g, |feat| {
            for (i, (column, t)) in columns.iter().enumerate() {
                let text;
                let value = match (props.and_then(|p| p.get(column.as_str())), t) {
                    (None | Some(Value::Null), _) => continue,
                    (Some(Value::Bool(b)), ColumnType::Boolean) => ColumnValue::Bool(*b),
                    (Some(Value::Number(n)), ColumnType::Integer) => match n.as_i64() {
                        Some(x) => ColumnValue::Long(x),
                        None => continue,
                    },
                    (Some(Value::Number(n)), ColumnType::Real) => match n.as_f64() {
                        Some(x) => ColumnValue::Double(x),
                        None => continue,
                    },
                    (Some(Value::String(s)), _) => ColumnValue::String(s),
                    (Some(other), _) => {
                        text = other.to_string();
                        ColumnValue::String(&text)
                    }
                };
                if let Err(e) = feat.property(i, column, &value) {
                    failed = Some(e.to_string());
                }
            }
        })
        .map_err(|e| Error::Write(e.to_string()))?;
        failed.map_or(Ok(()), |why| Err(Error::Write(why)))
    })?;
    Ok(fgb)
}
