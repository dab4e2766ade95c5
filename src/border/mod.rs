//! Signed geodesic distance to the Russia–Ukraine land border, and which country a point is in.
//!
//! [`BorderIndex`] answers for one point ([`BorderIndex::measure`]) or many in parallel
//! ([`BorderIndex::measure_many`]):
//!
//! ```
//! let gaz = incimap::gazetteer::Gazetteer::embedded().unwrap();
//! let border = incimap::border::BorderIndex::new(&gaz.boundaries);
//! let belgorod = border.measure(50.61074, 36.58015).unwrap();
//! assert!((belgorod.border_km - 32.84).abs() < 0.01);
//! assert_eq!(belgorod.country, Some("RU"));
//! let kharkiv = border.measure(49.98081, 36.25272).unwrap();
//! assert!(kharkiv.border_km < 0.0 && kharkiv.inside_ukraine);
//! ```
//!
//! How: the border's segments sit in an R-tree in Earth-centred (ECEF) coordinates on the WGS84 ellipsoid,
//! where straight-line (chord) distance ranks border points almost exactly as geodesic distance does. The
//! nearest segments by chord are the candidates; the nearest point on each is measured on the ellipsoid
//! with GeographicLib (Karney's geodesic inverse), and the shortest wins. Segments are short (hundreds of
//! metres), so a segment's chord, its geodesic and its straight line in lon/lat agree to well under a metre.
//! Countries come from indexed point-in-polygon tests ([`polygon::PolygonIndex`]).

pub mod derive;
pub mod points;
pub mod polygon;

use geographiclib_rs::{Geodesic, InverseGeodesic};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};
use serde::Serialize;

use crate::gazetteer::Boundaries;
use polygon::PolygonIndex;

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
    /// The nearest point of the land border.
    pub nearest_border: LatLon,
    /// Inside Ukraine's internationally recognised territory (Crimea included).
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
    /// The gazetteer holds no land border line (for example one built without boundary data).
    #[error("the gazetteer holds no Russia–Ukraine land border")]
    NoBorder,
}

/// A border segment in the R-tree: its chord in ECEF km, with its index into [`BorderIndex::segments`].
type Chord = GeomWithData<Line<[f64; 3]>, u32>;

/// Spatial indexes over the border line and the country polygons.
pub struct BorderIndex {
    tree: RTree<Chord>,
    /// Segment ends, lat/lon degrees.
    segments: Vec<[LatLon; 2]>,
    ukraine: PolygonIndex,
    russia: PolygonIndex,
    belarus: PolygonIndex,
    /// Union of the polygons' bounding boxes (min lon, min lat, max lon, max lat).
    coverage: [f64; 4],
    geodesic: Geodesic,
}

/// WGS84 semi-major axis (km) and first eccentricity squared.
const WGS84_A_KM: f64 = 6378.137;
const WGS84_E2: f64 = 0.006_694_379_990_141_317;

/// Earth-centred, Earth-fixed coordinates (km) of a point on the WGS84 ellipsoid's surface.
#[inline]
fn ecef(lat: f64, lon: f64) -> [f64; 3] {
    let (sp, cp) = lat.to_radians().sin_cos();
    let (sl, cl) = lon.to_radians().sin_cos();
    let n = WGS84_A_KM / (1.0 - WGS84_E2 * sp * sp).sqrt();
    [n * cp * cl, n * cp * sl, n * (1.0 - WGS84_E2) * sp]
}

impl BorderIndex {
    /// Index `boundaries`: the land border's segments and the three country polygons.
    pub fn new(boundaries: &Boundaries) -> BorderIndex {
        let mut segments = Vec::new();
        for line in &boundaries.land_border.0 {
            for seg in line.lines() {
                if seg.start != seg.end {
                    segments.push([
                        LatLon { lat: seg.start.y, lon: seg.start.x },
                        LatLon { lat: seg.end.y, lon: seg.end.x },
                    ]);
                }
            }
        }
        let chords = segments
            .iter()
            .enumerate()
            .map(|(i, [a, b])| GeomWithData::new(Line::new(ecef(a.lat, a.lon), ecef(b.lat, b.lon)), i as u32))
            .collect();
        let (ukraine, russia, belarus) = (
            PolygonIndex::new(&boundaries.ukraine),
            PolygonIndex::new(&boundaries.russia),
            PolygonIndex::new(&boundaries.belarus),
        );
        let mut coverage = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for b in [ukraine.bbox(), russia.bbox(), belarus.bbox()] {
            coverage = [coverage[0].min(b[0]), coverage[1].min(b[1]), coverage[2].max(b[2]), coverage[3].max(b[3])];
        }
        BorderIndex {
            tree: RTree::bulk_load(chords),
            segments,
            ukraine,
            russia,
            belarus,
            coverage,
            geodesic: Geodesic::wgs84(),
        }
    }

