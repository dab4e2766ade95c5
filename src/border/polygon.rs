//! Fast point-in-polygon for large country polygons: a grid of reference points whose inside/outside status
//! is precomputed, with the boundary edges that touch each cell.
//!
//! A query finds its grid cell. A cell that no edge touches is wholly inside or wholly outside, so its
//! precomputed status is the answer (the common case). Otherwise the query walks from the point to the
//! cell's reference point and flips the reference status once per boundary edge crossed; only the cell's
//! own edges can be crossed. Even-odd counting handles holes and multi-part polygons.

use std::sync::OnceLock;

use geo::MultiPolygon;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// An edge of a polygon ring, lon/lat degrees.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub a: [f64; 2],
    pub b: [f64; 2],
}

type EdgeBox = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// What a grid cell knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// No edge touches the cell; every point in it is inside.
    Inside,
    /// No edge touches the cell; every point in it is outside.
    Outside,
    /// Edges touch the cell; the reference point is inside (`true`) or outside.
    Mixed(bool),
}

/// Point-in-polygon index over one (multi)polygon, coordinates lon/lat degrees.
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// let square = MultiPolygon::new(vec![polygon![(x: 30.0, y: 50.0), (x: 31.0, y: 50.0), (x: 31.0, y: 51.0), (x: 30.0, y: 51.0)]]);
/// let index = incimap::border::polygon::PolygonIndex::new(&square);
/// assert!(index.contains(30.5, 50.5));
/// assert!(!index.contains(31.5, 50.5));
/// ```
pub struct PolygonIndex {
    edges: Vec<Edge>,
    /// The edges' boxes, built on the first [`PolygonIndex::edges_near`]: only deriving a border needs it,
    /// and bulk-loading it was most of the start-up of every command.
    tree: OnceLock<RTree<EdgeBox>>,
    /// Bounding box of all edges: min lon, min lat, max lon, max lat.
    bbox: [f64; 4],
    cell_size: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Cell>,
    /// For each cell, the edges whose boxes touch it: `cell_edges[cell_starts[i]..cell_starts[i + 1]]`.
    /// A walk inside a cell can only cross these, so mixed cells need no R-tree query.
    cell_starts: Vec<u32>,
    cell_edges: Vec<u32>,
}

/// A tiny offset that keeps reference points off polygon vertices and edges (source coordinates have
/// five decimals, so a point offset by an odd fraction of 1e-7 never lies exactly on them).
const REF_JITTER: [f64; 2] = [1.234_567e-7, 2.345_678e-7];

