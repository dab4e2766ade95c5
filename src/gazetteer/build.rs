//! Build a gazetteer from GeoNames-format files and country boundary GeoJSON.
//!
//! The input directory is searched (recursively) for GeoNames dumps (`*.txt`, or `*.zip` holding them),
//! `admin1CodesASCII.txt`, `admin2Codes.txt`, and boundary GeoJSON named after the country (`ukraine`,
//! `russia`, `belarus`, or their ISO3 codes). Malformed rows are reported with file and line and skipped,
//! or make the build fail under `strict`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::format::{self, Manifest, Source};
use super::geonames::{self, AdminRow, DumpRow, RowError};
use super::{Boundaries, Gazetteer, GazetteerError, Place, Region};

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
    /// Download URLs of input files by file name, recorded in the manifest.
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
    pub postal: Option<super::postal::PostalReport>,
    pub warnings: Vec<String>,
}

#[derive(Default)]
struct Inputs {
    dumps: Vec<PathBuf>,
    /// GeoNames postal-code files: `*.txt` in a folder named `postal`.
    postal: Vec<PathBuf>,
    admin1: Option<PathBuf>,
    admin2: Option<PathBuf>,
    ukraine: Option<PathBuf>,
    russia: Option<PathBuf>,
    belarus: Option<PathBuf>,
}

fn find_inputs(dir: &Path) -> Result<Inputs, GazetteerError> {
    let mut inputs = Inputs::default();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|source| GazetteerError::Io { path: d.clone(), source })?;
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if depth < 3 {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let lower = name.to_ascii_lowercase();
            if lower == "admin1codesascii.txt" {
                inputs.admin1 = Some(path);
            } else if lower == "admin2codes.txt" {
                inputs.admin2 = Some(path);
            } else if in_postal_dir(&path) && lower.ends_with(".txt") && !is_auxiliary_txt(&lower) {
                inputs.postal.push(path);
            } else if lower.ends_with(".zip") || (lower.ends_with(".txt") && !is_auxiliary_txt(&lower)) {
                inputs.dumps.push(path);
            } else if lower.ends_with(".geojson") || lower.ends_with(".json") {
                if lower.contains("border") {
                    continue; // a reference line, never an input: the border is derived from the polygons
                }
                // Belarus first: "belarus" contains "rus".
                let slot = if lower.contains("belarus") || lower.contains("blr") {
                    &mut inputs.belarus
                } else if lower.contains("ukraine") || lower.contains("ukr") {
                    &mut inputs.ukraine
                } else if lower.contains("russia") || lower.contains("rus") {
                    &mut inputs.russia
                } else {
                    continue;
                };
                *slot = Some(path);
            }
        }
    }
    Ok(inputs)
}

/// Is `path` in a folder named `postal` (GeoNames' postal-code files, in another format than the dumps)?
fn in_postal_dir(path: &Path) -> bool {
    path.parent().and_then(|d| d.file_name()).is_some_and(|n| n.eq_ignore_ascii_case("postal"))
}

fn is_auxiliary_txt(lower: &str) -> bool {
    lower.starts_with("readme")
        || lower.contains("codes")
        || lower.starts_with("iso-")
        || lower.starts_with("timezones")
        || lower.starts_with("countryinfo")
        || lower.starts_with("featurecodes")
}

/// A reader that hashes what passes through it and fails past a size limit.
struct MeteredReader<R> {
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

fn metered<R: Read>(inner: R, limit: u64) -> MeteredReader<R> {
    MeteredReader { inner, hasher: Sha256::new(), read: 0, limit }
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes))
}

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

