//! Map layers from incidents: GeoJSON (RFC 7946) or GeoJSON text sequences (RFC 8142) for the
//! incidents and their leader lines, the border, Ukraine and distance bands, a QGIS style beside each,
//! an offline HTML map and `unresolved.csv`.
//!
//! Incidents stream through a [`LayerWriter`]: each batch is formatted on all cores and written as it arrives
//! by the layer files' own threads (nothing is held but a bounded sample for the HTML page and a few queued
//! buffers), so a million rows need little memory. Every file is written into a staging folder in the output
//! directory and the whole set is switched into place only when the run succeeds
//! ([`crate::atomic_file::StagedSet`]: a run killed while switching is finished by the next run, so the layers,
//! styles and `index.html` are always of one run).
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
pub(crate) mod convert;
pub mod features;
pub mod fgb;
pub mod geoparquet;
pub mod gpkg;
pub mod html;
pub mod json;
pub mod qml;
pub mod style;
pub mod validity;

use std::io::Write;
use std::path::{Path, PathBuf};

use geo::GeodesicArea;

use crate::atomic_file::{self, AtomicWriter, StagedSet};
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
    /// Every layer in one GeoPackage (`incimap.gpkg`), each with its QGIS style as the default style.
    GeoPackage,
    /// Each layer as FlatGeobuf (`incidents.fgb`), with its `.qml` style beside it.
    FlatGeobuf,
    /// Each layer as GeoParquet 1.1 (`incidents.parquet`), with its `.qml` style beside it.
    GeoParquet,
}

impl LayerFormat {
    /// Whether the layers are converted from GeoJSON written into a staging directory first.
    fn is_converted(self) -> bool {
        matches!(self, LayerFormat::GeoPackage | LayerFormat::FlatGeobuf | LayerFormat::GeoParquet)
    }
}

