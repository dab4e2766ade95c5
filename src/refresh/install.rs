//! Installing a gazetteer directory atomically: everything is composed in a staging folder beside the
//! target (same filesystem), then swapped in with one rename, so readers see either the old directory or
//! the new one, and a failure before the swap leaves the old one exactly as it was.
//!
//! An installed directory holds `gazetteer.bin`, `manifest.json`, `NOTICE`, the download cache
//! (`sources/`) and the version it replaced (`previous/`), which [`rollback`] swaps back.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::gazetteer::{DATA_FILE, Gazetteer, MANIFEST_FILE};

use super::RefreshError;
use super::cache::CACHE_DIR;

/// Sub-directory holding the version an install replaced.
pub const PREVIOUS_DIR: &str = "previous";
/// The files that make up a gazetteer directory.
pub const GAZETTEER_FILES: [&str; 3] = [DATA_FILE, MANIFEST_FILE, "NOTICE"];

fn io_err(what: &str, path: &Path) -> impl FnOnce(io::Error) -> RefreshError {
    let (what, path) = (what.to_string(), path.to_path_buf());
    move |source| RefreshError::Io { what, path, source }
}

fn parent_and_name(target: &Path) -> Result<(PathBuf, String), RefreshError> {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| RefreshError::Install(format!("{} is not a usable directory name", target.display())))?
        .to_string();
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// An exclusive lock on installing into one directory (a lock file beside it), held while alive.
pub struct InstallLock {
    _file: File,
}

impl InstallLock {
    /// Take the lock for `target`, failing at once when another refresh holds it.
    pub fn acquire(target: &Path) -> Result<InstallLock, RefreshError> {
        let (parent, name) = parent_and_name(target)?;
        std::fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
        let path = parent.join(format!(".{name}.lock"));
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_err("cannot open lock file", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(InstallLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(RefreshError::Install(format!(
                "another `incimap gazetteer refresh` is installing into {} (lock {})",
                target.display(),
                path.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(io_err("cannot lock", &path)(e)),
        }
    }
}

/// Refuse to replace a directory holding anything incimap did not put there (the swap replaces the
/// whole directory).
pub fn check_replaceable(target: &Path) -> Result<(), RefreshError> {
    let rd = match std::fs::read_dir(target) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err("cannot read", target)(e)),
    };
    let mut foreign = Vec::new();
    for entry in rd {
        let entry = entry.map_err(io_err("cannot read", target))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let ours = GAZETTEER_FILES.contains(&name.as_str())
            || name == PREVIOUS_DIR
            || name == CACHE_DIR
            || (name.starts_with(".incimap-") && name.ends_with(".tmp"));
        if !ours {
            foreign.push(name);
        }
    }
    if target.exists() && !target.is_dir() {
        return Err(RefreshError::Install(format!("{} exists and is not a directory", target.display())));
    }
    if foreign.is_empty() {
        Ok(())
    } else {
        foreign.sort();
        Err(RefreshError::Install(format!(
            "{} holds files that are not part of a gazetteer ({}); install into an empty or incimap-owned directory",
            target.display(),
            foreign.join(", ")
        )))
    }
}

/// A folder being composed beside `target`; dropped without [`Staging::commit`], it is deleted.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// A fresh staging folder in `target`'s parent. Leftovers of interrupted runs are removed first
    /// (the caller holds the [`InstallLock`], so none of them is in use).
    pub fn new(target: &Path) -> Result<Staging, RefreshError> {
        let (parent, name) = parent_and_name(target)?;
        std::fs::create_dir_all(&parent).map_err(io_err("cannot create", &parent))?;
        let prefix = format!(".{name}.staging-");
        if let Ok(rd) = std::fs::read_dir(&parent) {
            for e in rd.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(&parent)
            .map_err(io_err("cannot create a staging folder in", &parent))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755));
        }
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Swap the staging folder in as `target` in one step; the replaced directory is then deleted.
    pub fn commit(self) -> Result<(), RefreshError> {
        let staged = self.dir.path().to_path_buf();
        if !self.target.exists() {
            std::fs::rename(&staged, &self.target).map_err(io_err("cannot install into", &self.target))?;
            let _ = self.dir.keep();
            return Ok(());
        }
        match exchange(&staged, &self.target) {
            // The staging path now holds the old directory: dropping the TempDir deletes it.
            Ok(()) => Ok(()),
            Err(_) => {
                // No atomic exchange here (another OS, or a filesystem without it): two renames, undone on
                // failure. Readers may find the directory missing for an instant, never half-written.
                let (parent, name) = parent_and_name(&self.target)?;
                let aside = tempfile::Builder::new()
                    .prefix(&format!(".{name}.old-"))
                    .tempdir_in(&parent)
                    .map_err(io_err("cannot prepare the swap in", &parent))?;
                let aside_path = aside.path().join("old");
                std::fs::rename(&self.target, &aside_path).map_err(io_err("cannot move aside", &self.target))?;
                if let Err(e) = std::fs::rename(&staged, &self.target) {
                    let _ = std::fs::rename(&aside_path, &self.target);
                    return Err(io_err("cannot install into", &self.target)(e));
                }
                drop(aside);
                Ok(())
            }
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange"))
}

/// Put `from` at `to` without copying when possible (a hard link: files are never modified in place, only
/// replaced, so sharing them between versions is safe).
pub fn link_or_copy(from: &Path, to: &Path) -> Result<(), RefreshError> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ()).map_err(io_err("cannot copy", from))
}

/// Carry the gazetteer files of `from` that exist into `to` (created).
pub fn carry_gazetteer(from: &Path, to: &Path) -> Result<(), RefreshError> {
    std::fs::create_dir_all(to).map_err(io_err("cannot create", to))?;
    for f in GAZETTEER_FILES {
        let src = from.join(f);
        if src.is_file() {
            link_or_copy(&src, &to.join(f))?;
        }
    }
    Ok(())
}

/// Restore the version `target` replaced (kept in `target/previous`); the current one becomes the
/// previous, so a second rollback undoes the first. Returns the manifest of the restored gazetteer.
pub fn rollback(target: &Path) -> Result<crate::gazetteer::Manifest, RefreshError> {
    let previous = target.join(PREVIOUS_DIR);
    if !previous.join(DATA_FILE).is_file() {
        return Err(RefreshError::Install(format!(
            "{} holds no previous gazetteer to roll back to (a refresh keeps one after it replaces another)",
            target.display()
        )));
    }
    let restored = Gazetteer::open(&previous)
        .map_err(|e| RefreshError::Install(format!("the previous gazetteer is unusable, nothing changed: {e}")))?;
    let _lock = InstallLock::acquire(target)?;
    check_replaceable(target)?;
    let staging = Staging::new(target)?;
    carry_gazetteer(&previous, staging.path())?;
    if target.join(DATA_FILE).is_file() {
        carry_gazetteer(target, &staging.path().join(PREVIOUS_DIR))?;
    }
    carry_cache(target, staging.path())?;
    staging.commit()?;
    Ok(restored.manifest)
}

/// Carry the download cache of `from` into `to` (hard links).
pub fn carry_cache(from: &Path, to: &Path) -> Result<(), RefreshError> {
    let src = from.join(CACHE_DIR);
    let Ok(rd) = std::fs::read_dir(&src) else { return Ok(()) };
    let dst = to.join(CACHE_DIR);
    std::fs::create_dir_all(&dst).map_err(io_err("cannot create", &dst))?;
    for e in rd.flatten() {
        if e.path().is_file() {
            link_or_copy(&e.path(), &dst.join(e.file_name()))?;
        }
    }
    Ok(())
}
