//! Distance bands from the land border on the non-Ukrainian side, as polygons.
//!
//! Construction: the border and Ukraine are projected into an azimuthal-equidistant projection on the
//! WGS84 ellipsoid centred on the border (forward and inverse by GeographicLib's geodesic inverse and
//! direct problems, so the projection itself is exact: a point's distance and azimuth from the centre are
//! the geodesic ones). In that plane the border is buffered (round joins) and Ukraine subtracted; the
//! result is mapped back point by point. Distances between points other than the centre are slightly
//! stretched across the radial direction — by a factor of about 1 + s²/6R² at distance s from the centre,
//! i.e. under 0.3 % at the 800 km the default bands reach — so a band edge lies within
//! [`stated_error_km`] of its nominal distance. `tests/map_layers.rs` measures the real error against
//! geodesic distances computed independently.

use geo::algorithm::buffer::{BufferStyle, LineCap, LineJoin};
use geo::{
    BooleanOps, Buffer, Coord, LineString, MapCoords, MultiLineString, MultiPolygon, Orient, Polygon, Rect, Simplify,
    orient::Direction,
};
use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
use rayon::prelude::*;

pub use crate::gazetteer::Band;
use crate::gazetteer::Boundaries;

/// The default band edges, km: 0–10, 10–25, 25–50, 50–100, 100–250.
pub const DEFAULT_EDGES_KM: [f64; 6] = [0.0, 10.0, 25.0, 50.0, 100.0, 250.0];

/// How far a chord of a buffer's round join may fall inside the true arc at band edge `d` km: 0.02 %
/// of `d`, between 5 and 50 m.
pub fn arc_tolerance_km(d: f64) -> f64 {
    (d * 2e-4).clamp(0.005, 0.05)
}

/// How far the border may be simplified (Douglas–Peucker, in the projected plane) before buffering at
/// `d` km: 0.25 % of `d`, between 5 m and 1 km. Buffer cost grows with the border's vertices and `d`.
pub fn simplify_tolerance_km(d: f64) -> f64 {
    (d * 2.5e-3).clamp(0.005, 1.0)
}

/// The stated bound on how far a band edge at `d_km` lies from its nominal distance, km, for a point
/// `reach_km` from the projection centre: the projection's cross-radial stretch plus the arc tolerance.
pub fn stated_error_km(d_km: f64, reach_km: f64) -> f64 {
    let r = 6371.0;
    d_km * (reach_km / r).powi(2) / 6.0 + arc_tolerance_km(d_km) + simplify_tolerance_km(d_km)
}

/// An azimuthal-equidistant projection on the WGS84 ellipsoid, km.
pub struct Aeqd {
    lat0: f64,
    lon0: f64,
    geod: Geodesic,
}

impl Aeqd {
    /// Centred on `center` (lon/lat).
    pub fn new(center: Coord<f64>) -> Aeqd {
        Aeqd { lat0: center.y, lon0: center.x, geod: Geodesic::wgs84() }
    }

    /// lon/lat → x east, y north, km.
    pub fn forward(&self, c: Coord<f64>) -> Coord<f64> {
        let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = self.geod.inverse(self.lat0, self.lon0, c.y, c.x);
        let (sin, cos) = azi1.to_radians().sin_cos();
        Coord { x: s12 / 1000.0 * sin, y: s12 / 1000.0 * cos }
    }

    /// x, y km → lon/lat.
    pub fn inverse(&self, c: Coord<f64>) -> Coord<f64> {
        let s = c.x.hypot(c.y) * 1000.0;
        let azi = c.x.atan2(c.y).to_degrees();
        let (lat, lon): (f64, f64) = self.geod.direct(self.lat0, self.lon0, azi, s);
        Coord { x: lon, y: lat }
    }
}

/// Why bands could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BandError {
    #[error("the gazetteer has no land border line to measure bands from")]
    NoBorder,
    #[error("band {from}–{to} km came out invalid: {why}")]
    Invalid { from: f64, to: f64, why: String },
}

/// The centre of the border's bounding box (the projection centre).
pub fn border_center(border: &MultiLineString<f64>) -> Option<Coord<f64>> {
    let mut b = super::json::BBox::EMPTY;
    for c in border.0.iter().flat_map(|l| l.coords()) {
        b.add(c.x, c.y);
    }
    (!b.is_empty()).then(|| Coord { x: (b.west + b.east) / 2.0, y: (b.south + b.north) / 2.0 })
}

