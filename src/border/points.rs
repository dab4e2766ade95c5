//! The rule for the coordinates an input row may carry ([`check_coordinates`]), shared by every reader of
//! points (`distance --input`, `map`, the user's places file).

use super::BorderIndex;

/// The rule for coordinates a row may carry:
/// - both must be finite numbers (no NaN or infinity), |lat| ≤ 90 and |lon| ≤ 180;
/// - a point outside the area the country polygons cover whose swapped form (lon as lat, lat as lon) falls
///   inside it is taken for swapped columns and refused, with a hint; points merely far away are measured.
///
/// ```
/// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
/// let border = incimap::border::BorderIndex::new(&gaz.boundaries);
/// use incimap::border::points::check_coordinates;
/// assert!(check_coordinates(&border, 50.6, 36.6).is_ok());
/// assert!(check_coordinates(&border, 36.6, 50.6).unwrap_err().contains("swapped"));
/// assert!(check_coordinates(&border, 91.0, 36.6).is_err());
/// assert!(check_coordinates(&border, -33.9, 151.2).is_ok()); // Sydney: valid, just far away
/// ```
pub fn check_coordinates(border: &BorderIndex, lat: f64, lon: f64) -> Result<(), String> {
    if !lat.is_finite() || !lon.is_finite() {
        return Err(format!("coordinates ({lat}, {lon}) are not finite numbers"));
    }
    if lat.abs() > 90.0 {
        let hint = if lon.abs() <= 90.0 && lat.abs() <= 180.0 { " (are lat and lon swapped?)" } else { "" };
        return Err(format!("latitude {lat} is out of range -90..90{hint}"));
    }
    if lon.abs() > 180.0 {
        return Err(format!("longitude {lon} is out of range -180..180"));
    }
    if !border.covers(lat, lon) && border.covers(lon, lat) {
        return Err(format!(
            "({lat}, {lon}) lies off the mapped area but ({lon}, {lat}) lies on it: lat and lon look swapped"
        ));
    }
    Ok(())
}
