//! A memo keyed by strings whose keys live end to end in one buffer.
//!
//! The extractor remembers every written form it looks up: tens of thousands per megabyte of news, most of
//! them not places. A `HashMap<String, V>` allocates a string per form and frees each one again when the
//! extractor goes; here a key costs no allocation of its own, and the whole memo is freed in a few calls.

use std::cell::RefCell;
use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

/// Bytes of keys a memo holds at most; past it (or past its entry limit) [`StrMemo::is_full`] says so and
/// the owner clears it. Keeps every offset within `u32`.
const MAX_KEY_BYTES: usize = 256 << 20;

/// A map from strings to `V` (see the module docs).
///
/// ```ignore
/// let mut m = StrMemo::default();
/// m.insert("Kursk", 1);
/// assert_eq!(m.get("Kursk"), Some(&1));
/// assert_eq!(m.get("Kurs"), None);
/// ```
pub(crate) struct StrMemo<V> {
    /// Every key, end to end.
    keys: String,
    entries: Vec<Entry<V>>,
    /// Indices into `entries`, by the key's hash.
    table: HashTable<u32>,
}

struct Entry<V> {
    start: u32,
    end: u32,
    hash: u64,
    value: V,
}

impl<V> Default for StrMemo<V> {
    fn default() -> Self {
        StrMemo { keys: String::new(), entries: Vec::new(), table: HashTable::new() }
    }
}

fn hash(key: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(key.as_bytes());
    h.finish()
}

impl<V> StrMemo<V> {
    /// The value remembered for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        let h = hash(key);
        let i = self.table.find(h, |&i| self.key_at(i as usize) == key)?;
        Some(&self.entries[*i as usize].value)
    }

    /// Remember `value` for `key` (replacing what was remembered for it).
    pub(crate) fn insert(&mut self, key: &str, value: V) {
        let h = hash(key);
        let StrMemo { keys, entries, table } = self;
        if let Some(&i) = table.find(h, |&i| {
            let e = &entries[i as usize];
            &keys[e.start as usize..e.end as usize] == key
        }) {
            entries[i as usize].value = value;
            return;
        }
        let start = keys.len() as u32;
        keys.push_str(key);
        let index = entries.len() as u32;
        entries.push(Entry { start, end: keys.len() as u32, hash: h, value });
        table.insert_unique(h, index, |&i| entries[i as usize].hash);
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Holds `limit` entries or more, or as many key bytes as it may.
    pub(crate) fn is_full(&self, limit: usize) -> bool {
        self.entries.len() >= limit || self.keys.len() >= MAX_KEY_BYTES
    }

    /// Forget everything (the buffers are kept).
    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.entries.clear();
        self.table.clear();
    }

    /// The value remembered for `key` in `memo`, else `make`'s, remembered (the memo is cleared first when it
    /// holds `limit` entries). `make` runs with the memo unborrowed.
    #[inline]
    pub(crate) fn remembered(memo: &RefCell<StrMemo<V>>, key: &str, limit: usize, make: impl FnOnce() -> V) -> V
    where
        V: Clone,
    {
        if let Some(v) = memo.borrow().get(key) {
            return v.clone();
        }
        let v = make();
        let mut m = memo.borrow_mut();
        if m.is_full(limit) {
            m.clear();
        }
        m.insert(key, v.clone());
        v
    }

    fn key_at(&self, i: usize) -> &str {
        let e = &self.entries[i];
        &self.keys[e.start as usize..e.end as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::StrMemo;
    use std::collections::HashMap;

    /// The memo answers as std's `HashMap` does, over inserts, replacements, misses and clears.
    #[test]
    fn behaves_like_a_hash_map() {
        let mut memo: StrMemo<u32> = StrMemo::default();
        let mut reference: HashMap<String, u32> = HashMap::new();
        // Deterministic keys: many short ones that share prefixes, Cyrillic, the empty string.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        let syllables = ["ku", "rsk", "бел", "город", "", "o", "ka", "-", " "];
        for round in 0..20_000u32 {
            let key: String = (0..next() % 4).map(|_| syllables[(next() % 9) as usize]).collect();
            if next() % 3 == 0 {
                memo.insert(&key, round);
                reference.insert(key.clone(), round);
            }
            assert_eq!(memo.get(&key), reference.get(&key), "key {key:?}");
            if round == 10_000 {
                memo.clear();
                reference.clear();
            }
            assert_eq!(memo.len(), reference.len());
        }
        assert!(!memo.is_full(usize::MAX));
        assert!(memo.is_full(memo.len()));
    }

    /// `remembered` makes a value once per key, and clears a full memo before remembering more.
    #[test]
    fn remembered_makes_each_value_once() {
        let memo = std::cell::RefCell::new(StrMemo::default());
        let mut made = 0;
        for key in ["a", "b", "a", "a", "b"] {
            let v = StrMemo::remembered(&memo, key, 10, || {
                made += 1;
                key.len() * 10
            });
            assert_eq!(v, 10);
        }
        assert_eq!(made, 2);
        // With room for two, a third key clears the memo first: only it is left.
        StrMemo::remembered(&memo, "c", 2, || 7);
        assert_eq!(memo.borrow().len(), 1);
        assert_eq!(memo.borrow().get("c"), Some(&7));
    }
}
