//! GROUPBY and PIVOTBY: a pivot table as a formula. Rows are grouped by
//! the distinct values of their fields, each group's values summarised
//! by a function value (`SUM`, `PERCENTOF`, a LAMBDA, or a row of them),
//! with totals, sorting and a filter.

use super::*;
use crate::formula::lambda::Callable;
use std::rc::Rc;

/// A cell the layout leaves blank (an empty text, so it never shows as 0
/// the way an empty array element would).
fn blank() -> Value {
    Value::text("")
}

/// Excel's label of a total row or column.
const TOTAL: &str = "Total";

/// One level of grouping: the distinct values of one field, each with
/// the data rows it holds and its own subgroups.
struct Node {
    key: Value,
    rows: Vec<usize>,
    children: Vec<Node>,
}

/// Groups `rows` by field columns `levels` of `fields`, in order of
/// first appearance.
fn group(fields: &Array, rows: &[usize], levels: &[usize]) -> Vec<Node> {
    let Some((&level, deeper)) = levels.split_first() else {
        return Vec::new();
    };
    let mut nodes: Vec<Node> = Vec::new();
    for &r in rows {
        let key = fields.get(r, level);
        match nodes.iter_mut().find(|n| same_value(&n.key, key)) {
            Some(n) => n.rows.push(r),
            None => nodes.push(Node {
                key: key.clone(),
                rows: vec![r],
                children: Vec::new(),
            }),
        }
    }
    for n in &mut nodes {
        n.children = group(fields, &n.rows, deeper);
    }
    nodes
}

/// The functions that summarise a group and the data they see.
struct Summary {
    /// One function, or the row of functions of `HSTACK(SUM,AVERAGE)`:
    /// each gives its own result column.
    functions: Vec<Rc<Callable>>,
    values: Array,
}

impl Summary {
    /// How many result columns the summary fills: one per function and
    /// value column.
    fn columns(&self) -> usize {
        self.values.cols * self.functions.len()
    }

    /// Result column `col` over data rows `rows`; a two-parameter
    /// function (PERCENTOF) also gets the rows of `whole`.
    fn of(&self, ctx: &mut CallContext, rows: &[usize], whole: &[usize], col: usize) -> Value {
        if ctx.out_of_time() {
            return Value::Error(ErrorKind::Calc);
        }
        let n = self.functions.len();
        let (value_col, function) = (col / n, &self.functions[col % n]);
        let column = |rs: &[usize]| {
            CalcValue::Array(Array::column(
                rs.iter()
                    .map(|&r| self.values.get(r, value_col).clone())
                    .collect(),
            ))
        };
        let mut args = vec![column(rows)];
        if function.arity() == 2 {
            args.push(column(whole));
        }
        ctx.invoke_scalar(function, args)
    }
}

/// The `function` argument of GROUPBY: one function value, or a row of
/// them given as `HSTACK(SUM,AVERAGE)` for one result column each.
fn function_row(ctx: &mut CallContext, e: &Expr) -> Result<Vec<Rc<Callable>>, ErrorKind> {
    match e {
        Expr::Paren(inner) => function_row(ctx, inner),
        Expr::Call { name, args } if name == "HSTACK" => {
            if args.is_empty() {
                return Err(ErrorKind::Value);
            }
            args.iter().map(|a| ctx.callable(a)).collect()
        }
        _ => Ok(vec![ctx.callable(e)?]),
    }
}

/// The header row Excel puts above the result columns of several
/// functions: blank over the row fields, then each function's name.
/// Only built-in functions passed by name are labelled here; a LAMBDA in
/// the row, several value columns or shown field headers are `#VALUE!`
/// rather than a guessed layout.
fn function_names_row(summary: &Summary, levels: usize) -> Result<Vec<Value>, ErrorKind> {
    if summary.values.cols != 1 {
        return Err(ErrorKind::Value);
    }
    let mut row = vec![blank(); levels];
    for f in &summary.functions {
        match f.as_ref() {
            Callable::Builtin(spec) => row.push(Value::text(spec.name)),
            Callable::Lambda { .. } => return Err(ErrorKind::Value),
        }
    }
    Ok(row)
}

/// One sort key: a field level or a value column, and its direction.
#[derive(Clone, Copy)]
enum SortKey {
    Field(usize, bool),
    Value(usize, bool),
}

