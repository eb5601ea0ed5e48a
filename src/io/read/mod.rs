//! Readers: calamine for xlsx, xlsm, xlsb, xls and ods; the csv crate for
//! text. The format is detected from the file's content.
//!
//! Every reader fills the same [`Workbook`] model. Readers run behind a
//! guard ([`guarded`]) so a hostile file that makes a parser panic becomes
//! an [`Error::Unreadable`] naming the file, never a crash.

mod calamine_common;
mod convert;
mod csv;
mod csv_options;
mod detect;
mod limits;
mod ods;
mod ods_bounds;
mod openformula;
mod ptg;
mod row_storage;
mod xls;
mod xlsb;
mod xlsb_rows;
mod xlsb_shared_formulas;
mod xlsx;

use crate::error::Error;
use crate::model::{SourceFormat, Workbook};
use crate::progress::Progress;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

pub use csv_options::CsvOptionError;
pub use detect::detect_format;
pub use limits::{Limit, ReadLimits};

/// How to read a CSV file. `None` in a field means "detect it from the
/// content".
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Field delimiter, such as `b','` or `b';'`.
    pub delimiter: Option<u8>,
    /// Whether numbers use a decimal comma (`1.234,56`).
    pub decimal_comma: Option<bool>,
    /// Text encoding (UTF-8, Windows-1250, Windows-1252...).
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The line of the header row, counted from 1; the lines above it
    /// are left out (detected: the first line from which the number of
    /// fields stays the same).
    pub header_row: Option<u32>,
}

/// Options for [`read_workbook`].
#[derive(Clone)]
pub struct ReadOptions {
    /// Where to report progress.
    pub progress: Progress,
    /// How to read CSV input.
    pub csv: CsvOptions,
    /// How much one file may make the reader hold.
    pub limits: ReadLimits,
}

impl Default for ReadOptions {
    /// Hidden progress; detect everything; the default limits.
    fn default() -> Self {
        ReadOptions {
            progress: Progress::hidden(),
            csv: CsvOptions::default(),
            limits: ReadLimits::default(),
        }
    }
}

/// One reader per file format, as calamine itself is organised.
trait WorkbookReader {
    /// Reads the whole workbook at `path`.
    fn read(&self, path: &Path, options: &ReadOptions) -> crate::Result<Workbook>;
}

/// Reads the workbook at `path`, detecting its format from the content.
pub fn read_workbook(path: &Path, options: &ReadOptions) -> crate::Result<Workbook> {
    let format = detect_format(path)?;
    let reader: &dyn WorkbookReader = match format {
        SourceFormat::Xlsx | SourceFormat::Xlsm => &xlsx::XlsxReader,
        SourceFormat::Xlsb => &xlsb::XlsbReader,
        SourceFormat::Xls => &xls::XlsReader,
        SourceFormat::Ods => &ods::OdsReader,
        SourceFormat::Csv => &csv::CsvReader,
    };
    let result = guarded(path, || reader.read(path, options));
    options.progress.finish();
    let mut workbook = result?;
    workbook.mark_as_read(crate::model::workbook::Source {
        path: path.to_path_buf(),
        format,
    });
    Ok(workbook)
}

/// Runs a parser, turning a panic inside it into an [`Error::Unreadable`]
/// for `path`: calamine and the zip reader are fed untrusted bytes. The
/// panic's own text (an index out of bounds deep in a parser) tells the
/// user nothing and is not shown.
fn guarded<T>(path: &Path, parse: impl FnOnce() -> crate::Result<T>) -> crate::Result<T> {
    match catch_unwind(AssertUnwindSafe(parse)) {
        Ok(result) => result,
        Err(_) => Err(Error::unreadable(path, UNPARSEABLE)),
    }
}

/// The one message for a file whose reader stopped on a panic.
const UNPARSEABLE: &str =
    "the file is damaged or not a valid workbook (its content breaks the reader's rules)";

/// The note for a what-if data table (Data > What-If Analysis > Data
/// Table) the engine cannot fill: its input cells were deleted, or it
/// lies against the sheet's first row or column. Its saved values stay.
pub(crate) fn data_table_note(sheet: &str, table: crate::model::RangeAddr) -> String {
    format!(
        "sheet \"{sheet}\": {} is a what-if data table (TABLE) without input cells, which \
         cannot be computed: its cells keep the values Excel saved",
        table.to_a1()
    )
}

/// The package feature naming a what-if data table: a new workbook holds
/// the table's values, not the table.
pub(crate) fn data_table_feature(sheet: &str, table: crate::model::RangeAddr) -> String {
    format!(
        "what-if data table {}!{} (its values are written)",
        crate::model::address::quote_sheet_name(sheet),
        table.to_a1()
    )
}
