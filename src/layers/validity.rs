//! OGC validity of the band polygons, as geo's [`Validation`](geo::Validation) checks it, with the ring
//! self-intersection test indexed: geo compares every segment of a ring with every other (O(n²), about
//! 0.7 s for the default bands); here an R-tree of segment boxes pairs only segments whose boxes meet. The
//! other checks are geo's own, in geo's order, so the first error reported is the one geo reports.

use geo::algorithm::validation::{CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    HasDimensions, Intersects, Line, LineString, MultiPolygon, Polygon, PreparedGeometry, Relate, RemoveRepeatedPoints,
};
use rstar::{AABB, RTree, RTreeObject};

/// The first reason `mp` is invalid, exactly as `mp.check_validation()` gives it.
pub fn check_multipolygon(mp: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    for (i, polygon) in mp.0.iter().enumerate() {
        check_polygon(polygon).map_err(|e| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))?;
        for (j, other) in mp.0.iter().enumerate().skip(i + 1) {
            let im = polygon.relate(other);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidMultiPolygon::ElementsOverlaps(GeometryIndex(i), GeometryIndex(j)));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidMultiPolygon::ElementsTouchOnALine(GeometryIndex(i), GeometryIndex(j)));
            }
        }
    }
    Ok(())
}

/// The first reason `polygon` is invalid, exactly as `polygon.check_validation()` gives it.
pub fn check_polygon(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
    if polygon.is_empty() {
        return Ok(());
    }
    for (ring_idx, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
        if ring.0.is_empty() {
            continue;
        }
        let role = if ring_idx == 0 { RingRole::Exterior } else { RingRole::Interior(ring_idx - 1) };
        if ring.remove_repeated_points().0.len() < 4 {
            return Err(InvalidPolygon::TooFewPointsInRing(role));
        }
        if ring_self_intersects(ring) {
            return Err(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(k) = ring.0.iter().position(|c| !(c.x.is_finite() && c.y.is_finite())) {
            return Err(InvalidPolygon::NonFiniteCoord(role, CoordIndex(k)));
        }
    }

    if !polygon.interiors().iter().any(|r| !r.0.is_empty()) {
        return Ok(());
    }
    // Rings against each other: geo's checks as geo makes them.
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let prepared_exterior = PreparedGeometry::from(&exterior);
    for (i1, interior_1) in polygon.interiors().iter().enumerate() {
        if interior_1.0.is_empty() {
            continue;
        }
        let role_1 = RingRole::Interior(i1);
        let as_polygon_1 = Polygon::new(interior_1.clone(), vec![]);
        let prepared_1 = PreparedGeometry::from(&as_polygon_1);
        let exterior_vs_1 = prepared_exterior.relate(&prepared_1);
        if !exterior_vs_1.is_contains() {
            return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role_1));
        }
        if exterior_vs_1.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
            return Err(InvalidPolygon::IntersectingRingsOnALine(RingRole::Exterior, role_1));
        }
        for (i2, interior_2) in polygon.interiors().iter().enumerate().skip(i1 + 1) {
            if interior_2.0.is_empty() {
                continue;
            }
            let role_2 = RingRole::Interior(i2);
            let im = prepared_1.relate(&Polygon::new(interior_2.clone(), vec![]));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnAnArea(role_1, role_2));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(role_1, role_2));
            }
        }
    }
    Ok(())
}

/// A segment of a ring, boxed for the R-tree.
struct Segment {
    index: usize,
    line: Line<f64>,
}

impl RTreeObject for Segment {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.line.start.x, self.line.start.y], [self.line.end.x, self.line.end.y])
    }
}

