//! Formulas by shape: finding the relative form of a formula's text
//! cheaply, so that a formula copied down a column is stored and parsed
//! once (see [`crate::model::formula`]).
//!
//! The text is scanned by the parser's own rules for words, numbers,
//! quotes and brackets, without building a tree. Whatever this scan is
//! unsure of (a trim-range operator, a reference written in lower case)
//! keeps the formula as plain text of its cell, unshared: sharing is an
//! economy, never a guess. The engine checks each shape once more against
//! the parsed tree of its anchor ([`tree_matches`]) before sharing it.

use super::ast::{Expr, RefShape};
use super::parser::{is_name_char, is_name_start, parse_cell_ref, parse_col_part};
use super::printer::walk;
use crate::model::address::MAX_ROWS;
use crate::model::formula::{render_form, Coord, RefPart, ShapeRef};
use crate::model::{CellAddr, ErrorKind, Formula, FormulaShape};
use std::collections::HashMap;
use std::sync::Arc;

/// The relative form of `text` (without `=`) written at `addr`: its
/// literal text with the reference corners cut out, and the corners.
/// `None` where the scan is unsure; the form rendered at `addr` is
/// always `text` again.
pub fn relative_form(text: &str, addr: CellAddr) -> Option<(String, Vec<ShapeRef>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut scan = Scan {
        chars: &chars,
        pos: 0,
        out: String::with_capacity(text.len()),
        refs: Vec::new(),
        addr,
    };
    while let Some(c) = scan.peek() {
        match c {
            '"' | '\'' => scan.copy_quoted(c)?,
            '[' => scan.copy_brackets()?,
            '{' => scan.copy_array()?,
            '#' => scan.copy_error(),
            c if c.is_ascii_digit() || c == '.' => {
                if !scan.row_range()? {
                    scan.copy_number();
                }
            }
            '$' => {
                if !scan.row_range()? {
                    scan.word()?;
                }
            }
            c if is_name_start(c) => scan.word()?,
            c => {
                scan.out.push(c);
                scan.pos += 1;
            }
        }
    }
    let Scan { out, refs, .. } = scan;
    // The form must give the text back exactly (case, leading zeros).
    (render_form(&out, &refs, addr).as_deref() == Some(text)).then_some((out, refs))
}

struct Scan<'a> {
    chars: &'a [char],
    pos: usize,
    out: String,
    refs: Vec<ShapeRef>,
    addr: CellAddr,
}

