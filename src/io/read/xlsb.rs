//! Excel binary workbooks (.xlsb) through calamine: values, formulas,
//! workbook-wide defined names, and the package features found from the
//! zip entries.

use super::calamine_common::{open_book, skipped_sheet_features, workbook_names};
use super::{ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::Workbook;
use calamine::{Reader, Xlsb};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Reader for .xlsb workbooks.
pub(crate) struct XlsbReader;

impl WorkbookReader for XlsbReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let (book, mut wb) =
            open_book::<Xlsb<BufReader<File>>>(path, options, |b| b.has_1904_epoch())?;
        wb.names = workbook_names(book.defined_names());
        wb.package_features
            .extend(super::xlsx::features::zip_features(path));
        wb.package_features
            .extend(skipped_sheet_features(book.sheets_metadata()));
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no worksheets"));
        }
        Ok(wb)
    }
}
