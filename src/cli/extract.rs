//! `incimap extract`: argument handling and output formatting; the geoparsing is in `incimap::extract`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use incimap::extract::Mention;
use incimap::extract::stream::{Event, extract_parallel_map};
use incimap::incidents::TableRow;

use super::{Format, Global, Results};

super::formats!(
    /// What `extract` writes.
    ExtractFormat { Json, Geojson, Csv, Geoparquet }
);

/// Arguments of `incimap extract`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format (default json). `geoparquet`: the GeoJSON mentions as a GeoParquet 1.1 file (give
    /// --output, or redirect stdout to a file).
    #[arg(long, value_enum)]
    pub format: Option<ExtractFormat>,
    /// Write the results to FILE instead of stdout (renamed into place only when the run succeeds).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: super::ReportDate,
    /// Geoparse this column of each row of table INPUTs (an export's `notes`, `source_headline` or `brief
    /// description`): mentions carry the row's line, and `moved_km` when the row had coordinates.
    #[arg(long, value_name = "COLUMN")]
    pub text_column: Option<String>,
    /// Text files, directories of .txt files, or `-` for stdin (tables with --text-column).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
}

/// Run `incimap extract`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let (mut out, format) = Results::open(args.format.map_or(Format::Json, Format::from), args.output.as_deref())?;
    let date = args.report.date;
    let inputs = expand_inputs(global, &args.inputs)?;
    if let Some(column) = &args.text_column {
        return run_text_column(global, &inputs, column, format, date, out);
    }

    let gaz = global.load_gazetteer()?;
    let resolver = incimap::resolve::Resolver::new(&gaz);
    let border = incimap::border::BorderIndex::new(&gaz.boundaries);
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
    out.finish()?;
    if failed > 0 {
        anyhow::bail!("{failed} of {} input(s) could not be read (see above); the others were extracted", inputs.len());
    }
    Ok(())
}

/// Rows geoparsed at once, on all cores.
const ROW_BATCH: usize = 512;

/// `extract --text-column`: geoparse one column of every row of the tables `inputs`, in order. A row's own
/// date (under its producer's columns) anchors its relative dates, else `--date`.
fn run_text_column(
    global: &Global,
    inputs: &[PathBuf],
    column: &str,
    format: Format,
    date: Option<chrono::NaiveDate>,
    mut out: Results,
) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let gaz = global.load_gazetteer()?;
    let resolver = incimap::resolve::Resolver::new(&gaz);
    let border = incimap::border::BorderIndex::new(&gaz.boundaries);
    let opts = incimap::incidents::ReadOptions::default();
    let mut writer = MentionWriter::new(format);
    writer.begin(&mut out)?;
    for input in inputs {
        let source = input.display().to_string();
        let mut batch: Vec<TableRow> = Vec::with_capacity(ROW_BATCH);
        let mut missing = true;
        let mut flush = |batch: &mut Vec<TableRow>, out: &mut dyn Write| -> anyhow::Result<()> {
            let rendered: Vec<std::io::Result<Rendered>> = batch
                .par_iter()
                // An extractor keeps per-thread caches: one per worker.
                .map_init(
                    || incimap::extract::Extractor::new(&resolver, Some(&border)),
                    |extractor, row| render(format, &row_mentions(extractor, &source, row, column, date)),
                )
                .collect();
            batch.clear();
            for r in rendered {
                writer.write(out, r?)?;
            }
            Ok(())
        };
        incimap::incidents::read_rows(input, &opts, |row| {
            match row {
                Ok(row) => {
                    missing &= !row.fields.contains_key(column);
                    batch.push(row);
                    if batch.len() == ROW_BATCH {
                        flush(&mut batch, &mut out)?;
                    }
                }
                Err(u) => global.warn(format_args!("{}:{}: {}", u.source, u.line, u.reason)),
            }
            Ok(())
        })?;
        flush(&mut batch, &mut out)?;
        if missing {
            global.warn(format_args!("{source}: no row has a column {column:?}"));
        }
    }
    writer.end(&mut out)?;
    out.finish()?;
    Ok(())
}

/// The mentions of one row's text column, each on the row's line, with `moved_km` from the row's coordinates.
fn row_mentions(
    extractor: &incimap::extract::Extractor,
    source: &str,
    row: &TableRow,
    column: &str,
    date: Option<chrono::NaiveDate>,
) -> Vec<Mention> {
    let Some(text) = row.text(&[column]) else { return Vec::new() };
    let row_date = row
        .text(row.schema.date)
        .and_then(|d| incimap::incidents::date::normalise_ordered(&d, row.schema.date_order).ok())
        .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let mut mentions = extractor.extract(&text, source, row_date.or(date));
    let given = row.coordinates();
    for m in &mut mentions {
        m.line = row.line;
        if let (Some((lat, lon)), Some(mlat), Some(mlon)) = (given, m.lat, m.lon) {
            m.moved_km = Some(incimap::border::geodesic_km(lat, lon, mlat, mlon));
        }
    }
    mentions
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
            anyhow::bail!("{}: no such file or directory", p.display());
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
    // Added columns go before `event_type`, which the contract keeps last.
    "moved_km",
    "score",
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
        opt(m.moved_km),
        place.map(|p| p.score.to_string()).unwrap_or_default(),
        m.event_type.map(|t| t.as_str()).unwrap_or_default().to_string(),
    ]
}

fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