impl PolygonIndex {
    /// Index every ring (exterior and interior) of `polygons`.
    pub fn new(polygons: &MultiPolygon<f64>) -> PolygonIndex {
        let mut edges = Vec::new();
        for polygon in &polygons.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    if line.start != line.end {
                        edges.push(Edge { a: [line.start.x, line.start.y], b: [line.end.x, line.end.y] });
                    }
                }
            }
        }
        PolygonIndex::from_edges(edges)
    }

    fn from_edges(edges: Vec<Edge>) -> PolygonIndex {
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for e in &edges {
            for p in [e.a, e.b] {
                bbox[0] = bbox[0].min(p[0]);
                bbox[1] = bbox[1].min(p[1]);
                bbox[2] = bbox[2].max(p[0]);
                bbox[3] = bbox[3].max(p[1]);
            }
        }
        let mut index = PolygonIndex {
            edges,
            tree: OnceLock::new(),
            bbox,
            cell_size: 1.0,
            cols: 0,
            rows: 0,
            cells: Vec::new(),
            cell_starts: Vec::new(),
            cell_edges: Vec::new(),
        };
        if index.edges.is_empty() {
            return index;
        }
        // About half a million cells: quick to build at start-up, fine enough that most cells are pure.
        let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
        index.cell_size = ((w * h) / 5.0e5).sqrt().max(0.005);
        index.cols = (w / index.cell_size).floor() as usize + 1;
        index.rows = (h / index.cell_size).floor() as usize + 1;
        (index.cells, index.cell_starts, index.cell_edges) = index.build_cells();
        index
    }

    /// Classify every cell: mixed if an edge's box touches it (marked edge by edge, so building is linear
    /// in the number of edges; the same pass lists each cell's edges), and the status of its reference point
    /// from a scanline over its row.
    fn build_cells(&self) -> (Vec<Cell>, Vec<u32>, Vec<u32>) {
        let clamp_col = |x: f64| (((x - self.bbox[0]) / self.cell_size).max(0.0) as usize).min(self.cols - 1);
        let clamp_row = |y: f64| (((y - self.bbox[1]) / self.cell_size).max(0.0) as usize).min(self.rows - 1);
        let span = |e: &Edge| {
            let (c0, c1) = (clamp_col(e.a[0].min(e.b[0])), clamp_col(e.a[0].max(e.b[0])));
            let (r0, r1) = (clamp_row(e.a[1].min(e.b[1])), clamp_row(e.a[1].max(e.b[1])));
            (r0..=r1).flat_map(move |row| (c0..=c1).map(move |col| row * self.cols + col))
        };
        let (cell_starts, cell_edges) = bucket(self.cols * self.rows, &self.edges, span);
        // The edges whose y-range meets each row (a superset of those crossing the row's reference line).
        let (row_starts, row_edges) =
            bucket(self.rows, &self.edges, |e: &Edge| clamp_row(e.a[1].min(e.b[1]))..=clamp_row(e.a[1].max(e.b[1])));
        let touched = |cell: usize| cell_starts[cell] != cell_starts[cell + 1];
        let mut cells = Vec::with_capacity(self.cols * self.rows);
        let mut crossings: Vec<f64> = Vec::new();
        for row in 0..self.rows {
            let y = self.bbox[1] + (row as f64 + 0.5) * self.cell_size + REF_JITTER[1];
            crossings.clear();
            for &edge in &row_edges[row_starts[row] as usize..row_starts[row + 1] as usize] {
                let e = &self.edges[edge as usize];
                if (e.a[1] > y) != (e.b[1] > y) {
                    crossings.push(e.a[0] + (y - e.a[1]) / (e.b[1] - e.a[1]) * (e.b[0] - e.a[0]));
                }
            }
            crossings.sort_by(f64::total_cmp);
            let mut next = 0; // crossings west of the current reference point
            for col in 0..self.cols {
                let x = self.bbox[0] + (col as f64 + 0.5) * self.cell_size + REF_JITTER[0];
                while next < crossings.len() && crossings[next] <= x {
                    next += 1;
                }
                // Crossings east of the reference point: odd means inside.
                let inside = (crossings.len() - next) % 2 == 1;
                cells.push(match (touched(row * self.cols + col), inside) {
                    (true, s) => Cell::Mixed(s),
                    (false, true) => Cell::Inside,
                    (false, false) => Cell::Outside,
                });
            }
        }
        (cells, cell_starts, cell_edges)
    }

    /// Whether (lon, lat) lies inside the polygons. Points exactly on an edge may go either way.
    #[inline]
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        if !(lon >= self.bbox[0] && lon <= self.bbox[2] && lat >= self.bbox[1] && lat <= self.bbox[3]) {
            return false;
        }
        let col = (((lon - self.bbox[0]) / self.cell_size) as usize).min(self.cols - 1);
        let row = (((lat - self.bbox[1]) / self.cell_size) as usize).min(self.rows - 1);
        match self.cells[row * self.cols + col] {
            Cell::Inside => true,
            Cell::Outside => false,
            Cell::Mixed(reference_inside) => {
                let r = [
                    self.bbox[0] + (col as f64 + 0.5) * self.cell_size + REF_JITTER[0],
                    self.bbox[1] + (row as f64 + 0.5) * self.cell_size + REF_JITTER[1],
                ];
                let cell = row * self.cols + col;
                let edges = &self.cell_edges[self.cell_starts[cell] as usize..self.cell_starts[cell + 1] as usize];
                reference_inside ^ (self.crossings([lon, lat], r, edges) % 2 == 1)
            }
        }
    }

    /// Number of edges the segment p→r crosses (half-open rule at vertices, so a walk through a vertex
    /// counts once). `edges` are the cell's edges: a walk within one cell can cross no other.
    fn crossings(&self, p: [f64; 2], r: [f64; 2], edges: &[u32]) -> usize {
        let mut n = 0;
        for &edge in edges {
            let e = &self.edges[edge as usize];
            let (oa, ob) = (orient(p, r, e.a), orient(p, r, e.b));
            if (oa > 0.0) == (ob > 0.0) {
                continue;
            }
            let (op, or) = (orient(e.a, e.b, p), orient(e.a, e.b, r));
            if (op > 0.0) != (or > 0.0) {
                n += 1;
            }
        }
        n
    }

    /// Bounding box (min lon, min lat, max lon, max lat); inverted (empty) for an empty polygon.
    pub fn bbox(&self) -> [f64; 4] {
        self.bbox
    }

    /// Edges of the polygon boundary whose boxes intersect the given box (lon/lat).
    pub(crate) fn edges_near(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = &Edge> {
        let tree = self.tree.get_or_init(|| {
            let boxes: Vec<EdgeBox> = self
                .edges
                .iter()
                .enumerate()
                .map(|(i, e)| GeomWithData::new(Rectangle::from_corners(e.a, e.b), i as u32))
                .collect();
            RTree::bulk_load(boxes)
        });
        tree.locate_in_envelope_intersecting(AABB::from_corners(min, max)).map(|b| &self.edges[b.data as usize])
    }
}

