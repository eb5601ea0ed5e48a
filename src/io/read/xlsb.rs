//! Excel binary workbooks (.xlsb) through calamine: values, formulas,
//! workbook-wide defined names, and the package features found from the
//! zip entries.

use super::calamine_common::{read_ranges, reason, skipped_sheet_features, workbook_names};
use super::{ooxml, ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::{DateSystem, Workbook};
use calamine::{Reader, Xlsb};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Reader for .xlsb workbooks.
pub(crate) struct XlsbReader;

impl WorkbookReader for XlsbReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let file =
            File::open(path).map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let mut book: Xlsb<BufReader<File>> = calamine::open_workbook_from_rs(BufReader::new(file))
            .map_err(|e| Error::unreadable(path, reason(e)))?;
        let mut wb = Workbook::new();
        if book.has_1904_epoch() {
            wb.date_system = DateSystem::Excel1904;
        }
        wb.sheets = read_ranges(
            path,
            &mut book,
            wb.date_system.offset_to_1900(),
            &options.progress,
        )?;
        wb.names = workbook_names(book.defined_names());
        wb.package_features = ooxml::zip_features(path);
        wb.package_features
            .extend(skipped_sheet_features(book.sheets_metadata()));
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no worksheets"));
        }
        Ok(wb)
    }
}
