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
//! How: distances are ranked by straight-line (chord) distance between Earth-centred (ECEF) points on the
//! WGS84 ellipsoid, which orders border points almost exactly as geodesic distance does. Over the border's
//! surroundings a lazily filled lon/lat grid lists, per cell, the few chunks of consecutive segments that
//! can hold the nearest segment of any point in the cell (module `grid`); elsewhere an R-tree of points sampled
//! every 250 m along the border bounds the search. The chord-nearest point of the nearest segment is then
//! measured once on the ellipsoid with GeographicLib (Karney's geodesic inverse). Segments are short
//! (hundreds of metres), so a segment's chord, its geodesic and its straight line in lon/lat agree to well
//! under a metre.
//! Countries come from indexed point-in-polygon tests ([`polygon::PolygonIndex`]).

pub mod band_edges;
pub mod derive;
mod grid;
pub mod places;
pub mod points;
pub mod polygon;

use geographiclib_rs::{Geodesic, InverseGeodesic};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;

use crate::gazetteer::Boundaries;
pub use crate::gazetteer::LatLon;
use polygon::PolygonIndex;

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
    /// The geodesic distance to `nearest_border` in metres, unsigned and unrounded (NaN when not measured):
    /// kept with [`Measurement::azimuth_deg`] so a leader line can follow the geodesic without solving it again.
    #[serde(skip)]
    pub geodesic_m: f64,
    /// Azimuth of that geodesic at the point, degrees clockwise from north (NaN when not measured).
    #[serde(skip)]
    pub azimuth_deg: f64,
}

/// A solved geodesic from a point: its length and its azimuth there.
#[derive(Debug, Clone, Copy)]
struct Geodesic12 {
    metres: f64,
    azimuth_deg: f64,
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

/// Spacing (km) of the border samples in the R-tree.
const SAMPLE_KM: f64 = 0.25;

/// Spatial indexes over the border line and the country polygons.
pub struct BorderIndex {
    /// Points along the border at most [`SAMPLE_KM`] apart (ECEF km), each with its segment's index.
    samples: RTree<GeomWithData<[f64; 3], u32>>,
    /// Segment ends, lat/lon degrees.
    segments: Vec<[LatLon; 2]>,
    /// The same segments in ECEF km (start, end − start, squared length), so a query needs no trigonometry
    /// per candidate.
    segments_ecef: Vec<SegmentEcef>,
    /// The fast path of the nearest-segment search (see [`grid`]); the R-tree serves points outside it.
    grid: grid::ChunkGrid,
    ukraine: PolygonIndex,
    russia: PolygonIndex,
    belarus: PolygonIndex,
    /// Union of the polygons' bounding boxes (min lon, min lat, max lon, max lat).
    coverage: [f64; 4],
    geodesic: Geodesic,
    /// [`places::fingerprint`] of the boundaries indexed, to match stored place measurements against.
    fingerprint: u64,
}

/// A border segment in ECEF km, ready for nearest-point queries.
#[derive(Debug, Clone, Copy)]
struct SegmentEcef {
    a: [f64; 3],
    ab: [f64; 3],
    /// 1 / |ab|² (0 for a degenerate segment), so a query multiplies instead of dividing.
    inv_len2: f64,
}

impl SegmentEcef {
    fn new(a: [f64; 3], b: [f64; 3]) -> SegmentEcef {
        let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
        let len2 = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
        SegmentEcef { a, ab, inv_len2: if len2 > 0.0 { 1.0 / len2 } else { 0.0 } }
    }

    /// The point of the segment nearest to `p`: (its squared distance in km², its position 0..1 along the
    /// segment). Squared, so that comparisons need no square root.
    #[inline]
    fn foot2(&self, p: [f64; 3]) -> (f64, f64) {
        let (a, ab) = (self.a, self.ab);
        let ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
        let t = ((ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) * self.inv_len2).clamp(0.0, 1.0);
        let d = [ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2]];
        (d[0] * d[0] + d[1] * d[1] + d[2] * d[2], t)
    }