/// What `incimap map` writes.
#[derive(Debug, Clone)]
pub struct MapOptions {
    /// Band edges in km, ascending (see [`crate::border::band_edges::parse`]).
    pub edges_km: Vec<f64>,
    pub format: LayerFormat,
    /// At most this many incidents (and their leaders) are embedded in `index.html`; the GeoJSON layers
    /// always hold all of them.
    pub html_max_incidents: usize,
    /// Places labelled in `index.html` for orientation (`incimap map` gives [`html::regional_capitals`]);
    /// none by default.
    pub labels: Vec<html::Label>,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            edges_km: bands::DEFAULT_EDGES_KM.to_vec(),
            format: LayerFormat::GeoJson,
            html_max_incidents: 20_000,
            labels: Vec::new(),
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

/// A streamed layer file: written on a thread of its own, fed through a bounded channel, so formatting the
/// next batch never waits for the disk; with its feature count and bounding box.
struct LayerFile {
    path: PathBuf,
    /// `None` once finished.
    tx: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<AtomicWriter>>>,
    count: u64,
    bbox: BBox,
}

/// Output buffers handed back by the writing threads for the next chunks: formatting into a fresh large
/// buffer per chunk makes the system allocator sweep its small freed blocks each time (measurably slow).
type BufferPool = std::sync::Arc<std::sync::Mutex<Vec<Vec<u8>>>>;

/// Buffers kept in the pool at most.
const POOL_MAX: usize = 4 * SPOOL_DEPTH;

fn take_buffer(pool: &BufferPool, capacity: usize) -> Vec<u8> {
    let reused = pool.lock().ok().and_then(|mut p| p.pop());
    reused.unwrap_or_else(|| Vec::with_capacity(capacity))
}

/// Buffers queued per layer file: bounds the memory held for a slow disk (each buffer is one formatted chunk).
const SPOOL_DEPTH: usize = 32;

impl LayerFile {
    /// Create the temporary file, write `head`, and start the writing thread.
    fn create(path: PathBuf, head: &[u8], pool: BufferPool) -> Result<LayerFile, LayerError> {
        let io = |source| LayerError::Io { path: path.clone(), source };
        let mut out = AtomicWriter::create(&path).map_err(io)?;
        out.write_all(head).map_err(io)?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(SPOOL_DEPTH);
        // Every `FLUSH_EVERY` bytes what is written so far is synced on another thread while writing goes
        // on, so the commit at the end has little left to sync. A request while one is running is dropped
        // (the next covers it).
        let syncer = out.sync_handle().map_err(io)?;
        let (sync_tx, sync_rx) = std::sync::mpsc::sync_channel::<()>(1);
        let sync_thread = std::thread::Builder::new()
            .name("incimap-sync".into())
            .spawn(move || -> std::io::Result<()> {
                for () in sync_rx {
                    syncer.sync_data()?;
                }
                Ok(())
            })
            .map_err(io)?;
        let thread = std::thread::Builder::new()
            .name("incimap-write".into())
            .spawn(move || {
                let written = (|| {
                    for mut data in rx {
                        out.write_all(&data)?;
                        if out.unflushed() >= crate::atomic_file::FLUSH_EVERY {
                            out.flush_to_os()?;
                            let _ = sync_tx.try_send(());
                        }
                        data.clear();
                        if let Ok(mut p) = pool.lock()
                            && p.len() < POOL_MAX
                        {
                            p.push(data);
                        }
                    }
                    Ok(())
                })();
                drop(sync_tx);
                // A failed background sync is this file's error: the commit's own sync may not see it again.
                let synced = sync_thread
                    .join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("the sync thread stopped unexpectedly")));
                written.and(synced).map(|()| out)
            })
            .map_err(io)?;
        Ok(LayerFile { path, tx: Some(tx), thread: Some(thread), count: 0, bbox: BBox::EMPTY })
    }

    /// Queue `data` for writing.
    fn send(&mut self, data: Vec<u8>) -> Result<(), LayerError> {
        if data.is_empty() {
            return Ok(());
        }
        match &self.tx {
            Some(tx) if tx.send(data).is_ok() => Ok(()),
            // The thread stopped: it has the reason.
            _ => Err(self.join().err().unwrap_or_else(|| self.io(std::io::ErrorKind::BrokenPipe.into()))),
        }
    }

    /// Stop the writing thread once it has written everything queued; the file, still temporary.
    fn join(&mut self) -> Result<AtomicWriter, LayerError> {
        self.tx = None;
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(Ok(out))) => Ok(out),
            Some(Ok(Err(e))) => Err(self.io(e)),
            Some(Err(_)) => Err(self.io(std::io::Error::other("the writing thread stopped unexpectedly"))),
            None => Err(self.io(std::io::Error::other("already finished"))),
        }
    }

    fn io(&self, source: std::io::Error) -> LayerError {
        LayerError::Io { path: self.path.clone(), source }
    }
}

