//! GeoPackage output (`map --format gpkg`): every layer of a run in one `incimap.gpkg` (OGC GeoPackage 1.3,
//! EPSG:4326), each with its QGIS style in the `layer_styles` table as the default style, so that the file
//! opens styled when dropped on QGIS.
//!
//! The layers are first written as GeoJSON (the same writer as the other formats), then read back feature
//! by feature into SQLite ([`rusqlite`]); geometries are encoded as GeoPackage binary by [`geozero`]. A
//! feature's properties become columns: the union of the layer's property names, each typed INTEGER, REAL,
//! BOOLEAN or TEXT by the values it holds (mixed numbers are REAL; anything else mixed, and objects or
//! arrays, are TEXT, objects and arrays as JSON).

use std::path::{Path, PathBuf};

use geo::BoundingRect;
use geozero::{CoordDimensions, ToWkb};
use rusqlite::{Connection, params};
use serde_json::Value;

use super::LayerError;
use super::convert::{ColumnType, Error, for_each_feature, geometry_of, shape_of};

/// The GeoPackage's file name in the output directory.
pub const FILE: &str = "incimap.gpkg";

/// GeoPackage's `application_id` ("GPKG") and `user_version` (1.3.0), as the standard sets them.
const APPLICATION_ID: i32 = 0x4750_4B47;
const USER_VERSION: i32 = 10300;
/// WGS 84, the only coordinate system incimap writes.
const SRS_ID: i32 = 4326;
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,\
AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],\
UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],\
AUTHORITY[\"EPSG\",\"4326\"]]";

/// One layer to store: its table name, the GeoJSON file holding its features, and its QGIS style.
pub struct Layer {
    pub name: &'static str,
    pub geojson: PathBuf,
    pub qml: String,
}

/// Write `layers` into a new GeoPackage at `target`, atomically: built in a temporary file beside it and
/// renamed over it only when complete.
pub fn write(layers: &[Layer], target: &Path) -> Result<(), LayerError> {
    let io = |source: std::io::Error| LayerError::Io { path: target.to_path_buf(), source };
    let sql = |e: rusqlite::Error| LayerError::Io { path: target.to_path_buf(), source: std::io::Error::other(e) };
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempfile_in(dir).map_err(io)?;
    {
        let mut db = Connection::open(tmp.path()).map_err(sql)?;
        // The file is private until renamed, and synced before: no journal is needed while it is built.
        db.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;").map_err(sql)?;
        db.pragma_update(None, "application_id", APPLICATION_ID).map_err(sql)?;
        db.pragma_update(None, "user_version", USER_VERSION).map_err(sql)?;
        let tx = db.transaction().map_err(sql)?;
        create_metadata(&tx).map_err(sql)?;
        for layer in layers {
            add_layer(&tx, layer).map_err(|e| e.for_layer(&layer.geojson, target))?;
        }
        tx.commit().map_err(sql)?;
        db.close().map_err(|(_, e)| sql(e))?;
    }
    tmp.as_file().sync_all().map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    tmp.persist(target).map_err(|e| io(e.error))?;
    Ok(())
}

/// The SQL type of a column.
fn sql_type(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Integer => "INTEGER",
        ColumnType::Real => "REAL",
        ColumnType::Boolean => "BOOLEAN",
        ColumnType::Text => "TEXT",
    }
}

/// The tables every GeoPackage has (the standard's DDL, tables 18–20), the styles table QGIS reads, and the
/// coordinate systems the standard requires.
fn create_metadata(db: &Connection) -> rusqlite::Result<()> {
    db.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, \
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, \
           description TEXT);
         CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, \
           identifier TEXT UNIQUE, description TEXT DEFAULT '', \
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), \
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, \
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, \
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, \
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), \
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), \
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), \
           f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), \
           styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), \
           update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
         INSERT INTO gpkg_contents (table_name, data_type, identifier, description) \
           VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers');",
    )?;
    let mut srs = db.prepare(
        "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, \
         description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    srs.execute(params!["Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"])?;
    srs.execute(params!["Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"])?;
    srs.execute(params!["WGS 84 geodetic", SRS_ID, "EPSG", SRS_ID, WGS84_WKT, "longitude/latitude on WGS 84"])?;
    Ok(())
}

