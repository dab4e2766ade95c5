//! `incimap extract`: argument handling and output formatting; the geoparsing is in `incimap::extract`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use incimap::extract::Mention;
use incimap::extract::stream::{Event, extract_parallel_map};

use super::{Format, Global, UsageError};

/// Arguments of `incimap extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format (default json).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The report's date (YYYY-MM-DD): anchors "January 2", "on Tuesday", "yesterday".
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Text files, directories of .txt files, or `-` for stdin.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
}

/// Run `incimap extract`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let format = args.format.unwrap_or(Format::Json);
    super::ensure_format(format, &[Format::Json, Format::Geojson, Format::Csv], "extract")?;
    let date = match &args.date {
        Some(d) => Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| UsageError(format!("--date wants YYYY-MM-DD, got {d:?}")))?,
        ),
        None => None,
    };
    let inputs = expand_inputs(global, &args.inputs)?;

    let gaz = global.load_gazetteer()?;
    let resolver = incimap::resolve::Resolver::new(&gaz);
    let border = incimap::border::BorderIndex::new(&gaz.boundaries);
    let mut out = super::stdout();
    let mut writer = MentionWriter::new(format);
    writer.begin(&mut out)?;
    let sources: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let open = |i: usize| -> std::io::Result<Box<dyn std::io::Read + Send>> {
        if inputs[i].as_os_str() == "-" {
            Ok(Box::new(std::io::stdin()))
        } else {
            Ok(Box::new(std::fs::File::open(&inputs[i])?))
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut failed = 0usize;
    // The extraction threads render their mentions; this one only writes them out in order.
    let render = |_, ms: Vec<Mention>| render(format, &ms);
    extract_parallel_map(&resolver, Some(&border), &sources, open, date, threads, render, |event| {
        match event {
            Event::Mentions(_, rendered) => writer.write(&mut out, rendered?)?,
            Event::Done(i, Ok(stats)) => {
                let source = &sources[i];
                if stats.bytes == 0 {
                    global.warn(format_args!("{source}: empty, no text to read"));
                }
                if stats.invalid_bytes > 0 {
                    global.warn(format_args!(
                        "{source}: not valid UTF-8: {} invalid byte(s) read as '?' (offsets unchanged)",
                        stats.invalid_bytes
                    ));
                }
                global.info(format_args!("{source}: {} bytes, {} mentions", stats.bytes, stats.mentions));
            }
            Event::Done(i, Err(e)) => {
                failed += 1;
                global.warn(format_args!("{}: {e}", sources[i]));
            }
        }
        Ok(())
    })?;
    writer.end(&mut out)?;
    out.flush()?;
    if failed > 0 {
        anyhow::bail!("{failed} of {} input(s) could not be read (see above); the others were extracted", inputs.len());
    }
    Ok(())
}

/// Files to read: `-`, files as given, and the `.txt` files of directories (sorted, not recursive).
fn expand_inputs(global: &Global, inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.as_os_str() == "-" {
            out.push(p.clone());
        } else if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot list {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")))
                .collect();
            files.sort();
            if files.is_empty() {
                global.warn(format_args!("{}: no .txt files in this directory", p.display()));
            }
            out.extend(files);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(UsageError(format!("{}: no such file or directory", p.display())).into());
        }
    }
    Ok(out)
}

/// Streams mentions out as a JSON array, a GeoJSON FeatureCollection or CSV.
struct MentionWriter {
    format: Format,
    count: u64,
}

const CSV_HEADER: &[&str] = &[
    "source",
    "mention",
    "start",
    "end",
    "line",
    "role",
    "status",
    "precision",
    "name",
    "geonameid",
    "place",
    "admin1",
    "admin1_name",
    "country",
    "lat",
    "lon",
    "border_km",
    "date",
    "weapon",
    "weapon_model",
    "region",
    "between",
    "reason",
    "evidence",
    "event_type",
];

impl MentionWriter {
    fn new(format: Format) -> Self {
        MentionWriter { format, count: 0 }
    }

