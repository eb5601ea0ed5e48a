//! Descriptive statistics of one list of numbers: extremes, averages,
//! spread, shape and modes. The exact cores sit in `functions::util`;
//! this room decides which values of the arguments take part.

use super::util::prob;
use crate::formula::functions::util::{
    average, cmp, devsq, excel_div, max, mean_exact, median, min, mode, mode_mult, stdev, tidy,
    variance, NumResult,
};
use crate::formula::functions::*;

/// A function of all numeric arguments collected with `mode`.
fn over_numbers(
    ctx: &mut CallContext,
    args: &[Expr],
    mode: Collect,
    f: impl Fn(&[Number]) -> NumResult,
) -> EvalResult {
    let nums = ctx.numbers(args, mode)?;
    Ok(CalcValue::number(f(&nums)?))
}

pub(super) fn max_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| Ok(max(v)))
}

pub(super) fn min_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| Ok(min(v)))
}

pub(super) fn maxa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| Ok(max(v)))
}

pub(super) fn mina_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| Ok(min(v)))
}

pub(super) fn average_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, average)
}

pub(super) fn averagea_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, average)
}

pub(super) fn median_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, median)
}

pub(super) fn stdev_s_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| stdev(v, true))
}

pub(super) fn stdev_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| stdev(v, false))
}

pub(super) fn stdeva_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| stdev(v, true))
}

pub(super) fn stdevpa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| stdev(v, false))
}

pub(super) fn var_s_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| variance(v, true))
}

pub(super) fn var_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| variance(v, false))
}

pub(super) fn vara_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| variance(v, true))
}

pub(super) fn varpa_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::NumbersA, |v| variance(v, false))
}

pub(super) fn devsq_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| {
        if v.is_empty() {
            Err(ErrorKind::Num)
        } else {
            devsq(v).map(tidy)
        }
    })
}

pub(super) fn avedev_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, |v| {
        if v.is_empty() {
            return Err(ErrorKind::Num);
        }
        let mean = mean_exact(v)?;
        let dev: Vec<Number> = v.iter().map(|x| (*x - mean).abs()).collect();
        average(&dev)
    })
}

pub(super) fn mode_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    over_numbers(ctx, args, Collect::Numbers, mode)
}

pub(super) fn mode_mult_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nums = ctx.numbers(args, Collect::Numbers)?;
    let modes = mode_mult(&nums)?;
    Ok(CalcValue::Array(Array::column(
        modes.into_iter().map(Value::Number).collect(),
    )))
}

/// Numbers that must all be positive (GEOMEAN, HARMEAN): #NUM! otherwise
/// or when there are none.
fn positive_numbers(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<f64>, ErrorKind> {
    let nums = ctx.numbers(args, Collect::Numbers)?;
    if nums.is_empty() || nums.iter().any(|n| *n <= Number::ZERO) {
        return Err(ErrorKind::Num);
    }
    Ok(nums.iter().map(|n| n.to_f64()).collect())
}

pub(super) fn geomean_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = positive_numbers(ctx, args)?;
    let mean_log = v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64;
    Ok(CalcValue::float(mean_log.exp()))
}

pub(super) fn harmean_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = positive_numbers(ctx, args)?;
    Ok(CalcValue::float(
        v.len() as f64 / v.iter().map(|x| 1.0 / x).sum::<f64>(),
    ))
}

pub(super) fn trimmean_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut v = ctx.numbers(&args[..1], Collect::Numbers)?;
    let percent = ctx.number(&args[1])?.to_f64();
    if !(0.0..1.0).contains(&percent) {
        return Err(ErrorKind::Num);
    }
    if v.is_empty() {
        return Err(ErrorKind::Div0);
    }
    // Excel trims the same whole number of values from each end.
    let cut = ((v.len() as f64 * percent) / 2.0).floor() as usize;
    v.sort_by(cmp);
    let kept = &v[cut..v.len() - cut];
    Ok(CalcValue::number(average(kept)?))
}

pub(super) fn standardize_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.number(&args[0])?;
    let mean = ctx.number(&args[1])?;
    let sd = ctx.number(&args[2])?;
    if sd <= Number::ZERO {
        return Err(ErrorKind::Num);
    }
    Ok(CalcValue::number(
        excel_div(x - mean, sd).ok_or(ErrorKind::Num)?,
    ))
}

/// The sum of the `power`-th powers of the standardized values of the
/// numeric arguments, with their count; `#DIV/0!` with fewer than
/// `min_count` numbers or no spread (SKEW, KURT).
fn standardized_power_sum(
    ctx: &mut CallContext,
    args: &[Expr],
    power: i32,
    min_count: usize,
) -> Result<(f64, f64), ErrorKind> {
    let v: Vec<f64> = ctx
        .numbers(args, Collect::Numbers)?
        .iter()
        .map(|n| n.to_f64())
        .collect();
    if v.len() < min_count {
        return Err(ErrorKind::Div0);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    if sd == 0.0 {
        return Err(ErrorKind::Div0);
    }
    Ok((n, v.iter().map(|x| ((x - mean) / sd).powi(power)).sum()))
}

pub(super) fn skew_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, s3) = standardized_power_sum(ctx, args, 3, 3)?;
    Ok(CalcValue::float(n / ((n - 1.0) * (n - 2.0)) * s3))
}

