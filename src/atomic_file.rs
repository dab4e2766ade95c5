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

/// The journal of a [`StagedSet`] being switched into its folder: the staging folder's name, then one file name
/// per line. Written (atomically) once every file is complete, removed once every file is in place.
pub const JOURNAL: &str = ".incimap-switch";

/// A set of files written into a staging folder (`DIR/.incimap-*.tmp`) and switched into `DIR` together by
/// [`StagedSet::commit`]: a journal names the complete set before the first file moves, so a run killed while
/// moving them is finished by the next [`recover`] of the folder (the set switches as one: the old set until
/// the journal, the new one after it), and a run stopped before the journal leaves the old set untouched.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("a.txt"), "old").unwrap();
/// let set = incimap::atomic_file::StagedSet::create(dir.path()).unwrap();
/// std::fs::write(set.path("a.txt"), "new").unwrap();
/// std::fs::write(set.path("b.txt"), "new").unwrap();
/// let placed = set.commit(&["a.txt", "b.txt"]).unwrap();
/// assert_eq!(placed, [dir.path().join("a.txt"), dir.path().join("b.txt")]);
/// assert_eq!(std::fs::read_to_string(dir.path().join("a.txt")).unwrap(), "new");
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2); // no staging folder, no journal
/// ```
#[derive(Debug)]
pub struct StagedSet {
    dir: std::path::PathBuf,
    stage: tempfile::TempDir,
}

impl StagedSet {
    /// A staging folder in `dir` (created if missing).
    pub fn create(dir: &Path) -> io::Result<StagedSet> {
        std::fs::create_dir_all(dir)?;
        let stage = tempfile::Builder::new().prefix(".incimap-").suffix(".tmp").tempdir_in(dir)?;
        Ok(StagedSet { dir: dir.to_path_buf(), stage })
    }

    /// Where to write the file `name` of the set (or a file of the run's own, left out of the commit).
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.stage.path().join(name)
    }

    /// The staging folder.
    pub fn stage(&self) -> &Path {
        self.stage.path()
    }

    /// Switch the files `names` (written in the staging folder) into the folder, replacing their namesakes, and
    /// remove the staging folder with whatever else it holds. Returns the files' new paths.
    pub fn commit(self, names: &[&str]) -> io::Result<Vec<std::path::PathBuf>> {
        for name in names {
            std::fs::File::open(self.path(name))?.sync_all()?;
        }
        let stage_name = self.stage.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut journal = stage_name;
        for name in names {
            journal.push('\n');
            journal.push_str(name);
        }
        write(&self.dir.join(JOURNAL), journal.as_bytes())?;
        switch(&self.dir, self.stage.path(), names)?;
        std::fs::remove_file(self.dir.join(JOURNAL))?;
        Ok(names.iter().map(|n| self.dir.join(n)).collect())
    }
}

/// Move the named files that are still in `stage` into `dir` (a file already moved is gone from `stage`).
fn switch(dir: &Path, stage: &Path, names: &[&str]) -> io::Result<()> {
    for name in names {
        let from = stage.join(name);
        if from.exists() {
            std::fs::rename(&from, dir.join(name))?;
        }
    }
    if let Ok(d) = std::fs::File::open(dir) {
        // Make the renames durable before the journal goes (not every platform syncs folders).
        let _ = d.sync_all();
    }
    Ok(())
}

/// Finish a switch a killed run left in `dir` (its journal names a complete set: the rest of the files are
/// moved into place), then remove every staging folder and temporary file (`.incimap-*.tmp`) left there.
pub fn recover(dir: &Path) -> io::Result<()> {
    let journal = dir.join(JOURNAL);
    if let Ok(text) = std::fs::read_to_string(&journal) {
        let mut lines = text.lines();
        let stage = lines.next().unwrap_or_default();
        let names: Vec<&str> = lines.filter(|n| is_plain_name(n)).collect();
        if is_plain_name(stage) && stage.starts_with(".incimap-") && dir.join(stage).is_dir() {
            switch(dir, &dir.join(stage), &names)?;
        }
        std::fs::remove_file(&journal)?;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".incimap-") && name.ends_with(".tmp") {
            let path = entry.path();
            // Best effort: what cannot be removed stays, and the run goes on.
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
    Ok(())
}

/// A journal line that names a file of the folder itself (no separator, not `.` or `..`): a journal is never
/// allowed to move files elsewhere.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

#[cfg(test)]
mod switch_tests {
    use super::*;

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap_or_default()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    /// Killed after `a` moved and before `b` did: the next recovery moves `b`, and removes the journal and the
    /// staging folder (with a file of the run's own left in it).
    #[test]
    fn a_switch_killed_half_way_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a"), "new").unwrap();
        std::fs::write(d.join("b"), "old").unwrap();
        std::fs::create_dir(d.join(".incimap-k1.tmp")).unwrap();
        std::fs::write(d.join(".incimap-k1.tmp/b"), "new").unwrap();
        std::fs::write(d.join(".incimap-k1.tmp/work.geojson"), "intermediate").unwrap();
        std::fs::write(d.join(JOURNAL), ".incimap-k1.tmp\na\nb").unwrap();
        recover(d).unwrap();
        assert_eq!((read(d, "a"), read(d, "b")), ("new".into(), "new".into()));
        assert_eq!(names(d), ["a", "b"]);
    }

    /// Killed before the journal: the old set stays whole and the staging folder goes.
    #[test]
    fn a_run_killed_before_its_switch_leaves_the_old_set() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("a"), "old").unwrap();
        std::fs::create_dir(d.join(".incimap-k2.tmp")).unwrap();
        std::fs::write(d.join(".incimap-k2.tmp/a"), "new").unwrap();
        recover(d).unwrap();
        assert_eq!(read(d, "a"), "old");
        assert_eq!(names(d), ["a"]);
    }

    /// A journal moves nothing from or to another folder, and one whose staging folder is gone moves nothing.
    #[test]
    fn a_journal_names_files_of_its_own_folder_only() {
        let outer = tempfile::tempdir().unwrap();
        let d = outer.path().join("out");
        std::fs::create_dir_all(d.join(".incimap-k3.tmp")).unwrap();
        std::fs::write(d.join(".incimap-k3.tmp/x"), "new").unwrap();
        std::fs::write(outer.path().join("secret"), "keep").unwrap();
        std::fs::write(d.join(JOURNAL), ".incimap-k3.tmp\n../secret\nx/../../secret\nx").unwrap();
        recover(&d).unwrap();
        assert_eq!(read(outer.path(), "secret"), "keep");
        assert_eq!(names(&d), ["x"]);
        std::fs::write(d.join(JOURNAL), ".incimap-gone.tmp\nx").unwrap();
        recover(&d).unwrap();
        assert_eq!(names(&d), ["x"]);
        std::fs::write(d.join(JOURNAL), "..\nsecret").unwrap();
        recover(&d).unwrap();
        assert_eq!(names(&d), ["x"]);
    }
}
