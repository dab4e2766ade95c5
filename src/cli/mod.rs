//! One function per subcommand; shared option handling, gazetteer selection and output plumbing.

pub mod distance;
pub mod extract;
pub mod gazetteer;
pub mod map;
pub mod refresh;
pub mod resolve;
pub mod stats;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use incimap::gazetteer::Gazetteer;

/// Options every subcommand takes.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Use the gazetteer installed in DIR instead of the default (an installed refresh, else the embedded one).
    #[arg(long, global = true, env = "INCIMAP_GAZETTEER", value_name = "DIR")]
    pub gazetteer: Option<PathBuf>,
    /// Add your own places from FILE (CSV with columns name, lat, lon, and optionally admin1,
    /// alternate_names, source) to the gazetteer, for every command; bad rows are reported and skipped.
    #[arg(long, global = true, env = "INCIMAP_PLACES", value_name = "FILE")]
    pub places: Option<PathBuf>,
    /// Print nothing but results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Explain more on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

impl Global {
    /// A warning or progress line on stderr, unless `--quiet`.
    pub fn warn(&self, msg: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("incimap: {msg}");
        }
    }

    /// A detail on stderr with `--verbose`.
    pub fn info(&self, msg: impl std::fmt::Display) {
        if self.verbose {
            eprintln!("incimap: {msg}");
        }
    }

    /// The gazetteer to use ([`Global::base_gazetteer`]) with the user's own places of `--places` joined.
    pub fn load_gazetteer(&self) -> anyhow::Result<Gazetteer> {
        let mut gaz = self.base_gazetteer()?;
        if let Some(path) = &self.places {
            let report = incimap::build::places_file::join_file(&mut gaz, path)?;
            for message in report.messages() {
                self.warn(message);
            }
            self.info(format_args!(
                "added {} place(s) of {} ({} row(s) skipped)",
                report.added,
                path.display(),
                report.skipped.len()
            ));
        }
        Ok(gaz)
    }

    /// The gazetteer as installed: `--gazetteer`/`INCIMAP_GAZETTEER`, else one installed by `gazetteer
    /// refresh` in the user's data directory, else the one embedded in the binary.
    fn base_gazetteer(&self) -> anyhow::Result<Gazetteer> {
        if let Some(dir) = &self.gazetteer {
            self.info(format_args!("using gazetteer {}", dir.display()));
            return Gazetteer::open(dir).with_context(|| format!("cannot use --gazetteer {}", dir.display()));
        }
        if let Some(dir) = incimap::refresh::installed_dir()
            && dir.join(incimap::gazetteer::DATA_FILE).is_file()
        {
            self.info(format_args!("using installed gazetteer {}", dir.display()));
            return Gazetteer::open(&dir).with_context(|| {
                format!(
                    "the installed gazetteer in {} is unusable (try `incimap gazetteer refresh --rollback`, or pass --gazetteer)",
                    dir.display()
                )
            });
        }
        Ok(Gazetteer::embedded()?)
    }
}

/// Output formats. Each subcommand declares the ones it writes with [`formats!`], so that its `--help` lists only
/// those.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Geojson,
    Csv,
    Markdown,
    /// GeoParquet 1.1: the GeoJSON the subcommand would write, as a GeoParquet file (see [`Results`]).
    Geoparquet,
}

/// Declare a subcommand's own `--format` values, each one of [`Format`]:
/// `formats!(DistanceFormat { Table, Json, Csv, Geojson })`.
macro_rules! formats {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl From<$name> for $crate::cli::Format {
            fn from(f: $name) -> Self {
                match f {
                    $($name::$variant => $crate::cli::Format::$variant),+
                }
            }
        }
    };
}
pub(crate) use formats;

/// `table` on a terminal, `json` when stdout is a pipe or file.
pub fn default_format(explicit: Option<impl Into<Format>>) -> Format {
    match explicit {
        Some(f) => f.into(),
        None if std::io::stdout().is_terminal() => Format::Table,
        None => Format::Json,
    }
}

/// A usage error found after parsing (exit code 2, like clap's own).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The report date `map`, `stats` and `extract` share (defined once, flattened into each).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ReportDate {
    /// The report's date (YYYY-MM-DD): anchors an article's relative dates ("January 2", "on Tuesday",
    /// "yesterday").
    #[arg(long = "date", value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
}

/// The selection `map` and `stats` share (defined once, flattened into both).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Keep incidents on or after this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Keep incidents on or before this date (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Keep incidents in this oblast: a name in any language or a GeoNames code (`Belgorod Oblast`, `RU.09`).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Keep incidents of this weapon class (`drone`, `missile`, `bomb`, `artillery`, `debris`).
    #[arg(long, value_name = "WEAPON")]
    pub weapon: Option<String>,
    /// Keep incidents of this event type (`air_strike`, `shelling`, `crash`, `interception`, ...).
    #[arg(long, value_name = "TYPE")]
    pub event_type: Option<String>,
}

