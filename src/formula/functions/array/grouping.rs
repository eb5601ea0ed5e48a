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
    /// The shown headers are made up ("Row Field 1", "Value 1"): the
    /// data has none of its own (`field_headers` 2).
    generated: bool,
}

impl Headers {
    /// The header shown over row field `level` (0-based).
    fn row_field(&self, fields: &Array, level: usize) -> Value {
        if self.generated {
            Value::text(format!("Row Field {}", level + 1))
        } else {
            fields.get(0, level).clone()
        }
    }

    /// The header shown over value column `col` (0-based).
    fn value(&self, values: &Array, col: usize) -> Value {
        if self.generated {
            Value::text(format!("Value {}", col + 1))
        } else {
            values.get(0, col).clone()
        }
    }
}

/// The `field_headers` argument: left out, Excel guesses headers when the
/// first value is text and the second a number, and shows them when
/// there are several field levels; 0 none, 1 present but hidden, 2 none
/// but made up, 3 present and shown (Microsoft's GROUPBY page).
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
            generated: false,
        });
    }
    let (present, shown, generated) = match ctx.int(&args[i])? {
        0 => (false, false, false),
        1 => (true, false, false),
        2 => (false, true, true),
        3 => (true, true, false),
        _ => return Err(ErrorKind::Value),
    };
    Ok(Headers {
        present,
        shown,
        generated,
    })
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

/// One line of a result's axis (a row of GROUPBY, a row or a column of
/// PIVOTBY): its labels, the data rows it summarises and the data rows of
/// the group one level up (every row for the top groups and the total),
/// which PIVOTBY's parent-total ratios divide by.
struct Line {
    labels: Vec<Value>,
    rows: Rc<[usize]>,
    parent: Rc<[usize]>,
}

/// Which totals an axis shows and where.
#[derive(Clone, Copy)]
struct Totals {
    /// A grand total line.
    grand: bool,
    /// Groups above this level (1-based) get a subtotal line.
    subtotal_depth: usize,
    /// Totals come before their groups rather than after.
    on_top: bool,
}

