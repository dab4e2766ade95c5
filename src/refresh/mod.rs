//! Refreshing the gazetteer from public data over the network (`incimap gazetteer refresh`).
//!
//! 1. Download, in parallel, GeoNames' country dumps (`{base}/{CC}.zip`), its postal-code dumps
//!    (`{postal}/{CC}.zip`, cached as `postal/{CC}.zip`: both zips hold a `{CC}.txt`), `admin1CodesASCII.txt`,
//!    `admin2Codes.txt`, and the geoBoundaries outlines of Ukraine, Russia and Belarus ([`fetch`],
//!    [`geoboundaries`]). Requests are conditional on the copies cached in the installed directory
//!    ([`cache`]), so unchanged sources are not downloaded again.
//! 2. Check what arrived ([`archive`]): zip safety, error pages served as data; unpack each country's dump
//!    into the build's folder and its postal-code dump into that folder's `postal/`.
//! 3. Build in a staging folder beside the target with [`crate::build`], validate (rows, the
//!    derived border, that the result loads), and swap it in atomically, keeping the replaced version for
//!    [`install::rollback`] ([`install`]).
//!
//! Any failure before the swap leaves the installed directory exactly as it was.

pub mod archive;
pub mod cache;
pub mod fetch;
pub mod geoboundaries;
pub mod install;
pub mod progress;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

use futures_util::{StreamExt, TryStreamExt};

use crate::build::{self, BuildOptions};
use crate::gazetteer::{DATA_FILE, Gazetteer, GazetteerError, Manifest, PlaceSource};

pub use fetch::FetchLimits;
pub use install::rollback;
pub use progress::Reporter;

use cache::{CACHE_DIR, CacheState};
use fetch::{Fetched, Fetcher};

/// Where `gazetteer refresh` installs by default: `$XDG_DATA_HOME/incimap` (or the platform's data dir).
pub fn installed_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("incimap"))
}

/// Default GeoNames dump base URL.
pub const DEFAULT_BASE_URL: &str = "https://download.geonames.org/export/dump";
/// Default GeoNames postal-code dump base URL.
pub const DEFAULT_POSTAL_URL: &str = "https://download.geonames.org/export/zip";
/// Default geoBoundaries API base URL.
pub const DEFAULT_BOUNDARIES_URL: &str = "https://www.geoboundaries.org/api/current/gbOpen";
/// Largest geoBoundaries metadata answer accepted (real ones are a few kB).
const MAX_METADATA_BYTES: u64 = 1 << 20;
/// Downloads running at once (GeoNames asks mirrors and scripts to be gentle).
const PARALLEL_DOWNLOADS: usize = 4;
/// Where postal-code dumps go, in the download cache and in the build's folder (apart from the country
/// dumps: both zips hold a `{CC}.txt`).
const POSTAL_DIR: &str = "postal";

/// Why a refresh failed. Whatever the variant, the installed gazetteer was left as it was.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("refusing URL {url}: {why}")]
    UrlRefused { url: String, why: String },
    #[error("download of {url} failed: {why}")]
    Download { url: String, why: String },
    #[error("{file} (from {url}) is unusable: {why}")]
    BadFile { file: String, url: String, why: String },
    #[error("building the gazetteer failed")]
    Build(#[from] GazetteerError),
    #[error("the new gazetteer failed validation: {0}")]
    Validation(String),
    #[error("{what} {}", path.display())]
    Io { what: String, path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Install(String),
    #[error("{0}")]
    Usage(String),
}

/// What to download, from where, and how carefully.
#[derive(Debug, Clone)]
pub struct RefreshOptions {
    /// The directory to install into.
    pub dir: PathBuf,
    /// ISO alpha-2 codes of the countries whose dumps are downloaded and kept.
    pub countries: Vec<String>,
    /// GeoNames dump base URL (`{base}/{CC}.zip`, `{base}/admin1CodesASCII.txt`, ...).
    pub base_url: String,
    /// GeoNames postal-code dump base URL (`{postal_url}/{CC}.zip`).
    pub postal_url: String,
    /// geoBoundaries API base URL (`{base}/{ISO3}/ADM0/`).
    pub boundaries_url: String,
    /// Timeouts, retries and the per-file size cap.
    pub limits: FetchLimits,
    /// Largest uncompressed country dump accepted from a zip (the full Russia dump is about 0.4 GB).
    pub max_unzipped_bytes: u64,
    /// Fail on any malformed row instead of skipping it.
    pub strict: bool,
    /// Largest share of malformed rows tolerated in one file (they are reported and skipped); above it the
    /// file is taken as broken and the refresh fails.
    pub max_bad_row_share: f64,
    /// Accept a gazetteer with less than half the places of the installed one for some country.
    pub allow_shrink: bool,
}

impl RefreshOptions {
    /// Defaults (RU, UA, BY from the public sources) installing into `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> RefreshOptions {
        RefreshOptions {
            dir: dir.into(),
            countries: vec!["RU".into(), "UA".into(), "BY".into()],
            base_url: DEFAULT_BASE_URL.into(),
            postal_url: DEFAULT_POSTAL_URL.into(),
            boundaries_url: DEFAULT_BOUNDARIES_URL.into(),
            limits: FetchLimits::default(),
            max_unzipped_bytes: build::MAX_ZIP_MEMBER_BYTES,
            strict: false,
            max_bad_row_share: 0.01,
            allow_shrink: false,
        }
    }
}

