//! Finding a build's input files in a folder.

use std::path::{Path, PathBuf};

use crate::gazetteer::GazetteerError;

/// The input files found in a build folder.
#[derive(Default)]
pub(super) struct Inputs {
    pub dumps: Vec<PathBuf>,
    /// GeoNames postal-code files, in a folder named `postal`.
    pub postal: PostalInputs,
    pub admin1: Option<PathBuf>,
    pub admin2: Option<PathBuf>,
    pub ukraine: Option<PathBuf>,
    pub russia: Option<PathBuf>,
    pub belarus: Option<PathBuf>,
}

/// GeoNames' postal-code files: `{CC}.txt`, or `{CC}.zip` as GeoNames publishes them (export/zip/), in a
/// folder named `postal` (never beside the country dumps: `export/dump/RU.zip` also holds a `RU.txt`).
#[derive(Default)]
pub(super) struct PostalInputs {
    /// The `postal` folder, when the inputs have one (even an empty one).
    pub dir: Option<PathBuf>,
    pub files: Vec<PathBuf>,
}

impl PostalInputs {
    /// True when there is no postal-code file to read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Search `dir` (and its folders, three deep) for the inputs of a build.
pub(super) fn find_inputs(dir: &Path) -> Result<Inputs, GazetteerError> {
    let mut inputs = Inputs::default();
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((d, depth)) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|source| GazetteerError::Io { path: d.clone(), source })?;
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                if depth < 3 {
                    if is_postal_dir(&path) && inputs.postal.dir.is_none() {
                        inputs.postal.dir = Some(path.clone());
                    }
                    stack.push((path, depth + 1));
                }
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            let lower = name.to_ascii_lowercase();
            if lower == "admin1codesascii.txt" {
                inputs.admin1 = Some(path);
            } else if lower == "admin2codes.txt" {
                inputs.admin2 = Some(path);
            } else if path.parent().is_some_and(is_postal_dir) {
                if lower.ends_with(".zip") || (lower.ends_with(".txt") && !is_auxiliary_txt(&lower)) {
                    inputs.postal.files.push(path);
                }
            } else if lower.ends_with(".zip") || (lower.ends_with(".txt") && !is_auxiliary_txt(&lower)) {
                inputs.dumps.push(path);
            } else if lower.ends_with(".geojson") || lower.ends_with(".json") {
                if lower.contains("border") {
                    continue; // a reference line, never an input: the border is derived from the polygons
                }
                // Belarus first: "belarus" contains "rus".
                let slot = if lower.contains("belarus") || lower.contains("blr") {
                    &mut inputs.belarus
                } else if lower.contains("ukraine") || lower.contains("ukr") {
                    &mut inputs.ukraine
                } else if lower.contains("russia") || lower.contains("rus") {
                    &mut inputs.russia
                } else {
                    continue;
                };
                *slot = Some(path);
            }
        }
    }
    Ok(inputs)
}

/// Is `dir` a folder named `postal` (GeoNames' postal-code files, in another format than the dumps)?
fn is_postal_dir(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n.eq_ignore_ascii_case("postal"))
}

/// A GeoNames `.txt` that is not a dump: a readme or a code list.
pub(super) fn is_auxiliary_txt(lower: &str) -> bool {
    lower.starts_with("readme")
        || lower.contains("codes")
        || lower.starts_with("iso-")
        || lower.starts_with("timezones")
        || lower.starts_with("countryinfo")
        || lower.starts_with("featurecodes")
}
