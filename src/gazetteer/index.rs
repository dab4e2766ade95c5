//! Building the gazetteer's name index.

use crate::gazetteer::{NameEntry, NameKind, Place};

/// Name-index entries for `places` (with their alternate names), sorted by key then place.
pub fn name_entries(places: &[Place], alt_names: &[Vec<String>]) -> Vec<NameEntry> {
    let mut out = Vec::new();
    for (i, p) in places.iter().enumerate() {
        out.push(NameEntry { key: crate::names::key(&p.name).into(), place: i as u32, kind: NameKind::Primary });
        for a in alt_names.get(i).into_iter().flatten() {
            out.push(NameEntry { key: crate::names::key(a).into(), place: i as u32, kind: NameKind::Alternate });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key).then(a.place.cmp(&b.place)).then(a.kind.cmp(&b.kind)));
    out.dedup_by(|a, b| a.key == b.key && a.place == b.place);
    out
}

/// `old` and `more` (each sorted by key then place, as [`name_entries`] gives them) as one index sorted so,
/// in one pass. Every place of `more` must come after every place of `old` (places appended to a
/// gazetteer), so that among equal keys the entries of `old` come first.
pub fn merge_entries(old: Vec<NameEntry>, more: Vec<NameEntry>) -> Vec<NameEntry> {
    let mut out = Vec::with_capacity(old.len() + more.len());
    let mut more = more.into_iter().peekable();
    for entry in old {
        while let Some(next) = more.next_if(|m| m.key < entry.key) {
            out.push(next);
        }
        out.push(entry);
    }
    out.extend(more);
    out
}

/// A hash table over a name index (sorted by key) from each distinct key to its run of entries, so an
/// exact lookup is one hash and one string comparison instead of a binary search over heap strings.
/// Built by [`Gazetteer::names_with_key`](crate::gazetteer::Gazetteer::names_with_key) once it is used often.
#[derive(Debug, Default)]
pub struct KeyTable {
    /// (hash, first entry, entry count); hash 0 marks an empty slot. The length is a power of two.
    slots: Vec<(u64, u32, u32)>,
}

/// FNV-1a, never 0.
#[inline]
fn hash_key(k: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in k.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h ^ (h >> 32)).max(1)
}

impl KeyTable {
    /// The table for `names`, which must be sorted by key (as [`name_entries`] and the gazetteer keep it).
    pub fn build(names: &[NameEntry]) -> KeyTable {
        let distinct = names.iter().enumerate().filter(|(i, e)| *i == 0 || names[i - 1].key != e.key).count();
        let size = (distinct * 2).next_power_of_two().max(16);
        let mask = size - 1;
        let mut slots = vec![(0u64, 0u32, 0u32); size];
        let mut i = 0;
        while i < names.len() {
            let mut j = i + 1;
            while j < names.len() && names[j].key == names[i].key {
                j += 1;
            }
            let h = hash_key(&names[i].key);
            let mut at = h as usize & mask;
            while slots[at].0 != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = (h, i as u32, (j - i) as u32);
            i = j;
        }
        KeyTable { slots }
    }

    /// The entries of `names` whose key is `key` (the same `names` the table was built from).
    pub fn get<'n>(&self, names: &'n [NameEntry], key: &str) -> &'n [NameEntry] {
        if self.slots.is_empty() {
            return &[];
        }
        let mask = self.slots.len() - 1;
        let h = hash_key(key);
        let mut at = h as usize & mask;
        loop {
            let (sh, start, len) = self.slots[at];
            if sh == 0 {
                return &[];
            }
            if sh == h {
                let run = &names[start as usize..(start + len) as usize];
                if run[0].key == key {
                    return run;
                }
            }
            at = (at + 1) & mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of the embedded gazetteer finds its run of entries, found here by a linear pass over the
    /// sorted index (the oracle); keys that are not in the index find nothing.
    /// Merging gives what sorting the joined entries gives (the order `name_entries` sorts by).
    #[test]
    fn merged_entries_are_sorted_as_a_fresh_index() {
        let place = |name: &str| Place {
            geonameid: 0,
            name: name.into(),
            lat: 0.0,
            lon: 0.0,
            feature_code: "PPL".into(),
            country: "RU".into(),
            admin1: "".into(),
            admin2: "".into(),
            population: 0,
            source: Default::default(),
            precision: Default::default(),
        };
        let old = vec![place("Belgorod"), place("Sudzha"), place("Kursk")];
        let alt_old = vec![vec!["Белгород".to_string()], vec![], vec!["Курск".to_string()]];
        let new = vec![place("Гончаровка"), place("Kursk")];
        let alt_new = vec![vec!["Goncharovka".to_string(), "Гончарівка".to_string()], vec![]];
        let mut shifted = name_entries(&new, &alt_new);
        for e in &mut shifted {
            e.place += old.len() as u32;
        }
        let merged = merge_entries(name_entries(&old, &alt_old), shifted);
        let all: Vec<Place> = old.into_iter().chain(new).collect();
        let alt_all: Vec<Vec<String>> = alt_old.into_iter().chain(alt_new).collect();
        assert_eq!(merged, name_entries(&all, &alt_all));
        assert!(merged.windows(2).any(|w| w[0].key == w[1].key), "the fixture has a shared key");
    }

    #[test]
    fn key_table_finds_every_run() {
        let gaz = crate::gazetteer::Gazetteer::embedded().unwrap();
        let names = &gaz.names;
        let table = KeyTable::build(names);
        let mut i = 0;
        while i < names.len() {
            let j = i + names[i..].iter().take_while(|e| e.key == names[i].key).count();
            assert_eq!(table.get(names, &names[i].key), &names[i..j], "key {:?}", names[i].key);
            i = j;
        }
        for absent in ["no such key at all", "", "belgorodx", "belgoro"] {
            assert!(table.get(names, absent).is_empty(), "{absent:?}");
        }
    }
}
