//! `incimap resolve`: argument handling and output formatting; the resolving is [`incimap::resolve`].

use std::io::{IsTerminal, Write};

use incimap::resolve::{Query, Resolution, Resolver, Status, check_name};
use serde_json::{Value, json};

use super::{Format, Global, UsageError};

/// Most candidates `--limit` accepts.
const MAX_LIMIT: usize = 1000;

super::formats!(
    /// What `resolve` writes.
    ResolveFormat { Table, Json, Geojson }
);

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
    pub format: Option<ResolveFormat>,
    /// Place names; when none are given, one per line from stdin.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

/// A name to resolve and where it came from, for error messages.
struct Input {
    name: String,
    origin: String,
    /// Why the line cannot be a name (too long, not UTF-8), found while reading it.
    problem: Option<String>,
}

/// Run `incimap resolve`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let format = super::default_format(args.format);
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

    let from_stdin = args.names.is_empty();
    if from_stdin && std::io::stdin().is_terminal() {
        return Err(UsageError("give place names as arguments, or one per line on stdin".into()).into());
    }
    if !from_stdin {
        // Names given as arguments are checked before anything is loaded: a bad one is a usage error.
        let problems: Vec<String> = args
            .names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| check_name(n).err().map(|why| format!("argument {}: {why}", i + 1)))
            .collect();
        if !problems.is_empty() {
            let s = if problems.len() == 1 { "" } else { "s" };
            return Err(UsageError(format!("{} unusable name{s}: {}", problems.len(), problems.join("; "))).into());
        }
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
    let answer = |i: &Input| -> Resolution {
        if let Err(why) = i.problem.clone().map_or_else(|| check_name(&i.name), Err) {
            // One unusable line is reported on its own; the others are answered.
            global.warn(format_args!("{}: {why}", i.origin));
            return Resolution {
                query: i.name.chars().take(MAX_SHOWN_CHARS).map(|c| if c.is_control() { '?' } else { c }).collect(),
                status: Status::NotFound,
                best: None,
                candidates: Vec::new(),
                reason: format!("unusable name: {why}"),
            };
        }
        let r = resolver.resolve(&Query {
            name: i.name.clone(),
            region: args.region.clone(),
            country: country.clone(),
            limit: args.limit,
        });
        if r.best.is_none() {
            global.info(format_args!("{:?}: {}", r.query, r.reason));
        }
        r
    };

    let mut out = super::stdout();
    let mut writer = Answers { format, written: 0, widths: None };
    if from_stdin {
        // Answered as read, a chunk at a time: memory stays bounded whatever stdin holds.
        let mut lines = StdinNames::new(std::io::stdin().lock());
        let Some(first) = lines.next_name()? else {
            return Err(UsageError("no place names on stdin".into()).into());
        };
        writer.begin(&mut out)?;
        let mut chunk: Vec<Input> = vec![first];
        while let Some(input) = lines.next_name()? {
            chunk.push(input);
            if chunk.len() == CHUNK {
                let results: Vec<Resolution> = chunk.drain(..).map(|i| answer(&i)).collect();
                writer.write(&mut out, &results)?;
            }
        }
        let results: Vec<Resolution> = chunk.drain(..).map(|i| answer(&i)).collect();
        writer.write(&mut out, &results)?;
    } else {
        writer.begin(&mut out)?;
        let inputs: Vec<Input> = args
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| Input { name: n.clone(), origin: format!("argument {}", i + 1), problem: None })
            .collect();
        let results: Vec<Resolution> = inputs.iter().map(answer).collect();
        writer.write(&mut out, &results)?;
    }
    writer.end(&mut out)?;
    out.flush()?;
    // The process ends next: freeing the gazetteer's hundred thousand allocations would only cost time.
    std::mem::forget(resolver);
    std::mem::forget(gaz);
    Ok(())
}

/// Names answered at a time from stdin.
const CHUNK: usize = 1024;
/// The longest stdin line read, in bytes: a place name has at most [`incimap::resolve::MAX_NAME_CHARS`]
/// characters (at most four bytes each); a longer line is reported, not kept.
const MAX_LINE_BYTES: usize = 4 * incimap::resolve::MAX_NAME_CHARS + 2;
/// Characters of an unusable line shown as its query.
const MAX_SHOWN_CHARS: usize = 80;

/// Stdin's names, one per line (blank lines skipped), each line read into at most [`MAX_LINE_BYTES`].
struct StdinNames<R> {
    reader: R,
    line: u64,
    buf: Vec<u8>,
}

