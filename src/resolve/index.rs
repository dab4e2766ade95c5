//! Building the gazetteer's name index.

use crate::gazetteer::{NameEntry, NameKind, Place};

/// Name-index entries for `places` (with their alternate names), sorted by key then place.
pub fn name_entries(places: &[Place], alt_names: &[Vec<String>]) -> Vec<NameEntry> {
    let mut out = Vec::new();
    for (i, p) in places.iter().enumerate() {
        out.push(NameEntry { key: crate::names::key(&p.name), place: i as u32, kind: NameKind::Primary });
        for a in alt_names.get(i).into_iter().flatten() {
            out.push(NameEntry { key: crate::names::key(a), place: i as u32, kind: NameKind::Alternate });
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key).then(a.place.cmp(&b.place)).then(a.kind.cmp(&b.kind)));
    out.dedup_by(|a, b| a.key == b.key && a.place == b.place);
    out
}