/// What a successful refresh did.
#[derive(Debug)]
pub struct RefreshReport {
    /// The manifest of the gazetteer now installed.
    pub manifest: Manifest,
    /// Populated places it holds.
    pub places: usize,
    /// False when every source was unchanged and the installed gazetteer was already built from them.
    pub installed: bool,
    /// Files downloaded, and files the servers reported unchanged (their cached copy was used).
    pub downloaded: Vec<String>,
    pub unchanged: Vec<String>,
    /// Malformed rows skipped, as `file:line: why`.
    pub warnings: Vec<String>,
}

/// One file to download: its name in the cache, its URL, and what it is for.
struct Download {
    file: String,
    url: reqwest::Url,
    max_bytes: u64,
    role: Role,
}

/// What a download is for, and how it becomes an input of the build.
enum Role {
    /// A GeoNames country dump: its `{CC}.txt` is unpacked into the build's folder.
    CountryDump(String),
    /// A GeoNames postal-code dump: its `{CC}.txt` is unpacked into the build's `postal/` folder.
    PostalDump(String),
    /// A text or GeoJSON file, used as it is once it is known not to be an error page.
    AsIs,
    /// geoBoundaries metadata: read to find the outline's URL, not an input of the build.
    Metadata,
}

type DownloadFuture = Pin<Box<dyn Future<Output = Result<Vec<(Download, Fetched)>, RefreshError>> + Send>>;

