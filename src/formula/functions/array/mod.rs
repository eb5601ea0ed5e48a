//! Dynamic-array functions (FILTER, UNIQUE, SORT, SORTBY, SEQUENCE,
//! TRANSPOSE here; reshaping in shaping.rs, GROUPBY and PIVOTBY in
//! grouping.rs). They return arrays; the evaluator spills them.

mod grouping;
mod shaping;

use super::*;
use crate::formula::calc::compare_for_sort_in;
use std::cmp::Ordering;

/// The most cells an array function builds (16M, a few hundred MB):
/// beyond it SEQUENCE and MUNIT answer `#NUM!` instead of exhausting
/// memory. Excel would report `#SPILL!` for most such sizes anyway.
pub const MAX_ARRAY_CELLS: usize = 16 * 1024 * 1024;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "TRANSPOSE",
        1,
        1,
        "Flips an array or range over its diagonal",
        transpose_fn,
    ),
    FunctionSpec::new(
        "SEQUENCE",
        1,
        4,
        "An array of sequential numbers",
        sequence_fn,
    ),
    FunctionSpec::new(
        "SORT",
        1,
        4,
        "Sorts the rows (or columns) of an array",
        sort_fn,
    ),
    FunctionSpec::new(
        "SORTBY",
        2,
        MANY,
        "Sorts an array by other arrays",
        sortby_fn,
    ),
    FunctionSpec::new(
        "UNIQUE",
        1,
        3,
        "The distinct rows (or columns) of an array",
        unique_fn,
    ),
    FunctionSpec::new(
        "FILTER",
        2,
        3,
        "The rows (or columns) where a condition holds",
        filter_fn,
    ),
    FunctionSpec::new(
        "TAKE",
        2,
        3,
        "The first (or last) rows and columns of an array",
        shaping::take,
    ),
    FunctionSpec::new(
        "DROP",
        2,
        3,
        "An array without its first (or last) rows and columns",
        shaping::drop,
    ),
    FunctionSpec::new(
        "HSTACK",
        1,
        MANY,
        "Arrays side by side in one array",
        shaping::hstack,
    ),
    FunctionSpec::new(
        "VSTACK",
        1,
        MANY,
        "Arrays one below the other in one array",
        shaping::vstack,
    ),
    FunctionSpec::new(
        "TOCOL",
        1,
        3,
        "An array's values in one column",
        shaping::tocol,
    ),
    FunctionSpec::new(
        "TOROW",
        1,
        3,
        "An array's values in one row",
        shaping::torow,
    ),
    FunctionSpec::new(
        "WRAPROWS",
        2,
        3,
        "A row or column wrapped into rows of a given length",
        shaping::wraprows,
    ),
    FunctionSpec::new(
        "WRAPCOLS",
        2,
        3,
        "A row or column wrapped into columns of a given length",
        shaping::wrapcols,
    ),
    FunctionSpec::new(
        "EXPAND",
        2,
        4,
        "An array grown to a size, padded",
        shaping::expand,
    ),
    FunctionSpec::new(
        "TRIMRANGE",
        1,
        3,
        "A range without its empty outer rows and columns",
        shaping::trimrange,
    ),
    FunctionSpec::new(
        crate::formula::ast::TRIM_LEADING,
        1,
        1,
        "The trim-range operator A1.:B10 as files store it: no leading empty rows or columns",
        shaping::trim_leading,
    ),
    FunctionSpec::new(
        crate::formula::ast::TRIM_TRAILING,
        1,
        1,
        "The trim-range operator A1:.B10 as files store it: no trailing empty rows or columns",
        shaping::trim_trailing,
    ),
    FunctionSpec::new(
        crate::formula::ast::TRIM_ALL,
        1,
        1,
        "The trim-range operator A1.:.B10 as files store it: no empty outer rows or columns",
        shaping::trim_all,
    ),
    FunctionSpec::new(
        "PERCENTOF",
        2,
        2,
        "The sum of a subset as a share of the sum of all",
        shaping::percentof,
    ),
    FunctionSpec::new(
        "GROUPBY",
        3,
        8,
        "Groups rows by fields and summarises their values",
        grouping::groupby,
    ),
    FunctionSpec::new(
        "PIVOTBY",
        4,
        11,
        "Summarises values by row fields and column fields",
        grouping::pivotby,
    ),
];

fn transpose_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    Ok(CalcValue::Array(a.transpose()))
}