impl FilterArgs {
    /// The filter these flags ask for; a value that cannot be read is a usage error.
    pub fn filter(&self, resolver: &incimap::resolve::Resolver) -> anyhow::Result<incimap::stats::filter::Filter> {
        let date = |flag: &str, d: &Option<String>| -> anyhow::Result<Option<String>> {
            d.as_deref()
                .map(|d| {
                    incimap::incidents::date::normalise(d).map_err(|why| UsageError(format!("--{flag}: {why}")).into())
                })
                .transpose()
        };
        let region = match &self.region {
            None => None,
            Some(r) => match resolver.region(r) {
                Some(hint) if hint.level == 1 => Some(hint.code),
                Some(hint) => {
                    return Err(
                        UsageError(format!("--region {r:?} is a district ({}): give an oblast", hint.name)).into()
                    );
                }
                None => return Err(UsageError(format!("--region {r:?}: not a region the gazetteer knows")).into()),
            },
        };
        let weapon = self
            .weapon
            .as_deref()
            .map(|w| incimap::extract::weapons::class_of(w).map_or_else(|| w.trim().to_lowercase(), str::to_string));
        let event_type = match &self.event_type {
            None => None,
            Some(t) => Some(incimap::extract::events::EventType::parse(t).ok_or_else(|| {
                let all: Vec<&str> = incimap::extract::events::EventType::ALL.iter().map(|t| t.as_str()).collect();
                UsageError(format!("--event-type {t:?}: one of {}", all.join(", ")))
            })?),
        };
        Ok(incimap::stats::filter::Filter {
            since: date("since", &self.since)?,
            until: date("until", &self.until)?,
            region,
            weapon,
            event_type,
        })
    }
}

/// Tell the problems of rows that were placed all the same (a date that cannot be read): the first ones in
/// full, then how many more.
pub fn warn_notes(global: &Global, summary: &incimap::incidents::Summary) {
    for note in &summary.notes {
        global.warn(note);
    }
    let more = summary.noted - summary.notes.len() as u64;
    if more > 0 {
        global.warn(format_args!("… and {more} more rows kept without a date or with another problem"));
    }
}

/// Buffered stdout that treats a closed pipe (`incimap ... | head`) as success.
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())
}

/// Where a subcommand's results go: stdout, or `--output FILE` (written beside it and renamed over it only when
/// the run succeeds, so a failed run leaves FILE as it was). GeoParquet is made from the GeoJSON the subcommand
/// writes: into a temporary file first, converted when the results are complete ([`Results::finish`]).
pub enum Results {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(incimap::atomic_file::AtomicWriter),
    Parquet { geojson: std::io::BufWriter<tempfile::NamedTempFile>, target: Option<PathBuf> },
}

impl Results {
    /// Open the results of `format` for `output` (stdout when `None`). Returns the format to write: GeoJSON
    /// for GeoParquet.
    pub fn open(format: Format, output: Option<&Path>) -> anyhow::Result<(Results, Format)> {
        if format == Format::Geoparquet {
            if output.is_none() && std::io::stdout().is_terminal() {
                let why = "GeoParquet is a binary file: give --output FILE.parquet, or redirect stdout to a file";
                return Err(UsageError(why.into()).into());
            }
            let dir = output.and_then(Path::parent).filter(|d| !d.as_os_str().is_empty());
            let tmp = match dir {
                Some(d) => tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempfile_in(d),
                None => tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempfile(),
            }
            .with_context(|| "cannot create a temporary file for the GeoParquet conversion".to_string())?;
            let geojson = std::io::BufWriter::with_capacity(1 << 16, tmp);
            return Ok((Results::Parquet { geojson, target: output.map(Path::to_path_buf) }, Format::Geojson));
        }
        match output {
            None => Ok((Results::Stdout(stdout()), format)),
            Some(path) => {
                let file = incimap::atomic_file::AtomicWriter::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok((Results::File(file), format))
            }
        }
    }

    /// Complete the results: flush stdout, rename the file into place, or convert the GeoJSON to GeoParquet.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Results::Stdout(mut out) => Ok(out.flush()?),
            Results::File(file) => Ok(file.commit()?),
            Results::Parquet { geojson, target } => {
                let geojson = geojson.into_inner().map_err(|e| e.into_error())?;
                match target {
                    Some(target) => incimap::layers::geoparquet::write(geojson.path(), &target)?,
                    None => {
                        let parquet = tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempfile()?;
                        incimap::layers::geoparquet::write(geojson.path(), parquet.path())?;
                        let mut out = stdout();
                        std::io::copy(&mut std::fs::File::open(parquet.path())?, &mut out)?;
                        out.flush()?;
                    }
                }
                Ok(())
            }
        }
    }
}

impl Write for Results {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Results::Stdout(w) => w.write(buf),
            Results::File(w) => w.write(buf),
            Results::Parquet { geojson, .. } => geojson.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Results::Stdout(w) => w.write_all(buf),
            Results::File(w) => w.write_all(buf),
            Results::Parquet { geojson, .. } => geojson.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Results::Stdout(w) => w.flush(),
            Results::File(w) => w.flush(),
            Results::Parquet { geojson, .. } => geojson.flush(),
        }
    }
}

/// Print an error chain and turn the outcome into the exit code (0 ok, 1 runtime failure, 2 usage).
pub fn report(result: anyhow::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return 0;
            }
            let _ = std::io::stdout().flush();
            eprintln!("incimap: error: {e}");
            // A cause that a message above already says ("x.csv: no such file" then "no such file") is not
            // repeated.
            let mut said = e.to_string();
            for cause in e.chain().skip(1) {
                let text = cause.to_string();
                if !said.contains(&text) {
                    eprintln!("  caused by: {text}");
                }
                said.push_str(&text);
            }
            if e.downcast_ref::<UsageError>().is_some() { 2 } else { 1 }
        }
    }
}
