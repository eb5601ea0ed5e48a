//! Turning a saved new workbook into a 1904-system one, which
//! rust_xlsxwriter cannot write itself: only the workbook part changes.

use std::path::Path;

/// Why the saved workbook could not be marked as 1904-system.
#[derive(Debug, thiserror::Error)]
pub(super) enum Date1904Error {
    /// Reading or writing the file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The package could not be read or written as a zip.
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    /// The package lacks the part or element that carries the flag.
    #[error("cannot mark the workbook as 1904-system: no {0}")]
    Missing(&'static str),
}

/// Makes the saved package a 1904-system workbook: rust_xlsxwriter
/// writes only 1900-system workbooks, but a 1904 workbook's numbers
/// (formula results on dates, serials typed as numbers) are 1904 serials
/// and are right only there, so the package keeps the source's system.
/// Every part but `xl/workbook.xml` is copied still compressed.
pub(super) fn mark_date1904(target: &Path) -> Result<(), Date1904Error> {
    use std::io::{Read, Write};
    let bytes = std::fs::read(target)?;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let file = std::fs::File::create(target)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let mut marked = false;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i)?;
        let is_workbook = entry.name()? == "xl/workbook.xml";
        if !is_workbook {
            zip.raw_copy_file(entry)?;
            continue;
        }
        drop(entry);
        let mut xml = String::new();
        archive
            .by_index(i)
            .and_then(|mut f| Ok(f.read_to_string(&mut xml)?))?;
        let Some(at) = xml.find("<workbookPr") else {
            return Err(Date1904Error::Missing("<workbookPr>"));
        };
        xml.insert_str(at + "<workbookPr".len(), " date1904=\"1\"");
        marked = true;
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options)?;
        zip.write_all(xml.as_bytes())?;
    }
    if !marked {
        return Err(Date1904Error::Missing("xl/workbook.xml"));
    }
    zip.finish()
        .and_then(|w| Ok(w.into_inner().map_err(|e| e.into_error())?.sync_all()?))
        .map_err(Date1904Error::from)
}
