//! Nearest border segment by chord (ECEF) distance, fast: a lon/lat grid whose cells each keep the short
//! list of segment *chunks* that can hold the nearest segment of any point in the cell.
//!
//! A chunk is [`CHUNK_SEGMENTS`] consecutive segments wrapped in a capsule: the straight line (axis) from
//! the chunk's first vertex to its last, and `slack`, the farthest any of its vertices lies from that axis.
//! Distance to a segment is convex, so every point of the chunk lies within `slack` of the axis, and for a
//! query p: `dist(p, axis) − slack ≤ dist(p, chunk) ≤ dist(p, axis) + slack`. A cell (centre c, radius r)
//! keeps the chunks with `dist(c, axis) − slack − r ≤ min over chunks (dist(c, axis) + slack) + r`; no
//! other chunk can be nearest for any point of the cell. Cells are filled lazily, on their first query,
//! so start-up costs nothing and a run pays only for the cells its points fall in.
//!
//! A query walks its cell's list (sorted by distance from the cell's centre, so the best chunk usually
//! comes first), skips every chunk whose lower bound is no better than the best segment so far, and
//! measures the segments of the rest exactly. Unlike an R-tree search it needs no heap, no allocation and
//! no trigonometry, and the capsule bound stays tight far from the border, where many segments lie at
//! almost the same distance.

use std::sync::OnceLock;

use super::{LatLon, SegmentEcef, ecef};

/// Segments per chunk: long enough that a cell lists few chunks, short enough that a chunk is nearly
/// straight (small slack) and cheap to measure segment by segment.
const CHUNK_SEGMENTS: usize = 16;

/// Cell size, degrees of latitude and longitude.
const CELL_DEG: f64 = 0.1;

/// The grid's extent (min lon, min lat, max lon, max lat): the border's surroundings well beyond the area
/// the measure is meant for. Points outside it take the caller's general search.
const EXTENT: [f64; 4] = [14.0, 36.0, 62.0, 66.0];

/// A capsule around consecutive segments `first..end` (ECEF km).
#[derive(Debug, Clone, Copy)]
struct Chunk {
    axis: SegmentEcef,
    slack: f64,
    first: u32,
    end: u32,
}

/// The lazily filled grid of candidate chunk lists.
pub(crate) struct ChunkGrid {
    chunks: Vec<Chunk>,
    cols: usize,
    rows: usize,
    cells: Vec<OnceLock<Box<[u32]>>>,
}

/// The chord-nearest segment found: (chord distance km, segment index, position 0..1 along it).
pub(crate) type Found = (f64, u32, f64);

impl ChunkGrid {
    pub(crate) fn new(segments: &[SegmentEcef]) -> ChunkGrid {
        let chunks = (0..segments.len())
            .step_by(CHUNK_SEGMENTS)
            .map(|first| {
                let end = (first + CHUNK_SEGMENTS).min(segments.len());
                let a = segments[first].a;
                let last = &segments[end - 1];
                let b = [last.a[0] + last.ab[0], last.a[1] + last.ab[1], last.a[2] + last.ab[2]];
                let axis = SegmentEcef::new(a, b);
                let slack = segments[first..end]
                    .iter()
                    .flat_map(|s| [s.a, [s.a[0] + s.ab[0], s.a[1] + s.ab[1], s.a[2] + s.ab[2]]])
                    .map(|v| axis.foot(v).0)
                    .fold(0.0, f64::max);
                // Margin for rounding in the bound arithmetic (km; far below anything measured).
                Chunk { axis, slack: slack + 1e-9, first: first as u32, end: end as u32 }
            })
            .collect();
        let cols = ((EXTENT[2] - EXTENT[0]) / CELL_DEG).round() as usize;
        let rows = ((EXTENT[3] - EXTENT[1]) / CELL_DEG).round() as usize;
        ChunkGrid { chunks, cols, rows, cells: (0..cols * rows).map(|_| OnceLock::new()).collect() }
    }

    /// The chord-nearest segment to `p` (the ECEF of (lat, lon)), or `None` when the point is outside the
    /// grid (or there are no segments).
    #[inline]
    pub(crate) fn nearest(&self, segments: &[SegmentEcef], lat: f64, lon: f64, p: [f64; 3]) -> Option<Found> {
        if !(EXTENT[0]..EXTENT[2]).contains(&lon) || !(EXTENT[1]..EXTENT[3]).contains(&lat) || self.chunks.is_empty() {
            return None;
        }
        let col = (((lon - EXTENT[0]) / CELL_DEG) as usize).min(self.cols - 1);
        let row = (((lat - EXTENT[1]) / CELL_DEG) as usize).min(self.rows - 1);
        let list = self.cells[row * self.cols + col].get_or_init(|| self.fill(row, col));
        // Squared distances throughout: a chunk can hold a nearer segment only if
        // dist(p, axis) − slack < best, i.e. dist²(p, axis) < (best + slack)².
        let (mut best2, mut best, mut index, mut at) = (f64::INFINITY, f64::INFINITY, u32::MAX, 0.0);
        for &k in list.iter() {
            let chunk = &self.chunks[k as usize];
            let reach = best + chunk.slack;
            if chunk.axis.foot2(p).0 >= reach * reach {
                continue;
            }
            for i in chunk.first..chunk.end {
                let (d2, t) = segments[i as usize].foot2(p);
                if d2 < best2 {
                    (best2, index, at) = (d2, i, t);
                }
            }
            best = best2.sqrt();
        }
        Some((best, index, at))
    }

    /// The candidate chunks of one cell, nearest to its centre first.
    fn fill(&self, row: usize, col: usize) -> Box<[u32]> {
        let (lon0, lat0) = (EXTENT[0] + col as f64 * CELL_DEG, EXTENT[1] + row as f64 * CELL_DEG);
        let centre = LatLon { lat: lat0 + CELL_DEG / 2.0, lon: lon0 + CELL_DEG / 2.0 };
        let c = ecef(centre.lat, centre.lon);
        // The farthest points of a small lon/lat cell from its centre are its corners; 1 % covers the
        // slight bulge of its edges.
        let r = [(lat0, lon0), (lat0, lon0 + CELL_DEG), (lat0 + CELL_DEG, lon0), (lat0 + CELL_DEG, lon0 + CELL_DEG)]
            .iter()
            .map(|&(lat, lon)| super::chord_km(ecef(lat, lon), c))
            .fold(0.0, f64::max)
            * 1.01;
        let dists: Vec<f64> = self.chunks.iter().map(|k| k.axis.foot(c).0).collect();
        let upper = dists.iter().zip(&self.chunks).map(|(d, k)| d + k.slack).fold(f64::INFINITY, f64::min) + r;
        let mut kept: Vec<u32> = (0..self.chunks.len() as u32)
            .filter(|&k| dists[k as usize] - self.chunks[k as usize].slack - r <= upper)
            .collect();
        kept.sort_by(|&x, &y| dists[x as usize].total_cmp(&dists[y as usize]));
        kept.into_boxed_slice()
    }
}