/// Build a gazetteer from the files in `opts.from`.
pub fn build(opts: &BuildOptions) -> Result<BuildOutput, GazetteerError> {
    if !opts.from.is_dir() {
        return Err(GazetteerError::MissingDir(opts.from.clone()));
    }
    let countries: BTreeSet<String> = opts.countries.iter().map(|c| c.trim().to_ascii_uppercase()).collect();
    if countries.is_empty() || countries.iter().any(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic())) {
        return Err(GazetteerError::Invalid(format!(
            "--countries wants ISO alpha-2 codes such as RU,UA,BY, got {:?}",
            opts.countries.join(",")
        )));
    }
    let inputs = find_inputs(&opts.from)?;
    let mut problems = Problems { strict: opts.strict, warnings: Vec::new() };
    let mut sources = Vec::new();

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

    // Places, and alternate names of admin features (for region names in other scripts).
    let mut places: HashMap<u32, (Place, Vec<String>)> = HashMap::new();
    let mut admin_alt: HashMap<u32, Vec<String>> = HashMap::new();
    for path in &inputs.dumps {
        read_dump(path, &countries, &mut places, &mut admin_alt, &mut problems, &mut sources, opts)?;
    }
    let postal = read_postal(&inputs.postal, &countries, &mut problems, &mut sources, opts)?;
    if places.is_empty() {
        return Err(GazetteerError::Invalid(format!(
            "no populated places of {} in {}",
            countries.iter().cloned().collect::<Vec<_>>().join(","),
            opts.from.display()
        )));
    }

    let admin1 = read_admin(admin1_path, "admin1", &countries, &admin_alt, &mut problems, &mut sources, opts)?;
    let admin2 = match &inputs.admin2 {
        Some(p) => read_admin(p, "admin2", &countries, &admin_alt, &mut problems, &mut sources, opts)?,
        None => {
            problems.warnings.push(format!("{}: no admin2Codes.txt; districts will not be known", opts.from.display()));
            Vec::new()
        }
    };

    // Deterministic order: by geonameid.
    let mut places: Vec<(Place, Vec<String>)> = places.into_values().collect();
    places.sort_by_key(|(p, _)| p.geonameid);
    let postal_report = (!inputs.postal.is_empty()).then(|| super::postal::merge(postal, &mut places));
    let alt_names: Vec<Vec<String>> = places.iter().map(|(_, a)| a.clone()).collect();
    let places: Vec<Place> = places.into_iter().map(|(p, _)| p).collect();

    let mut admin1 = admin1;
    let mut admin2 = admin2;
    assign_seats(&places, &mut admin1, &mut admin2);

    let boundaries = read_boundaries(&inputs, &mut sources, opts)?;
    let names = crate::resolve::index::name_entries(&places, &alt_names);

    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for p in &places {
        *counts.entry(p.country.to_string()).or_default().entry(p.feature_code.to_string()).or_default() += 1;
    }
    let manifest = Manifest {
        format_version: format::FORMAT_VERSION,
        name_key_version: crate::names::KEY_VERSION,
        built_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        origin: opts.origin.clone().unwrap_or_else(|| opts.from.display().to_string()),
        countries: countries.into_iter().collect(),
        sources,
        counts,
        admin1_count: admin1.len() as u64,
        admin2_count: admin2.len() as u64,
        name_count: names.len() as u64,
        border_km: crate::border::derive::length_km(&boundaries.land_border),
    };
    // Every place measured once here, so that geoparsing reads distances instead of solving geodesics.
    let place_measures =
        crate::border::places::PlaceMeasures::measure(&crate::border::BorderIndex::new(&boundaries), &places);
    Ok(BuildOutput {
        postal: postal_report,
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
        warnings: problems.warnings,
    })
}

