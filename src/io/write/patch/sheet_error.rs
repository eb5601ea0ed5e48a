//! Why the worksheet rewriter stopped. Its own failures (rows or cells out
//! of order, no `<sheetData>`) are refusals the user can act on, so each
//! has its own words; the patcher adds the sheet and part around them.

use crate::io::ooxml::PackageError;

/// Why a worksheet part could not be rewritten; the patcher names the
/// sheet and part around it.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SheetError {
    /// The part's XML does not parse, or an element is not as the schema
    /// says.
    #[error("malformed worksheet XML: {0}")]
    Xml(String),
    /// Writing the rewritten part failed.
    #[error("write failed: {0}")]
    Write(#[from] std::io::Error),
    /// There are cells to write but nowhere to put them.
    #[error("the worksheet has no <sheetData> to put the changed cells in")]
    NoSheetData,
    /// A row number not above the previous row's (1-based numbers).
    #[error(
        "row {row} comes after row {previous} in the file; rows out of order cannot be patched"
    )]
    RowOutOfOrder {
        /// The row met.
        row: u32,
        /// The row before it.
        previous: u32,
    },
    /// A cell outside its row or before the previous cell.
    #[error("cell {cell} is out of place in row {row}; cells out of order cannot be patched")]
    CellOutOfPlace {
        /// The cell's address.
        cell: String,
        /// Its row (1-based).
        row: u32,
    },
}

impl From<PackageError> for SheetError {
    /// A formula element's text read by the shared helper: its XML error
    /// is the worksheet's.
    fn from(e: PackageError) -> SheetError {
        match e {
            PackageError::Xml { detail, .. } | PackageError::Part { detail, .. } => {
                SheetError::Xml(detail)
            }
            other => SheetError::Xml(other.to_string()),
        }
    }
}
