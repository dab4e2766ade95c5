//! The stored border measurements of a gazetteer's places: plain data, written and read with the
//! gazetteer. `border::places` measures them and turns a row back into a measurement.

use serde::{Deserialize, Serialize};

/// A point, WGS84 degrees.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// The border measurement of every place of a gazetteer, by place index, for one set of boundaries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceMeasures {
    /// Fingerprint (`border::places::fingerprint`) of the boundaries measured against.
    fingerprint: u64,
    /// One row per place. Empty when not measured at all (a gazetteer without a land border, or one of
    /// format version 3).
    rows: Vec<StoredMeasure>,
}

/// One place's measurement as stored: the parts a border measurement is made of, in 40 bytes rather than
/// 64 (a full-size gazetteer holds a quarter of a million places).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredMeasure {
    /// Geodesic distance to the nearest border point, metres (NaN: the place could not be measured).
    pub metres: f64,
    /// Azimuth of that geodesic at the place, degrees.
    pub azimuth_deg: f64,
    /// The nearest border point.
    pub nearest: LatLon,
    /// The country containing the place: [`StoredMeasure::COUNTRIES`] index + 1, or 0 for none.
    pub country: u8,
}

impl StoredMeasure {
    /// The countries a border measurement names, in stored order.
    pub const COUNTRIES: [&'static str; 3] = ["UA", "BY", "RU"];
}

impl PlaceMeasures {
    /// A table of `rows` measured against boundaries with `fingerprint`.
    pub fn from_rows(fingerprint: u64, rows: Vec<StoredMeasure>) -> PlaceMeasures {
        PlaceMeasures { fingerprint, rows }
    }

    /// The row of place `index`, when the table was measured against boundaries with `fingerprint`.
    #[inline]
    pub fn row(&self, fingerprint: u64, index: usize) -> Option<&StoredMeasure> {
        self.rows.get(index).filter(|_| self.fingerprint == fingerprint)
    }

    /// The fingerprint of the boundaries the table was measured against.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The stored rows, by place index.
    pub fn rows(&self) -> &[StoredMeasure] {
        &self.rows
    }

    /// Append `more`, the rows of places appended to the gazetteer from index `first` on (the user's own
    /// places), when both were measured against the same boundaries and this table holds a row for every
    /// place before `first`. Otherwise nothing is appended and `false` is returned: a row must never stand
    /// for another place, nor for other boundaries. The places without a row are measured when used.
    ///
    /// ```
    /// use incimap::gazetteer::{LatLon, PlaceMeasures, StoredMeasure};
    /// let row = StoredMeasure { metres: 1.0, azimuth_deg: 0.0, nearest: LatLon { lat: 50.0, lon: 36.0 }, country: 3 };
    /// let mut table = PlaceMeasures::from_rows(7, vec![row]);
    /// assert!(!table.append(1, PlaceMeasures::from_rows(8, vec![row]))); // other boundaries
    /// assert!(!table.append(2, PlaceMeasures::from_rows(7, vec![row]))); // a gap before the new rows
    /// assert!(table.append(1, PlaceMeasures::from_rows(7, vec![row])));
    /// assert_eq!((table.rows().len(), table.fingerprint()), (2, 7));
    /// ```
    pub fn append(&mut self, first: usize, more: PlaceMeasures) -> bool {
        if more.fingerprint != self.fingerprint || self.rows.len() != first || more.rows.is_empty() {
            return false;
        }
        self.rows.extend(more.rows);
        true
    }
}