    /// [`SegmentEcef::foot2`] with the distance itself (km).
    #[inline]
    fn foot(&self, p: [f64; 3]) -> (f64, f64) {
        let (d2, t) = self.foot2(p);
        (d2.sqrt(), t)
    }
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

/// Geodesic distance (km) between two points on the WGS84 ellipsoid (GeographicLib's inverse problem).
///
/// ```
/// // One degree of latitude at the equator: 110.574 km on WGS84 (a published figure).
/// let km = incimap::border::geodesic_km(0.0, 30.0, 1.0, 30.0);
/// assert!((km - 110.574).abs() < 0.001, "{km}");
/// ```
pub fn geodesic_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let metres: f64 = Geodesic::wgs84().inverse(lat1, lon1, lat2, lon2);
    metres / 1000.0
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
        // The four indexes are independent: build them on all cores (a one-shot run pays for them).
        let ((samples, (segments_ecef, grid)), (ukraine, (russia, (belarus, fingerprint)))) = rayon::join(
            || rayon::join(|| sample_tree(&segments), || segment_grid(&segments)),
            || {
                rayon::join(
                    || PolygonIndex::new(&boundaries.ukraine),
                    || {
                        rayon::join(
                            || PolygonIndex::new(&boundaries.russia),
                            || (PolygonIndex::new(&boundaries.belarus), places::fingerprint(boundaries)),
                        )
                    },
                )
            },
        );
        let mut coverage = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for b in [ukraine.bbox(), russia.bbox(), belarus.bbox()] {
            coverage = [coverage[0].min(b[0]), coverage[1].min(b[1]), coverage[2].max(b[2]), coverage[3].max(b[3])];
        }
        BorderIndex {
            samples,
            segments,
            segments_ecef,
            grid,
            ukraine,
            russia,
            belarus,
            coverage,
            geodesic: Geodesic::wgs84(),
            fingerprint,
        }
    }

    /// Measure one point: signed geodesic distance to the border, the nearest border point, and the country.
    pub fn measure(&self, lat: f64, lon: f64) -> Result<Measurement, BorderError> {
        check(lat, lon)?;
        let (geodesic, nearest) = self.nearest(lat, lon)?;
        Ok(places::measurement_from_parts(geodesic.metres, geodesic.azimuth_deg, nearest, self.country(lat, lon)))
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

    /// The geodesic to the border's nearest point, and that point.
    fn nearest(&self, lat: f64, lon: f64) -> Result<(Geodesic12, LatLon), BorderError> {
        let p = ecef(lat, lon);
        if let Some((_, index, t)) = self.grid.nearest(&self.segments_ecef, lat, lon, p) {
            if index == u32::MAX {
                return Err(BorderError::NoBorder);
            }
            let point = self.point_on_segment(index, t);
            return Ok((self.geodesic_to(lat, lon, point), point));
        }
        // The nearest sample v bounds the answer: the nearest border point X lies within SAMPLE_KM / 2 of a
        // sample q of its segment, and |pq| <= |pX| + SAMPLE_KM / 2 <= |pv| + SAMPLE_KM / 2. So the segments
        // of the samples within that radius hold X; the nearest point of each is found on its chord.
        let Some(v) = self.samples.nearest_neighbor(p) else {
            return Err(BorderError::NoBorder);
        };
        let radius = chord_km(*v.geom(), p) + SAMPLE_KM / 2.0 + 1e-6;
        let mut best_chord = f64::INFINITY;
        let mut best_point = LatLon { lat: f64::NAN, lon: f64::NAN };
        let mut last_segment = u32::MAX;
        for sample in self.samples.locate_within_distance(p, radius * radius) {
            // Samples of one segment are usually reported together; re-measuring a segment is harmless.
            if sample.data == last_segment {
                continue;
            }
            last_segment = sample.data;
            let (d, point) = self.nearest_on_segment(p, sample.data);
            if d < best_chord {
                best_chord = d;
                best_point = point;
            }
        }
        // One ellipsoidal measurement, to the point nearest by chord. Chord and geodesic rank directions
        // alike up to about c²/24 · 2e²cos²φ / R² of the distance (≈ 1 m at 500 km, from the spread of the
        // ellipsoid's curvature between directions), well inside the 10 m the measure promises.
        Ok((self.geodesic_to(lat, lon, best_point), best_point))
    }

    /// The point of segment `index` nearest to `p` by chord distance: (that distance in km, the point).
    #[inline]
    fn nearest_on_segment(&self, p: [f64; 3], index: u32) -> (f64, LatLon) {
        let (d, t) = self.segments_ecef[index as usize].foot(p);
        (d, self.point_on_segment(index, t))
    }

    /// The point at position `t` (0..1) along segment `index`; segments are short, so the chord's
    /// parameter and the straight lon/lat line's agree to well under a metre.
    #[inline]
    fn point_on_segment(&self, index: u32, t: f64) -> LatLon {
        let [sa, sb] = self.segments[index as usize];
        if t == 0.0 {
            sa
        } else if t == 1.0 {
            sb
        } else {
            LatLon { lat: sa.lat + t * (sb.lat - sa.lat), lon: sa.lon + t * (sb.lon - sa.lon) }
        }
    }

    #[inline]
    fn geodesic_to(&self, lat: f64, lon: f64, to: LatLon) -> Geodesic12 {
        // The azimuth costs little beside the distance, and spares leader lines a second inverse.
        let (metres, azimuth_deg, _azi2, _a12): (f64, f64, f64, f64) = self.geodesic.inverse(lat, lon, to.lat, to.lon);
        Geodesic12 { metres, azimuth_deg }
    }

    /// Whether the point lies in the area the country polygons cover (their joint bounding box).
    pub fn covers(&self, lat: f64, lon: f64) -> bool {
        let c = &self.coverage;
        lon >= c[0] && lon <= c[2] && lat >= c[1] && lat <= c[3]
    }

    /// [`places::fingerprint`] of the boundaries this index was built from.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Number of segments in the indexed border line (0 when the gazetteer has none).
    pub fn segment_count(&self) -> usize {
        self.segments.len()
    }
}