/// Edge indices bucketed by the slots `slots_of` gives each edge, as compressed rows: the edges of slot `i`
/// are `list[starts[i]..starts[i + 1]]`, in edge order. A counting pass, then a fill pass.
fn bucket<I: IntoIterator<Item = usize>>(
    slots: usize,
    edges: &[Edge],
    slots_of: impl Fn(&Edge) -> I,
) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; slots + 1];
    for e in edges {
        for slot in slots_of(e) {
            starts[slot + 1] += 1;
        }
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut list = vec![0u32; *starts.last().unwrap_or(&0) as usize];
    for (i, e) in edges.iter().enumerate() {
        for slot in slots_of(e) {
            list[next[slot] as usize] = i as u32;
            next[slot] += 1;
        }
    }
    (starts, list)
}

/// Twice the signed area of triangle abc: > 0 when c is left of a→b.
#[inline]
fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

#[cfg(test)]
mod tests {
    use super::PolygonIndex;
    use geo::{Contains, Point};

    /// The index agrees with geo's point-in-polygon test on the shipped country polygons, for points
    /// spread over the border region (where most grid cells are mixed) and beyond.
    #[test]
    fn agrees_with_geo_on_the_shipped_countries() {
        let gazetteer = crate::gazetteer::Gazetteer::embedded().expect("embedded gazetteer");
        let b = &gazetteer.boundaries;
        // A fixed linear congruential sequence: reproducible points without a dependency.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for polygons in [&b.ukraine, &b.russia, &b.belarus] {
            let index = PolygonIndex::new(polygons);
            let mut inside = 0;
            for _ in 0..400 {
                let (lon, lat) = (21.0 + 22.0 * next(), 43.0 + 14.0 * next());
                let expected = polygons.contains(&Point::new(lon, lat));
                assert_eq!(index.contains(lon, lat), expected, "({lon}, {lat})");
                inside += usize::from(expected);
            }
            assert!(inside > 0, "some points fall inside each country");
            // Points within about a kilometre of the boundary, in the cells whose edges must be walked.
            let vertices: Vec<_> = polygons.0.iter().flat_map(|p| p.exterior().0.iter()).collect();
            for _ in 0..400 {
                let v = vertices[(next() * vertices.len() as f64) as usize % vertices.len()];
                let (lon, lat) = (v.x + 0.02 * (next() - 0.5), v.y + 0.02 * (next() - 0.5));
                assert_eq!(index.contains(lon, lat), polygons.contains(&Point::new(lon, lat)), "({lon}, {lat})");
            }
        }
    }
}
