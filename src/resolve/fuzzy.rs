//! Bounded fuzzy matching: keys one edit away (a letter inserted, deleted, replaced, or two adjacent
//! letters swapped) from a query key, by a symmetric deletion-neighbourhood index.
//!
//! Two strings are within one edit exactly when they are equal, one is the other with one letter
//! deleted, or both give the same string after deleting one letter each (a substitution, or a swap of
//! neighbours). So every indexed key is stored under the hash of itself and of each one-letter deletion;
//! a query looks up the same variants of its own key and verifies each hit. Built once, lazily, at the
//! first fuzzy query (tens of milliseconds for the shipped gazetteer).

use crate::gazetteer::NameEntry;

/// Shortest query key (in bytes) that fuzzy matching considers: shorter names have too many neighbours.
pub const MIN_FUZZY_LEN: usize = 6;

/// The deletion-neighbourhood index over the distinct keys of a name index: a bucketed hash table in
/// one array (counting sort by the hash's top bits), from the hash of a key or of one of its deletions
/// to the key's first entry in the name index. Built in two sequential passes, no comparison sort.
#[derive(Debug, Default)]
pub(crate) struct FuzzyIndex {
    /// Bucket b holds `entries[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    /// (hash, entry) grouped by bucket.
    entries: Vec<(u64, u32)>,
    /// Right shift that turns a hash into its bucket.
    shift: u32,
}

/// Base of the polynomial string hash.
const BASE: u64 = 0x100_0000_01b3;

/// Spread a polynomial hash over all bits (the bucket is taken from the top bits).
#[inline]
fn finish(h: u64) -> u64 {
    let mut x = h ^ (h >> 31);
    x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 29)
}

/// Calls `f` with the hash of `k` and of each of its one-letter deletions, in O(len) total: with
/// H(s) = Σ s[j]·B^(n−1−j), deleting letter i gives H(prefix)·B^(n−1−i) + H(suffix after i).
#[inline]
fn for_each_variant(k: &[u8], mut f: impl FnMut(u64)) {
    let n = k.len();
    if n > 64 {
        return;
    }
    // suffix[i] = H(k[i..]), pow[i] = B^i
    let mut suffix = [0u64; 65];
    let mut pow = [1u64; 65];
    for i in (0..n).rev() {
        pow[n - i] = pow[n - i - 1].wrapping_mul(BASE);
        suffix[i] = (k[i] as u64 + 1).wrapping_mul(pow[n - 1 - i]).wrapping_add(suffix[i + 1]);
    }
    f(finish(suffix[0]));
    let mut prefix = 0u64; // H(k[..i])
    for i in 0..n {
        // deleting either of two equal neighbours gives the same string: hash it once
        if !(i > 0 && k[i] == k[i - 1]) {
            f(finish(prefix.wrapping_mul(pow[n - 1 - i]).wrapping_add(suffix[i + 1])));
        }
        prefix = prefix.wrapping_mul(BASE).wrapping_add(k[i] as u64 + 1);
    }
}

impl FuzzyIndex {
    /// Index the distinct ASCII keys of `names` (sorted by key) that are long enough to be fuzzy targets.
    pub fn build(names: &[NameEntry]) -> FuzzyIndex {
        let mut all: Vec<(u64, u32)> = Vec::with_capacity(names.len() * 12);
        for (i, e) in names.iter().enumerate() {
            if i > 0 && names[i - 1].key == e.key {
                continue;
            }
            let k = e.key.as_bytes();
            if k.len() + 1 >= MIN_FUZZY_LEN && k.is_ascii() {
                for_each_variant(k, |h| all.push((h, i as u32)));
            }
        }
        // about four entries per bucket
        let bits = (all.len() / 4).max(2).next_power_of_two().trailing_zeros().clamp(1, 24);
        let shift = 64 - bits;
        let mut starts = vec![0u32; (1usize << bits) + 1];
        for &(h, _) in &all {
            starts[(h >> shift) as usize + 1] += 1;
        }
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        let mut fill: Vec<u32> = starts[..starts.len() - 1].to_vec();
        let mut entries = vec![(0u64, 0u32); all.len()];
        for &(h, e) in &all {
            let b = (h >> shift) as usize;
            entries[fill[b] as usize] = (h, e);
            fill[b] += 1;
        }
        FuzzyIndex { starts, entries, shift }
    }

