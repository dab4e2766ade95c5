//! Name normalisation: one function, [`key`], that every lookup goes through, so that spellings of the
//! same name meet (Graivoron / Grayvoron / Грайворон).

/// Version of the [`key`] function. Stored in each gazetteer; bump it whenever `key` changes so that
/// stale gazetteers are rebuilt rather than silently mismatched.
pub const KEY_VERSION: u32 = 1;

/// The lookup key of a name (placeholder: lower-cased; replaced by the full normalisation).
pub fn key(name: &str) -> String {
    name.trim().to_lowercase()
}