pub(super) fn kurt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, s4) = standardized_power_sum(ctx, args, 4, 4)?;
    let a = n * (n + 1.0) / ((n - 1.0) * (n - 2.0) * (n - 3.0));
    let b = 3.0 * (n - 1.0).powi(2) / ((n - 2.0) * (n - 3.0));
    Ok(CalcValue::float(a * s4 - b))
}

pub(super) fn skew_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v: Vec<f64> = ctx
        .numbers(args, Collect::Numbers)?
        .iter()
        .map(|n| n.to_f64())
        .collect();
    if v.is_empty() {
        return Err(ErrorKind::Div0);
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    if sd == 0.0 {
        return Err(ErrorKind::Div0);
    }
    prob(v.iter().map(|x| ((x - mean) / sd).powi(3)).sum::<f64>() / n)
}

#[cfg(test)]
mod tests {
    use super::super::DATA;
    use super::*;
    use crate::formula::testing::{err, float_ok, numbers};
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
    use crate::model::ErrorKind;

    #[test]
    fn modes() {
        assert_eq!(
            float_ok(mode(&numbers(&[1.0, 2.0, 3.0, 2.0, 2.0, 3.0]))),
            2.0
        );
        assert_eq!(mode(&numbers(&[1.0, 2.0, 3.0])), Err(ErrorKind::NA));
        assert_eq!(
            mode_mult(&numbers(&[1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0]))
                .unwrap()
                .len(),
            4
        );
        assert_eq!(float_ok(Ok(max(&[]))), 0.0);
        assert_eq!(float_ok(Ok(min(&numbers(&[3.0, -1.0])))), -1.0);
    }

    #[test]
    fn averages_and_extremes() {
        assert_eq!(eval_with(&DATA, "=AVERAGE(B1:B6)"), num("16.25"));
        assert_eq!(eval_str("=AVERAGE(0.1,0.2)"), num("0.15"));
        let third = eval_str("=AVERAGE(1,2,2)").as_number().unwrap().to_f64();
        assert_eq!(third, 5.0 / 3.0);
        assert_eq!(
            eval_with(&[("A1", "x")], "=AVERAGE(A1)"),
            err(ErrorKind::Div0)
        );
        assert_eq!(eval_with(&DATA, "=MAX(B1:B6)"), num("30"));
        assert_eq!(eval_with(&DATA, "=MIN(B1:B6)"), num("5"));
        assert_eq!(eval_with(&[("A1", "x")], "=MAX(A1)"), num("0"));
        assert_eq!(
            eval_with(&[("A1", "TRUE"), ("A2", "0.5")], "=MAXA(A1:A2)"),
            num("1")
        );
        assert_eq!(
            eval_with(&[("A1", "x"), ("A2", "0.5")], "=MINA(A1:A2)"),
            num("0")
        );
        assert_eq!(
            eval_with(&[("A1", "x"), ("A2", "3")], "=AVERAGEA(A1:A2)"),
            num("1.5")
        );
        assert_eq!(eval_str("=MEDIAN(1,2,3,4,5,6)"), num("3.5"));
        assert_eq!(eval_str("=LARGE({3,5,3,5,4},3)"), num("4"));
        assert_eq!(eval_str("=SMALL({3,5,3,5,4},6)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=SMALL(\"Hello\",1)"), err(ErrorKind::Value));
    }

    #[test]
    fn spread_and_mode() {
        // Excel's documented STDEV sample (breaking strength of tools).
        let tools = "{1345,1301,1368,1322,1310,1370,1318,1350,1303,1299}";
        let s = eval_str(&format!("=STDEV.S({tools})"))
            .as_number()
            .unwrap()
            .to_f64();
        assert!((s - 27.463_915_719_843_3).abs() < 1e-9);
        let p = eval_str(&format!("=STDEV.P({tools})"))
            .as_number()
            .unwrap()
            .to_f64();
        assert!((p - 26.054_558_142_482_5).abs() < 1e-9);
        assert_eq!(eval_str("=VAR.S(1,2,3)"), num("1"));
        let v = eval_str("=VAR.P({1,2,3})").as_number().unwrap().to_f64();
        assert_eq!(v, 2.0 / 3.0);
        assert_eq!(eval_str("=VAR(1)"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=MODE(1,2,2,3,3)"), num("2"));
        assert_eq!(eval_str("=MODE(1,2,3)"), err(ErrorKind::NA));
        match eval_calc("=MODE.MULT({1,2,3,4,1,2,3,4})") {
            crate::formula::calc::CalcValue::Array(a) => assert_eq!(a.values.len(), 4),
            other => panic!("expected an array, got {other:?}"),
        }
        assert_eq!(eval_str("=PERCENTILE({1,2,3,4},0.3)"), num("1.9"));
        assert_eq!(eval_str("=QUARTILE.EXC({1,2,4,7,8,9,10,12},1)"), num("2.5"));
        assert_eq!(eval_str("=DEVSQ(4,5,8,7,11,4,3)"), num("48"));
    }

    #[test]
    fn mode_mult_keeps_first_appearance_order_and_scales() {
        let modes = mode_mult(&numbers(&[3.0, 1.0, 3.0, 2.0, 1.0, 2.0, 5.0])).unwrap();
        assert_eq!(modes, numbers(&[3.0, 1.0, 2.0]));
        assert_eq!(
            eval_str("=ROWS(MODE.MULT(SEQUENCE(1E5),SEQUENCE(1E5)))"),
            num("100000")
        );
        assert_eq!(
            eval_calc("=MODE.MULT(SEQUENCE(1E5))"),
            crate::formula::CalcValue::error(ErrorKind::NA)
        );
    }
}
