//! A1 addresses: cells, ranges, whole rows and columns, sheet-qualified.

use std::fmt;

/// Number of rows in an Excel worksheet.
pub const MAX_ROWS: u32 = 1_048_576;
/// Number of columns in an Excel worksheet (A..XFD).
pub const MAX_COLS: u32 = 16_384;

/// A cell position, zero-based (`A1` is row 0, column 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct CellAddr {
    /// Zero-based row index.
    pub row: u32,
    /// Zero-based column index.
    pub col: u32,
}

impl CellAddr {
    /// A cell position from zero-based row and column.
    pub const fn new(row: u32, col: u32) -> Self {
        CellAddr { row, col }
    }

    /// Parses `B2` or `$B$2` (no sheet prefix).
    pub fn parse(text: &str) -> Option<CellAddr> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let mut i = 0;
        if bytes.get(i) == Some(&b'$') {
            i += 1;
        }
        let letters_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let col = column_from_letters(&text[letters_start..i])?;
        if bytes.get(i) == Some(&b'$') {
            i += 1;
        }
        let digits = &text[i..];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let row: u32 = digits.parse().ok()?;
        if row == 0 || row > MAX_ROWS {
            return None;
        }
        Some(CellAddr { row: row - 1, col })
    }

    /// The `B2` form of this address.
    pub fn to_a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }
}

impl fmt::Display for CellAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_letters(self.col), self.row + 1)
    }
}

/// A rectangular block of cells, both corners inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RangeAddr {
    /// Top-left corner.
    pub start: CellAddr,
    /// Bottom-right corner.
    pub end: CellAddr,
}

impl RangeAddr {
    /// A range from two corners in any order.
    pub fn new(a: CellAddr, b: CellAddr) -> Self {
        RangeAddr {
            start: CellAddr::new(a.row.min(b.row), a.col.min(b.col)),
            end: CellAddr::new(a.row.max(b.row), a.col.max(b.col)),
        }
    }

    /// A one-cell range.
    pub fn cell(a: CellAddr) -> Self {
        RangeAddr { start: a, end: a }
    }

    /// Parses `A1:D20`, `B2`, `C:C`, `C:E`, `2:2`, `3:5`, with optional `$`.
    pub fn parse(text: &str) -> Option<RangeAddr> {
        let text = text.trim();
        let (left, right) = match text.split_once(':') {
            Some((l, r)) => (l, r),
            None => {
                return CellAddr::parse(text).map(RangeAddr::cell);
            }
        };
        if let (Some(a), Some(b)) = (CellAddr::parse(left), CellAddr::parse(right)) {
            return Some(RangeAddr::new(a, b));
        }
        let strip = |s: &str| s.trim().trim_start_matches('$').to_string();
        let (l, r) = (strip(left), strip(right));
        if let (Some(a), Some(b)) = (column_from_letters(&l), column_from_letters(&r)) {
            return Some(RangeAddr::new(
                CellAddr::new(0, a),
                CellAddr::new(MAX_ROWS - 1, b),
            ));
        }
        let row = |s: &str| -> Option<u32> {
            // Digits only (`u32::from_str` also takes `+1`); `then`, not
            // `then_some`, so row 0 is refused without computing `0 - 1`.
            if !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = s.parse().ok()?;
            (1..=MAX_ROWS).contains(&n).then(|| n - 1)
        };
        if let (Some(a), Some(b)) = (row(&l), row(&r)) {
            return Some(RangeAddr::new(
                CellAddr::new(a, 0),
                CellAddr::new(b, MAX_COLS - 1),
            ));
        }
        None
    }

    /// Number of rows covered.
    pub fn rows(&self) -> u32 {
        self.end.row - self.start.row + 1
    }

    /// Number of columns covered.
    pub fn cols(&self) -> u32 {
        self.end.col - self.start.col + 1
    }

    /// Whether `addr` lies inside this range.
    pub fn contains(&self, addr: CellAddr) -> bool {
        (self.start.row..=self.end.row).contains(&addr.row)
            && (self.start.col..=self.end.col).contains(&addr.col)
    }

    /// Whether the two ranges share at least one cell.
    pub fn intersects(&self, other: &RangeAddr) -> bool {
        self.start.row <= other.end.row
            && other.start.row <= self.end.row
            && self.start.col <= other.end.col
            && other.start.col <= self.end.col
    }

    /// The `A1:D20` form (a single cell prints as `A1`).
    pub fn to_a1(&self) -> String {
        if self.start == self.end {
            self.start.to_a1()
        } else {
            format!("{}:{}", self.start, self.end)
        }
    }
}

impl fmt::Display for RangeAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_a1())
    }
}

/// Column letters for a zero-based column index (`0` is `A`, `27` is `AB`).
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::with_capacity(3);
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Zero-based column index for letters like `AB` (case-insensitive).
pub fn column_from_letters(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32;
    }
    (1..=MAX_COLS).contains(&n).then(|| n - 1)
}

