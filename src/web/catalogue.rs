//! The scripts the page offers: every `.rhai` file directly in the
//! `--scripts` folders, known by its file stem. Only a script found here
//! runs; the id a browser sends is looked up in this list, never joined
//! to a path.

use crate::script::ScriptHeader;
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// One script the page offers.
#[derive(Debug, Clone)]
pub struct Script {
    /// The file stem, as the URL names it: `vat` for `vat.rhai`.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Its header; a header that cannot be read is kept as its message,
    /// shown on the page rather than hiding the script.
    pub header: std::result::Result<ScriptHeader, String>,
}

impl Script {
    /// The title to show: the header's, else the id.
    pub fn title(&self) -> String {
        match &self.header {
            Ok(h) if !h.title.is_empty() => h.title.clone(),
            _ => self.id.clone(),
        }
    }
}

/// Largest script file the page reads; a script is a page of text.
const MAX_SCRIPT_BYTES: u64 = 4 << 20;

/// Checks the folders at start: each must be a readable folder.
pub fn check_folders(folders: &[PathBuf]) -> Result<()> {
    if folders.is_empty() {
        return Err(Error::Usage(
            "serve needs --scripts DIR: the folder of the scripts the page offers".into(),
        ));
    }
    for f in folders {
        std::fs::read_dir(f).map_err(|e| {
            Error::Usage(format!(
                "--scripts {}: not a readable folder ({e})",
                f.display()
            ))
        })?;
    }
    Ok(())
}

/// The scripts of `folders`, read afresh (a script edited while the
/// server runs shows its new header), sorted by title. An id found in
/// two folders is offered from the first only.
pub fn list(folders: &[PathBuf]) -> Vec<Script> {
    let mut scripts: Vec<Script> = Vec::new();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rhai") && p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            let Some(id) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if !is_url_safe(&id) || scripts.iter().any(|s| s.id == id) {
                continue;
            }
            let header = read_source(&path)
                .and_then(|src| ScriptHeader::parse(&src, &file_name(&path)))
                .map_err(|e| e.to_string());
            scripts.push(Script { id, path, header });
        }
    }
    scripts.sort_by_key(|s| s.title().to_lowercase());
    scripts
}

/// The script with this id, if the folders offer one.
pub fn find(folders: &[PathBuf], id: &str) -> Option<Script> {
    list(folders).into_iter().find(|s| s.id == id)
}

/// A script's text, refused past [`MAX_SCRIPT_BYTES`].
pub fn read_source(path: &Path) -> Result<String> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::unreadable(path, e.to_string()))?
        .len();
    if size > MAX_SCRIPT_BYTES {
        return Err(Error::unreadable(
            path,
            format!("the script is {size} bytes; a script may have at most {MAX_SCRIPT_BYTES}"),
        ));
    }
    std::fs::read_to_string(path)
        .map_err(|e| Error::unreadable(path, format!("cannot read the script: {e}")))
}

/// The script's file name, as messages name it (`vat.rhai:12: ...`).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether a stem can stand in a URL as it is: letters, digits, `-`,
/// `_` and `.`; other scripts are left out rather than mangled.
fn is_url_safe(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_rhai_files_by_stem_and_finds_only_those() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("vat.rhai"), "//! # VAT check\nlet x = 1;").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a script").unwrap();
        std::fs::write(dir.path().join("bad name.rhai"), "let x = 1;").unwrap();
        std::fs::write(dir.path().join("broken.rhai"), "//! # A\n//! # B\n").unwrap();
        let folders = vec![dir.path().to_path_buf()];
        let ids: Vec<String> = list(&folders).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["broken", "vat"]);
        assert_eq!(find(&folders, "vat").unwrap().title(), "VAT check");
        assert!(find(&folders, "broken").unwrap().header.is_err());
        assert!(find(&folders, "../vat").is_none());
        assert!(find(&folders, "notes").is_none());
    }
}
