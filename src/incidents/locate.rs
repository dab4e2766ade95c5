//! One input row (its fields as JSON values) → a located, measured [`Incident`], or the reason it cannot be
//! placed. Shared by every table and JSON reader.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::schema::{COMPUTED_FIELDS, EXTRACT, EXTRACT_COMPUTED, LAYER, Schema};
use super::{Fields, Incident, Locator, Precision, ReadOptions, Unresolved, date};
use crate::border::{BorderError, LatLon, Measurement};
use crate::gazetteer::PointPrecision;
use crate::resolve::{Query, Status};

/// Why a row was not turned into an incident.
pub(crate) enum NotPlaced {
    /// This row cannot be placed; the rest can go on.
    Row(Unresolved),
    /// This row is no incident (a context mention of `extract` output): left out, not a failure.
    Skip,
    /// Nothing can be placed (e.g. the gazetteer has no border to measure against).
    Fatal(String),
}

impl From<Unresolved> for NotPlaced {
    fn from(u: Unresolved) -> Self {
        NotPlaced::Row(u)
    }
}

/// What every row of one input shares.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub source: &'a str,
    /// Whose columns the rows use (a table's header decides; JSON objects are incimap's unless their keys
    /// are a producer's).
    pub schema: &'static Schema,
    pub locator: &'a Locator<'a>,
    pub opts: &'a ReadOptions,
}

/// Whether a (lower-cased) column name means something to some reader schema.
pub(crate) fn is_known_column(c: &str) -> bool {
    super::schema::is_known_column(c)
}

/// A table's coordinates are text; written back out they are numbers, as GeoJSON and GIS tools expect, and an
/// empty cell is no value (so that the column keeps one type).
fn numbers_for_coordinates(fields: &mut Fields, schema: &Schema) {
    for name in schema.lat.iter().chain(schema.lon) {
        let Some(v) = fields.get_mut(name) else { continue };
        let Some(text) = v.as_str() else { continue };
        if text.trim().is_empty() {
            *v = Value::Null;
        } else if let Some(n) = number(text).and_then(serde_json::Number::from_f64) {
            *v = Value::Number(n);
        }
    }
}

/// A row's point as an unplaced row shows it: with the place it names, so the report can be found.
fn point_text(place: Option<&str>, lat: f64, lon: f64) -> String {
    match place {
        Some(p) => format!("{p} (lat={lat} lon={lon})"),
        None => format!("lat={lat} lon={lon}"),
    }
}

/// Whether a row gives coordinates (a point geometry, or a latitude or longitude column).
fn has_coordinates(fields: &Fields, schema: &Schema, point: Option<(f64, f64)>) -> bool {
    point.is_some() || get(fields, schema.lat).is_some() || get(fields, schema.lon).is_some()
}

/// Where a row is: `(lat, lon, precision, status of the name's resolution, the place resolved)`.
type Position = (f64, f64, Precision, Option<Status>, Option<crate::resolve::Candidate>);

/// A producer's place text split into a settlement and a region. UCDP names a location with its kind after
/// it ("Horlivka town", "Luhansk oblast"): a settlement's kind word is dropped, and a division's name is the
/// region (the row names no settlement). The kind words are the schema's ([`Schema::kinds`]).
fn split_place<'f>(
    schema: &Schema,
    place: Option<Cow<'f, str>>,
    region: Option<Cow<'f, str>>,
) -> (Option<Cow<'f, str>>, Option<Cow<'f, str>>) {
    let Some((name, kind)) = place.as_deref().and_then(|p| p.trim().rsplit_once(' ')) else {
        return (place, region);
    };
    let kind = kind.to_lowercase();
    if schema.kinds.division.contains(&kind.as_str()) {
        let whole = place.map(|p| Cow::Owned(p.trim().to_string()));
        return (None, whole);
    }
    if schema.kinds.settlement.contains(&kind.as_str()) && !name.trim().is_empty() {
        return (Some(Cow::Owned(name.trim().to_string())), region);
    }
    (place, region)
}

/// A value as text: strings trimmed (borrowed, no copy), numbers and booleans formatted; `None` for null,
/// empty, arrays, objects.
pub fn value_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => Some(Cow::Borrowed(s.trim())).filter(|t| !t.is_empty()),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// The first of `names` present in `fields`, as text. Readers store known columns under their lower-case
/// names (see [`canonical_keys`]).
fn get<'f>(fields: &'f Fields, names: &[&str]) -> Option<Cow<'f, str>> {
    names.iter().find_map(|n| fields.get(n)).and_then(value_text)
}

