//! `incimap stats`: argument handling and output formatting; the numbers come from `incimap::stats`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use incimap::incidents::{self, InputKind, Locator, ReadOptions};
use incimap::stats::{BandCount, Bands, Distances, GroupBy, Keyer, Report, Stats};

use super::{Format, Global, UsageError};

super::formats!(
    /// What `stats` writes.
    StatsFormat { Table, Csv, Json, Markdown }
);

/// Arguments of `incimap stats`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Incident tables (CSV/TSV), NDJSON, JSON arrays, GeoJSON points, text articles, directories; `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Group by this field; repeat for a two-way table (`--by region --by weapon`).
    #[arg(long, value_enum, value_name = "FIELD")]
    pub by: Vec<GroupBy>,
    /// Band edges in km from the border, as `map --bands` takes them: `0,10,25,50,100,250` (the default). The
    /// same bands mirrored count points inside Ukraine; the bands beyond the outermost edges are open.
    #[arg(long, value_name = "LIST")]
    pub bands: Option<String>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<StatsFormat>,
    /// Also draw a histogram by band with the cumulative share, one panel per group, into this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub chart: Option<PathBuf>,
    /// Fail on the first input row that cannot be placed.
    #[arg(long)]
    pub strict: bool,
    /// Take distances from the input's `border_km` column (e.g. `incimap map` output) instead of measuring.
    #[arg(long)]
    pub use_border_km: bool,
    /// Read every input as this kind instead of recognising it.
    #[arg(long, value_enum, value_name = "KIND")]
    pub input_format: Option<InputKind>,
    #[command(flatten)]
    pub report: super::ReportDate,
    #[command(flatten)]
    pub filter: super::FilterArgs,
}

/// Run `incimap stats`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let format = super::default_format(args.format);
    if args.by.len() > 2 {
        return Err(UsageError("--by takes at most two fields (a two-way table)".into()).into());
    }
    if args.by.len() == 2 && args.by[0] == args.by[1] {
        return Err(UsageError("--by names the same field twice".into()).into());
    }
    let bands = match &args.bands {
        Some(list) => Bands::parse(list).map_err(UsageError)?,
        None => Bands::default(),
    };
    if let Some(chart) = &args.chart
        && chart.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("svg")
    {
        return Err(UsageError(format!("--chart {} must name an .svg file", chart.display())).into());
    }

    let gaz = global.load_gazetteer()?;
    let resolver = incimap::resolve::Resolver::new(&gaz);
    let border = incimap::border::BorderIndex::new(&gaz.boundaries);
    let locator = Locator { resolver: &resolver, border: &border };
    let opts = ReadOptions {
        strict: args.strict,
        report_date: args.report.date,
        kind: args.input_format,
        given_border_km: args.use_border_km,
        ..ReadOptions::default()
    };

    let mut stats = Stats::new(bands, args.by.len());
    let mut keyer = Keyer::new(Some(&resolver));
    let filter = args.filter.filter(&resolver)?;
    let mut shown = 0u32;
    let summary = incidents::read(
        &args.inputs,
        &locator,
        &opts,
        |incident| {
            if filter.keeps(&incident, &mut keyer) {
                stats.add_incident(&incident, &args.by, &mut keyer);
            }
            Ok(())
        },
        |u| {
            // The first few problems in full; the total at the end.
            if shown < 20 || global.verbose {
                global.warn(format_args!("{}:{}: {} ({})", u.source, u.line, u.reason, u.input));
            }
            shown += 1;
            Ok(())
        },
    )?;
    super::warn_notes(global, &summary);
    if summary.unresolved > 0 {
        global.warn(format_args!(
            "{} of {} inputs could not be placed",
            summary.unresolved,
            summary.incidents + summary.unresolved
        ));
    }
    let report = stats.report_with(summary.unresolved, &args.by, Some(&keyer));
    if report.unmeasured > 0 {
        global.warn(format_args!(
            "{} incidents have no distance to the border and are left out of distances",
            report.unmeasured
        ));
    }

    if let Some(path) = &args.chart {
        let title = match args.by.as_slice() {
            [] => "Incidents by distance to the border".to_string(),
            by => format!("Incidents by distance to the border, by {}", names(by).join(" and ")),
        };
        let svg = incimap::stats::chart::svg(&report, &title);
        incimap::atomic_file::write(path, svg.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        global.info(format_args!("chart written to {}", path.display()));
    }

    let mut out = super::stdout();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &json(&report))?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(&mut out, &report)?,
        Format::Markdown => write_table(&mut out, &report, true)?,
        _ => write_table(&mut out, &report, false)?,
    }
    out.flush()?;
    Ok(())
}

