//! `incimap map`: argument handling and the summary; the layers come from `incimap::layers`.

use std::path::PathBuf;

use incimap::incidents::{self, InputKind, Locator, ReadOptions};
use incimap::layers::{LayerFormat, LayerWriter, MapOptions, bands};

use super::{Global, UsageError};

/// Arguments of `incimap map`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Incident tables (CSV/TSV), NDJSON, JSON arrays, GeoJSON points, text articles, directories; `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Directory to write the layers into (created if missing).
    #[arg(short, long = "output", value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// Distance band edges in km from the border outside Ukraine, ascending: `0,10,25,50,100,250` (the default;
    /// `10` is `0,10`; at most 32 edges, up to 1000 km). `stats --bands` takes the same list.
    #[arg(long, value_name = "LIST")]
    pub bands: Option<String>,
    /// `geojson` (default): FeatureCollections. `geojsonseq`: incidents and leaders as RFC 8142 text
    /// sequences (`incidents.geojsons`, `leaders.geojsons`) for very large inputs. `gpkg`: every layer in one
    /// GeoPackage, `incimap.gpkg`, each with its QGIS style as the default style. `fgb`: each layer as
    /// FlatGeobuf (`incidents.fgb` ...), its `.qml` style beside it. `geoparquet`: each layer as GeoParquet
    /// 1.1 (`incidents.parquet` ...), for pandas, GeoPandas and DuckDB.
    #[arg(long, value_enum, default_value = "geojson")]
    pub format: MapFormat,
    /// Fail on the first input row that cannot be placed (nothing is written).
    #[arg(long)]
    pub strict: bool,
    /// Read every input as this kind instead of recognising it.
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputKind>,
    #[command(flatten)]
    pub report: super::ReportDate,
    #[command(flatten)]
    pub filter: super::FilterArgs,
    /// Embed at most this many incidents in index.html (the GeoJSON layers always hold all of them).
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    pub html_max: usize,
}

/// The layer formats `map` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapFormat {
    Geojson,
    Geojsonseq,
    Gpkg,
    Fgb,
    Geoparquet,
}

/// Run `incimap map`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let edges_km = match &args.bands {
        Some(list) => incimap::border::band_edges::parse(list).map_err(UsageError)?,
        None => bands::DEFAULT_EDGES_KM.to_vec(),
    };
    if args.output.exists() && !args.output.is_dir() {
        return Err(UsageError(format!("-o {}: not a directory", args.output.display())).into());
    }
    let options = MapOptions {
        edges_km,
        format: match args.format {
            MapFormat::Geojson => LayerFormat::GeoJson,
            MapFormat::Geojsonseq => LayerFormat::GeoJsonSeq,
            MapFormat::Gpkg => LayerFormat::GeoPackage,
            MapFormat::Fgb => LayerFormat::FlatGeobuf,
            MapFormat::Geoparquet => LayerFormat::GeoParquet,
        },
        html_max_incidents: args.html_max,
        labels: Vec::new(),
    };

    let gaz = global.load_gazetteer()?;
    let options = MapOptions { labels: incimap::layers::html::regional_capitals(&gaz), ..options };
    let resolver = incimap::resolve::Resolver::new(&gaz);
    let border = incimap::border::BorderIndex::new(&gaz.boundaries);
    let locator = Locator { resolver: &resolver, border: &border };
    let filter = args.filter.filter(&resolver)?;
    let mut keyer = incimap::stats::Keyer::new(Some(&resolver));
    let mut left_out = 0u64;
    let opts = ReadOptions {
        strict: args.strict,
        report_date: args.report.date,
        kind: args.input_format,
        ..ReadOptions::default()
    };

    // Both callbacks write into the same layer set.
    let writer = std::cell::RefCell::new(LayerWriter::create(&args.output, options, &gaz.boundaries)?);
    let mut shown = 0u32;
    // Batches: the writer formats each on all cores.
    let read = incidents::read_batches(
        &args.inputs,
        &locator,
        &opts,
        |mut batch| {
            if !filter.is_empty() {
                let before = batch.len();
                batch.retain(|i| filter.keeps(i, &mut keyer));
                left_out += (before - batch.len()) as u64;
            }
            writer.borrow_mut().add_incidents(&batch)?;
            // Freeing a batch (a dozen allocations per row) is left to the pool: this thread reads the input,
            // the one part of the run that is not parallel.
            rayon::spawn(move || drop(batch));
            Ok(())
        },
        |u| {
            // The first few problems in full; all of them are in unresolved.csv.
            if shown < 20 || global.verbose {
                global.warn(format_args!("{}:{}: {} ({})", u.source, u.line, u.reason, u.input));
            }
            shown += 1;
            Ok(writer.borrow_mut().add_unresolved(&u)?)
        },
    )?;
    let summary = writer.into_inner().finish()?;
    super::warn_notes(global, &read);
    if left_out > 0 {
        global.warn(format_args!("{left_out} incidents left out by --since/--until/--region/--weapon/--event-type"));
    }

    for w in &summary.warnings {
        global.warn(w);
    }
    global.warn(format_args!(
        "mapped {} incidents from {} input{} ({} inside Ukraine); {} could not be placed{}",
        summary.incidents,
        read.files,
        if read.files == 1 { "" } else { "s" },
        summary.inside_ukraine,
        summary.unresolved,
        if summary.unresolved > 0 { " (see unresolved.csv)" } else { "" },
    ));
    if summary.html_incidents < summary.incidents {
        global.warn(format_args!(
            "index.html shows the first {} incidents (--html-max); the layers hold all {}",
            summary.html_incidents, summary.incidents
        ));
    }
    for b in &summary.bands {
        global.info(format_args!("band {}–{} km: {:.0} km²", b.from_km, b.to_km, b.area_km2));
    }
    let names: Vec<String> =
        summary.files.iter().filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).collect();
    global.warn(format_args!("wrote {}: {}", args.output.display(), names.join(", ")));
    Ok(())
}