/// An optional numeric argument; an explicitly empty one (`SEQUENCE(3,,10)`)
/// takes the default too.
fn opt_num(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
    default: Number,
) -> Result<Number, ErrorKind> {
    ctx.opt_number(args, i, default)
}

fn sequence_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let rows = opt_num(ctx, args, 0, Number::ONE)?;
    let cols = opt_num(ctx, args, 1, Number::ONE)?;
    let start = opt_num(ctx, args, 2, Number::ONE)?;
    let step = opt_num(ctx, args, 3, Number::ONE)?;
    Ok(CalcValue::Array(sequence(rows, cols, start, step)?))
}

fn sort_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let index = opt_num(ctx, args, 1, Number::ONE)?;
    let descending = sort_order(opt_num(ctx, args, 2, Number::ONE)?)?;
    let by_col = ctx.opt_bool(args, 3, false)?;
    Ok(CalcValue::Array(sort(&a, index, descending, by_col)?))
}

fn sortby_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let mut keys = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let k = ctx.array(&args[i])?;
        let descending = sort_order(opt_num(ctx, args, i + 1, Number::ONE)?)?;
        keys.push((k, descending));
        i += 2;
    }
    Ok(CalcValue::Array(sort_by(&a, &keys)?))
}

fn unique_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let by_col = ctx.opt_bool(args, 1, false)?;
    let exactly_once = ctx.opt_bool(args, 2, false)?;
    Ok(CalcValue::Array(unique(&a, by_col, exactly_once)?))
}

fn filter_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    let include = ctx.array(&args[1])?;
    match filter(&a, &include)? {
        Some(r) => Ok(CalcValue::Array(r)),
        None if CallContext::is_missing(args, 2) => Err(ErrorKind::Calc),
        None => Ok(ctx.eval_array_mode(&args[2])),
    }
}

// ---- cores -------------------------------------------------------------------

/// The rows (or, with `by_col`, the columns) of an array as vectors.
fn lines(a: &Array, by_col: bool) -> Vec<Vec<Value>> {
    if by_col {
        (0..a.cols)
            .map(|c| (0..a.rows).map(|r| a.get(r, c).clone()).collect())
            .collect()
    } else {
        a.values
            .chunks(a.cols.max(1))
            .map(<[Value]>::to_vec)
            .collect()
    }
}

/// Rebuilds an array from lines produced by [`lines`].
fn from_lines(lines: Vec<Vec<Value>>, by_col: bool) -> Array {
    let a = Array::from_rows(lines).unwrap_or_else(|| Array::scalar(Value::Error(ErrorKind::Calc)));
    if by_col {
        a.transpose()
    } else {
        a
    }
}

/// SEQUENCE: `rows` x `cols` numbers from `start` by `step`; a size below
/// 1 is #VALUE! (what Excel answers for SEQUENCE(0) and SEQUENCE(-1)).
pub fn sequence(
    rows: Number,
    cols: Number,
    start: Number,
    step: Number,
) -> Result<Array, ErrorKind> {
    let r = rows.to_i64().ok_or(ErrorKind::Value)?;
    let c = cols.to_i64().ok_or(ErrorKind::Value)?;
    if r < 1 || c < 1 {
        return Err(ErrorKind::Value);
    }
    if r.saturating_mul(c) > MAX_ARRAY_CELLS as i64 {
        return Err(ErrorKind::Num);
    }
    let mut values = Vec::with_capacity((r * c) as usize);
    let mut v = start;
    for _ in 0..r * c {
        values.push(Value::Number(v));
        v = v + step;
    }
    Ok(Array {
        rows: r as usize,
        cols: c as usize,
        values,
    })
}