impl Scan<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn copy_to(&mut self, end: usize) {
        self.out.extend(&self.chars[self.pos..end]);
        self.pos = end;
    }

    /// `"text"` or `'sheet name'`, a doubled quote standing for one.
    fn copy_quoted(&mut self, quote: char) -> Option<()> {
        let mut i = self.pos + 1;
        loop {
            match self.at(i)? {
                c if c == quote && self.at(i + 1) == Some(quote) => i += 2,
                c if c == quote => break,
                _ => i += 1,
            }
        }
        self.copy_to(i + 1);
        Some(())
    }

    /// A table specification or an external book `[1]`, nested brackets
    /// and `'` escapes included.
    fn copy_brackets(&mut self) -> Option<()> {
        let mut depth = 0usize;
        let mut i = self.pos;
        loop {
            match self.at(i)? {
                '\'' => i += 1,
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.copy_to(i + 1);
        Some(())
    }

    /// An array constant: constants only, strings possibly holding `}`.
    fn copy_array(&mut self) -> Option<()> {
        let mut i = self.pos + 1;
        loop {
            match self.at(i)? {
                '"' => {
                    i += 1;
                    loop {
                        match self.at(i)? {
                            '"' if self.at(i + 1) == Some('"') => i += 2,
                            '"' => break,
                            _ => i += 1,
                        }
                    }
                }
                '}' => break,
                _ => {}
            }
            i += 1;
        }
        self.copy_to(i + 1);
        Some(())
    }

    /// An error literal, matched as the parser matches it (the longest
    /// error name), or a lone `#` (a spill reference's).
    fn copy_error(&mut self) {
        let rest: String = self.chars[self.pos..].iter().take(16).collect();
        let upper = rest.to_ascii_uppercase();
        let len = ErrorKind::ALL
            .iter()
            .map(|e| e.as_str())
            .filter(|s| upper.starts_with(s))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(1);
        self.copy_to(self.pos + len);
    }

    /// A number, its exponent included (`1E5` holds no reference `E5`).
    fn copy_number(&mut self) {
        let mut i = self.pos;
        while self.at(i).is_some_and(|c| c.is_ascii_digit() || c == '.') {
            i += 1;
        }
        if matches!(self.at(i), Some('e' | 'E'))
            && (self.at(i + 1).is_some_and(|c| c.is_ascii_digit())
                || (matches!(self.at(i + 1), Some('+' | '-'))
                    && self.at(i + 2).is_some_and(|c| c.is_ascii_digit())))
        {
            i += 2;
            while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
        }
        self.copy_to(i);
    }

    fn word_end(&self, from: usize) -> usize {
        let mut i = from;
        while self.at(i).is_some_and(is_name_char) {
            i += 1;
        }
        i
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from..to].iter().collect()
    }

    fn push_ref(&mut self, part: RefPart) {
        self.refs.push(ShapeRef {
            at: self.out.len() as u32,
            part,
        });
    }

    /// `1:3` or `$2:$5` as the parser reads a row range; `Ok(false)`
    /// (nothing read) for anything else, `None` for a trim-range form.
    fn row_range(&mut self) -> Option<bool> {
        let row_part = |mut i: usize| -> Option<(u32, bool, usize)> {
            let abs = self.at(i) == Some('$');
            if abs {
                i += 1;
            }
            let start = i;
            while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            let n: u32 = self.text(start, i).parse().ok()?;
            (1..=MAX_ROWS).contains(&n).then(|| (n - 1, abs, i))
        };
        let Some((r1, a1, mut i)) = row_part(self.pos) else {
            return Some(false);
        };
        let dot1 = self.at(i) == Some('.');
        if dot1 {
            i += 1;
        }
        if self.at(i) != Some(':') {
            return Some(false);
        }
        i += 1;
        let dot2 = self.at(i) == Some('.');
        if dot2 {
            i += 1;
        }
        let Some((r2, a2, end)) = row_part(i) else {
            return Some(false);
        };
        if self.at(end).is_some_and(is_name_char) {
            return Some(false);
        }
        if dot1 || dot2 {
            return None;
        }
        let base = self.addr.row;
        self.push_ref(RefPart::Row(Coord::of(r1, a1, base)));
        self.out.push(':');
        self.push_ref(RefPart::Row(Coord::of(r2, a2, base)));
        self.pos = end;
        Some(true)
    }

    /// A word: a function or sheet name, a table, a 3-D span, a cell or
    /// column reference (with a `:corner`), or a name.
    fn word(&mut self) -> Option<()> {
        let start = self.pos;
        let end = self.word_end(start);
        if end == start {
            // A `$` the parser refuses: copy it, the parse fails alike.
            self.copy_to(start + 1);
            return Some(());
        }
        let word = self.text(start, end);
        match self.at(end) {
            Some('(' | '!' | '[') => {
                self.copy_to(end);
                return Some(());
            }
            Some(':') => {
                let end2 = self.word_end(end + 1);
                if end2 > end + 1 && self.at(end2) == Some('!') {
                    self.copy_to(end2);
                    return Some(());
                }
            }
            _ => {}
        }
        let (addr, colon) = (self.addr, self.at(end) == Some(':'));
        if let Some(bare) = word.strip_suffix('.') {
            if colon && (parse_cell_ref(bare).is_some() || parse_col_part(bare).is_some()) {
                return None;
            }
        }
        let trailing_dot = colon && self.at(end + 1) == Some('.');
        let end2 = if colon { self.word_end(end + 1) } else { end };
        let w2 = if colon {
            self.text(end + 1, end2)
        } else {
            String::new()
        };
        if let Some(cell) = parse_cell_ref(&word) {
            let corner = |c: super::ast::CellRef| RefPart::Cell {
                row: Coord::of(c.row, c.row_abs, addr.row),
                col: Coord::of(c.col, c.col_abs, addr.col),
            };
            if trailing_dot {
                return None;
            }
            self.push_ref(corner(cell));
            self.pos = end;
            if colon {
                if let Some(cell2) = parse_cell_ref(&w2) {
                    self.out.push(':');
                    self.push_ref(corner(cell2));
                    self.pos = end2;
                }
            }
            return Some(());
        }
        if let Some((col, abs)) = parse_col_part(&word) {
            if colon {
                if let Some((col2, abs2)) = parse_col_part(&w2) {
                    if trailing_dot {
                        return None;
                    }
                    self.push_ref(RefPart::Column(Coord::of(col, abs, addr.col)));
                    self.out.push(':');
                    self.push_ref(RefPart::Column(Coord::of(col2, abs2, addr.col)));
                    self.pos = end2;
                    return Some(());
                }
                if trailing_dot {
                    return None;
                }
            }
        }
        self.copy_to(end);
        Some(())
    }
}

