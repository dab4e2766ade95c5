//! Low-level GeoJSON writing: coordinates rounded to 6 decimals (RFC 7946 §11.2: about 0.1 m), written
//! without going through a float formatter, and bounding boxes accumulated as features stream past.

use std::io::{self, Write};

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};

/// Decimal places kept in coordinates.
pub const COORD_DECIMALS: u32 = 6;
const SCALE: f64 = 1e6;

/// Round a coordinate to [`COORD_DECIMALS`] decimals (what is written, so bboxes match the features).
pub fn round_coord(v: f64) -> f64 {
    (v * SCALE).round() / SCALE
}

/// Append `v` with at most six decimals and no exponent: `36.58015`, `-0.5`, `0`.
///
/// ```
/// let mut s = Vec::new();
/// incimap::layers::json::push_fixed6(&mut s, 36.580149999);
/// assert_eq!(s, b"36.58015");
/// ```
pub fn push_fixed6(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(b"null");
        return;
    }
    let scaled = (v * SCALE).round();
    // Beyond 2^53 the integer path loses meaning; no coordinate or distance is that large.
    if scaled.abs() >= 9.0e15 {
        let _ = write!(out, "{}", v.round());
        return;
    }
    let n = scaled as i64;
    if n < 0 {
        out.push(b'-');
    }
    let n = n.unsigned_abs();
    push_u64(out, n / 1_000_000);
    let mut frac = n % 1_000_000;
    if frac != 0 {
        let mut digits = 6;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        out.push(b'.');
        let mut buf = [b'0'; 6];
        for i in (0..digits).rev() {
            buf[i] = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        out.extend_from_slice(&buf[..digits]);
    }
}

/// Append `v` rounded to `decimals` (≤ 6) decimals, or `null` when not finite.
pub fn push_rounded(out: &mut Vec<u8>, v: f64, decimals: i32) {
    let p = 10f64.powi(decimals);
    push_fixed6(out, (v * p).round() / p);
}

/// Append an unsigned integer in decimal.
pub fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Append a JSON string literal.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    // Most text needs no escaping (JSON escapes only `"`, `\\` and control characters): copy it whole.
    // (A fold without early exit: the compiler checks many bytes at once.)
    let needs_escape = s.bytes().fold(false, |any, b| any | (b < 0x20) | (b == b'"') | (b == b'\\'));
    if !needs_escape {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // serde_json's escaping is correct for every control character and cannot fail on a Vec.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Append any JSON value (input fields as read).
pub fn push_value(out: &mut Vec<u8>, v: &serde_json::Value) {
    match v {
        serde_json::Value::String(s) => push_str(out, s),
        _ => {
            let _ = serde_json::to_writer(&mut *out, v);
        }
    }
}

/// A bounding box `[west, south, east, north]` grown point by point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Default for BBox {
    fn default() -> Self {
        BBox::EMPTY
    }
}

impl BBox {
    /// The box of nothing.
    pub const EMPTY: BBox =
        BBox { west: f64::INFINITY, south: f64::INFINITY, east: f64::NEG_INFINITY, north: f64::NEG_INFINITY };

    /// Include a lon/lat point.
    pub fn add(&mut self, lon: f64, lat: f64) {
        self.west = self.west.min(lon);
        self.east = self.east.max(lon);
        self.south = self.south.min(lat);
        self.north = self.north.max(lat);
    }

    /// Include another box.
    pub fn merge(&mut self, other: &BBox) {
        if !other.is_empty() {
            self.add(other.west, other.south);
            self.add(other.east, other.north);
        }
    }

    /// Whether no point was added.
    pub fn is_empty(&self) -> bool {
        self.west > self.east
    }

    /// Append `,"bbox":[w,s,e,n]` (nothing for an empty box).
    pub fn push_member(&self, out: &mut Vec<u8>) {
        if self.is_empty() {
            return;
        }
        out.extend_from_slice(b",\"bbox\":[");
        for (i, v) in [self.west, self.south, self.east, self.north].into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_fixed6(out, v);
        }
        out.push(b']');
    }
}

