//! Incidents: records read from tables (CSV/TSV, NDJSON, JSON, GeoJSON) or extracted from articles,
//! located (resolved when they name a place) and measured against the border. `map` and `stats` both
//! read their inputs through here.

use serde::Serialize;

use crate::border::Measurement;
use crate::resolve::{Candidate, Status};

/// How precisely an incident is located (ACLED-style).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A named settlement, or coordinates given in the input.
    Exact,
    /// A district, or between two places.
    Near,
    /// Only the region is known: placed at its administrative centre.
    Region,
}

/// A located, measured incident.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    /// Input file (or `-`).
    pub source: String,
    /// 1-based line (tables, NDJSON) or feature/element number (JSON, GeoJSON) in the input.
    pub line: u64,
    /// Every field of the input row, as read (strings, numbers, ...).
    pub fields: serde_json::Map<String, serde_json::Value>,
    pub date: Option<String>,
    pub weapon: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub precision: Precision,
    /// Resolution of the row's place name, when it named one.
    pub status: Option<Status>,
    pub place: Option<Candidate>,
    pub measurement: Measurement,
    /// The sentence an extracted incident came from.
    pub evidence: Option<String>,
}

/// An input row or mention that could not be placed.
#[derive(Debug, Clone, Serialize)]
pub struct Unresolved {
    pub source: String,
    pub line: u64,
    /// The place text or the raw row, shortened.
    pub input: String,
    pub reason: String,
}