/// Rename known columns written in another case (`Lat`, `WEAPON`) to their lower-case names.
pub(crate) fn canonical_keys(fields: &mut Map<String, Value>) {
    let odd: Vec<String> = fields
        .keys()
        .filter(|k| {
            k.bytes().any(|b| b.is_ascii_uppercase() || b == b' ') && is_known_column(&k.trim().to_ascii_lowercase())
        })
        .cloned()
        .collect();
    for k in odd {
        let lower = k.trim().to_ascii_lowercase();
        if !fields.contains_key(&lower)
            && let Some(v) = fields.remove(&k)
        {
            fields.insert(lower, v);
        }
    }
}

/// A number that may be written with a decimal comma (`50,61`).
fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    t.parse::<f64>().ok().or_else(|| t.replace(',', ".").parse::<f64>().ok()).filter(|x| x.is_finite())
}

/// Countries as people write them → ISO alpha-2.
fn country_code(text: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let code = match lower.as_str() {
        "ru" | "rus" | "russia" | "russian federation" | "россия" | "росія" => "RU",
        "ua" | "ukr" | "ukraine" | "україна" | "украина" => "UA",
        "by" | "blr" | "belarus" | "беларусь" | "білорусь" => "BY",
        _ if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) => return Some(t.to_ascii_uppercase()),
        _ => return None,
    };
    Some(code.to_string())
}

/// Why a point is not a WGS84 position, if it is not (the same checks as [`crate::border::BorderIndex::measure`]).
fn coordinate_problem(lat: f64, lon: f64) -> Option<String> {
    if !(lat.is_finite() && lat.abs() <= 90.0) {
        Some(format!("bad coordinates: {}", BorderError::BadLatitude(lat)))
    } else if !(lon.is_finite() && lon.abs() <= 180.0) {
        Some(format!("bad coordinates: {}", BorderError::BadLongitude(lon)))
    } else {
        None
    }
}

/// A short, single-line rendering of a row for `Unresolved::input`.
pub(crate) fn shorten(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let t = one_line.trim();
    if t.chars().count() > 160 { format!("{}…", t.chars().take(160).collect::<String>()) } else { t.to_string() }
}

