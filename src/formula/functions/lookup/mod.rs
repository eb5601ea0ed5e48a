//! Lookup and reference functions: VLOOKUP, HLOOKUP, XLOOKUP, LOOKUP,
//! INDEX, MATCH, XMATCH, OFFSET, INDIRECT, ROW(S), COLUMN(S),
//! CHOOSECOLS, CHOOSEROWS.

mod index;
mod matching;
mod pivot;
mod references;

use super::*;
use crate::formula::ast::Expr as Ast;
use crate::formula::criteria::wildcard_match;
use crate::model::address::{MAX_COLS, MAX_ROWS};
pub(crate) use index::KeyIndex;
use index::*;
use matching::*;
use pivot::getpivotdata;
use references::*;
use std::cmp::Ordering;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "VLOOKUP",
        3,
        4,
        "Finds a value in the first column of a table and returns a cell of its row",
        vlookup,
    ),
    FunctionSpec::new(
        "HLOOKUP",
        3,
        4,
        "Finds a value in the first row of a table and returns a cell of its column",
        hlookup,
    ),
    FunctionSpec::new(
        "XLOOKUP",
        3,
        6,
        "Finds a value in one range and returns the matching item of another",
        xlookup,
    ),
    FunctionSpec::new(
        "LOOKUP",
        2,
        3,
        "Approximate lookup in a sorted vector",
        lookup_,
    ),
    FunctionSpec::new(
        "MATCH",
        2,
        3,
        "Position of a value in a row or column",
        match_,
    ),
    FunctionSpec::new(
        "XMATCH",
        2,
        4,
        "Position of a value, with exact/next/wildcard modes and search direction",
        xmatch,
    ),
    FunctionSpec::new(
        "INDEX",
        2,
        4,
        "The cell or value at a row and column of a range or array",
        index,
    ),
    FunctionSpec::new(
        "OFFSET",
        3,
        5,
        "A reference moved and resized from a starting reference",
        offset,
    )
    .volatile(),
    FunctionSpec::new("INDIRECT", 1, 2, "The reference named by a text", indirect).volatile(),
    FunctionSpec::new(
        "HYPERLINK",
        1,
        2,
        "A link: the cell shows the friendly name, or the link location",
        hyperlink,
    ),
    FunctionSpec::new(
        "ROW",
        0,
        1,
        "Row number of a reference (or of the formula's cell)",
        row,
    ),
    FunctionSpec::new(
        "COLUMN",
        0,
        1,
        "Column number of a reference (or of the formula's cell)",
        column,
    ),
    FunctionSpec::new("ROWS", 1, 1, "Number of rows of a reference or array", rows),
    FunctionSpec::new(
        "COLUMNS",
        1,
        1,
        "Number of columns of a reference or array",
        columns,
    ),
    FunctionSpec::new(
        "CHOOSECOLS",
        2,
        MANY,
        "The chosen columns of an array",
        choosecols,
    ),
    FunctionSpec::new(
        "CHOOSEROWS",
        2,
        MANY,
        "The chosen rows of an array",
        chooserows,
    ),
    FunctionSpec::new(
        "ADDRESS",
        2,
        5,
        "A cell address as text from row and column numbers",
        address,
    ),
    FunctionSpec::new(
        "GETPIVOTDATA",
        2,
        MANY,
        "A value a pivot table shows, for a data field and field/item pairs (xlsx pivot tables; #REF! elsewhere)",
        getpivotdata,
    ),
    FunctionSpec::new(
        "FORMULATEXT",
        1,
        1,
        "The formula of a cell as text",
        formulatext,
    ),
    FunctionSpec::new("AREAS", 1, 1, "Number of areas in a reference", areas),
    FunctionSpec::new(
        "SHEET",
        0,
        1,
        "Sheet number of a reference, a sheet name or the formula's sheet",
        sheet,
    ),
    FunctionSpec::new(
        "SHEETS",
        0,
        1,
        "Number of sheets in a reference or in the workbook",
        sheets,
    ),
    FunctionSpec::new(
        "ANCHORARRAY",
        1,
        1,
        "The whole spilled range of a dynamic array (A1#)",
        anchorarray,
    ),
];
/// A table argument: a workbook area or an array, read lazily.
pub(super) enum Table {
    Area(Area),
    Array(Array),
}

impl Table {
    pub(super) fn of(ctx: &mut CallContext, e: &Ast) -> Result<Table, ErrorKind> {
        match ctx.eval(e) {
            CalcValue::Ref(a) => Ok(Table::Area(clip(ctx, a))),
            CalcValue::Refs(v) if v.len() == 1 => Ok(Table::Area(clip(ctx, v[0]))),
            CalcValue::Refs(_) => Err(ErrorKind::Value),
            CalcValue::Array(a) => Ok(Table::Array(a)),
            CalcValue::Value(Value::Error(k)) => Err(k),
            CalcValue::Value(v) => Ok(Table::Array(Array::scalar(v))),
            CalcValue::Lambda(_) => Err(ErrorKind::Calc),
        }
    }

    pub(super) fn rows(&self) -> usize {
        match self {
            Table::Area(a) => a.range.rows() as usize,
            Table::Array(a) => a.rows,
        }
    }

    pub(super) fn cols(&self) -> usize {
        match self {
            Table::Area(a) => a.range.cols() as usize,
            Table::Array(a) => a.cols,
        }
    }

    pub(super) fn get(&self, ctx: &mut CallContext, r: usize, c: usize) -> Value {
        match self {
            Table::Area(a) => ctx.cell_value(
                a.sheet,
                CellAddr::new(a.range.start.row + r as u32, a.range.start.col + c as u32),
            ),
            Table::Array(a) => a.get(r, c).clone(),
        }
    }

    /// One row or column as values (for searching).
    pub(super) fn vector(&self, ctx: &mut CallContext, by_row: bool, i: usize) -> Vec<Value> {
        let n = if by_row { self.cols() } else { self.rows() };
        if let Table::Area(a) = self {
            ctx.ensure_area(*a);
        }
        (0..n)
            .map(|k| {
                if by_row {
                    self.get(ctx, i, k)
                } else {
                    self.get(ctx, k, i)
                }
            })
            .collect()
    }

    /// The item at a position as a reference where possible.
    pub(super) fn item(&self, ctx: &mut CallContext, r: usize, c: usize) -> CalcValue {
        match self {
            Table::Area(a) => CalcValue::Ref(Area {
                sheet: a.sheet,
                range: RangeAddr::cell(CellAddr::new(
                    a.range.start.row + r as u32,
                    a.range.start.col + c as u32,
                )),
            }),
            Table::Array(_) => CalcValue::Value(self.get(ctx, r, c)),
        }
    }
}

/// Whole rows/columns searched only as far as the sheet has cells.
pub(super) fn clip(ctx: &CallContext, a: Area) -> Area {
    let Some(sheet) = ctx.workbook().sheets.get(a.sheet) else {
        return a;
    };
    let mut r = a.range;
    if r.rows() > 10_000 {
        let last = sheet.row_count().max(1) - 1;
        r.end.row = r.end.row.min(last.max(r.start.row));
    }
    if r.cols() > 1_000 {
        let last = sheet.used_range().map(|u| u.end.col).unwrap_or(0);
        r.end.col = r.end.col.min(last.max(r.start.col));
    }
    Area {
        sheet: a.sheet,
        range: r,
    }
}

#[cfg(test)]
mod tests;
