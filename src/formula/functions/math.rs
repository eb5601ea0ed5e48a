//! Mathematical and trigonometric functions (SUM, ROUND, MOD, ...).
//!
//! Money stays exact: sums, products, rounding, MOD, MROUND, CEILING and
//! FLOOR all work on decimals (ROUND is half away from zero, like Excel).
//! Only inherently inexact functions (SQRT, EXP, LN, trigonometry) go
//! through floats, and their results come back exact when the float is a
//! clean decimal (`SQRT(16)` is exactly 4).

use super::criteria::{conditional_multi, conditional_single, Conditional};
use super::*;
use crate::formula::eval::broadcast;
use rust_decimal::prelude::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("SUM", 1, MANY, "Adds numbers, references and arrays", sum),
    FunctionSpec::new("SUMIF", 2, 3, "Adds the cells that meet a criterion", sumif),
    FunctionSpec::new(
        "SUMIFS",
        3,
        MANY,
        "Adds the cells that meet every criterion",
        sumifs,
    ),
    FunctionSpec::new(
        "SUMPRODUCT",
        1,
        MANY,
        "Sum of the products of matching array elements",
        sumproduct,
    ),
    FunctionSpec::new(
        "SUMSQ",
        1,
        MANY,
        "Sum of the squares of the arguments",
        sumsq,
    ),
    FunctionSpec::new(
        "SUMX2MY2",
        2,
        2,
        "Sum of the differences of squares of two arrays",
        sumx2my2,
    ),
    FunctionSpec::new(
        "SUMX2PY2",
        2,
        2,
        "Sum of the sums of squares of two arrays",
        sumx2py2,
    ),
    FunctionSpec::new(
        "SUMXMY2",
        2,
        2,
        "Sum of the squared differences of two arrays",
        sumxmy2,
    ),
    FunctionSpec::new(
        "SUBTOTAL",
        2,
        MANY,
        "Aggregate that ignores other SUBTOTAL/AGGREGATE cells",
        subtotal,
    ),
    FunctionSpec::new(
        "AGGREGATE",
        3,
        MANY,
        "Aggregate that can ignore errors and nested subtotals",
        aggregate,
    ),
    FunctionSpec::new(
        "PRODUCT",
        1,
        MANY,
        "Multiplies numbers, references and arrays",
        product,
    ),
    FunctionSpec::new(
        "ROUND",
        2,
        2,
        "Rounds half away from zero to a number of digits",
        round_fn,
    ),
    FunctionSpec::new("ROUNDUP", 2, 2, "Rounds away from zero", roundup_fn),
    FunctionSpec::new("ROUNDDOWN", 2, 2, "Rounds toward zero", rounddown_fn),
    FunctionSpec::new("MROUND", 2, 2, "Rounds to the nearest multiple", mround_fn),
    FunctionSpec::new(
        "CEILING",
        2,
        2,
        "Rounds up to a multiple of significance",
        ceiling_fn,
    ),
    FunctionSpec::new(
        "CEILING.MATH",
        1,
        3,
        "Rounds up to a multiple (mode for negatives)",
        ceiling_math_fn,
    ),
    FunctionSpec::new(
        "CEILING.PRECISE",
        1,
        2,
        "Rounds toward +infinity to a multiple",
        ceiling_precise_fn,
    ),
    FunctionSpec::new(
        "ISO.CEILING",
        1,
        2,
        "Rounds toward +infinity to a multiple",
        ceiling_precise_fn,
    ),
    FunctionSpec::new(
        "FLOOR",
        2,
        2,
        "Rounds down to a multiple of significance",
        floor_fn,
    ),
    FunctionSpec::new(
        "FLOOR.MATH",
        1,
        3,
        "Rounds down to a multiple (mode for negatives)",
        floor_math_fn,
    ),
    FunctionSpec::new(
        "FLOOR.PRECISE",
        1,
        2,
        "Rounds toward -infinity to a multiple",
        floor_precise_fn,
    ),
    FunctionSpec::new("INT", 1, 1, "Rounds down to an integer", int_fn),
    FunctionSpec::new("TRUNC", 1, 2, "Truncates to a number of digits", trunc_fn),
    FunctionSpec::new("ABS", 1, 1, "Absolute value", abs_fn),
    FunctionSpec::new("SIGN", 1, 1, "1, 0 or -1 by sign", sign_fn),
    FunctionSpec::new("MOD", 2, 2, "Remainder with the divisor's sign", mod_fn),
    FunctionSpec::new("QUOTIENT", 2, 2, "Integer part of a division", quotient_fn),
    FunctionSpec::new("POWER", 2, 2, "A number raised to a power", power_fn),
    FunctionSpec::new("SQRT", 1, 1, "Square root", sqrt_fn),
    FunctionSpec::new(
        "SQRTPI",
        1,
        1,
        "Square root of a number times pi",
        sqrtpi_fn,
    ),
    FunctionSpec::new("EXP", 1, 1, "e raised to a power", exp_fn),
    FunctionSpec::new("LN", 1, 1, "Natural logarithm", ln_fn),
    FunctionSpec::new("LOG", 1, 2, "Logarithm to a base (10 by default)", log_fn),
    FunctionSpec::new("LOG10", 1, 1, "Base-10 logarithm", log10_fn),
    FunctionSpec::new("PI", 0, 0, "The number pi", pi_fn),
    FunctionSpec::new("RAND", 0, 0, "Random number in [0, 1)", rand_fn).volatile(),
    FunctionSpec::new(
        "RANDBETWEEN",
        2,
        2,
        "Random integer between two bounds",
        randbetween_fn,
    )
    .volatile(),
    FunctionSpec::new(
        "EVEN",
        1,
        1,
        "Rounds away from zero to an even integer",
        even_fn,
    ),
    FunctionSpec::new(
        "ODD",
        1,
        1,
        "Rounds away from zero to an odd integer",
        odd_fn,
    ),
    FunctionSpec::new("FACT", 1, 1, "Factorial", fact_fn),
    FunctionSpec::new("FACTDOUBLE", 1, 1, "Double factorial", factdouble_fn),
    FunctionSpec::new("GCD", 1, MANY, "Greatest common divisor", gcd_fn),
    FunctionSpec::new("LCM", 1, MANY, "Least common multiple", lcm_fn),
    FunctionSpec::new("COMBIN", 2, 2, "Number of combinations", combin_fn),
    FunctionSpec::new(
        "COMBINA",
        2,
        2,
        "Number of combinations with repetition",
        combina_fn,
    ),
    FunctionSpec::new(
        "MULTINOMIAL",
        1,
        MANY,
        "Multinomial coefficient",
        multinomial_fn,
    ),
    FunctionSpec::new("ROMAN", 1, 2, "A number as Roman numerals", roman_fn),
    FunctionSpec::new("ARABIC", 1, 1, "Roman numerals as a number", arabic_fn),
    FunctionSpec::new("DEGREES", 1, 1, "Radians to degrees", degrees_fn),
    FunctionSpec::new("RADIANS", 1, 1, "Degrees to radians", radians_fn),
    FunctionSpec::new("SIN", 1, 1, "Sine", sin_fn),
    FunctionSpec::new("COS", 1, 1, "Cosine", cos_fn),
    FunctionSpec::new("TAN", 1, 1, "Tangent", tan_fn),
    FunctionSpec::new("ASIN", 1, 1, "Arcsine", asin_fn),
    FunctionSpec::new("ACOS", 1, 1, "Arccosine", acos_fn),
    FunctionSpec::new("ATAN", 1, 1, "Arctangent", atan_fn),
    FunctionSpec::new("ATAN2", 2, 2, "Arctangent of x and y coordinates", atan2_fn),
    FunctionSpec::new("SINH", 1, 1, "Hyperbolic sine", sinh_fn),
    FunctionSpec::new("COSH", 1, 1, "Hyperbolic cosine", cosh_fn),
    FunctionSpec::new("TANH", 1, 1, "Hyperbolic tangent", tanh_fn),
    FunctionSpec::new("ASINH", 1, 1, "Inverse hyperbolic sine", asinh_fn),
    FunctionSpec::new("ACOSH", 1, 1, "Inverse hyperbolic cosine", acosh_fn),
    FunctionSpec::new("ATANH", 1, 1, "Inverse hyperbolic tangent", atanh_fn),
    FunctionSpec::new("COT", 1, 1, "Cotangent", cot_fn),
    FunctionSpec::new("COTH", 1, 1, "Hyperbolic cotangent", coth_fn),
    FunctionSpec::new("CSC", 1, 1, "Cosecant", csc_fn),
    FunctionSpec::new("CSCH", 1, 1, "Hyperbolic cosecant", csch_fn),
    FunctionSpec::new("SEC", 1, 1, "Secant", sec_fn),
    FunctionSpec::new("SECH", 1, 1, "Hyperbolic secant", sech_fn),
    FunctionSpec::new("ACOT", 1, 1, "Arccotangent", acot_fn),
    FunctionSpec::new("ACOTH", 1, 1, "Inverse hyperbolic cotangent", acoth_fn),
    FunctionSpec::new("BASE", 2, 3, "A number as text in another base", base_fn),
    FunctionSpec::new(
        "DECIMAL",
        2,
        2,
        "Text in another base as a number",
        decimal_fn,
    ),
    FunctionSpec::new("SERIESSUM", 4, 4, "Sum of a power series", seriessum_fn),
    FunctionSpec::new("MUNIT", 1, 1, "Identity matrix", munit_fn),
    FunctionSpec::new("MMULT", 2, 2, "Matrix product", mmult_fn),
    FunctionSpec::new("MDETERM", 1, 1, "Matrix determinant", mdeterm_fn),
    FunctionSpec::new("MINVERSE", 1, 1, "Matrix inverse", minverse_fn),
];

