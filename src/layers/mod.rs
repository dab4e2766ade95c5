//! Map layers from incidents: GeoJSON (RFC 7946) or GeoJSON text sequences (RFC 8142) for the
//! incidents and their leader lines, the border, Ukraine and distance bands, a QGIS style beside each,
//! an offline HTML map and `unresolved.csv`.
//!
//! Incidents stream through a [`LayerWriter`]: each is written as it arrives (nothing is held but a
//! bounded sample for the HTML page), so a million rows need little memory. Every file is written into a
//! temporary file and renamed into place only when the whole run succeeds.
//!
//! ```no_run
//! use incimap::layers::{LayerWriter, MapOptions};
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let mut w = LayerWriter::create("output".as_ref(), MapOptions::default(), &gaz.boundaries).unwrap();
//! // for each incident: w.add_incident(&incident)?; for each failure: w.add_unresolved(&u)?;
//! let summary = w.finish().unwrap();
//! eprintln!("{} incidents", summary.incidents);
//! ```

pub mod bands;
pub mod features;
pub mod html;
pub mod json;
pub mod qml;
pub mod style;

use std::io::Write;
use std::path::{Path, PathBuf};

use geo::GeodesicArea;

use crate::atomic_file::AtomicWriter;
use crate::gazetteer::Boundaries;
use crate::incidents::{Incident, Unresolved};
use json::BBox;

/// How incidents and leaders are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayerFormat {
    /// One FeatureCollection per file (`incidents.geojson`).
    #[default]
    GeoJson,
    /// RFC 8142 text sequences, one feature per record (`incidents.geojsons`): for very large inputs.
    GeoJsonSeq,
}

/// What `incimap map` writes.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Band edges in km, ascending (see [`bands::parse_edges`]).
    pub edges_km: Vec<f64>,
    pub format: LayerFormat,
    /// At most this many incidents (and their leaders) are embedded in `index.html`; the GeoJSON layers
    /// always hold all of them.
    pub html_max_incidents: usize,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            edges_km: bands::DEFAULT_EDGES_KM.to_vec(),
            format: LayerFormat::GeoJson,
            html_max_incidents: 20_000,
        }
    }
}

/// File names in the output directory.
pub mod names {
    pub const INCIDENTS: &str = "incidents";
    pub const LEADERS: &str = "leaders";
    pub const BORDER: &str = "border";
    pub const UKRAINE: &str = "ukraine";
    pub const BANDS: &str = "bands";
    pub const UNRESOLVED_CSV: &str = "unresolved.csv";
    pub const HTML: &str = "index.html";
}

/// Why layers could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("building the distance bands failed: {0}")]
    Bands(String),
}

/// One band as written, for the summary.
#[derive(Debug, Clone)]
pub struct BandSummary {
    pub from_km: f64,
    pub to_km: f64,
    /// Geodesic area on the WGS84 ellipsoid, km².
    pub area_km2: f64,
}

/// What a run wrote.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub incidents: u64,
    pub leaders: u64,
    pub unresolved: u64,
    /// Incidents inside Ukraine.
    pub inside_ukraine: u64,
    pub bands: Vec<BandSummary>,
    /// Incidents embedded in `index.html` (all of them unless over [`MapOptions::html_max_incidents`]).
    pub html_incidents: u64,
    /// Every file written, in the order renamed into place.
    pub files: Vec<PathBuf>,
    /// Things the user should know (no border in the gazetteer, an invalid band, ...).
    pub warnings: Vec<String>,
}

/// A file being written, with its feature count and bounding box.
struct LayerFile {
    out: AtomicWriter,
    count: u64,
    bbox: BBox,
}

impl LayerFile {
    fn create(path: PathBuf) -> Result<LayerFile, LayerError> {
        let out = AtomicWriter::create(&path).map_err(|source| LayerError::Io { path, source })?;
        Ok(LayerFile { out, count: 0, bbox: BBox::EMPTY })
    }

    fn io(&self, source: std::io::Error) -> LayerError {
        LayerError::Io { path: self.out.path().to_path_buf(), source }
    }
}

type BandResult = Result<Vec<bands::Band>, bands::BandError>;

