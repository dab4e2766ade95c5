//! Atomic file writes: write beside the target into a temporary file, then rename over it, so a reader
//! never sees a half-written file and a failed run leaves the previous file untouched.

use std::io::{self, Write};
use std::path::Path;

/// Write `contents` to `path` atomically.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.txt");
/// incimap::atomic_file::write(&p, b"hello").unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"hello");
/// ```
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_with(path, |w| w.write_all(contents))
}

/// Stream into `path` atomically: `fill` writes into a buffered temporary file in the same directory,
/// which is renamed over `path` only if `fill` succeeds.
pub fn write_with<F>(path: &Path, fill: F) -> io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempfile_in(dir)?;
    {
        let mut buf = io::BufWriter::with_capacity(1 << 16, tmp.as_file());
        fill(&mut buf)?;
        buf.flush()?;
    }
    tmp.as_file().sync_all()?;
    // Temporary files are created private; the result is an ordinary file like any other output.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
