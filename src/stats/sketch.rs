//! Quantiles of distances in memory bounded per group, not by the number of values.
//!
//! A group keeps its first [`EXACT_LIMIT`] distances as they are, so groups of up to that many incidents (most
//! analyst data sets, and most cells of a two-way table) get **exact** quantiles. Beyond that the values move
//! into buckets 10 m wide for |x| < 10 km and 0.1 % of |x| wide beyond (log-spaced), so a group holds at most
//! ~17,000 buckets (≈ 0.5 MB, for ±20,000 km) however many incidents it has. Each bucket keeps its count and the
//! exact minimum and maximum of its values. An order statistic is read from its bucket: exact when the bucket
//! holds one distinct value (always the case for its smallest and largest value), otherwise interpolated between
//! the bucket's min and max by rank, so it is off by less than the bucket width:
//! **error ≤ max(10 m, 0.1 % of the value)** (well under the precision of a geocoded place). Count, min, max and
//! mean are always exact.
//!
//! Quantiles use linear interpolation between order statistics, Hyndman & Fan type 7 (numpy's and R's
//! default): for sorted `x[0..n]` and probability `p`, `h = (n − 1)·p`, `q = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Bucket indexes are small integers: a multiplicative hash is enough and far cheaper than SipHash.
#[derive(Default)]
struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_i32(&mut self, i: i32) {
        self.0 = (i as u32 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type Buckets = HashMap<i32, Bucket, BuildHasherDefault<IndexHasher>>;

/// Below this (km), buckets have a fixed width.
const LINEAR_LIMIT_KM: f64 = 10.0;
/// Bucket width below [`LINEAR_LIMIT_KM`], km (10 m).
const LINEAR_WIDTH_KM: f64 = 0.01;
/// Relative bucket width above [`LINEAR_LIMIT_KM`].
const RELATIVE_WIDTH: f64 = 1e-3;
/// Groups up to this many values keep them all and have exact quantiles.
pub const EXACT_LIMIT: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    count: u64,
    min: f64,
    max: f64,
}

/// A bounded-memory summary of distances (km) giving exact count/min/max/mean and quantiles within the bound
/// stated in the module documentation.
///
/// ```
/// let mut s = incimap::stats::sketch::DistanceSketch::default();
/// for x in [1.0, 2.0, 3.0, 4.0] {
///     s.add(x);
/// }
/// assert_eq!(s.quantile(0.5), Some(2.5)); // type 7, as numpy.quantile
/// assert_eq!(s.quantile(0.25), Some(1.75));
/// ```
#[derive(Debug, Clone, Default)]
pub struct DistanceSketch {
    count: u64,
    /// Neumaier-compensated sum, so the mean of a million values stays exact to ~1e-12.
    sum: f64,
    compensation: f64,
    min: f64,
    max: f64,
    /// The values themselves while there are at most [`EXACT_LIMIT`]; empty once they moved into `buckets`.
    exact: Vec<f64>,
    buckets: Buckets,
}

fn bucket_of(x: f64) -> i32 {
    let a = x.abs();
    let i = if a < LINEAR_LIMIT_KM {
        (a / LINEAR_WIDTH_KM) as i32
    } else {
        let linear = (LINEAR_LIMIT_KM / LINEAR_WIDTH_KM) as i32;
        // Clamp: distances are bounded by half the Earth's circumference, this only guards absurd input.
        linear + ((a / LINEAR_LIMIT_KM).ln() / RELATIVE_WIDTH.ln_1p()).min(1e8) as i32
    };
    if x < 0.0 { -i - 1 } else { i }
}

impl DistanceSketch {
    /// Add one finite distance (non-finite values are ignored).
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        if self.count == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.count += 1;
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() { (self.sum - t) + x } else { (x - t) + self.sum };
        self.sum = t;
        if self.count as usize <= EXACT_LIMIT {
            self.exact.push(x);
            return;
        }
        if !self.exact.is_empty() {
            for v in std::mem::take(&mut self.exact) {
                self.bucket(v);
            }
        }
        self.bucket(x);
    }

    fn bucket(&mut self, x: f64) {
        self.buckets
            .entry(bucket_of(x))
            .and_modify(|b| {
                b.count += 1;
                b.min = b.min.min(x);
                b.max = b.max.max(x);
            })
            .or_insert(Bucket { count: 1, min: x, max: x });
    }

    /// Number of values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Smallest value.
    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    /// Largest value.
    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// Arithmetic mean.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| (self.sum + self.compensation) / self.count as f64)
    }

    /// Whether quantiles are exact (at most [`EXACT_LIMIT`] values).
    pub fn is_exact(&self) -> bool {
        self.count as usize <= EXACT_LIMIT
    }

    /// Number of buckets in use (the memory this sketch holds beyond [`EXACT_LIMIT`] values).
    pub fn buckets(&self) -> usize {
        self.buckets.len()
    }

    /// Type-7 quantile for `p` in [0, 1]; `None` when empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        Some(self.quantiles(&[p])?[0])
    }

    /// Several type-7 quantiles at once (one pass over the sorted buckets).
    pub fn quantiles(&self, ps: &[f64]) -> Option<Vec<f64>> {
        if self.count == 0 {
            return None;
        }
        let n = self.count;
        if self.is_exact() {
            let mut xs = self.exact.clone();
            xs.sort_unstable_by(f64::total_cmp);
            return Some(ps.iter().map(|&p| type7(n, p, |k| xs[k as usize])).collect());
        }
        let mut sorted: Vec<&Bucket> = self.buckets.values().collect();
        sorted.sort_by(|a, b| a.min.total_cmp(&b.min));
        let order_stat = |k: u64| -> f64 {
            // k is 0-based; walk the cumulative counts.
            let mut seen = 0u64;
            for b in &sorted {
                if k < seen + b.count {
                    let r = k - seen;
                    return if r == 0 {
                        b.min
                    } else if r == b.count - 1 {
                        b.max
                    } else {
                        b.min + (b.max - b.min) * r as f64 / (b.count - 1) as f64
                    };
                }
                seen += b.count;
            }
            self.max
        };
        Some(ps.iter().map(|&p| type7(n, p, order_stat)).collect())
    }
}

