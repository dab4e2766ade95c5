//! `incimap gazetteer info|build|refresh`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use incimap::build::{self, BuildOptions};
use incimap::gazetteer::PointPrecision;

use super::{Format, Global};

super::formats!(
    /// What `gazetteer info` writes.
    InfoFormat { Table, Json }
);

/// Arguments of `incimap gazetteer`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

/// `gazetteer` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// What the active gazetteer holds: counts per country and feature code, sources, dates, checksum.
    Info {
        #[arg(long, value_enum)]
        format: Option<InfoFormat>,
    },
    /// Build a gazetteer from GeoNames-format files and boundary GeoJSON.
    Build {
        /// Directory with GeoNames dumps (*.txt or *.zip), admin1CodesASCII.txt, admin2Codes.txt and
        /// ukraine/russia/belarus boundary GeoJSON. GeoNames' postal-code files (export/zip/{CC}.zip, or the
        /// {CC}.txt inside it) go in a folder named postal/ inside DIR, one for each country built; without
        /// that folder the gazetteer holds only the dumps' places.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// Countries whose populated places are kept.
        #[arg(long, value_delimiter = ',', default_value = "RU,UA,BY")]
        countries: Vec<String>,
        /// Output directory.
        #[arg(short, long, value_name = "DIR", default_value = "gazetteer")]
        output: PathBuf,
        /// Fail on the first malformed row instead of reporting and skipping it.
        #[arg(long)]
        strict: bool,
    },
    /// Download public data, build, and install atomically.
    Refresh(super::refresh::Args),
}

/// Run `incimap gazetteer ...`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Info { format } => info(global, format),
        Command::Build { from, countries, output, strict } => {
            let mut opts = BuildOptions::new(&from);
            opts.countries = countries;
            opts.strict = strict;
            let out = build::build(&opts)?;
            for w in &out.warnings {
                global.warn(w);
            }
            if let Some(report) = &out.postal {
                global.warn(report);
            }
            global.warn(&out.outlines);
            build::write_dir(&out.gazetteer, &output)?;
            let m = &out.gazetteer.manifest;
            global.warn(format_args!(
                "built {} places, {} names, {} regions, border {:.1} km into {}{}",
                out.gazetteer.places.len(),
                m.name_count,
                m.admin1_count + m.admin2_count,
                m.border_km,
                output.display(),
                if out.warnings.is_empty() { String::new() } else { format!(" ({} warnings)", out.warnings.len()) }
            ));
            Ok(())
        }
        Command::Refresh(r) => super::refresh::run(global, r),
    }
}

fn info(global: &Global, format: Option<InfoFormat>) -> anyhow::Result<()> {
    let format = super::default_format(format);
    let (location, bytes) = match &global.gazetteer {
        Some(dir) => {
            let p = dir.join(incimap::gazetteer::DATA_FILE);
            (dir.display().to_string(), std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?)
        }
        None => match incimap::refresh::installed_dir().filter(|d| d.join(incimap::gazetteer::DATA_FILE).is_file()) {
            Some(dir) => {
                let p = dir.join(incimap::gazetteer::DATA_FILE);
                (dir.display().to_string(), std::fs::read(&p).with_context(|| format!("cannot read {}", p.display()))?)
            }
            None => ("embedded".to_string(), incimap::gazetteer::EMBEDDED.to_vec()),
        },
    };
    let gaz = incimap::gazetteer::format::decode(&bytes, &location)?;
    let checksum = build::sha256_hex(&bytes);
    let m = &gaz.manifest;
    let mut by_source: std::collections::BTreeMap<&str, u64> = Default::default();
    for p in &gaz.places {
        *by_source.entry(p.source.as_str()).or_default() += 1;
    }
    let district_points = gaz.places.iter().filter(|p| p.precision == PointPrecision::District).count();
    let mut out = super::stdout();
    if format == Format::Json {
        let mut v = serde_json::to_value(m)?;
        v["location"] = location.into();
        v["sha256"] = checksum.into();
        v["bytes"] = (bytes.len() as u64).into();
        v["places"] = (gaz.places.len() as u64).into();
        v["places_by_source"] = serde_json::to_value(&by_source)?;
        v["places_at_district_seat"] = (district_points as u64).into();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(out, "gazetteer   {location}")?;
        writeln!(out, "built       {} from {}", m.built_at, m.origin)?;
        writeln!(out, "sha256      {checksum} ({} bytes)", bytes.len())?;
        writeln!(
            out,
            "places      {} ({} names, {} admin1, {} admin2 regions)",
            gaz.places.len(),
            m.name_count,
            m.admin1_count,
            m.admin2_count
        )?;
        let sources: Vec<String> = by_source.iter().map(|(s, n)| format!("{n} {s}")).collect();
        writeln!(out, "by source   {} ({district_points} placed at their district's seat)", sources.join(", "))?;
        writeln!(out, "border      {:.1} km Russia–Ukraine land border", m.border_km)?;
        for (country, codes) in &m.counts {
            let total: u64 = codes.values().sum();
            let detail: Vec<String> = codes.iter().map(|(c, n)| format!("{c} {n}")).collect();
            writeln!(out, "  {country:<3} {total:>7}  {}", detail.join(", "))?;
        }
        writeln!(out, "sources")?;
        for s in &m.sources {
            writeln!(
                out,
                "  {:<34} {:<9} {:>8} rows  {}  {}",
                s.file,
                s.kind,
                s.rows,
                s.modified.as_deref().unwrap_or("-"),
                &s.sha256[..s.sha256.len().min(12)]
            )?;
            if let Some(url) = &s.url {
                writeln!(out, "  {:<34} from {url}", "")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
