//! The private folders of the page's jobs. Each run gets a fresh folder
//! under the server's own temporary folder (readable by this user only);
//! uploads are saved there under names of ours, never the browser's. A
//! preview's folder goes when its page is made; a run's stays until
//! each of its files has been downloaded once, or until it is older
//! than the keep time, whichever comes first. Stopping the server
//! deletes them all.

use crate::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The jobs whose results wait for download.
pub struct JobStore {
    root: TempDir,
    keep: Duration,
    waiting: Mutex<HashMap<String, Waiting>>,
}

/// A job's results, waiting.
struct Waiting {
    dir: TempDir,
    /// Download name and the file it serves.
    files: Vec<(String, PathBuf)>,
    /// A preview's result workbook, which explanations read; never a
    /// download.
    explained: Option<PathBuf>,
    since: Instant,
}

/// A file handed out for download: read it, then drop this, which
/// deletes the job's folder when it was the job's last file.
pub struct Taken {
    /// The file to send.
    pub path: PathBuf,
    _last: Option<TempDir>,
}

/// A job's folder while it runs.
pub struct JobDir {
    /// Names the job in download URLs: 128 random bits, so one person's
    /// results cannot be guessed by another.
    pub id: String,
    dir: TempDir,
}

impl JobDir {
    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl JobStore {
    /// A store under a new private temporary folder; results are kept
    /// for `keep` at most.
    pub fn new(keep: Duration) -> Result<JobStore> {
        let root = tempfile::Builder::new()
            .prefix("sheetscript-serve-")
            .tempdir()
            .map_err(|e| {
                Error::Usage(format!("cannot make a temporary folder for uploads: {e}"))
            })?;
        // Only this user may look inside: the uploads are other people's
        // invoices.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o700))
                .map_err(|e| Error::Usage(format!("cannot make the upload folder private: {e}")))?;
        }
        Ok(JobStore {
            root,
            keep,
            waiting: Mutex::new(HashMap::new()),
        })
    }

    /// How long results wait for download.
    pub fn keep_time(&self) -> Duration {
        self.keep
    }

    /// A new folder for one job.
    pub fn new_job(&self) -> Result<JobDir> {
        let id = random_id()?;
        let dir = tempfile::Builder::new()
            .prefix("job-")
            .tempdir_in(self.root.path())
            .map_err(|e| Error::Usage(format!("cannot make a job folder: {e}")))?;
        Ok(JobDir { id, dir })
    }

    /// Keeps a finished job's `files` (download name, file in its folder)
    /// until they are downloaded or the keep time passes.
    pub fn keep(&self, job: JobDir, files: Vec<(String, PathBuf)>) {
        let waiting = Waiting {
            dir: job.dir,
            files,
            explained: None,
            since: Instant::now(),
        };
        self.lock().insert(job.id, waiting);
    }

    /// Keeps a preview's result workbook (a file in the job's folder)
    /// for explanations of its cells, until the keep time passes.
    pub fn keep_preview(&self, job: JobDir, result: PathBuf) {
        let waiting = Waiting {
            dir: job.dir,
            files: Vec::new(),
            explained: Some(result),
            since: Instant::now(),
        };
        self.lock().insert(job.id, waiting);
    }

    /// A link to (or copy of) the preview result of job `id`, in a folder of its own
    /// that lives as long as the returned value, so a sweep while the
    /// copy is read cannot pull it away; `None` when there is no such
    /// preview (any more).
    pub fn preview_copy(&self, id: &str) -> Option<(TempDir, PathBuf)> {
        let waiting = self.lock();
        let source = waiting.get(id)?.explained.clone()?;
        let dir = tempfile::Builder::new()
            .prefix("explain-")
            .tempdir_in(self.root.path())
            .ok()?;
        let name = source.file_name()?.to_os_string();
        let copy = dir.path().join(name);
        // A link costs nothing and keeps the file whole after a sweep.
        std::fs::hard_link(&source, &copy)
            .or_else(|_| std::fs::copy(&source, &copy).map(|_| ()))
            .ok()?;
        Some((dir, copy))
    }

    /// The file `name` of job `id`, taken out of the store: a second
    /// download of it finds nothing.
    pub fn take(&self, id: &str, name: &str) -> Option<Taken> {
        let mut waiting = self.lock();
        let job = waiting.get_mut(id)?;
        let at = job.files.iter().position(|(n, _)| n == name)?;
        let (_, path) = job.files.remove(at);
        let last = if job.files.is_empty() && job.explained.is_none() {
            waiting.remove(id).map(|w| w.dir)
        } else {
            None
        };
        Some(Taken { path, _last: last })
    }

    /// Deletes the jobs older than the keep time; returns how many.
    pub fn sweep(&self) -> usize {
        let mut waiting = self.lock();
        let before = waiting.len();
        waiting.retain(|_, w| w.since.elapsed() < self.keep);
        before - waiting.len()
    }

    /// How many jobs wait for download.
    pub fn waiting(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Waiting>> {
        // A panic while holding the map leaves it whole (every change
        // is one insert or remove), so its contents are still good.
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// 128 random bits as 32 hex digits.
pub fn random_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Usage(format!("the system gave no random numbers: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_handed_out_once_and_the_folder_goes_with_the_last() {
        let store = JobStore::new(Duration::from_secs(60)).unwrap();
        let job = store.new_job().unwrap();
        let (id, dir) = (job.id.clone(), job.path().to_path_buf());
        std::fs::write(dir.join("a"), "1").unwrap();
        std::fs::write(dir.join("b"), "2").unwrap();
        store.keep(
            job,
            vec![
                ("a.xlsx".into(), dir.join("a")),
                ("b.csv".into(), dir.join("b")),
            ],
        );
        assert!(store.take(&id, "c.csv").is_none());
        let a = store.take(&id, "a.xlsx").unwrap();
        assert_eq!(std::fs::read_to_string(&a.path).unwrap(), "1");
        drop(a);
        assert!(dir.exists());
        assert!(store.take(&id, "a.xlsx").is_none());
        let b = store.take(&id, "b.csv").unwrap();
        drop(b);
        assert!(!dir.exists());
        assert_eq!(store.waiting(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let store = JobStore::new(Duration::from_secs(60)).unwrap();
        let mode = std::fs::metadata(store.root.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn a_previews_result_is_lent_out_and_outlives_a_sweep_while_lent() {
        let store = JobStore::new(Duration::ZERO).unwrap();
        let job = store.new_job().unwrap();
        let (id, result) = (job.id.clone(), job.path().join("result.xlsx"));
        std::fs::write(&result, "book").unwrap();
        store.keep_preview(job, result.clone());
        // Not a download.
        assert!(store.take(&id, "result.xlsx").is_none());
        let (lent, copy) = store.preview_copy(&id).unwrap();
        assert_eq!(store.sweep(), 1);
        assert!(!result.exists());
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), "book");
        drop(lent);
        assert!(!copy.exists());
        assert!(store.preview_copy(&id).is_none());
    }

    #[test]
    fn old_jobs_are_swept() {
        let store = JobStore::new(Duration::ZERO).unwrap();
        let job = store.new_job().unwrap();
        let dir = job.path().to_path_buf();
        store.keep(job, vec![]);
        assert_eq!(store.sweep(), 1);
        assert!(!dir.exists());
        assert_eq!(random_id().unwrap().len(), 32);
    }
}