/// Build the bands between consecutive `edges` (km, ascending, see [`crate::border::band_edges::parse`]) on the
/// non-Ukrainian side of `boundaries.land_border`.
pub fn build(boundaries: &Boundaries, edges: &[f64]) -> Result<Vec<Band>, BandError> {
    let border = &boundaries.land_border;
    let center = border_center(border).ok_or(BandError::NoBorder)?;
    let max_km = edges.last().copied().unwrap_or(0.0);
    let proj = Aeqd::new(center);

    let border_xy = MultiLineString::new(border.0.iter().map(|l| project_line(&proj, l)).collect());
    let ukraine_xy = project_polygons(&proj, &clip_near(&without_holes(&boundaries.ukraine), border, max_km));

    // Buffers of the border at each edge (the costly part: one per core), then rings between
    // consecutive buffers, then Ukraine cut out. Cutting Ukraine from each ring (not from each buffer)
    // keeps every overlay's inputs free of near-coincident edges, which would leave slivers.
    let buffers: Vec<MultiPolygon<f64>> = edges.par_iter().map(|&d| buffer_km(&border_xy, d)).collect();
    let rings: Vec<(usize, MultiPolygon<f64>)> = (0..edges.len().saturating_sub(1))
        .into_par_iter()
        .map(|i| {
            let ring =
                if buffers[i].0.is_empty() { buffers[i + 1].clone() } else { buffers[i + 1].difference(&buffers[i]) };
            (i, drop_slivers(ring.difference(&ukraine_xy)))
        })
        .collect();
    let mut bands = Vec::with_capacity(rings.len());
    for (i, ring_xy) in rings {
        let area = unproject_polygons(&proj, &ring_xy).orient(Direction::Default);
        bands.push(Band { from_km: edges[i], to_km: edges[i + 1], area });
    }
    Ok(bands)
}

/// The bands cut to Russia's territory (`russia`, `Boundaries::russia`): a band is everything outside Ukraine
/// within its distances, Belarus and the sea included; the layers and the page draw only its part on
/// Russian land, where the incidents it frames are. Pieces under [`LAND_SPECK_KM2`] are dropped, and the
/// result is made valid as written (see [`valid_when_written`]). An empty `russia` (a gazetteer without it)
/// leaves the bands whole. About 70 ms of CPU for the default bands; `tests/map_layers.rs` checks that the
/// result lies within Russia.
pub fn clip_to_land(bands: Vec<Band>, russia: &MultiPolygon<f64>) -> Vec<Band> {
    if russia.0.is_empty() {
        return bands;
    }
    let big = |ring: &LineString<f64>| approx_area_km2(ring) >= LAND_SPECK_KM2;
    bands
        .into_par_iter()
        .map(|b| {
            let area = b.area.intersection(russia);
            let area = MultiPolygon::new(
                area.0
                    .into_iter()
                    .filter(|p| big(p.exterior()))
                    .map(|p| {
                        let (exterior, holes) = p.into_inner();
                        Polygon::new(exterior, holes.into_iter().filter(|h| big(h)).collect())
                    })
                    .collect(),
            );
            Band { area: valid_when_written(area).orient(Direction::Default), ..b }
        })
        .collect()
}

/// Rounds of re-noding [`valid_when_written`] tries before it gives up (the band is then reported invalid,
/// as any band the checks refuse).
const RENODE_ROUNDS: usize = 3;

/// `mp` with its coordinates rounded as the layers write them (6 decimals), and valid so: where rounding
/// makes a ring touch itself or another (the cut runs along the border, where Russia's edge and the band's
/// own edge nearly coincide), the rounded polygons are noded again by a union (OGC output: a pinched ring
/// becomes two polygons), whose new vertices are rounded in turn.
pub fn valid_when_written(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    let round = |mp: &MultiPolygon<f64>| {
        let mut r = mp.map_coords(|c| Coord { x: super::json::round_coord(c.x), y: super::json::round_coord(c.y) });
        // A ring needs three distinct points and its closing one.
        r.0 = std::mem::take(&mut r.0)
            .into_iter()
            .map(|p| {
                let (mut exterior, holes) = p.into_inner();
                exterior.0.dedup();
                let holes = holes
                    .into_iter()
                    .map(|mut h| {
                        h.0.dedup();
                        h
                    })
                    .filter(|h| h.0.len() >= 4)
                    .collect();
                Polygon::new(exterior, holes)
            })
            .collect();
        r.0.retain(|p| p.exterior().0.len() >= 4);
        r
    };
    let mut m = round(&mp);
    for _ in 0..RENODE_ROUNDS {
        if super::validity::check_multipolygon(&m).is_ok() {
            break;
        }
        m = round(&geo::unary_union(m.0.iter()));
    }
    m
}