/// Splits `'Sales 2026'!B2` or `Sheet1!A1:B2` into the sheet name (quotes
/// removed, `''` unescaped) and the address part. Without `!` the sheet is
/// `None`.
pub fn split_sheet_prefix(text: &str) -> (Option<String>, &str) {
    let text = text.trim();
    match text.rfind('!') {
        Some(pos) => {
            let sheet = &text[..pos];
            let sheet = if sheet.len() >= 2 && sheet.starts_with('\'') && sheet.ends_with('\'') {
                sheet[1..sheet.len() - 1].replace("''", "'")
            } else {
                sheet.to_string()
            };
            (Some(sheet), &text[pos + 1..])
        }
        None => (None, text),
    }
}

/// Quotes a sheet name for use in a formula when it needs it
/// (`Sales 2026` becomes `'Sales 2026'`). A sheet of another workbook,
/// `[Book1]Sheet1` or `[1]Sheet1`, is quoted only when its sheet part
/// needs it, as Excel writes it (`'[Book1]Sheet 1'`).
pub fn quote_sheet_name(name: &str) -> String {
    let book_sheet = name
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .filter(|(book, _)| {
            !book.is_empty()
                && book
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        });
    if let Some((_, sheet)) = book_sheet {
        // `[1]` alone stands before a workbook-level name: `[1]!FxRate`.
        if sheet.is_empty() || is_plain_sheet_name(sheet) {
            return name.to_string();
        }
        return format!("'{}'", name.replace('\'', "''"));
    }
    if is_plain_sheet_name(name) {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Whether a sheet name can stand in a formula without quotes.
/// Whether a sheet name reads back unquoted as one word that starts a
/// name: a letter or `_` first (not a digit or `.`, which start a
/// number), then letters, digits, `_` and `.`, and not a cell address.
fn is_plain_sheet_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && !looks_like_cell_reference(name)
}

fn looks_like_cell_reference(name: &str) -> bool {
    CellAddr::parse(name).is_some()
        || name.eq_ignore_ascii_case("true")
        || name.eq_ignore_ascii_case("false")
        || name.to_ascii_uppercase().starts_with('R')
            && name[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c.eq_ignore_ascii_case(&'C'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cells_and_ranges() {
        assert_eq!(CellAddr::parse("B2"), Some(CellAddr::new(1, 1)));
        assert_eq!(CellAddr::parse("$AB$10"), Some(CellAddr::new(9, 27)));
        assert_eq!(
            CellAddr::parse("XFD1048576"),
            Some(CellAddr::new(MAX_ROWS - 1, MAX_COLS - 1))
        );
        assert_eq!(CellAddr::parse("XFE1"), None);
        assert_eq!(CellAddr::parse("A0"), None);
        assert_eq!(CellAddr::parse("A"), None);
        let r = RangeAddr::parse("D20:A1").unwrap();
        assert_eq!(r.to_a1(), "A1:D20");
        let c = RangeAddr::parse("C:C").unwrap();
        assert_eq!((c.start.col, c.end.col, c.rows()), (2, 2, MAX_ROWS));
        let rows = RangeAddr::parse("2:3").unwrap();
        assert_eq!(
            (rows.start.row, rows.end.row, rows.cols()),
            (1, 2, MAX_COLS)
        );
    }

    #[test]
    fn column_letters_round_trip() {
        for col in [0, 25, 26, 51, 701, 702, MAX_COLS - 1] {
            assert_eq!(column_from_letters(&column_letters(col)), Some(col));
        }
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn sheet_prefixes() {
        assert_eq!(
            split_sheet_prefix("'Sales 2026'!B2"),
            (Some("Sales 2026".to_string()), "B2")
        );
        assert_eq!(split_sheet_prefix("'It''s'!A1").0.as_deref(), Some("It's"));
        assert_eq!(split_sheet_prefix("A1"), (None, "A1"));
        assert_eq!(quote_sheet_name("Sales 2026"), "'Sales 2026'");
        assert_eq!(quote_sheet_name("Invoices"), "Invoices");
        assert_eq!(quote_sheet_name("A1"), "'A1'");
        // Another workbook's sheet: quoted only for its sheet part.
        assert_eq!(quote_sheet_name("[Book1]Sheet1"), "[Book1]Sheet1");
        assert_eq!(quote_sheet_name("[1]Rates"), "[1]Rates");
        assert_eq!(quote_sheet_name("[1]"), "[1]");
        assert_eq!(quote_sheet_name("[Book1]Sheet 1"), "'[Book1]Sheet 1'");
        assert_eq!(quote_sheet_name("[Book1]A1"), "'[Book1]A1'");
        assert_eq!(quote_sheet_name("[Book1"), "'[Book1'");
        assert_eq!(
            quote_sheet_name("[My Book.xlsx]Sheet1"),
            "'[My Book.xlsx]Sheet1'"
        );
    }
}