fn names(by: &[GroupBy]) -> Vec<&'static str> {
    by.iter()
        .map(|b| match b {
            GroupBy::Region => "region",
            GroupBy::Country => "country",
            GroupBy::Month => "month",
            GroupBy::Weapon => "weapon",
            GroupBy::Source => "source",
            GroupBy::EventType => "event_type",
        })
        .collect()
}

/// The report with distances rounded to metres and shares to 4 decimals, fields in the contract's order.
fn json(report: &Report) -> Report {
    let mut r = report.clone();
    let round = |x: &mut f64, digits: f64| *x = (*x * digits).round() / digits;
    let distances = |d: &mut Option<Distances>| {
        if let Some(d) = d {
            for x in [&mut d.min, &mut d.p25, &mut d.median, &mut d.mean, &mut d.p75, &mut d.p90, &mut d.max] {
                round(x, 1e3);
            }
        }
    };
    let bands = |bs: &mut Vec<BandCount>| bs.iter_mut().for_each(|b| round(&mut b.share, 1e4));
    distances(&mut r.border_km);
    bands(&mut r.bands);
    for g in &mut r.groups {
        distances(&mut g.border_km);
        bands(&mut g.bands);
    }
    r
}

/// One decimal, halves away from zero (7.25 → 7.3, as people round).
fn km(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}

fn distance_cells(d: Option<&Distances>) -> Vec<String> {
    match d {
        Some(d) => [d.min, d.p25, d.median, d.mean, d.p75, d.p90, d.max].iter().map(|&x| km(x)).collect(),
        None => vec!["–".to_string(); 7],
    }
}

const DISTANCE_HEADERS: [&str; 7] = ["min", "p25", "median", "mean", "p75", "p90", "max"];

fn write_csv(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let by = names(&report.by);
    let mut header: Vec<String> =
        if by.is_empty() { vec!["group".into()] } else { by.iter().map(|s| s.to_string()).collect() };
    header.extend(["count", "unmeasured"].map(String::from));
    header.extend(DISTANCE_HEADERS.iter().map(|h| format!("{h}_km")));
    for b in &report.bands {
        header.push(format!("band_{}_{}", edge(b.from_km, "-inf"), edge(b.to_km, "inf")));
    }
    // The group's readable name (`Belgorod Oblast` for `RU.09`), last so that columns by position stay put.
    header.push("label".into());
    w.write_record(&header)?;
    let exact = |d: Option<&Distances>| -> Vec<String> {
        match d {
            Some(d) => {
                [d.min, d.p25, d.median, d.mean, d.p75, d.p90, d.max].iter().map(|x| format!("{:.3}", x)).collect()
            }
            None => vec![String::new(); 7],
        }
    };
    let mut row =
        |keys: Vec<String>, label: &str, count: u64, unmeasured: u64, d: Option<&Distances>, bands: &[BandCount]| {
            let mut r = keys;
            r.push(count.to_string());
            r.push(unmeasured.to_string());
            r.extend(exact(d));
            r.extend(bands.iter().map(|b| b.count.to_string()));
            r.push(label.to_string());
            w.write_record(&r)
        };
    let all_keys = vec!["(all)".to_string(); by.len().max(1)];
    row(all_keys, "", report.count, report.unmeasured, report.border_km.as_ref(), &report.bands)?;
    for g in &report.groups {
        let label = g.label.as_deref().unwrap_or_default();
        row(g.keys.clone(), label, g.count, g.unmeasured, g.border_km.as_ref(), &g.bands)?;
    }
    w.flush()?;
    Ok(())
}

fn edge(x: Option<f64>, open: &str) -> String {
    x.map_or(open.to_string(), |x| if x.fract() == 0.0 { format!("{x:.0}") } else { x.to_string() })
}

