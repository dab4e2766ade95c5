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

/// The deletion-neighbourhood index over the distinct keys of a name index.
#[derive(Debug, Default)]
pub(crate) struct FuzzyIndex {
    /// (hash of a key or of one of its deletions, index of the key's first entry in the name index),
    /// sorted.
    variants: Vec<(u64, u32)>,
}

#[inline]
fn hash_parts(a: &[u8], b: &[u8]) -> u64 {
    // FNV-1a over the two parts as one string: the key with one letter removed, without building it.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in a.iter().chain(b) {
        h ^= x as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Calls `f` with the hash of `k` and of each of its one-letter deletions (ASCII keys only).
#[inline]
fn for_each_variant(k: &[u8], mut f: impl FnMut(u64)) {
    f(hash_parts(k, &[]));
    for i in 0..k.len() {
        // deleting either of two equal neighbours gives the same string: hash it once
        if i > 0 && k[i] == k[i - 1] {
            continue;
        }
        f(hash_parts(&k[..i], &k[i + 1..]));
    }
}

impl FuzzyIndex {
    /// Index the distinct ASCII keys of `names` (sorted by key) that are long enough to be fuzzy targets.
    pub fn build(names: &[NameEntry]) -> FuzzyIndex {
        let mut variants = Vec::with_capacity(names.len() * 8);
        let mut i = 0;
        while i < names.len() {
            let k = names[i].key.as_bytes();
            if k.len() + 1 >= MIN_FUZZY_LEN && k.is_ascii() {
                for_each_variant(k, |h| variants.push((h, i as u32)));
            }
            // skip the other entries of the same key
            let mut j = i + 1;
            while j < names.len() && names[j].key == names[i].key {
                j += 1;
            }
            i = j;
        }
        variants.sort_unstable();
        variants.dedup();
        FuzzyIndex { variants }
    }

    /// Indexes (into `names`) of the first entry of each key within one edit of `query`, excluding
    /// `query` itself.
    pub fn neighbours(&self, names: &[NameEntry], query: &str) -> Vec<u32> {
        let q = query.as_bytes();
        let mut out: Vec<u32> = Vec::new();
        if q.len() < MIN_FUZZY_LEN || !q.is_ascii() {
            return out;
        }
        for_each_variant(q, |h| {
            let lo = self.variants.partition_point(|&(vh, _)| vh < h);
            for &(vh, entry) in &self.variants[lo..] {
                if vh != h {
                    break;
                }
                if !out.contains(&entry) {
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
}