/// Download, build, validate and install (see the module documentation).
pub fn refresh(opts: &RefreshOptions, reporter: Reporter) -> Result<RefreshReport, RefreshError> {
    let countries = check_countries(&opts.countries)?;
    for url in [&opts.base_url, &opts.postal_url, &opts.boundaries_url] {
        fetch::check_url(url)?;
    }
    let reporter = Arc::new(reporter);
    let target = opts.dir.as_path();

    let _lock = install::InstallLock::acquire(target)?;
    install::check_replaceable(target)?;
    let cache = CacheState::load(target);
    let staging = install::Staging::new(target)?;
    let sources = staging.path().join(CACHE_DIR);
    let input = staging.path().join(".input");
    for d in [&sources, &sources.join(POSTAL_DIR), &input, &input.join(POSTAL_DIR)] {
        std::fs::create_dir_all(d).map_err(|source| RefreshError::Io {
            what: "cannot create".into(),
            path: d.clone(),
            source,
        })?;
    }

    // 1. Downloads.
    let plan = plan_downloads(opts, &countries)?;
    let fetched = download_all(opts, plan, &cache, target, &sources, reporter.clone())?;

    let mut downloaded = Vec::new();
    let mut unchanged = Vec::new();
    let mut entries = BTreeMap::new();
    for (d, f) in &fetched {
        match f {
            Fetched::Downloaded(_) => downloaded.push(d.file.clone()),
            Fetched::NotModified(_) => unchanged.push(d.file.clone()),
        }
        entries.insert(d.file.clone(), f.entry().clone());
    }
    downloaded.sort();
    unchanged.sort();

    // Nothing changed and the installed gazetteer is the one built from these very files: keep it.
    let installed_sha = cache::sha256_file(&target.join(DATA_FILE)).ok();
    if downloaded.is_empty()
        && installed_sha.is_some()
        && installed_sha == cache.built_sha256
        && cache.countries == countries
        && let Some(manifest) = installed_manifest(target)
    {
        reporter.log("every source is unchanged since the installed gazetteer was built: nothing to do");
        return Ok(RefreshReport {
            places: manifest.counts.values().flat_map(|m| m.values()).sum::<u64>() as usize,
            manifest,
            installed: false,
            downloaded,
            unchanged,
            warnings: Vec::new(),
        });
    }

    // 2. Check and unpack into the build's input folder.
    let urls = unpack(&fetched, &sources, &input, opts.max_unzipped_bytes)?;

    // 3. Build and validate.
    reporter.log("building the gazetteer");
    let build_opts = BuildOptions {
        from: input.clone(),
        countries: countries.clone(),
        strict: opts.strict,
        origin: Some(format!(
            "GeoNames {} (postal codes {}) and geoBoundaries {}",
            opts.base_url, opts.postal_url, opts.boundaries_url
        )),
        urls,
    };
    let out = build::build(&build_opts)?;
    validate_rows(&out, opts.max_bad_row_share)?;
    validate_counts(&out.gazetteer, &countries, target, opts.allow_shrink)?;
    build::write_dir(&out.gazetteer, staging.path())?;
    let reloaded = Gazetteer::open(staging.path())
        .map_err(|e| RefreshError::Validation(format!("the new gazetteer does not load back: {e}")))?;
    if reloaded.places.len() != out.gazetteer.places.len() {
        return Err(RefreshError::Validation("the new gazetteer does not load back whole".into()));
    }
    std::fs::remove_dir_all(&input).map_err(|source| RefreshError::Io {
        what: "cannot clean up".into(),
        path: input.clone(),
        source,
    })?;

    // 4. The cache index, the previous version, and the swap.
    let state =
        CacheState {
            files: entries,
            built_sha256: Some(cache::sha256_file(&staging.path().join(DATA_FILE)).map_err(|source| {
                RefreshError::Io { what: "cannot read".into(), path: staging.path().join(DATA_FILE), source }
            })?),
            countries: countries.clone(),
        };
    let state_path = sources.join(cache::STATE_FILE);
    let state_text = serde_json::to_string_pretty(&state).map_err(|e| RefreshError::Install(e.to_string()))? + "\n";
    crate::atomic_file::write(&state_path, state_text.as_bytes()).map_err(|source| RefreshError::Io {
        what: "cannot write".into(),
        path: state_path.clone(),
        source,
    })?;
    if target.join(DATA_FILE).is_file() {
        install::carry_gazetteer(target, &staging.path().join(install::PREVIOUS_DIR))?;
    }
    staging.commit()?;
    Ok(RefreshReport {
        places: reloaded.places.len(),
        manifest: reloaded.manifest,
        installed: true,
        downloaded,
        unchanged,
        warnings: out.warnings,
    })
}