/// A terminal table (aligned, plain text) or a Markdown table.
fn write_table(out: &mut impl Write, report: &Report, markdown: bool) -> anyhow::Result<()> {
    let measured = report.count - report.unmeasured;
    writeln!(
        out,
        "{}Incidents: {}  (with a distance: {measured}; unresolved inputs: {})",
        if markdown { "**" } else { "" },
        report.count,
        report.unresolved
    )?;
    if markdown {
        writeln!(out)?;
    }
    writeln!(out)?;

    let mut head: Vec<String> = vec!["border_km".into()];
    head.extend(DISTANCE_HEADERS.iter().map(|s| s.to_string()));
    let mut cells = vec!["all".to_string()];
    cells.extend(distance_cells(report.border_km.as_ref()));
    print_rows(out, &head, &[cells], markdown, 1)?;
    writeln!(out)?;

    let head = vec!["band (km)".to_string(), "count".into(), "share".into()];
    let rows: Vec<Vec<String>> = report
        .bands
        .iter()
        .map(|b| vec![b.label.clone(), b.count.to_string(), format!("{:.1}%", b.share * 100.0)])
        .collect();
    print_rows(out, &head, &rows, markdown, 1)?;

    if report.groups.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let by = names(&report.by);
    let mut head: Vec<String> = by.iter().map(|s| s.to_string()).collect();
    head.push("count".into());
    head.extend(DISTANCE_HEADERS.iter().map(|s| s.to_string()));
    // Band columns that are empty everywhere only widen the table.
    let used: Vec<usize> = (0..report.bands.len()).filter(|&i| report.bands[i].count > 0).collect();
    head.extend(used.iter().map(|&i| report.bands[i].label.clone()));
    let rows: Vec<Vec<String>> = report
        .groups
        .iter()
        .map(|g| {
            let mut r: Vec<String> = g.keys.clone();
            if let Some(label) = &g.label {
                // Region codes read better with their names.
                let labels: Vec<&str> = label.split(" / ").collect();
                for (i, k) in r.iter_mut().enumerate() {
                    if let Some(l) = labels.get(i).filter(|l| **l != k.as_str()) {
                        *k = format!("{k} {l}");
                    }
                }
            }
            r.push(g.count.to_string());
            r.extend(distance_cells(g.border_km.as_ref()));
            r.extend(used.iter().map(|&i| g.bands[i].count.to_string()));
            r
        })
        .collect();
    print_rows(out, &head, &rows, markdown, by.len())?;

    if report.by.len() == 2 {
        writeln!(out)?;
        cross_tab(out, report, &by, markdown)?;
    }
    Ok(())
}

/// Counts with the first field down and the second across.
fn cross_tab(out: &mut impl Write, report: &Report, by: &[&str], markdown: bool) -> anyhow::Result<()> {
    let mut rows_keys: Vec<&str> = Vec::new();
    let mut cols_keys: Vec<&str> = Vec::new();
    for g in &report.groups {
        if !rows_keys.contains(&g.keys[0].as_str()) {
            rows_keys.push(&g.keys[0]);
        }
        if !cols_keys.contains(&g.keys[1].as_str()) {
            cols_keys.push(&g.keys[1]);
        }
    }
    let col_total = |c: &str| report.groups.iter().filter(|g| g.keys[1] == c).map(|g| g.count).sum::<u64>();
    cols_keys.sort_by(|a, b| {
        let unknown = |k: &str| k == incimap::stats::UNKNOWN;
        unknown(a).cmp(&unknown(b)).then(col_total(b).cmp(&col_total(a))).then(a.cmp(b))
    });
    let mut head = vec![format!("{} \\ {}", by[0], by[1])];
    head.extend(cols_keys.iter().map(|c| c.to_string()));
    head.push("total".into());
    let rows: Vec<Vec<String>> = rows_keys
        .iter()
        .map(|rk| {
            let mut r = vec![rk.to_string()];
            let mut total = 0;
            for ck in &cols_keys {
                let n = report.groups.iter().find(|g| g.keys[0] == *rk && g.keys[1] == *ck).map_or(0, |g| g.count);
                total += n;
                r.push(n.to_string());
            }
            r.push(total.to_string());
            r
        })
        .collect();
    print_rows(out, &head, &rows, markdown, 1)
}

/// Print aligned columns; the first `text_cols` are left-aligned, the rest right-aligned.
fn print_rows(
    out: &mut impl Write,
    head: &[String],
    rows: &[Vec<String>],
    markdown: bool,
    text_cols: usize,
) -> anyhow::Result<()> {
    let width = |i: usize| {
        rows.iter()
            .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
            .chain([head[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..head.len()).map(width).collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i].saturating_sub(c.chars().count());
                if i < text_cols { format!("{c}{}", " ".repeat(pad)) } else { format!("{}{c}", " ".repeat(pad)) }
            })
            .collect();
        if markdown {
            format!("| {} |", padded.iter().map(|c| c.replace('|', "\\|")).collect::<Vec<_>>().join(" | "))
        } else {
            padded.join("  ").trim_end().to_string()
        }
    };
    writeln!(out, "{}", line(head))?;
    if markdown {
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i < text_cols {
                    format!(":{}", "-".repeat((*w).max(2) - 1))
                } else {
                    format!("{}:", "-".repeat((*w).max(2) - 1))
                }
            })
            .collect();
        writeln!(out, "| {} |", rule.join(" | "))?;
    } else {
        writeln!(out, "{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "))?;
    }
    for r in rows {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}
