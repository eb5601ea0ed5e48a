//! A cell's formula as the model keeps it: a reference to its *shape*.
//!
//! A formula copied down a column (`=D2*1.21`, `=D3*1.21`, ...) has one
//! relative form: its literal text with every reference cut out and kept
//! as an offset from the formula's cell (or as a `$` position). Cells of a
//! copied-down column share that one shape, so a million rows of the same
//! formula hold one pointer each instead of a string each, and the formula
//! engine parses the shape once. The text of a cell is the shape rendered
//! at the cell's address, exactly as the file wrote it.
//!
//! A formula built from text without an address ([`Formula::new`]) is a
//! shape without references: the same text at every cell.

use super::address::{column_letters, CellAddr, MAX_COLS, MAX_ROWS};
use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Arc;

/// One coordinate of a reference in a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coord {
    /// Written with `$`: this zero-based row or column at every cell.
    Absolute(u32),
    /// Relative: this many rows or columns away from the formula's cell.
    Relative(i32),
}

impl Coord {
    /// The zero-based position at `base` (the formula cell's row or
    /// column), or `None` past the sheet's edge (`limit` rows or columns).
    pub fn at(self, base: u32, limit: u32) -> Option<u32> {
        match self {
            Coord::Absolute(v) => Some(v),
            Coord::Relative(d) => {
                let v = i64::from(base) + i64::from(d);
                (0..i64::from(limit)).contains(&v).then_some(v as u32)
            }
        }
    }

    /// The coordinate `value` (zero-based) written with or without `$`,
    /// as seen from `base`.
    pub fn of(value: u32, absolute: bool, base: u32) -> Coord {
        if absolute {
            Coord::Absolute(value)
        } else {
            // Both below 2^24: the difference fits.
            Coord::Relative((i64::from(value) - i64::from(base)) as i32)
        }
    }

    /// Whether written with `$`.
    pub fn is_absolute(self) -> bool {
        matches!(self, Coord::Absolute(_))
    }
}

/// A reference corner cut out of a shape's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefPart {
    /// A cell corner such as `B7`, `$B$7` or `B$7`.
    Cell {
        /// Its row.
        row: Coord,
        /// Its column.
        col: Coord,
    },
    /// One end of a whole-column reference (`C` of `C:E`).
    Column(Coord),
    /// One end of a whole-row reference (`2` of `2:5`).
    Row(Coord),
}

/// A reference corner and where it goes in the literal text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ShapeRef {
    /// Byte offset in the literal text where the corner is written.
    pub at: u32,
    /// The corner.
    pub part: RefPart,
}

/// The relative form of a formula, shared by every cell holding it.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct FormulaShape {
    /// The text with the reference corners cut out.
    literal: Box<str>,
    /// The corners, in text order.
    refs: Box<[ShapeRef]>,
    /// The cell the shape was first read at, when it has relative parts:
    /// the formula engine parses the text there once and moves the tree
    /// for the other cells.
    anchor: Option<CellAddr>,
}

impl FormulaShape {
    /// A shape from its literal text and corners (offsets into `literal`,
    /// ascending), first read at `anchor`.
    pub fn new(literal: Box<str>, refs: Box<[ShapeRef]>, anchor: Option<CellAddr>) -> FormulaShape {
        debug_assert!(refs.windows(2).all(|w| w[0].at <= w[1].at));
        debug_assert!(refs.iter().all(|r| literal.is_char_boundary(r.at as usize)));
        FormulaShape {
            literal,
            refs,
            anchor,
        }
    }

    /// The text with the reference corners cut out.
    pub fn literal(&self) -> &str {
        &self.literal
    }

    /// The reference corners in text order.
    pub fn refs(&self) -> &[ShapeRef] {
        &self.refs
    }

    /// The cell the shape was first read at (`None` for a formula made
    /// from text alone, which reads the same at every cell).
    pub fn anchor(&self) -> Option<CellAddr> {
        self.anchor
    }

    /// Whether two shapes read the same at every cell.
    pub fn same_form(&self, other: &FormulaShape) -> bool {
        self.literal == other.literal && self.refs == other.refs
    }

    /// The formula text at `addr`, or `None` when a reference would fall
    /// off the sheet there.
    pub fn render(&self, addr: CellAddr) -> Option<String> {
        self.render_with(addr, false)
    }

    fn render_with(&self, addr: CellAddr, ref_errors: bool) -> Option<String> {
        render_parts(&self.literal, &self.refs, addr, ref_errors)
    }
}

/// The text of the form `literal` with `refs` (offsets into it, ascending)
/// at `addr`, or `None` when a corner would fall off the sheet there.
pub fn render_form(literal: &str, refs: &[ShapeRef], addr: CellAddr) -> Option<String> {
    render_parts(literal, refs, addr, false)
}

fn render_parts(
    literal: &str,
    refs: &[ShapeRef],
    addr: CellAddr,
    ref_errors: bool,
) -> Option<String> {
    let mut out = String::with_capacity(literal.len() + 8 * refs.len());
    let mut from = 0usize;
    for r in refs {
        let at = (r.at as usize).clamp(from, literal.len());
        out.push_str(literal.get(from..at)?);
        from = at;
        if !push_part(&mut out, r.part, addr) {
            if !ref_errors {
                return None;
            }
            out.push_str("#REF!");
        }
    }
    out.push_str(literal.get(from..)?);
    Some(out)
}