// ---- argument plumbing -------------------------------------------------

/// A unary numeric function lifted over arrays (`ROUND({1.25,2.5},0)`
/// spills); a reference is reduced by implicit intersection.
fn unary(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(Number) -> Result<Number, ErrorKind>,
) -> EvalResult {
    ctx.map_value(&args[0], |v| Ok(Value::Number(finite(f(to_number(v)?)?)?)))
}

/// A result that overflowed to an infinite float is `#NUM!`.
fn finite(n: Number) -> NumResult {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(ErrorKind::Num)
    }
}

/// An operand for a lifted function: arrays stay arrays (and, in array
/// mode, so do multi-cell references); otherwise a reference is reduced
/// by implicit intersection like any scalar argument.
fn operand(ctx: &mut CallContext, e: &Expr) -> CalcValue {
    match ctx.lift(e) {
        CalcValue::Array(a) => CalcValue::Array(a),
        other => CalcValue::Value(ctx.to_scalar(other)),
    }
}

/// A binary numeric function lifted over arrays with broadcasting.
fn binary(
    ctx: &mut CallContext,
    args: &[Expr],
    default_second: Option<Number>,
    f: impl Fn(Number, Number) -> Result<Number, ErrorKind>,
) -> EvalResult {
    let a = operand(ctx, &args[0]);
    let b = match (args.get(1), default_second) {
        (None | Some(Expr::Missing), Some(d)) => CalcValue::Value(Value::Number(d)),
        (Some(e), _) => operand(ctx, e),
        (None, None) => CalcValue::Value(Value::Empty),
    };
    let r = broadcast(a, b, |x, y| {
        match to_number(x)
            .and_then(|x| Ok((x, to_number(y)?)))
            .and_then(|(x, y)| f(x, y))
            .and_then(finite)
        {
            Ok(n) => Value::Number(n),
            Err(k) => Value::Error(k),
        }
    });
    match r {
        CalcValue::Value(Value::Error(k)) => Err(k),
        v => Ok(v),
    }
}

/// A float function of one number; non-finite results are `#NUM!`.
fn float1(ctx: &mut CallContext, args: &[Expr], f: impl Fn(f64) -> NumResult) -> EvalResult {
    unary(ctx, args, |n| f(n.to_f64()))
}

// ---- sums and products -------------------------------------------------

fn sum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut total = Number::ZERO;
    ctx.for_each_number(args, Collect::Numbers, |n| total = total + n)?;
    Ok(CalcValue::number(finite(total)?))
}

fn product(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

fn sumsq(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut total = Number::ZERO;
    ctx.for_each_number(args, Collect::Numbers, |n| total = total + n * n)?;
    Ok(CalcValue::number(finite(total)?))
}

fn sumif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    conditional_single(ctx, Conditional::Sum, args)
}

fn sumifs(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

fn sumproduct(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

fn sumx2my2(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    sum_pairs(ctx, args, |a, b| a * a - b * b)
}

fn sumx2py2(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    sum_pairs(ctx, args, |a, b| a * a + b * b)
}

fn sumxmy2(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    sum_pairs(ctx, args, |a, b| (a - b) * (a - b))
}

// ---- SUBTOTAL and AGGREGATE ---------------------------------------------

/// Whether a cell's formula is itself a SUBTOTAL or AGGREGATE, which
/// SUBTOTAL and AGGREGATE skip so subtotals are not counted twice.
fn is_subtotal_formula(formula: &str) -> bool {
    let f = formula.to_ascii_uppercase();
    f.contains("SUBTOTAL(") || f.contains("AGGREGATE(")
}

/// The values SUBTOTAL/AGGREGATE aggregate: every value of the reference
/// arguments except cells holding SUBTOTAL/AGGREGATE formulas (when
/// `skip_nested`), plus array and direct values. Errors stay values so
/// the caller decides whether to ignore them.
fn subtotal_values(
    ctx: &mut CallContext,
    args: &[Expr],
    skip_nested: bool,
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
            let sheet = ctx.workbook().sheets.get(area.sheet);
            for (r, c, v) in found {
                let addr = CellAddr::new(area.range.start.row + r, area.range.start.col + c);
                let nested = sheet
                    .and_then(|s| s.cell(addr))
                    .and_then(|cell| cell.formula.as_deref())
                    .is_some_and(is_subtotal_formula);
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
    use super::statistical as st;
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
        1 => st::average(&nums),
        2 => Ok(Number::from_i64(nums.len() as i64)),
        3 => Ok(Number::from_i64(counta)),
        4 => Ok(st::max(&nums)),
        5 => Ok(st::min(&nums)),
        6 => Ok(if nums.is_empty() {
            Number::ZERO
        } else {
            product_of(&nums)
        }),
        7 => st::stdev(&nums, true),
        8 => st::stdev(&nums, false),
        9 => Ok(sum_of(&nums)),
        10 => st::variance(&nums, true),
        11 => st::variance(&nums, false),
        12 => st::median(&nums),
        13 => st::mode(&nums),
        14 => st::kth(&nums, need_k()?, true),
        15 => st::kth(&nums, need_k()?, false),
        16 => st::percentile(&nums, need_k()?, false),
        17 => st::quartile(&nums, need_k()?, false),
        18 => st::percentile(&nums, need_k()?, true),
        19 => st::quartile(&nums, need_k()?, true),
        _ => Err(ErrorKind::Value),
    }
}

/// SUBTOTAL(function_num, ref1, ...): 1-11 and 101-111. The 10x forms
/// also skip hidden rows in Excel; the model keeps no row-hidden flags,
/// so they behave like 1-11 (correct for every sheet without hidden
/// rows). Cells holding SUBTOTAL or AGGREGATE formulas are skipped.
fn subtotal(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let code = ctx.int(&args[0])?;
    let code = match code {
        1..=11 => code,
        101..=111 => code - 100,
        _ => return Err(ErrorKind::Value),
    };
    let values = subtotal_values(ctx, &args[1..], true)?;
    Ok(CalcValue::number(apply_aggregate(code, &values, None)?))
}

/// AGGREGATE(function_num, options, ref1, [ref2 | k], ...). Options
/// 0-3 skip nested SUBTOTAL/AGGREGATE cells, 2, 3, 6 and 7 skip errors;
/// hidden rows (options 1, 3, 5, 7) are not tracked by the model, see
/// SUBTOTAL.
fn aggregate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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
    let (refs, k) = if code >= 14 {
        if args.len() != 4 {
            return Err(ErrorKind::Value);
        }
        (&args[2..3], Some(ctx.number(&args[3])?))
    } else {
        (&args[2..], None)
    };
    let mut values = subtotal_values(ctx, refs, skip_nested)?;
    if skip_errors {
        values.retain(|(v, _)| !matches!(v, Value::Error(_)));
    }
    Ok(CalcValue::number(apply_aggregate(code, &values, k)?))
}

// ---- rounding ------------------------------------------------------------

fn round_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, d| Ok(round(n, digits_arg(d))))
}