impl Drop for LayerFile {
    /// A run that never finishes leaves nothing: wait until the thread has dropped (deleted) the temporary file.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One chunk of incidents formatted (on a worker thread) for both streamed layers.
struct Formatted {
    /// Incident features, each preceded by its record prefix (RS, or `,\n` between collection members).
    incidents: Vec<u8>,
    leaders: Vec<u8>,
    incidents_bbox: BBox,
    leaders_bbox: BBox,
    incident_count: u64,
    leader_count: u64,
    inside_ukraine: u64,
    /// For the HTML sample (only while it takes more): each incident feature's bytes, and its leader's.
    spans: Vec<(std::ops::Range<usize>, Option<std::ops::Range<usize>>)>,
}

/// Incidents formatted per task: large enough to amortise the hand-off, small enough to spread a batch
/// over the cores.
const FORMAT_CHUNK: usize = 256;

/// Format `chunk`, whose first incident gets feature id `first_id`.
fn format_chunk(
    first_id: u64,
    chunk: &[Incident],
    seq: bool,
    want_spans: bool,
    pool: &BufferPool,
    keys: Option<&features::PropertyKeys>,
) -> Formatted {
    let prefix: &[u8] = if seq { b"\x1e" } else { b",\n" };
    let mut f = Formatted {
        incidents: take_buffer(pool, chunk.len() * 512),
        leaders: take_buffer(pool, chunk.len() * 320),
        incidents_bbox: BBox::EMPTY,
        leaders_bbox: BBox::EMPTY,
        incident_count: chunk.len() as u64,
        leader_count: 0,
        inside_ukraine: 0,
        spans: Vec::with_capacity(if want_spans { chunk.len() } else { 0 }),
    };
    for (i, inc) in chunk.iter().enumerate() {
        let id = first_id + i as u64;
        f.incidents.extend_from_slice(prefix);
        let start = f.incidents.len();
        features::push_incident_feature_with(&mut f.incidents, id, inc, &mut f.incidents_bbox, keys);
        let incident_span = start..f.incidents.len();
        if seq {
            f.incidents.push(b'\n');
        }
        if inc.measurement.inside_ukraine {
            f.inside_ukraine += 1;
        }

        let mark = f.leaders.len();
        f.leaders.extend_from_slice(prefix);
        let start = f.leaders.len();
        let leader_span = if features::push_leader_feature(&mut f.leaders, id, inc, &mut f.leaders_bbox) {
            let span = start..f.leaders.len();
            if seq {
                f.leaders.push(b'\n');
            }
            f.leader_count += 1;
            Some(span)
        } else {
            f.leaders.truncate(mark);
            None
        };
        if want_spans {
            f.spans.push((incident_span, leader_span));
        }
    }
    f
}

/// The bands with everything derived from them, made on the band builder's thread while incidents stream.
struct BuiltBands {
    bands: Vec<bands::Band>,
    /// Validation problems (warnings).
    problems: Vec<String>,
    summaries: Vec<BandSummary>,
    /// `bands.geojson`.
    json: Vec<u8>,
}

impl BuiltBands {
    fn build(bands: Vec<bands::Band>) -> BuiltBands {
        let problems = bands.iter().filter_map(|b| bands::validate(b).err()).map(|e| e.to_string()).collect();
        let summaries: Vec<BandSummary> = bands
            .iter()
            .map(|b| BandSummary {
                from_km: b.from_km,
                to_km: b.to_km,
                area_km2: b.area.geodesic_area_unsigned() / 1e6,
            })
            .collect();
        // The areas just computed serve the layer too (each is a geodesic sum over every vertex).
        let areas: Vec<f64> = summaries.iter().map(|s| s.area_km2).collect();
        let json = bands_layer_with_areas(&bands, &areas);
        BuiltBands { bands, problems, summaries, json }
    }
}

type BandResult = Result<BuiltBands, bands::BandError>;

/// Streams incidents and unresolved inputs into the layer files; see the module docs.
pub struct LayerWriter {
    /// Where the layer files are written: the staging folder of `stage`.
    dir: PathBuf,
    /// The set of files the run writes, switched into the output directory together when it finishes (the
    /// staging folder, with what a converted format converts from, is removed when dropped).
    stage: StagedSet,
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
    /// `border.geojson` and `ukraine.geojson`, made on a thread of their own while incidents stream.
    outlines: Option<std::thread::JoinHandle<(Vec<u8>, Vec<u8>)>>,
    html: html::Sample,
    pool: BufferPool,
    /// The written keys of the input fields, for the names a table's rows share (made once per table).
    keys: Option<features::PropertyKeys>,
}

impl LayerWriter {
    /// Start writing layers into `dir` (created if missing); band building starts in the background.
    pub fn create(out_dir: &Path, options: MapOptions, boundaries: &Boundaries) -> Result<LayerWriter, LayerError> {
        let io = |source| LayerError::Io { path: out_dir.to_path_buf(), source };
        std::fs::create_dir_all(out_dir).map_err(io)?;
        // What an interrupted run left: its switch finished, its staging folders and temporary files removed.
        atomic_file::recover(out_dir).map_err(io)?;
        let ext = match options.format {
            LayerFormat::GeoJsonSeq => "geojsons",
            _ => "geojson",
        };
        let stage = StagedSet::create(out_dir).map_err(io)?;
        let dir = stage.stage().to_path_buf();
        let head = |name: &str| {
            let mut head = Vec::new();
            if options.format != LayerFormat::GeoJsonSeq {
                head.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"name\":");
                json::push_str(&mut head, name);
                head.extend_from_slice(b",\"features\":[\n");
            }
            head
        };
        let pool = BufferPool::default();
        let incidents =
            LayerFile::create(dir.join(format!("{}.{ext}", names::INCIDENTS)), &head(names::INCIDENTS), pool.clone())?;
        let leaders =
            LayerFile::create(dir.join(format!("{}.{ext}", names::LEADERS)), &head(names::LEADERS), pool.clone())?;
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
            .spawn(move || {
                let prebuilt = !for_bands.default_bands.is_empty() && edges == bands::DEFAULT_EDGES_KM;
                let built = if prebuilt { Ok(for_bands.default_bands) } else { bands::build(&for_bands, &edges) };
                built.map(|b| BuiltBands::build(bands::clip_to_land(b, &for_bands.russia)))
            })
            .map_err(|source| LayerError::Io { path: dir.to_path_buf(), source })?;
        let for_outlines = boundaries.clone();
        let outlines = std::thread::Builder::new()
            .name("incimap-outlines".into())
            .spawn(move || (border_layer(&for_outlines), ukraine_layer(&for_outlines)))
            .map_err(|source| LayerError::Io { path: dir.to_path_buf(), source })?;
        Ok(LayerWriter {
            dir,
            stage,
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
            outlines: Some(outlines),
            pool,
            keys: None,
        })
    }

