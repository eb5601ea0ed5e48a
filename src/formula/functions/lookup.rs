//! Lookup and reference functions: VLOOKUP, HLOOKUP, XLOOKUP, LOOKUP,
//! INDEX, MATCH, XMATCH, OFFSET, INDIRECT, ROW(S), COLUMN(S),
//! CHOOSECOLS, CHOOSEROWS.

use super::*;
use crate::formula::ast::Expr as Ast;
use crate::formula::criteria::wildcard_match;
use crate::model::address::{MAX_COLS, MAX_ROWS};
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
enum Table {
    Area(Area),
    Array(Array),
}

impl Table {
    fn of(ctx: &mut CallContext, e: &Ast) -> Result<Table, ErrorKind> {
        match ctx.eval(e) {
            CalcValue::Ref(a) => Ok(Table::Area(clip(ctx, a))),
            CalcValue::Refs(v) if v.len() == 1 => Ok(Table::Area(clip(ctx, v[0]))),
            CalcValue::Refs(_) => Err(ErrorKind::Value),
            CalcValue::Array(a) => Ok(Table::Array(a)),
            CalcValue::Value(Value::Error(k)) => Err(k),
            CalcValue::Value(v) => Ok(Table::Array(Array::scalar(v))),
        }
    }

    fn rows(&self) -> usize {
        match self {
            Table::Area(a) => a.range.rows() as usize,
            Table::Array(a) => a.rows,
        }
    }

    fn cols(&self) -> usize {
        match self {
            Table::Area(a) => a.range.cols() as usize,
            Table::Array(a) => a.cols,
        }
    }

    fn get(&self, ctx: &mut CallContext, r: usize, c: usize) -> Value {
        match self {
            Table::Area(a) => ctx.cell_value(
                a.sheet,
                CellAddr::new(a.range.start.row + r as u32, a.range.start.col + c as u32),
            ),
            Table::Array(a) => a.get(r, c).clone(),
        }
    }

