//! `incimap gazetteer refresh`: argument handling and reporting; the work is in [`incimap::refresh`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use incimap::refresh::{self, FetchLimits, RefreshError, RefreshOptions, Reporter};

use super::{Global, UsageError};

/// Arguments of `gazetteer refresh`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Countries to download.
    #[arg(long, value_delimiter = ',', default_value = "RU,UA,BY")]
    pub countries: Vec<String>,
    /// Install into DIR (default: the user's data directory).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// GeoNames dump base URL.
    #[arg(long, default_value = "https://download.geonames.org/export/dump")]
    pub base_url: String,
    /// GeoNames postal-code dump base URL ({URL}/{CC}.zip for each country).
    #[arg(long, default_value = refresh::DEFAULT_POSTAL_URL)]
    pub postal_url: String,
    /// geoBoundaries API base URL.
    #[arg(long, default_value = "https://www.geoboundaries.org/api/current/gbOpen")]
    pub boundaries_url: String,
    /// Restore the previously installed gazetteer instead of downloading.
    #[arg(long)]
    pub rollback: bool,
    /// Seconds to wait for a response, and for each piece of a transfer, before giving up on an attempt.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Seconds one file's whole transfer may take (a server trickling a few bytes at a time is given up on).
    #[arg(long, value_name = "SECONDS", default_value_t = 1800.0)]
    pub deadline: f64,
    /// Further attempts after a timeout, a broken transfer or a server error (5xx).
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
    /// Seconds to wait before the first retry (doubled for each further one).
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub retry_wait: f64,
    /// Largest file downloaded, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub max_file_mb: u64,
    /// Largest uncompressed country dump accepted from a zip, in MiB (zip bombs are refused).
    #[arg(long, value_name = "MIB", default_value_t = 3072)]
    pub max_unzipped_mb: u64,
    /// Fail on any malformed row instead of reporting and skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Install even when a country ends up with less than half the places of the installed gazetteer.
    #[arg(long)]
    pub allow_shrink: bool,
}

/// Run `incimap gazetteer refresh`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let dir = match args.dir.clone().or_else(refresh::installed_dir) {
        Some(d) => d,
        None => return Err(UsageError("no data directory is known here: pass --dir DIR".into()).into()),
    };
    if args.rollback {
        let manifest = refresh::rollback(&dir).with_context(|| format!("rollback in {} failed", dir.display()))?;
        global.warn(format_args!(
            "restored the gazetteer built {} from {} in {}",
            manifest.built_at,
            manifest.origin,
            dir.display()
        ));
        return Ok(());
    }
    let seconds = |v: f64, flag: &str| -> anyhow::Result<Duration> {
        Duration::try_from_secs_f64(v)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| UsageError(format!("{flag} wants a positive number of seconds, got {v}")).into())
    };
    let mut opts = RefreshOptions::new(&dir);
    opts.countries = args.countries.clone();
    opts.base_url = args.base_url.clone();
    opts.postal_url = args.postal_url.clone();
    opts.boundaries_url = args.boundaries_url.clone();
    opts.limits = FetchLimits {
        timeout: seconds(args.timeout, "--timeout")?,
        deadline: seconds(args.deadline, "--deadline")?,
        retries: args.retries,
        retry_wait: if args.retry_wait == 0.0 { Duration::ZERO } else { seconds(args.retry_wait, "--retry-wait")? },
        max_bytes: args.max_file_mb.saturating_mul(1 << 20),
    };
    opts.max_unzipped_bytes = args.max_unzipped_mb.saturating_mul(1 << 20);
    opts.strict = args.strict;
    opts.allow_shrink = args.allow_shrink;

    let log_global = global.clone();
    let log = move |msg: &str| log_global.warn(msg);
    let reporter = if global.quiet {
        Reporter::silent()
    } else if std::io::stderr().is_terminal() {
        Reporter::with_bars(log)
    } else {
        Reporter::with_log(log)
    };
    global.info(format_args!(
        "refreshing into {} from {}, {} and {}",
        dir.display(),
        opts.base_url,
        opts.postal_url,
        opts.boundaries_url
    ));
    let report = match refresh::refresh(&opts, reporter) {
        Ok(r) => r,
        Err(RefreshError::Usage(msg)) => return Err(UsageError(msg).into()),
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("refresh failed; the installed gazetteer in {} is unchanged", dir.display())));
        }
    };
    for w in &report.warnings {
        global.warn(w);
    }
    let m = &report.manifest;
    if report.installed {
        global.warn(format_args!(
            "installed {} places ({} names, {} admin1, {} admin2 regions, border {:.1} km) into {}; \
             downloaded {}, unchanged {}{}",
            report.places,
            m.name_count,
            m.admin1_count,
            m.admin2_count,
            m.border_km,
            dir.display(),
            list(&report.downloaded),
            list(&report.unchanged),
            if dir.join(refresh::install::PREVIOUS_DIR).is_dir() {
                "; the previous version is kept for `gazetteer refresh --rollback`"
            } else {
                ""
            }
        ));
    } else {
        global.warn(format_args!(
            "the gazetteer in {} (built {}) is up to date: no source changed",
            dir.display(),
            m.built_at
        ));
    }
    Ok(())
}

fn list(files: &[String]) -> String {
    if files.is_empty() { "none".into() } else { files.join(", ") }
}