fn roundup_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, d| Ok(round_up(n, digits_arg(d))))
}

fn rounddown_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, d| Ok(round_down(n, digits_arg(d))))
}

fn trunc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::ZERO), |n, d| {
        Ok(round_down(n, digits_arg(d)))
    })
}

fn mround_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // An omitted argument is #N/A here (an Analysis ToolPak function).
    if args.iter().any(|a| matches!(a, Expr::Missing)) {
        return Err(ErrorKind::NA);
    }
    // Booleans are refused too, even from cells.
    for a in args {
        if matches!(ctx.scalar(a), Value::Bool(_)) {
            return Err(ErrorKind::Value);
        }
    }
    binary(ctx, args, None, mround)
}

fn ceiling_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, ceiling)
}

fn floor_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, floor)
}

/// CEILING.MATH / FLOOR.MATH: (number, [significance = 1], [mode = 0]).
fn math_rounding(
    ctx: &mut CallContext,
    args: &[Expr],
    f: fn(Number, Number, bool) -> NumResult,
) -> EvalResult {
    let mode = if CallContext::is_missing(args, 2) {
        false
    } else {
        !ctx.number(&args[2])?.is_zero()
    };
    binary(
        ctx,
        &args[..args.len().min(2)],
        Some(Number::ONE),
        move |n, s| f(n, s, mode),
    )
}

fn ceiling_math_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    math_rounding(ctx, args, ceiling_math)
}

fn floor_math_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    math_rounding(ctx, args, floor_math)
}

fn ceiling_precise_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::ONE), ceiling_precise)
}

fn floor_precise_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::ONE), floor_precise)
}

fn int_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(floor_int(n)))
}

fn abs_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(n.abs()))
}

fn sign_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(sign(n)))
}

fn mod_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, modulo)
}

fn quotient_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, quotient)
}

fn even_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(even(n)))
}

fn odd_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| Ok(odd(n)))
}

// ---- powers, roots, logarithms -----------------------------------------

fn power_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |x, y| {
        match crate::formula::eval::power(x, y) {
            Value::Number(n) => Ok(n),
            Value::Error(k) => Err(k),
            _ => Err(ErrorKind::Value),
        }
    })
}

fn sqrt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, sqrt)
}

fn sqrtpi_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x < 0.0 {
            Err(ErrorKind::Num)
        } else {
            float_result((x * std::f64::consts::PI).sqrt())
        }
    })
}

fn exp_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, exp)
}

fn ln_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, ln)
}

fn log_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, Some(Number::from_i64(10)), log)
}

fn log10_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |n| log(n, Number::from_i64(10)))
}

fn pi_fn(_ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::Value(Value::Number(Number::Float(
        std::f64::consts::PI,
    ))))
}

// ---- random numbers ----------------------------------------------------

/// A splitmix64 step: small, fast and good enough for spreadsheet RAND.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

thread_local! {
    /// Calls so far in this thread, so two RANDs in one cell differ.
    static RAND_CALLS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A uniform float in [0, 1). Seeded from the engine clock (fixed by the
/// engine options, so a run with a fixed clock is reproducible), the
/// cell being computed and a per-thread call counter.
fn next_random(ctx: &CallContext) -> f64 {
    let now = ctx.now();
    let cell = ctx.current_cell().unwrap_or_default();
    let calls = RAND_CALLS.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    let mut state = (now.and_utc().timestamp_nanos_opt().unwrap_or(0) as u64)
        ^ (u64::from(cell.row) << 20)
        ^ u64::from(cell.col)
        ^ ((ctx.current_sheet() as u64) << 40)
        ^ calls.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64
}

fn rand_fn(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(next_random(ctx)))
}

fn randbetween_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let lo = ceil_int(ctx.number(&args[0])?);
    let hi = floor_int(ctx.number(&args[1])?);
    if lo > hi {
        return Err(ErrorKind::Num);
    }
    let span = (hi - lo + Number::ONE).to_f64();
    let offset = (next_random(ctx) * span).floor();
    Ok(CalcValue::number(lo + Number::from_f64(offset)))
}

// ---- integers ------------------------------------------------------------

fn fact_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, fact)
}

fn factdouble_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, fact_double)
}

fn gcd_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = integer_args(ctx, args)?;
    Ok(CalcValue::number(gcd(&nums)?))
}

fn lcm_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = integer_args(ctx, args)?;
    Ok(CalcValue::number(lcm(&nums)?))
}

/// Numbers of GCD/LCM/MULTINOMIAL, with the Analysis ToolPak's strict
/// rules: an omitted argument is `#N/A`, booleans anywhere are
/// `#VALUE!`, text anywhere must read as a number; an empty cell inside
/// a multi-cell range counts as 0 while an empty single-cell argument is
/// skipped, and finding no number at all is `#VALUE!`.
fn integer_args(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<Number>, ErrorKind> {
    if args.iter().any(|a| matches!(a, Expr::Missing)) {
        return Err(ErrorKind::NA);
    }
    let mut out = Vec::new();
    for a in args {
        let v = ctx.eval_array_mode(a);
        let is_block = match &v {
            CalcValue::Array(_) => true,
            CalcValue::Ref(area) => !area.is_cell(),
            CalcValue::Refs(_) => true,
            CalcValue::Value(_) => false,
        };
        if is_block {
            for x in &ctx.to_array(v)?.values {
                out.push(match x {
                    Value::Empty => Number::ZERO,
                    Value::Bool(_) => return Err(ErrorKind::Value),
                    x => to_number(x)?,
                });
            }
        } else {
            match ctx.to_scalar(v) {
                Value::Empty => {}
                Value::Bool(_) => return Err(ErrorKind::Value),
                x => out.push(to_number(&x)?),
            }
        }
    }
    if out.is_empty() {
        return Err(ErrorKind::Value);
    }
    Ok(out)
}

fn combin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, k| combin(trunc_int(n), trunc_int(k)))
}

fn combina_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    binary(ctx, args, None, |n, k| {
        let (n, k) = (trunc_int(n), trunc_int(k));
        if n < Number::ZERO || k < Number::ZERO {
            return Err(ErrorKind::Num);
        }
        if n.is_zero() && k.is_zero() {
            return Ok(Number::ONE);
        }
        combin(n + k - Number::ONE, k)
    })
}

/// COMBIN: n choose k, exact while it fits a decimal.
pub fn combin(n: Number, k: Number) -> NumResult {
    if n < Number::ZERO || k < Number::ZERO || k > n {
        return Err(ErrorKind::Num);
    }
    let (n, k) = (
        n.to_i64().ok_or(ErrorKind::Num)?,
        k.to_i64().ok_or(ErrorKind::Num)?,
    );
    let k = k.min(n - k);
    // C(n, k) with n >= 2k exceeds the largest double once k passes ~515.
    if k > 1100 {
        return Err(ErrorKind::Num);
    }
    let mut acc = Number::ONE;
    for i in 0..k {
        // Multiplying before dividing keeps every step an integer.
        acc = (acc * Number::from_i64(n - i))
            .checked_div(Number::from_i64(i + 1))
            .ok_or(ErrorKind::Num)?;
    }
    if acc.is_finite() {
        Ok(round(acc, 0))
    } else {
        Err(ErrorKind::Num)
    }
}

