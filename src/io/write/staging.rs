//! Where an output is drawn before it replaces its target, and who may
//! update a file in place.
//!
//! Every writer draws into a hidden temporary file beside the target and
//! renames it over the target only when it is complete, so a failed or
//! killed run never leaves a half-written workbook. A run killed by SIGKILL
//! cannot delete its temporary file, though; each temporary file is
//! therefore locked by the run drawing it, and the next run in that folder
//! removes the ones nobody holds any more.
//!
//! A run updating a file in place holds a lock on it from before it reads
//! until its result has replaced it, so a second run cannot read the old
//! contents meanwhile and silently undo the first run's update.

use crate::{Error, Result};
use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The names of our temporary files: hidden, and recognisable for cleaning.
const TEMP_PREFIX: &str = ".sheetscript-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file younger than this is left alone even when unlocked:
/// its run may have created it and not yet taken the lock.
const TEMP_GRACE: Duration = Duration::from_secs(10);

/// A temporary file in `dir` (the output's folder, so the final rename
/// stays on one file system), locked while this run draws into it, that
/// will end up with ordinary permissions: those of the file it replaces, or
/// the umask's for a new file, not the owner-only mode temporary files get
/// by default. Temporary files left behind by killed runs are removed first.
pub(super) fn temp_file_beside(output: &Path, dir: &Path) -> Result<tempfile::NamedTempFile> {
    remove_abandoned_temp_files(dir);
    let fail =
        |e: std::io::Error| Error::write(output, format!("cannot create a temporary file: {e}"));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(dir).map_err(fail)?;
    // Advisory: it tells the next run's cleaning that this file is in use.
    tmp.as_file().try_lock().map_err(|e| fail(e.into()))?;
    if let Ok(meta) = std::fs::metadata(output) {
        std::fs::set_permissions(tmp.path(), meta.permissions()).map_err(fail)?;
    }
    Ok(tmp)
}

/// Removes our temporary files in `dir` that no run holds: what a killed
/// run left behind. Anything that cannot be inspected is left alone; this
/// is housekeeping and never stops a run.
fn remove_abandoned_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old_enough = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age >= TEMP_GRACE);
        if !old_enough {
            continue;
        }
        let Ok(file) = File::open(entry.path()) else {
            continue;
        };
        if file.try_lock().is_ok() {
            // Removed while we hold the lock, so no run can start using it.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Held by a run that updates `path` in place, from before it reads the
/// file until its result has replaced it; dropping it lets the next run in.
#[derive(Debug)]
pub struct UpdateLock {
    _file: File,
}

impl UpdateLock {
    /// Takes the lock on `path`, or says that another run holds it. The
    /// lock is advisory: it keeps sheetscript runs apart, not other
    /// programs.
    pub fn take(path: &Path) -> Result<UpdateLock> {
        let file = File::open(path)
            .map_err(|e| Error::unreadable(path, format!("cannot open it: {e}")))?;
        match file.try_lock() {
            Ok(()) => Ok(UpdateLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::write(
                path,
                "another sheetscript run is updating this file; run again when it has finished",
            )),
            Err(TryLockError::Error(e)) => Err(Error::write(
                path,
                format!("cannot lock it for the update: {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_in_place_update_is_refused_while_the_first_holds_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book.xlsx");
        std::fs::write(&book, b"x").unwrap();
        let first = UpdateLock::take(&book).unwrap();
        let second = UpdateLock::take(&book).unwrap_err().to_string();
        assert!(second.contains("another sheetscript run"), "{second}");
        drop(first);
        UpdateLock::take(&book).unwrap();
    }

    #[test]
    fn abandoned_temporary_files_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let abandoned = dir.path().join(".sheetscript-dead.tmp");
        std::fs::write(&abandoned, b"half a workbook").unwrap();
        let live = dir.path().join(".sheetscript-live.tmp");
        std::fs::write(&live, b"being drawn").unwrap();
        let held = File::open(&live).unwrap();
        held.try_lock().unwrap();
        let someone_elses = dir.path().join("notes.tmp");
        std::fs::write(&someone_elses, b"not ours").unwrap();
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        for p in [&abandoned, &live, &someone_elses] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(long_ago)
                .unwrap();
        }
        let fresh = dir.path().join(".sheetscript-fresh.tmp");
        std::fs::write(&fresh, b"just created").unwrap();

        remove_abandoned_temp_files(dir.path());
        assert!(!abandoned.exists());
        assert!(live.exists() && someone_elses.exists() && fresh.exists());
    }
}
