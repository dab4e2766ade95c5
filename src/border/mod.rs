//! Signed geodesic distance to the Russia–Ukraine land border, and which country a point is in.

pub mod derive;

use serde::Serialize;

use crate::gazetteer::Boundaries;

/// A point, WGS84 degrees.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// The measure of one point against the border (the contract's `distance` fields).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Measurement {
    /// Geodesic distance (WGS84) to the nearest point of the land border, km; negative inside Ukraine.
    pub border_km: f64,
    pub nearest_border: LatLon,
    pub inside_ukraine: bool,
    /// `RU`, `UA`, `BY` or `None`, de jure (Crimea is `UA`).
    pub country: Option<&'static str>,
}

/// Why a point cannot be measured.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum BorderError {
    #[error("latitude {0} is out of range (-90..90)")]
    BadLatitude(f64),
    #[error("longitude {0} is out of range (-180..180)")]
    BadLongitude(f64),
}

/// Spatial indexes over the border line and the country polygons.
pub struct BorderIndex {
    _private: (),
}

impl BorderIndex {
    /// Index `boundaries` (placeholder).
    pub fn new(_boundaries: &Boundaries) -> BorderIndex {
        BorderIndex { _private: () }
    }

    /// Measure one point (placeholder: validates only).
    pub fn measure(&self, lat: f64, lon: f64) -> Result<Measurement, BorderError> {
        if !(lat.is_finite() && lat.abs() <= 90.0) {
            return Err(BorderError::BadLatitude(lat));
        }
        if !(lon.is_finite() && lon.abs() <= 180.0) {
            return Err(BorderError::BadLongitude(lon));
        }
        Ok(Measurement {
            border_km: f64::NAN,
            nearest_border: LatLon { lat, lon },
            inside_ukraine: false,
            country: None,
        })
    }
}
