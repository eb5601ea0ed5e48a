//! Other workbooks a workbook's formulas refer to (`[1]Rates!B2`,
//! `[1]!FxRate`), as Excel keeps them in the file: the values it read
//! from them when the link was last refreshed. Formulas take those values
//! (Excel shows them too until the link is refreshed), never the other
//! file itself.

use super::address::CellAddr;
use super::value::Value;
use std::collections::BTreeMap;

/// One external workbook: the `[n]` of a formula is its position plus one
/// in [`super::Workbook::external_books`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalBook {
    /// Where the link points (the relationship target, such as
    /// `file:///C:/Finance/Rates.xlsx` or `Rates.xlsx`); empty when the
    /// file does not say.
    pub target: String,
    /// Its sheets in the order the link lists them, with the cells Excel
    /// saved from them.
    pub sheets: Vec<ExternalSheet>,
    /// Its defined names that formulas here use.
    pub names: Vec<ExternalName>,
}

/// One sheet of an external workbook and the values Excel saved from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalSheet {
    /// The sheet's name.
    pub name: String,
    /// The saved values by cell.
    pub cells: BTreeMap<CellAddr, Value>,
}

/// A defined name of an external workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalName {
    /// The name.
    pub name: String,
    /// The position of the sheet it is local to, in [`ExternalBook::sheets`].
    pub sheet: Option<usize>,
    /// What it refers to in the external workbook (`Rates!$B$2`), without
    /// the leading `=`.
    pub refers_to: String,
}

impl ExternalBook {
    /// The position of a sheet by name (any case).
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.sheets.iter().position(|s| {
            s.name.eq_ignore_ascii_case(name) || s.name.to_lowercase() == name.to_lowercase()
        })
    }

    /// A defined name by name (any case), one local to `sheet` first.
    pub fn name(&self, name: &str, sheet: Option<usize>) -> Option<&ExternalName> {
        let matching = |n: &&ExternalName| n.name.eq_ignore_ascii_case(name.trim());
        self.names
            .iter()
            .filter(matching)
            .find(|n| sheet.is_some() && n.sheet == sheet)
            .or_else(|| {
                self.names
                    .iter()
                    .filter(matching)
                    .find(|n| n.sheet.is_none())
            })
    }
}

/// Splits an external sheet reference as formulas write it, `[1]Rates`
/// (or `[1]` alone, for a workbook-level name), into the book's position
/// in [`super::Workbook::external_books`] and the sheet name.
pub fn split_external_sheet(text: &str) -> Option<(usize, &str)> {
    let rest = text.strip_prefix('[')?;
    let (index, sheet) = rest.split_once(']')?;
    let n: usize = index.trim().parse().ok()?;
    n.checked_sub(1).map(|i| (i, sheet))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_sheet_text_splits_into_book_and_sheet() {
        assert_eq!(split_external_sheet("[1]Rates"), Some((0, "Rates")));
        assert_eq!(split_external_sheet("[12]"), Some((11, "")));
        assert_eq!(split_external_sheet("[0]Rates"), None);
        assert_eq!(split_external_sheet("[Book1.xlsx]Rates"), None);
        assert_eq!(split_external_sheet("Rates"), None);
    }

    #[test]
    fn names_local_to_a_sheet_come_first() {
        let book = ExternalBook {
            names: vec![
                ExternalName {
                    name: "Rate".into(),
                    sheet: None,
                    refers_to: "A!$A$1".into(),
                },
                ExternalName {
                    name: "Rate".into(),
                    sheet: Some(1),
                    refers_to: "B!$A$1".into(),
                },
            ],
            ..ExternalBook::default()
        };
        assert_eq!(book.name("rate", Some(1)).unwrap().refers_to, "B!$A$1");
        assert_eq!(book.name("RATE", None).unwrap().refers_to, "A!$A$1");
        assert_eq!(book.name("RATE", Some(0)).unwrap().refers_to, "A!$A$1");
        assert!(book.name("Other", None).is_none());
    }
}