/// One sort key: which values to compare and in which direction.
fn keyed_order(keys: &[(Vec<Value>, bool)], i: usize, j: usize) -> Ordering {
    for (values, descending) in keys {
        let (a, b) = (&values[i], &values[j]);
        let ord = match (a.is_empty(), b.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => {
                let o = compare_for_sort_in(a, b, None);
                if *descending {
                    o.reverse()
                } else {
                    o
                }
            }
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    Ordering::Equal
}

/// The `order` argument of SORT/SORTBY: 1 ascending, -1 descending.
pub fn sort_order(order: Number) -> Result<bool, ErrorKind> {
    match order.to_i64() {
        Some(1) if order == Number::ONE => Ok(false),
        Some(-1) if order == Number::from_i64(-1) => Ok(true),
        _ => Err(ErrorKind::Value),
    }
}

/// SORT: rows (or columns) ordered by the `sort_index`-th column (row),
/// stable. `sort_index` is 1-based; out of range is #VALUE!.
pub fn sort(
    g: &Array,
    sort_index: Number,
    descending: bool,
    by_col: bool,
) -> Result<Array, ErrorKind> {
    let width = if by_col { g.rows } else { g.cols };
    let idx = sort_index.to_i64().ok_or(ErrorKind::Value)?;
    if idx < 1 || idx as usize > width {
        return Err(ErrorKind::Value);
    }
    let lines = lines(g, by_col);
    let key: Vec<Value> = lines.iter().map(|l| l[idx as usize - 1].clone()).collect();
    let keys = [(key, descending)];
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&i, &j| keyed_order(&keys, i, j));
    Ok(from_lines(
        order.into_iter().map(|i| lines[i].clone()).collect(),
        by_col,
    ))
}

/// SORTBY: rows of `g` ordered by the key vectors (each one value per row,
/// or per column when the keys are rows). Keys of the wrong length are
/// #VALUE!.
pub fn sort_by(g: &Array, keys: &[(Array, bool)]) -> Result<Array, ErrorKind> {
    let Some((first, _)) = keys.first() else {
        return Err(ErrorKind::Value);
    };
    // A key that is a column sorts rows; a key that is a row sorts columns.
    let by_col = first.rows == 1 && first.cols > 1;
    let count = if by_col { g.cols } else { g.rows };
    let mut flat = Vec::new();
    for (k, descending) in keys {
        let is_vector_ok = if by_col {
            k.rows == 1 && k.cols == count
        } else {
            k.cols == 1 && k.rows == count
        };
        if !is_vector_ok {
            return Err(ErrorKind::Value);
        }
        flat.push((k.values.clone(), *descending));
    }
    let lines = lines(g, by_col);
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&i, &j| keyed_order(&flat, i, j));
    Ok(from_lines(
        order.into_iter().map(|i| lines[i].clone()).collect(),
        by_col,
    ))
}

/// Whether two values are the same for UNIQUE (text case-insensitively).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => x.to_lowercase() == y.to_lowercase(),
        _ => {
            a.is_empty() && b.is_empty()
                || (crate::formula::calc::type_rank(a) == crate::formula::calc::type_rank(b)
                    && compare_for_sort_in(a, b, None) == Ordering::Equal
                    && match (a, b) {
                        (Value::Error(x), Value::Error(y)) => x == y,
                        _ => true,
                    })
        }
    }
}

/// UNIQUE: distinct rows (columns with `by_col`) in order of first
/// appearance; with `exactly_once`, only those that occur once. Nothing
/// left is #CALC!.
pub fn unique(g: &Array, by_col: bool, exactly_once: bool) -> Result<Array, ErrorKind> {
    let lines = lines(g, by_col);
    let same = |a: &Vec<Value>, b: &Vec<Value>| a.iter().zip(b).all(|(x, y)| same_value(x, y));
    let mut groups: Vec<(usize, usize)> = Vec::new(); // (first index, count)
    for (i, line) in lines.iter().enumerate() {
        match groups.iter_mut().find(|(f, _)| same(&lines[*f], line)) {
            Some((_, c)) => *c += 1,
            None => groups.push((i, 1)),
        }
    }
    let kept: Vec<Vec<Value>> = groups
        .into_iter()
        .filter(|(_, c)| !exactly_once || *c == 1)
        .map(|(i, _)| lines[i].clone())
        .collect();
    if kept.is_empty() {
        return Err(ErrorKind::Calc);
    }
    Ok(from_lines(kept, by_col))
}

/// The truth of one FILTER `include` value: numbers non-zero, booleans;
/// errors propagate, text is #VALUE!.
fn include_truth(v: &Value) -> Result<bool, ErrorKind> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(!n.is_zero()),
        Value::Date(d) => Ok(!date_number(d).is_zero()),
        Value::Empty => Ok(false),
        Value::Error(e) => Err(*e),
        Value::Text(_) => Err(ErrorKind::Value),
    }
}