fn multinomial_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = integer_args(ctx, args)?;
    let mut total = Number::ZERO;
    let mut acc = Number::ONE;
    for n in nums {
        let n = trunc_int(n);
        if n < Number::ZERO {
            return Err(ErrorKind::Num);
        }
        total = total + n;
        acc = acc * combin(total, n)?;
    }
    Ok(CalcValue::number(acc))
}

fn roman_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.number(&args[0])?;
    let form = if CallContext::is_missing(args, 1) {
        0
    } else {
        match ctx.value(&args[1])? {
            Value::Bool(true) => 0,
            Value::Bool(false) => 4,
            v => to_number(&v)?.to_i64().ok_or(ErrorKind::Value)?,
        }
    };
    let n = n.to_i64().ok_or(ErrorKind::Value)?;
    Ok(CalcValue::text(roman(n, form)?))
}

fn arabic_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let t = ctx.text(&args[0])?;
    Ok(CalcValue::number(arabic(&t)?))
}

// ---- trigonometry ---------------------------------------------------------

/// Excel refuses trigonometry on arguments of 2^27 and beyond.
const TRIG_LIMIT: f64 = 134_217_728.0;

fn trig(x: f64, f: fn(f64) -> f64) -> NumResult {
    if x.abs() >= TRIG_LIMIT {
        return Err(ErrorKind::Num);
    }
    float_result(f(x))
}

fn degrees_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.to_degrees()))
}

fn radians_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.to_radians()))
}

fn sin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| trig(x, f64::sin))
}

fn cos_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| trig(x, f64::cos))
}

fn tan_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| trig(x, f64::tan))
}

fn asin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() > 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.asin())
        }
    })
}

fn acos_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() > 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.acos())
        }
    })
}

fn atan_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.atan()))
}

fn atan2_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // Excel's order is (x, y), the reverse of most libraries.
    binary(ctx, args, None, |x, y| {
        let (x, y) = (x.to_f64(), y.to_f64());
        if x == 0.0 && y == 0.0 {
            return Err(ErrorKind::Div0);
        }
        float_result(y.atan2(x))
    })
}

fn sinh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.sinh()))
}

fn cosh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.cosh()))
}

fn tanh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.tanh()))
}

fn asinh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| float_result(x.asinh()))
}

fn acosh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x < 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.acosh())
        }
    })
}

fn atanh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() >= 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(x.atanh())
        }
    })
}

/// 1/f(x), `#DIV/0!` where f is zero.
fn reciprocal(x: f64, f: fn(f64) -> f64) -> NumResult {
    if x.abs() >= TRIG_LIMIT {
        return Err(ErrorKind::Num);
    }
    let d = f(x);
    if d == 0.0 {
        return Err(ErrorKind::Div0);
    }
    float_result(1.0 / d)
}

fn cot_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| reciprocal(x, f64::tan))
}

/// 1/f(x) for the hyperbolic functions, which have no argument limit:
/// an infinite f(x) gives 0.
fn hyperbolic_reciprocal(x: f64, f: fn(f64) -> f64) -> NumResult {
    let d = f(x);
    if d == 0.0 {
        return Err(ErrorKind::Div0);
    }
    float_result(1.0 / d)
}

fn coth_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| hyperbolic_reciprocal(x, f64::tanh))
}

fn csc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| reciprocal(x, f64::sin))
}

fn csch_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| hyperbolic_reciprocal(x, f64::sinh))
}

fn sec_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| reciprocal(x, f64::cos))
}

fn sech_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| hyperbolic_reciprocal(x, f64::cosh))
}

fn acot_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        float_result(std::f64::consts::FRAC_PI_2 - x.atan())
    })
}

fn acoth_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float1(ctx, args, |x| {
        if x.abs() <= 1.0 {
            Err(ErrorKind::Num)
        } else {
            float_result(0.5 * ((x + 1.0) / (x - 1.0)).ln())
        }
    })
}

// ---- bases, series and matrices --------------------------------------------

fn base_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.number(&args[0])?;
    let radix = ctx.number(&args[1])?;
    let min_len = ctx.opt_number(args, 2, Number::ZERO)?;
    if n < Number::ZERO
        || n.to_f64() >= 9_007_199_254_740_992.0
        || !(2.0..=36.0).contains(&radix.to_f64().trunc())
        || !(0.0..=255.0).contains(&min_len.to_f64())
    {
        return Err(ErrorKind::Num);
    }
    let (mut n, radix) = (n.to_f64().trunc() as u64, radix.to_f64().trunc() as u64);
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(std::char::from_digit((n % radix) as u32, radix as u32).unwrap_or('0'));
        n /= radix;
    }
    let mut s: String = digits.iter().rev().collect::<String>().to_uppercase();
    if s.is_empty() {
        s.push('0');
    }
    let width = min_len.to_f64().trunc() as usize;
    if s.len() < width {
        s = format!("{}{s}", "0".repeat(width - s.len()));
    }
    Ok(CalcValue::text(s))
}

fn decimal_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let text = ctx.text(&args[0])?;
    let radix = ctx.number(&args[1])?.to_f64().trunc();
    if !(2.0..=36.0).contains(&radix) || text.len() > 255 {
        return Err(ErrorKind::Num);
    }
    let mut acc = 0f64;
    for c in text.chars() {
        let d = c.to_digit(radix as u32).ok_or(ErrorKind::Num)?;
        acc = acc * radix + f64::from(d);
    }
    Ok(CalcValue::float(acc))
}

fn seriessum_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut nums = [Number::ZERO; 3];
    for (i, slot) in nums.iter_mut().enumerate() {
        *slot = match ctx.value(&args[i])? {
            // Booleans are refused here (an Analysis ToolPak function).
            Value::Bool(_) => return Err(ErrorKind::Value),
            v => to_number(&v)?,
        };
    }
    let [x, n, m] = nums;
    let coefficients = ctx.array(&args[3])?;
    let mut total = Number::ZERO;
    let mut power = n;
    for c in &coefficients.values {
        let c = match c {
            Value::Number(c) => *c,
            Value::Error(e) => return Err(*e),
            _ => return Err(ErrorKind::Value),
        };
        let term = match crate::formula::eval::power(x, power) {
            Value::Number(p) => p,
            Value::Error(e) => return Err(e),
            _ => return Err(ErrorKind::Value),
        };
        total = total + c * term;
        power = power + m;
    }
    Ok(CalcValue::number(finite(total)?))
}

fn munit_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.number(&args[0])?.to_i64().ok_or(ErrorKind::Value)?;
    if n < 1 {
        return Err(ErrorKind::Value);
    }
    // Beyond MAX_ARRAY_CELLS the matrix could not be held (or spilled).
    if n.saturating_mul(n) > super::array::MAX_ARRAY_CELLS as i64 {
        return Err(ErrorKind::Num);
    }
    let n = n as usize;
    Ok(CalcValue::Array(Array::from_fn(n, n, |r, c| {
        Value::Number(Number::from_i64((r == c) as i64))
    })))
}

/// A numeric matrix argument: any non-number is `#VALUE!`.
fn matrix(ctx: &mut CallContext, e: &Expr) -> Result<(usize, usize, Vec<Number>), ErrorKind> {
    let a = ctx.array(e)?;
    let mut out = Vec::with_capacity(a.values.len());
    for v in &a.values {
        match v {
            Value::Number(n) => out.push(*n),
            Value::Error(k) => return Err(*k),
            _ => return Err(ErrorKind::Value),
        }
    }
    Ok((a.rows, a.cols, out))
}

fn mmult_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (ar, ac, a) = matrix(ctx, &args[0])?;
    let (br, bc, b) = matrix(ctx, &args[1])?;
    if ac != br {
        return Err(ErrorKind::Value);
    }
    Ok(CalcValue::Array(Array::from_fn(ar, bc, |r, c| {
        let mut s = Number::ZERO;
        for k in 0..ac {
            s = s + a[r * ac + k] * b[k * bc + c];
        }
        Value::Number(s)
    })))
}

