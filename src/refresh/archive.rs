//! Checking downloaded files before anything reads them: zip archives (path traversal, zip bombs, only
//! the expected member) and error pages served in place of data.

use std::io::{Read, Write};
use std::path::Path;

/// If `head` (the first bytes of a download) is an HTML page, a short description of it for an error
/// message (servers and proxies answer a missing file with "200 OK" and a page more often than one hopes).
///
/// ```
/// let page = b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head></html>";
/// let why = incimap::refresh::archive::html_page(page).unwrap();
/// assert!(why.contains("Service Unavailable"));
/// assert!(incimap::refresh::archive::html_page(b"PK\x03\x04").is_none());
/// ```
pub fn html_page(head: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !(start.starts_with("<!doctype html") || start.starts_with("<html") || start.starts_with("<head")) {
        return None;
    }
    let original = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_string();
    let title = text.find("<title>").and_then(|a| {
        let from = a + "<title>".len();
        text[from..].find("</title>").map(|b| original.get(from..from + b).unwrap_or("").trim().to_string())
    });
    Some(match title {
        Some(t) if !t.is_empty() => format!("an HTML page (\"{}\")", t.chars().take(80).collect::<String>()),
        _ => "an HTML page".to_string(),
    })
}

/// The first `n` bytes of a file.
pub fn head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    std::fs::File::open(path)?.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Copy the member `member` of the zip archive `zip_path` into `dest`, refusing archives that are not
/// what a GeoNames country dump should be:
/// - not a zip at all (an empty file or an HTML error page is named as such);
/// - any entry whose name is absolute or climbs out with `..` (path traversal);
/// - a member that declares, or actually inflates to, more than `max_bytes` (a zip bomb), or to a
///   size other than the one it declares.
///
/// Only `member` is decompressed; other entries (GeoNames ships a `readme.txt`) are never read.
/// Returns the number of bytes written. On error `dest` may hold a partial file (the caller's staging
/// folder is thrown away).
pub fn extract_member(zip_path: &Path, member: &str, dest: &Path, max_bytes: u64) -> Result<u64, String> {
    let first = head(zip_path, 4096).map_err(|e| format!("cannot read it: {e}"))?;
    if first.is_empty() {
        return Err("the server sent an empty file (0 bytes) instead of a zip archive".into());
    }
    if !first.starts_with(b"PK\x03\x04") && !first.starts_with(b"PK\x05\x06") {
        if let Some(page) = html_page(&first) {
            return Err(format!("the server sent {page} instead of a zip archive"));
        }
        return Err("not a zip archive (it does not start with a zip header)".into());
    }
    let file = std::fs::File::open(zip_path).map_err(|e| format!("cannot read it: {e}"))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| format!("corrupt zip archive ({e})"))?;
    let mut wanted = None;
    let mut names = Vec::new();
    for i in 0..archive.len() {
        // Raw access: reads the central directory record only, decompresses nothing.
        let entry = archive.by_index_raw(i).map_err(|e| format!("corrupt zip archive: entry {i} ({e})"))?;
        let name = entry
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).to_string());
        let escapes = entry.enclosed_name().is_none() || crate::build::zipped::name_escapes(&name);
        if escapes {
            return Err(format!("entry {name:?} points outside the archive (path traversal): refused"));
        }
        if name == member {
            if entry.size() > max_bytes {
                return Err(format!(
                    "{member} declares {} bytes uncompressed, over the limit of {max_bytes} (a zip bomb?): refused",
                    entry.size()
                ));
            }
            wanted = Some((i, entry.size()));
        }
        names.push(name);
    }
    let Some((index, declared)) = wanted else {
        return Err(format!("no {member} in the archive (it holds: {})", names.join(", ")));
    };
    let entry = archive.by_index(index).map_err(|e| format!("corrupt zip archive: {member} ({e})"))?;
    let out = std::fs::File::create(dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    // Count what really comes out, whatever the headers say: one byte past the limit is enough to refuse.
    let mut limited = entry.take(max_bytes + 1);
    let mut buf = vec![0u8; 1 << 16];
    let mut written = 0u64;
    loop {
        let n = limited.read(&mut buf).map_err(|e| format!("corrupt zip archive: {member} does not inflate ({e})"))?;
        if n == 0 {
            break;
        }
        written += n as u64;
        if written > max_bytes {
            return Err(format!("{member} inflates to more than {max_bytes} bytes (a zip bomb?): refused"));
        }
        out.write_all(&buf[..n]).map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
    }
    if written != declared {
        return Err(format!(
            "{member} inflates to {written} bytes but declares {declared}: corrupt or forged, refused"
        ));
    }
    out.flush().map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
    Ok(written)
}