/// An R-tree of points along every segment, dense enough that a segment's nearest point to any query is
/// within SAMPLE_KM / 2 of a sample (see `BorderIndex::nearest`).
fn sample_tree(segments: &[[LatLon; 2]]) -> RTree<GeomWithData<[f64; 3], u32>> {
    let mut samples = Vec::new();
    for (i, [a, b]) in segments.iter().enumerate() {
        let (ea, eb) = (ecef(a.lat, a.lon), ecef(b.lat, b.lon));
        let n = (chord_km(ea, eb) / SAMPLE_KM).ceil().max(1.0) as usize;
        for k in 0..=n {
            let t = k as f64 / n as f64;
            samples.push(GeomWithData::new(ecef(a.lat + t * (b.lat - a.lat), a.lon + t * (b.lon - a.lon)), i as u32));
        }
    }
    RTree::bulk_load(samples)
}

/// The segments in ECEF and the chunk grid over them.
fn segment_grid(segments: &[[LatLon; 2]]) -> (Vec<SegmentEcef>, grid::ChunkGrid) {
    let segments_ecef: Vec<SegmentEcef> =
        segments.iter().map(|[a, b]| SegmentEcef::new(ecef(a.lat, a.lon), ecef(b.lat, b.lon))).collect();
    let grid = grid::ChunkGrid::new(&segments_ecef);
    (segments_ecef, grid)
}

/// Straight-line distance (km) between two ECEF points.
#[inline]
fn chord_km(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
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