/// Read every postal-code file's rows of `countries`; malformed rows are reported with file and line.
fn read_postal(
    paths: &[PathBuf],
    countries: &BTreeSet<String>,
    problems: &mut Problems,
    sources: &mut Vec<Source>,
    opts: &BuildOptions,
) -> Result<Vec<super::postal::PostalRow>, GazetteerError> {
    let mut rows = Vec::new();
    for path in paths {
        let label = format!("postal/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("?"));
        let io = |source| GazetteerError::Io { path: path.to_path_buf(), source };
        let mut meter = metered(std::fs::File::open(path).map_err(io)?, MAX_ZIP_MEMBER_BYTES);
        let mut errors = Vec::new();
        let mut count = 0u64;
        geonames::for_each_line(&mut meter, |line_no, line| match line.and_then(super::postal::parse_postal_line) {
            Ok(row) => {
                count += 1;
                if countries.contains(&row.country) {
                    rows.push(row);
                }
            }
            Err(why) => errors.push(RowError { line: line_no, why }),
        })
        .map_err(io)?;
        for err in errors {
            problems.row(&label, err)?;
        }
        if count == 0 {
            return Err(GazetteerError::Invalid(format!("{label}: no valid postal-code rows")));
        }
        sources.push(Source {
            file: label,
            kind: "postal".into(),
            rows: count,
            modified: None,
            sha256: hex(meter.hasher.finalize()),
            url: opts.urls.get(path.file_name().and_then(|n| n.to_str()).unwrap_or("")).cloned(),
        });
    }
    Ok(rows)
}

fn keep_name(name: &str) -> bool {
    let n = name.chars().count();
    (2..=80).contains(&n)
        && !name.contains("http")
        && !name.contains('/')
        && name.chars().any(|c| c.is_alphabetic())
        && !name.chars().any(|c| c.is_ascii_digit())
        && name.chars().all(|c| {
            !c.is_alphabetic()
                || c.is_ascii_alphabetic()
                || ('\u{00C0}'..='\u{024F}').contains(&c) // Latin with diacritics
                || ('\u{0400}'..='\u{052F}').contains(&c) // Cyrillic
        })
}

#[allow(clippy::too_many_arguments)]
fn read_dump(
    path: &Path,
    countries: &BTreeSet<String>,
    places: &mut HashMap<u32, (Place, Vec<String>)>,
    admin_alt: &mut HashMap<u32, Vec<String>>,
    problems: &mut Problems,
    sources: &mut Vec<Source>,
    opts: &BuildOptions,
) -> Result<(), GazetteerError> {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    let io_err = |source: std::io::Error| GazetteerError::Io { path: path.to_path_buf(), source };
    let is_zip = file_name.to_ascii_lowercase().ends_with(".zip");
    let mut members: Vec<(String, Box<dyn Read>)> = Vec::new();
    let file = std::fs::File::open(path).map_err(io_err)?;
    if is_zip {
        let mut archive = zip::ZipArchive::new(file).map_err(|e| GazetteerError::Corrupt {
            what: path.display().to_string(),
            why: format!("not a readable zip archive ({e})"),
        })?;
        let mut wanted = Vec::new();
        for i in 0..archive.len() {
            let entry = archive.by_index(i).map_err(|e| GazetteerError::Corrupt {
                what: path.display().to_string(),
                why: format!("unreadable zip entry ({e})"),
            })?;
            let Some(name) = entry.enclosed_name() else {
                return Err(GazetteerError::Corrupt {
                    what: path.display().to_string(),
                    why: format!("zip entry {:?} escapes the archive: refused", entry.name()),
                });
            };
            let member = name.to_string_lossy().to_string();
            let lower = member.to_ascii_lowercase();
            if entry.is_file() && lower.ends_with(".txt") && !is_auxiliary_txt(&lower) && !lower.contains('/') {
                wanted.push((i, member));
            }
        }
        if wanted.is_empty() {
            return Err(GazetteerError::Corrupt {
                what: path.display().to_string(),
                why: "the zip holds no GeoNames .txt dump".into(),
            });
        }
        for (i, member) in wanted {
            let mut entry = archive.by_index(i).map_err(|e| GazetteerError::Corrupt {
                what: path.display().to_string(),
                why: format!("unreadable zip entry ({e})"),
            })?;
            // Stream the member into memory-bounded processing: read it through directly.
            let label = format!("{file_name}:{member}");
            let mut meter = metered(&mut entry, MAX_ZIP_MEMBER_BYTES);
            let (rows, modified) = read_dump_rows(&mut meter, &label, countries, places, admin_alt, problems)?;
            let sha = hex(meter.hasher.finalize());
            sources.push(Source {
                file: label,
                kind: "geonames".into(),
                rows,
                modified,
                sha256: sha,
                url: opts.urls.get(&file_name).cloned(),
            });
        }
        return Ok(());
    }
    members.push((file_name.clone(), Box::new(file)));
    for (label, reader) in members {
        let mut meter = metered(reader, u64::MAX);
        let (rows, modified) = read_dump_rows(&mut meter, &label, countries, places, admin_alt, problems)?;
        sources.push(Source {
            file: label,
            kind: "geonames".into(),
            rows,
            modified,
            sha256: hex(meter.hasher.finalize()),
            url: opts.urls.get(&file_name).cloned(),
        });
    }
    Ok(())
}

fn read_dump_rows<R: Read>(
    reader: &mut R,
    label: &str,
    countries: &BTreeSet<String>,
    places: &mut HashMap<u32, (Place, Vec<String>)>,
    admin_alt: &mut HashMap<u32, Vec<String>>,
    problems: &mut Problems,
) -> Result<(u64, Option<String>), GazetteerError> {
    let mut rows = 0u64;
    let mut modified: Option<String> = None;
    let mut fatal: Option<GazetteerError> = None;
    let mut row_errors = Vec::new();
    let res = geonames::for_each_line(reader, |line_no, line| {
        if fatal.is_some() {
            return;
        }
        match line.and_then(geonames::parse_dump_line) {
            Ok(row) => {
                rows += 1;
                if !countries.contains(&row.country) {
                    return;
                }
                if modified.as_deref().is_none_or(|m| row.modified.as_str() > m) && row.modified.len() == 10 {
                    modified = Some(row.modified.clone());
                }
                keep_row(row, places, admin_alt);
            }
            Err(why) => {
                let err = RowError { line: line_no, why };
                if problems.strict {
                    fatal = Some(GazetteerError::BadRow { file: label.to_string(), line: err.line, why: err.why });
                } else {
                    row_errors.push(err);
                }
            }
        }
    });
    if let Some(f) = fatal {
        return Err(f);
    }
    for err in row_errors {
        problems.row(label, err)?;
    }
    res.map_err(|e| GazetteerError::Invalid(format!("{label}: {e}")))?;
    if rows == 0 {
        return Err(GazetteerError::Invalid(format!("{label}: no valid GeoNames rows")));
    }
    Ok((rows, modified))
}

fn keep_row(row: DumpRow, places: &mut HashMap<u32, (Place, Vec<String>)>, admin_alt: &mut HashMap<u32, Vec<String>>) {
    let mut alt: Vec<String> = row.alternatenames.into_iter().filter(|n| keep_name(n)).collect();
    alt.sort();
    alt.dedup();
    match row.feature_class.as_str() {
        "P" => {
            let place = Place {
                geonameid: row.geonameid,
                name: row.name.into(),
                lat: row.lat,
                lon: row.lon,
                feature_code: row.feature_code.into(),
                country: row.country.into(),
                admin1: row.admin1.into(),
                admin2: row.admin2.into(),
                population: row.population,
            };
            let mut names = alt;
            if !row.asciiname.is_empty() && row.asciiname != place.name {
                names.push(row.asciiname);
            }
            // The same place may come from several extracts: keep the union of its names.
            let entry = places.entry(place.geonameid).or_insert_with(|| (place, Vec::new()));
            entry.1.extend(names);
            entry.1.sort();
            entry.1.dedup();
        }
        "A" if row.feature_code.starts_with("ADM1") || row.feature_code.starts_with("ADM2") => {
            admin_alt.entry(row.geonameid).or_default().extend(alt);
        }
        _ => {}
    }
}

fn read_admin(
    path: &Path,
    kind: &str,
    countries: &BTreeSet<String>,
    admin_alt: &HashMap<u32, Vec<String>>,
    problems: &mut Problems,
    sources: &mut Vec<Source>,
    opts: &BuildOptions,
) -> Result<Vec<Region>, GazetteerError> {
    let label = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    let file = std::fs::File::open(path).map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    let mut meter = metered(file, u64::MAX);
    let mut rows: Vec<AdminRow> = Vec::new();
    let mut errors = Vec::new();
    let mut count = 0u64;
    geonames::for_each_line(&mut meter, |line_no, line| match line.and_then(geonames::parse_admin_line) {
        Ok(row) => {
            count += 1;
            if countries.contains(row.code.split('.').next().unwrap_or("")) {
                rows.push(row);
            }
        }
        Err(why) => errors.push(RowError { line: line_no, why }),
    })
    .map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    for err in errors {
        problems.row(&label, err)?;
    }
    sources.push(Source {
        file: label.clone(),
        kind: kind.into(),
        rows: count,
        modified: None,
        sha256: hex(meter.hasher.finalize()),
        url: opts.urls.get(&label).cloned(),
    });
    let mut regions: Vec<Region> = rows
        .into_iter()
        .map(|r| {
            let mut alt: Vec<String> = admin_alt.get(&r.geonameid).cloned().unwrap_or_default();
            alt.sort();
            alt.dedup();
            Region {
                code: r.code,
                name: r.name,
                ascii_name: r.ascii_name,
                geonameid: r.geonameid,
                alt_names: alt,
                seat: None,
            }
        })
        .collect();
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    regions.dedup_by(|a, b| a.code == b.code);
    Ok(regions)
}

/// The administrative centre of each region: the place with the matching seat feature code
/// (`PPLA`/`PPLC` for admin1, `PPLA2` for admin2), else the most populous place in the region.
fn assign_seats(places: &[Place], admin1: &mut [Region], admin2: &mut [Region]) {
    let rank = |p: &Place, level: u8| -> u8 {
        match (level, p.feature_code.as_str()) {
            (1, "PPLA") => 3,
            (1, "PPLC") => 2,
            (2, "PPLA2") => 3,
            (2, "PPLA") | (2, "PPLC") => 2,
            _ => 0,
        }
    };
    let mut best1: HashMap<String, (u8, u64, u32)> = HashMap::new();
    let mut best2: HashMap<String, (u8, u64, u32)> = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        let k1 = p.admin1_code();
        if !k1.is_empty() {
            let cand = (rank(p, 1), p.population, i as u32);
            let e = best1.entry(k1).or_insert(cand);
            if (cand.0, cand.1) > (e.0, e.1) {
                *e = cand;
            }
        }
        let k2 = p.admin2_code();
        if !k2.is_empty() {
            let cand = (rank(p, 2), p.population, i as u32);
            let e = best2.entry(k2).or_insert(cand);
            if (cand.0, cand.1) > (e.0, e.1) {
                *e = cand;
            }
        }
    }
    for r in admin1.iter_mut() {
        r.seat = best1.get(&r.code).map(|b| b.2);
    }
    for r in admin2.iter_mut() {
        r.seat = best2.get(&r.code).map(|b| b.2);
    }
}

