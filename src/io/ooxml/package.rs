//! Zip access to a package's parts: entry names and bounded reads. A part
//! read whole into memory is capped, so a hostile file claiming a huge
//! part is refused instead of exhausting memory.

use super::PackageError;
use std::io::{Read, Seek};
use zip::ZipArchive;

/// The entry names of a zip (names that fail to decode are skipped).
pub(crate) fn zip_names<R: Read + Seek>(zip: &ZipArchive<R>) -> Vec<String> {
    zip.file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect()
}

/// Reads the whole zip entry `entry` (named `part` in errors), refusing
/// one that unpacks to more than `limit` bytes; `None` when the zip has
/// no such entry.
pub(crate) fn read_bounded<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    entry: &str,
    part: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, PackageError> {
    let file = match zip.by_name(entry) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(PackageError::part(part, e)),
    };
    if file.size() > limit {
        return Err(PackageError::TooLarge {
            part: part.to_string(),
            size: file.size(),
        });
    }
    let mut bytes = Vec::with_capacity(file.size() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| PackageError::part(part, e))?;
    Ok(Some(bytes))
}

/// The first entry name the zip file at `path` holds twice, if any.
///
/// The `zip` crate keeps one entry per name (the last), so a package with
/// two `xl/worksheets/sheet1.xml` would silently be read as the second
/// while another program shows the first; rawzip walks the central
/// directory as written. A central directory rawzip cannot walk is left to
/// the `zip` crate's own checks, so this never refuses a file on its own
/// parsing quirks.
pub(crate) fn duplicate_entry_name(path: &std::path::Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut buffer = vec![0u8; rawzip::RECOMMENDED_BUFFER_SIZE];
    let archive = rawzip::ZipArchive::from_file(file, &mut buffer).ok()?;
    let mut seen = std::collections::HashSet::new();
    let mut entries = archive.entries(&mut buffer);
    while let Ok(Some(entry)) = entries.next_entry() {
        let name = entry.file_path().as_ref().to_vec();
        if !seen.insert(name.clone()) {
            return Some(String::from_utf8_lossy(&name).into_owned());
        }
    }
    None
}
