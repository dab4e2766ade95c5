//! `incimap distance`: argument handling and output formatting; the measuring is [`incimap::border`] and
//! the input reading [`incimap::incidents::points`] (opened, recognised and line-capped as `map` reads).
//!
//! Points come from `--lat/--lon`, then place names, then each `--input` file, and come out in that order.
//! File rows are read and measured in batches (measured and formatted in parallel, written in order), so a
//! file of any size streams through in bounded memory.
//!
//! CSV output columns (stable): `name,lat,lon,border_km,nearest_lat,nearest_lon,inside_ukraine,country`.
//! `name` is the place name asked for, or the input row's `name` (else `place`, else `id`) column, else empty;
//! `lat`/`lon` are the point as given; `border_km` is signed (negative inside Ukraine), to the metre;
//! `nearest_lat`/`nearest_lon` the nearest border point; `inside_ukraine` `true`/`false`; `country` `RU`, `UA`,
//! `BY` or empty.

use std::io::Write;
use std::path::PathBuf;

use incimap::border::points::check_coordinates;
use incimap::border::{BorderIndex, Measurement};
use incimap::incidents::ReadOptions;
use incimap::incidents::points::{BadRow, PointReader, PointRow, open_points};
use incimap::resolve::{Query, Resolver, Status};
use rayon::prelude::*;

use super::{Format, Global, Results, UsageError};

/// Rows read before a batch is measured and written: large enough to keep both cores busy, small enough
/// that memory stays a few megabytes.
const BATCH_ROWS: usize = 16_384;

/// Layout of `--input` when its name and first bytes do not tell.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Csv,
    Tsv,
    /// Semicolon-separated (spreadsheet export).
    Semicolon,
    Ndjson,
}

super::formats!(
    /// What `distance` writes.
    DistanceFormat { Table, Json, Csv, Geojson, Geoparquet }
);

/// Arguments of `incimap distance`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Latitude of one point (WGS84 degrees); needs --lon.
    #[arg(long, allow_hyphen_values = true, requires = "lon", value_name = "LAT")]
    pub lat: Option<f64>,
    /// Longitude of one point (WGS84 degrees); needs --lat.
    #[arg(long, allow_hyphen_values = true, requires = "lat", value_name = "LON")]
    pub lon: Option<f64>,
    /// CSV/TSV with lat/lon (or latitude/longitude) columns, or NDJSON objects with lat/lon; `-` for stdin.
    /// May be repeated.
    #[arg(long, value_name = "FILE")]
    pub input: Vec<PathBuf>,
    /// Layout of the --input files (default: from the file name, else from the first bytes).
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputKind>,
    /// Stop at the first row with missing or unusable coordinates instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Output format (default: table on a terminal, json otherwise). `geoparquet`: the GeoJSON points as a
    /// GeoParquet 1.1 file (give --output, or redirect stdout to a file).
    #[arg(long, value_enum)]
    pub format: Option<DistanceFormat>,
    /// Write the results to FILE instead of stdout (renamed into place only when the run succeeds).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Place names to resolve and measure.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

/// One measured point, ready to print.
struct Measured {
    name: Option<String>,
    lat: f64,
    lon: f64,
    m: Measurement,
}

