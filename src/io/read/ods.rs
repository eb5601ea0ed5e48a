//! OpenDocument spreadsheets (.ods) through calamine: values (ISO dates
//! and durations converted), formulas, defined names, and pictures,
//! charts and macros found from the zip entries.

use super::calamine_common::{read_ranges, reason, workbook_names};
use super::{ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::Workbook;
use calamine::{Ods, Reader};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Reader for .ods workbooks.
pub(crate) struct OdsReader;

impl WorkbookReader for OdsReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let file =
            File::open(path).map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let mut book: Ods<BufReader<File>> = calamine::open_workbook_from_rs(BufReader::new(file))
            .map_err(|e| Error::unreadable(path, reason(e)))?;
        let mut wb = Workbook::new();
        wb.sheets = read_ranges(path, &mut book, 0.0, &options.progress)?;
        wb.names = workbook_names(book.defined_names());
        wb.package_features = ods_features(path);
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no sheets"));
        }
        Ok(wb)
    }
}

/// Pictures, charts and macros of an ods package, from its entry names.
fn ods_features(path: &Path) -> Vec<String> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let Ok(zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Vec::new();
    };
    let names = super::ooxml::zip_names(&zip);
    let mut out = Vec::new();
    let pictures = names.iter().filter(|n| n.starts_with("Pictures/")).count();
    if pictures > 0 {
        out.push(format!(
            "{pictures} picture{}",
            if pictures == 1 { "" } else { "s" }
        ));
    }
    let objects = names
        .iter()
        .filter(|n| n.starts_with("Object ") && n.ends_with("/content.xml"))
        .count();
    if objects > 0 {
        out.push(format!(
            "{objects} chart{}",
            if objects == 1 { "" } else { "s" }
        ));
    }
    if names.iter().any(|n| n.starts_with("Basic/")) {
        out.push("macros".to_string());
    }
    out
}
