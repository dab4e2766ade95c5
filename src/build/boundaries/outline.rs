//! A country's territory is its outline with its inland water: the source polygons (land only) keep every
//! lake, reservoir and wide river as an interior ring, which would leave a point on the Kremenchuk reservoir
//! in no country and outside Ukraine. [`outline`] fills those rings, keeping only the holes that another
//! country's polygons cover (an enclave is that country's territory, not water), and then drops the
//! polygons that the filled ones cover (islands in a lake), so that the layer holds each area once.

use geo::{Area, BoundingRect, Coord, InteriorPoint, LineString, MultiPolygon, Polygon};

use crate::border::polygon::PolygonIndex;

/// Share of a hole that other countries' polygons must cover for it to stay a hole (an enclave). Half:
/// an enclave fills its hole but for digitising slivers, while a lake holding a foreign islet is mostly
/// water. (Such a lake is filled, and the islet then lies in both countries; the shipped polygons have
/// none: no hole of theirs meets another country's polygon.)
pub const ENCLAVE_MIN_SHARE: f64 = 0.5;

/// Points per side of the grid laid over a hole's bounding box to measure the share other countries cover
/// (only for the rare hole that another country's boundary passes through).
const SHARE_GRID: usize = 8;

/// What [`outline`] did to one country's polygons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutlineCounts {
    /// Interior rings filled: inland water.
    pub filled: usize,
    /// Interior rings kept: holes that other countries' polygons cover (enclaves).
    pub enclaves: usize,
    /// Polygons dropped because a filled polygon of the same country covers them (islands in lakes).
    pub covered: usize,
}

/// The outline of `polygons`, one country's: every interior ring filled unless the polygons of `others`
/// (the other countries, as they are read) cover at least [`ENCLAVE_MIN_SHARE`] of it, then every polygon
/// that another one of the result covers dropped.
pub fn outline(polygons: MultiPolygon<f64>, others: &[&PolygonIndex]) -> (MultiPolygon<f64>, OutlineCounts) {
    let mut counts = OutlineCounts::default();
    let filled: Vec<Polygon<f64>> = polygons.0.into_iter().map(|p| fill_holes(p, others, &mut counts)).collect();
    let (kept, covered) = drop_covered(filled);
    counts.covered = covered;
    (MultiPolygon::new(kept), counts)
}

/// `polygon` with every hole that is not an enclave filled.
fn fill_holes(polygon: Polygon<f64>, others: &[&PolygonIndex], counts: &mut OutlineCounts) -> Polygon<f64> {
    let (exterior, interiors) = polygon.into_inner();
    let mut kept = Vec::new();
    for ring in interiors {
        if covered_share(&ring, others) >= ENCLAVE_MIN_SHARE {
            counts.enclaves += 1;
            kept.push(ring);
        } else {
            counts.filled += 1;
        }
    }
    Polygon::new(exterior, kept)
}

/// The share (0..1) of the area within `ring` that lies in the polygons of `others`.
fn covered_share(ring: &LineString<f64>, others: &[&PolygonIndex]) -> f64 {
    let Some(rect) = ring.bounding_rect() else { return 0.0 };
    let (min, max) = ([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
    let near: Vec<&PolygonIndex> = others.iter().copied().filter(|o| boxes_meet(o.bbox(), min, max)).collect();
    if near.is_empty() {
        return 0.0;
    }
    // Where no other country's boundary crosses the hole's box, each covers all of the box or none of it:
    // one point tells (the usual case, and free of sampling error).
    if near.iter().all(|o| o.edges_near(min, max).next().is_none()) {
        let c = rect.center();
        return if near.iter().any(|o| o.contains(c.x, c.y)) { 1.0 } else { 0.0 };
    }
    let samples = samples_within(ring, min, max);
    if samples.is_empty() {
        return 0.0;
    }
    let covered = samples.iter().filter(|p| near.iter().any(|o| o.contains(p.x, p.y))).count();
    covered as f64 / samples.len() as f64
}

/// Whether the box `b` (min lon, min lat, max lon, max lat) meets the box from `min` to `max`.
fn boxes_meet(b: [f64; 4], min: [f64; 2], max: [f64; 2]) -> bool {
    b[0] <= max[0] && b[2] >= min[0] && b[1] <= max[1] && b[3] >= min[1]
}

/// Points spread evenly within `ring` (the centres of a [`SHARE_GRID`]² grid over its box that fall
/// inside it), or its interior point when the ring is too thin for any of them.
fn samples_within(ring: &LineString<f64>, min: [f64; 2], max: [f64; 2]) -> Vec<Coord<f64>> {
    let step = [(max[0] - min[0]) / SHARE_GRID as f64, (max[1] - min[1]) / SHARE_GRID as f64];
    let mut samples = Vec::new();
    for i in 0..SHARE_GRID {
        for j in 0..SHARE_GRID {
            let p = Coord { x: min[0] + (i as f64 + 0.5) * step[0], y: min[1] + (j as f64 + 0.5) * step[1] };
            if ring_contains(ring, p) {
                samples.push(p);
            }
        }
    }
    if samples.is_empty() {
        samples.extend(Polygon::new(ring.clone(), vec![]).interior_point().map(|p| p.0));
    }
    samples
}

/// Even-odd ray casting over one closed ring (a point on the ring may go either way).
fn ring_contains(ring: &LineString<f64>, p: Coord<f64>) -> bool {
    let mut inside = false;
    for w in ring.0.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
            inside = !inside;
        }
    }
    inside
}