/// Whether two segments of `ring` meet other than where consecutive segments share their end: geo's rule
/// (any pair `i != j` that intersects, unless one's start is the other's end), tested only on pairs whose
/// boxes meet, which every intersecting pair's do.
fn ring_self_intersects(ring: &LineString<f64>) -> bool {
    let conflict = |a: &Line<f64>, b: &Line<f64>| a.intersects(b) && a.start != b.end && a.end != b.start;
    // Boxes of non-finite coordinates are meaningless: compare all pairs, as geo does.
    if ring.0.iter().any(|c| !(c.x.is_finite() && c.y.is_finite())) {
        let lines: Vec<Line<f64>> = ring.lines().collect();
        return lines.iter().enumerate().any(|(i, a)| lines.iter().enumerate().any(|(j, b)| i != j && conflict(a, b)));
    }
    let tree = RTree::bulk_load(ring.lines().enumerate().map(|(index, line)| Segment { index, line }).collect());
    ring.lines().enumerate().any(|(i, a)| {
        let envelope = Segment { index: i, line: a }.envelope();
        // The relation is symmetric in the pair, so each unordered pair needs testing once.
        tree.locate_in_envelope_intersecting(envelope)
            .any(|b| b.index > i && (conflict(&a, &b.line) || conflict(&b.line, &a)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Validation, polygon};

    fn same_as_geo(mp: &MultiPolygon<f64>) {
        assert_eq!(check_multipolygon(mp), mp.check_validation(), "{mp:?}");
        for p in &mp.0 {
            assert_eq!(check_polygon(p), p.check_validation(), "{p:?}");
        }
    }

    #[test]
    fn agrees_with_geo_on_valid_and_invalid_polygons() {
        let square = polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)];
        let holed = Polygon::new(
            square.exterior().clone(),
            vec![LineString::from(vec![(1., 1.), (2., 1.), (2., 2.), (1., 2.), (1., 1.)])],
        );
        let bowtie = polygon![(x: 0., y: 0.), (x: 2., y: 2.), (x: 2., y: 0.), (x: 0., y: 2.)];
        let spike =
            polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 4., y: 4.), (x: 4., y: 6.), (x: 4., y: 4.), (x: 0., y: 4.)];
        let touching_itself =
            polygon![(x: 0., y: 0.), (x: 4., y: 0.), (x: 2., y: 2.), (x: 4., y: 4.), (x: 0., y: 4.), (x: 2., y: 2.)];
        let too_few = polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 0.)];
        let hole_outside = Polygon::new(
            square.exterior().clone(),
            vec![LineString::from(vec![(5., 5.), (6., 5.), (6., 6.), (5., 5.)])],
        );
        let holes_overlap = Polygon::new(
            square.exterior().clone(),
            vec![
                LineString::from(vec![(1., 1.), (3., 1.), (3., 3.), (1., 1.)]),
                LineString::from(vec![(1., 1.), (3., 1.), (3., 3.), (1., 1.)]),
            ],
        );
        let nan = polygon![(x: 0., y: 0.), (x: f64::NAN, y: 0.), (x: 4., y: 4.), (x: 0., y: 4.)];
        let shifted = polygon![(x: 2., y: 2.), (x: 6., y: 2.), (x: 6., y: 6.), (x: 2., y: 6.)];
        let beside = polygon![(x: 4., y: 0.), (x: 8., y: 0.), (x: 8., y: 4.), (x: 4., y: 4.)];
        let far = polygon![(x: 10., y: 10.), (x: 12., y: 10.), (x: 12., y: 12.)];
        for mp in [
            vec![square.clone()],
            vec![holed.clone(), far.clone()],
            vec![bowtie],
            vec![far.clone(), spike],
            vec![touching_itself],
            vec![too_few],
            vec![hole_outside],
            vec![holes_overlap],
            vec![nan],
            vec![square.clone(), shifted],
            vec![square.clone(), beside],
            vec![],
        ] {
            same_as_geo(&MultiPolygon::new(mp));
        }
        assert!(check_multipolygon(&MultiPolygon::new(vec![holed, far])).is_ok());
    }

    #[test]
    fn agrees_with_geo_on_a_long_ring() {
        // A star with many points, then with one point moved across the ring.
        let mut pts: Vec<(f64, f64)> = (0..400)
            .map(|k| {
                let a = k as f64 * std::f64::consts::TAU / 400.0;
                let r = if k % 2 == 0 { 10.0 } else { 7.0 };
                (r * a.cos(), r * a.sin())
            })
            .collect();
        let valid = MultiPolygon::new(vec![Polygon::new(LineString::from(pts.clone()), vec![])]);
        same_as_geo(&valid);
        assert!(check_multipolygon(&valid).is_ok());
        pts[100] = (-9.0, 0.5);
        let crossed = MultiPolygon::new(vec![Polygon::new(LineString::from(pts), vec![])]);
        same_as_geo(&crossed);
        assert!(check_multipolygon(&crossed).is_err());
    }
}
