//! `incimap resolve`: argument handling and output formatting; the resolving is [`incimap::resolve`].

use std::io::{IsTerminal, Write};

use incimap::resolve::{Query, Resolution, Resolver, check_name};
use serde_json::{Value, json};

use super::{Format, Global, UsageError};

/// Most candidates `--limit` accepts.
const MAX_LIMIT: usize = 1000;

/// Arguments of `incimap resolve`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only choose places in this region: an oblast, krai, republic or district, in any spelling or
    /// language ("Voronezh region", "Курской области", "Borovsky district", "LPR").
    #[arg(long, value_name = "TEXT")]
    pub region: Option<String>,
    /// Only choose places in this country (ISO alpha-2: RU, UA, BY).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Candidates listed per name.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub limit: usize,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Place names; when none are given, one per line from stdin.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

/// A name to resolve and where it came from, for error messages.
struct Input {
    name: String,
    origin: String,
}

/// Run `incimap resolve`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let format = super::default_format(args.format);
    super::ensure_format(format, &[Format::Table, Format::Json, Format::Geojson], "resolve")?;
    if args.limit == 0 || args.limit > MAX_LIMIT {
        return Err(UsageError(format!("--limit takes a number from 1 to {MAX_LIMIT}, got {}", args.limit)).into());
    }
    let country = match args.country.as_deref().map(str::trim) {
        None => None,
        Some(c) if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => Some(c.to_ascii_uppercase()),
        Some(c) => {
            return Err(UsageError(format!("--country takes an ISO alpha-2 code such as RU or UA, got {c:?}")).into());
        }
    };
    if let Some(r) = &args.region {
        check_name(r).map_err(|why| UsageError(format!("--region: {why}")))?;
    }

    let inputs = if args.names.is_empty() {
        if std::io::stdin().is_terminal() {
            return Err(UsageError("give place names as arguments, or one per line on stdin".into()).into());
        }
        read_stdin_names()?
    } else {
        args.names
            .iter()
            .enumerate()
            .map(|(i, n)| Input { name: n.clone(), origin: format!("argument {}", i + 1) })
            .collect()
    };
    if inputs.is_empty() {
        return Err(UsageError("no place names on stdin".into()).into());
    }
    let problems: Vec<String> =
        inputs.iter().filter_map(|i| check_name(&i.name).err().map(|why| format!("{}: {why}", i.origin))).collect();
    if !problems.is_empty() {
        let msg = format!(
            "{} unusable name{}: {}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" },
            problems.join("; ")
        );
        return if args.names.is_empty() { Err(anyhow::anyhow!(msg)) } else { Err(UsageError(msg).into()) };
    }

    let gaz = global.load_gazetteer()?;
    let resolver = Resolver::new(&gaz);
    if let Some(r) = &args.region {
        let is_country =
            matches!(incimap::names::key(r).as_str(), "russia" | "ukraine" | "ukraina" | "belarus" | "rosia");
        if !is_country && resolver.regions(r).is_empty() {
            return Err(UsageError(format!(
                "--region {r:?} is not a region the gazetteer knows (try e.g. \"Voronezh Oblast\", \"Курская область\", \"Borovsky district\")"
            ))
            .into());
        }
    }
    let results: Vec<Resolution> = inputs
        .iter()
        .map(|i| {
            resolver.resolve(&Query {
                name: i.name.clone(),
                region: args.region.clone(),
                country: country.clone(),
                limit: args.limit,
            })
        })
        .collect();
    for r in &results {
        if r.best.is_none() {
            global.info(format_args!("{:?}: {}", r.query, r.reason));
        }
    }

    let mut out = super::stdout();
    match format {
        // One answer a line: a JSON array a script reads whole, and a person or `grep` line by line (pretty
        // printing spent a third of a batch's time on whitespace).
        Format::Json => {
            writeln!(out, "[")?;
            for (i, r) in results.iter().enumerate() {
                serde_json::to_writer(&mut out, r)?;
                writeln!(out, "{}", if i + 1 < results.len() { "," } else { "" })?;
            }
            writeln!(out, "]")?;
        }
        Format::Geojson => {
            serde_json::to_writer(&mut out, &geojson(&results))?;
            writeln!(out)?;
        }
        _ => table(&mut out, &results)?,
    }
    out.flush()?;
    // The process ends next: freeing the gazetteer's hundred thousand allocations would only cost time.
    std::mem::forget(resolver);
    std::mem::forget(gaz);
    Ok(())
}

/// Names from stdin, one per line (blank lines skipped; invalid UTF-8 is refused with its line number).
fn read_stdin_names() -> anyhow::Result<Vec<Input>> {
    Ok(super::read_stdin_lines()?
        .into_iter()
        .enumerate()
        .map(|(i, line)| Input { name: line.trim().to_string(), origin: format!("stdin name {}", i + 1) })
        .collect())
}

/// A FeatureCollection with one feature per query: the best place as a point (null geometry when
/// nothing was found), the query, status and reason among its properties.
fn geojson(results: &[Resolution]) -> Value {
    let features: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut props = json!({"query": r.query, "status": r.status, "reason": r.reason});
            let geometry = match &r.best {
                Some(b) => {
                    if let (Value::Object(p), Ok(Value::Object(place))) = (&mut props, serde_json::to_value(b)) {
                        p.extend(place);
                    }
                    json!({"type": "Point", "coordinates": [b.lon, b.lat]})
                }
                None => Value::Null,
            };
            if let Value::Object(p) = &mut props {
                p.insert("candidates".into(), json!(r.candidates.len()));
            }
            json!({"type": "Feature", "geometry": geometry, "properties": props})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// The human table: best place, region, population, coordinates, score and why.
fn table(out: &mut impl Write, results: &[Resolution]) -> std::io::Result<()> {
    let header = ["QUERY", "STATUS", "PLACE", "REGION", "POPULATION", "LAT", "LON", "SCORE", "WHY"];
    let mut rows: Vec<[String; 9]> = Vec::with_capacity(results.len());
    for r in results {
        let status = format!("{:?}", r.status).to_lowercase().replace("notfound", "not found");
        rows.push(match &r.best {
            Some(b) => [
                r.query.clone(),
                status,
                format!("{} ({})", b.name, b.geonameid),
                if b.admin1_name.is_empty() {
                    b.country.to_string()
                } else {
                    format!("{}, {}", b.admin1_name, b.country)
                },
                b.population.to_string(),
                format!("{:.5}", b.lat),
                format!("{:.5}", b.lon),
                format!("{:.3}", b.score),
                r.reason.clone(),
            ],
            None => [
                r.query.clone(),
                status,
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                r.reason.clone(),
            ],
        });
    }
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[&str]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                let numeric = (4..=7).contains(&i);
                if numeric {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    s.push_str(&" ".repeat(pad));
                }
                s.push_str("  ");
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, &header)?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(out, &cells)?;
    }
    Ok(())
}
