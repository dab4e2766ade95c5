//! Deriving the Russia–Ukraine land border from the two country polygons.
//!
//! The land border is the stretch of Ukraine's boundary that Russia's boundary follows, minus coastlines.
//! An edge of Ukraine's boundary belongs to it when
//!
//! 1. *shared*: both its ends lie on Russia's boundary (within a tolerance, see below), and
//! 2. *land on both sides*: sampled at a few distances off the edge, one side is mostly in Ukraine only and
//!    the other mostly in Russia only (rather than in both). This drops Crimea's coast, which in some sources lies
//!    in both polygons (its inland side is in both, its seaward side in neither), and every other coast
//!    (sea on one side).
//!
//! The tolerance starts at half a metre (the shipped OpenStreetMap polygons share their border vertices
//! exactly) and is widened step by step only while the result fails [`validate`]: polygons from other
//! sources (`gazetteer refresh`) are digitised separately and agree only to metres or tens of metres.
//!
//! Consecutive kept edges of a ring form one line; the lines are then ordered from the Belarus tripoint to
//! the Sea of Azov.

use geo::{Coord, LineString, MultiLineString, MultiPolygon};
use geographiclib_rs::{Geodesic, InverseGeodesic};

use super::polygon::PolygonIndex;

/// Tuning of [`land_border_with`].
#[derive(Debug, Clone, Copy)]
pub struct DeriveOptions {
    /// How far (m) a Ukrainian boundary vertex may lie from Russia's boundary and still count as shared.
    pub shared_tolerance_m: f64,
}

impl Default for DeriveOptions {
    fn default() -> Self {
        DeriveOptions { shared_tolerance_m: TOLERANCES_M[0] }
    }
}

impl DeriveOptions {
    /// Distances (m) off an edge's middle at which its two sides are sampled: from twice the tolerance (the
    /// polygons may disagree by that much, leaving slivers in both or neither) out to 256 times that (past
    /// the detours, hundreds of metres long, that tile clipping left in one polygon but not the other).
    fn side_offsets_m(&self) -> [f64; 5] {
        let base = (2.0 * self.shared_tolerance_m).max(3.0);
        [base, 4.0 * base, 16.0 * base, 64.0 * base, 256.0 * base]
    }
}

/// Shared-vertex tolerances (m) tried in turn by [`land_border`] until the result validates.
pub const TOLERANCES_M: [f64; 5] = [0.5, 5.0, 20.0, 60.0, 150.0];

/// Metres per degree of latitude and (at the equator) longitude, close enough for tolerances.
const M_PER_DEG_LAT: f64 = 110_900.0;
const M_PER_DEG_LON: f64 = 111_320.0;

/// Near the tripoint with Belarus (lat, lon): the line is oriented to start there.
pub const BELARUS_TRIPOINT: (f64, f64) = (52.112, 31.782);
/// Where the land border meets the Sea of Azov (lat, lon).
pub const AZOV_END: (f64, f64) = (47.119, 38.230);

/// The land border: the stretch of Ukraine's boundary shared with Russia's, without coastlines, as lines
/// ordered from the Belarus tripoint to the Sea of Azov (lon/lat). Tries the tolerances of
/// [`TOLERANCES_M`] from the tightest and returns the first result that passes [`validate`] (or, when none
/// does, the loosest one, for the caller's validation to explain).
pub fn land_border(ukraine: &MultiPolygon<f64>, russia: &MultiPolygon<f64>) -> Result<MultiLineString<f64>, String> {
    let ua = PolygonIndex::new(ukraine);
    let ru = PolygonIndex::new(russia);
    let mut last = Err("no tolerance tried".to_string());
    for tolerance in TOLERANCES_M {
        let opts = DeriveOptions { shared_tolerance_m: tolerance };
        last = derive(ukraine, russia, &ua, &ru, &opts);
        if last.as_ref().is_ok_and(|line| validate(line).is_ok()) {
            break;
        }
    }
    last
}