/// Writes a corner as seen from `addr`; false when it falls off the sheet.
fn push_part(out: &mut String, part: RefPart, addr: CellAddr) -> bool {
    let col = |out: &mut String, c: Coord| match c.at(addr.col, MAX_COLS) {
        Some(v) => {
            if c.is_absolute() {
                out.push('$');
            }
            out.push_str(&column_letters(v));
            true
        }
        None => false,
    };
    let row = |out: &mut String, r: Coord| match r.at(addr.row, MAX_ROWS) {
        Some(v) => {
            if r.is_absolute() {
                out.push('$');
            }
            // Writing to a String cannot fail.
            let _ = write!(out, "{}", v + 1);
            true
        }
        None => false,
    };
    match part {
        RefPart::Cell { row: r, col: c } => {
            let (Some(_), Some(_)) = (c.at(addr.col, MAX_COLS), r.at(addr.row, MAX_ROWS)) else {
                return false;
            };
            col(out, c) && row(out, r)
        }
        RefPart::Column(c) => col(out, c),
        RefPart::Row(r) => row(out, r),
    }
}

/// A cell's formula: a shared pointer to its shape (8 bytes a cell).
#[derive(Clone)]
pub struct Formula(Arc<FormulaShape>);

impl Formula {
    /// A formula from its text (without `=`), reading the same at every
    /// cell: for formulas set one at a time, by scripts or from formats
    /// whose formulas are not shared.
    pub fn new(text: &str) -> Formula {
        Formula(Arc::new(FormulaShape::new(text.into(), Box::new([]), None)))
    }

    /// A formula holding `shape`.
    pub fn from_shape(shape: Arc<FormulaShape>) -> Formula {
        Formula(shape)
    }

    /// Its shape, shared with the cells the formula was copied to.
    pub fn shape(&self) -> &Arc<FormulaShape> {
        &self.0
    }

    /// The formula text (without `=`) at `addr`, as the file wrote it. A
    /// reference that would fall off the sheet there (only when a cell
    /// holding a shape is put at another place) reads `#REF!`, as Excel
    /// writes it.
    pub fn text_at(&self, addr: CellAddr) -> Cow<'_, str> {
        if self.0.refs.is_empty() {
            return Cow::Borrowed(&self.0.literal);
        }
        Cow::Owned(self.0.render_with(addr, true).unwrap_or_default())
    }
}

impl PartialEq for Formula {
    fn eq(&self, other: &Formula) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.same_form(&other.0)
    }
}

impl std::fmt::Debug for Formula {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.anchor {
            Some(anchor) if !self.0.refs.is_empty() => {
                write!(
                    f,
                    "Formula({:?} at {})",
                    self.text_at(anchor),
                    anchor.to_a1()
                )
            }
            _ => write!(f, "Formula({:?})", self.0.literal),
        }
    }
}

impl From<&str> for Formula {
    fn from(text: &str) -> Formula {
        Formula::new(text)
    }
}

impl From<String> for Formula {
    fn from(text: String) -> Formula {
        Formula::new(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_b_times_c() -> Formula {
        // `B2*$C$1` read at A2.
        Formula::from_shape(Arc::new(FormulaShape::new(
            "*".into(),
            Box::new([
                ShapeRef {
                    at: 0,
                    part: RefPart::Cell {
                        row: Coord::Relative(0),
                        col: Coord::Relative(1),
                    },
                },
                ShapeRef {
                    at: 1,
                    part: RefPart::Cell {
                        row: Coord::Absolute(0),
                        col: Coord::Absolute(2),
                    },
                },
            ]),
            Some(CellAddr::new(1, 0)),
        )))
    }

    #[test]
    fn a_shape_renders_at_each_cell() {
        let f = shape_b_times_c();
        assert_eq!(f.text_at(CellAddr::new(1, 0)), "B2*$C$1");
        assert_eq!(f.text_at(CellAddr::new(99, 0)), "B100*$C$1");
        assert_eq!(f.text_at(CellAddr::new(0, 3)), "E1*$C$1");
        assert_eq!(
            f.text_at(CellAddr::new(0, MAX_COLS - 1)),
            "#REF!*$C$1",
            "past the last column"
        );
        assert_eq!(f.shape().render(CellAddr::new(0, MAX_COLS - 1)), None);
        assert_eq!(format!("{f:?}"), "Formula(\"B2*$C$1\" at A2)");
    }

    #[test]
    fn formulas_compare_by_form() {
        assert_eq!(Formula::new("SUM(1,2)"), Formula::from("SUM(1,2)"));
        assert_ne!(Formula::new("B2*$C$1"), shape_b_times_c());
        assert_eq!(shape_b_times_c(), shape_b_times_c());
        assert_eq!(Formula::new("A1").text_at(CellAddr::new(5, 5)), "A1");
    }
}