/// Run the downloads of `plan` and of the geoBoundaries outlines, a few at a time, into `sources` (the
/// staging cache folder), conditionally on the copies cached in `target`.
fn download_all(
    opts: &RefreshOptions,
    plan: Vec<Download>,
    cache: &CacheState,
    target: &Path,
    sources: &Path,
    reporter: Arc<Reporter>,
) -> Result<Vec<(Download, Fetched)>, RefreshError> {
    let fetcher = Fetcher::new(opts.limits.clone(), reporter.clone())?;
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(|source| {
            RefreshError::Io { what: "cannot start the download runtime in".into(), path: target.into(), source }
        })?;
    let mut jobs: Vec<DownloadFuture> = Vec::new();
    for d in plan {
        let (fetcher, cache, target, sources) =
            (fetcher.clone(), cache.clone(), target.to_path_buf(), sources.to_path_buf());
        jobs.push(Box::pin(async move {
            let f = fetch_cached(&fetcher, &cache, &target, &sources, &d).await?;
            Ok(vec![(d, f)])
        }));
    }
    for (iso3, file) in geoboundaries::COUNTRIES {
        let (fetcher, cache, target, sources) =
            (fetcher.clone(), cache.clone(), target.to_path_buf(), sources.to_path_buf());
        let meta_url = fetch::check_url(&geoboundaries::metadata_url(&opts.boundaries_url, iso3))?;
        let max_bytes = opts.limits.max_bytes;
        jobs.push(Box::pin(async move {
            let meta = Download {
                file: format!("{iso3}-ADM0.json"),
                url: meta_url,
                max_bytes: MAX_METADATA_BYTES,
                role: Role::Metadata,
            };
            let mf = fetch_cached(&fetcher, &cache, &target, &sources, &meta).await?;
            let meta_path = sources.join(&meta.file);
            let bytes = std::fs::read(&meta_path).map_err(|source| RefreshError::Io {
                what: "cannot read".into(),
                path: meta_path.clone(),
                source,
            })?;
            let gj_url = geoboundaries::download_url(&bytes, &meta.url).map_err(|why| RefreshError::BadFile {
                file: format!("geoBoundaries metadata for {iso3}"),
                url: meta.url.to_string(),
                why,
            })?;
            let gj_url = fetch::check_url(gj_url.as_str())?;
            let gj = Download { file: file.to_string(), url: gj_url, max_bytes, role: Role::AsIs };
            let gf = fetch_cached(&fetcher, &cache, &target, &sources, &gj).await?;
            Ok(vec![(meta, mf), (gj, gf)])
        }));
    }
    let fetched = runtime
        .block_on(async {
            futures_util::stream::iter(jobs).buffer_unordered(PARALLEL_DOWNLOADS).try_collect::<Vec<_>>().await
        })?
        .into_iter()
        .flatten()
        .collect();
    Ok(fetched)
}

/// The GeoNames files to download: each country's dump and postal-code dump, and the admin code lists.
fn plan_downloads(opts: &RefreshOptions, countries: &[String]) -> Result<Vec<Download>, RefreshError> {
    let url = |base: &str, name: &str| fetch::check_url(&format!("{}/{name}", base.trim_end_matches('/')));
    let max_bytes = opts.limits.max_bytes;
    let mut plan = Vec::new();
    for cc in countries {
        let zip = format!("{cc}.zip");
        plan.push(Download {
            file: zip.clone(),
            url: url(&opts.base_url, &zip)?,
            max_bytes,
            role: Role::CountryDump(cc.clone()),
        });
        plan.push(Download {
            file: format!("{POSTAL_DIR}/{zip}"),
            url: url(&opts.postal_url, &zip)?,
            max_bytes,
            role: Role::PostalDump(cc.clone()),
        });
    }
    for name in ["admin1CodesASCII.txt", "admin2Codes.txt"] {
        plan.push(Download { file: name.into(), url: url(&opts.base_url, name)?, max_bytes, role: Role::AsIs });
    }
    Ok(plan)
}

/// Check every download and put it where the build finds it: the `{CC}.txt` of each zip unpacked (into
/// `postal/` for the postal-code dumps), other inputs linked as they are. Returns the download URL of each
/// build input, by the name the build records it under.
fn unpack(
    fetched: &[(Download, Fetched)],
    sources: &Path,
    input: &Path,
    max_unzipped_bytes: u64,
) -> Result<BTreeMap<String, String>, RefreshError> {
    let mut urls = BTreeMap::new();
    for (d, _) in fetched {
        let path = sources.join(&d.file);
        let bad = |why: String| RefreshError::BadFile { file: d.file.clone(), url: d.url.to_string(), why };
        let (member, dest) = match &d.role {
            Role::CountryDump(cc) => (format!("{cc}.txt"), format!("{cc}.txt")),
            Role::PostalDump(cc) => (format!("{cc}.txt"), format!("{POSTAL_DIR}/{cc}.txt")),
            Role::AsIs => {
                let head = archive::head(&path, 4096).map_err(|e| bad(format!("cannot read it: {e}")))?;
                if let Some(page) = archive::html_page(&head) {
                    return Err(bad(format!("the server sent {page} instead of the file")));
                }
                install::link_or_copy(&path, &input.join(&d.file))?;
                urls.insert(d.file.clone(), d.url.to_string());
                continue;
            }
            Role::Metadata => continue,
        };
        archive::extract_member(&path, &member, &input.join(&dest), max_unzipped_bytes).map_err(bad)?;
        urls.insert(dest, d.url.to_string());
    }
    Ok(urls)
}