impl Context<'_> {
    /// An [`Unresolved`] for `line` of this input.
    pub(crate) fn unresolved(&self, line: u64, input: &str, reason: impl Into<String>) -> Unresolved {
        Unresolved { source: self.source.to_string(), line, input: shorten(input), reason: reason.into() }
    }

    /// Locate one row. `geometry` is a GeoJSON point's `(lon, lat)` when the row came from a Feature.
    pub(crate) fn locate(&self, line: u64, fields: Fields, point: Option<(f64, f64)>) -> Result<Incident, NotPlaced> {
        let schema = self.schema;
        if std::ptr::eq(schema, &EXTRACT) && get(&fields, &["role"]).as_deref() != Some("incident") {
            return Err(NotPlaced::Skip);
        }
        let place = get(&fields, schema.place);
        let region = get(&fields, schema.region);
        let row_text = || match (&place, &region) {
            (Some(p), _) => p.to_string(),
            (None, Some(r)) => r.to_string(),
            _ => fields.to_json(),
        };
        // A date that cannot be read loses the row nothing: its text stays (as `input_date`), the date is empty.
        let (date, note) = match get(&fields, schema.date).map(|d| date::normalise_ordered(&d, schema.date_order)) {
            None => (None, None),
            Some(Ok(d)) => (Some(d), None),
            Some(Err(why)) => (None, Some(format!("{why}; the row is kept without a date"))),
        };
        // A weapon written in a class's own words ("fpv-дрон", "glide bomb") is that class; the wording stays
        // in the row's fields (written as `weapon_text`). Words of no class are kept as written.
        let weapon = get(&fields, schema.weapon)
            .map(|w| crate::extract::weapons::class_of(&w).map_or_else(|| w.into_owned(), str::to_string));
        // The country only guides resolution: a row with coordinates keeps them whatever its country says.
        let country = match get(&fields, schema.country) {
            None => None,
            Some(c) => match country_code(&c) {
                Some(code) => Some(code),
                None if has_coordinates(&fields, schema, point) => None,
                None => return Err(self.unresolved(line, &row_text(), format!("unknown country {c:?}")).into()),
            },
        };
        let (lat, lon, precision, status, candidate) = self.position(line, &fields, point, country)?;
        let given =
            if self.opts.given_border_km { get(&fields, &["border_km"]).as_deref().and_then(number) } else { None };
        let measurement = match given {
            // The distance is given (e.g. re-reading `incimap map` output): check the point, measure nothing.
            Some(km) => {
                if let Some(why) = coordinate_problem(lat, lon) {
                    return Err(self.unresolved(line, &point_text(place.as_deref(), lat, lon), why).into());
                }
                Measurement {
                    border_km: km,
                    nearest_border: LatLon { lat: f64::NAN, lon: f64::NAN },
                    inside_ukraine: km < 0.0,
                    country: None,
                    geodesic_m: f64::NAN,
                    azimuth_deg: f64::NAN,
                }
            }
            None => match self.locator.border.measure(lat, lon) {
                Ok(m) => m,
                Err(e @ (BorderError::BadLatitude(_) | BorderError::BadLongitude(_))) => {
                    let shown = point_text(place.as_deref(), lat, lon);
                    return Err(self.unresolved(line, &shown, format!("bad coordinates: {e}")).into());
                }
                Err(e) => return Err(NotPlaced::Fatal(format!("cannot measure distances: {e}"))),
            },
        };
        let event_type = get(&fields, schema.event_type).and_then(|t| schema.event_type_of(&t));
        let mut fields = fields;
        numbers_for_coordinates(&mut fields, schema);
        let incident = Incident {
            source: self.source.to_string(),
            line,
            fields,
            date,
            weapon,
            event_type,
            lat,
            lon,
            precision,
            status,
            place: candidate,
            measurement,
            evidence: None,
            note,
        };
        Ok(if std::ptr::eq(schema, &LAYER) {
            self.restore(incident, ("input_file", "input_line"), COMPUTED_FIELDS, &["date", "weapon", "event_type"])
        } else if std::ptr::eq(schema, &EXTRACT) {
            let mut inc = self.restore(incident, ("source", "line"), EXTRACT_COMPUTED, &[]);
            // As an article's incident carries them: offsets as numbers, no empty fields (CSV writes every column).
            for name in ["start", "end"] {
                if let Some(v) = inc.fields.get_mut(name)
                    && let Some(n) = v.as_str().and_then(|t| t.parse::<u64>().ok())
                {
                    *v = Value::from(n);
                }
            }
            let empty: Vec<String> = inc
                .fields
                .iter()
                .filter(|(_, v)| v.is_null() || v.as_str().is_some_and(str::is_empty))
                .map(|(k, _)| k.to_string())
                .collect();
            inc.fields.retain(|name| !empty.iter().any(|e| e == name));
            inc
        } else {
            incident
        })
    }

    /// An incident read back from incimap's own output (a layer `map` wrote, or `extract`'s mentions), as it
    /// was written: its place (by GeoNames id, with its score), status, evidence, and the input and line it
    /// came from (the `origin` fields); the `computed` fields but those in `kept` are not kept as input fields.
    fn restore(&self, mut inc: Incident, origin: (&str, &str), computed: &[&str], kept: &[&str]) -> Incident {
        let text = |name: &str| get(&inc.fields, &[name]).map(Cow::into_owned);
        // `extract --format json` nests the place; its CSV and `map`'s layers give its id as a column.
        let id = text("geonameid").or_else(|| {
            inc.fields.get("place").and_then(|p| p.get("geonameid")).and_then(value_text).map(Cow::into_owned)
        });
        let score = text("score")
            .or_else(|| inc.fields.get("place").and_then(|p| p.get("score")).and_then(value_text).map(Cow::into_owned));
        if inc.place.is_none()
            && let Some(index) =
                id.and_then(|id| id.parse::<u32>().ok()).and_then(|id| self.locator.resolver.place_by_geonameid(id))
        {
            let score = score.and_then(|s| s.parse::<f64>().ok()).unwrap_or(1.0);
            inc.place = Some(self.locator.resolver.candidate(index, score));
        }
        inc.status = inc.status.or_else(|| text("status").and_then(|s| Status::parse(&s)));
        inc.evidence = text("evidence");
        if let (Some(file), Some(line)) = (text(origin.0), text(origin.1).and_then(|l| l.parse().ok())) {
            (inc.source, inc.line) = (file, line);
        }
        inc.fields.retain(|name| !computed.contains(&name) || kept.contains(&name));
        inc
    }

    /// Resolve a row's place name within the narrowest of its hints that holds it: the district (a
    /// producer's districts may predate a reform, so a district that does not hold the place is passed over),
    /// then the region, a hard constraint (a region the resolver does not know leaves the place unresolved).
    /// Returns the resolution and the hint it was made in.
    fn resolve_in_hints(
        &self,
        fields: &Fields,
        name: &str,
        region: Option<&str>,
        country: Option<String>,
    ) -> (crate::resolve::Resolution, Option<String>) {
        let resolver = self.locator.resolver;
        let query = |hint: Option<&str>| Query {
            name: name.to_string(),
            region: hint.map(str::to_string),
            country: country.clone(),
            limit: 5,
        };
        if let Some(district) = get(fields, self.schema.district).filter(|d| resolver.region(d).is_some()) {
            let res = resolver.resolve(&query(Some(&district)));
            if res.status != Status::NotFound {
                return (res, Some(district.into_owned()));
            }
        }
        (resolver.resolve(&query(region)), region.map(str::to_string))
    }

    /// Where a row is: given coordinates win (at the precision the row's producer gave them); else the named
    /// place, resolved within the row's district or region; else the region's seat.
    fn position(
        &self,
        line: u64,
        fields: &Fields,
        point: Option<(f64, f64)>,
        country: Option<String>,
    ) -> Result<Position, NotPlaced> {
        let schema = self.schema;
        let given_precision = get(fields, schema.precision).and_then(|c| schema.precision_of(&c));
        let lat = get(fields, schema.lat);
        let lon = get(fields, schema.lon);
        // Given coordinates pass the same checks as `distance --input`'s (range, and columns that look swapped).
        let given = |la: f64, lo: f64| -> Result<Position, NotPlaced> {
            if let Err(why) = crate::border::points::check_coordinates(self.locator.border, la, lo) {
                let place = get(fields, schema.place);
                return Err(self
                    .unresolved(line, &point_text(place.as_deref(), la, lo), format!("bad coordinates: {why}"))
                    .into());
            }
            Ok((la, lo, given_precision.unwrap_or(Precision::Exact), None, None))
        };
        if let Some((lon, lat)) = point {
            return given(lat, lon);
        }
        if lat.is_some() || lon.is_some() {
            let (Some(la), Some(lo)) = (lat.as_deref().and_then(number), lon.as_deref().and_then(number)) else {
                let shown = format!("lat={} lon={}", lat.unwrap_or_default(), lon.unwrap_or_default());
                return Err(self.unresolved(line, &shown, "bad coordinates: lat and lon must both be numbers").into());
            };
            return given(la, lo);
        }
        let (place, region) = split_place(schema, get(fields, schema.place), get(fields, schema.region));
        let resolver = self.locator.resolver;
        if let Some(name) = &place {
            let (res, hint) = self.resolve_in_hints(fields, name, region.as_deref(), country);
            let Some(best) = res.best.filter(|_| res.status != Status::NotFound) else {
                let mut why = format!("place not found: {name}");
                if let Some(r) = &hint {
                    why.push_str(&format!(" (in region {r})"));
                }
                if !res.reason.is_empty() {
                    why.push_str(&format!(": {}", res.reason));
                }
                return Err(self.unresolved(line, name, why).into());
            };
            if res.status == Status::Ambiguous && hint.is_none() {
                // A guess between namesakes anywhere is no point on a map, as in text: the row is left for the
                // analyst to give its region. Within a region given, the likeliest namesake there is placed,
                // marked ambiguous.
                let why = format!(
                    "ambiguous: {name:?} names several places (the likeliest, {} in {}); give its region",
                    best.name, best.admin1_name
                );
                return Err(self.unresolved(line, name, why).into());
            }
            // A village known only by its district is placed at the district's seat.
            let precision = match best.precision {
                PointPrecision::Exact => Precision::Exact,
                PointPrecision::District => Precision::Near,
            };
            return Ok((best.lat, best.lon, precision, Some(res.status), Some(best)));
        }
        let Some(r) = &region else {
            let shown = fields.to_json();
            return Err(self.unresolved(line, &shown, "no location: needs lat/lon, place or region").into());
        };
        let Some(hint) = resolver.region(r) else {
            return Err(self.unresolved(line, r, format!("region not recognised: {r}")).into());
        };
        let Some(seat) = hint.seat else {
            return Err(self.unresolved(line, r, format!("no administrative centre known for {}", hint.name)).into());
        };
        let c = resolver.candidate(seat, 1.0);
        Ok((c.lat, c.lon, Precision::Region, Some(Status::Resolved), Some(c)))
    }
}