/// Streams incidents and unresolved inputs into the layer files; see the module docs.
pub struct LayerWriter {
    dir: PathBuf,
    options: MapOptions,
    boundaries: Boundaries,
    incidents: LayerFile,
    leaders: LayerFile,
    unresolved: csv::Writer<AtomicWriter>,
    unresolved_path: PathBuf,
    unresolved_count: u64,
    inside_ukraine: u64,
    /// Bands are independent of the incidents: they are built on another thread while incidents stream.
    bands: Option<std::thread::JoinHandle<BandResult>>,
    html: html::Sample,
    buf: Vec<u8>,
}

impl LayerWriter {
    /// Start writing layers into `dir` (created if missing); band building starts in the background.
    pub fn create(dir: &Path, options: MapOptions, boundaries: &Boundaries) -> Result<LayerWriter, LayerError> {
        let ext = match options.format {
            LayerFormat::GeoJson => "geojson",
            LayerFormat::GeoJsonSeq => "geojsons",
        };
        let mut incidents = LayerFile::create(dir.join(format!("{}.{ext}", names::INCIDENTS)))?;
        let mut leaders = LayerFile::create(dir.join(format!("{}.{ext}", names::LEADERS)))?;
        if options.format == LayerFormat::GeoJson {
            for (f, name) in [(&mut incidents, names::INCIDENTS), (&mut leaders, names::LEADERS)] {
                let mut head = b"{\"type\":\"FeatureCollection\",\"name\":".to_vec();
                json::push_str(&mut head, name);
                head.extend_from_slice(b",\"features\":[\n");
                f.out.write_all(&head).map_err(|e| f.io(e))?;
            }
        }
        let unresolved_path = dir.join(names::UNRESOLVED_CSV);
        let out = AtomicWriter::create(&unresolved_path)
            .map_err(|source| LayerError::Io { path: unresolved_path.clone(), source })?;
        let mut unresolved = csv::Writer::from_writer(out);
        unresolved
            .write_record(["source", "line", "input", "reason"])
            .map_err(|e| LayerError::Io { path: unresolved_path.clone(), source: e.into() })?;

        let for_bands = boundaries.clone();
        let edges = options.edges_km.clone();
        let bands = std::thread::Builder::new()
            .name("incimap-bands".into())
            .spawn(move || bands::build(&for_bands, &edges))
            .map_err(|source| LayerError::Io { path: dir.to_path_buf(), source })?;
        Ok(LayerWriter {
            dir: dir.to_path_buf(),
            html: html::Sample::new(options.html_max_incidents),
            options,
            boundaries: boundaries.clone(),
            incidents,
            leaders,
            unresolved,
            unresolved_path,
            unresolved_count: 0,
            inside_ukraine: 0,
            bands: Some(bands),
            buf: Vec::with_capacity(1024),
        })
    }

    /// Write one incident (its Point, and its leader line when it has a finite measurement).
    pub fn add_incident(&mut self, inc: &Incident) -> Result<(), LayerError> {
        let id = self.incidents.count + 1;
        let seq = self.options.format == LayerFormat::GeoJsonSeq;

        self.buf.clear();
        self.buf.extend_from_slice(record_prefix(seq, self.incidents.count));
        let start = self.buf.len();
        features::push_incident_feature(&mut self.buf, id, inc, &mut self.incidents.bbox);
        self.html.offer_incident(&self.buf[start..]);
        if seq {
            self.buf.push(b'\n');
        }
        self.incidents.out.write_all(&self.buf).map_err(|e| self.incidents.io(e))?;
        self.incidents.count += 1;
        if inc.measurement.inside_ukraine {
            self.inside_ukraine += 1;
        }

        self.buf.clear();
        self.buf.extend_from_slice(record_prefix(seq, self.leaders.count));
        let start = self.buf.len();
        if features::push_leader_feature(&mut self.buf, id, inc, &mut self.leaders.bbox) {
            self.html.offer_leader(&self.buf[start..]);
            if seq {
                self.buf.push(b'\n');
            }
            self.leaders.out.write_all(&self.buf).map_err(|e| self.leaders.io(e))?;
            self.leaders.count += 1;
        }
        Ok(())
    }