/// LU decomposition with partial pivoting of a square matrix (row-major);
/// returns the determinant and the inverse (`None` when singular).
fn lu_solve(n: usize, m: &[f64]) -> (f64, Option<Vec<f64>>) {
    let mut a = m.to_vec();
    let mut inv: Vec<f64> = (0..n * n)
        .map(|i| f64::from(u8::from(i / n == i % n)))
        .collect();
    let mut det = 1.0;
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))
            .unwrap_or(col);
        if a[pivot * n + col] == 0.0 {
            return (0.0, None);
        }
        if pivot != col {
            for k in 0..n {
                a.swap(pivot * n + k, col * n + k);
                inv.swap(pivot * n + k, col * n + k);
            }
            det = -det;
        }
        let p = a[col * n + col];
        det *= p;
        for k in 0..n {
            a[col * n + k] /= p;
            inv[col * n + k] /= p;
        }
        for row in 0..n {
            if row != col {
                let f = a[row * n + col];
                if f != 0.0 {
                    for k in 0..n {
                        a[row * n + k] -= f * a[col * n + k];
                        inv[row * n + k] -= f * inv[col * n + k];
                    }
                }
            }
        }
    }
    (det, Some(inv))
}

fn square_matrix(ctx: &mut CallContext, e: &Expr) -> Result<(usize, Vec<f64>), ErrorKind> {
    let (r, c, m) = matrix(ctx, e)?;
    if r != c {
        return Err(ErrorKind::Value);
    }
    Ok((r, m.iter().map(|x| x.to_f64()).collect()))
}

fn mdeterm_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, m) = square_matrix(ctx, &args[0])?;
    let det = lu_solve(n, &m).0;
    // The determinant of an integer matrix is an integer: drop the
    // rounding noise of the elimination when it is small enough to trust.
    if m.iter().all(|x| x.fract() == 0.0) && det.abs() < 1e15 {
        return Ok(CalcValue::float(det.round()));
    }
    Ok(CalcValue::float(det))
}

fn minverse_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, m) = square_matrix(ctx, &args[0])?;
    match lu_solve(n, &m).1 {
        Some(inv) => Ok(CalcValue::Array(Array::from_fn(n, n, |r, c| {
            crate::formula::calc::float_value(inv[r * n + c])
        }))),
        None => Err(ErrorKind::Num),
    }
}

// ---- numeric cores ---------------------------------------------------------

/// Result of a numeric core: a number or the Excel error it produces.
pub type NumResult = Result<Number, ErrorKind>;

/// Rounds toward negative infinity to an integer.
pub fn floor_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.floor()),
        Number::Float(f) => Number::Float(f.floor()),
    }
}

/// Rounds toward positive infinity to an integer.
pub fn ceil_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.ceil()),
        Number::Float(f) => Number::Float(f.ceil()),
    }
}

/// Rounds toward zero to an integer.
pub fn trunc_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.trunc()),
        Number::Float(f) => Number::Float(f.trunc()),
    }
}

fn sign_of(n: Number) -> i32 {
    match n.partial_cmp(&Number::ZERO) {
        Some(std::cmp::Ordering::Less) => -1,
        Some(std::cmp::Ordering::Greater) => 1,
        _ => 0,
    }
}

/// The digits argument of ROUND-like functions, truncated toward zero
/// and clamped to a range that cannot overflow.
pub fn digits_arg(n: Number) -> i32 {
    n.to_i64().unwrap_or(0).clamp(-400, 400) as i32
}

/// Rounds to `digits` with the given strategy, also for large negative
/// digit counts and float magnitudes, which `Number::round_with` clamps.
fn round_strategy(n: Number, digits: i32, strategy: RoundingStrategy) -> Number {
    if digits >= -18 && n.to_decimal().is_some() {
        return n.round_with(digits, strategy);
    }
    let f = n.to_f64();
    let factor = 10f64.powi(digits);
    let scaled = f * factor;
    if !scaled.is_finite() || scaled.abs() >= 1e17 {
        // Already coarser than the digits asked for.
        return n;
    }
    let r = match strategy {
        RoundingStrategy::ToZero => scaled.trunc(),
        RoundingStrategy::AwayFromZero => {
            if scaled.fract() == 0.0 {
                scaled
            } else {
                scaled.trunc() + scaled.signum()
            }
        }
        _ => scaled.round(),
    };
    Number::from_float_result(r / factor)
}

/// ROUND: half away from zero.
pub fn round(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::MidpointAwayFromZero)
}

/// ROUNDUP: away from zero.
pub fn round_up(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::AwayFromZero)
}

/// ROUNDDOWN and TRUNC: toward zero.
pub fn round_down(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::ToZero)
}

/// `n / m` rounded to an integer by `rounder`, times `m`: the common shape
/// of MROUND, CEILING and FLOOR. `m` is not zero.
fn to_multiple(n: Number, m: Number, rounder: fn(Number) -> Number) -> NumResult {
    let q = n.checked_div(m).ok_or(ErrorKind::Div0)?;
    let r = rounder(q) * m;
    if r.is_finite() {
        Ok(r)
    } else {
        Err(ErrorKind::Num)
    }
}

/// MROUND: nearest multiple, half away from zero; signs must agree.
pub fn mround(n: Number, multiple: Number) -> NumResult {
    if multiple.is_zero() || n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) != sign_of(multiple) {
        return Err(ErrorKind::Num);
    }
    to_multiple(n, multiple, |q| q.round_half_away(0))
}

/// CEILING (the compatibility form): a positive number with a negative
/// significance is #NUM!; a zero significance gives 0.
pub fn ceiling(n: Number, significance: Number) -> NumResult {
    if n.is_zero() || significance.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) > 0 && sign_of(significance) < 0 {
        return Err(ErrorKind::Num);
    }
    to_multiple(n, significance, ceil_int)
}

/// FLOOR (the compatibility form): zero significance is #DIV/0!, a
/// positive number with a negative significance #NUM!.
pub fn floor(n: Number, significance: Number) -> NumResult {
    if significance.is_zero() {
        return if n.is_zero() {
            Ok(Number::ZERO)
        } else {
            Err(ErrorKind::Div0)
        };
    }
    if n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) > 0 && sign_of(significance) < 0 {
        return Err(ErrorKind::Num);
    }
    to_multiple(n, significance, floor_int)
}

/// CEILING.MATH: the significance's sign is ignored; a non-zero `mode`
/// rounds negative numbers away from zero.
pub fn ceiling_math(n: Number, significance: Number, mode_nonzero: bool) -> NumResult {
    let s = significance.abs();
    if s.is_zero() || n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) < 0 && mode_nonzero {
        to_multiple(n, s, floor_int)
    } else {
        to_multiple(n, s, ceil_int)
    }
}

/// FLOOR.MATH: the significance's sign is ignored; a non-zero `mode`
/// rounds negative numbers toward zero.
pub fn floor_math(n: Number, significance: Number, mode_nonzero: bool) -> NumResult {
    let s = significance.abs();
    if s.is_zero() || n.is_zero() {
        return Ok(Number::ZERO);
    }
    if sign_of(n) < 0 && mode_nonzero {
        to_multiple(n, s, ceil_int)
    } else {
        to_multiple(n, s, floor_int)
    }
}

/// CEILING.PRECISE and ISO.CEILING: toward positive infinity, the
/// significance's sign ignored.
pub fn ceiling_precise(n: Number, significance: Number) -> NumResult {
    ceiling_math(n, significance, false)
}

/// FLOOR.PRECISE: toward negative infinity, the significance's sign ignored.
pub fn floor_precise(n: Number, significance: Number) -> NumResult {
    floor_math(n, significance, false)
}

