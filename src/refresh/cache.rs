//! The download cache kept in the installed directory (`sources/`): the files last downloaded and their
//! HTTP validators (ETag / Last-Modified), so the next refresh can ask "changed since?" and re-use them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Sub-directory of an installed gazetteer holding the cached downloads.
pub const CACHE_DIR: &str = "sources";
/// The cache's index inside [`CACHE_DIR`].
pub const STATE_FILE: &str = "state.json";

/// One cached download.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct CacheEntry {
    /// The URL it was downloaded from (validators only apply to the same URL).
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// SHA-256 of the cached file, checked before re-use.
    pub sha256: String,
    pub bytes: u64,
}

/// The cache index: entries by file name, and what the installed gazetteer was built from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct CacheState {
    pub files: BTreeMap<String, CacheEntry>,
    /// SHA-256 of the `gazetteer.bin` built from exactly these files.
    pub built_sha256: Option<String>,
    /// Countries of that build.
    pub countries: Vec<String>,
}

impl CacheState {
    /// Read the cache of an installed directory; a missing or unreadable index is an empty cache (the
    /// cache only saves downloads, it never decides what is installed).
    pub fn load(installed: &Path) -> CacheState {
        std::fs::read(installed.join(CACHE_DIR).join(STATE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The cached copy of `file` in `installed`, if it is present, was downloaded from `url` and still
    /// has the recorded checksum.
    pub fn usable(&self, installed: &Path, file: &str, url: &str) -> Option<(CacheEntry, PathBuf)> {
        let entry = self.files.get(file)?;
        if entry.url != url || (entry.etag.is_none() && entry.last_modified.is_none()) {
            return None;
        }
        let path = installed.join(CACHE_DIR).join(file);
        (sha256_file(&path).ok()? == entry.sha256).then(|| (entry.clone(), path))
    }
}

/// SHA-256 of a file, streamed, lower-case hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
