//! The change report of a run (`--changes`): every changed cell with
//! its sheet, address, old and new content, as CSV or JSON.

use crate::script::Change;
use crate::{Error, Result};
use std::path::Path;
use tempfile::NamedTempFile;

/// The file formats of a change report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangesFormat {
    /// `sheet,cell,old,new`, one line a cell.
    Csv,
    /// A list of `{sheet, cell, old, new}` objects.
    Json,
}

/// The format of the report at `path`, from its extension.
pub fn format_of(path: &Path) -> Result<ChangesFormat> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Ok(ChangesFormat::Csv),
        Some("json") => Ok(ChangesFormat::Json),
        _ => Err(Error::Usage(format!(
            "--changes {}: the report is written as .csv or .json",
            path.display()
        ))),
    }
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
        ChangesFormat::Csv => {
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
        ChangesFormat::Json => {
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