    /// Write one incident (its Point, and its leader line when it has a finite measurement).
    pub fn add_incident(&mut self, inc: &Incident) -> Result<(), LayerError> {
        self.add_incidents(std::slice::from_ref(inc))
    }

    /// Write incidents in order (as [`LayerWriter::add_incident`] for each): they are formatted on all cores
    /// and written by the files' own threads. Feed batches of a few thousand (see
    /// [`crate::incidents::read_batches`]) to keep every core busy.
    pub fn add_incidents(&mut self, batch: &[Incident]) -> Result<(), LayerError> {
        use rayon::prelude::*;
        let seq = self.options.format == LayerFormat::GeoJsonSeq;
        let first_id = self.incidents.count + 1;
        let want_spans = self.html.takes_more();
        if let Some(first) = batch.first()
            && !self.keys.as_ref().is_some_and(|k| k.serves(first.fields.names()))
        {
            self.keys = Some(features::PropertyKeys::new(first.fields.names()));
        }
        let keys = self.keys.as_ref();
        let chunks: Vec<Formatted> = batch
            .par_chunks(FORMAT_CHUNK)
            .enumerate()
            .map(|(i, chunk)| {
                format_chunk(first_id + (i * FORMAT_CHUNK) as u64, chunk, seq, want_spans, &self.pool, keys)
            })
            .collect();
        for mut f in chunks {
            if want_spans {
                for (incident, leader) in &f.spans {
                    self.html.offer_incident(&f.incidents[incident.clone()]);
                    if let Some(leader) = leader {
                        self.html.offer_leader(&f.leaders[leader.clone()]);
                    }
                }
            }
            // No separator before a collection's first member.
            for (file, data) in [(&mut self.incidents, &mut f.incidents), (&mut self.leaders, &mut f.leaders)] {
                if !seq && file.count == 0 && !data.is_empty() {
                    data.drain(..2);
                }
            }
            self.incidents.count += f.incident_count;
            self.incidents.bbox.merge(&f.incidents_bbox);
            self.leaders.bbox.merge(&f.leaders_bbox);
            self.leaders.count += f.leader_count;
            self.inside_ukraine += f.inside_ukraine;
            self.incidents.send(f.incidents)?;
            self.leaders.send(f.leaders)?;
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
                f.send(tail)?;
            }
        }
        let incidents_out = self.incidents.join()?;
        let leaders_out = self.leaders.join()?;

