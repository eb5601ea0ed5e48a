//! Sums and products of ranges (SUM, SUMIF(S), SUMPRODUCT, SUMX*),
//! SUBTOTAL and AGGREGATE: the functions that fold many cells into one
//! number and decide which cells take part.

use super::util::finite;
use crate::formula::criteria::{conditional_multi, conditional_single, Conditional};
use crate::formula::functions::util::{
    average, kth, max, median, min, mode, percentile, product_of, quartile, stdev, sum_of, variance,
};
use crate::formula::functions::*;
use crate::model::RowsLeftOut;

pub(super) fn sum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut total = Number::ZERO;
    ctx.for_each_number(args, Collect::Numbers, |n| total = total + n)?;
    Ok(CalcValue::number(finite(total)?))
}

pub(super) fn product(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut acc = Number::ONE;
    let mut any = false;
    ctx.for_each_number(args, Collect::Numbers, |n| {
        acc = acc * n;
        any = true;
    })?;
    // PRODUCT of nothing at all is 0, not 1.
    Ok(CalcValue::number(finite(if any {
        acc
    } else {
        Number::ZERO
    })?))
}

pub(super) fn sumsq(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut total = Number::ZERO;
    ctx.for_each_number(args, Collect::Numbers, |n| total = total + n * n)?;
    Ok(CalcValue::number(finite(total)?))
}

pub(super) fn sumif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_single(ctx, Conditional::Sum, args)
}

pub(super) fn sumifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_multi(ctx, Conditional::Sum, args)
}

/// The arrays of SUMPRODUCT-like functions, all of one shape.
fn same_shape_arrays(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Array>, ErrorKind> {
    let mut arrays = Vec::with_capacity(args.len());
    for a in args {
        let arr = ctx.array(a)?;
        if let Some(first) = arrays.first() {
            let first: &Array = first;
            if (first.rows, first.cols) != (arr.rows, arr.cols) {
                return Err(ErrorKind::Value);
            }
        }
        arrays.push(arr);
    }
    Ok(arrays)
}

pub(super) fn sumproduct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let arrays = same_shape_arrays(ctx, args)?;
    let mut total = Number::ZERO;
    for i in 0..arrays[0].values.len() {
        let mut p = Number::ONE;
        for a in &arrays {
            match &a.values[i] {
                Value::Number(n) => p = p * *n,
                Value::Date(d) => p = p * date_number(d),
                Value::Error(k) => return Err(*k),
                // Text, booleans and blanks count as zero.
                _ => p = Number::ZERO,
            }
        }
        total = total + p;
    }
    Ok(CalcValue::number(total))
}

/// SUMX2MY2 and friends: pairs of numbers at the same positions (pairs
/// with a non-number on either side are skipped).
fn sum_pairs(ctx: &mut CallContext, args: &[Expr], f: fn(Number, Number) -> Number) -> EvalResult {
    let arrays = [ctx.array(&args[0])?, ctx.array(&args[1])?];
    // Only the element counts must agree: a column pairs with a row.
    if arrays[0].values.len() != arrays[1].values.len() {
        return Err(ErrorKind::NA);
    }
    let mut total = Number::ZERO;
    for (x, y) in arrays[0].values.iter().zip(&arrays[1].values) {
        if let Value::Error(k) = x {
            return Err(*k);
        }
        if let Value::Error(k) = y {
            return Err(*k);
        }
        if let (Some(a), Some(b)) = (as_calc_number(x), as_calc_number(y)) {
            total = total + f(a, b);
        }
    }
    Ok(CalcValue::number(total))
}

pub(super) fn sumx2my2(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    sum_pairs(ctx, args, |a, b| a * a - b * b)
}

pub(super) fn sumx2py2(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    sum_pairs(ctx, args, |a, b| a * a + b * b)
}

pub(super) fn sumxmy2(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    sum_pairs(ctx, args, |a, b| (a - b) * (a - b))
}

/// Whether a cell's formula is itself a SUBTOTAL or AGGREGATE, which
/// SUBTOTAL and AGGREGATE skip so subtotals are not counted twice.
fn is_subtotal_formula(formula: &str) -> bool {
    let f = formula.to_ascii_uppercase();
    f.contains("SUBTOTAL(") || f.contains("AGGREGATE(")
}