/// `polygons` without those that another of them covers, and how many were dropped. Of two equal polygons
/// the first is kept. Only a larger polygon whose box holds the smaller one's is tried as its cover.
fn drop_covered(polygons: Vec<Polygon<f64>>) -> (Vec<Polygon<f64>>, usize) {
    let boxes: Vec<Option<[f64; 4]>> =
        polygons.iter().map(|p| p.bounding_rect().map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])).collect();
    let areas: Vec<f64> = polygons.iter().map(|p| p.unsigned_area()).collect();
    // Indexes of the covering candidates, built once each and only when needed (the mainland's is the big one).
    let mut indexes: Vec<Option<PolygonIndex>> = (0..polygons.len()).map(|_| None).collect();
    let mut dropped = vec![false; polygons.len()];
    for (small, small_box) in boxes.iter().enumerate() {
        let Some(sb) = small_box else { continue };
        for (large, large_box) in boxes.iter().enumerate() {
            let Some(lb) = large_box else { continue };
            let larger = areas[large] > areas[small] || (areas[large] == areas[small] && large < small);
            let holds = lb[0] <= sb[0] && lb[1] <= sb[1] && lb[2] >= sb[2] && lb[3] >= sb[3];
            if large == small || !larger || !holds {
                continue;
            }
            // An exact copy lies on its cover's boundary, where the point test may go either way: compare.
            if polygons[large] == polygons[small] {
                dropped[small] = true;
                break;
            }
            let index = indexes[large]
                .get_or_insert_with(|| PolygonIndex::new(&MultiPolygon::new(vec![polygons[large].clone()])));
            if covers(index, &polygons[small], *sb) {
                dropped[small] = true;
                break;
            }
        }
    }
    let count = dropped.iter().filter(|&&d| d).count();
    let kept = polygons.into_iter().zip(dropped).filter_map(|(p, d)| (!d).then_some(p)).collect();
    (kept, count)
}

/// Whether the polygon indexed by `cover` covers `inner` (whose box is `inner_box`): every vertex of
/// `inner`'s outer ring lies inside it, and none of its boundary crosses that ring or lies within it.
/// A polygon touching the cover's boundary may be judged uncovered, and is then kept: harmless.
fn covers(cover: &PolygonIndex, inner: &Polygon<f64>, inner_box: [f64; 4]) -> bool {
    let ring = inner.exterior();
    if !ring.0.iter().all(|c| cover.contains(c.x, c.y)) {
        return false;
    }
    let (min, max) = ([inner_box[0], inner_box[1]], [inner_box[2], inner_box[3]]);
    cover.edges_near(min, max).all(|e| {
        let (a, b) = (Coord { x: e.a[0], y: e.a[1] }, Coord { x: e.b[0], y: e.b[1] });
        !ring_contains(ring, a) && !ring_contains(ring, b) && !ring.lines().any(|l| crosses(a, b, l.start, l.end))
    })
}

