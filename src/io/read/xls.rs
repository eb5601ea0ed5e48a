//! Excel 97-2003 (.xls) through calamine: values, formulas, merged ranges,
//! workbook-wide defined names and the 1904 date system.

use super::calamine_common::{
    range_addr, read_ranges, reason, skipped_sheet_features, workbook_names,
};
use super::{ReadOptions, WorkbookReader};
use crate::error::Error;
use crate::model::{DateSystem, Workbook};
use calamine::{Reader, Xls};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Reader for BIFF (.xls) workbooks.
pub(crate) struct XlsReader;

impl WorkbookReader for XlsReader {
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
        let file =
            File::open(path).map_err(|e| Error::unreadable(path, super::detect::io_reason(&e)))?;
        let mut book: Xls<BufReader<File>> = calamine::open_workbook_from_rs(BufReader::new(file))
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
        for sheet in &mut wb.sheets {
            if let Ok(merged) = book.merge_cells_by_sheet_name(&sheet.name) {
                sheet.merged = merged.iter().map(range_addr).collect();
            }
        }
        wb.names = workbook_names(book.defined_names());
        wb.package_features
            .extend(skipped_sheet_features(book.sheets_metadata()));
        if matches!(book.vba_project(), Ok(Some(_))) {
            wb.package_features.push("VBA macros".to_string());
        }
        if wb.sheets.is_empty() {
            return Err(Error::unreadable(path, "the workbook has no worksheets"));
        }
        Ok(wb)
    }
}