    /// Indexes (into `names`) of the first entry of each key within one edit of `query`, excluding
    /// `query` itself.
    pub fn neighbours(&self, names: &[NameEntry], query: &str) -> Vec<u32> {
        let q = query.as_bytes();
        let mut out: Vec<u32> = Vec::new();
        if q.len() < MIN_FUZZY_LEN || q.len() > 64 || !q.is_ascii() || self.starts.len() < 2 {
            return out;
        }
        for_each_variant(q, |h| {
            let b = (h >> self.shift) as usize;
            let bucket = &self.entries[self.starts[b] as usize..self.starts[b + 1] as usize];
            for &(eh, entry) in bucket {
                if eh == h && !out.contains(&entry) {
                    out.push(entry);
                }
            }
        });
        out.retain(|&e| {
            let k = names[e as usize].key.as_bytes();
            k != q && within_one_edit(k, q)
        });
        out
    }
}

/// The same answer as [`FuzzyIndex::neighbours`] without an index: one pass over the name index. For
/// a one-shot lookup (`incimap resolve NAME`) this takes a few milliseconds on a full-size gazetteer,
/// where building the index takes over a hundred.
pub(crate) fn neighbours_by_scan(names: &[NameEntry], query: &str) -> Vec<u32> {
    let q = query.as_bytes();
    let mut out: Vec<u32> = Vec::new();
    if q.len() < MIN_FUZZY_LEN || q.len() > 64 || !q.is_ascii() {
        return out;
    }
    for (i, e) in names.iter().enumerate() {
        let k = e.key.as_bytes();
        // the keys the index holds: ASCII, and with one-letter deletions at least MIN_FUZZY_LEN - 1 long
        if k.len().abs_diff(q.len()) > 1 || k.len() > 64 || !within_one_edit(k, q) || k == q || !k.is_ascii() {
            continue;
        }
        if i == 0 || names[i - 1].key != e.key {
            out.push(i as u32);
        }
    }
    out
}

/// Whether `a` and `b` differ by at most one insertion, deletion, substitution or adjacent swap.
pub(crate) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        if prefix == short.len() {
            return true;
        }
        // one substitution, or a swap of neighbours
        let rest_equal = |from: usize| short[from..] == long[from..];
        return rest_equal(prefix + 1)
            || (prefix + 1 < short.len()
                && short[prefix] == long[prefix + 1]
                && short[prefix + 1] == long[prefix]
                && rest_equal(prefix + 2));
    }
    // one insertion into `short`
    short[prefix..] == long[prefix + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_what_the_index_finds() {
        let gaz = crate::gazetteer::Gazetteer::embedded().unwrap();
        let index = FuzzyIndex::build(&gaz.names);
        let mut queries: Vec<String> = Vec::new();
        for e in gaz.names.iter().step_by(41) {
            let k = e.key.to_string();
            queries.push(k.clone());
            if k.len() > 3 && k.is_ascii() {
                queries.push(format!("{}{}", &k[..2], &k[3..])); // a letter dropped
                queries.push(format!("{}x{}", &k[..3], &k[3..])); // a letter added
            }
        }
        let mut found = 0;
        for q in &queries {
            let mut a = index.neighbours(&gaz.names, q);
            let mut b = neighbours_by_scan(&gaz.names, q);
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{q}");
            found += a.len();
        }
        assert!(found > 100, "only {found} neighbours in {} queries", queries.len());
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit(b"belgorod", b"belgorod"));
        assert!(within_one_edit(b"belgorod", b"belgorad"));
        assert!(within_one_edit(b"belgorod", b"belgrod"));
        assert!(within_one_edit(b"belgorod", b"beglorod"));
        assert!(within_one_edit(b"belgorod", b"belgorodd"));
        assert!(!within_one_edit(b"belgorod", b"bielgorad"));
        assert!(!within_one_edit(b"belgorod", b"belgo"));
        assert!(!within_one_edit(b"abcd", b"badc"));
    }

    #[test]
    fn deletion_hashes_equal_hashes_of_the_deleted_strings() {
        let k = b"belgorod";
        let mut got = Vec::new();
        for_each_variant(k, |h| got.push(h));
        let mut want = Vec::new();
        for_each_variant(k, |_| {});
        let whole = |s: &[u8]| {
            let mut v = Vec::new();
            for_each_variant(s, |h| v.push(h));
            v[0]
        };
        want.push(whole(k));
        for i in 0..k.len() {
            let mut d = k.to_vec();
            d.remove(i);
            want.push(whole(&d));
        }
        assert_eq!(got, want);
    }
}