        let (border_json, ukraine_json) = match self.outlines.take().map(|h| h.join()) {
            Some(Ok(layers)) => layers,
            // The thread cannot fail short of a panic; make the layers here rather than lose them.
            Some(Err(_)) | None => (border_layer(&self.boundaries), ukraine_layer(&self.boundaries)),
        };
        let built = match self.bands.take().map(|h| h.join()) {
            Some(Ok(Ok(b))) => b,
            Some(Ok(Err(bands::BandError::NoBorder))) => {
                summary.warnings.push("the gazetteer has no land border line: bands.geojson is empty".into());
                BuiltBands::build(Vec::new())
            }
            Some(Ok(Err(e))) => return Err(LayerError::Bands(e.to_string())),
            Some(Err(_)) | None => return Err(LayerError::Bands("the band builder stopped unexpectedly".into())),
        };
        summary.warnings.extend(built.problems);
        summary.bands = built.summaries;
        let bands = built.bands;
        if self.boundaries.land_border.0.is_empty() {
            summary.warnings.push("the gazetteer has no land border line: border.geojson is empty".into());
        }
        let bands_json = built.json;

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
            russia: &self.boundaries.russia,
            belarus: &self.boundaries.belarus,
            labels: &self.options.labels,
            bands: &bands,
            classes: &classes,
            land_border: &self.boundaries.land_border,
        });
        pending.push((self.dir.join(names::HTML), page.into_bytes()));

        // Everything is complete in memory or in temporary files: rename into place.
        // The two large files are synced to disk at the same time (the sync is most of a commit's time).
        let (incidents_path, leaders_path) = (self.incidents.path.clone(), self.leaders.path.clone());
        let (incidents_done, leaders_done) = std::thread::scope(|s| {
            let leaders = s.spawn(|| leaders_out.commit());
            (incidents_out.commit(), leaders.join())
        });
        incidents_done.map_err(|source| LayerError::Io { path: incidents_path.clone(), source })?;
        summary.files.push(incidents_path);
        let leaders_done =
            leaders_done.unwrap_or_else(|_| Err(std::io::Error::other("the commit stopped unexpectedly")));
        leaders_done.map_err(|source| LayerError::Io { path: leaders_path.clone(), source })?;
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
        let names: Vec<String> = if self.options.format.is_converted() {
            convert_layers(self.options.format, &self.dir, &self.options.edges_km)?
        } else {
            summary.files.iter().filter_map(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect()
        };
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let out_dir = self.dir.parent().map(Path::to_path_buf).unwrap_or_default();
        summary.files = self.stage.commit(&names).map_err(|source| LayerError::Io { path: out_dir, source })?;
        Ok(summary)
    }
}