/// The values SUBTOTAL/AGGREGATE aggregate: every value of the reference
/// arguments except cells holding SUBTOTAL/AGGREGATE formulas (when
/// `skip_nested`) and cells in rows `left_out` leaves out, plus array and
/// direct values. Errors stay values so the caller decides whether to
/// ignore them. Hidden columns always take part, as in Excel.
fn subtotal_values(
    ctx: &mut CallContext,
    args: &[Expr],
    skip_nested: bool,
    left_out: RowsLeftOut,
) -> Result<Vec<(Value, bool)>, ErrorKind> {
    let mut out = Vec::new();
    for a in args {
        let areas = match ctx.eval(a) {
            CalcValue::Ref(area) => vec![area],
            CalcValue::Refs(areas) => areas,
            other => {
                let is_array = matches!(other, CalcValue::Array(_));
                let arr = ctx.to_array(other)?;
                out.extend(arr.values.into_iter().map(|v| (v, !is_array)));
                continue;
            }
        };
        for area in areas {
            let mut found = Vec::new();
            ctx.for_each_cell(area, false, |r, c, v| {
                found.push((r, c, v.clone()));
                Ok(())
            })?;
            let book = ctx.workbook();
            let sheet = book.sheets.get(area.sheet);
            for (r, c, v) in found {
                let addr = CellAddr::new(area.range.start.row + r, area.range.start.col + c);
                if book.row_left_out(area.sheet, addr.row, left_out) {
                    continue;
                }
                let nested = sheet
                    .and_then(|s| s.cell(addr))
                    .and_then(|cell| cell.formula_text(addr))
                    .is_some_and(|f| is_subtotal_formula(&f));
                if !(skip_nested && nested) {
                    out.push((v, false));
                }
            }
        }
    }
    Ok(out)
}

/// Applies aggregate function `code` (1-19 as in AGGREGATE, 1-11 for
/// SUBTOTAL) to collected values. `k` is the second argument of
/// LARGE/SMALL/PERCENTILE/QUARTILE (14-19).
fn apply_aggregate(
    code: i64,
    values: &[(Value, bool)],
    k: Option<Number>,
) -> Result<Number, ErrorKind> {
    let mut nums = Vec::new();
    let mut counta = 0i64;
    for (v, direct) in values {
        if !v.is_empty() {
            counta += 1;
        }
        match v {
            Value::Number(n) => nums.push(*n),
            Value::Date(d) => nums.push(date_number(d)),
            Value::Error(e) if code != 3 => return Err(*e),
            Value::Bool(_) | Value::Text(_) if *direct && code != 3 => nums.push(to_number(v)?),
            _ => {}
        }
    }
    let need_k = || k.ok_or(ErrorKind::Value);
    match code {
        1 => average(&nums),
        2 => Ok(Number::from_i64(nums.len() as i64)),
        3 => Ok(Number::from_i64(counta)),
        4 => Ok(max(&nums)),
        5 => Ok(min(&nums)),
        6 => Ok(if nums.is_empty() {
            Number::ZERO
        } else {
            product_of(&nums)
        }),
        7 => stdev(&nums, true),
        8 => stdev(&nums, false),
        9 => Ok(sum_of(&nums)),
        10 => variance(&nums, true),
        11 => variance(&nums, false),
        12 => median(&nums),
        13 => mode(&nums),
        14 => kth(&nums, need_k()?, true),
        15 => kth(&nums, need_k()?, false),
        16 => percentile(&nums, need_k()?, false),
        17 => quartile(&nums, need_k()?, false),
        18 => percentile(&nums, need_k()?, true),
        19 => quartile(&nums, need_k()?, true),
        _ => Err(ErrorKind::Value),
    }
}

/// SUBTOTAL(function_num, ref1, ...): 1-11 leave out rows a filter hid,
/// 101-111 every hidden row. Cells holding SUBTOTAL or AGGREGATE formulas
/// are skipped.
pub(super) fn subtotal(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let code = ctx.int(&args[0])?;
    let (code, left_out) = match code {
        1..=11 => (code, RowsLeftOut::Filtered),
        101..=111 => (code - 100, RowsLeftOut::Hidden),
        _ => return Err(ErrorKind::Value),
    };
    let values = subtotal_values(ctx, &args[1..], true, left_out)?;
    Ok(CalcValue::number(apply_aggregate(code, &values, None)?))
}