/// Whether the parsed tree of a shape's text at its anchor holds exactly
/// the shape's reference corners, in order: then the tree of any cell of
/// the shape is the anchor's tree moved by the cell's offset.
pub fn tree_matches(expr: &Expr, shape: &FormulaShape, anchor: CellAddr) -> bool {
    let mut parts = Vec::with_capacity(shape.refs().len());
    walk(expr, &mut |node| {
        if let Expr::Ref(r) = node {
            let corners = std::iter::once(r.start).chain(r.end);
            for c in corners {
                parts.push(match r.shape {
                    RefShape::Cells => RefPart::Cell {
                        row: Coord::of(c.row, c.row_abs, anchor.row),
                        col: Coord::of(c.col, c.col_abs, anchor.col),
                    },
                    RefShape::Columns => RefPart::Column(Coord::of(c.col, c.col_abs, anchor.col)),
                    RefShape::Rows => RefPart::Row(Coord::of(c.row, c.row_abs, anchor.row)),
                });
            }
        }
    });
    parts.len() == shape.refs().len() && parts.iter().zip(shape.refs()).all(|(p, r)| *p == r.part)
}

/// Gives the cells of a sheet being read one shape per relative form, so
/// a formula copied down a column is held once.
#[derive(Debug, Default)]
pub struct ShapeInterner {
    /// Shapes by the hash of their form (a few collide at most). Hashed
    /// with aHash: every formula of a sheet passes here, and the default
    /// SipHash took a twentieth of reading the 1M-row ledger.
    shapes: HashMap<u64, Vec<Arc<FormulaShape>>, ahash::RandomState>,
    /// Hashes a form to its key in `shapes`.
    hasher: ahash::RandomState,
}

impl ShapeInterner {
    /// The formula `text` (without `=`) of the cell at `addr`, sharing
    /// the shape of an earlier cell with the same relative form.
    pub fn formula(&mut self, text: &str, addr: CellAddr) -> Formula {
        self.shareable(text, addr)
            .unwrap_or_else(|| self.intern(text.to_string(), Vec::new(), addr))
    }

    /// Like [`ShapeInterner::formula`], but `None` where the text's form
    /// is unsure: such a formula may not be given to other cells.
    pub fn shareable(&mut self, text: &str, addr: CellAddr) -> Option<Formula> {
        let (literal, refs) = relative_form(text, addr)?;
        Some(if refs.iter().any(|r| has_relative(r.part)) {
            self.intern(literal, refs, addr)
        } else {
            // Nothing moves: the text itself is the form.
            self.intern(text.to_string(), Vec::new(), addr)
        })
    }

    fn intern(&mut self, literal: String, refs: Vec<ShapeRef>, addr: CellAddr) -> Formula {
        let key = self.hasher.hash_one((&literal, &refs));
        let bucket = self.shapes.entry(key).or_default();
        if let Some(shape) = bucket
            .iter()
            .find(|s| s.literal() == literal && s.refs() == refs.as_slice())
        {
            return Formula::from_shape(shape.clone());
        }
        let anchor = (!refs.is_empty()).then_some(addr);
        let shape = Arc::new(FormulaShape::new(literal.into(), refs.into(), anchor));
        bucket.push(shape.clone());
        Formula::from_shape(shape)
    }
}

