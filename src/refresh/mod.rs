//! Refreshing the gazetteer from public data over the network (not yet built).

use std::path::PathBuf;

/// Where `gazetteer refresh` installs by default: `$XDG_DATA_HOME/incimap` (or the platform's data dir).
pub fn installed_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("incimap"))
}