    /// One row or column as values (for searching).
    fn vector(&self, ctx: &mut CallContext, by_row: bool, i: usize) -> Vec<Value> {
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
    fn item(&self, ctx: &mut CallContext, r: usize, c: usize) -> CalcValue {
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
fn clip(ctx: &CallContext, a: Area) -> Area {
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

fn kind(v: &Value) -> u8 {
    match v {
        Value::Number(_) | Value::Date(_) => 0,
        Value::Text(_) => 1,
        Value::Bool(_) => 2,
        Value::Empty => 3,
        Value::Error(_) => 4,
    }
}

/// Exact equality for lookups: same kind, text case-insensitive, with
/// wildcards when asked.
fn exact_eq(needle: &Value, v: &Value, wildcards: bool) -> bool {
    if kind(needle) != kind(v) {
        return false;
    }
    match (needle, v) {
        (Value::Text(p), Value::Text(s)) if wildcards => wildcard_match(p, s),
        _ => compare_values(needle, v) == Ordering::Equal,
    }
}

fn has_wildcards(v: &Value) -> bool {
    matches!(v, Value::Text(s) if s.contains(['*', '?', '~']))
}

/// Excel's binary search over a sorted vector: the last position whose
/// value is <= the needle (ascending) or >= it (descending), comparing
/// only values of the needle's kind.
fn approx_search(needle: &Value, vec: &[Value], descending: bool) -> Option<usize> {
    let k = kind(needle);
    let (mut lo, mut hi) = (0usize, vec.len());
    let mut found = None;
    while lo < hi {
        let mut mid = lo + (hi - lo) / 2;
        // Step over values of other kinds (Excel skips them).
        let mut probe = mid;
        while probe < hi && kind(&vec[probe]) != k {
            probe += 1;
        }
        if probe == hi {
            // Nothing comparable in the upper half.
            hi = mid;
            continue;
        }
        mid = probe;
        let ord = compare_values(&vec[mid], needle);
        let ok = if descending {
            ord != Ordering::Less
        } else {
            ord != Ordering::Greater
        };
        if ok {
            found = Some(mid);
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    found
}

fn exact_search(needle: &Value, vec: &[Value], wildcards: bool, reverse: bool) -> Option<usize> {
    let wild = wildcards && has_wildcards(needle);
    if reverse {
        vec.iter().rposition(|v| exact_eq(needle, v, wild))
    } else {
        vec.iter().position(|v| exact_eq(needle, v, wild))
    }
}

fn lookup_value(ctx: &mut CallContext, e: &Ast) -> Result<Value, ErrorKind> {
    let v = ctx.value(e)?;
    Ok(match v {
        Value::Date(d) => Value::Number(date_number(&d)),
        v => v,
    })
}

fn vhlookup(ctx: &mut CallContext, args: &[Ast], vertical: bool) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let table = Table::of(ctx, &args[1])?;
    let idx = ctx.number(&args[2])?.to_f64().trunc();
    if let Table::Array(a) = &table {
        if a.rows * a.cols == 1 && !matches!(args[1], Ast::Array(_)) {
            // A scalar instead of a table: text is the wrong type, other
            // values simply hold nothing to find.
            return Err(if matches!(a.values[0], Value::Text(_)) {
                ErrorKind::Value
            } else {
                ErrorKind::NA
            });
        }
    }
    if needle.is_empty() {
        return Err(ErrorKind::NA);
    }
    let approx = ctx.opt_bool(args, 3, true)?;
    let span = if vertical { table.cols() } else { table.rows() };
    if idx < 1.0 {
        return Err(ErrorKind::Value);
    }
    if idx as usize > span {
        return Err(ErrorKind::Ref);
    }
    let pos = match (&table, approx) {
        // The common exact lookup in a sheet range reads the key cells in
        // place: no copy of the key column per lookup.
        (Table::Area(a), false) => exact_in_area(ctx, *a, !vertical, &needle),
        _ => {
            let keys = table.vector(ctx, !vertical, 0);
            if approx {
                approx_search(&needle, &keys, false)
            } else {
                exact_search(&needle, &keys, true, false)
            }
        }
    }
    .ok_or(ErrorKind::NA)?;
    let k = idx as usize - 1;
    let v = if vertical {
        table.get(ctx, pos, k)
    } else {
        table.get(ctx, k, pos)
    };
    Ok(CalcValue::Value(v))
}

/// The first key of an area's first column (or row) equal to the needle,
/// wildcards allowed.
fn exact_in_area(ctx: &mut CallContext, a: Area, by_row: bool, needle: &Value) -> Option<usize> {
    let start = a.range.start;
    let keys = if by_row {
        RangeAddr::new(start, CellAddr::new(start.row, a.range.end.col))
    } else {
        RangeAddr::new(start, CellAddr::new(a.range.end.row, start.col))
    };
    ctx.ensure_area(Area {
        sheet: a.sheet,
        range: keys,
    });
    let wild = has_wildcards(needle);
    let sheet = ctx.workbook().sheets.get(a.sheet)?;
    let n = if by_row { keys.cols() } else { keys.rows() };
    (0..n).position(|k| {
        let addr = if by_row {
            CellAddr::new(start.row, start.col + k)
        } else {
            CellAddr::new(start.row + k, start.col)
        };
        exact_eq(needle, sheet.value(addr), wild)
    })
}

fn vlookup(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    vhlookup(ctx, args, true)
}

fn hlookup(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    vhlookup(ctx, args, false)
}

/// XMATCH/XLOOKUP's search: match_mode 0 exact, -1 exact or next
/// smaller, 1 exact or next larger, 2 wildcard; search_mode 1 first, -1
/// last, 2/-2 binary ascending/descending.
fn xsearch(
    needle: &Value,
    vec: &[Value],
    match_mode: i64,
    search_mode: i64,
) -> Result<Option<usize>, ErrorKind> {
    if !matches!(match_mode, -1..=2) || !matches!(search_mode, -2 | -1 | 1 | 2) {
        return Err(ErrorKind::Value);
    }
    if search_mode.abs() == 2 {
        let desc = search_mode == -2;
        if match_mode == 2 {
            // Wildcards need a linear search.
            return Err(ErrorKind::Value);
        }
        return Ok(binary_x(needle, vec, match_mode, desc));
    }
    Ok(linear_x(needle, vec, match_mode, search_mode == -1))
}

/// XLOOKUP's binary search over a sorted vector: the first item equal
/// to the needle (in the vector's order), else the neighbour asked for;
/// comparing across types in Excel's order (numbers < text < booleans).
/// Trailing empty cells (a whole column) are not part of the data.
fn binary_x(needle: &Value, vec: &[Value], match_mode: i64, desc: bool) -> Option<usize> {
    let n = vec.iter().rposition(|v| !v.is_empty()).map_or(0, |i| i + 1);
    let key = |v: &Value| {
        let o = compare_values(v, needle);
        if desc {
            o.reverse()
        } else {
            o
        }
    };
    let first = vec[..n].partition_point(|v| key(v) == Ordering::Less);
    if first < n && key(&vec[first]) == Ordering::Equal {
        return Some(first);
    }
    let before = first.checked_sub(1);
    let after = (first < n).then_some(first);
    match (match_mode, desc) {
        (-1, false) | (1, true) => before,
        (-1, true) | (1, false) => after,
        _ => None,
    }
}

fn linear_x(needle: &Value, vec: &[Value], match_mode: i64, reverse: bool) -> Option<usize> {
    match match_mode {
        0 => exact_search(needle, vec, false, reverse),
        2 => exact_search(needle, vec, true, reverse),
        _ => {
            if let Some(i) = exact_search(needle, vec, false, reverse) {
                return Some(i);
            }
            let mut best: Option<usize> = None;
            let order: Box<dyn Iterator<Item = usize>> = if reverse {
                Box::new((0..vec.len()).rev())
            } else {
                Box::new(0..vec.len())
            };
            for i in order {
                let v = &vec[i];
                if kind(v) != kind(needle) {
                    continue;
                }
                let ord = compare_values(v, needle);
                let candidate = if match_mode == -1 {
                    ord == Ordering::Less
                } else {
                    ord == Ordering::Greater
                };
                if candidate {
                    let better = match best {
                        None => true,
                        Some(b) => {
                            let c = compare_values(v, &vec[b]);
                            if match_mode == -1 {
                                c == Ordering::Greater
                            } else {
                                c == Ordering::Less
                            }
                        }
                    };
                    if better {
                        best = Some(i);
                    }
                }
            }
            best
        }
    }
}

fn xlookup(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let ret = Table::of(ctx, &args[2])?;
    let match_mode = ctx.opt_int(args, 4, 0)?;
    let search_mode = ctx.opt_int(args, 5, 1)?;
    let by_row = look.rows() == 1 && look.cols() > 1;
    if look.rows() != 1 && look.cols() != 1 {
        return Err(ErrorKind::Value);
    }
    let keys = look.vector(ctx, by_row, 0);
    if (by_row && ret.cols() != keys.len()) || (!by_row && ret.rows() != keys.len()) {
        return Err(ErrorKind::Value);
    }
    match xsearch(&needle, &keys, match_mode, search_mode)? {
        Some(i) => Ok(slice(ctx, &ret, by_row, i)),
        None if !CallContext::is_missing(args, 3) => Ok(ctx.eval(&args[3])),
        None => Err(ErrorKind::NA),
    }
}

/// Row `i` (or column `i`) of a table, as a reference when it is one.
fn slice(ctx: &mut CallContext, t: &Table, column: bool, i: usize) -> CalcValue {
    let (rows, cols) = (t.rows(), t.cols());
    match t {
        Table::Area(a) => {
            let s = a.range.start;
            let range = if column {
                RangeAddr::new(
                    CellAddr::new(s.row, s.col + i as u32),
                    CellAddr::new(a.range.end.row, s.col + i as u32),
                )
            } else {
                RangeAddr::new(
                    CellAddr::new(s.row + i as u32, s.col),
                    CellAddr::new(s.row + i as u32, a.range.end.col),
                )
            };
            CalcValue::Ref(Area {
                sheet: a.sheet,
                range,
            })
        }
        Table::Array(arr) => {
            if (column && rows == 1) || (!column && cols == 1) {
                return CalcValue::Value(
                    if column { arr.get(0, i) } else { arr.get(i, 0) }.clone(),
                );
            }
            let _ = ctx;
            CalcValue::Array(if column {
                Array::from_fn(rows, 1, |r, _| arr.get(r, i).clone())
            } else {
                Array::from_fn(1, cols, |_, c| arr.get(i, c).clone())
            })
        }
    }
}

fn lookup_(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let (keys, result) = if CallContext::is_missing(args, 2) {
        // Array form: search the first row or column, by shape.
        let by_row = look.cols() > look.rows();
        let keys = look.vector(ctx, by_row, 0);
        let last = if by_row {
            look.rows() - 1
        } else {
            look.cols() - 1
        };
        let res = look.vector(ctx, by_row, last);
        (keys, Table::Array(Array::column(res)))
    } else {
        let by_row = look.rows() == 1 && look.cols() > 1;
        let keys = look.vector(ctx, by_row, 0);
        let r = Table::of(ctx, &args[2])?;
        (keys, r)
    };
    let i = approx_search(&needle, &keys, false).ok_or(ErrorKind::NA)?;
    let by_row = result.rows() == 1 && result.cols() > 1;
    if (by_row && i >= result.cols()) || (!by_row && i >= result.rows()) {
        return Err(ErrorKind::NA);
    }
    Ok(if by_row {
        result.item(ctx, 0, i)
    } else {
        result.item(ctx, i, 0)
    })
}

fn match_(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let mode = ctx.opt_number(args, 2, Number::ONE)?.to_f64();
    if look.rows() != 1 && look.cols() != 1 {
        return Err(ErrorKind::NA);
    }
    let keys = look.vector(ctx, look.rows() == 1, 0);
    let pos = if mode == 0.0 {
        exact_search(&needle, &keys, true, false)
    } else {
        approx_search(&needle, &keys, mode < 0.0)
    };
    pos.map(|i| CalcValue::number(i as i64 + 1))
        .ok_or(ErrorKind::NA)
}

fn xmatch(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let match_mode = ctx.opt_int(args, 2, 0)?;
    let search_mode = ctx.opt_int(args, 3, 1)?;
    if look.rows() != 1 && look.cols() != 1 {
        return Err(ErrorKind::Value);
    }
    let keys = look.vector(ctx, look.rows() == 1, 0);
    xsearch(&needle, &keys, match_mode, search_mode)?
        .map(|i| CalcValue::number(i as i64 + 1))
        .ok_or(ErrorKind::NA)
}

fn index(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let src = ctx.eval(&args[0]);
    let area_no = ctx.opt_int(args, 3, 1)?;
    let t = match src {
        CalcValue::Ref(a) if area_no == 1 => Table::Area(a),
        CalcValue::Ref(_) => return Err(ErrorKind::Ref),
        CalcValue::Refs(v) => {
            let i = usize::try_from(area_no - 1).map_err(|_| ErrorKind::Value)?;
            Table::Area(*v.get(i).ok_or(ErrorKind::Ref)?)
        }
        CalcValue::Array(a) if area_no == 1 => Table::Array(a),
        CalcValue::Value(Value::Error(k)) => return Err(k),
        CalcValue::Value(v) if area_no == 1 => Table::Array(Array::scalar(v)),
        _ => return Err(ErrorKind::Ref),
    };
    let row = ctx.opt_number(args, 1, Number::ZERO)?.to_f64().trunc();
    let col_given = !CallContext::is_missing(args, 2);
    let col = ctx.opt_number(args, 2, Number::ZERO)?.to_f64().trunc();
    if row < 0.0 || col < 0.0 {
        return Err(ErrorKind::Value);
    }
    let (mut r, mut c) = (row as usize, col as usize);
    let (rows, cols) = (t.rows(), t.cols());
    // A single row or column takes one index for either dimension.
    if !col_given && rows == 1 && cols > 1 {
        c = r;
        r = 1;
    } else if !col_given && cols == 1 {
        c = 1;
    }
    if r > rows || c > cols {
        return Err(ErrorKind::Ref);
    }
    match (r, c) {
        (0, 0) => Ok(whole(ctx, t)),
        (0, c) => Ok(slice(ctx, &t, true, c - 1)),
        (r, 0) => Ok(slice(ctx, &t, false, r - 1)),
        (r, c) => Ok(t.item(ctx, r - 1, c - 1)),
    }
}

fn whole(_: &mut CallContext, t: Table) -> CalcValue {
    match t {
        Table::Area(a) => CalcValue::Ref(a),
        Table::Array(a) => CalcValue::Array(a),
    }
}

fn offset(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let base = ctx.reference(&args[0])?;
    let dr = ctx.number(&args[1])?.to_f64().trunc() as i64;
    let dc = ctx.number(&args[2])?.to_f64().trunc() as i64;
    // A size between 0 and 1 counts as 1 (Excel rounds it away from 0).
    let size = |f: f64| -> i64 {
        let t = f.trunc() as i64;
        if t == 0 && f != 0.0 {
            f.signum() as i64
        } else {
            t
        }
    };
    let h = if CallContext::is_missing(args, 3) {
        base.range.rows() as i64
    } else {
        size(ctx.number(&args[3])?.to_f64())
    };
    let w = if CallContext::is_missing(args, 4) {
        base.range.cols() as i64
    } else {
        size(ctx.number(&args[4])?.to_f64())
    };
    if h == 0 || w == 0 {
        return Err(ErrorKind::Ref);
    }
    let r0 = base.range.start.row as i64 + dr;
    let c0 = base.range.start.col as i64 + dc;
    // Negative sizes extend up/left from the moved corner.
    let (r0, r1) = if h > 0 {
        (r0, r0 + h - 1)
    } else {
        (r0 + h + 1, r0)
    };
    let (c0, c1) = if w > 0 {
        (c0, c0 + w - 1)
    } else {
        (c0 + w + 1, c0)
    };
    if r0 < 0 || c0 < 0 || r1 >= MAX_ROWS as i64 || c1 >= MAX_COLS as i64 {
        return Err(ErrorKind::Ref);
    }
    Ok(CalcValue::Ref(Area {
        sheet: base.sheet,
        range: RangeAddr::new(
            CellAddr::new(r0 as u32, c0 as u32),
            CellAddr::new(r1 as u32, c1 as u32),
        ),
    }))
}

/// `R1C1`, `R[-1]C[2]`, `RC` relative to `at`.
fn parse_r1c1(text: &str, at: CellAddr) -> Option<(u32, u32)> {
    let t = text.to_ascii_uppercase();
    let rest = t.strip_prefix('R')?;
    let (rpart, cpart) = rest.split_once('C')?;
    let part = |p: &str, base: u32| -> Option<u32> {
        if p.is_empty() {
            return Some(base);
        }
        if let Some(inner) = p.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            let d: i64 = inner.parse().ok()?;
            let v = base as i64 + d;
            return (v >= 0).then_some(v as u32);
        }
        let v: u32 = p.parse().ok()?;
        (v >= 1).then(|| v - 1)
    };
    Some((part(rpart, at.row)?, part(cpart, at.col)?))
}

fn indirect(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let text = ctx.text(&args[0])?;
    let a1 = ctx.opt_bool(args, 1, true)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(ErrorKind::Ref);
    }
    if !a1 {
        let (sheet, body) = crate::model::address::split_sheet_prefix(text);
        let at = ctx.current_cell().unwrap_or_default();
        let mut corners = Vec::new();
        for part in body.split(':') {
            corners.push(parse_r1c1(part, at).ok_or(ErrorKind::Ref)?);
        }
        let s = match sheet {
            Some(name) => ctx.workbook().sheet_index(&name).ok_or(ErrorKind::Ref)?,
            None => ctx.current_sheet(),
        };
        let (a, b) = (corners[0], *corners.last().ok_or(ErrorKind::Ref)?);
        return Ok(CalcValue::Ref(Area {
            sheet: s,
            range: RangeAddr::new(CellAddr::new(a.0, a.1), CellAddr::new(b.0, b.1)),
        }));
    }
    let expr = crate::formula::parser::parse(text).map_err(|_| ErrorKind::Ref)?;
    match &expr {
        Ast::Ref(_) | Ast::Name { .. } | Ast::Table(_) | Ast::Binary(_, _, _) => {
            match ctx.eval(&expr) {
                v @ (CalcValue::Ref(_) | CalcValue::Refs(_)) => Ok(v),
                _ => Err(ErrorKind::Ref),
            }
        }
        _ => Err(ErrorKind::Ref),
    }
}

fn position(ctx: &mut CallContext, args: &[Ast], is_row: bool) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        let cell = ctx.current_cell().ok_or(ErrorKind::Value)?;
        let n = if is_row { cell.row } else { cell.col };
        return Ok(CalcValue::number(n as i64 + 1));
    }
    let area = ctx.reference(&args[0])?;
    let r = area.range;
    let (first, count) = if is_row {
        (r.start.row, r.rows())
    } else {
        (r.start.col, r.cols())
    };
    if count > 1 && ctx.in_array_mode() && count <= 1_048_576 {
        let vals: Vec<Value> = (0..count)
            .map(|i| Value::Number(Number::from_i64((first + i) as i64 + 1)))
            .collect();
        return Ok(CalcValue::Array(if is_row {
            Array::column(vals)
        } else {
            Array::row(vals)
        }));
    }
    Ok(CalcValue::number(first as i64 + 1))
}

fn row(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    position(ctx, args, true)
}

fn column(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    position(ctx, args, false)
}

fn size(ctx: &mut CallContext, e: &Ast) -> Result<(usize, usize), ErrorKind> {
    match ctx.eval(e) {
        CalcValue::Ref(a) => Ok((a.range.rows() as usize, a.range.cols() as usize)),
        CalcValue::Refs(v) if v.len() == 1 => {
            Ok((v[0].range.rows() as usize, v[0].range.cols() as usize))
        }
        CalcValue::Refs(_) => Err(ErrorKind::Ref),
        CalcValue::Array(a) => Ok((a.rows, a.cols)),
        CalcValue::Value(Value::Error(k)) => Err(k),
        CalcValue::Value(_) => Ok((1, 1)),
    }
}

fn rows(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    Ok(CalcValue::number(size(ctx, &args[0])?.0 as i64))
}

fn columns(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    Ok(CalcValue::number(size(ctx, &args[0])?.1 as i64))
}

fn choose_lines(ctx: &mut CallContext, args: &[Ast], cols: bool) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let n = if cols { a.cols } else { a.rows } as i64;
    let mut picks = Vec::new();
    for e in &args[1..] {
        let arr = ctx.array(e)?;
        for v in &arr.values {
            let i = to_number(v)?.to_f64().trunc() as i64;
            let idx = if i > 0 { i - 1 } else { n + i };
            if i == 0 || idx < 0 || idx >= n {
                return Err(ErrorKind::Value);
            }
            picks.push(idx as usize);
        }
    }
    Ok(CalcValue::Array(if cols {
        Array::from_fn(a.rows, picks.len(), |r, c| a.get(r, picks[c]).clone())
    } else {
        Array::from_fn(picks.len(), a.cols, |r, c| a.get(picks[r], c).clone())
    }))
}