    /// Record an input row or mention that could not be placed.
    pub fn add_unresolved(&mut self, u: &Unresolved) -> Result<(), LayerError> {
        let line = u.line.to_string();
        self.unresolved
            .write_record([u.source.as_str(), line.as_str(), u.input.as_str(), u.reason.as_str()])
            .map_err(|e| LayerError::Io { path: self.unresolved_path.clone(), source: e.into() })?;
        self.unresolved_count += 1;
        Ok(())
    }

    /// Incidents written so far.
    pub fn incident_count(&self) -> u64 {
        self.incidents.count
    }

    /// Finish the streamed layers, write the border, Ukraine, bands, styles and `index.html`, and rename
    /// everything into place.
    pub fn finish(mut self) -> Result<Summary, LayerError> {
        let seq = self.options.format == LayerFormat::GeoJsonSeq;
        let mut summary = Summary {
            incidents: self.incidents.count,
            leaders: self.leaders.count,
            unresolved: self.unresolved_count,
            inside_ukraine: self.inside_ukraine,
            html_incidents: self.html.incident_count(),
            ..Summary::default()
        };
        if !seq {
            for f in [&mut self.incidents, &mut self.leaders] {
                let mut tail = b"\n]".to_vec();
                f.bbox.push_member(&mut tail);
                tail.extend_from_slice(b"}\n");
                f.out.write_all(&tail).map_err(|e| f.io(e))?;
            }
        }

        let border_json = border_layer(&self.boundaries);
        let ukraine_json = ukraine_layer(&self.boundaries);
        let bands = match self.bands.take().map(|h| h.join()) {
            Some(Ok(Ok(b))) => b,
            Some(Ok(Err(bands::BandError::NoBorder))) => {
                summary.warnings.push("the gazetteer has no land border line: bands.geojson is empty".into());
                Vec::new()
            }
            Some(Ok(Err(e))) => return Err(LayerError::Bands(e.to_string())),
            Some(Err(_)) | None => return Err(LayerError::Bands("the band builder stopped unexpectedly".into())),
        };
        for b in &bands {
            if let Err(e) = bands::validate(b) {
                summary.warnings.push(e.to_string());
            }
            summary.bands.push(BandSummary {
                from_km: b.from_km,
                to_km: b.to_km,
                area_km2: b.area.geodesic_area_unsigned() / 1e6,
            });
        }
        if self.boundaries.land_border.0.is_empty() {
            summary.warnings.push("the gazetteer has no land border line: border.geojson is empty".into());
        }
        let bands_json = bands_layer(&bands);

        let classes = style::incident_classes(&self.options.edges_km);
        let small: [(&str, &Vec<u8>, String); 3] = [
            (names::BORDER, &border_json, qml::border()),
            (names::UKRAINE, &ukraine_json, qml::ukraine()),
            (names::BANDS, &bands_json, qml::bands(&self.options.edges_km)),
        ];
        let mut pending: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for (name, data, style) in small {
            pending.push((self.dir.join(format!("{name}.geojson")), data.clone()));
            pending.push((self.dir.join(format!("{name}.qml")), style.into_bytes()));
        }
        // QGIS looks for `<layer file stem>.qml`: the same stem serves both formats.
        pending.push((self.dir.join(format!("{}.qml", names::INCIDENTS)), qml::incidents(&classes).into_bytes()));
        pending.push((self.dir.join(format!("{}.qml", names::LEADERS)), qml::leaders().into_bytes()));
        let page = html::page(&html::PageData {
            incidents_total: self.incidents.count,
            sample: &self.html,
            ukraine: &self.boundaries.ukraine,
            bands: &bands,
            classes: &classes,
            land_border: &self.boundaries.land_border,
        });
        pending.push((self.dir.join(names::HTML), page.into_bytes()));

        // Everything is complete in memory or in temporary files: rename into place.
        let incidents_path = self.incidents.out.path().to_path_buf();
        self.incidents.out.commit().map_err(|source| LayerError::Io { path: incidents_path.clone(), source })?;
        summary.files.push(incidents_path);
        let leaders_path = self.leaders.out.path().to_path_buf();
        self.leaders.out.commit().map_err(|source| LayerError::Io { path: leaders_path.clone(), source })?;
        summary.files.push(leaders_path);
        let unresolved = self
            .unresolved
            .into_inner()
            .map_err(|e| LayerError::Io { path: self.unresolved_path.clone(), source: e.into_error() })?;
        unresolved.commit().map_err(|source| LayerError::Io { path: self.unresolved_path.clone(), source })?;
        summary.files.push(self.unresolved_path.clone());
        for (path, data) in pending {
            crate::atomic_file::write(&path, &data).map_err(|source| LayerError::Io { path: path.clone(), source })?;
            summary.files.push(path);
        }
        Ok(summary)
    }
}