/// MOD with Excel's sign rule: the result has the divisor's sign.
pub fn modulo(n: Number, d: Number) -> NumResult {
    if d.is_zero() {
        return Err(ErrorKind::Div0);
    }
    if let (Number::Exact(a), Number::Exact(b)) = (n, d) {
        // Decimal's `%` keeps the dividend's sign; shift it to the divisor's.
        if let Some(r) = a.checked_rem(b) {
            let r = if !r.is_zero() && (r.is_sign_negative() != b.is_sign_negative()) {
                r + b
            } else {
                r
            };
            return Ok(Number::Exact(r));
        }
    }
    let (a, b) = (n.to_f64(), d.to_f64());
    let q = (a / b).floor();
    // Excel refuses when the quotient is too big to be meaningful.
    if q.abs() >= 1.125_899_906_842_624e15 {
        return Err(ErrorKind::Num);
    }
    Ok(Number::from_float_result(a - b * q))
}

/// QUOTIENT: the integer part of a division.
pub fn quotient(n: Number, d: Number) -> NumResult {
    let q = n.checked_div(d).ok_or(ErrorKind::Div0)?;
    Ok(trunc_int(q))
}

/// A float result turned into a number, or #NUM! when not finite.
pub fn float_result(f: f64) -> NumResult {
    if f.is_finite() {
        Ok(Number::from_float_result(f))
    } else {
        Err(ErrorKind::Num)
    }
}

/// SQRT: #NUM! for negative numbers.
pub fn sqrt(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    if let Number::Exact(d) = n {
        if let Some(r) = d.sqrt() {
            // Only trust the decimal root when it squares back exactly.
            if r * r == d {
                return Ok(Number::Exact(r.normalize()));
            }
        }
    }
    float_result(n.to_f64().sqrt())
}

/// LN: #NUM! for non-positive numbers.
pub fn ln(n: Number) -> NumResult {
    if sign_of(n) <= 0 {
        return Err(ErrorKind::Num);
    }
    float_result(n.to_f64().ln())
}

/// LOG with a base (LOG10 is base 10); base 1 is #DIV/0!.
pub fn log(n: Number, base: Number) -> NumResult {
    if sign_of(n) <= 0 || sign_of(base) <= 0 {
        return Err(ErrorKind::Num);
    }
    let b = base.to_f64();
    if b == 1.0 {
        return Err(ErrorKind::Div0);
    }
    let x = n.to_f64();
    // log10 directly keeps LOG(1000) exactly 3.
    let r = if b == 10.0 {
        x.log10()
    } else if b == 2.0 {
        x.log2()
    } else {
        x.ln() / b.ln()
    };
    float_result(r)
}

/// EXP.
pub fn exp(n: Number) -> NumResult {
    float_result(n.to_f64().exp())
}

/// EVEN: away from zero to the next even integer.
pub fn even(n: Number) -> Number {
    let a = ceil_int(n.abs());
    let a = if modulo(a, Number::from_i64(2)) == Ok(Number::ZERO) {
        a
    } else {
        a + Number::ONE
    };
    if sign_of(n) < 0 {
        -a
    } else {
        a
    }
}

/// ODD: away from zero to the next odd integer (ODD(0) is 1).
pub fn odd(n: Number) -> Number {
    let a = ceil_int(n.abs());
    let a = if modulo(a, Number::from_i64(2)) == Ok(Number::ONE) {
        a
    } else {
        a + Number::ONE
    };
    if sign_of(n) < 0 {
        -a
    } else {
        a
    }
}

/// FACT: exact while it fits a decimal; #NUM! for negatives and beyond 170.
pub fn fact(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    let k = n.to_i64().ok_or(ErrorKind::Num)?;
    if k > 170 {
        return Err(ErrorKind::Num);
    }
    let mut acc = Number::ONE;
    for i in 2..=k {
        acc = acc * Number::from_i64(i);
    }
    Ok(acc)
}

/// FACTDOUBLE: n!! (product of every other integer down to 1 or 2).
pub fn fact_double(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    let k = n.to_i64().ok_or(ErrorKind::Num)?;
    if k > 300 {
        return Err(ErrorKind::Num);
    }
    let mut acc = Number::ONE;
    let mut i = k;
    while i > 1 {
        acc = acc * Number::from_i64(i);
        i -= 2;
    }
    Ok(acc)
}

/// Integer arguments of GCD/LCM: truncated, non-negative, below 2^53.
fn gcd_arg(n: Number) -> Result<u64, ErrorKind> {
    // The sign is checked before truncation: GCD(-0.5) is #NUM!.
    if n < Number::ZERO {
        return Err(ErrorKind::Num);
    }
    let t = trunc_int(n).to_f64();
    if !(0.0..9_007_199_254_740_992.0).contains(&t) {
        return Err(ErrorKind::Num);
    }
    Ok(t as u64)
}