    /// Measure one point: signed geodesic distance to the border, the nearest border point, and the country.
    pub fn measure(&self, lat: f64, lon: f64) -> Result<Measurement, BorderError> {
        check(lat, lon)?;
        let (km, nearest) = self.nearest(lat, lon)?;
        let country = self.country(lat, lon);
        let inside_ukraine = country == Some("UA");
        Ok(Measurement {
            border_km: if inside_ukraine { -km } else { km },
            nearest_border: nearest,
            inside_ukraine,
            country,
        })
    }

    /// Measure many points (lat, lon) in parallel over all cores; results are in input order.
    pub fn measure_many(&self, points: &[(f64, f64)]) -> Vec<Result<Measurement, BorderError>> {
        points.par_iter().with_min_len(256).map(|&(lat, lon)| self.measure(lat, lon)).collect()
    }

    /// The country containing the point, de jure: Ukraine (Crimea included) first, then Belarus, then Russia.
    pub fn country(&self, lat: f64, lon: f64) -> Option<&'static str> {
        if self.ukraine.contains(lon, lat) {
            Some("UA")
        } else if self.belarus.contains(lon, lat) {
            Some("BY")
        } else if self.russia.contains(lon, lat) {
            Some("RU")
        } else {
            None
        }
    }

    /// Unsigned geodesic distance (km) to the border and the nearest border point.
    fn nearest(&self, lat: f64, lon: f64) -> Result<(f64, LatLon), BorderError> {
        let p = ecef(lat, lon);
        let mut candidates = self.tree.nearest_neighbor_iter_with_distance_2(p);
        let Some((first, chord2)) = candidates.next() else {
            return Err(BorderError::NoBorder);
        };
        // Chord ranking can differ from geodesic ranking by a few parts per million between directions
        // (the ellipsoid's curvature varies), so every segment within that margin is measured too.
        let limit = chord2.sqrt() * (1.0 + 2.0e-5) + 0.002;
        let limit2 = limit * limit;
        let point = self.nearest_on_segment(p, first);
        let mut best = (self.geodesic_km(lat, lon, point), point);
        for (chord, d2) in candidates {
            if d2 > limit2 {
                break;
            }
            let point = self.nearest_on_segment(p, chord);
            if point == best.1 {
                continue; // neighbouring segments meeting at the same nearest vertex
            }
            let km = self.geodesic_km(lat, lon, point);
            if km < best.0 {
                best = (km, point);
            }
        }
        Ok(best)
    }

    /// The point of `chord`'s segment nearest to `p` (by chord distance), as lat/lon on the segment.
    #[inline]
    fn nearest_on_segment(&self, p: [f64; 3], chord: &Chord) -> LatLon {
        let (a, b) = (chord.geom().from, chord.geom().to);
        let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
        let ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
        let len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
        let t = if len2 > 0.0 { ((ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2).clamp(0.0, 1.0) } else { 0.0 };
        let [sa, sb] = self.segments[chord.data as usize];
        if t == 0.0 {
            sa
        } else if t == 1.0 {
            sb
        } else {
            LatLon { lat: sa.lat + t * (sb.lat - sa.lat), lon: sa.lon + t * (sb.lon - sa.lon) }
        }
    }

    #[inline]
    fn geodesic_km(&self, lat: f64, lon: f64, to: LatLon) -> f64 {
        let metres: f64 = self.geodesic.inverse(lat, lon, to.lat, to.lon);
        metres / 1000.0
    }

    /// Whether the point lies in the area the country polygons cover (their joint bounding box).
    pub fn covers(&self, lat: f64, lon: f64) -> bool {
        let c = &self.coverage;
        lon >= c[0] && lon <= c[2] && lat >= c[1] && lat <= c[3]
    }

    /// Number of segments in the indexed border line (0 when the gazetteer has none).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }
}

/// Reject coordinates that are not on the globe.
fn check(lat: f64, lon: f64) -> Result<(), BorderError> {
    if !(lat.is_finite() && lat.abs() <= 90.0) {
        return Err(BorderError::BadLatitude(lat));
    }
    if !(lon.is_finite() && lon.abs() <= 180.0) {
        return Err(BorderError::BadLongitude(lon));
    }
    Ok(())
}
