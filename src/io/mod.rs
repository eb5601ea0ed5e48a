//! Reading workbooks into the model and writing them out again.

pub(crate) mod ooxml;
pub(crate) mod pipe;
pub mod read;
pub mod write;

use std::path::{Path, PathBuf};

/// Whether CSV text would be taken for a formula by a spreadsheet opening
/// the file (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`): CSV injection.
/// The CSV writer puts a `'` before such text, which Excel reads as "this
/// is text", and the CSV reader takes that `'` off again.
pub(crate) fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Whether the CSV writer puts a `'` before `text`: text taken for a
/// formula, and text that already starts with that `'` before such text
/// (`'-`), which the reader would otherwise take for the guard and lose.
pub(crate) fn needs_csv_guard(text: &str) -> bool {
    starts_like_a_formula(text) || text.strip_prefix('\'').is_some_and(starts_like_a_formula)
}

/// The path that names `p`'s file whatever the spelling (links and
/// relative forms resolved): what [`same_file`] compares, for callers
/// that compare many paths at once. A file not yet written is its
/// folder's identity and its name; `None` when the folder does not exist.
pub fn file_identity(p: &Path) -> Option<PathBuf> {
    p.canonicalize().ok().or_else(|| {
        let name = p.file_name()?;
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(parent.canonicalize().ok()?.join(name))
    })
}

/// Whether two paths name the same file (through links and relative
/// forms); a file not yet written counts by its folder and name, so an
/// output and a report aimed at one new file are caught too.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (file_identity(a), file_identity(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}