fn gcd2(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// GCD of all arguments.
pub fn gcd(values: &[Number]) -> NumResult {
    let mut acc = 0u64;
    for v in values {
        acc = gcd2(acc, gcd_arg(*v)?);
    }
    Ok(Number::from(acc as i64))
}

/// LCM of all arguments (0 when any is 0).
pub fn lcm(values: &[Number]) -> NumResult {
    let mut acc = Number::ONE;
    for v in values {
        let x = gcd_arg(*v)?;
        if x == 0 {
            return Ok(Number::ZERO);
        }
        let a = acc.to_i64().ok_or(ErrorKind::Num)? as u64;
        let g = gcd2(a, x);
        acc = Number::from((a / g) as i64) * Number::from(x as i64);
        if acc.to_f64() >= 9_007_199_254_740_992.0 {
            return Err(ErrorKind::Num);
        }
    }
    Ok(acc)
}

/// SIGN.
pub fn sign(n: Number) -> Number {
    Number::from_i64(sign_of(n) as i64)
}

/// The sum of a list of numbers (exact while it fits).
pub fn sum_of(values: &[Number]) -> Number {
    values.iter().fold(Number::ZERO, |a, b| a + *b)
}

/// The product of a list of numbers (exact while it fits).
pub fn product_of(values: &[Number]) -> Number {
    values.iter().fold(Number::ONE, |a, b| a * *b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Number {
        Number::Exact(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn rounding_family() {
        assert_eq!(round(d("2.5"), 0), d("3"));
        assert_eq!(round(d("-2.5"), 0), d("-3"));
        assert_eq!(round(d("1.005"), 2), d("1.01"));
        assert_eq!(round(d("-1.475"), 2), d("-1.48"));
        assert_eq!(round(d("1234567.7"), -3), d("1235000"));
        assert_eq!(round_up(d("3.2"), 0), d("4"));
        assert_eq!(round_up(d("-3.14159"), 1), d("-3.2"));
        assert_eq!(round_up(d("31415.92654"), -2), d("31500"));
        assert_eq!(round_down(d("3.14159"), 3), d("3.141"));
        assert_eq!(round_down(d("-3.14159"), 1), d("-3.1"));
        assert_eq!(round_down(d("31415.92654"), -2), d("31400"));
        assert_eq!(round(d("123"), -30), Number::ZERO);
        assert_eq!(round(d("0.0001"), 400), d("0.0001"));
    }

    #[test]
    fn mround_ceiling_floor() {
        assert_eq!(mround(d("10"), d("3")), Ok(d("9")));
        assert_eq!(mround(d("-10"), d("-3")), Ok(d("-9")));
        assert_eq!(mround(d("1.3"), d("0.2")), Ok(d("1.4")));
        assert_eq!(mround(d("5"), d("-2")), Err(ErrorKind::Num));
        assert_eq!(mround(d("7.5"), d("5")), Ok(d("10")));
        assert_eq!(ceiling(d("2.5"), d("1")), Ok(d("3")));
        assert_eq!(ceiling(d("-2.5"), d("-2")), Ok(d("-4")));
        assert_eq!(ceiling(d("-2.5"), d("2")), Ok(d("-2")));
        assert_eq!(ceiling(d("1.5"), d("0.1")), Ok(d("1.5")));
        assert_eq!(ceiling(d("0.234"), d("0.01")), Ok(d("0.24")));
        assert_eq!(ceiling(d("1.5"), d("-1")), Err(ErrorKind::Num));
        assert_eq!(floor(d("3.7"), d("2")), Ok(d("2")));
        assert_eq!(floor(d("-2.5"), d("-2")), Ok(d("-2")));
        assert_eq!(floor(d("-2.5"), d("2")), Ok(d("-4")));
        assert_eq!(floor(d("2.5"), d("-2")), Err(ErrorKind::Num));
        assert_eq!(floor(d("1.58"), d("0.1")), Ok(d("1.5")));
        assert_eq!(floor(d("5"), Number::ZERO), Err(ErrorKind::Div0));
        assert_eq!(ceiling_math(d("24.3"), d("5"), false), Ok(d("25")));
        assert_eq!(ceiling_math(d("-8.1"), d("2"), false), Ok(d("-8")));
        assert_eq!(ceiling_math(d("-5.5"), d("2"), true), Ok(d("-6")));
        assert_eq!(floor_math(d("24.3"), d("5"), false), Ok(d("20")));
        assert_eq!(floor_math(d("-8.1"), d("2"), false), Ok(d("-10")));
        assert_eq!(floor_math(d("-5.5"), d("2"), true), Ok(d("-4")));
        assert_eq!(ceiling_precise(d("-4.3"), d("-2")), Ok(d("-4")));
        assert_eq!(floor_precise(d("-3.2"), d("-1")), Ok(d("-4")));
    }

    #[test]
    fn mod_and_quotient() {
        assert_eq!(modulo(d("3"), d("2")), Ok(d("1")));
        assert_eq!(modulo(d("-3"), d("2")), Ok(d("1")));
        assert_eq!(modulo(d("3"), d("-2")), Ok(d("-1")));
        assert_eq!(modulo(d("-3"), d("-2")), Ok(d("-1")));
        assert_eq!(modulo(d("5.5"), d("0.2")), Ok(d("0.1")));
        assert_eq!(modulo(d("1"), Number::ZERO), Err(ErrorKind::Div0));
        assert_eq!(quotient(d("5"), d("2")), Ok(d("2")));
        assert_eq!(quotient(d("-10"), d("3")), Ok(d("-3")));
        assert_eq!(quotient(d("1"), Number::ZERO), Err(ErrorKind::Div0));
    }

    #[test]
    fn powers_roots_logs() {
        assert_eq!(sqrt(d("16")), Ok(d("4")));
        assert_eq!(sqrt(d("2.25")), Ok(d("1.5")));
        assert_eq!(sqrt(d("-16")), Err(ErrorKind::Num));
        assert!((sqrt(d("2")).unwrap().to_f64() - std::f64::consts::SQRT_2).abs() < 1e-15);
        assert_eq!(log(d("1000"), d("10")), Ok(d("3")));
        assert_eq!(log(d("8"), d("2")), Ok(d("3")));
        assert_eq!(log(d("8"), d("1")), Err(ErrorKind::Div0));
        assert_eq!(ln(Number::ZERO), Err(ErrorKind::Num));
        assert_eq!(exp(Number::ZERO), Ok(d("1")));
    }

    #[test]
    fn even_odd_fact_gcd_lcm() {
        assert_eq!(even(d("1.5")), d("2"));
        assert_eq!(even(d("3")), d("4"));
        assert_eq!(even(d("2")), d("2"));
        assert_eq!(even(d("-1")), d("-2"));
        assert_eq!(even(Number::ZERO), Number::ZERO);
        assert_eq!(odd(d("1.5")), d("3"));
        assert_eq!(odd(d("3")), d("3"));
        assert_eq!(odd(d("2")), d("3"));
        assert_eq!(odd(d("-1")), d("-1"));
        assert_eq!(odd(d("-2")), d("-3"));
        assert_eq!(odd(Number::ZERO), d("1"));
        assert_eq!(fact(d("5")), Ok(d("120")));
        assert_eq!(fact(d("1.9")), Ok(d("1")));
        assert_eq!(fact(d("-1")), Err(ErrorKind::Num));
        assert!(fact(d("170")).is_ok());
        assert_eq!(fact(d("171")), Err(ErrorKind::Num));
        assert_eq!(fact_double(d("7")), Ok(d("105")));
        assert_eq!(fact_double(d("6")), Ok(d("48")));
        assert_eq!(gcd(&[d("5"), d("2")]), Ok(d("1")));
        assert_eq!(gcd(&[d("24"), d("36")]), Ok(d("12")));
        assert_eq!(gcd(&[d("4.8"), d("8.4"), d("12")]), Ok(d("4")));
        assert_eq!(gcd(&[d("-1")]), Err(ErrorKind::Num));
        assert_eq!(lcm(&[d("24"), d("36")]), Ok(d("72")));
        assert_eq!(lcm(&[d("7.5"), d("4.5")]), Ok(d("28")));
        assert_eq!(lcm(&[d("3"), Number::ZERO]), Ok(Number::ZERO));
    }

    #[test]
    fn money_sums_are_exact() {
        assert_eq!(sum_of(&[d("0.1"), d("0.2")]), d("0.3"));
        assert_eq!(product_of(&[d("1.1"), d("1.1")]), d("1.21"));
        assert_eq!(sign(d("-0.5")), d("-1"));
    }
}

/// ROMAN: `n` in 0..=3999 as a Roman numeral; `form` 0 (classic) to 4
/// (most concise) allows subtractive pairs further apart, as Excel does.
pub fn roman(n: i64, form: i64) -> Result<String, ErrorKind> {
    if !(0..=3999).contains(&n) || !(0..=4).contains(&form) {
        return Err(ErrorKind::Value);
    }
    const CHARS: [char; 7] = ['M', 'D', 'C', 'L', 'X', 'V', 'I'];
    const VALUES: [i64; 7] = [1000, 500, 100, 50, 10, 5, 1];
    const MAX_INDEX: usize = 6;
    let mut out = String::new();
    let mut val = n;
    for i in 0..=MAX_INDEX / 2 {
        let mut index = 2 * i;
        let digit = val / VALUES[index];
        if digit % 5 == 4 {
            let index2 = if digit == 4 { index - 1 } else { index - 2 };
            let mut steps = 0;
            // Each step of `form` lets a smaller numeral do the subtracting.
            while steps < form && index < MAX_INDEX {
                steps += 1;
                if VALUES[index2] - VALUES[index + 1] <= val {
                    index += 1;
                } else {
                    steps = form;
                }
            }
            out.push(CHARS[index]);
            out.push(CHARS[index2]);
            val = val + VALUES[index] - VALUES[index2];
        } else {
            if digit > 4 {
                out.push(CHARS[index - 1]);
            }
            for _ in 0..digit % 5 {
                out.push(CHARS[index]);
            }
            val %= VALUES[index];
        }
    }
    Ok(out)
}

/// ARABIC: a Roman numeral (any case, optional leading minus) as a
/// number; anything else is #VALUE!.
pub fn arabic(text: &str) -> NumResult {
    let t = text.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    if body.len() > 255 {
        return Err(ErrorKind::Value);
    }
    let mut total = 0i64;
    let mut prev = 0i64;
    for c in body.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return Err(ErrorKind::Value),
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    Ok(Number::from_i64(if neg { -total } else { total }))
}

#[cfg(test)]
mod roman_tests {
    use super::*;

    #[test]
    fn roman_forms() {
        assert_eq!(roman(499, 0).unwrap(), "CDXCIX");
        assert_eq!(roman(499, 1).unwrap(), "LDVLIV");
        assert_eq!(roman(499, 2).unwrap(), "XDIX");
        assert_eq!(roman(499, 3).unwrap(), "VDIV");
        assert_eq!(roman(499, 4).unwrap(), "ID");
        assert_eq!(roman(3999, 0).unwrap(), "MMMCMXCIX");
        assert_eq!(roman(0, 0).unwrap(), "");
        assert_eq!(roman(4000, 0), Err(ErrorKind::Value));
        assert_eq!(arabic("mcmxii"), Ok(Number::from_i64(1912)));
        assert_eq!(arabic("-IV"), Ok(Number::from_i64(-4)));
        assert_eq!(arabic(""), Ok(Number::ZERO));
        assert_eq!(arabic("ABC"), Err(ErrorKind::Value));
    }
}

#[cfg(test)]
mod formula_tests {
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    fn err(k: ErrorKind) -> Value {
        Value::Error(k)
    }

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

    #[test]
    fn rounding_matches_excel() {
        assert_eq!(eval_str("=ROUND(2.5,0)"), num("3"));
        assert_eq!(eval_str("=ROUND(-2.5,0)"), num("-3"));
        assert_eq!(eval_str("=ROUND(1.005,2)"), num("1.01"));
        assert_eq!(eval_str("=ROUND(21.5,-1)"), num("20"));
        assert_eq!(eval_str("=ROUNDUP(3.2,0)"), num("4"));
        assert_eq!(eval_str("=ROUNDDOWN(-3.14159,1)"), num("-3.1"));
        assert_eq!(eval_str("=MROUND(10,3)"), num("9"));
        assert_eq!(eval_str("=MROUND(5,-2)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=CEILING(2.5,1)"), num("3"));
        assert_eq!(eval_str("=CEILING(4.42,0.05)"), num("4.45"));
        assert_eq!(eval_str("=FLOOR(-2.5,-2)"), num("-2"));
        assert_eq!(eval_str("=FLOOR(3.7,0)"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=CEILING.MATH(-5.5,2,-1)"), num("-6"));
        assert_eq!(eval_str("=FLOOR.MATH(-5.5,2,-1)"), num("-4"));
        assert_eq!(eval_str("=CEILING.PRECISE(-4.3,-2)"), num("-4"));
        assert_eq!(eval_str("=FLOOR.PRECISE(3.2)"), num("3"));
        assert_eq!(eval_str("=INT(-8.9)"), num("-9"));
        assert_eq!(eval_str("=TRUNC(-8.9)"), num("-8"));
        assert_eq!(eval_str("=TRUNC(8.987,2)"), num("8.98"));
        assert_eq!(eval_str("=EVEN(-1)"), num("-2"));
        assert_eq!(eval_str("=ODD(1.5)"), num("3"));
        match eval_calc("=ROUND({1.25,2.35},1)") {
            crate::formula::calc::CalcValue::Array(a) => {
                assert_eq!(a.values, vec![num("1.3"), num("2.4")]);
            }
            other => panic!("expected an array, got {other:?}"),
        }
    }

    #[test]
    fn arithmetic_functions() {
        assert_eq!(eval_str("=MOD(3,2)"), num("1"));
        assert_eq!(eval_str("=MOD(-3,2)"), num("1"));
        assert_eq!(eval_str("=MOD(3,-2)"), num("-1"));
        assert_eq!(eval_str("=MOD(3,0)"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=QUOTIENT(-10,3)"), num("-3"));
        assert_eq!(eval_str("=POWER(1.1,2)"), num("1.21"));
        assert_eq!(eval_str("=POWER(0,0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=SQRT(16)"), num("4"));
        assert_eq!(eval_str("=SQRT(-1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=LOG(8,2)"), num("3"));
        assert_eq!(eval_str("=LOG(100)"), num("2"));
        assert_eq!(eval_str("=LOG10(1000)"), num("3"));
        assert_eq!(eval_str("=LN(0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=EXP(0)"), num("1"));
        assert_eq!(eval_str("=ABS(-2.5)"), num("2.5"));
        assert_eq!(eval_str("=SIGN(-0.1)"), num("-1"));
        assert_eq!(eval_str("=FACT(5)"), num("120"));
        assert_eq!(eval_str("=FACTDOUBLE(7)"), num("105"));
        assert_eq!(eval_str("=GCD(24,36)"), num("12"));
        assert_eq!(eval_str("=LCM(24,36)"), num("72"));
        assert_eq!(eval_str("=GCD(TRUE,2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=COMBIN(8,2)"), num("28"));
        assert_eq!(eval_str("=COMBINA(4,3)"), num("20"));
        assert_eq!(eval_str("=MULTINOMIAL(2,3,4)"), num("1260"));
        assert_eq!(eval_str("=ROMAN(499)"), Value::Text("CDXCIX".into()));
        assert_eq!(eval_str("=ARABIC(\"MCMXII\")"), num("1912"));
        assert_eq!(
            eval_str("=ATAN2(1,1)").to_string(),
            (std::f64::consts::FRAC_PI_4).to_string()
        );
        assert_eq!(eval_str("=DEGREES(PI())"), num("180"));
    }

    #[test]
    fn random_numbers_stay_in_range() {
        for _ in 0..20 {
            let r = eval_str("=RAND()").as_number().unwrap().to_f64();
            assert!((0.0..1.0).contains(&r), "{r}");
            let k = eval_str("=RANDBETWEEN(1,6)").as_number().unwrap().to_f64();
            assert!((1.0..=6.0).contains(&k) && k.fract() == 0.0, "{k}");
        }
        assert_eq!(eval_str("=RANDBETWEEN(6,1)"), err(ErrorKind::Num));
    }
}

#[cfg(test)]
mod matrix_and_base_tests {
    use crate::formula::calc::CalcValue;
    use crate::formula::testing::{eval_calc, eval_str, num};
    use crate::model::{ErrorKind, Value};

    fn values(formula: &str) -> Vec<Value> {
        match eval_calc(formula) {
            CalcValue::Array(a) => a.values,
            other => panic!("{formula}: {other:?}"),
        }
    }

    #[test]
    fn bases_and_series() {
        assert_eq!(eval_str("=BASE(7,2)"), Value::Text("111".into()));
        assert_eq!(eval_str("=BASE(100,16)"), Value::Text("64".into()));
        assert_eq!(eval_str("=BASE(15,2,10)"), Value::Text("0000001111".into()));
        assert_eq!(eval_str("=BASE(-1,2)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=DECIMAL(\"FF\",16)"), num("255"));
        assert_eq!(eval_str("=DECIMAL(\"111\",2)"), num("7"));
        assert_eq!(eval_str("=DECIMAL(\"12\",2)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=SERIESSUM(2,0,1,{1,2,3})"), num("17"));
        assert_eq!(
            eval_str("=SERIESSUM(0,0,2,{1,2,3})"),
            Value::Error(ErrorKind::Num)
        );
    }

    #[test]
    fn matrices() {
        assert_eq!(
            values("=MMULT({1,3;7,2},{2,0;0,2})"),
            vec![num("2"), num("6"), num("14"), num("4")]
        );
        assert_eq!(
            eval_str("=MMULT({1,2},{1,2})"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(eval_str("=MDETERM({3,6,1;1,1,0;3,10,2})"), num("1"));
        assert_eq!(
            values("=MINVERSE({4,-1;2,0})"),
            vec![num("0"), num("0.5"), num("-1"), num("2")]
        );
        assert_eq!(
            eval_str("=MINVERSE({1,2;2,4})"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            values("=MUNIT(2)"),
            vec![num("1"), num("0"), num("0"), num("1")]
        );
    }
}

#[cfg(test)]
mod guard_tests {
    use crate::formula::testing::eval_str;
    use crate::model::{ErrorKind, Value};

    #[test]
    fn huge_arguments_answer_quickly() {
        assert_eq!(
            eval_str("=COMBIN(1E+15,5E+14)"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(eval_str("=MUNIT(100000)"), Value::Error(ErrorKind::Num));
        assert_eq!(
            eval_str("=SEQUENCE(1048576,16384)"),
            Value::Error(ErrorKind::Num)
        );
        let r = eval_str("=BINOM.INV(4000000000,0.5,0.5)")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((r - 2e9).abs() < 1e4, "{r}");
        let p = eval_str("=POISSON.DIST(1000000,1000000,TRUE)")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((p - 0.5).abs() < 0.01, "{p}");
    }
}
