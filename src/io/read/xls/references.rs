//! Cell references of xls formulas, which calamine 0.38 prints wrongly:
//! it reads a reference's row-relative bit as the column's and the other
//! way round (`$A1` comes out `A$1`), prints a reference to another sheet
//! (PtgRef3d) at a column four times too far right (`=Data!B2` comes out
//! `Data!E$2`) and an area on another sheet (PtgArea3d) with the flags in
//! its column numbers and without looking its sheet up. A formula reading
//! another sheet, the most common thing a finance workbook does, would be
//! computed from the wrong cells.
//!
//! Before calamine decodes the tokens, [`fix_references`] swaps the two
//! bits of every same-sheet reference back, so calamine prints them as
//! Excel does, and replaces each reference to another sheet by a string
//! token of the same size holding a marker; once calamine has printed the
//! formula, [`put_markers_right`] writes the reference Excel shows in the
//! marker's place. Token sizes never change, so the jumps of IF and
//! CHOOSE stay right.

use crate::model::address::{column_letters, quote_sheet_name};

/// The character a marker starts with, inside a string literal.
const MARKER: char = '\u{1}';

/// The workbook's sheet references (EXTERNSHEET) and sheet names, to name
/// the sheet of a 3-D reference.
#[derive(Debug, Default)]
pub(super) struct SheetTable {
    /// For each sheet, in BoundSheet order, its name.
    pub names: Vec<String>,
    /// Whether each SupBook record, in order, is this workbook's own.
    pub own_books: Vec<bool>,
    /// The XTI entries: SupBook index, first and last sheet.
    pub references: Vec<(u16, u16, u16)>,
}

impl SheetTable {
    /// Reads an EXTERNSHEET record's entries.
    pub(super) fn read_extern_sheet(&mut self, data: &[u8]) {
        let count = data
            .get(0..2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        for i in 0..usize::from(count) {
            let Some(entry) = data.get(2 + 6 * i..8 + 6 * i) else {
                break;
            };
            let word = |at: usize| u16::from_le_bytes([entry[at], entry[at + 1]]);
            self.references.push((word(0), word(2), word(4)));
        }
    }

    /// Reads a SUPBOOK record: this workbook's own is 4 bytes, its sheet
    /// count and 0x0401.
    pub(super) fn read_supbook(&mut self, data: &[u8]) {
        self.own_books
            .push(data.len() == 4 && data.get(2..4) == Some(&[0x01, 0x04]));
    }

    /// The `Sheet!` prefix of XTI entry `ixti` (`First:Last!` for a 3-D
    /// span); `None` for another workbook or an entry not in the table.
    fn prefix(&self, ixti: u16) -> Option<String> {
        let &(book, first, last) = self.references.get(usize::from(ixti))?;
        if !*self.own_books.get(usize::from(book))? {
            return None;
        }
        let first_name = self.names.get(usize::from(first))?;
        if first == last {
            return Some(format!("{}!", quote_sheet_name(first_name)));
        }
        let last_name = self.names.get(usize::from(last))?;
        Some(format!(
            "{}!",
            quote_sheet_name(&format!("{first_name}:{last_name}"))
        ))
    }
}

/// A reference's A1 text from its row and its column field (14 bits of
/// column, bit 14 column-relative, bit 15 row-relative).
fn a1(row: u16, column: u16) -> String {
    let mut out = String::new();
    if column & 0x4000 == 0 {
        out.push('$');
    }
    out.push_str(&column_letters(u32::from(column & 0x3FFF)));
    if column & 0x8000 == 0 {
        out.push('$');
    }
    out.push_str(&(u32::from(row) + 1).to_string());
    out
}

fn word(tokens: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([tokens[at], tokens[at + 1]])
}

/// Swaps bits 14 and 15 of the column field at `at`.
fn swap_flags(tokens: &mut [u8], at: usize) {
    let field = word(tokens, at);
    let swapped = (field & 0x3FFF) | ((field & 0x4000) << 1) | ((field & 0x8000) >> 1);
    tokens[at..at + 2].copy_from_slice(&swapped.to_le_bytes());
}

/// A string token of `size` bytes in all holding marker number `n`.
fn marker_token(size: usize, n: usize) -> Vec<u8> {
    let chars = size - 3;
    let digits = format!("{n:0width$}", width = chars - 1);
    let mut out = vec![0x17, chars as u8, 0, MARKER as u8];
    out.extend(digits.bytes());
    out
}

/// Rewrites the tokens of one formula in place for calamine (see the
/// module): returns the references to other sheets its markers stand
/// for, in marker order, or `None` when a token cannot be stepped over
/// (the tokens are then left as they were).
pub(super) fn fix_references(tokens: &mut [u8], sheets: &SheetTable) -> Option<Vec<String>> {
    let original = tokens.to_vec();
    let mut texts = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let ptg = tokens[i];
        let size = token_size(&tokens[i..]).filter(|size| i + 1 + size <= tokens.len());
        let Some(size) = size else {
            tokens.copy_from_slice(&original);
            return None;
        };
        if (0x20..=0x7F).contains(&ptg) {
            match ptg & 0x1F {
                0x04 => swap_flags(tokens, i + 3),
                0x05 => {
                    swap_flags(tokens, i + 5);
                    swap_flags(tokens, i + 7);
                }
                0x1A | 0x1B => {
                    let ixti = word(tokens, i + 1);
                    if let Some(prefix) = sheets.prefix(ixti) {
                        let text = if ptg & 0x1F == 0x1A {
                            format!("{prefix}{}", a1(word(tokens, i + 3), word(tokens, i + 5)))
                        } else {
                            let first = a1(word(tokens, i + 3), word(tokens, i + 7));
                            let last = a1(word(tokens, i + 5), word(tokens, i + 9));
                            format!("{prefix}{first}:{last}")
                        };
                        let marker = marker_token(1 + size, texts.len());
                        tokens[i..i + 1 + size].copy_from_slice(&marker);
                        texts.push(text);
                    }
                }
                _ => {}
            }
        }
        i += 1 + size;
    }
    Some(texts)
}