fn read_boundaries(
    inputs: &Inputs,
    sources: &mut Vec<Source>,
    opts: &BuildOptions,
) -> Result<Boundaries, GazetteerError> {
    let (Some(ua), Some(ru)) = (&inputs.ukraine, &inputs.russia) else {
        return Err(GazetteerError::Invalid(format!(
            "{} needs boundary GeoJSON for Ukraine and Russia (files named ukraine*.geojson and russia*.geojson)",
            opts.from.display()
        )));
    };
    let ukraine = read_polygons(ua, sources, opts)?;
    let russia = read_polygons(ru, sources, opts)?;
    let belarus = match &inputs.belarus {
        Some(p) => read_polygons(p, sources, opts)?,
        None => geo::MultiPolygon::new(vec![]),
    };
    let land_border = crate::border::derive::land_border(&ukraine, &russia)
        .map_err(|why| GazetteerError::Invalid(format!("cannot derive the Russia–Ukraine land border: {why}")))?;
    crate::border::derive::validate(&land_border).map_err(|why| {
        GazetteerError::Invalid(format!("the derived Russia–Ukraine land border failed validation: {why}"))
    })?;
    let mut boundaries = Boundaries { ukraine, russia, belarus, land_border, default_bands: Vec::new() };
    // Built here, once, rather than by every `map` run. Without a border there is nothing to buffer; `map`
    // then reports that itself.
    boundaries.default_bands =
        crate::layers::bands::build(&boundaries, &crate::layers::bands::DEFAULT_EDGES_KM).unwrap_or_default();
    Ok(boundaries)
}