/// The layers written into `staging` (GeoJSON, with their styles) converted to `format` beside them; the names of
/// the run's files (the converted layers, their styles, `unresolved.csv` and `index.html`), in the order the
/// summary lists them.
fn convert_layers(format: LayerFormat, staging: &Path, edges_km: &[f64]) -> Result<Vec<String>, LayerError> {
    let classes = style::incident_classes(edges_km);
    let layers = [
        (names::INCIDENTS, qml::incidents(&classes)),
        (names::LEADERS, qml::leaders()),
        (names::BANDS, qml::bands(edges_km)),
        (names::BORDER, qml::border()),
        (names::UKRAINE, qml::ukraine()),
    ];
    let geojson = |name: &str| staging.join(format!("{name}.geojson"));
    let mut files = Vec::new();
    match format {
        LayerFormat::GeoPackage => {
            let layers: Vec<gpkg::Layer> =
                layers.into_iter().map(|(name, qml)| gpkg::Layer { name, geojson: geojson(name), qml }).collect();
            gpkg::write(&layers, &staging.join(gpkg::FILE))?;
            files.push(gpkg::FILE.to_string());
        }
        _ => {
            for (name, _) in layers {
                let target = if format == LayerFormat::GeoParquet {
                    let target = format!("{name}.parquet");
                    geoparquet::write(&geojson(name), &staging.join(&target))?;
                    target
                } else {
                    let target = format!("{name}.fgb");
                    fgb::write(name, &geojson(name), &staging.join(&target))?;
                    target
                };
                // The style is in the staging folder already, beside the GeoJSON layer.
                files.extend([target, format!("{name}.qml")]);
            }
        }
    }
    files.extend([names::UNRESOLVED_CSV, names::HTML].map(String::from));
    Ok(files)
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

/// Interior rings under this geodesic area, km², are left out of the country polygons the layers and the page
/// draw (`ukraine.geojson`, `index.html`): lakes, reservoirs and slivers between source polygons that at a
/// country's scale are specks (QGIS drew thousands of them as speckle). 10 km² is about 3 × 3 km, a few
/// pixels at the scale of a region; larger water bodies stay. The measurement geometry
/// ([`Boundaries::ukraine`]) keeps every ring: distances do not change.
pub const DISPLAY_HOLE_MIN_KM2: f64 = 10.0;

/// `mp` without its interior rings of under `min_km2` (geodesic area).
///
/// ```
/// use geo::{MultiPolygon, Polygon, LineString};
/// let square = |x: f64, y: f64, d: f64| LineString::from(vec![(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)]);
/// // A 1° square with a hole of 0.01° (about 1 km²) and one of 0.3° (about 700 km²).
/// let p = Polygon::new(square(30.0, 50.0, 1.0), vec![square(30.1, 50.1, 0.01), square(30.5, 50.5, 0.3)]);
/// let kept = incimap::layers::without_small_holes(&MultiPolygon::new(vec![p]), 10.0);
/// assert_eq!(kept.0[0].interiors().len(), 1);
/// ```
pub fn without_small_holes(mp: &geo::MultiPolygon<f64>, min_km2: f64) -> geo::MultiPolygon<f64> {
    let big = |ring: &&geo::LineString<f64>| {
        geo::Polygon::new((*ring).clone(), vec![]).geodesic_area_unsigned() / 1e6 >= min_km2
    };
    geo::MultiPolygon::new(
        mp.0.iter()
            .map(|p| geo::Polygon::new(p.exterior().clone(), p.interiors().iter().filter(big).cloned().collect()))
            .collect(),
    )
}

/// `ukraine.geojson`: Ukraine's internationally recognised territory (Crimea included), without interior
/// rings under [`DISPLAY_HOLE_MIN_KM2`]; `area_km2` is the area of the polygon as written.
pub fn ukraine_layer(b: &Boundaries) -> Vec<u8> {
    use geo::Orient;
    let mut bbox = BBox::EMPTY;
    let mut f = Vec::new();
    if !b.ukraine.0.is_empty() {
        let area = without_small_holes(&b.ukraine, DISPLAY_HOLE_MIN_KM2).orient(geo::orient::Direction::Default);
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
    let areas: Vec<f64> = bands.iter().map(|b| b.area.geodesic_area_unsigned() / 1e6).collect();
    bands_layer_with_areas(bands, &areas)
}

/// [`bands_layer`] with each band's geodesic area (km²) already known.
fn bands_layer_with_areas(bands: &[bands::Band], areas_km2: &[f64]) -> Vec<u8> {
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
        json::push_rounded(&mut f, areas_km2.get(i).copied().unwrap_or(f64::NAN), 1);
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