/// The sort keys of a `sort_order` argument: numbers counting the field
/// columns then the value columns, negative for descending. Zero or a
/// number past them is `#VALUE!`.
fn sort_keys(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
    fields: usize,
    values: usize,
) -> Result<Vec<SortKey>, ErrorKind> {
    if CallContext::is_missing(args, i) {
        return Ok(Vec::new());
    }
    let order = ctx.array(&args[i])?;
    let mut keys = Vec::new();
    for v in &order.values {
        let n = to_number(v)?.to_f64().trunc();
        let (at, descending) = (n.abs() as usize, n < 0.0);
        keys.push(match at {
            0 => return Err(ErrorKind::Value),
            a if a <= fields => SortKey::Field(a - 1, descending),
            a if a <= fields + values => SortKey::Value(a - fields - 1, descending),
            _ => return Err(ErrorKind::Value),
        });
    }
    Ok(keys)
}

/// Orders siblings at `level`: by the keys that speak of this level or
/// of a value column, then ascending by the field's value.
fn sort_level(
    ctx: &mut CallContext,
    nodes: &mut Vec<Node>,
    level: usize,
    keys: &[SortKey],
    summary: &Summary,
    all: &[usize],
) {
    let mut decorated: Vec<(Vec<Value>, usize)> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        let mut k = Vec::new();
        for key in keys {
            k.push(match *key {
                SortKey::Field(l, _) if l == level => n.key.clone(),
                SortKey::Value(c, _) => summary.of(ctx, &n.rows, all, c),
                SortKey::Field(..) => Value::Empty,
            });
        }
        k.push(n.key.clone());
        decorated.push((k, i));
    }
    let directions: Vec<bool> = keys
        .iter()
        .map(|k| match *k {
            SortKey::Field(_, d) | SortKey::Value(_, d) => d,
        })
        .chain(std::iter::once(false))
        .collect();
    decorated.sort_by(|(a, _), (b, _)| {
        for ((x, y), descending) in a.iter().zip(b).zip(&directions) {
            let o = compare_for_sort_in(x, y, None);
            let o = if *descending { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
    let mut taken: Vec<Option<Node>> = std::mem::take(nodes).into_iter().map(Some).collect();
    *nodes = decorated
        .into_iter()
        .filter_map(|(_, i)| taken[i].take())
        .collect();
    for n in nodes.iter_mut() {
        let rows = n.rows.clone();
        sort_level(ctx, &mut n.children, level + 1, keys, summary, &rows);
    }
}

/// How the first rows of the data are read and shown.
struct Headers {
    /// The first row is headers, not data.
    present: bool,
    /// The result starts with a row of them.
    shown: bool,
}

/// The `field_headers` argument: left out, Excel guesses headers when the
/// first value is text and the second a number, and shows them when
/// there are several field levels.
fn headers(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
    values: &Array,
    levels: usize,
) -> Result<Headers, ErrorKind> {
    if CallContext::is_missing(args, i) {
        let present = values.rows > 1
            && matches!(values.get(0, 0), Value::Text(_))
            && as_calc_number(values.get(1, 0)).is_some();
        return Ok(Headers {
            present,
            shown: present && levels > 1,
        });
    }
    match ctx.int(&args[i])? {
        0 | 2 => Ok(Headers {
            present: false,
            shown: false,
        }),
        1 => Ok(Headers {
            present: true,
            shown: false,
        }),
        3 => Ok(Headers {
            present: true,
            shown: true,
        }),
        _ => Err(ErrorKind::Value),
    }
}

/// The data rows kept: after the header row, where the filter is true.
fn kept_rows(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
    first: usize,
    count: usize,
) -> Result<Vec<usize>, ErrorKind> {
    if CallContext::is_missing(args, i) {
        return Ok((first..count).collect());
    }
    let filter = ctx.array(&args[i])?;
    let n = filter.values.len();
    let offset = match n {
        n if n == count => 0,
        n if n + first == count => first,
        _ => return Err(ErrorKind::Value),
    };
    let mut rows = Vec::new();
    for r in first..count {
        if to_bool(&filter.values[r - offset])? {
            rows.push(r);
        }
    }
    Ok(rows)
}

/// The total depth argument: left out, a grand total and, with several
/// levels, subtotals of the first. Negative puts totals above.
fn total_depth(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
    levels: usize,
) -> Result<(usize, bool), ErrorKind> {
    let depth = if CallContext::is_missing(args, i) {
        if levels > 1 {
            2
        } else {
            1
        }
    } else {
        ctx.int(&args[i])?
    };
    Ok(((depth.unsigned_abs() as usize).min(levels), depth < 0))
}

/// GROUPBY(row_fields, values, function, [field_headers], [total_depth],
/// [sort_order], [filter_array], [field_relationship]).
pub(super) fn groupby(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let fields = ctx.array(&args[0])?;
    let values = ctx.array(&args[1])?;
    if fields.rows != values.rows {
        return Err(ErrorKind::Value);
    }
    let functions = function_row(ctx, &args[2])?;
    let levels = fields.cols;
    let head = headers(ctx, args, 3, &values, levels)?;
    let (depth, on_top) = total_depth(ctx, args, 4, levels)?;
    let keys = sort_keys(ctx, args, 5, levels, values.cols * functions.len())?;
    let first = usize::from(head.present);
    let rows = kept_rows(ctx, args, 6, first, fields.rows)?;
    let table_relation = ctx.opt_int(args, 7, 0)?;
    if !(0..=1).contains(&table_relation) {
        return Err(ErrorKind::Value);
    }
    if rows.is_empty() {
        return Err(ErrorKind::Calc);
    }
    let summary = Summary { functions, values };
    let level_ids: Vec<usize> = (0..levels).collect();
    let mut tree = group(&fields, &rows, &level_ids);
    sort_level(ctx, &mut tree, 0, &keys, &summary, &rows);
    // Subtotals need a hierarchy; a table relationship has none.
    let subtotal_depth = if table_relation == 1 {
        depth.min(1)
    } else {
        depth
    };

    let width = levels + summary.columns();
    let mut out: Vec<Vec<Value>> = Vec::new();
    if summary.functions.len() > 1 {
        if head.shown {
            return Err(ErrorKind::Value);
        }
        out.push(function_names_row(&summary, levels)?);
    } else if head.shown {
        let mut h: Vec<Value> = (0..levels).map(|c| fields.get(0, c).clone()).collect();
        h.extend((0..summary.values.cols).map(|c| summary.values.get(0, c).clone()));
        out.push(h);
    }
    let grand = |ctx: &mut CallContext| -> Vec<Value> {
        let mut row = vec![Value::text(TOTAL)];
        row.resize(levels, blank());
        for c in 0..summary.columns() {
            row.push(summary.of(ctx, &rows, &rows, c));
        }
        row
    };
    if depth >= 1 && on_top {
        out.push(grand(ctx));
    }
    let mut path = Vec::new();
    emit_rows(
        ctx,
        &tree,
        &mut path,
        levels,
        subtotal_depth,
        on_top,
        &summary,
        &rows,
        &mut out,
    );
    if depth >= 1 && !on_top {
        out.push(grand(ctx));
    }
    check_rows(&out, width)?;
    Array::from_rows(out)
        .map(CalcValue::Array)
        .ok_or(ErrorKind::Value)
}

/// Rows of the grouped tree, depth first, with subtotal rows for the
/// levels above `depth` (below or above their groups).
#[allow(clippy::too_many_arguments)]
fn emit_rows(
    ctx: &mut CallContext,
    nodes: &[Node],
    path: &mut Vec<Value>,
    levels: usize,
    depth: usize,
    on_top: bool,
    summary: &Summary,
    all: &[usize],
    out: &mut Vec<Vec<Value>>,
) {
    for n in nodes {
        path.push(n.key.clone());
        let level = path.len();
        if n.children.is_empty() {
            let mut row = path.clone();
            for c in 0..summary.columns() {
                row.push(summary.of(ctx, &n.rows, all, c));
            }
            out.push(row);
        } else {
            let subtotal = level < depth;
            let total_row = |ctx: &mut CallContext, path: &[Value]| {
                let mut row = path.to_vec();
                row.resize(levels, blank());
                for c in 0..summary.columns() {
                    row.push(summary.of(ctx, &n.rows, all, c));
                }
                row
            };
            if subtotal && on_top {
                out.push(total_row(ctx, path));
            }
            emit_rows(
                ctx,
                &n.children,
                path,
                levels,
                depth,
                on_top,
                summary,
                all,
                out,
            );
            if subtotal && !on_top {
                out.push(total_row(ctx, path));
            }
        }
        path.pop();
    }
}

fn check_rows(out: &[Vec<Value>], width: usize) -> Result<(), ErrorKind> {
    if out.len().saturating_mul(width) > MAX_ARRAY_CELLS {
        Err(ErrorKind::Num)
    } else {
        Ok(())
    }
}

/// The distinct keys of some fields (one tuple per group), in the order
/// the sort keys give, and the data rows of each.
fn keys_of(
    ctx: &mut CallContext,
    fields: &Array,
    rows: &[usize],
    keys: &[SortKey],
    summary: &Summary,
) -> Vec<(Vec<Value>, Vec<usize>)> {
    let levels: Vec<usize> = (0..fields.cols).collect();
    let mut tree = group(fields, rows, &levels);
    sort_level(ctx, &mut tree, 0, keys, summary, rows);
    let mut out = Vec::new();
    fn leaves(nodes: &[Node], path: &mut Vec<Value>, out: &mut Vec<(Vec<Value>, Vec<usize>)>) {
        for n in nodes {
            path.push(n.key.clone());
            if n.children.is_empty() {
                out.push((path.clone(), n.rows.clone()));
            } else {
                leaves(&n.children, path, out);
            }
            path.pop();
        }
    }
    leaves(&tree, &mut Vec::new(), &mut out);
    out
}

/// PIVOTBY(row_fields, col_fields, values, function, [field_headers],
/// [row_total_depth], [row_sort_order], [col_total_depth],
/// [col_sort_order], [filter_array], [relative_to]). Fields of several
/// columns group by their combined values; totals are grand totals.
pub(super) fn pivotby(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let row_fields = ctx.array(&args[0])?;
    let col_fields = ctx.array(&args[1])?;
    let values = ctx.array(&args[2])?;
    if row_fields.rows != values.rows || col_fields.rows != values.rows {
        return Err(ErrorKind::Value);
    }
    let function = ctx.callable(&args[3])?;
    let head = headers(ctx, args, 4, &values, row_fields.cols + col_fields.cols)?;
    let (row_depth, rows_on_top) = total_depth(ctx, args, 5, 1)?;
    let row_keys = sort_keys(ctx, args, 6, row_fields.cols, values.cols)?;
    let (col_depth, cols_on_top) = total_depth(ctx, args, 7, 1)?;
    let col_keys = sort_keys(ctx, args, 8, col_fields.cols, values.cols)?;
    let first = usize::from(head.present);
    let rows = kept_rows(ctx, args, 9, first, values.rows)?;
    let relative_to = ctx.opt_int(args, 10, 0)?;
    if !(0..=4).contains(&relative_to) {
        return Err(ErrorKind::Value);
    }
    if rows.is_empty() {
        return Err(ErrorKind::Calc);
    }
    let summary = Summary {
        functions: vec![function],
        values,
    };
    let mut row_groups = keys_of(ctx, &row_fields, &rows, &row_keys, &summary);
    let mut col_groups = keys_of(ctx, &col_fields, &rows, &col_keys, &summary);
    // The totals are groups of every row, labelled "Total".
    let total = |levels: usize| {
        let mut key = vec![Value::text(TOTAL)];
        key.resize(levels, blank());
        (key, rows.clone())
    };
    if row_depth >= 1 {
        let t = total(row_fields.cols);
        if rows_on_top {
            row_groups.insert(0, t);
        } else {
            row_groups.push(t);
        }
    }
    if col_depth >= 1 {
        let t = total(col_fields.cols);
        if cols_on_top {
            col_groups.insert(0, t);
        } else {
            col_groups.push(t);
        }
    }
    let n_values = summary.values.cols;
    let width = row_fields.cols + col_groups.len() * n_values;
    let height = col_fields.cols + usize::from(head.shown || n_values > 1) + row_groups.len();
    if height.saturating_mul(width) > MAX_ARRAY_CELLS {
        return Err(ErrorKind::Num);
    }
    let mut out: Vec<Vec<Value>> = Vec::new();
    // Column keys, one header row per column field.
    for level in 0..col_fields.cols {
        let mut row = vec![blank(); row_fields.cols];
        if head.shown && level == 0 {
            row[0] = col_fields.get(0, 0).clone();
        }
        for (key, _) in &col_groups {
            for v in 0..n_values {
                row.push(if v == 0 { key[level].clone() } else { blank() });
            }
        }
        out.push(row);
    }
    if head.shown || n_values > 1 {
        let mut row: Vec<Value> = (0..row_fields.cols)
            .map(|c| {
                if head.shown {
                    row_fields.get(0, c).clone()
                } else {
                    blank()
                }
            })
            .collect();
        for _ in &col_groups {
            for v in 0..n_values {
                row.push(if head.present {
                    summary.values.get(0, v).clone()
                } else {
                    blank()
                });
            }
        }
        out.push(row);
    }
    for (row_key, in_row) in &row_groups {
        let mut row = row_key.clone();
        for (_, in_col) in &col_groups {
            let cell: Vec<usize> = in_row
                .iter()
                .copied()
                .filter(|r| in_col.contains(r))
                .collect();
            let whole: &[usize] = match relative_to {
                1 | 4 => in_row,
                2 => &rows,
                _ => in_col,
            };
            for v in 0..n_values {
                row.push(if cell.is_empty() {
                    blank()
                } else {
                    summary.of(ctx, &cell, whole, v)
                });
            }
        }
        out.push(row);
    }
    Array::from_rows(out)
        .map(CalcValue::Array)
        .ok_or(ErrorKind::Value)
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_calc_in, num, workbook_with};
    use crate::formula::CalcValue;
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::text(s)
    }

    /// Sales by year and product, with a header row.
    const SALES: &[(&str, &str)] = &[
        ("A1", "Year"),
        ("B1", "Product"),
        ("C1", "Sales"),
        ("A2", "2024"),
        ("B2", "Pens"),
        ("C2", "10"),
        ("A3", "2023"),
        ("B3", "Ink"),
        ("C3", "5"),
        ("A4", "2024"),
        ("B4", "Ink"),
        ("C4", "20"),
        ("A5", "2023"),
        ("B5", "Pens"),
        ("C5", "15"),
        ("A6", "2024"),
        ("B6", "Pens"),
        ("C6", "30"),
    ];

    /// Rows of an array result.
    fn rows(formula: &str) -> Vec<Vec<Value>> {
        match eval_calc_in(workbook_with(SALES), "Sheet1", formula) {
            CalcValue::Array(a) => (0..a.rows).map(|r| a.row_slice(r).to_vec()).collect(),
            other => panic!("{formula}: {other:?}"),
        }
    }

    #[test]
    fn groupby_sums_by_year_with_a_grand_total() {
        assert_eq!(
            rows("=GROUPBY(A2:A6,C2:C6,SUM)"),
            vec![
                vec![num("2023"), num("20")],
                vec![num("2024"), num("60")],
                vec![t("Total"), num("80")],
            ]
        );
        // Headers guessed from the values, not shown for one level.
        assert_eq!(rows("=GROUPBY(A1:A6,C1:C6,SUM)").len(), 3);
        assert_eq!(
            rows("=GROUPBY(A1:A6,C1:C6,SUM,3,0)"),
            vec![
                vec![t("Year"), t("Sales")],
                vec![num("2023"), num("20")],
                vec![num("2024"), num("60")],
            ]
        );
    }

    #[test]
    fn groupby_sorts_filters_and_takes_lambdas() {
        // Descending by the sums (Microsoft's example 2 sorts by -2).
        assert_eq!(
            rows("=GROUPBY(B2:B6,C2:C6,SUM,,0,-2)"),
            vec![vec![t("Pens"), num("55")], vec![t("Ink"), num("25")]]
        );
        assert_eq!(
            rows("=GROUPBY(B2:B6,C2:C6,SUM,,0,,A2:A6=2024)"),
            vec![vec![t("Ink"), num("20")], vec![t("Pens"), num("40")]]
        );
        assert_eq!(
            rows("=GROUPBY(B2:B6,C2:C6,LAMBDA(v,MAX(v)-MIN(v)),,0)"),
            vec![vec![t("Ink"), num("15")], vec![t("Pens"), num("20")]]
        );
        assert_eq!(
            rows("=GROUPBY(B2:B6,C2:C6,COUNT,,1)")[2],
            vec![t("Total"), num("5")]
        );
        assert_eq!(
            rows("=GROUPBY(B2:B6,C2:C6,PERCENTOF,,0)"),
            vec![
                vec![t("Ink"), num("0.3125")],
                vec![t("Pens"), num("0.6875")]
            ]
        );
    }

    #[test]
    fn groupby_with_a_row_of_functions_gives_a_column_each() {
        assert_eq!(
            rows("=GROUPBY(A2:A6,C2:C6,HSTACK(SUM,AVERAGE))"),
            vec![
                vec![t(""), t("SUM"), t("AVERAGE")],
                vec![num("2023"), num("20"), num("10")],
                vec![num("2024"), num("60"), num("20")],
                vec![t("Total"), num("80"), num("16")],
            ]
        );
        // As files store it.
        assert_eq!(
            rows("=_xlfn.GROUPBY(A2:A6,C2:C6,_xlfn.HSTACK(_xleta.SUM,_xleta.AVERAGE))"),
            rows("=GROUPBY(A2:A6,C2:C6,HSTACK(SUM,AVERAGE))")
        );
        // Sort keys count the functions' columns: -3 is AVERAGE, descending.
        assert_eq!(
            rows("=GROUPBY(B2:B6,C2:C6,HSTACK(COUNT,MAX),,0,-3)"),
            vec![
                vec![t(""), t("COUNT"), t("MAX")],
                vec![t("Pens"), num("3"), num("30")],
                vec![t("Ink"), num("2"), num("20")],
            ]
        );
        // Layouts not known for certain are refused, never guessed.
        let one = |f: &str| eval_calc_in(workbook_with(SALES), "Sheet1", f);
        for f in [
            "=GROUPBY(A2:A6,C2:C6,HSTACK(SUM,LAMBDA(v,MAX(v))))",
            "=GROUPBY(A1:A6,C1:C6,HSTACK(SUM,AVERAGE),3)",
            "=GROUPBY(A2:A6,B2:C6,HSTACK(SUM,AVERAGE))",
            "=GROUPBY(A2:A6,C2:C6,HSTACK(SUM,2))",
        ] {
            assert_eq!(one(f), CalcValue::error(ErrorKind::Value), "{f}");
        }
    }

    #[test]
    fn groupby_over_two_levels_has_subtotals() {
        let got = rows("=GROUPBY(A2:B6,C2:C6,SUM)");
        assert_eq!(
            got,
            vec![
                vec![num("2023"), t("Ink"), num("5")],
                vec![num("2023"), t("Pens"), num("15")],
                vec![num("2023"), t(""), num("20")],
                vec![num("2024"), t("Ink"), num("20")],
                vec![num("2024"), t("Pens"), num("40")],
                vec![num("2024"), t(""), num("60")],
                vec![t("Total"), t(""), num("80")],
            ]
        );
        assert_eq!(
            rows("=GROUPBY(A2:B6,C2:C6,SUM,,-1)")[0],
            vec![t("Total"), t(""), num("80")]
        );
    }

    #[test]
    fn groupby_refuses_what_excel_refuses() {
        let one = |f: &str| eval_calc_in(workbook_with(SALES), "Sheet1", f);
        assert_eq!(
            one("=GROUPBY(A2:A6,C2:C5,SUM)"),
            CalcValue::error(ErrorKind::Value)
        );
        assert_eq!(
            one("=GROUPBY(A2:A6,C2:C6,5)"),
            CalcValue::error(ErrorKind::Value)
        );
        assert_eq!(
            one("=GROUPBY(A2:A6,C2:C6,SUM,,,9)"),
            CalcValue::error(ErrorKind::Value)
        );
        assert_eq!(
            one("=GROUPBY(A2:A6,C2:C6,SUM,,,,A2:A6=1)"),
            CalcValue::error(ErrorKind::Calc)
        );
    }

    #[test]
    fn pivotby_crosses_rows_and_columns() {
        assert_eq!(
            rows("=PIVOTBY(B2:B6,A2:A6,C2:C6,SUM)"),
            vec![
                vec![t(""), num("2023"), num("2024"), t("Total")],
                vec![t("Ink"), num("5"), num("20"), num("25")],
                vec![t("Pens"), num("15"), num("40"), num("55")],
                vec![t("Total"), num("20"), num("60"), num("80")],
            ]
        );
        // A combination without data is blank, never 0.
        assert_eq!(
            rows("=PIVOTBY(B2:B6,A2:A6,C2:C6,SUM,,0,,0,,A2:A6*(B2:B6=\"Ink\")+(B2:B6=\"Pens\")*(A2:A6=2023))"),
            vec![
                vec![t(""), num("2023"), num("2024")],
                vec![t("Ink"), num("5"), num("20")],
                vec![t("Pens"), num("15"), t("")],
            ]
        );
        assert_eq!(
            rows("=PIVOTBY(B2:B6,A2:A6,C2:C6,PERCENTOF,,0,,0,,,2)")[1],
            vec![t("Ink"), num("0.0625"), num("0.25")]
        );
    }
}