/// AGGREGATE(function_num, options, ref1, [ref2 | k], ...). Options
/// 0-3 skip nested SUBTOTAL/AGGREGATE cells, 2, 3, 6 and 7 skip errors,
/// 1, 3, 5 and 7 skip hidden rows.
pub(super) fn aggregate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let code = ctx.int(&args[0])?;
    let options = if CallContext::is_missing(args, 1) {
        0
    } else {
        ctx.int(&args[1])?
    };
    if !(1..=19).contains(&code) || !(0..=7).contains(&options) {
        return Err(ErrorKind::Value);
    }
    let skip_nested = options <= 3;
    let skip_errors = matches!(options, 2 | 3 | 6 | 7);
    let left_out = if options % 2 == 1 {
        RowsLeftOut::Hidden
    } else {
        RowsLeftOut::None
    };
    let (refs, k) = if code >= 14 {
        if args.len() != 4 {
            return Err(ErrorKind::Value);
        }
        (&args[2..3], Some(ctx.number(&args[3])?))
    } else {
        (&args[2..], None)
    };
    let mut values = subtotal_values(ctx, refs, skip_nested, left_out)?;
    if skip_errors {
        values.retain(|(v, _)| !matches!(v, Value::Error(_)));
    }
    Ok(CalcValue::number(apply_aggregate(code, &values, k)?))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::err;

    use crate::formula::testing::{eval_calc, eval_in, eval_str, eval_with, num, workbook_with};
    use crate::model::{ErrorKind, RangeAddr};

    const SALES: [(&str, &str); 12] = [
        ("A1", "East"),
        ("A2", "West"),
        ("A3", "East"),
        ("A4", "North"),
        ("B1", "100.10"),
        ("B2", "200.20"),
        ("B3", "300.30"),
        ("B4", "400.40"),
        ("C1", "apples"),
        ("C2", "pears"),
        ("C3", "apricots"),
        ("C4", "apples"),
    ];

    #[test]
    fn sums_of_money_are_exact() {
        assert_eq!(eval_str("=SUM(0.1,0.2)"), num("0.3"));
        assert_eq!(eval_with(&SALES, "=SUM(B1:B4)"), num("1001.00"));
        assert_eq!(eval_with(&SALES, "=SUMPRODUCT(B1:B2,{2;3})"), num("800.80"));
        assert_eq!(
            eval_with(&SALES, "=SUMPRODUCT(B1:B2,B1:B3)"),
            err(ErrorKind::Value)
        );
        assert_eq!(eval_str("=SUMSQ(3,4)"), num("25"));
        assert_eq!(eval_str("=PRODUCT(1.1,1.1)"), num("1.21"));
        assert_eq!(eval_str("=SUMX2MY2({2,3},{1,1})"), num("11"));
        assert_eq!(eval_str("=SUMXMY2({2,3},{1,1})"), num("5"));
    }

    #[test]
    fn sumif_and_sumifs() {
        assert_eq!(
            eval_with(&SALES, "=SUMIF(A1:A4,\"East\",B1:B4)"),
            num("400.40")
        );
        // The sum range takes the criteria range's shape from its top-left.
        assert_eq!(
            eval_with(&SALES, "=SUMIF(A1:A4,\"east\",B1)"),
            num("400.40")
        );
        assert_eq!(eval_with(&SALES, "=SUMIF(B1:B4,\">=300\")"), num("700.70"));
        assert_eq!(
            eval_with(&SALES, "=SUMIF(A1:A4,\"<>East\",B1:B4)"),
            num("600.60")
        );
        assert_eq!(
            eval_with(&SALES, "=SUMIFS(B1:B4,A1:A4,\"East\",C1:C4,\"ap*\")"),
            num("400.40")
        );
        assert_eq!(
            eval_with(&SALES, "=SUMIFS(B1:B4,C1:C4,\"a?ples\")"),
            num("500.50")
        );
        assert_eq!(
            eval_with(&SALES, "=SUMIFS(B1:B4,A1:A3,\"East\")"),
            err(ErrorKind::Value)
        );
        assert_eq!(
            eval_calc("=SUMIF({1,2,3},{\">1\",\">2\"})"),
            crate::formula::calc::CalcValue::Array(crate::formula::calc::Array::row(vec![
                num("5"),
                num("3")
            ]))
        );
    }

    #[test]
    fn subtotal_skips_nested_subtotals() {
        let cells = [
            ("A1", "10"),
            ("A2", "20"),
            ("A3", "=SUBTOTAL(9,A1:A2)"),
            ("A4", "5"),
        ];
        assert_eq!(eval_with(&cells, "=SUBTOTAL(9,A1:A4)"), num("35"));
        assert_eq!(eval_with(&cells, "=SUBTOTAL(109,A1:A4)"), num("35"));
        assert_eq!(eval_with(&cells, "=SUM(A1:A4)"), num("65"));
        assert_eq!(eval_with(&cells, "=SUBTOTAL(2,A1:A4)"), num("3"));
        assert_eq!(eval_with(&cells, "=SUBTOTAL(4,A1:A4)"), num("20"));
        assert_eq!(
            eval_with(&cells, "=SUBTOTAL(12,A1:A4)"),
            err(ErrorKind::Value)
        );
    }

    #[test]
    fn hidden_and_filtered_rows_are_left_out_as_excel_does() {
        // A1 is the filter header; rows 3 and 4 are filtered out, row 7
        // (past the filter) hidden by hand.
        let mut cells: Vec<(String, String)> = Vec::new();
        for row in 1..=8 {
            cells.push((format!("A{row}"), format!("{}", row * 10)));
        }
        let cells: Vec<(&str, &str)> = cells
            .iter()
            .map(|(a, v)| (a.as_str(), v.as_str()))
            .collect();
        let book = || {
            let mut wb = workbook_with(&cells);
            let sheet = wb.sheet_mut("Sheet1").unwrap();
            for row in [2, 3, 6] {
                sheet.hidden_rows.hide(row);
            }
            sheet.auto_filter = RangeAddr::parse("A1:A5");
            wb
        };
        let eval = |f: &str| eval_in(book(), "Sheet1", f);
        // 10 + 20 + ... + 80 = 360; filtered rows hold 30 and 40, the
        // row hidden by hand 70.
        assert_eq!(eval("=SUM(A1:A8)"), num("360"));
        assert_eq!(eval("=SUBTOTAL(9,A1:A8)"), num("290"));
        assert_eq!(eval("=SUBTOTAL(109,A1:A8)"), num("220"));
        assert_eq!(eval("=SUBTOTAL(102,A1:A8)"), num("5"));
        assert_eq!(eval("=AGGREGATE(9,5,A1:A8)"), num("220"));
        assert_eq!(eval("=AGGREGATE(9,4,A1:A8)"), num("360"));
        assert_eq!(eval("=AGGREGATE(14,7,A1:A8,1)"), num("80"));
        assert_eq!(eval("=AGGREGATE(14,7,A1:A7,1)"), num("60"));
        // Arrays have no rows to hide.
        assert_eq!(eval("=SUBTOTAL(109,{1,2})"), num("3"));
    }

    #[test]
    fn aggregate_ignores_errors_on_request() {
        let cells = [
            ("A1", "10"),
            ("A2", "=1/0"),
            ("A3", "30"),
            ("A4", "=AGGREGATE(9,6,A1:A3)"),
        ];
        assert_eq!(eval_with(&cells, "=AGGREGATE(9,6,A1:A3)"), num("40"));
        assert_eq!(
            eval_with(&cells, "=AGGREGATE(9,4,A1:A3)"),
            err(ErrorKind::Div0)
        );
        // Options 0-3 skip nested AGGREGATE cells; 4-7 keep them.
        assert_eq!(eval_with(&cells, "=AGGREGATE(9,3,A1:A4)"), num("40"));
        assert_eq!(eval_with(&cells, "=AGGREGATE(9,6,A1:A4)"), num("80"));
        assert_eq!(eval_with(&cells, "=AGGREGATE(14,6,A1:A3,1)"), num("30"));
        assert_eq!(eval_with(&cells, "=AGGREGATE(15,6,A1:A3,1)"), num("10"));
        assert_eq!(eval_with(&cells, "=AGGREGATE(12,6,A1:A3)"), num("20"));
    }
}