fn has_relative(part: RefPart) -> bool {
    match part {
        RefPart::Cell { row, col } => !row.is_absolute() || !col.is_absolute(),
        RefPart::Column(c) | RefPart::Row(c) => !c.is_absolute(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::parse;
    use crate::formula::printer::shift;

    fn a(cell: &str) -> CellAddr {
        CellAddr::parse(cell).unwrap()
    }

    /// The text of `text`'s shape (read at `at`) at cell `to`.
    fn moved(text: &str, at: &str, to: &str) -> Option<String> {
        let (literal, refs) = relative_form(text, a(at))?;
        FormulaShape::new(literal.into(), refs.into(), None).render(a(to))
    }

    #[test]
    fn references_move_as_excel_fills() {
        // (text, read at, moved to, text there)
        let cases = [
            // Relative, absolute and mixed.
            ("B2*$C$1+C$1+$D2", "A2", "A5", "B5*$C$1+C$1+$D5"),
            ("B2*$C$1+C$1+$D2", "A2", "C2", "D2*$C$1+E$1+$D2"),
            (
                "ROUND(D2*VLOOKUP(E2,Rates,2,0),2)",
                "F2",
                "F100000",
                "ROUND(D100000*VLOOKUP(E100000,Rates,2,0),2)",
            ),
            // Other sheets and books, ranges, whole columns and rows.
            (
                "SUM('My Sheet'!A1:B2)+Data!$A$1+[1]Rates!B3",
                "C1",
                "C3",
                "SUM('My Sheet'!A3:B4)+Data!$A$1+[1]Rates!B5",
            ),
            ("SUM(A:B)+SUM($C:D)", "E1", "F9", "SUM(B:C)+SUM($C:E)"),
            ("SUM(2:3)+SUM($1:1)", "A1", "B2", "SUM(3:4)+SUM($1:2)"),
            // A 3-D span is sheet names, not columns.
            ("SUM(Jan:Dec!B2)", "A1", "A2", "SUM(Jan:Dec!B3)"),
        ];
        for (text, at, to, want) in cases {
            assert_eq!(moved(text, at, to).as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn names_functions_strings_tables_and_numbers_stay() {
        let text = "LOG10(Rates)+\"A1\"&Invoices[@Net]+T[[#This Row],[B2]]+1E5+TRUE+#N/A";
        let (literal, refs) = relative_form(text, a("A1")).unwrap();
        assert!(refs.is_empty(), "{refs:?}");
        assert_eq!(literal, text);
        // A name such as `Tax2026` would be a cell: Excel forbids it.
        assert_eq!(moved("TAX2026", "A1", "A2").unwrap(), "TAX2027");
    }

    #[test]
    fn the_edge_of_the_sheet_is_ref_error() {
        assert_eq!(moved("A2", "B2", "B1").unwrap(), "A1");
        assert_eq!(moved("A1", "B2", "B1"), None);
        assert_eq!(moved("XFD1", "A1", "B1"), None);
        // Moving the tree gives Excel's #REF! for the falling reference.
        let e = parse("A1+$A$1").unwrap();
        assert_eq!(crate::formula::print(&shift(&e, -1, 0)), "#REF!+$A$1");
    }

    #[test]
    fn unsure_forms_stay_plain_text() {
        for text in [
            "a1+1",
            "A01",
            "SUM(A1.:B9)",
            "SUM(A1:.B9)",
            "\"open",
            "SUM(1.:.3)",
        ] {
            assert_eq!(relative_form(text, a("A1")), None, "{text}");
        }
    }

    #[test]
    fn trees_of_shapes_match_their_text() {
        for text in [
            "B2*$C$1+SUM(A:B)+SUM(2:3)+Sheet2!A1:C3",
            "IF(A1>0,VLOOKUP(A1,$X$1:$Y$9,2,FALSE),\"\")",
            "SUM(Jan:Dec!B2)+T[@B2]",
        ] {
            let at = a("C5");
            let (literal, refs) = relative_form(text, at).unwrap();
            let shape = FormulaShape::new(literal.into(), refs.into(), Some(at));
            assert!(tree_matches(&parse(text).unwrap(), &shape, at), "{text}");
            // A cell's own parse equals the anchor's tree moved there.
            let to = a("D9");
            let own = parse(&shape.render(to).unwrap()).unwrap();
            assert_eq!(own, shift(&parse(text).unwrap(), 4, 1), "{text}");
        }
        // A scan that saw a reference the parser does not is caught.
        let shape = FormulaShape::new(
            "+1".into(),
            Box::new([ShapeRef {
                at: 0,
                part: RefPart::Cell {
                    row: Coord::Relative(0),
                    col: Coord::Relative(0),
                },
            }]),
            Some(a("A1")),
        );
        assert!(!tree_matches(&parse("Name+1").unwrap(), &shape, a("A1")));
    }

    #[test]
    fn copied_down_formulas_share_one_shape() {
        let mut interner = ShapeInterner::default();
        let f2 = interner.formula("D2*VLOOKUP(E2,Rates,2,0)", a("F2"));
        let f3 = interner.formula("D3*VLOOKUP(E3,Rates,2,0)", a("F3"));
        let other = interner.formula("D3*VLOOKUP(E2,Rates,2,0)", a("F4"));
        assert!(Arc::ptr_eq(f2.shape(), f3.shape()));
        assert!(!Arc::ptr_eq(f2.shape(), other.shape()));
        assert_eq!(f3.text_at(a("F3")), "D3*VLOOKUP(E3,Rates,2,0)");
        assert_eq!(other.text_at(a("F4")), "D3*VLOOKUP(E2,Rates,2,0)");
        // Only absolute parts: the text itself, the same everywhere.
        let abs = interner.formula("SUM($A$1:$A$9)", a("B1"));
        assert_eq!(abs.shape().anchor(), None);
        assert_eq!(abs.text_at(a("Z99")), "SUM($A$1:$A$9)");
        let lower = interner.formula("a1+1", a("B1"));
        assert_eq!(lower.text_at(a("B1")), "a1+1");
    }
}
