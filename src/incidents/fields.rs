//! [`Fields`]: the input fields of one row. A table's column names are shared by all of its rows, so a row
//! holds only its values (a million rows no longer allocate a map and a key per field each).

use std::sync::Arc;

use compact_str::CompactString;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value};

/// Every field of an input row, in name order (as `serde_json::Map` kept them, so layers and messages
/// list fields as before): the names shared between rows of one input, the values per row.
///
/// ```
/// use incimap::incidents::Fields;
/// let mut map = serde_json::Map::new();
/// map.insert("weapon".into(), "drone".into());
/// map.insert("date".into(), "2024-05-01".into());
/// let fields = Fields::from(map);
/// assert_eq!(fields["weapon"], "drone");
/// assert_eq!(fields.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["date", "weapon"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    names: Arc<[CompactString]>,
    values: Vec<Value>,
}

/// What `fields["missing"]` gives, as `serde_json::Value` indexing does.
static NULL: Value = Value::Null;

impl Fields {
    /// Fields from shared `names` (sorted, without repeats) and one value per name.
    ///
    /// # Panics
    /// If the lengths differ or the names are not strictly ascending (a caller's bug, not input data).
    pub fn new(names: Arc<[CompactString]>, values: Vec<Value>) -> Fields {
        assert_eq!(names.len(), values.len(), "one value per field name");
        assert!(names.windows(2).all(|w| w[0] < w[1]), "field names sorted and unique");
        Fields { names, values }
    }

    /// [`Fields::new`] for a reader that has checked its names once for all rows.
    pub(crate) fn from_checked(names: Arc<[CompactString]>, values: Vec<Value>) -> Fields {
        debug_assert!(names.len() == values.len() && names.windows(2).all(|w| w[0] < w[1]));
        Fields { names, values }
    }

    /// The shared names (rows of one table share one allocation: compare with [`Arc::ptr_eq`]).
    pub fn names(&self) -> &Arc<[CompactString]> {
        &self.names
    }

    /// The value of field `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        // A row has a handful of fields: a scan (unequal lengths are rejected without reading the text) costs
        // less than a binary search of string comparisons, and this runs a dozen times per row.
        let i = self.names.iter().position(|n| n.as_str() == name)?;
        self.values.get(i)
    }

    /// Whether field `name` is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Set field `name` (replacing its value if present), keeping name order. Copies the names when they are
    /// shared, so it is meant for occasional use (tests, hand-made incidents), not per row of a table.
    pub fn insert(&mut self, name: String, value: Value) -> Option<Value> {
        match self.names.binary_search_by(|n| n.as_str().cmp(&name)) {
            Ok(i) => Some(std::mem::replace(&mut self.values[i], value)),
            Err(i) => {
                let mut names = self.names.to_vec();
                names.insert(i, CompactString::from(name));
                self.names = names.into();
                self.values.insert(i, value);
                None
            }
        }
    }

    /// The value of field `name`, to change in place (the names stay shared).
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Value> {
        let i = self.names.iter().position(|n| n.as_str() == name)?;
        self.values.get_mut(i)
    }

    /// Keep only the fields whose name `keep` accepts (the names are copied: meant for occasional use).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let kept: Vec<usize> = (0..self.names.len()).filter(|&i| keep(&self.names[i])).collect();
        if kept.len() == self.names.len() {
            return;
        }
        self.names = kept.iter().map(|&i| self.names[i].clone()).collect();
        let mut values = std::mem::take(&mut self.values);
        self.values = kept.iter().map(|&i| std::mem::take(&mut values[i])).collect();
    }

    /// `(name, value)` pairs in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.names.iter().map(CompactString::as_str).zip(self.values.iter())
    }

    /// The values in name order (the same order as [`Fields::names`]).
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The fields as a JSON object text, as `Value::Object(map).to_string()` wrote it.
    pub fn to_json(&self) -> String {
        // Serialising strings and values into a String cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl From<Map<String, Value>> for Fields {
    /// A map's entries come in name order already (`serde_json::Map` is sorted by key).
    fn from(map: Map<String, Value>) -> Fields {
        let mut names = Vec::with_capacity(map.len());
        let mut values = Vec::with_capacity(map.len());
        for (k, v) in map {
            names.push(CompactString::from(k));
            values.push(v);
        }
        // `Map` iterates in key order only without serde_json's `preserve_order`; sort if another crate turned
        // that on, so the order (and what is written) does not change with the dependency graph.
        if !names.windows(2).all(|w| w[0] < w[1]) {
            let mut pairs: Vec<_> = names.into_iter().zip(values).collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            (names, values) = pairs.into_iter().unzip();
        }
        Fields { names: names.into(), values }
    }
}

impl std::ops::Index<&str> for Fields {
    type Output = Value;

    /// The value of `name`, or `Value::Null` when absent.
    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn reads_and_writes_like_the_map_it_replaces() {
        let m = map(&[("lon", "36.6".into()), ("lat", 50.5.into()), ("Note", Value::Null), ("a b", true.into())]);
        let f = Fields::from(m.clone());
        assert_eq!(f.to_json(), Value::Object(m.clone()).to_string());
        assert_eq!(serde_json::to_string(&f).unwrap(), serde_json::to_string(&m).unwrap());
        assert_eq!(f.iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>(), m.keys().cloned().collect::<Vec<_>>());
        assert_eq!(f["lat"], 50.5);
        assert_eq!(f["missing"], Value::Null);
        assert_eq!(f.get("missing"), None);
        assert!(f.contains_key("Note") && !f.contains_key("note"));
    }

    #[test]
    fn insert_keeps_name_order_and_replaces() {
        let mut f = Fields::from(map(&[("b", 1.into())]));
        assert_eq!(f.insert("c".into(), 3.into()), None);
        assert_eq!(f.insert("a".into(), 0.into()), None);
        assert_eq!(f.insert("b".into(), 2.into()), Some(1.into()));
        assert_eq!(f.to_json(), r#"{"a":0,"b":2,"c":3}"#);
    }

    #[test]
    fn rows_share_names() {
        let names: Arc<[CompactString]> = vec![CompactString::from("lat"), CompactString::from("lon")].into();
        let a = Fields::new(names.clone(), vec!["1".into(), "2".into()]);
        let b = Fields::new(names, vec!["3".into(), "4".into()]);
        assert!(Arc::ptr_eq(a.names(), b.names()));
        assert_eq!(b["lon"], "4");
    }
}