/// Run `incimap distance`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let format = super::default_format(args.format);
    if args.lat.is_none() && args.names.is_empty() && args.input.is_empty() {
        return Err(UsageError("give --lat/--lon, place names, or --input FILE (`-` for stdin)".into()).into());
    }
    if args.input.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
        return Err(UsageError("stdin (`-`) can be read only once".into()).into());
    }
    if let (Some(lat), Some(lon)) = (args.lat, args.lon)
        && !(lat.is_finite() && lat.abs() <= 90.0 && lon.is_finite() && lon.abs() <= 180.0)
    {
        return Err(UsageError(format!("--lat {lat} --lon {lon}: out of range (|lat| ≤ 90, |lon| ≤ 180)")).into());
    }
    let gaz = global.load_gazetteer()?;
    let border = BorderIndex::new(&gaz.boundaries);
    if border.segment_count() == 0 {
        anyhow::bail!("the gazetteer holds no Russia–Ukraine land border (rebuild it with `incimap gazetteer build`)");
    }

    let (results, format) = Results::open(format, args.output.as_deref())?;
    let mut out = Output::new(format, results);
    out.begin()?;
    let mut failed_names = Vec::new();

    if let (Some(lat), Some(lon)) = (args.lat, args.lon) {
        if let Err(why) = check_coordinates(&border, lat, lon) {
            global.warn(format_args!("--lat/--lon: {why}"));
        }
        let m = border.measure(lat, lon).map_err(|e| UsageError(e.to_string()))?;
        out.write(&[Measured { name: None, lat, lon, m }])?;
    }

    if !args.names.is_empty() {
        let resolver = Resolver::new(&gaz);
        for name in &args.names {
            let r = resolver.resolve(&Query::new(name));
            let Some(best) = r.best else {
                global.warn(format_args!("{name:?}: not found"));
                failed_names.push(name.clone());
                continue;
            };
            if r.status == Status::Ambiguous {
                global.warn(format_args!(
                    "{name:?} is ambiguous; measuring {} ({}, {})",
                    best.name, best.admin1_name, best.country
                ));
            }
            let m = border.measure(best.lat, best.lon)?;
            out.write(&[Measured { name: Some(name.clone()), lat: best.lat, lon: best.lon, m }])?;
        }
    }

    let mut skipped = 0u64;
    for path in &args.input {
        let outcome = measure_file(global, &border, &mut out, path, args.input_format, args.strict, &mut skipped);
        if let Err(e) = outcome {
            // On stdout what was measured stays printed and closed; an --output file is left as it was.
            out.end()?;
            if let Results::Stdout(_) = out.w {
                out.w.finish()?;
            }
            return Err(e);
        }
    }
    out.end()?;
    out.w.finish()?;
    if skipped > 0 {
        global.warn(format_args!("skipped {skipped} row(s) with missing or unusable coordinates (see above)"));
    }
    if !failed_names.is_empty() {
        anyhow::bail!("not found: {}", failed_names.join(", "));
    }
    Ok(())
}

/// Stream one input through the measure in batches.
fn measure_file<W: Write>(
    global: &Global,
    border: &BorderIndex,
    out: &mut Output<W>,
    path: &std::path::Path,
    kind: Option<InputKind>,
    strict: bool,
    skipped: &mut u64,
) -> anyhow::Result<()> {
    let label = path.display().to_string();
    let forced = kind.map(|k| match k {
        InputKind::Csv => incimap::incidents::InputKind::Csv,
        InputKind::Tsv => incimap::incidents::InputKind::Tsv,
        InputKind::Semicolon => incimap::incidents::InputKind::Semicolon,
        InputKind::Ndjson => incimap::incidents::InputKind::Ndjson,
    });
    let opts = ReadOptions::default();
    let (input, format) = open_points(path, forced, &opts)?;
    let reader = PointReader::new(input, &label, format, opts.max_line_bytes)?;
    let file = reader.source().to_string();
    let mut batch: Vec<PointRow> = Vec::with_capacity(BATCH_ROWS);
    for item in reader {
        let checked = item?.and_then(|row| match check_coordinates(border, row.lat, row.lon) {
            Ok(()) => Ok(row),
            Err(why) => Err(BadRow { file: file.clone(), line: row.line, why }),
        });
        match checked {
            Ok(row) => {
                batch.push(row);
                if batch.len() == BATCH_ROWS {
                    out.write_rows(border, &batch)?;
                    batch.clear();
                }
            }
            Err(bad) => {
                if strict {
                    out.write_rows(border, &batch)?;
                    return Err(anyhow::anyhow!("{bad} (--strict stops at the first bad row)"));
                }
                global.warn(format_args!("{bad}; row skipped"));
                *skipped += 1;
            }
        }
    }
    out.write_rows(border, &batch)?;
    Ok(())
}

/// Streams results in one format: an opening, rows (formatted in parallel, written in order), a closing.
struct Output<W: Write> {
    format: Format,
    w: W,
    rows: u64,
}

impl<W: Write> Output<W> {
    fn new(format: Format, w: W) -> Self {
        Output { format, w, rows: 0 }
    }

