//! Reading workbooks into the model and writing them out again.

pub(crate) mod pipe;
pub mod read;
pub mod write;

/// Whether CSV text would be taken for a formula by a spreadsheet opening
/// the file (`=HYPERLINK(...)`, `+cmd|...`, `@SUM(...)`): CSV injection.
/// The CSV writer puts a `'` before such text, which Excel reads as "this
/// is text", and the CSV reader takes that `'` off again.
pub(crate) fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}