/// A ring's area, km², in lon/lat degrees scaled at its mean latitude: within a few per cent for the small
/// rings it is asked about (a geodesic area costs one ellipsoidal inverse per vertex; the bands have
/// thousands).
fn approx_area_km2(ring: &LineString<f64>) -> f64 {
    use geo::Area;
    let n = ring.0.len().max(1) as f64;
    let lat = ring.0.iter().map(|c| c.y).sum::<f64>() / n;
    let km_per_deg = 111.32;
    Polygon::new(ring.clone(), vec![]).unsigned_area() * km_per_deg * km_per_deg * lat.to_radians().cos()
}

/// Pieces of a band cut to land under this area, km², are dropped: islets and sandbars of the coast (a few
/// hundred metres across, invisible at a band's scale), some of which are no longer valid polygons once
/// their coordinates are rounded to the 6 decimals the layers write.
pub const LAND_SPECK_KM2: f64 = 0.5;

/// Check a band with geo's OGC validity rules ([`super::validity`]) (after the 6-decimal rounding the writer applies).
pub fn validate(band: &Band) -> Result<(), BandError> {
    let rounded =
        band.area.map_coords(|c| Coord { x: super::json::round_coord(c.x), y: super::json::round_coord(c.y) });
    // geo's own check, with its quadratic ring test replaced by an indexed one (same first error).
    match super::validity::check_multipolygon(&rounded) {
        Ok(()) => Ok(()),
        Err(e) => Err(BandError::Invalid { from: band.from_km, to: band.to_km, why: e.to_string() }),
    }
}

/// The buffer of the projected border at `d` km: the line is simplified by a tolerance that grows
/// with `d` (the result moves by at most that much), and round joins are cut finely enough that a chord
/// stays within [`arc_tolerance_km`] of the arc.
fn buffer_km(border_xy: &MultiLineString<f64>, d: f64) -> MultiPolygon<f64> {
    if d <= 0.0 {
        return MultiPolygon::new(vec![]);
    }
    let line = border_xy.simplify(simplify_tolerance_km(d));
    let angle = 2.0 * (1.0 - arc_tolerance_km(d) / d).max(-1.0).acos();
    line.buffer_with_style(BufferStyle::new(d).line_join(LineJoin::Round(angle)).line_cap(LineCap::Round(angle)))
}

/// Polygons and holes under this area (km²) are overlay debris: zero-width slivers where two edges
/// nearly coincide.
const SLIVER_KM2: f64 = 1e-3;

fn drop_slivers(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::Area;
    let big = |ring: &LineString<f64>| Polygon::new(ring.clone(), vec![]).unsigned_area() >= SLIVER_KM2;
    MultiPolygon::new(
        mp.0.into_iter()
            .filter(|p| big(p.exterior()))
            .map(|p| {
                let (ext, holes) = p.into_inner();
                let holes = holes.into_iter().filter(|h| big(h)).collect();
                Polygon::new(ext, holes)
            })
            .collect(),
    )
}

/// The polygons' outer rings only: the source draws lakes and reservoirs as holes, which are still
/// Ukraine's territory and must not become bands.
fn without_holes(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon::new(mp.0.iter().map(|p| Polygon::new(p.exterior().clone(), vec![])).collect())
}

fn project_line(proj: &Aeqd, l: &LineString<f64>) -> LineString<f64> {
    l.coords().map(|&c| proj.forward(c)).collect()
}

fn project_polygons(proj: &Aeqd, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.map_coords(|c| proj.forward(c))
}

fn unproject_polygons(proj: &Aeqd, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.map_coords(|c| proj.inverse(c))
}

/// The part of `area` within a generous lon/lat box around the border grown by `km` (cuts the work of
/// projecting all of Ukraine; nothing within `km` of the border is dropped).
fn clip_near(area: &MultiPolygon<f64>, border: &MultiLineString<f64>, km: f64) -> MultiPolygon<f64> {
    let mut b = super::json::BBox::EMPTY;
    for c in border.0.iter().flat_map(|l| l.coords()) {
        b.add(c.x, c.y);
    }
    if b.is_empty() {
        return area.clone();
    }
    // 110.5 km is the shortest degree of latitude; longitude degrees shrink with cos(lat).
    let dlat = km / 110.5 + 0.5;
    let north = (b.north + dlat).min(89.0);
    let dlon = km / (111.0 * north.to_radians().cos().max(0.05)) + 0.5;
    let rect = Rect::new(Coord { x: b.west - dlon, y: b.south - dlat }, Coord { x: b.east + dlon, y: north });
    let rect = MultiPolygon::new(vec![Polygon::from(rect)]);
    area.intersection(&rect)
}