/// FILTER: rows (or columns, when `include` is a row) where `include` is
/// true. `Ok(None)` when nothing is kept, so the caller can return its
/// `if_empty` value or #CALC!.
pub fn filter(g: &Array, include: &Array) -> Result<Option<Array>, ErrorKind> {
    let by_col = if include.cols == 1 && include.rows == g.rows {
        false
    } else if include.rows == 1 && include.cols == g.cols {
        true
    } else {
        return Err(ErrorKind::Value);
    };
    let lines = lines(g, by_col);
    let mut kept = Vec::new();
    for (line, flag) in lines.into_iter().zip(&include.values) {
        if include_truth(flag)? {
            kept.push(line);
        }
    }
    if kept.is_empty() {
        return Ok(None);
    }
    Ok(Some(from_lines(kept, by_col)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: i64) -> Value {
        Value::Number(Number::from_i64(x))
    }
    fn grid(rows: Vec<Vec<Value>>) -> Array {
        Array::from_rows(rows).unwrap()
    }
    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn sequence_and_transpose() {
        let g = sequence(
            Number::from_i64(2),
            Number::from_i64(3),
            Number::ONE,
            Number::from_f64(0.5),
        )
        .unwrap();
        assert_eq!((g.rows, g.cols), (2, 3));
        assert_eq!(g.get(1, 2), &Value::Number(Number::from_f64(3.5)));
        let tr = g.transpose();
        assert_eq!((tr.rows, tr.cols), (3, 2));
        assert_eq!(tr.get(2, 1), g.get(1, 2));
        assert_eq!(
            sequence(Number::ZERO, Number::ONE, Number::ONE, Number::ONE),
            Err(ErrorKind::Value)
        );
        assert_eq!(
            sequence(Number::from_f64(0.3), Number::ONE, Number::ONE, Number::ONE),
            Err(ErrorKind::Value)
        );
    }

    #[test]
    fn sorting() {
        let g = grid(vec![
            vec![t("b"), n(2)],
            vec![t("A"), n(3)],
            vec![Value::Empty, n(0)],
            vec![n(5), n(1)],
            vec![t("a"), n(4)],
        ]);
        let s = sort(&g, Number::ONE, false, false).unwrap();
        let firsts: Vec<_> = (0..5).map(|r| s.get(r, 1).clone()).collect();
        assert_eq!(
            firsts,
            vec![n(1), n(3), n(4), n(2), n(0)],
            "stable, numbers first, blanks last"
        );
        let s = sort(&g, Number::from_i64(2), true, false).unwrap();
        assert_eq!(s.get(0, 1), &n(4));
        assert_eq!(
            sort(&g, Number::from_i64(3), false, false),
            Err(ErrorKind::Value)
        );
        let by = sort_by(
            &g,
            &[(
                grid(vec![
                    vec![n(5)],
                    vec![n(4)],
                    vec![n(3)],
                    vec![n(2)],
                    vec![n(1)],
                ]),
                false,
            )],
        )
        .unwrap();
        assert_eq!(by.get(0, 0), &t("a"));
        assert_eq!(by.get(4, 0), &t("b"));
        assert_eq!(
            sort_by(&g, &[(grid(vec![vec![n(1)]]), false)]),
            Err(ErrorKind::Value)
        );
        assert_eq!(sort_order(Number::from_i64(-1)), Ok(true));
        assert_eq!(sort_order(Number::from_i64(2)), Err(ErrorKind::Value));
        let row = grid(vec![vec![n(3), n(1), n(2)]]);
        let s = sort(&row, Number::ONE, false, true).unwrap();
        assert_eq!(s.values, vec![n(1), n(2), n(3)]);
    }

    #[test]
    fn unique_rows() {
        let g = grid(vec![
            vec![t("x")],
            vec![t("X")],
            vec![n(1)],
            vec![t("y")],
            vec![n(1)],
        ]);
        assert_eq!(
            unique(&g, false, false).unwrap().values,
            vec![t("x"), n(1), t("y")]
        );
        assert_eq!(unique(&g, false, true).unwrap().values, vec![t("y")]);
        let dup = grid(vec![vec![n(1)], vec![n(1)]]);
        assert_eq!(unique(&dup, false, true), Err(ErrorKind::Calc));
        let row = grid(vec![vec![n(1), n(2), n(1)]]);
        assert_eq!(unique(&row, true, false).unwrap().values, vec![n(1), n(2)]);
        assert_eq!(unique(&row, false, false).unwrap().cols, 3);
    }

    #[test]
    fn filtering() {
        let g = grid(vec![
            vec![t("a"), n(1)],
            vec![t("b"), n(2)],
            vec![t("c"), n(3)],
        ]);
        let inc = grid(vec![vec![Value::Bool(true)], vec![n(0)], vec![n(7)]]);
        let f = filter(&g, &inc).unwrap().unwrap();
        assert_eq!(f.values, vec![t("a"), n(1), t("c"), n(3)]);
        let none = grid(vec![vec![Value::Bool(false)]; 3]);
        assert_eq!(filter(&g, &none), Ok(None));
        let bad = grid(vec![vec![Value::Bool(true)]; 2]);
        assert_eq!(filter(&g, &bad), Err(ErrorKind::Value));
        let err = grid(vec![
            vec![Value::Error(ErrorKind::NA)],
            vec![n(1)],
            vec![n(1)],
        ]);
        assert_eq!(filter(&g, &err), Err(ErrorKind::NA));
        let cols = grid(vec![vec![Value::Bool(false), Value::Bool(true)]]);
        assert_eq!(
            filter(&g, &cols).unwrap().unwrap().values,
            vec![n(1), n(2), n(3)]
        );
    }
}

#[cfg(test)]
mod formula_tests {
    use crate::formula::calc::{Array, CalcValue};
    use crate::formula::testing::{eval_calc, eval_calc_in, eval_str, num, workbook_with};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn array(v: CalcValue) -> Array {
        match v {
            CalcValue::Array(a) => a,
            other => panic!("expected an array, got {other:?}"),
        }
    }

    const TABLE: [(&str, &str); 8] = [
        ("A1", "pears"),
        ("A2", "apples"),
        ("A3", "figs"),
        ("A4", "apples"),
        ("B1", "3"),
        ("B2", "1"),
        ("B3", "2"),
        ("B4", "1"),
    ];

    fn eval_table(formula: &str) -> CalcValue {
        eval_calc_in(workbook_with(&TABLE), "Sheet1", formula)
    }

    #[test]
    fn sequence_defaults_and_errors() {
        let a = array(eval_calc("=SEQUENCE(2,3)"));
        assert_eq!((a.rows, a.cols), (2, 3));
        assert_eq!(a.values[5], num("6"));
        let a = array(eval_calc("=SEQUENCE(3,,10,-2.5)"));
        assert_eq!(a.values, vec![num("10"), num("7.5"), num("5")]);
        assert_eq!(eval_str("=SEQUENCE(0)"), Value::Error(ErrorKind::Value));
    }

    #[test]
    fn sort_and_sortby() {
        let a = array(eval_table("=SORT(A1:B4)"));
        assert_eq!(a.get(0, 0), &t("apples"));
        assert_eq!(a.get(3, 0), &t("pears"));
        let a = array(eval_table("=SORT(A1:B4,2,-1)"));
        assert_eq!(a.get(0, 1), &num("3"));
        let a = array(eval_table("=SORTBY(A1:A4,B1:B4,1)"));
        assert_eq!(
            a.values,
            vec![t("apples"), t("apples"), t("figs"), t("pears")]
        );
        assert_eq!(
            eval_calc_in(workbook_with(&TABLE), "Sheet1", "=SORT(A1:B4,3)"),
            CalcValue::Value(Value::Error(ErrorKind::Value))
        );
        let a = array(eval_calc("=SORT({3,1,2},1,1,TRUE)"));
        assert_eq!(a.values, vec![num("1"), num("2"), num("3")]);
    }

    #[test]
    fn unique_rows() {
        let a = array(eval_table("=UNIQUE(A1:A4)"));
        assert_eq!(a.values, vec![t("pears"), t("apples"), t("figs")]);
        let a = array(eval_table("=UNIQUE(A1:B4,FALSE,TRUE)"));
        assert_eq!(a.rows, 2);
        assert_eq!(
            eval_calc("=UNIQUE({1;1},FALSE,TRUE)"),
            CalcValue::Value(Value::Error(ErrorKind::Calc))
        );
    }

    #[test]
    fn filter_rows() {
        let a = array(eval_table("=FILTER(A1:A4,B1:B4=1)"));
        assert_eq!(a.values, vec![t("apples"), t("apples")]);
        assert_eq!(
            eval_table("=FILTER(A1:A4,B1:B4>5)"),
            CalcValue::Value(Value::Error(ErrorKind::Calc))
        );
        assert_eq!(
            eval_table("=FILTER(A1:A4,B1:B4>5,\"none\")"),
            CalcValue::Value(t("none"))
        );
        assert_eq!(
            eval_table("=FILTER(A1:A4,B1:B3=1)"),
            CalcValue::Value(Value::Error(ErrorKind::Value))
        );
    }

    #[test]
    fn transpose_flips() {
        let a = array(eval_calc("=TRANSPOSE({1,2,3})"));
        assert_eq!((a.rows, a.cols), (3, 1));
    }
}