fn choosecols(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    choose_lines(ctx, args, true)
}

fn chooserows(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    choose_lines(ctx, args, false)
}

fn address(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let row = ctx.number(&args[0])?.to_f64().trunc();
    let col = ctx.number(&args[1])?.to_f64().trunc();
    let abs = ctx.opt_number(args, 2, Number::ONE)?.to_f64().trunc() as i64;
    let a1 = ctx.opt_bool(args, 3, true)?;
    let sheet = if CallContext::is_missing(args, 4) {
        None
    } else {
        Some(ctx.text(&args[4])?)
    };
    if !(1..=4).contains(&abs) || row < 1.0 || col < 1.0 {
        return Err(ErrorKind::Value);
    }
    if row > MAX_ROWS as f64 || col > MAX_COLS as f64 {
        return Err(ErrorKind::Value);
    }
    let (row_abs, col_abs) = (abs == 1 || abs == 2, abs == 1 || abs == 3);
    let (r, c) = (row as u32, col as u32);
    let text = if a1 {
        format!(
            "{}{}{}{}",
            if col_abs { "$" } else { "" },
            crate::model::address::column_letters(c - 1),
            if row_abs { "$" } else { "" },
            r
        )
    } else {
        let part = |abs: bool, n: u32| if abs { n.to_string() } else { format!("[{n}]") };
        format!("R{}C{}", part(row_abs, r), part(col_abs, c))
    };
    Ok(CalcValue::text(match sheet {
        Some(s) if !s.is_empty() => {
            format!("{}!{text}", crate::model::address::quote_sheet_name(&s))
        }
        _ => text,
    }))
}