/// RS before every RFC 8142 record; `,\n` between FeatureCollection members.
fn record_prefix(seq: bool, written: u64) -> &'static [u8] {
    match (seq, written) {
        (true, _) => b"\x1e",
        (false, 0) => b"",
        (false, _) => b",\n",
    }
}

/// `border.geojson`: the land border as one MultiLineString with its geodesic length.
pub fn border_layer(b: &Boundaries) -> Vec<u8> {
    use geo::{Geodesic, Length};
    let mut bbox = BBox::EMPTY;
    let mut f = Vec::new();
    if !b.land_border.0.is_empty() {
        f.extend_from_slice(b"{\"type\":\"Feature\",\"id\":1,\"geometry\":");
        json::push_multilinestring(&mut f, &b.land_border, &mut bbox);
        let km: f64 = b.land_border.0.iter().map(|l| Geodesic.length(l)).sum::<f64>() / 1000.0;
        f.extend_from_slice(",\"properties\":{\"name\":\"Russia–Ukraine land border\",\"length_km\":".as_bytes());
        json::push_rounded(&mut f, km, 3);
        f.extend_from_slice(b"}}");
    }
    collection(names::BORDER, if f.is_empty() { vec![] } else { vec![f] }, &bbox)
}

/// `ukraine.geojson`: Ukraine's internationally recognised territory (Crimea included).
pub fn ukraine_layer(b: &Boundaries) -> Vec<u8> {
    use geo::Orient;
    let mut bbox = BBox::EMPTY;
    let mut f = Vec::new();
    if !b.ukraine.0.is_empty() {
        let area = b.ukraine.orient(geo::orient::Direction::Default);
        f.extend_from_slice(b"{\"type\":\"Feature\",\"id\":1,\"geometry\":");
        json::push_multipolygon(&mut f, &area, &mut bbox);
        f.extend_from_slice(b",\"properties\":{\"name\":\"Ukraine\",\"note\":\"internationally recognised territory, Crimea included\",\"area_km2\":");
        json::push_rounded(&mut f, area.geodesic_area_unsigned() / 1e6, 0);
        f.extend_from_slice(b"}}");
    }
    collection(names::UKRAINE, if f.is_empty() { vec![] } else { vec![f] }, &bbox)
}

/// `bands.geojson`: one MultiPolygon feature per band.
pub fn bands_layer(bands: &[bands::Band]) -> Vec<u8> {
    let mut bbox = BBox::EMPTY;
    let mut feats = Vec::new();
    for (i, b) in bands.iter().enumerate() {
        let mut f = Vec::new();
        f.extend_from_slice(b"{\"type\":\"Feature\",\"id\":");
        json::push_u64(&mut f, i as u64 + 1);
        f.extend_from_slice(b",\"geometry\":");
        json::push_multipolygon(&mut f, &b.area, &mut bbox);
        f.extend_from_slice(b",\"properties\":{\"from_km\":");
        json::push_fixed6(&mut f, b.from_km);
        f.extend_from_slice(b",\"to_km\":");
        json::push_fixed6(&mut f, b.to_km);
        f.extend_from_slice(b",\"label\":");
        json::push_str(&mut f, &b.label());
        f.extend_from_slice(b",\"area_km2\":");
        json::push_rounded(&mut f, b.area.geodesic_area_unsigned() / 1e6, 1);
        f.extend_from_slice(b"}}");
        feats.push(f);
    }
    collection(names::BANDS, feats, &bbox)
}

fn collection(name: &str, features: Vec<Vec<u8>>, bbox: &BBox) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = json::write_collection(&mut out, name, &features, bbox);
    out
}