/// [`land_border`] with explicit tolerances.
pub fn land_border_with(
    ukraine: &MultiPolygon<f64>,
    russia: &MultiPolygon<f64>,
    opts: &DeriveOptions,
) -> Result<MultiLineString<f64>, String> {
    derive(ukraine, russia, &PolygonIndex::new(ukraine), &PolygonIndex::new(russia), opts)
}

fn derive(
    ukraine: &MultiPolygon<f64>,
    russia: &MultiPolygon<f64>,
    ua: &PolygonIndex,
    ru: &PolygonIndex,
    opts: &DeriveOptions,
) -> Result<MultiLineString<f64>, String> {
    if ukraine.0.is_empty() {
        return Err("Ukraine's polygon is empty".into());
    }
    if russia.0.is_empty() {
        return Err("Russia's polygon is empty".into());
    }
    let near_russia = |c: Coord<f64>| distance_to_boundary_m(ru, c, opts.shared_tolerance_m) <= opts.shared_tolerance_m;
    let is_border_edge = |a: Coord<f64>, b: Coord<f64>| -> bool {
        let mid = Coord { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
        if !(near_russia(a) && near_russia(b)) {
            return false;
        }
        // Unit normal in metres, then sample both sides at each offset.
        let k = mid.y.to_radians().cos() * M_PER_DEG_LON;
        let (dx, dy) = ((b.x - a.x) * k, (b.y - a.y) * M_PER_DEG_LAT);
        let len = dx.hypot(dy);
        if len == 0.0 {
            return false;
        }
        let (nx, ny) = (-dy / len, dx / len);
        // Each sample is (Ukraine only, Russia only, both).
        let side = |d: f64| {
            let (lon, lat) = (mid.x + d * nx / k, mid.y + d * ny / M_PER_DEG_LAT);
            let (in_ua, in_ru) = (ua.contains(lon, lat), ru.contains(lon, lat));
            (in_ua && !in_ru, in_ru && !in_ua, in_ua && in_ru)
        };
        // Per side, how many samples are Ukraine only, Russia only, in both.
        let (mut left, mut right) = ([0u8; 3], [0u8; 3]);
        for d in opts.side_offsets_m() {
            for (counts, sample) in [(&mut left, side(d)), (&mut right, side(-d))] {
                counts[0] += sample.0 as u8;
                counts[1] += sample.1 as u8;
                counts[2] += sample.2 as u8;
            }
        }
        // A side is Ukrainian (Russian) when Ukraine-only (Russia-only) land is seen there at least as often
        // as land in both: Crimea's coast (inland side in both) fails, while a thin sliver where the two
        // polygons disagree near a true border edge does not outvote the samples beyond it.
        let ukrainian = |c: [u8; 3]| c[0] > 0 && c[0] >= c[2];
        let russian = |c: [u8; 3]| c[1] > 0 && c[1] >= c[2];
        (ukrainian(left) && russian(right)) || (russian(left) && ukrainian(right))
    };

    // Runs of each ring, in ring order.
    let mut rings: Vec<Vec<Vec<Coord<f64>>>> = Vec::new();
    for polygon in &ukraine.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let runs = kept_runs(ring, &is_border_edge);
            if !runs.is_empty() {
                rings.push(runs);
            }
        }
    }
    if rings.is_empty() {
        return Err("Ukraine's and Russia's polygons share no land boundary".into());
    }
    Ok(order_chain(rings))
}

