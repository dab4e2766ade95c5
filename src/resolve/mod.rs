//! Resolving a place name to GeoNames places: candidates from the name index, ranked by region hint,
//! feature code, population and match quality, with honest ambiguity.

pub mod index;

use serde::Serialize;

use crate::gazetteer::{Gazetteer, Place};

/// A query: a name and optional hints.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub name: String,
    /// Free-text region hint ("Voronezh region", "Курской области"); a hard filter on `best`.
    pub region: Option<String>,
    /// ISO alpha-2 country code; a hard filter on `best`.
    pub country: Option<String>,
    /// How many candidates to return at most.
    pub limit: usize,
}

impl Query {
    /// A query for `name` with no hints and the default candidate limit.
    pub fn new(name: &str) -> Self {
        Query { name: name.to_string(), region: None, country: None, limit: 5 }
    }
}

/// Outcome of a resolution.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Resolved,
    Ambiguous,
    NotFound,
}

/// A resolved place as it appears in every output (the contract's `Place` object).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Candidate {
    pub geonameid: u32,
    pub name: String,
    pub country: String,
    pub admin1: String,
    pub admin1_name: String,
    pub feature_code: String,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
    pub score: f64,
    /// Index into the gazetteer's places.
    #[serde(skip)]
    pub place_index: u32,
}

/// The answer to one [`Query`].
#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub query: String,
    pub status: Status,
    pub best: Option<Candidate>,
    pub candidates: Vec<Candidate>,
    /// Why the best candidate won, or why nothing did.
    pub reason: String,
}

/// A region named in text ("Voronezh region", "Курской области", "Borovsky district", "LPR").
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionHint {
    /// 1 for admin1 (oblast, krai, republic), 2 for admin2 (district).
    pub level: u8,
    /// GeoNames code: `RU.86` for admin1, `RU.25.1234` for admin2.
    pub code: String,
    /// The region's English name (`Voronezh Oblast`).
    pub name: String,
    /// Index into the gazetteer's places of the administrative centre, when known.
    pub seat: Option<u32>,
}

/// Resolves names against one gazetteer.
pub struct Resolver<'g> {
    gaz: &'g Gazetteer,
}

impl<'g> Resolver<'g> {
    /// A resolver over `gaz`.
    pub fn new(gaz: &'g Gazetteer) -> Self {
        Resolver { gaz }
    }

    /// The gazetteer this resolver reads.
    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.gaz
    }

    /// Build the contract's place object for place `index` with `score`.
    pub fn candidate(&self, index: u32, score: f64) -> Candidate {
        let p: &Place = &self.gaz.places[index as usize];
        Candidate {
            geonameid: p.geonameid,
            name: p.name.clone(),
            country: p.country.clone(),
            admin1: p.admin1_code(),
            admin1_name: self.gaz.admin1_name(p).unwrap_or("").to_string(),
            feature_code: p.feature_code.clone(),
            population: p.population,
            lat: p.lat,
            lon: p.lon,
            score,
            place_index: index,
        }
    }

    /// Recognise a region phrase (placeholder: exact English admin1 name only).
    pub fn region(&self, text: &str) -> Option<RegionHint> {
        let t = text.trim();
        self.gaz.admin1.iter().find(|r| r.name.eq_ignore_ascii_case(t)).map(|r| RegionHint {
            level: 1,
            code: r.code.clone(),
            name: r.name.clone(),
            seat: r.seat,
        })
    }

    /// Resolve one query (placeholder: exact key, most populous first).
    pub fn resolve(&self, q: &Query) -> Resolution {
        let key = crate::names::key(&q.name);
        let mut idx: Vec<u32> = self.gaz.names_with_key(&key).iter().map(|e| e.place).collect();
        idx.sort_by_key(|&i| std::cmp::Reverse(self.gaz.places[i as usize].population));
        idx.dedup();
        let candidates: Vec<Candidate> = idx.iter().take(q.limit.max(1)).map(|&i| self.candidate(i, 1.0)).collect();
        let best = candidates.first().cloned();
        Resolution {
            query: q.name.clone(),
            status: if best.is_some() { Status::Resolved } else { Status::NotFound },
            best,
            candidates,
            reason: String::new(),
        }
    }
}
