//! The border measurements of a gazetteer's places, computed once when the gazetteer is built.
//!
//! A place's distance to the border does not change between runs, and solving the ellipsoidal inverse
//! for it is the costliest step of placing a mention (about 3,000 instructions, beside a few hundred
//! for everything else a mention needs). So `gazetteer build` measures every place and stores the
//! results; a geoparser then reads them instead of measuring fresh news again and again.
//!
//! The table is only used with the boundaries it was measured against: it carries their
//! [`fingerprint`], and [`BorderIndex::stored`] answers only for a [`BorderIndex`] with the same one.
//!
//! ```
//! use incimap::border::BorderIndex;
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let border = BorderIndex::new(&gaz.boundaries);
//! let belgorod = gaz.places.iter().position(|p| p.geonameid == 578072).unwrap();
//! let stored = border.stored(&gaz.place_measures, belgorod).unwrap();
//! let place = &gaz.places[belgorod];
//! assert_eq!(stored, border.measure(place.lat, place.lon).ok());
//! ```

use super::{BorderIndex, LatLon, Measurement};
use crate::gazetteer::{Boundaries, Place, PlaceMeasures, StoredMeasure};

/// The stored form of `m` (`None`: not measured).
pub fn stored(m: Option<&Measurement>) -> StoredMeasure {
    match m {
        Some(m) => StoredMeasure {
            metres: m.geodesic_m,
            azimuth_deg: m.azimuth_deg,
            nearest: m.nearest_border,
            country: m
                .country
                .and_then(|c| StoredMeasure::COUNTRIES.iter().position(|&k| k == c))
                .map_or(0, |i| i as u8 + 1),
        },
        None => StoredMeasure {
            metres: f64::NAN,
            azimuth_deg: f64::NAN,
            nearest: LatLon { lat: f64::NAN, lon: f64::NAN },
            country: 0,
        },
    }
}

/// The measurement a stored row holds, exactly as [`BorderIndex::measure`] gave it; `None` if it gave none.
pub fn measurement(s: &StoredMeasure) -> Option<Measurement> {
    if s.metres.is_nan() {
        return None;
    }
    let country = s.country.checked_sub(1).and_then(|i| StoredMeasure::COUNTRIES.get(usize::from(i)).copied());
    Some(measurement_from_parts(s.metres, s.azimuth_deg, s.nearest, country))
}

/// Measure every place of `places` with `border` (on all cores).
pub fn measure(border: &BorderIndex, places: &[Place]) -> PlaceMeasures {
    if border.segment_count() == 0 {
        return PlaceMeasures::default();
    }
    let points: Vec<(f64, f64)> = places.iter().map(|p| (p.lat, p.lon)).collect();
    let rows = border.measure_many(&points).iter().map(|m| stored(m.as_ref().ok())).collect();
    PlaceMeasures::from_rows(border.fingerprint(), rows)
}

impl BorderIndex {
    /// The stored measurement of place `index` of a gazetteer (`Some(None)`: it could not be measured), or
    /// `None` when `measures` does not hold it for this index's boundaries (the caller then measures itself).
    #[inline]
    pub fn stored(&self, measures: &PlaceMeasures, index: usize) -> Option<Option<Measurement>> {
        measures.row(self.fingerprint(), index).map(measurement)
    }
}

/// A fingerprint of boundaries: the CRC-32 of every coordinate of the land border and the three country
/// polygons, with the number of coordinates. Equal boundaries give equal fingerprints on any machine.
///
/// ```
/// let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
/// let mut moved = gaz.boundaries.clone();
/// let before = incimap::border::places::fingerprint(&moved);
/// moved.land_border.0[0].0[0].x += 1e-9;
/// assert_ne!(before, incimap::border::places::fingerprint(&moved));
/// ```
pub fn fingerprint(boundaries: &Boundaries) -> u64 {
    use geo::CoordsIter;
    let mut crc = crc32fast::Hasher::new();
    let mut count: u64 = 0;
    let mut add = |c: geo::Coord<f64>| {
        crc.update(&c.x.to_le_bytes());
        crc.update(&c.y.to_le_bytes());
        count += 1;
    };
    boundaries.land_border.coords_iter().for_each(&mut add);
    // A marker between the parts, so that moving a ring from one country to the next changes the result.
    for polygons in [&boundaries.ukraine, &boundaries.russia, &boundaries.belarus] {
        polygons.coords_iter().for_each(&mut add);
        add(geo::Coord { x: f64::NAN, y: f64::NAN });
    }
    (count << 32) | u64::from(crc.finalize())
}

/// A stored measurement rebuilt exactly as [`BorderIndex::measure`] builds it from its parts.
pub fn measurement_from_parts(
    metres: f64,
    azimuth_deg: f64,
    nearest: LatLon,
    country: Option<&'static str>,
) -> Measurement {
    let km = metres / 1000.0;
    let inside_ukraine = country == Some("UA");
    Measurement {
        border_km: if inside_ukraine { -km } else { km },
        nearest_border: nearest,
        inside_ukraine,
        country,
        geodesic_m: metres,
        azimuth_deg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;

    /// Every stored measurement of the embedded gazetteer equals a fresh measurement, bit for bit.
    #[test]
    fn stored_measurements_equal_fresh_ones() {
        let gaz = Gazetteer::embedded().unwrap();
        let border = BorderIndex::new(&gaz.boundaries);
        assert_eq!(gaz.place_measures.rows().len(), gaz.places.len());
        let mut measured = 0;
        for (i, p) in gaz.places.iter().enumerate() {
            let fresh = border.measure(p.lat, p.lon).ok();
            let stored = border.stored(&gaz.place_measures, i).expect("stored for these boundaries");
            assert_eq!(stored, fresh, "place {} {}", p.geonameid, p.name);
            if let (Some(s), Some(f)) = (&stored, &fresh) {
                assert_eq!(s.border_km.to_bits(), f.border_km.to_bits());
                assert_eq!(s.azimuth_deg.to_bits(), f.azimuth_deg.to_bits());
                measured += 1;
            }
        }
        assert!(measured > gaz.places.len() * 9 / 10);
    }

    /// A table measured against other boundaries is not used.
    #[test]
    fn other_boundaries_are_not_answered_for() {
        let gaz = Gazetteer::embedded().unwrap();
        let mut moved = gaz.boundaries.clone();
        for line in &mut moved.land_border.0 {
            for c in &mut line.0 {
                c.y += 0.01;
            }
        }
        let border = BorderIndex::new(&moved);
        assert_ne!(border.fingerprint(), gaz.place_measures.fingerprint());
        assert_eq!(border.stored(&gaz.place_measures, 0), None);
        assert_eq!(border.stored(&PlaceMeasures::default(), 0), None);
    }
}
