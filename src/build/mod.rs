//! Building a gazetteer from public files: GeoNames dumps, GeoNames' postal-code places, admin code
//! files and country boundary GeoJSON. This sits above the gazetteer's own types and the engines that
//! read them (`border`, `resolve`, `layers`), since a build needs all of them: to derive the land border,
//! to name a postal place's region, to measure every place and to draw the default distance bands.
//!
//! The input directory is searched (recursively) for GeoNames dumps (`*.txt`, or `*.zip` holding them),
//! `admin1CodesASCII.txt`, `admin2Codes.txt`, postal-code files in a folder named `postal`
//! ([`postal`]), and boundary GeoJSON named after the country (`ukraine`, `russia`, `belarus`, or their
//! ISO3 codes). Malformed rows are reported with file and line and skipped, or make the build fail under
//! `strict`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::gazetteer::format::{self, Manifest, Source};
use crate::gazetteer::{Boundaries, Gazetteer, GazetteerError, Place, Region};
use geonames::RowError;

mod boundaries;
pub use boundaries::{ENCLAVE_MIN_SHARE, OutlineCounts, OutlineReport};
mod dumps;
pub mod geonames;
mod inputs;
pub mod places_file;
pub mod postal;
mod regions;
pub(crate) mod zipped;

/// Largest uncompressed zip member the build will read (the full Russia dump is about 0.4 GB).
pub const MAX_ZIP_MEMBER_BYTES: u64 = 3 << 30;

/// What to build and how strictly.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Directory holding the inputs.
    pub from: PathBuf,
    /// ISO alpha-2 codes of the countries whose places are kept.
    pub countries: Vec<String>,
    /// Fail on the first malformed row instead of skipping it.
    pub strict: bool,
    /// Where the inputs came from, recorded in the manifest (defaults to `from`).
    pub origin: Option<String>,
    /// Download URLs of input files by file name (`RU.txt`; postal-code files as `postal/RU.txt`), recorded
    /// in the manifest.
    pub urls: BTreeMap<String, String>,
}

impl BuildOptions {
    /// Options for building from `from` with the default countries (RU, UA, BY).
    pub fn new(from: impl Into<PathBuf>) -> Self {
        BuildOptions {
            from: from.into(),
            countries: vec!["RU".into(), "UA".into(), "BY".into()],
            strict: false,
            origin: None,
            urls: BTreeMap::new(),
        }
    }
}

/// A finished build: the gazetteer and every problem met on the way (as `file:line: why`).
#[derive(Debug)]
pub struct BuildOutput {
    pub gazetteer: Gazetteer,
    /// What the postal-code places added, kept and dropped, when the inputs had any.
    pub postal: Option<postal::PostalReport>,
    /// How each country's polygons became its outline (interior rings filled, enclaves kept).
    pub outlines: OutlineReport,
    pub warnings: Vec<String>,
}

/// A reader that hashes what passes through it and fails past a size limit.
pub(crate) struct MeteredReader<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
    limit: u64,
}

impl<R: Read> Read for MeteredReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(format!("more than {} bytes: refused", self.limit)));
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl<R> MeteredReader<R> {
    /// SHA-256 of everything read, lower-case hex.
    pub(crate) fn sha256(self) -> String {
        hex(self.hasher.finalize())
    }
}

pub(crate) fn metered<R: Read>(inner: R, limit: u64) -> MeteredReader<R> {
    MeteredReader { inner, hasher: Sha256::new(), read: 0, limit }
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes))
}

/// Malformed rows met so far: reported as warnings, or the first one fatal under `strict`.
struct Problems {
    strict: bool,
    warnings: Vec<String>,
}

impl Problems {
    fn row(&mut self, file: &str, err: RowError) -> Result<(), GazetteerError> {
        if self.strict {
            return Err(GazetteerError::BadRow { file: file.to_string(), line: err.line, why: err.why });
        }
        self.warnings.push(format!("{file}:{}: {}", err.line, err.why));
        Ok(())
    }
}

/// What every reader of a build shares: the options, the countries kept, the problems met and the
/// sources read.
struct Reading<'o> {
    opts: &'o BuildOptions,
    countries: BTreeSet<String>,
    problems: Problems,
    sources: Vec<Source>,
}

impl Reading<'_> {
    /// Record an input file read: its label, kind, rows, latest modification and SHA-256; its download URL
    /// is looked up by `file_name`.
    fn source(
        &mut self,
        file: String,
        kind: &str,
        rows: u64,
        modified: Option<String>,
        sha256: String,
        file_name: &str,
    ) {
        let url = self.opts.urls.get(file_name).cloned();
        self.sources.push(Source { file, kind: kind.into(), rows, modified, sha256, url });
    }
}