/// SQL text of an identifier (table or column name), quoted.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A property value as SQLite stores it in a column of type `t`.
fn sql_value(v: Option<&Value>, t: ColumnType) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match (v, t) {
        (None | Some(Value::Null), _) => V::Null,
        (Some(Value::Bool(b)), ColumnType::Boolean) => V::Integer(i64::from(*b)),
        (Some(Value::Number(n)), ColumnType::Integer) => n.as_i64().map_or(V::Null, V::Integer),
        (Some(Value::Number(n)), ColumnType::Real) => n.as_f64().map_or(V::Null, V::Real),
        (Some(Value::String(s)), _) => V::Text(s.clone()),
        (Some(other), _) => V::Text(other.to_string()),
    }
}

/// The GeoPackage binary of a geometry, with its envelope unless it is a point.
fn gpkg_blob(g: &geo::Geometry<f64>) -> Result<Vec<u8>, Error> {
    let envelope = match (g, g.bounding_rect()) {
        (geo::Geometry::Point(_), _) | (_, None) => Vec::new(),
        (_, Some(r)) => vec![r.min().x, r.max().x, r.min().y, r.max().y],
    };
    g.to_gpkg_wkb(CoordDimensions::xy(), Some(SRS_ID), envelope).map_err(|e| Error::Write(e.to_string()))
}

/// One layer: its feature table, its registration in the metadata tables and its default style.
fn add_layer(db: &Connection, layer: &Layer) -> Result<(), Error> {
    let shape = shape_of(&layer.geojson)?;
    let geometry_name = if shape.mixed_geometry { "GEOMETRY" } else { shape.geometry.unwrap_or("GEOMETRY") };
    let columns = shape.typed_columns();
    let table = ident(layer.name);
    let mut ddl = format!("CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {geometry_name}");
    for (name, t) in &columns {
        ddl.push_str(&format!(", {} {}", ident(name), sql_type(*t)));
    }
    ddl.push(')');
    db.execute(&ddl, [])?;
    let (min_x, min_y, max_x, max_y) = shape
        .extent
        .map_or((None, None, None, None), |r| (Some(r.min().x), Some(r.min().y), Some(r.max().x), Some(r.max().y)));
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) \
         VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6)",
        params![layer.name, min_x, min_y, max_x, max_y, SRS_ID],
    )?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) \
         VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![layer.name, geometry_name, SRS_ID],
    )?;
    db.execute(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, \
         styleQML, styleSLD, useAsDefault, description, owner, ui) \
         VALUES ('', '', ?1, 'geom', ?1, ?2, '', 1, 'incimap', '', NULL)",
        params![layer.name, layer.qml],
    )?;

    let names: Vec<String> = columns.iter().map(|(n, _)| ident(n)).collect();
    let marks: Vec<String> = (0..=columns.len()).map(|i| format!("?{}", i + 1)).collect();
    let insert = format!(
        "INSERT INTO {table} (geom{}{}) VALUES ({})",
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        marks.join(", ")
    );
    let mut stmt = db.prepare(&insert)?;
    let mut row: Vec<rusqlite::types::Value> = Vec::with_capacity(columns.len() + 1);
    for_each_feature(&layer.geojson, &mut |f| {
        row.clear();
        row.push(match geometry_of(&f)? {
            Some(g) => rusqlite::types::Value::Blob(gpkg_blob(&g)?),
            None => rusqlite::types::Value::Null,
        });
        let props = f.properties.as_ref();
        row.extend(columns.iter().map(|(name, t)| sql_value(props.and_then(|p| p.get(*name)), *t)));
        stmt.execute(rusqlite::params_from_iter(row.iter()))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_geopackage_binary_without_an_envelope() {
        // GeoPackage 1.3, 2.1.3: "GP", version 0, flags 0b0000_0001 (little-endian, no envelope), srs_id,
        // then little-endian WKB: 1, type 1 (Point), x, y.
        let blob = gpkg_blob(&geo::Geometry::Point(geo::Point::new(36.5, 50.25))).unwrap();
        let mut want = vec![b'G', b'P', 0, 1];
        want.extend_from_slice(&4326i32.to_le_bytes());
        want.push(1);
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&36.5f64.to_le_bytes());
        want.extend_from_slice(&50.25f64.to_le_bytes());
        assert_eq!(blob, want);
    }
}
