//! The workbook model every step shares: readers fill it, formulas and
//! scripts calculate on it, writers save it.

pub mod address;
pub(crate) mod calendar;
pub mod collation;
mod error;
pub mod external;
pub mod formula;
pub mod number;
pub(crate) mod number_text;
pub mod pivot;
pub mod sheet;
pub mod style;
pub mod text;
pub mod value;
pub mod visuals;
pub mod workbook;

pub use address::{CellAddr, RangeAddr};
pub use error::ModelError;
pub use external::{ExternalBook, ExternalName, ExternalSheet};
pub use formula::{Formula, FormulaShape};
pub use number::Number;
pub use pivot::PivotTable;
pub use sheet::{
    ArrayFormula, ArrayKind, Cell, DataTable, HiddenRows, Hyperlink, RowsLeftOut, Sheet, Visibility,
};
pub use style::{Style, StyleId, StyleTable};
pub use text::Text;
pub use value::{DateKind, DateValue, ErrorKind, Value};
pub use workbook::{DateSystem, DefinedName, Iteration, SourceFormat, Table, Workbook};