fn formulatext(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    let formula = ctx
        .workbook()
        .sheets
        .get(area.sheet)
        .and_then(|s| s.cell(area.range.start))
        .and_then(|c| c.formula.clone())
        .ok_or(ErrorKind::NA)?;
    // Excel shows the formula without the storage prefixes.
    let text = formula
        .replace("_xlfn._xlws.", "")
        .replace("_xlfn.", "")
        .replace("_xlws.", "");
    Ok(CalcValue::text(format!("={text}")))
}

fn anchorarray(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let area = ctx.reference(&args[0])?;
    if !area.is_cell() {
        return Err(ErrorKind::Ref);
    }
    let range = ctx
        .spill_range(area.sheet, area.range.start)
        .ok_or(ErrorKind::Ref)?;
    Ok(CalcValue::Ref(Area {
        sheet: area.sheet,
        range,
    }))
}

fn areas(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    Ok(CalcValue::number(ctx.references(&args[0])?.len() as i64))
}

fn sheet(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        return Ok(CalcValue::number(ctx.current_sheet() as i64 + 1));
    }
    match ctx.eval(&args[0]) {
        CalcValue::Ref(a) => Ok(CalcValue::number(a.sheet as i64 + 1)),
        CalcValue::Refs(v) if !v.is_empty() => Ok(CalcValue::number(v[0].sheet as i64 + 1)),
        CalcValue::Value(Value::Text(name)) => ctx
            .workbook()
            .sheet_index(&name)
            .map(|i| CalcValue::number(i as i64 + 1))
            .ok_or(ErrorKind::NA),
        CalcValue::Value(Value::Error(k)) => Err(k),
        _ => Err(ErrorKind::NA),
    }
}

