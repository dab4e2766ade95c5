//! Set-up shared by the incident-reader and statistics tests: the hand-made fixtures in
//! tests/data/incidents/, read-options that take distances from their `border_km` column (so those tests do
//! not depend on the border engine), and the embedded gazetteer decoded once per test binary.
//! Included with `#[path = "support/incidents.rs"] mod fixtures;` (tests/support/mod.rs is the HTTP server).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use incimap::border::BorderIndex;
use incimap::gazetteer::Gazetteer;
use incimap::incidents::ReadOptions;

/// A fixture in tests/data/incidents/.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/incidents").join(name)
}

/// Read options that take each row's distance from its `border_km` column.
pub fn given_km() -> ReadOptions {
    ReadOptions { given_border_km: true, ..ReadOptions::default() }
}

/// The embedded gazetteer and its border index. Decoding the gazetteer is the slow part of a debug test:
/// once for all tests of a binary.
pub fn gazetteer() -> &'static (Gazetteer, BorderIndex) {
    static GAZ: std::sync::OnceLock<(Gazetteer, BorderIndex)> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| {
        let gaz = Gazetteer::embedded().expect("embedded gazetteer");
        let border = BorderIndex::new(&gaz.boundaries);
        (gaz, border)
    })
}