/// Type-7 quantile `p` of `n` sorted values, the `k`-th (0-based) given by `order_stat`.
fn type7(n: u64, p: f64, order_stat: impl Fn(u64) -> f64) -> f64 {
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as u64;
    let frac = h - lo as f64;
    let a = order_stat(lo);
    if frac == 0.0 || lo + 1 >= n { a } else { a + frac * (order_stat(lo + 1) - a) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_are_exact_and_large_ones_switch_to_buckets() {
        let mut s = DistanceSketch::default();
        // Values 1 mm apart share a bucket, but below the limit they are kept as they are.
        for i in 0..EXACT_LIMIT {
            s.add(5.0 + i as f64 * 1e-6);
        }
        assert!(s.is_exact());
        let want = 5.0 + (EXACT_LIMIT as f64 - 1.0) / 2.0 * 1e-6;
        assert!((s.quantile(0.5).unwrap() - want).abs() < 1e-12);
        s.add(7.0);
        assert!(!s.is_exact());
        assert_eq!(s.buckets(), 2);
        assert_eq!((s.min(), s.max(), s.count()), (Some(5.0), Some(7.0), EXACT_LIMIT as u64 + 1));
    }

    #[test]
    fn buckets_are_ordered_and_bounded() {
        let xs = [-500.0, -10.0, -9.999, -0.0005, 0.0, 0.0005, 0.01, 9.999, 10.0, 10.011, 500.0, 1e5];
        let idx: Vec<i32> = xs.iter().map(|&x| bucket_of(x)).collect();
        assert!(idx.windows(2).all(|w| w[0] <= w[1]), "{idx:?}");
        // 0.0005 and 0 share a 10 m bucket; 10.0 and 10.011 do not (width 10 m at 10 km).
        assert_eq!(bucket_of(0.0), bucket_of(0.0005));
        assert_ne!(bucket_of(10.0), bucket_of(10.011));
    }

    #[test]
    fn error_bound_holds_for_dense_values() {
        // 100,000 distinct values in [0, 300) km (bucketed): the sketch's quantiles against exact type-7 ones.
        let mut xs: Vec<f64> = (0..100_000).map(|i| ((i as f64) * 0.618_033_988_749).fract() * 300.0).collect();
        let mut s = DistanceSketch::default();
        xs.iter().for_each(|&x| s.add(x));
        assert!(!s.is_exact());
        xs.sort_by(f64::total_cmp);
        for p in [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0] {
            let h = (xs.len() - 1) as f64 * p;
            let lo = h.floor() as usize;
            let exact = if lo + 1 < xs.len() { xs[lo] + (h - lo as f64) * (xs[lo + 1] - xs[lo]) } else { xs[lo] };
            let got = s.quantile(p).unwrap();
            let bound = (0.01f64).max(1e-3 * exact.abs());
            assert!((got - exact).abs() <= bound, "p={p}: {got} vs {exact}");
        }
    }
}
