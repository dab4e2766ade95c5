//! One input row (its fields as JSON values) → a located, measured [`Incident`], or the reason it cannot be
//! placed. Shared by every table and JSON reader.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{Fields, Incident, Locator, Precision, ReadOptions, Unresolved, date};
use crate::border::{BorderError, LatLon, Measurement};
use crate::gazetteer::PointPrecision;
use crate::resolve::{Query, Status};

/// Why a row was not turned into an incident.
pub(crate) enum NotPlaced {
    /// This row cannot be placed; the rest can go on.
    Row(Unresolved),
    /// Nothing can be placed (e.g. the gazetteer has no border to measure against).
    Fatal(String),
}

impl From<Unresolved> for NotPlaced {
    fn from(u: Unresolved) -> Self {
        NotPlaced::Row(u)
    }
}

/// What every row of one input shares.
pub(crate) struct Context<'a> {
    pub source: &'a str,
    pub locator: &'a Locator<'a>,
    pub opts: &'a ReadOptions,
}

/// Columns with a meaning (lower-case; others are kept in `fields` only).
const KNOWN: &[&str] = &[
    "date",
    "place",
    "region",
    "country",
    "lat",
    "lon",
    "latitude",
    "longitude",
    "lng",
    "long",
    "weapon",
    "source",
    "notes",
    "border_km",
];

/// Whether a (lower-cased) column name means something to the reader.
pub(crate) fn is_known_column(c: &str) -> bool {
    KNOWN.contains(&c)
}

/// Whether a (lower-cased) column name can locate a row.
pub(crate) fn is_location_column(c: &str) -> bool {
    matches!(c, "place" | "region" | "lat" | "lon" | "latitude" | "longitude" | "lng")
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
        let place = get(&fields, &["place"]);
        let region = get(&fields, &["region"]);
        let row_text = || match (&place, &region) {
            (Some(p), _) => p.to_string(),
            (None, Some(r)) => r.to_string(),
            _ => fields.to_json(),
        };
        let date = match get(&fields, &["date"]) {
            None => None,
            Some(d) => Some(date::normalise(&d).map_err(|why| self.unresolved(line, &row_text(), why))?),
        };
        let weapon = get(&fields, &["weapon"]).map(Cow::into_owned);
        let country = match get(&fields, &["country"]) {
            None => None,
            Some(c) => Some(
                country_code(&c).ok_or_else(|| self.unresolved(line, &row_text(), format!("unknown country {c:?}")))?,
            ),
        };

        // Where: given coordinates win; else the named place; else the region's seat.
        let lat = get(&fields, &["lat", "latitude"]);
        let lon = get(&fields, &["lon", "longitude", "lng", "long"]);
        let (lat, lon, precision, status, candidate) = if let Some((lon, lat)) = point {
            (lat, lon, Precision::Exact, None, None)
        } else if lat.is_some() || lon.is_some() {
            let (Some(la), Some(lo)) = (lat.as_deref().and_then(number), lon.as_deref().and_then(number)) else {
                let shown = format!("lat={} lon={}", lat.unwrap_or_default(), lon.unwrap_or_default());
                return Err(self.unresolved(line, &shown, "bad coordinates: lat and lon must both be numbers").into());
            };
            (la, lo, Precision::Exact, None, None)
        } else if let Some(name) = &place {
            let q = Query {
                name: name.to_string(),
                region: region.as_deref().map(str::to_string),
                country: country.clone(),
                limit: 5,
            };
            let res = self.locator.resolver.resolve(&q);
            let Some(best) = res.best.filter(|_| res.status != Status::NotFound) else {
                let mut why = format!("place not found: {name}");
                if let Some(r) = &region {
                    why.push_str(&format!(" (in region {r})"));
                }
                if !res.reason.is_empty() {
                    why.push_str(&format!(": {}", res.reason));
                }
                return Err(self.unresolved(line, name, why).into());
            };
            // A village known only by its district is placed at the district's seat.
            let precision = match best.precision {
                PointPrecision::Exact => Precision::Exact,
                PointPrecision::District => Precision::Near,
            };
            (best.lat, best.lon, precision, Some(res.status), Some(best))
        } else if let Some(r) = &region {
            let Some(hint) = self.locator.resolver.region(r) else {
                return Err(self.unresolved(line, r, format!("region not recognised: {r}")).into());
            };
            let Some(seat) = hint.seat else {
                return Err(self
                    .unresolved(line, r, format!("no administrative centre known for {}", hint.name))
                    .into());
            };
            let c = self.locator.resolver.candidate(seat, 1.0);
            (c.lat, c.lon, Precision::Region, Some(Status::Resolved), Some(c))
        } else {
            return Err(self.unresolved(line, &row_text(), "no location: needs lat/lon, place or region").into());
        };

        let given =
            if self.opts.given_border_km { get(&fields, &["border_km"]).as_deref().and_then(number) } else { None };
        let measurement = match given {
            // The distance is given (e.g. re-reading `incimap map` output): check the point, measure nothing.
            Some(km) => {
                if let Some(why) = coordinate_problem(lat, lon) {
                    return Err(self.unresolved(line, &format!("lat={lat} lon={lon}"), why).into());
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
                    let shown = format!("lat={lat} lon={lon}");
                    return Err(self.unresolved(line, &shown, format!("bad coordinates: {e}")).into());
                }
                Err(e) => return Err(NotPlaced::Fatal(format!("cannot measure distances: {e}"))),
            },
        };
        let event_type = get(&fields, &["event_type"]).and_then(|t| crate::extract::events::EventType::parse(&t));
        Ok(Incident {
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
        })
    }
}