/// Append `[lon,lat]` (rounded) and grow `bbox`.
pub fn push_position(out: &mut Vec<u8>, c: Coord<f64>, bbox: &mut BBox) {
    let (x, y) = (round_coord(c.x), round_coord(c.y));
    bbox.add(x, y);
    out.push(b'[');
    push_fixed6(out, x);
    out.push(b',');
    push_fixed6(out, y);
    out.push(b']');
}

/// Append the positions of a line, dropping points that round onto their predecessor (a repeated
/// position would make a ring invalid for strict readers).
pub fn push_line(out: &mut Vec<u8>, line: &LineString<f64>, bbox: &mut BBox) {
    out.push(b'[');
    let mut last: Option<(f64, f64)> = None;
    let mut first = true;
    for c in line.coords() {
        let key = (round_coord(c.x), round_coord(c.y));
        if last == Some(key) {
            continue;
        }
        last = Some(key);
        if !first {
            out.push(b',');
        }
        first = false;
        push_position(out, *c, bbox);
    }
    out.push(b']');
}

/// Append a Polygon's coordinates (rings as given: orient them first).
pub fn push_polygon_coords(out: &mut Vec<u8>, poly: &Polygon<f64>, bbox: &mut BBox) {
    out.push(b'[');
    push_line(out, poly.exterior(), bbox);
    for ring in poly.interiors() {
        out.push(b',');
        push_line(out, ring, bbox);
    }
    out.push(b']');
}

/// Append a MultiPolygon geometry object.
pub fn push_multipolygon(out: &mut Vec<u8>, mp: &MultiPolygon<f64>, bbox: &mut BBox) {
    out.extend_from_slice(b"{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (i, p) in mp.0.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_polygon_coords(out, p, bbox);
    }
    out.extend_from_slice(b"]}");
}

/// Append a MultiLineString geometry object.
pub fn push_multilinestring(out: &mut Vec<u8>, ml: &MultiLineString<f64>, bbox: &mut BBox) {
    out.extend_from_slice(b"{\"type\":\"MultiLineString\",\"coordinates\":[");
    for (i, l) in ml.0.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_line(out, l, bbox);
    }
    out.extend_from_slice(b"]}");
}

/// Write a whole small FeatureCollection of pre-rendered features (each a complete JSON object).
pub fn write_collection(w: &mut dyn Write, name: &str, features: &[Vec<u8>], bbox: &BBox) -> io::Result<()> {
    let mut head = Vec::new();
    head.extend_from_slice(b"{\"type\":\"FeatureCollection\",\"name\":");
    push_str(&mut head, name);
    bbox.push_member(&mut head);
    head.extend_from_slice(b",\"features\":[\n");
    w.write_all(&head)?;
    for (i, f) in features.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        w.write_all(f)?;
    }
    w.write_all(b"\n]}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(v: f64) -> String {
        let mut s = Vec::new();
        push_fixed6(&mut s, v);
        String::from_utf8(s).unwrap()
    }

    #[test]
    fn six_decimals_at_most() {
        assert_eq!(fixed(0.0), "0");
        assert_eq!(fixed(-0.0000004), "0");
        assert_eq!(fixed(-0.5), "-0.5");
        assert_eq!(fixed(36.58015), "36.58015");
        assert_eq!(fixed(50.1234567), "50.123457");
        assert_eq!(fixed(-179.9999996), "-180");
        assert_eq!(fixed(0.000001), "0.000001");
        assert_eq!(fixed(-12.00001), "-12.00001");
        assert_eq!(fixed(f64::NAN), "null");
    }

    #[test]
    fn strings_are_escaped_as_json_requires() {
        for s in ["plain", "", "Білгород", "a\"b", "back\\slash", "tab\there", "nl\n", "\u{1}", "\u{7f}"] {
            let mut out = Vec::new();
            push_str(&mut out, s);
            let back: String = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, s);
            assert!(out.iter().all(|&b| b >= 0x20), "no raw control characters in {out:?}");
        }
    }

    #[test]
    fn bbox_grows_and_prints() {
        let mut b = BBox::EMPTY;
        assert!(b.is_empty());
        b.add(36.5, 50.6);
        b.add(30.1, 52.0);
        let mut s = Vec::new();
        b.push_member(&mut s);
        assert_eq!(String::from_utf8(s).unwrap(), ",\"bbox\":[30.1,50.6,36.5,52]");
    }
}
