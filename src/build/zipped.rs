//! Reading the text files inside a GeoNames zip archive (a country dump `RU.zip`, or a postal-code dump
//! `postal/RU.zip`: both hold `{CC}.txt` and a `readme.txt`), refusing hostile archives: an entry that
//! climbs out of the archive (path traversal), and a member that declares or inflates to more than the
//! cap (a zip bomb). Members are streamed, never unpacked to disk.

use std::io::Read;
use std::path::Path;

use super::inputs::is_auxiliary_txt;
use super::{MeteredReader, metered};
use crate::gazetteer::GazetteerError;

/// Read every GeoNames text member of the zip archive at `path` (a top-level `*.txt` that is not a readme
/// or code list), in archive order: `read` gets the member's name and a reader that hashes what it reads
/// and fails past `max_bytes` inflated bytes. Every entry's name is checked before any member is read.
pub(super) fn read_text_members(
    path: &Path,
    max_bytes: u64,
    mut read: impl FnMut(&str, MeteredReader<&mut dyn Read>) -> Result<(), GazetteerError>,
) -> Result<(), GazetteerError> {
    // An input of the build, not a gazetteer: named as such ("x.zip: not a readable zip archive").
    let corrupt = |why: String| GazetteerError::Invalid(format!("{}: {why}", path.display()));
    let file = std::fs::File::open(path).map_err(|source| GazetteerError::Io { path: path.to_path_buf(), source })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| corrupt(format!("not a readable zip archive ({e})")))?;
    let mut wanted = Vec::new();
    let mut names = Vec::new();
    for i in 0..archive.len() {
        // Raw access: reads the central directory record only, decompresses nothing.
        let entry = archive.by_index_raw(i).map_err(|e| corrupt(format!("unreadable zip entry ({e})")))?;
        let raw_name = String::from_utf8_lossy(entry.name_raw()).to_string();
        let Some(name) = entry.enclosed_name().filter(|_| !name_escapes(&raw_name)) else {
            return Err(corrupt(format!("zip entry {raw_name:?} escapes the archive: refused")));
        };
        let member = name.to_string_lossy().to_string();
        let lower = member.to_ascii_lowercase();
        if entry.is_file() && lower.ends_with(".txt") && !is_auxiliary_txt(&lower) && !lower.contains('/') {
            if entry.size() > max_bytes {
                return Err(corrupt(format!(
                    "{member} declares {} bytes uncompressed, over the limit of {max_bytes} (a zip bomb?): refused",
                    entry.size()
                )));
            }
            wanted.push((i, member.clone()));
        }
        names.push(member);
    }
    if wanted.is_empty() {
        return Err(corrupt(format!("the zip holds no GeoNames .txt file (it holds: {})", names.join(", "))));
    }
    for (i, member) in wanted {
        let mut entry = archive.by_index(i).map_err(|e| corrupt(format!("unreadable zip entry {member} ({e})")))?;
        // The cap counts what really inflates, whatever the headers declare.
        read(&member, metered(&mut entry as &mut dyn Read, max_bytes))?;
    }
    Ok(())
}

/// Whether a zip entry's name points outside the archive: absolute (`/etc/x`, `\\x`, `C:x`) or climbing
/// out with `..`, with either slash. (The zip crate's `enclosed_name` is checked as well, but it quietly
/// turns some absolute names into relative ones; an archive holding such a name is refused whole.)
pub(crate) fn name_escapes(name: &str) -> bool {
    name.starts_with(['/', '\\'])
        || name.as_bytes().get(1) == Some(&b':')
        || name.split(['/', '\\']).any(|part| part == "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// The members `read_text_members` hands over, with what was read of each (or the error).
    fn members(zip: &[u8], max_bytes: u64) -> Result<Vec<(String, Vec<u8>)>, GazetteerError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("XX.zip");
        std::fs::write(&path, zip).unwrap();
        let mut out = Vec::new();
        read_text_members(&path, max_bytes, |member, mut reader| {
            let mut bytes = Vec::new();
            reader.read_to_end(&mut bytes).map_err(|e| GazetteerError::Invalid(e.to_string()))?;
            out.push((member.to_string(), bytes));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn only_geonames_text_members_are_read() {
        let zip = zip_of(&[("readme.txt", b"about"), ("RU.txt", b"a\tb\n"), ("notes.csv", b"x")]);
        assert_eq!(members(&zip, 100).unwrap(), vec![("RU.txt".to_string(), b"a\tb\n".to_vec())]);
        let err = members(&zip_of(&[("readme.txt", b"about")]), 100).unwrap_err().to_string();
        assert!(err.contains("holds no GeoNames .txt file (it holds: readme.txt)"), "{err}");
    }

    #[test]
    fn an_escaping_entry_refuses_the_whole_archive() {
        for evil in ["../../x.txt", "/etc/x.txt", "a/../../x.txt", "..\\..\\x.txt", "C:x.txt"] {
            let err = members(&zip_of(&[("RU.txt", b"a\n"), (evil, b"owned")]), 100).unwrap_err().to_string();
            assert!(err.contains("escapes the archive"), "{evil}: {err}");
        }
    }

    #[test]
    fn size_caps_count_declared_and_inflated_bytes() {
        // 5000 bytes declared against a cap of 4999: refused before reading; at 5000 it passes.
        let zip = zip_of(&[("RU.txt", &[b'a'; 5000])]);
        let err = members(&zip, 4999).unwrap_err().to_string();
        assert!(err.contains("declares 5000 bytes") && err.contains("zip bomb"), "{err}");
        assert_eq!(members(&zip, 5000).unwrap()[0].1.len(), 5000);

        // Headers forged down to 1000 bytes (local header offset 22, central record offset 24): the
        // declared size passes, what inflates does not.
        let mut bomb = zip_of(&[("RU.txt", &[b'0'; 200_000])]);
        let find = |b: &[u8], sig: &[u8], from: usize| b[from..].windows(4).position(|w| w == sig).unwrap() + from;
        let local = find(&bomb, b"PK\x03\x04", 0);
        let central = find(&bomb, b"PK\x01\x02", local + 30);
        for at in [local + 22, central + 24] {
            bomb[at..at + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        let err = members(&bomb, 100_000).unwrap_err().to_string();
        assert!(!err.contains("declares"), "the forged header passes the declared check: {err}");
    }
}