    fn begin(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Csv => self.w.write_all(b"name,lat,lon,border_km,nearest_lat,nearest_lon,inside_ukraine,country\n"),
            Format::Json => self.w.write_all(b"["),
            Format::Geojson => self.w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":["),
            _ => writeln!(
                self.w,
                "{:<28} {:>10} {:>10} {:>10}  {:<7} {:<22}",
                "name", "lat", "lon", "border_km", "country", "nearest border"
            ),
        }
    }

    /// Measure and print a batch of file rows.
    fn write_rows(&mut self, border: &BorderIndex, rows: &[PointRow]) -> anyhow::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let format = self.format;
        let first = self.rows;
        let chunks: Vec<Vec<u8>> = rows
            .par_chunks(1024)
            .enumerate()
            .map(|(c, chunk)| {
                let mut buf = Vec::with_capacity(chunk.len() * 96);
                for (i, row) in chunk.iter().enumerate() {
                    // Coordinates were checked, so measuring cannot fail.
                    if let Ok(m) = border.measure(row.lat, row.lon) {
                        let item = Measured { name: row.name.clone(), lat: row.lat, lon: row.lon, m };
                        format_row(format, &item, first + (c * 1024 + i) as u64, &mut buf);
                    }
                }
                buf
            })
            .collect();
        for c in chunks {
            self.w.write_all(&c)?;
        }
        self.rows += rows.len() as u64;
        Ok(())
    }

    fn write(&mut self, items: &[Measured]) -> std::io::Result<()> {
        let mut buf = Vec::new();
        for item in items {
            format_row(self.format, item, self.rows, &mut buf);
            self.rows += 1;
        }
        self.w.write_all(&buf)
    }

    fn end(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => self.w.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?,
            Format::Geojson => self.w.write_all(if self.rows == 0 { b"]}\n" } else { b"\n]}\n" })?,
            _ => {}
        }
        self.w.flush()
    }
}

/// Append one result in `format`; `index` is the result's position in the output (for separators).
fn format_row(format: Format, item: &Measured, index: u64, buf: &mut Vec<u8>) {
    use std::io::Write as _;
    let m = &item.m;
    let country = m.country.unwrap_or("");
    let sep: &[u8] = if index == 0 { b"\n" } else { b",\n" };
    // Writing into a Vec cannot fail.
    let _ = match format {
        Format::Csv => {
            let name = item.name.as_deref().unwrap_or("");
            if name.contains([',', '"', '\n', '\r']) {
                buf.push(b'"');
                buf.extend_from_slice(name.replace('"', "\"\"").as_bytes());
                buf.push(b'"');
            } else {
                buf.extend_from_slice(name.as_bytes());
            }
            writeln!(
                buf,
                ",{},{},{:.3},{:.6},{:.6},{},{}",
                item.lat, item.lon, m.border_km, m.nearest_border.lat, m.nearest_border.lon, m.inside_ukraine, country
            )
        }
        Format::Json => {
            buf.extend_from_slice(sep);
            write!(
                buf,
                "{{\"name\":{},\"lat\":{},\"lon\":{},\"border_km\":{:.3},\"nearest_border\":{{\"lat\":{:.6},\"lon\":{:.6}}},\"inside_ukraine\":{},\"country\":{}}}",
                json_name(&item.name),
                item.lat,
                item.lon,
                m.border_km,
                m.nearest_border.lat,
                m.nearest_border.lon,
                m.inside_ukraine,
                m.country.map(|c| format!("\"{c}\"")).unwrap_or_else(|| "null".into())
            )
        }
        Format::Geojson => {
            buf.extend_from_slice(sep);
            write!(
                buf,
                "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}},\"properties\":{{\"name\":{},\"border_km\":{:.3},\"nearest_lat\":{:.6},\"nearest_lon\":{:.6},\"inside_ukraine\":{},\"country\":{}}}}}",
                item.lon,
                item.lat,
                json_name(&item.name),
                m.border_km,
                m.nearest_border.lat,
                m.nearest_border.lon,
                m.inside_ukraine,
                m.country.map(|c| format!("\"{c}\"")).unwrap_or_else(|| "null".into())
            )
        }
        _ => {
            let name: String = item.name.as_deref().unwrap_or("-").chars().take(28).collect();
            writeln!(
                buf,
                "{:<28} {:>10.5} {:>10.5} {:>10.3}  {:<7} {:.5}, {:.5}",
                name,
                item.lat,
                item.lon,
                m.border_km,
                if country.is_empty() { "-" } else { country },
                m.nearest_border.lat,
                m.nearest_border.lon
            )
        }
    };
}

fn json_name(name: &Option<String>) -> String {
    match name {
        Some(n) => serde_json::to_string(n).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    }
}