impl<R: std::io::BufRead> StdinNames<R> {
    fn new(reader: R) -> Self {
        StdinNames { reader, line: 0, buf: Vec::new() }
    }

    /// The next non-blank line as a name; a line too long or not UTF-8 comes back as a name that
    /// [`check_name`] refuses, so it is reported with its line and the rest answered.
    fn next_name(&mut self) -> anyhow::Result<Option<Input>> {
        loop {
            self.buf.clear();
            let mut too_long = false;
            let mut ended = false;
            loop {
                let available = anyhow::Context::context(self.reader.fill_buf(), "cannot read stdin")?;
                if available.is_empty() {
                    ended = true;
                    break;
                }
                let (part, found) = match memchr::memchr(b'\n', available) {
                    Some(at) => (&available[..at], Some(at + 1)),
                    None => (available, None),
                };
                if self.buf.len() + part.len() > MAX_LINE_BYTES {
                    too_long = true;
                } else {
                    self.buf.extend_from_slice(part);
                }
                let used = found.unwrap_or(available.len());
                self.reader.consume(used);
                if found.is_some() {
                    break;
                }
            }
            if ended && self.buf.is_empty() && !too_long {
                return Ok(None);
            }
            self.line += 1;
            let origin = format!("stdin line {}", self.line);
            let (name, problem) = if too_long {
                (
                    String::from_utf8_lossy(&self.buf).into_owned(),
                    Some(format!("a line of more than {MAX_LINE_BYTES} bytes is no place name")),
                )
            } else {
                match std::str::from_utf8(&self.buf) {
                    Ok(t) => (t.trim_end_matches('\r').trim().to_string(), None),
                    Err(_) => (String::from_utf8_lossy(&self.buf).into_owned(), Some("not valid UTF-8".to_string())),
                }
            };
            if name.trim().is_empty() && problem.is_none() {
                if ended {
                    return Ok(None);
                }
                continue;
            }
            return Ok(Some(Input { name, origin, problem }));
        }
    }
}

/// Writes answers as they come: a JSON array, a GeoJSON FeatureCollection, or the table (its columns as wide
/// as the first chunk needs).
struct Answers {
    format: Format,
    written: u64,
    widths: Option<[usize; 9]>,
}

impl Answers {
    fn begin(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        match self.format {
            Format::Json => writeln!(out, "["),
            Format::Geojson => write!(out, "{{\"type\":\"FeatureCollection\",\"features\":["),
            _ => Ok(()),
        }
    }

    fn write(&mut self, out: &mut impl Write, results: &[Resolution]) -> std::io::Result<()> {
        match self.format {
            // One answer a line: a JSON array a script reads whole, and a person or `grep` line by line.
            Format::Json => {
                for r in results {
                    if self.written > 0 {
                        writeln!(out, ",")?;
                    }
                    serde_json::to_writer(&mut *out, r)?;
                    self.written += 1;
                }
                Ok(())
            }
            Format::Geojson => {
                for r in results {
                    if self.written > 0 {
                        write!(out, ",")?;
                    }
                    serde_json::to_writer(&mut *out, &feature(r))?;
                    self.written += 1;
                }
                Ok(())
            }
            _ => {
                let first = self.widths.is_none();
                table(out, results, &mut self.widths, first)
            }
        }
    }

    fn end(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        match self.format {
            Format::Json => writeln!(out, "{}]", if self.written > 0 { "\n" } else { "" }),
            Format::Geojson => writeln!(out, "]}}"),
            _ => Ok(()),
        }
    }
}

/// The GeoJSON feature of one query: the best place as a point (null geometry when nothing was found), the
/// query, status and reason among its properties.
fn feature(r: &Resolution) -> Value {
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
}

/// The human table: best place, region, population, coordinates, score and why.
fn table(
    out: &mut impl Write,
    results: &[Resolution],
    fixed: &mut Option<[usize; 9]>,
    with_header: bool,
) -> std::io::Result<()> {
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
    let widths = *fixed.get_or_insert_with(|| {
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row.iter()) {
                *w = (*w).max(cell.chars().count());
            }
        }
        widths
    });
    let line = |out: &mut dyn Write, cells: &[&str]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(cell);
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
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
    if with_header {
        line(out, &header)?;
    }
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(out, &cells)?;
    }
    Ok(())
}