/// The lines of a grouped and sorted tree: its leaves depth first, a
/// subtotal line for each group above the subtotal depth, and the grand
/// total labelled "Total"; a total line leaves the labels of the levels
/// below it blank.
fn axis_lines(nodes: &[Node], levels: usize, totals: Totals, all: &Rc<[usize]>) -> Vec<Line> {
    fn walk(
        nodes: &[Node],
        path: &mut Vec<Value>,
        parent: &Rc<[usize]>,
        levels: usize,
        totals: Totals,
        out: &mut Vec<Line>,
    ) {
        for n in nodes {
            path.push(n.key.clone());
            let rows: Rc<[usize]> = n.rows.as_slice().into();
            let line = |path: &[Value]| {
                let mut labels = path.to_vec();
                labels.resize(levels, blank());
                Line {
                    labels,
                    rows: rows.clone(),
                    parent: parent.clone(),
                }
            };
            if n.children.is_empty() {
                out.push(line(path));
            } else {
                let subtotal = path.len() < totals.subtotal_depth;
                if subtotal && totals.on_top {
                    out.push(line(path));
                }
                walk(&n.children, path, &rows, levels, totals, out);
                if subtotal && !totals.on_top {
                    out.push(line(path));
                }
            }
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(nodes, &mut Vec::new(), all, levels, totals, &mut out);
    if totals.grand {
        let mut labels = vec![Value::text(TOTAL)];
        labels.resize(levels.max(1), blank());
        let grand = Line {
            labels,
            rows: all.clone(),
            parent: all.clone(),
        };
        if totals.on_top {
            out.insert(0, grand);
        } else {
            out.push(grand);
        }
    }
    out
}

/// The data rows in both of two ascending lists (grouping keeps the data
/// order, so every group's rows ascend).
fn common_rows(a: &[usize], b: &[usize]) -> Vec<usize> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
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
    let totals = Totals {
        grand: depth >= 1,
        // Subtotals need a hierarchy; a table relationship has none.
        subtotal_depth: if table_relation == 1 { 1 } else { depth },
        on_top,
    };
    let all: Rc<[usize]> = rows.as_slice().into();
    let lines = axis_lines(&tree, levels, totals, &all);

    let width = levels + summary.columns();
    check_rows(lines.len() + 1, width)?;
    let mut out: Vec<Vec<Value>> = Vec::new();
    if summary.functions.len() > 1 {
        if head.shown {
            return Err(ErrorKind::Value);
        }
        out.push(function_names_row(&summary, levels)?);
    } else if head.shown {
        let mut h: Vec<Value> = (0..levels).map(|c| head.row_field(&fields, c)).collect();
        h.extend((0..summary.values.cols).map(|c| head.value(&summary.values, c)));
        out.push(h);
    }
    for line in lines {
        let mut row = line.labels;
        for c in 0..summary.columns() {
            row.push(summary.of(ctx, &line.rows, &rows, c));
        }
        out.push(row);
    }
    Array::from_rows(out)
        .map(CalcValue::Array)
        .ok_or(ErrorKind::Value)
}

/// `#NUM!` for a result of more cells than an array function builds.
fn check_rows(rows: usize, width: usize) -> Result<(), ErrorKind> {
    if rows.saturating_mul(width) > MAX_ARRAY_CELLS {
        Err(ErrorKind::Num)
    } else {
        Ok(())
    }
}

/// The lines of one PIVOTBY axis: its fields grouped, sorted and given
/// the totals of its total-depth argument at `depth_arg`.
#[allow(clippy::too_many_arguments)]
fn pivot_axis(
    ctx: &mut CallContext,
    args: &[Expr],
    depth_arg: usize,
    fields: &Array,
    keys: &[SortKey],
    summary: &Summary,
    rows: &[usize],
    all: &Rc<[usize]>,
) -> Result<Vec<Line>, ErrorKind> {
    let (depth, on_top) = total_depth(ctx, args, depth_arg, fields.cols)?;
    let level_ids: Vec<usize> = (0..fields.cols).collect();
    let mut tree = group(fields, rows, &level_ids);
    sort_level(ctx, &mut tree, 0, keys, summary, rows);
    let totals = Totals {
        grand: depth >= 1,
        subtotal_depth: depth,
        on_top,
    };
    Ok(axis_lines(&tree, fields.cols, totals, all))
}

/// PIVOTBY(row_fields, col_fields, values, function, [field_headers],
/// [row_total_depth], [row_sort_order], [col_total_depth],
/// [col_sort_order], [filter_array], [relative_to]). Fields of several
/// columns nest, with subtotals as in GROUPBY on both axes. A
/// two-parameter function (PERCENTOF) divides by, per `relative_to`:
/// 0 the column's total, 1 the row's total, 2 the grand total, 3 the
/// total of the column's parent group in the same row, 4 the total of the
/// row's parent group in the same column (Excel's "% of parent column /
/// row total": with one field on that axis the parent is the grand
/// total, so 3 equals 1 and 4 equals 0). `field_headers` 2 (headers made
/// up) is `#VALUE!`: Excel's labels for column fields are not documented.
pub(super) fn pivotby(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let row_fields = ctx.array(&args[0])?;
    let col_fields = ctx.array(&args[1])?;
    let values = ctx.array(&args[2])?;
    if row_fields.rows != values.rows || col_fields.rows != values.rows {
        return Err(ErrorKind::Value);
    }
    let function = ctx.callable(&args[3])?;
    let head = headers(ctx, args, 4, &values, row_fields.cols + col_fields.cols)?;
    // Microsoft's PIVOTBY page says only "No, but generate" for 2: the
    // labels Excel makes up for column fields, and the cells it puts them
    // in, are not documented, so 2 is refused rather than guessed.
    if head.generated {
        return Err(ErrorKind::Value);
    }
    let row_keys = sort_keys(ctx, args, 6, row_fields.cols, values.cols)?;
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
    let all: Rc<[usize]> = rows.as_slice().into();
    let row_lines = pivot_axis(ctx, args, 5, &row_fields, &row_keys, &summary, &rows, &all)?;
    let col_lines = pivot_axis(ctx, args, 7, &col_fields, &col_keys, &summary, &rows, &all)?;
    let n_values = summary.values.cols;
    let width = row_fields.cols + col_lines.len() * n_values;
    let height = col_fields.cols + usize::from(head.shown || n_values > 1) + row_lines.len();
    check_rows(height, width)?;
    let mut out: Vec<Vec<Value>> = Vec::new();
    // Column labels, one header row per column field.
    for level in 0..col_fields.cols {
        let mut row = vec![blank(); row_fields.cols];
        if head.shown && level == 0 {
            row[0] = col_fields.get(0, 0).clone();
        }
        for line in &col_lines {
            for v in 0..n_values {
                row.push(if v == 0 {
                    line.labels[level].clone()
                } else {
                    blank()
                });
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
        for _ in &col_lines {
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
    let two_parameters = summary.functions[0].arity() == 2;
    for r in &row_lines {
        let mut row = r.labels.clone();
        for c in &col_lines {
            let cell = common_rows(&r.rows, &c.rows);
            let parent_part;
            let whole: &[usize] = match relative_to {
                _ if !two_parameters => &[],
                1 => &r.rows,
                2 => &all,
                3 => {
                    parent_part = common_rows(&r.rows, &c.parent);
                    &parent_part
                }
                4 => {
                    parent_part = common_rows(&r.parent, &c.rows);
                    &parent_part
                }
                _ => &c.rows,
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
        ("D1", "Region"),
        ("D2", "East"),
        ("D3", "West"),
        ("D4", "East"),
        ("D5", "East"),
        ("D6", "West"),
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

    #[test]
    fn pivotby_refuses_made_up_headers() {
        // Excel's made-up labels for column fields are not documented.
        let one = |f: &str| eval_calc_in(workbook_with(SALES), "Sheet1", f);
        assert_eq!(
            one("=PIVOTBY(B2:B6,A2:A6,C2:C6,SUM,2)"),
            CalcValue::error(ErrorKind::Value)
        );
    }

    #[test]
    fn groupby_makes_up_headers_when_asked() {
        assert_eq!(
            rows("=GROUPBY(A2:A6,C2:C6,SUM,2,0)"),
            vec![
                vec![t("Row Field 1"), t("Value 1")],
                vec![num("2023"), num("20")],
                vec![num("2024"), num("60")],
            ]
        );
        assert_eq!(
            rows("=GROUPBY(A2:B6,C2:C6,SUM,2,0)")[0],
            vec![t("Row Field 1"), t("Row Field 2"), t("Value 1")]
        );
    }

    #[test]
    fn pivotby_has_subtotals_on_both_axes() {
        // Two row fields: a subtotal per year by default, then the total.
        assert_eq!(
            rows("=PIVOTBY(A2:B6,D2:D6,C2:C6,SUM)"),
            vec![
                vec![t(""), t(""), t("East"), t("West"), t("Total")],
                vec![num("2023"), t("Ink"), t(""), num("5"), num("5")],
                vec![num("2023"), t("Pens"), num("15"), t(""), num("15")],
                vec![num("2023"), t(""), num("15"), num("5"), num("20")],
                vec![num("2024"), t("Ink"), num("20"), t(""), num("20")],
                vec![num("2024"), t("Pens"), num("10"), num("30"), num("40")],
                vec![num("2024"), t(""), num("30"), num("30"), num("60")],
                vec![t("Total"), t(""), num("45"), num("35"), num("80")],
            ]
        );
        // Negative depths put the totals above their groups; depth 1 is
        // the grand total alone.
        let top = rows("=PIVOTBY(A2:B6,D2:D6,C2:C6,SUM,,-2,,0)");
        assert_eq!(top[1], vec![t("Total"), t(""), num("45"), num("35")]);
        assert_eq!(top[2], vec![num("2023"), t(""), num("15"), num("5")]);
        assert_eq!(top[3], vec![num("2023"), t("Ink"), t(""), num("5")]);
        assert_eq!(rows("=PIVOTBY(A2:B6,D2:D6,C2:C6,SUM,,1,,0)").len(), 6);
        // Two column fields: a subtotal column per region.
        let cols = rows("=PIVOTBY(B2:B6,HSTACK(D2:D6,A2:A6),C2:C6,SUM,,0)");
        assert_eq!(
            cols[0],
            vec![
                t(""),
                t("East"),
                t("East"),
                t("East"),
                t("West"),
                t("West"),
                t("West"),
                t("Total")
            ]
        );
        assert_eq!(
            cols[1],
            vec![
                t(""),
                num("2023"),
                num("2024"),
                t(""),
                num("2023"),
                num("2024"),
                t(""),
                t("")
            ]
        );
        assert_eq!(
            cols[3],
            vec![
                t("Pens"),
                num("15"),
                num("10"),
                num("25"),
                t(""),
                num("30"),
                num("30"),
                num("55")
            ]
        );
        // A negative column depth puts the total column first.
        assert_eq!(
            rows("=PIVOTBY(B2:B6,D2:D6,C2:C6,SUM,,0,,-1)")[0],
            vec![t(""), t("Total"), t("East"), t("West")]
        );
    }

    #[test]
    fn pivotby_percentof_relative_to_parent_totals() {
        // 3: the total of the column's parent group in the same row; with
        // one column field that is the row's total, as 1.
        let f = |relative_to: u8| {
            rows(&format!(
                "=PIVOTBY(A2:B6,D2:D6,C2:C6,PERCENTOF,,,,0,,,{relative_to})"
            ))
        };
        assert_eq!(f(3), f(1));
        assert_eq!(
            f(3)[5],
            vec![num("2024"), t("Pens"), num("0.25"), num("0.75")]
        );
        // 4: the total of the row's parent group in the same column: 2024
        // Pens East is 10 of 2024's 30 in the East; the 2023 subtotal is
        // 15 of the East's 45.
        let by_parent_row = f(4);
        let ratio = |v: &Value| match v {
            Value::Number(n) => n.to_f64(),
            other => panic!("{other:?}"),
        };
        assert!((ratio(&by_parent_row[5][2]) - 10.0 / 30.0).abs() < 1e-12);
        assert!((ratio(&by_parent_row[3][2]) - 15.0 / 45.0).abs() < 1e-12);
        assert_eq!(
            by_parent_row[7],
            vec![t("Total"), t(""), num("1"), num("1")]
        );
        // With one row field the parent is the grand total: 4 equals 0.
        let one_level = |relative_to: u8| {
            rows(&format!(
                "=PIVOTBY(B2:B6,D2:D6,C2:C6,PERCENTOF,,,,,,,{relative_to})"
            ))
        };
        assert_eq!(one_level(4), one_level(0));
        // Nested columns: Pens in the East in 2024 is 10 of the 25 Pens
        // sold in the East.
        let nested = rows("=PIVOTBY(B2:B6,HSTACK(D2:D6,A2:A6),C2:C6,PERCENTOF,,0,,0,,,3)");
        assert_eq!(nested[3][2], num("0.4"));
        assert_eq!(nested[3][1], num("0.6"));
    }
}
