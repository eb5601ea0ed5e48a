//! The change report of a run (`--changes`): every changed cell with
//! its sheet, address, old and new content, as CSV or JSON.

use super::report::Format;
use crate::script::Change;
use crate::{Error, Result};
use std::path::Path;
use tempfile::NamedTempFile;

/// The format of the report at `path` (`.csv` or `.json`).
pub fn format_of(path: &Path) -> Result<Format> {
    Format::of(path, "--changes")
}

/// Writes the report for `path` into a temporary file beside it; it
/// takes the name only with [`persist`], so a failed run leaves none.
pub fn stage(path: &Path, changes: impl Iterator<Item = Change>) -> Result<NamedTempFile> {
    let fail = |m: String| Error::write(path, m);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let mut tmp = NamedTempFile::new_in(dir).map_err(|e| fail(e.to_string()))?;
    match format_of(path)? {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(tmp.as_file_mut());
            let mut any = false;
            for c in changes {
                w.serialize(c).map_err(|e| fail(e.to_string()))?;
                any = true;
            }
            if !any {
                w.write_record(["sheet", "cell", "old", "new"])
                    .map_err(|e| fail(e.to_string()))?;
            }
            w.flush().map_err(|e| fail(e.to_string()))?;
        }
        Format::Json => {
            use serde::Serializer;
            let mut json = serde_json::Serializer::pretty(tmp.as_file_mut());
            json.collect_seq(changes).map_err(|e| fail(e.to_string()))?;
        }
    }
    Ok(tmp)
}

/// Gives a staged report its name.
pub fn persist(staged: NamedTempFile, path: &Path) -> Result<()> {
    staged
        .persist(path)
        .map_err(|e| Error::write(path, e.to_string()))?;
    Ok(())
}