/// The countries of `opts`, upper-cased; an error unless they are ISO alpha-2 codes.
fn countries_of(opts: &BuildOptions) -> Result<BTreeSet<String>, GazetteerError> {
    let countries: BTreeSet<String> = opts.countries.iter().map(|c| c.trim().to_ascii_uppercase()).collect();
    if countries.is_empty() || countries.iter().any(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic())) {
        return Err(GazetteerError::Invalid(format!(
            "--countries wants ISO alpha-2 codes such as RU,UA,BY, got {:?}",
            opts.countries.join(",")
        )));
    }
    Ok(countries)
}

/// Build a gazetteer from the files in `opts.from`.
pub fn build(opts: &BuildOptions) -> Result<BuildOutput, GazetteerError> {
    if !opts.from.is_dir() {
        return Err(GazetteerError::MissingDir(opts.from.clone()));
    }
    let countries = countries_of(opts)?;
    let inputs = inputs::find_inputs(&opts.from)?;
    let problems = Problems { strict: opts.strict, warnings: Vec::new() };
    let mut reading = Reading { opts, countries, problems, sources: Vec::new() };

    if inputs.dumps.is_empty() {
        return Err(GazetteerError::Invalid(format!(
            "{} holds no GeoNames dump (*.txt or *.zip in the 19-column format)",
            opts.from.display()
        )));
    }
    let admin1_path = inputs
        .admin1
        .as_ref()
        .ok_or_else(|| GazetteerError::Invalid(format!("{} has no admin1CodesASCII.txt", opts.from.display())))?;

    let mut dumps = dumps::Dumps::default();
    for path in &inputs.dumps {
        dumps::read_dump(path, &mut reading, &mut dumps)?;
    }
    let postal = postal::read_postal(&inputs.postal, &mut reading)?;
    if dumps.places.is_empty() {
        return Err(GazetteerError::Invalid(format!(
            "no populated places of {} in {}",
            reading.countries.iter().cloned().collect::<Vec<_>>().join(","),
            opts.from.display()
        )));
    }

    let mut admin1 = regions::read_admin(admin1_path, "admin1", &dumps.admin_alt, &mut reading)?;
    let mut admin2 = match &inputs.admin2 {
        Some(p) => regions::read_admin(p, "admin2", &dumps.admin_alt, &mut reading)?,
        None => {
            let why = format!("{}: no admin2Codes.txt; districts will not be known", opts.from.display());
            reading.problems.warnings.push(why);
            Vec::new()
        }
    };

    // Deterministic order: by geonameid.
    let mut places: Vec<(Place, Vec<String>)> = dumps.places.into_values().collect();
    places.sort_by_key(|(p, _)| p.geonameid);
    let postal_report = if inputs.postal.is_empty() {
        None
    } else {
        let view = regions_view(&places, &admin1, &admin2);
        Some(postal::merge(postal, &mut places, &view, &mut reading.problems.warnings))
    };
    let alt_names: Vec<Vec<String>> = places.iter().map(|(_, a)| a.clone()).collect();
    let places: Vec<Place> = places.into_iter().map(|(p, _)| p).collect();

    regions::assign_seats(&places, &mut admin1, &mut admin2);

    let (boundaries, outlines) = boundaries::read_boundaries(&inputs, &mut reading)?;
    let names = crate::gazetteer::index::name_entries(&places, &alt_names);

    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for p in &places {
        *counts.entry(p.country.to_string()).or_default().entry(p.feature_code.to_string()).or_default() += 1;
    }
    let manifest = Manifest {
        format_version: format::FORMAT_VERSION,
        name_key_version: crate::names::KEY_VERSION,
        built_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        origin: opts.origin.clone().unwrap_or_else(|| opts.from.display().to_string()),
        countries: reading.countries.into_iter().collect(),
        sources: reading.sources,
        counts,
        admin1_count: admin1.len() as u64,
        admin2_count: admin2.len() as u64,
        name_count: names.len() as u64,
        border_km: crate::border::derive::length_km(&boundaries.land_border),
    };
    // Every place measured once here, so that geoparsing reads distances instead of solving geodesics.
    let place_measures = crate::border::places::measure(&crate::border::BorderIndex::new(&boundaries), &places);
    Ok(BuildOutput {
        postal: postal_report,
        outlines,
        gazetteer: Gazetteer {
            manifest,
            places,
            admin1,
            admin2,
            names,
            boundaries,
            place_measures,
            key_index: Default::default(),
        },
        warnings: reading.problems.warnings,
    })
}

