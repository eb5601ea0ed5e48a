//! Format detection by content: magic bytes first, then the zip entries of
//! a zip package. The extension only breaks ties (and names text files).

use crate::error::Error;
use crate::model::SourceFormat;
use std::fs::File;
use std::io::Read;
use std::path::Path;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detects the format of the file at `path` from its content: a zip
/// package (xlsx, xlsm, xlsb, ods, told apart by their entries), an OLE
/// compound file (xls), or text (CSV). Encrypted (password-protected)
/// workbooks and files that are none of these are refused.
pub fn detect_format(path: &Path) -> crate::Result<SourceFormat> {
    let mut file = File::open(path).map_err(|e| Error::unreadable(path, io_reason(&e)))?;
    let mut head = Vec::with_capacity(8192);
    file.by_ref()
        .take(8192)
        .read_to_end(&mut head)
        .map_err(|e| Error::unreadable(path, io_reason(&e)))?;
    if head.is_empty() {
        return Err(Error::unreadable(path, "the file is empty"));
    }
    if head.starts_with(ZIP_MAGIC) {
        return detect_zip(path);
    }
    if head.starts_with(OLE_MAGIC) {
        return detect_ole(path);
    }
    if let Some(kind) = super::xls::biff::old_excel_kind(&head) {
        return Err(Error::unreadable(
            path,
            format!(
                "{kind} (Excel 2.x-4.0 format), which is not supported; \
                 open it in Excel and save it again as .xlsx"
            ),
        ));
    }
    if looks_like_text(&head) || super::csv::utf16(&head).is_some() {
        return Ok(SourceFormat::Csv);
    }
    Err(Error::unreadable(
        path,
        "not a spreadsheet: expected xlsx, xlsm, xlsb, xls, ods or CSV text",
    ))
}

/// The message for an I/O error opening or reading the input.
pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => format!("cannot read the file: {e}"),
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn detect_zip(path: &Path) -> crate::Result<SourceFormat> {
    let file = File::open(path).map_err(|e| Error::unreadable(path, io_reason(&e)))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        Error::unreadable(
            path,
            format!("the file is a damaged zip package ({e}); it is not a readable workbook"),
        )
    })?;
    // No spreadsheet program writes entries that share compressed data;
    // a zip bomb does, so that a small file unpacks (or is copied into an
    // output) many times over.
    let overlapping = archive.has_overlapping_files().map_err(|e| {
        Error::unreadable(
            path,
            format!("the file is a damaged zip package ({e}); it is not a readable workbook"),
        )
    })?;
    if overlapping {
        return Err(Error::unreadable(
            path,
            "the zip package's entries share their compressed data (a zip bomb technique); \
             it is not a workbook a spreadsheet program wrote",
        ));
    }
    if let Some(name) = crate::io::ooxml::package::duplicate_entry_name(path) {
        return Err(Error::unreadable(
            path,
            format!(
                "the zip package holds two entries named \"{name}\", so programs may read \
                 different contents from it; it is not a workbook a spreadsheet program wrote"
            ),
        ));
    }
    let names: Vec<String> = crate::io::ooxml::package::zip_names(&archive)
        .into_iter()
        .map(|n| crate::io::ooxml::part_names::part_key(&n))
        .collect();
    let has = |suffix: &str| names.iter().any(|n| n.ends_with(suffix));
    if names.iter().any(|n| n == "mimetype") || has("content.xml") && !has("[content_types].xml") {
        return Ok(SourceFormat::Ods);
    }
    if has("workbook.bin") {
        return Ok(SourceFormat::Xlsb);
    }
    if has("workbook.xml") || has("[content_types].xml") {
        let macros = has("vbaproject.bin") || extension(path) == "xlsm";
        return Ok(if macros {
            SourceFormat::Xlsm
        } else {
            SourceFormat::Xlsx
        });
    }
    Err(Error::unreadable(
        path,
        "a zip file that is not a workbook (no xlsx, xlsb or ods content)",
    ))
}

fn detect_ole(path: &Path) -> crate::Result<SourceFormat> {
    // An encrypted xlsx is an OLE file holding "EncryptedPackage"; its
    // directory names are UTF-16 and sit early in small files, so scan the
    // first megabyte for them.
    let mut head = Vec::new();
    File::open(path)
        .and_then(|f| f.take(1 << 20).read_to_end(&mut head))
        .map_err(|e| Error::unreadable(path, io_reason(&e)))?;
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect() };
    let encrypted = utf16("EncryptedPackage");
    if head
        .windows(encrypted.len())
        .any(|w| w == encrypted.as_slice())
    {
        return Err(Error::unreadable(
            path,
            super::calamine_common::password_protected("encrypted"),
        ));
    }
    Ok(SourceFormat::Xls)
}

/// Whether the start of a file looks like text: no NUL bytes and mostly
/// printable characters (any 8-bit encoding).
fn looks_like_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
        .count();
    control * 100 <= head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_binary_are_told_apart() {
        assert!(looks_like_text(b"a;b\n1;2\n"));
        assert!(looks_like_text("Číslo;Částka\n".as_bytes()));
        assert!(!looks_like_text(b"\x00\x01\x02binary"));
    }

    #[test]
    fn unknown_binary_and_empty_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.xlsx");
        std::fs::write(&empty, b"").unwrap();
        let err = detect_format(&empty).unwrap_err().to_string();
        assert!(err.contains("empty.xlsx") && err.contains("empty"), "{err}");
        let bin = dir.path().join("x.bin");
        std::fs::write(&bin, [0u8, 159, 146, 150, 1, 2, 3]).unwrap();
        assert!(detect_format(&bin).is_err());
        let csv = dir.path().join("data.csv");
        std::fs::write(&csv, b"a,b\n1,2\n").unwrap();
        assert_eq!(detect_format(&csv).unwrap(), SourceFormat::Csv);
        let missing = detect_format(&dir.path().join("nope.xlsx")).unwrap_err();
        assert!(missing.to_string().contains("no such file"));
    }
}
