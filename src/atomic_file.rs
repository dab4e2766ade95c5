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

/// A file being written atomically over a longer run (for streams fed item by item, where
/// [`write_with`]'s closure does not fit): write into it, then [`AtomicWriter::commit`] renames it over the
/// target. Dropping it uncommitted deletes the temporary file and leaves the target untouched.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.txt");
/// let mut w = incimap::atomic_file::AtomicWriter::create(&p).unwrap();
/// w.write_all(b"hello").unwrap();
/// assert!(!p.exists());
/// w.commit().unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"hello");
/// ```
pub struct AtomicWriter {
    buf: io::BufWriter<tempfile::NamedTempFile>,
    path: std::path::PathBuf,
    /// Bytes written since the last [`AtomicWriter::flush_to_os`].
    unflushed: u64,
}

/// Bytes a large file is written between syncs of what it holds so far (see [`AtomicWriter::sync_handle`]):
/// syncing hundreds of megabytes only at the commit adds most of a second at the end of a run.
pub const FLUSH_EVERY: u64 = 64 << 20;

impl AtomicWriter {
    /// Start writing `path` (its directory is created if needed).
    pub fn create(path: &Path) -> io::Result<AtomicWriter> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let tmp = tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempfile_in(dir)?;
        Ok(AtomicWriter { buf: io::BufWriter::with_capacity(1 << 16, tmp), path: path.to_path_buf(), unflushed: 0 })
    }

    /// Bytes written since the last [`AtomicWriter::flush_to_os`] (compare with [`FLUSH_EVERY`]).
    pub fn unflushed(&self) -> u64 {
        self.unflushed
    }

    /// Hand everything written so far to the OS (not yet to the disk: see [`AtomicWriter::sync_handle`]).
    pub fn flush_to_os(&mut self) -> io::Result<()> {
        self.buf.flush()?;
        self.unflushed = 0;
        Ok(())
    }

    /// Another handle on the temporary file, for syncing what has been [flushed to the OS]
    /// (AtomicWriter::flush_to_os) from another thread while writing goes on, so that the commit has little
    /// left to sync. It shares the file's error state: a caller that syncs through it must report a failed
    /// sync itself (the commit's own sync may no longer see that error).
    pub fn sync_handle(&self) -> io::Result<std::fs::File> {
        self.buf.get_ref().as_file().try_clone()
    }

    /// The target path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flush, sync and rename over the target.
    pub fn commit(self) -> io::Result<()> {
        let tmp = self.buf.into_inner().map_err(|e| e.into_error())?;
        tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let n = self.buf.write(data)?;
        self.unflushed += n as u64;
        Ok(n)
    }
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.buf.write_all(data)?;
        self.unflushed += data.len() as u64;
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.buf.flush()
    }
}