/// Read every (multi)polygon in a GeoJSON file (a FeatureCollection, Feature or bare geometry).
pub fn read_polygons(
    path: &Path,
    sources: &mut Vec<Source>,
    opts: &BuildOptions,
) -> Result<geo::MultiPolygon<f64>, GazetteerError> {
    let bytes = std::fs::read(path).map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    let label = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
    let corrupt = |why: String| GazetteerError::Corrupt { what: path.display().to_string(), why };
    let text = std::str::from_utf8(&bytes).map_err(|_| corrupt("not UTF-8".into()))?;
    let gj: geojson::GeoJson = text.parse().map_err(|e| corrupt(format!("not GeoJSON ({e})")))?;
    let geometries: Vec<geojson::Geometry> = match gj {
        geojson::GeoJson::FeatureCollection(fc) => fc.features.into_iter().filter_map(|f| f.geometry).collect(),
        geojson::GeoJson::Feature(f) => f.geometry.into_iter().collect(),
        geojson::GeoJson::Geometry(g) => vec![g],
    };
    let mut polygons = Vec::new();
    let count = geometries.len() as u64;
    for g in geometries {
        let geom: geo::Geometry<f64> = g.try_into().map_err(|e| corrupt(format!("bad geometry ({e})")))?;
        match geom {
            geo::Geometry::Polygon(p) => polygons.push(p),
            geo::Geometry::MultiPolygon(mp) => polygons.extend(mp.0),
            _ => {}
        }
    }
    if polygons.is_empty() {
        return Err(corrupt("holds no polygon".into()));
    }
    sources.push(Source {
        file: label.clone(),
        kind: "boundary".into(),
        rows: count,
        modified: None,
        sha256: sha256_hex(&bytes),
        url: opts.urls.get(&label).cloned(),
    });
    Ok(geo::MultiPolygon::new(polygons))
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
    let bin_path = dir.join(super::DATA_FILE);
    crate::atomic_file::write(&bin_path, &bin).map_err(io(bin_path.clone()))?;
    let man_path = dir.join(super::MANIFEST_FILE);
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