/// Whether segments ab and cd cross at a point inside both (touching does not count).
fn crosses(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> bool {
    let orient = |p: Coord<f64>, q: Coord<f64>, r: Coord<f64>| (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    o1 * o2 < 0.0 && o3 * o4 < 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed ring of the box from (x0, y0) to (x1, y1).
    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> LineString<f64> {
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
    }

    fn country(polygons: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
        MultiPolygon::new(polygons)
    }

    /// A land of 10 × 10 degrees with a lake from 4 to 6.
    fn land_with_lake() -> Polygon<f64> {
        Polygon::new(square(0.0, 0.0, 10.0, 10.0), vec![square(4.0, 4.0, 6.0, 6.0)])
    }

    #[test]
    fn a_lake_is_filled() {
        let none = PolygonIndex::new(&country(vec![]));
        let (out, counts) = outline(country(vec![land_with_lake()]), &[&none]);
        assert_eq!(counts, OutlineCounts { filled: 1, enclaves: 0, covered: 0 });
        assert_eq!(out.0.len(), 1);
        assert!(out.0[0].interiors().is_empty());
        assert_eq!(out.0[0].exterior(), &square(0.0, 0.0, 10.0, 10.0));
        // The lake's area is now land: 100 square degrees, not 96.
        assert_eq!(out.unsigned_area(), 100.0);
    }

    #[test]
    fn a_hole_that_another_country_fills_is_kept() {
        // The other country's polygon is exactly the hole (its boundary runs along the hole's box, so the
        // share is sampled), or larger than it (no boundary in the box: one point decides).
        for enclave in [square(4.0, 4.0, 6.0, 6.0), square(3.0, 3.0, 7.0, 7.0)] {
            let other = PolygonIndex::new(&country(vec![Polygon::new(enclave.clone(), vec![])]));
            let (out, counts) = outline(country(vec![land_with_lake()]), &[&other]);
            assert_eq!(counts, OutlineCounts { filled: 0, enclaves: 1, covered: 0 }, "{enclave:?}");
            assert_eq!(out.0[0].interiors(), &[square(4.0, 4.0, 6.0, 6.0)]);
        }
    }

    #[test]
    fn a_lake_with_a_small_foreign_islet_is_still_filled() {
        // An islet of 0.25 × 0.25 in a 2 × 2 lake covers 1/64 of it, far below half.
        let islet = PolygonIndex::new(&country(vec![Polygon::new(square(4.9, 4.9, 5.15, 5.15), vec![])]));
        let (out, counts) = outline(country(vec![land_with_lake()]), &[&islet]);
        assert_eq!(counts, OutlineCounts { filled: 1, enclaves: 0, covered: 0 });
        assert!(out.0[0].interiors().is_empty());
    }

    #[test]
    fn an_island_in_a_filled_lake_is_dropped_as_covered() {
        let none = PolygonIndex::new(&country(vec![]));
        let island = Polygon::new(square(4.5, 4.5, 5.5, 5.5), vec![]);
        let elsewhere = Polygon::new(square(20.0, 0.0, 21.0, 1.0), vec![]);
        let (out, counts) = outline(country(vec![island, land_with_lake(), elsewhere.clone()]), &[&none]);
        assert_eq!(counts, OutlineCounts { filled: 1, enclaves: 0, covered: 1 });
        assert_eq!(out.0, vec![Polygon::new(square(0.0, 0.0, 10.0, 10.0), vec![]), elsewhere]);
    }

    #[test]
    fn an_island_in_a_kept_enclave_is_not_covered() {
        // The enclave (another country's) surrounds a lake, and in that lake lies an island of the first
        // country: it is not within the first country's outline, so it stays.
        let enclave = Polygon::new(square(4.0, 4.0, 6.0, 6.0), vec![square(4.8, 4.8, 5.2, 5.2)]);
        let other = PolygonIndex::new(&country(vec![enclave]));
        let island = Polygon::new(square(4.9, 4.9, 5.1, 5.1), vec![]);
        let (out, counts) = outline(country(vec![land_with_lake(), island.clone()]), &[&other]);
        assert_eq!(counts, OutlineCounts { filled: 0, enclaves: 1, covered: 0 });
        assert_eq!(out.0.len(), 2);
        assert_eq!(out.0[1], island);
    }

    #[test]
    fn polygons_that_overlap_without_being_covered_stay() {
        let none = PolygonIndex::new(&country(vec![]));
        // A U open to the north, and a bar across its two arms: every corner of the bar lies in the U, but
        // the U's inner edges cross the bar, whose middle lies over the gap.
        let u = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (10.0, 0.0),
                (10.0, 10.0),
                (7.0, 10.0),
                (7.0, 3.0),
                (3.0, 3.0),
                (3.0, 10.0),
                (0.0, 10.0),
                (0.0, 0.0),
            ]),
            vec![],
        );
        let bar = Polygon::new(square(1.0, 6.0, 9.0, 7.0), vec![]);
        // A polygon sticking out of the U's east side.
        let spur = Polygon::new(square(9.0, 1.0, 12.0, 2.0), vec![]);
        let (out, counts) = outline(country(vec![u, bar, spur]), &[&none]);
        assert_eq!(counts.covered, 0);
        assert_eq!(out.0.len(), 3);
    }

    #[test]
    fn of_two_equal_polygons_one_is_kept() {
        let none = PolygonIndex::new(&country(vec![]));
        let p = Polygon::new(square(0.0, 0.0, 1.0, 1.0), vec![]);
        let (out, counts) = outline(country(vec![p.clone(), p.clone()]), &[&none]);
        assert_eq!((out.0, counts.covered), (vec![p], 1));
    }
}
