//! Deriving the Russia–Ukraine land border from the two country polygons.

use geo::MultiLineString;
use geo::MultiPolygon;

/// The land border: the stretch of Ukraine's boundary shared with Russia's, without coastlines
/// (placeholder: empty).
pub fn land_border(_ukraine: &MultiPolygon<f64>, _russia: &MultiPolygon<f64>) -> Result<MultiLineString<f64>, String> {
    Ok(MultiLineString::new(vec![]))
}

/// Check a derived border (placeholder: accepts anything).
pub fn validate(_line: &MultiLineString<f64>) -> Result<f64, String> {
    Ok(0.0)
}

/// Geodesic length of a line in km (placeholder).
pub fn length_km(_line: &MultiLineString<f64>) -> f64 {
    0.0
}