    fn begin(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        match self.format {
            Format::Geojson => out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":["),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(CSV_HEADER).map_err(std::io::Error::other)?;
                out.write_all(&w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?)
            }
            _ => out.write_all(b"["),
        }
    }

    /// Write records rendered by [`render`], the first one of all without its separating comma.
    fn write(&mut self, out: &mut dyn Write, rendered: Rendered) -> std::io::Result<()> {
        let mut bytes = &rendered.bytes[..];
        if self.count == 0 && rendered.count > 0 && self.format != Format::Csv {
            bytes = &bytes[SEPARATOR.len()..];
            out.write_all(b"\n")?;
        }
        out.write_all(bytes)?;
        self.count += rendered.count;
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        let nl: &[u8] = if self.count > 0 { b"\n" } else { b"" };
        match self.format {
            Format::Geojson => {
                out.write_all(nl)?;
                out.write_all(b"]}\n")
            }
            Format::Csv => Ok(()),
            _ => {
                out.write_all(nl)?;
                out.write_all(b"]\n")
            }
        }
    }
}

/// What goes before every JSON or GeoJSON record but the first (which gets a bare newline).
const SEPARATOR: &[u8] = b",\n";

/// A chunk's mentions in the output format: every JSON/GeoJSON record after [`SEPARATOR`], CSV rows as
/// they are.
struct Rendered {
    bytes: Vec<u8>,
    count: u64,
}

/// Render `mentions` as records of `format` (see [`Rendered`]).
fn render(format: Format, mentions: &[Mention]) -> std::io::Result<Rendered> {
    let mut bytes = Vec::with_capacity(mentions.len() * 900);
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(bytes);
            for m in mentions {
                w.write_record(csv_row(m)).map_err(std::io::Error::other)?;
            }
            bytes = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        Format::Geojson => {
            for m in mentions {
                bytes.extend_from_slice(SEPARATOR);
                serde_json::to_writer(&mut bytes, &feature(m))?;
            }
        }
        _ => {
            for m in mentions {
                bytes.extend_from_slice(SEPARATOR);
                incimap::extract::json::write_mention(&mut bytes, m);
            }
        }
    }
    Ok(Rendered { bytes, count: mentions.len() as u64 })
}

fn feature(m: &Mention) -> serde_json::Value {
    let geometry = match (m.lon, m.lat) {
        (Some(lon), Some(lat)) => serde_json::json!({"type": "Point", "coordinates": [lon, lat]}),
        _ => serde_json::Value::Null,
    };
    serde_json::json!({"type": "Feature", "geometry": geometry, "properties": m})
}

fn csv_row(m: &Mention) -> Vec<String> {
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let place = m.place.as_ref();
    vec![
        m.source.to_string(),
        m.mention.to_string(),
        m.start.to_string(),
        m.end.to_string(),
        m.line.to_string(),
        enum_str(&m.role),
        enum_str(&m.status),
        enum_str(&m.precision),
        m.name.to_string(),
        place.map(|p| p.geonameid.to_string()).unwrap_or_default(),
        place.map(|p| p.name.to_string()).unwrap_or_default(),
        place.map(|p| p.admin1.to_string()).unwrap_or_default(),
        place.map(|p| p.admin1_name.to_string()).unwrap_or_default(),
        place.map(|p| p.country.to_string()).unwrap_or_default(),
        opt(m.lat),
        opt(m.lon),
        opt(m.border_km),
        m.date.as_deref().unwrap_or_default().to_string(),
        m.weapon.unwrap_or_default().to_string(),
        m.weapon_model.as_ref().map(|s| s.to_string()).unwrap_or_default(),
        m.region.as_ref().map(|s| s.to_string()).unwrap_or_default(),
        m.between.as_ref().map(|s| s.to_string()).unwrap_or_default(),
        m.reason.to_string(),
        m.evidence.to_string(),
        m.event_type.map(|t| t.as_str()).unwrap_or_default().to_string(),
    ]
}

fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