/// A gazetteer of `places` and the regions, without boundaries: what the region engine needs to read the
/// postal files' region names.
pub(crate) fn regions_view(places: &[(Place, Vec<String>)], admin1: &[Region], admin2: &[Region]) -> Gazetteer {
    let alt_names: Vec<Vec<String>> = places.iter().map(|(_, a)| a.clone()).collect();
    let places: Vec<Place> = places.iter().map(|(p, _)| p.clone()).collect();
    let (mut admin1, mut admin2) = (admin1.to_vec(), admin2.to_vec());
    regions::assign_seats(&places, &mut admin1, &mut admin2);
    let empty = || geo::MultiPolygon::new(Vec::new());
    Gazetteer {
        manifest: Manifest::default(),
        names: crate::gazetteer::index::name_entries(&places, &alt_names),
        places,
        admin1,
        admin2,
        boundaries: Boundaries {
            ukraine: empty(),
            russia: empty(),
            belarus: empty(),
            land_border: geo::MultiLineString::new(Vec::new()),
            default_bands: Vec::new(),
        },
        place_measures: Default::default(),
        key_index: Default::default(),
    }
}

/// Write a built gazetteer into `dir` (created if needed): `gazetteer.bin`, `manifest.json` and a
/// `NOTICE`, each atomically.
pub fn write_dir(gaz: &Gazetteer, dir: &Path) -> Result<(), GazetteerError> {
    let bin = format::encode(gaz)?;
    let io = |path: PathBuf| move |source| GazetteerError::Io { path, source };
    std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
    let mut manifest = serde_json::to_value(&gaz.manifest).map_err(|e| GazetteerError::Invalid(e.to_string()))?;
    manifest["sha256"] = serde_json::Value::String(sha256_hex(&bin));
    manifest["bytes"] = serde_json::Value::from(bin.len() as u64);
    let manifest_text =
        serde_json::to_string_pretty(&manifest).map_err(|e| GazetteerError::Invalid(e.to_string()))? + "\n";
    let bin_path = dir.join(crate::gazetteer::DATA_FILE);
    crate::atomic_file::write(&bin_path, &bin).map_err(io(bin_path.clone()))?;
    let man_path = dir.join(crate::gazetteer::MANIFEST_FILE);
    crate::atomic_file::write(&man_path, manifest_text.as_bytes()).map_err(io(man_path.clone()))?;
    let notice_path = dir.join("NOTICE");
    crate::atomic_file::write(&notice_path, notice(gaz).as_bytes()).map_err(io(notice_path.clone()))?;
    Ok(())
}

fn notice(gaz: &Gazetteer) -> String {
    let mut s = String::new();
    s.push_str("incimap gazetteer\n=================\n\n");
    s.push_str(&format!("Built {} from {}.\n\n", gaz.manifest.built_at, gaz.manifest.origin));
    s.push_str("Place names, coordinates, populations and administrative divisions: GeoNames\n");
    s.push_str("(https://www.geonames.org/), licensed under Creative Commons Attribution 4.0\n");
    s.push_str("(CC BY 4.0, https://creativecommons.org/licenses/by/4.0/).\n\n");
    s.push_str("Villages from GeoNames' postal-code files (https://download.geonames.org/export/zip/):\n");
    s.push_str("GeoNames, Creative Commons Attribution (CC BY 3.0 for Russia's file of 2016, CC BY 4.0\n");
    s.push_str("for Ukraine's and Belarus's); points checked against their district, see `postal` sources.\n\n");
    s.push_str("Country boundaries and the derived Russia–Ukraine land border: © OpenStreetMap\n");
    s.push_str("contributors (https://www.openstreetmap.org/copyright), available under the Open\n");
    s.push_str("Database License (ODbL 1.0).\n\nSources:\n");
    for src in &gaz.manifest.sources {
        s.push_str(&format!(
            "- {} ({}, {} rows{}{}) sha256 {}\n",
            src.file,
            src.kind,
            src.rows,
            src.modified.as_ref().map(|m| format!(", modified up to {m}")).unwrap_or_default(),
            src.url.as_ref().map(|u| format!(", from {u}")).unwrap_or_default(),
            src.sha256
        ));
    }
    s
}