/// The size of the data after the token at the start of `at` (MS-XLS
/// 2.5.198.25, BIFF8); `None` for a token this cannot step over.
pub(super) fn token_size(at: &[u8]) -> Option<usize> {
    let ptg = *at.first()?;
    let size = match ptg {
        0x01 | 0x02 => 4,
        0x03..=0x16 => 0,
        0x17 => {
            let count = usize::from(*at.get(1)?);
            let wide = at.get(2)? & 1 == 1;
            2 + count * if wide { 2 } else { 1 }
        }
        0x19 => crate::io::read::ptg::attr_size(at)?,
        0x1C | 0x1D => 1,
        0x1E => 2,
        0x1F => 8,
        0x20..=0x7F => match ptg & 0x1F {
            0x00 => 7,                      // PtgArray
            0x01 | 0x09 => 2,               // PtgFunc, PtgMemFunc
            0x02 => 3,                      // PtgFuncVar
            0x03 | 0x04 | 0x0A | 0x0C => 4, // PtgName, PtgRef, PtgRefErr, PtgRefN
            0x05 | 0x0B | 0x0D => 8,        // PtgArea, PtgAreaErr, PtgAreaN
            0x06..=0x08 => 6,               // PtgMemArea, PtgMemErr, PtgMemNoMem
            0x0E | 0x0F => 2,               // PtgMemAreaN, PtgMemNoMemN
            0x19 | 0x1A | 0x1C => 6,        // PtgNameX, PtgRef3d, PtgRefErr3d
            0x1B | 0x1D => 10,              // PtgArea3d, PtgAreaErr3d
            _ => return None,
        },
        _ => return None,
    };
    Some(size)
}

/// `formula` as calamine printed it with each marker string replaced by
/// the reference `texts` holds for it.
pub(super) fn put_markers_right(formula: &str, texts: &[String]) -> String {
    let mut out = String::with_capacity(formula.len() + 16 * texts.len());
    let mut rest = formula;
    let opening = format!("\"{MARKER}");
    while let Some(at) = rest.find(&opening) {
        out.push_str(&rest[..at]);
        let after = &rest[at + opening.len()..];
        let Some(end) = after.find('"') else {
            out.push_str(&rest[at..]);
            return out;
        };
        match after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|n| texts.get(n))
        {
            Some(text) => out.push_str(text),
            None => out.push_str(&rest[at..at + opening.len() + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheets() -> SheetTable {
        SheetTable {
            names: vec!["Data".into(), "My Sheet".into()],
            own_books: vec![true],
            references: vec![(0, 1, 1), (0, 0, 0)],
        }
    }

    #[test]
    fn same_sheet_references_get_their_flags_swapped_for_calamine() {
        // $A1 (row relative only: bit 15) and PtgInt 1.
        let mut tokens = vec![0x44, 0, 0, 0, 0x80, 0x1E, 1, 0];
        assert_eq!(fix_references(&mut tokens, &sheets()), Some(vec![]));
        assert_eq!(word(&tokens, 3), 0x4000);
    }

    #[test]
    fn references_to_other_sheets_become_markers_of_the_same_size() {
        // Data!B2 through XTI 1 (relative both ways), then
        // SUM('My Sheet'!$A$1:C3) through XTI 0.
        let mut tokens = vec![0x5A, 1, 0, 1, 0, 1, 0xC0];
        tokens.extend([
            0x3B, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0xC0, 0x19, 0x10, 0, 0, 0x03,
        ]);
        let size = tokens.len();
        let texts = fix_references(&mut tokens, &sheets()).unwrap();
        assert_eq!(tokens.len(), size);
        assert_eq!(texts, ["Data!B2", "'My Sheet'!$A$1:C3"]);
        assert_eq!(&tokens[..4], &[0x17, 4, 0, 1]);
        let printed = "\"\u{1}000\"+SUM(\"\u{1}0000001\")";
        assert_eq!(
            put_markers_right(printed, &texts),
            "Data!B2+SUM('My Sheet'!$A$1:C3)"
        );
    }

    #[test]
    fn unknown_tokens_leave_the_formula_as_it_was() {
        let mut tokens = vec![0x44, 0, 0, 0, 0x80, 0x18, 1];
        let before = tokens.clone();
        assert_eq!(fix_references(&mut tokens, &sheets()), None);
        assert_eq!(tokens, before);
        // Another workbook's sheet keeps calamine's reading.
        let table = SheetTable {
            own_books: vec![false],
            ..sheets()
        };
        let mut external = vec![0x5A, 0, 0, 1, 0, 1, 0xC0];
        assert_eq!(fix_references(&mut external, &table), Some(vec![]));
        assert_eq!(external[0], 0x5A);
    }
}
