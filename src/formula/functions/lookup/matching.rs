//! Finding a value in a table: VLOOKUP, HLOOKUP, XLOOKUP, LOOKUP, MATCH
//! and XMATCH, with Excel's exact, wildcard and binary search rules.

use super::*;

pub(super) fn kind(v: &Value) -> u8 {
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
pub(super) fn exact_eq(needle: &Value, v: &Value, wildcards: bool) -> bool {
    if kind(needle) != kind(v) {
        return false;
    }
    match (needle, v) {
        (Value::Text(p), Value::Text(s)) if wildcards => wildcard_match(p, s),
        _ => values_equal(needle, v),
    }
}

pub(super) fn has_wildcards(v: &Value) -> bool {
    matches!(v, Value::Text(s) if s.contains(['*', '?', '~']))
}

/// Excel's binary search over a sorted vector: the last position whose
/// value is <= the needle (ascending) or >= it (descending), comparing
/// only values of the needle's kind.
pub(super) fn approx_search(needle: &Value, vec: &[Value], descending: bool) -> Option<usize> {
    approx_search_by(needle, vec.len(), |i| &vec[i], descending)
}

/// [`approx_search`] over `n` values read through `at` (cells read in
/// place: a binary search reads a few of them, not all).
pub(super) fn approx_search_by<'a>(
    needle: &Value,
    n: usize,
    at: impl Fn(usize) -> &'a Value,
    descending: bool,
) -> Option<usize> {
    let k = kind(needle);
    let (mut lo, mut hi) = (0usize, n);
    let mut found = None;
    while lo < hi {
        let mut mid = lo + (hi - lo) / 2;
        // Step over values of other kinds (Excel skips them).
        let mut probe = mid;
        while probe < hi && kind(at(probe)) != k {
            probe += 1;
        }
        if probe == hi {
            // Nothing comparable in the upper half.
            hi = mid;
            continue;
        }
        mid = probe;
        let ord = compare_values(at(mid), needle);
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

pub(super) fn exact_search(
    needle: &Value,
    vec: &[Value],
    wildcards: bool,
    reverse: bool,
) -> Option<usize> {
    let wild = wildcards && has_wildcards(needle);
    if reverse {
        vec.iter().rposition(|v| exact_eq(needle, v, wild))
    } else {
        vec.iter().position(|v| exact_eq(needle, v, wild))
    }
}

pub(super) fn lookup_value(ctx: &mut CallContext, e: &Ast) -> Result<Value, ErrorKind> {
    let v = ctx.value(e)?;
    Ok(match v {
        Value::Date(d) => Value::Number(date_number(&d)),
        v => v,
    })
}

pub(super) fn vhlookup(ctx: &mut CallContext, args: &[Ast], vertical: bool) -> EvalResult {
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
    let pos = match &table {
        // A sheet range's key cells are read in place: no copy of the
        // key column per lookup.
        Table::Area(a) if approx => {
            let cells = key_cells(ctx, key_area(*a, !vertical));
            approx_search_by(&needle, cells.len(), |i| cells.at(i), false)
        }
        Table::Area(a) => exact_in_area(ctx, *a, !vertical, &needle, true, false),
        Table::Array(_) => {
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

/// The first (or with `reverse` the last) key of an area's first column
/// (or row) equal to the needle, with wildcards when asked: by the
/// range's hash index where one applies, else comparing key by key.
pub(super) fn exact_in_area(
    ctx: &mut CallContext,
    a: Area,
    by_row: bool,
    needle: &Value,
    wildcards: bool,
    reverse: bool,
) -> Option<usize> {
    let keys = key_area(a, by_row);
    let wild = wildcards && has_wildcards(needle);
    let cells = if prepare_keys(ctx, keys) {
        if !wild {
            if let Some(found) = indexed_find(ctx, keys, needle, reverse) {
                return found;
            }
        }
        in_place(ctx, keys)
    } else {
        KeyCells::Copied(Table::Area(keys).vector(ctx, by_row, 0))
    };
    let hit = |i: &usize| exact_eq(needle, cells.at(*i), wild);
    if reverse {
        (0..cells.len()).rev().find(hit)
    } else {
        (0..cells.len()).find(hit)
    }
}

pub(super) fn vlookup(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    vhlookup(ctx, args, true)
}

pub(super) fn hlookup(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    vhlookup(ctx, args, false)
}

/// XMATCH/XLOOKUP's search: match_mode 0 exact, -1 exact or next
/// smaller, 1 exact or next larger, 2 wildcard, 3 regular expression;
/// search_mode 1 first, -1 last, 2/-2 binary ascending/descending.
pub(super) fn xsearch(
    needle: &Value,
    vec: &[Value],
    match_mode: i64,
    search_mode: i64,
) -> Result<Option<usize>, ErrorKind> {
    if !matches!(match_mode, -1..=3) || !matches!(search_mode, -2 | -1 | 1 | 2) {
        return Err(ErrorKind::Value);
    }
    if search_mode.abs() == 2 {
        let desc = search_mode == -2;
        if match_mode >= 2 {
            // Wildcards and patterns need a linear search.
            return Err(ErrorKind::Value);
        }
        return Ok(binary_x(needle, vec, match_mode, desc));
    }
    if match_mode == 3 {
        return regex_x(needle, vec, search_mode == -1);
    }
    Ok(linear_x(needle, vec, match_mode, search_mode == -1))
}

/// [`xsearch`] over a table's row (`by_row`) or column: an exact or
/// wildcard search of a sheet range reads its cells in place, by its hash
/// index where one applies.
fn xsearch_table(
    ctx: &mut CallContext,
    look: &Table,
    by_row: bool,
    needle: &Value,
    match_mode: i64,
    search_mode: i64,
) -> Result<Option<usize>, ErrorKind> {
    if let Table::Area(a) = look {
        if matches!(match_mode, 0 | 2) && matches!(search_mode, 1 | -1) {
            let reverse = search_mode == -1;
            return Ok(exact_in_area(
                ctx,
                *a,
                by_row,
                needle,
                match_mode == 2,
                reverse,
            ));
        }
    }
    let keys = look.vector(ctx, by_row, 0);
    xsearch(needle, &keys, match_mode, search_mode)
}

/// Match mode 3: the first (or last) text the needle's pattern matches
/// anywhere in, case-sensitive as REGEXTEST is by default (a pattern
/// starting `(?i)` ignores case). Only text cells take part (a number
/// needle is read as its text and finds no number); a needle that is not
/// a valid pattern is `#VALUE!`.
fn regex_x(needle: &Value, vec: &[Value], reverse: bool) -> Result<Option<usize>, ErrorKind> {
    let re = crate::formula::text_core::regex(&to_text(needle)?, false)?;
    let hit = |v: &Value| matches!(v, Value::Text(t) if re.is_match(t));
    Ok(if reverse {
        vec.iter().rposition(hit)
    } else {
        vec.iter().position(hit)
    })
}

/// XLOOKUP's binary search over a sorted vector: the first item equal
/// to the needle (in the vector's order), else the neighbour asked for;
/// comparing across types in Excel's order (numbers < text < booleans).
/// Trailing empty cells (a whole column) are not part of the data.
pub(super) fn binary_x(
    needle: &Value,
    vec: &[Value],
    match_mode: i64,
    desc: bool,
) -> Option<usize> {
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

pub(super) fn linear_x(
    needle: &Value,
    vec: &[Value],
    match_mode: i64,
    reverse: bool,
) -> Option<usize> {
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

pub(super) fn xlookup(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let ret = Table::of(ctx, &args[2])?;
    let match_mode = ctx.opt_int(args, 4, 0)?;
    let search_mode = ctx.opt_int(args, 5, 1)?;
    let by_row = look.rows() == 1 && look.cols() > 1;
    if look.rows() != 1 && look.cols() != 1 {
        return Err(ErrorKind::Value);
    }
    let n = if by_row { look.cols() } else { look.rows() };
    if (by_row && ret.cols() != n) || (!by_row && ret.rows() != n) {
        return Err(ErrorKind::Value);
    }
    match xsearch_table(ctx, &look, by_row, &needle, match_mode, search_mode)? {
        Some(i) => Ok(slice(ctx, &ret, by_row, i)),
        None if !CallContext::is_missing(args, 3) => Ok(ctx.eval(&args[3])),
        None => Err(ErrorKind::NA),
    }
}

/// Row `i` (or column `i`) of a table, as a reference when it is one.
pub(super) fn slice(ctx: &mut CallContext, t: &Table, column: bool, i: usize) -> CalcValue {
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

pub(super) fn lookup_(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
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

pub(super) fn match_(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let mode = ctx.opt_number(args, 2, Number::ONE)?.to_f64();
    if look.rows() != 1 && look.cols() != 1 {
        return Err(ErrorKind::NA);
    }
    let by_row = look.rows() == 1;
    let pos = match &look {
        Table::Area(a) if mode == 0.0 => exact_in_area(ctx, *a, by_row, &needle, true, false),
        Table::Area(a) => {
            let cells = key_cells(ctx, key_area(*a, by_row));
            approx_search_by(&needle, cells.len(), |i| cells.at(i), mode < 0.0)
        }
        Table::Array(_) => {
            let keys = look.vector(ctx, by_row, 0);
            if mode == 0.0 {
                exact_search(&needle, &keys, true, false)
            } else {
                approx_search(&needle, &keys, mode < 0.0)
            }
        }
    };
    pos.map(|i| CalcValue::number(i as i64 + 1))
        .ok_or(ErrorKind::NA)
}

pub(super) fn xmatch(ctx: &mut CallContext, args: &[Ast]) -> EvalResult {
    let needle = lookup_value(ctx, &args[0])?;
    let look = Table::of(ctx, &args[1])?;
    let match_mode = ctx.opt_int(args, 2, 0)?;
    let search_mode = ctx.opt_int(args, 3, 1)?;
    if look.rows() != 1 && look.cols() != 1 {
        return Err(ErrorKind::Value);
    }
    xsearch_table(
        ctx,
        &look,
        look.rows() == 1,
        &needle,
        match_mode,
        search_mode,
    )?
    .map(|i| CalcValue::number(i as i64 + 1))
    .ok_or(ErrorKind::NA)
}
