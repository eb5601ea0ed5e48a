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