fn sheets(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        return Ok(CalcValue::number(ctx.workbook().sheets.len() as i64));
    }
    let areas = ctx.references(&args[0])?;
    let mut ids: Vec<usize> = areas.iter().map(|a| a.sheet).collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(CalcValue::number(ids.len() as i64))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
    use crate::formula::{Array, CalcValue};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    const PRICES: [(&str, &str); 8] = [
        ("A1", "apple"),
        ("B1", "1.5"),
        ("A2", "banana"),
        ("B2", "0.25"),
        ("A3", "cherry"),
        ("B3", "4"),
        ("D1", "10"),
        ("D2", "20"),
    ];

    #[test]
    fn vlookup_exact_and_approximate() {
        assert_eq!(
            eval_with(&PRICES, "=VLOOKUP(\"BANANA\",A1:B3,2,FALSE)"),
            num("0.25")
        );
        assert_eq!(
            eval_with(&PRICES, "=VLOOKUP(\"b*\",A1:B3,2,FALSE)"),
            num("0.25")
        );
        assert_eq!(
            eval_with(&PRICES, "=VLOOKUP(\"kiwi\",A1:B3,2,FALSE)"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(eval_with(&PRICES, "=VLOOKUP(\"b\",A1:B3,2)"), num("1.5"));
        assert_eq!(
            eval_with(&PRICES, "=VLOOKUP(\"apple\",A1:B3,3,FALSE)"),
            Value::Error(ErrorKind::Ref)
        );
        assert_eq!(eval_str("=VLOOKUP(15,{10,\"a\";20,\"b\"},2)"), t("a"));
        assert_eq!(eval_str("=HLOOKUP(20,{10,20;\"a\",\"b\"},2,0)"), t("b"));
    }

    #[test]
    fn xlookup_modes() {
        let dups = "{4;5;5;6},{\"a\";\"b\";\"c\";\"d\"}";
        assert_eq!(eval_str(&format!("=XLOOKUP(5,{dups},,0,2)")), t("b"));
        assert_eq!(eval_str(&format!("=XLOOKUP(5.5,{dups},,-1,2)")), t("c"));
        assert_eq!(eval_str(&format!("=XLOOKUP(5.5,{dups},,1,2)")), t("d"));
        assert_eq!(
            eval_str(&format!("=XLOOKUP(\"x*\",{dups},,2,2)")),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(
            eval_with(&PRICES, "=XLOOKUP(\"cherry\",A1:A3,B1:B3)"),
            num("4")
        );
        assert_eq!(
            eval_with(&PRICES, "=XLOOKUP(\"kiwi\",A1:A3,B1:B3,\"none\")"),
            t("none")
        );
        assert_eq!(eval_str("=XLOOKUP(15,{10;20;30},{1;2;3},,-1)"), num("1"));
        assert_eq!(eval_str("=XLOOKUP(15,{10;20;30},{1;2;3},,1)"), num("2"));
        assert_eq!(
            eval_str("=XLOOKUP(2,{1,2,2},{\"a\",\"b\",\"c\"},,0,-1)"),
            t("c")
        );
        assert_eq!(
            eval_with(&PRICES, "=SUM(XLOOKUP(\"banana\",A1:A3,B1:B3):B3)"),
            num("4.25")
        );
    }

    #[test]
    fn match_and_index() {
        assert_eq!(eval_with(&PRICES, "=MATCH(\"cherry\",A1:A3,0)"), num("3"));
        assert_eq!(eval_str("=MATCH(25,{10,20,30})"), num("2"));
        assert_eq!(eval_str("=MATCH(25,{30,20,10},-1)"), num("1"));
        assert_eq!(
            eval_str("=MATCH(5,{10,20,30})"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(eval_str("=XMATCH(20,{10,20,30})"), num("2"));
        assert_eq!(eval_with(&PRICES, "=INDEX(A1:B3,2,2)"), num("0.25"));
        assert_eq!(eval_with(&PRICES, "=SUM(INDEX(A1:B3,0,2))"), num("5.75"));
        assert_eq!(eval_with(&PRICES, "=INDEX(B1:B3,3)"), num("4"));
        assert_eq!(
            eval_with(&PRICES, "=INDEX(A1:B3,4,1)"),
            Value::Error(ErrorKind::Ref)
        );
        assert_eq!(eval_str("=INDEX({1,2;3,4},2,1)"), num("3"));
        assert_eq!(eval_str("=LOOKUP(2.5,{1,2,3},{\"a\",\"b\",\"c\"})"), t("b"));
    }

    #[test]
    fn addresses_sheets_and_formula_text() {
        assert_eq!(eval_str("=ADDRESS(2,3)"), t("$C$2"));
        assert_eq!(eval_str("=ADDRESS(2,3,2)"), t("C$2"));
        assert_eq!(eval_str("=ADDRESS(2,3,4,FALSE)"), t("R[2]C[3]"));
        assert_eq!(
            eval_str("=ADDRESS(1,1,1,TRUE,\"My Sheet\")"),
            t("'My Sheet'!$A$1")
        );
        assert_eq!(eval_str("=ADDRESS(0,1)"), Value::Error(ErrorKind::Value));
        assert_eq!(eval_with(&[("A1", "=1+1")], "=FORMULATEXT(A1)"), t("=1+1"));
        assert_eq!(
            eval_with(&[("A1", "2")], "=FORMULATEXT(A1)"),
            Value::Error(ErrorKind::NA)
        );
        assert_eq!(eval_with(&[("Two!A1", "1")], "=SHEET(Two!A1)"), num("2"));
        assert_eq!(eval_with(&[("Two!A1", "1")], "=SHEETS()"), num("2"));
        assert_eq!(eval_str("=AREAS((A1,B2:C3))"), num("2"));
    }

    #[test]
    fn references_move_and_measure() {
        assert_eq!(eval_with(&PRICES, "=SUM(OFFSET(A1,0,1,3,1))"), num("5.75"));
        assert_eq!(
            eval_with(&PRICES, "=OFFSET(A1,-1,0)"),
            Value::Error(ErrorKind::Ref)
        );
        assert_eq!(eval_with(&PRICES, "=INDIRECT(\"B\"&2)"), num("0.25"));
        assert_eq!(
            eval_with(&PRICES, "=SUM(INDIRECT(\"Sheet1!D1:D2\"))"),
            num("30")
        );
        assert_eq!(eval_with(&PRICES, "=INDIRECT(\"R3C2\",FALSE)"), num("4"));
        assert_eq!(eval_str("=ROW(C7)"), num("7"));
        assert_eq!(eval_str("=COLUMN(C7)"), num("3"));
        assert_eq!(eval_str("=ROWS(A1:C10)"), num("10"));
        assert_eq!(eval_str("=COLUMNS({1,2,3})"), num("3"));
        assert_eq!(eval_str("=SUM(ROW(A1:A4))"), num("10"));
        assert_eq!(
            eval_calc("=CHOOSECOLS({1,2,3;4,5,6},3,1)"),
            CalcValue::Array(
                Array::from_rows(vec![vec![num("3"), num("1")], vec![num("6"), num("4")]]).unwrap()
            )
        );
    }
}
