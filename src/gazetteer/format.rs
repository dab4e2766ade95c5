//! The binary gazetteer format: an 8-byte magic, a little-endian u32 format version, then the
//! [`Gazetteer`] encoded with postcard. The manifest is also written beside it as JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Gazetteer, GazetteerError};

const MAGIC: &[u8; 8] = b"INCIMAPG";
/// Bumped whenever the stored structures change.
pub const FORMAT_VERSION: u32 = 1;

/// What a gazetteer holds and where it came from.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Manifest {
    pub format_version: u32,
    /// [`crate::names::KEY_VERSION`] the name index was built with.
    pub name_key_version: u32,
    /// UTC time of the build, RFC 3339.
    pub built_at: String,
    /// Where the inputs came from (a directory, or the URLs `refresh` downloaded).
    pub origin: String,
    pub countries: Vec<String>,
    pub sources: Vec<Source>,
    /// Populated places per country, then per feature code.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    pub admin1_count: u64,
    pub admin2_count: u64,
    pub name_count: u64,
    /// Length of the derived land border in km (geodesic).
    pub border_km: f64,
}

/// One input file of a build.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Source {
    /// File name (inside its zip, when it came from one: `RU.zip:RU.txt`).
    pub file: String,
    /// `geonames`, `admin1`, `admin2` or `boundary`.
    pub kind: String,
    /// Rows read (features, for boundaries).
    pub rows: u64,
    /// Latest GeoNames modification date among the rows kept, when the format has one.
    pub modified: Option<String>,
    /// SHA-256 of the file as read.
    pub sha256: String,
    /// Where it was downloaded from, for refreshed gazetteers.
    pub url: Option<String>,
}

/// Encode a gazetteer into the binary format.
pub fn encode(gaz: &Gazetteer) -> Result<Vec<u8>, GazetteerError> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let body =
        postcard::to_stdvec(gaz).map_err(|e| GazetteerError::Invalid(format!("cannot encode gazetteer: {e}")))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Decode the binary format; `what` names the source in error messages.
pub fn decode(bytes: &[u8], what: &str) -> Result<Gazetteer, GazetteerError> {
    let corrupt = |why: String| GazetteerError::Corrupt { what: what.to_string(), why };
    if bytes.is_empty() {
        return Err(corrupt("it is empty".into()));
    }
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return Err(corrupt("it does not start with the incimap gazetteer header".into()));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version != FORMAT_VERSION {
        return Err(corrupt(format!(
            "format version {version}, this incimap reads version {FORMAT_VERSION}: rebuild it with `incimap gazetteer build` or `refresh`"
        )));
    }
    let gaz: Gazetteer = postcard::from_bytes(&bytes[12..]).map_err(|e| corrupt(format!("undecodable ({e})")))?;
    if gaz.manifest.name_key_version != crate::names::KEY_VERSION {
        return Err(corrupt(format!(
            "its name index uses normalisation version {}, this incimap uses {}: rebuild it",
            gaz.manifest.name_key_version,
            crate::names::KEY_VERSION
        )));
    }
    Ok(gaz)
}