/// Runs of consecutive kept edges of a closed ring; a run crossing the ring's start is joined up.
fn kept_runs(ring: &LineString<f64>, keep: &impl Fn(Coord<f64>, Coord<f64>) -> bool) -> Vec<Vec<Coord<f64>>> {
    let pts = &ring.0;
    let mut runs: Vec<Vec<Coord<f64>>> = Vec::new();
    let mut current: Vec<Coord<f64>> = Vec::new();
    let mut first_run_at_start = false;
    for (i, w) in pts.windows(2).enumerate() {
        if w[0] == w[1] {
            continue; // a repeated vertex neither starts nor breaks a run
        }
        if keep(w[0], w[1]) {
            if current.is_empty() {
                current.push(w[0]);
                if i == 0 {
                    first_run_at_start = true;
                }
            }
            current.push(w[1]);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        // The last run ends at the ring's closing vertex; if the first run starts there, join them.
        if first_run_at_start && runs.first().is_some_and(|r| r[0] == *current.last().unwrap_or(&r[0])) {
            let first = runs.remove(0);
            current.extend_from_slice(&first[1..]);
        }
        runs.push(current);
    }
    runs
}

/// Order the runs into one chain from the Belarus tripoint to the Sea of Azov. The ring holding most of
/// the border (Ukraine's mainland) gives the order: its runs follow the ring, so the chain is that cyclic
/// sequence cut at its widest gap (the rest of Ukraine's boundary) and turned to start near the tripoint.
/// Runs of other rings (islets, enclaves along border rivers) go after the main run nearest to them.
fn order_chain(mut rings: Vec<Vec<Vec<Coord<f64>>>>) -> MultiLineString<f64> {
    let vertices = |runs: &Vec<Vec<Coord<f64>>>| runs.iter().map(Vec::len).sum::<usize>();
    let main_at = (0..rings.len()).max_by_key(|&i| vertices(&rings[i])).unwrap_or(0);
    let mut main = rings.swap_remove(main_at);
    let n = main.len();
    let gap_after = |i: usize| -> f64 {
        match (main[i].last(), main[(i + 1) % n].first()) {
            (Some(&e), Some(&s)) => planar_m(e, s),
            _ => 0.0,
        }
    };
    let widest = (0..n).max_by(|&i, &j| gap_after(i).total_cmp(&gap_after(j))).unwrap_or(0);
    main.rotate_left((widest + 1) % n.max(1));
    let tripoint = Coord { x: BELARUS_TRIPOINT.1, y: BELARUS_TRIPOINT.0 };
    let (start, end) = (main[0][0], *main[n - 1].last().unwrap_or(&main[0][0]));
    if planar_m(end, tripoint) < planar_m(start, tripoint) {
        main.reverse();
        main.iter_mut().for_each(|run| run.reverse());
    }
    // Each extra run goes after the main run that has the vertex nearest its start.
    let mut extras: Vec<Vec<Vec<Coord<f64>>>> = vec![Vec::new(); main.len()];
    for run in rings.into_iter().flatten() {
        let mut best = (f64::INFINITY, 0);
        for (i, m) in main.iter().enumerate() {
            for &v in m {
                let d = planar_m(v, run[0]);
                if d < best.0 {
                    best = (d, i);
                }
            }
        }
        extras[best.1].push(run);
    }
    let mut ordered = Vec::new();
    for (run, extra) in main.into_iter().zip(extras) {
        ordered.push(LineString::new(run));
        ordered.extend(extra.into_iter().map(LineString::new));
    }
    MultiLineString::new(ordered)
}

/// Approximate distance in metres between two nearby lon/lat points (local equirectangular).
fn planar_m(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let k = ((a.y + b.y) / 2.0).to_radians().cos() * M_PER_DEG_LON;
    ((b.x - a.x) * k).hypot((b.y - a.y) * M_PER_DEG_LAT)
}

/// Distance (m, local planar) from `c` to the nearest boundary edge of `index`, searching within `radius_m`;
/// infinity when none is that close.
fn distance_to_boundary_m(index: &PolygonIndex, c: Coord<f64>, radius_m: f64) -> f64 {
    let k = c.y.to_radians().cos() * M_PER_DEG_LON;
    let (rx, ry) = (radius_m / k, radius_m / M_PER_DEG_LAT);
    let mut best = f64::INFINITY;
    for e in index.edges_near([c.x - rx, c.y - ry], [c.x + rx, c.y + ry]) {
        // Work in metres relative to c.
        let a = ((e.a[0] - c.x) * k, (e.a[1] - c.y) * M_PER_DEG_LAT);
        let b = ((e.b[0] - c.x) * k, (e.b[1] - c.y) * M_PER_DEG_LAT);
        let (vx, vy) = (b.0 - a.0, b.1 - a.1);
        let len2 = vx * vx + vy * vy;
        let t = if len2 > 0.0 { (-(a.0 * vx + a.1 * vy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        best = best.min((a.0 + t * vx).hypot(a.1 + t * vy));
    }
    best
}

/// Accepted length range (km) of a derived border. The shipped OpenStreetMap polygons give 1,975 km;
/// other sources draw the line with more or fewer vertices, hence the margin.
pub const LENGTH_RANGE_KM: (f64, f64) = (1_850.0, 2_100.0);
/// Largest gap (km) allowed between lines of a derived border: each line must connect to the rest through
/// ends at most this far apart.
pub const MAX_GAP_KM: f64 = 3.0;
/// How far (km) the ends of a derived border may lie from [`BELARUS_TRIPOINT`] and [`AZOV_END`].
pub const MAX_END_OFFSET_KM: f64 = 25.0;

/// Check a derived border: its geodesic length lies in [`LENGTH_RANGE_KM`]; its lines form one connected
/// whole when ends at most [`MAX_GAP_KM`] apart are joined; and it reaches both the Belarus tripoint and the
/// Sea of Azov. Returns the length in km.
pub fn validate(line: &MultiLineString<f64>) -> Result<f64, String> {
    let pieces: Vec<&LineString<f64>> = line.0.iter().filter(|l| l.0.len() >= 2).collect();
    if pieces.is_empty() {
        return Err("the border is empty".into());
    }
    let length = length_km(line);
    if !(LENGTH_RANGE_KM.0..=LENGTH_RANGE_KM.1).contains(&length) {
        return Err(format!(
            "it is {length:.1} km long, expected {:.0}–{:.0} km (the polygons may not share their border)",
            LENGTH_RANGE_KM.0, LENGTH_RANGE_KM.1
        ));
    }
    let g = Geodesic::wgs84();
    let km = |a: Coord<f64>, b: Coord<f64>| -> f64 {
        let s: f64 = g.inverse(a.y, a.x, b.y, b.x);
        s / 1000.0
    };
    // Union-find over lines, joining lines whose ends are close.
    let ends: Vec<[Coord<f64>; 2]> = pieces.iter().map(|l| [l.0[0], l.0[l.0.len() - 1]]).collect();
    let mut parent: Vec<usize> = (0..pieces.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..ends.len() {
        for j in i + 1..ends.len() {
            let close = ends[i].iter().any(|&a| ends[j].iter().any(|&b| planar_m(a, b) <= MAX_GAP_KM * 1000.0));
            if close {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let r0 = root(&mut parent, 0);
    if let Some(i) = (0..pieces.len()).find(|&i| root(&mut parent, i) != r0) {
        let [a, _] = ends[i];
        return Err(format!(
            "it is broken: the line from ({:.5}, {:.5}) (lat, lon) is more than {MAX_GAP_KM} km from the rest",
            a.y, a.x
        ));
    }
    let nearest = |target: (f64, f64)| -> f64 {
        let t = Coord { x: target.1, y: target.0 };
        ends.iter().flatten().map(|&e| km(e, t)).fold(f64::INFINITY, f64::min)
    };
    if nearest(BELARUS_TRIPOINT) > MAX_END_OFFSET_KM {
        return Err("it does not reach the tripoint with Belarus".into());
    }
    if nearest(AZOV_END) > MAX_END_OFFSET_KM {
        return Err("it does not reach the Sea of Azov".into());
    }
    Ok(length)
}

/// Geodesic (WGS84) length of a line in km; each segment is taken as the geodesic between its ends.
///
/// ```
/// use geo::{MultiLineString, line_string};
/// let one_degree = MultiLineString::new(vec![line_string![(x: 36.0, y: 50.0), (x: 36.0, y: 51.0)]]);
/// // One degree of latitude at 50.5°N is 111.2 km on the WGS84 ellipsoid.
/// assert!((incimap::border::derive::length_km(&one_degree) - 111.2).abs() < 0.1);
/// ```
pub fn length_km(line: &MultiLineString<f64>) -> f64 {
    let g = Geodesic::wgs84();
    let mut metres = 0.0;
    for l in &line.0 {
        for seg in l.lines() {
            let s: f64 = g.inverse(seg.start.y, seg.start.x, seg.end.y, seg.end.x);
            metres += s;
        }
    }
    metres / 1000.0
}