/// Fetch one file into the staging cache folder, conditionally on a usable cached copy (hard-linked in
/// when the server says it is unchanged).
async fn fetch_cached(
    fetcher: &Fetcher,
    cache: &CacheState,
    installed: &Path,
    sources: &Path,
    d: &Download,
) -> Result<Fetched, RefreshError> {
    let cached = cache.usable(installed, &d.file, d.url.as_str());
    let dest = sources.join(&d.file);
    let fetched = fetcher.fetch(&d.url, &dest, &d.file, cached.as_ref().map(|(e, _)| e), d.max_bytes).await?;
    if let (Fetched::NotModified(_), Some((_, path))) = (&fetched, &cached) {
        install::link_or_copy(path, &dest)?;
    }
    Ok(fetched)
}

fn check_countries(countries: &[String]) -> Result<Vec<String>, RefreshError> {
    let mut out: Vec<String> =
        countries.iter().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty()).collect();
    out.sort();
    out.dedup();
    if out.is_empty() || out.iter().any(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic())) {
        return Err(RefreshError::Usage(format!(
            "--countries wants ISO alpha-2 codes such as RU,UA,BY, got {:?}",
            countries.join(",")
        )));
    }
    Ok(out)
}

/// Malformed rows are skipped one by one, but a file where many are malformed is broken (a truncated or
/// wrong download), not noisy: refuse it.
fn validate_rows(out: &build::BuildOutput, max_share: f64) -> Result<(), RefreshError> {
    for src in &out.gazetteer.manifest.sources {
        let prefix = format!("{}:", src.file);
        let bad: Vec<&String> = out.warnings.iter().filter(|w| w.starts_with(&prefix)).collect();
        let total = src.rows + bad.len() as u64;
        if !bad.is_empty() && bad.len() as f64 > max_share * total as f64 {
            let shown: Vec<&str> = bad.iter().take(5).map(|s| s.as_str()).collect();
            return Err(RefreshError::Validation(format!(
                "{} of {total} rows of {} are malformed (more than {:.1}% means a broken file), e.g. {}",
                bad.len(),
                src.file,
                max_share * 100.0,
                shown.join("; ")
            )));
        }
    }
    Ok(())
}

/// The manifest of the gazetteer installed in `dir`, from its `manifest.json` (cheap: the gazetteer itself
/// is not decoded, so a refresh never holds two large gazetteers in memory at once).
fn installed_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(dir.join(crate::gazetteer::MANIFEST_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Every requested country must have places from its GeoNames dump (postal-code places only add to them),
/// and (unless allowed) none may shrink below half of what the installed gazetteer holds: a sign of a
/// partial or wrong download.
fn validate_counts(
    gaz: &Gazetteer,
    countries: &[String],
    installed: &Path,
    allow_shrink: bool,
) -> Result<(), RefreshError> {
    let count = |g: &Gazetteer, cc: &str| g.manifest.counts.get(cc).map(|m| m.values().sum::<u64>()).unwrap_or(0);
    for cc in countries {
        if !gaz.places.iter().any(|p| p.country == cc.as_str() && p.source == PlaceSource::Geonames) {
            return Err(RefreshError::Validation(format!("no populated places of {cc} in {cc}.txt")));
        }
    }
    if allow_shrink {
        return Ok(());
    }
    if let Some(old) = installed_manifest(installed) {
        for cc in countries {
            let old_n = old.counts.get(cc.as_str()).map(|m| m.values().sum::<u64>()).unwrap_or(0);
            let new_n = count(gaz, cc);
            if new_n * 2 < old_n {
                return Err(RefreshError::Validation(format!(
                    "{cc} would shrink from {old_n} to {new_n} places (pass --allow-shrink if that is intended)"
                )));
            }
        }
    }
    Ok(())
}
