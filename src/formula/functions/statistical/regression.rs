//! Two paired series: covariance, correlation, the Fisher transform and
//! simple linear regression (SLOPE, INTERCEPT, RSQ, FORECAST).

use super::util::{float_stat, paired_numbers};
use crate::formula::functions::util::{devsq, excel_div, mean_exact, sum_of};
use crate::formula::functions::*;

/// Sum of the products of deviations from the means, and the count.
fn co_deviation(pairs: &[(Number, Number)]) -> Result<(Number, i64), ErrorKind> {
    let xs: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let (mx, my) = (mean_exact(&xs)?, mean_exact(&ys)?);
    let products: Vec<Number> = pairs.iter().map(|(x, y)| (*x - mx) * (*y - my)).collect();
    Ok((sum_of(&products), pairs.len() as i64))
}

pub(super) fn covariance_p_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    let (s, n) = co_deviation(&pairs).map_err(|_| ErrorKind::Div0)?;
    Ok(CalcValue::number(
        excel_div(s, Number::from_i64(n)).ok_or(ErrorKind::Div0)?,
    ))
}

pub(super) fn covariance_s_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    if pairs.len() < 2 {
        return Err(ErrorKind::Div0);
    }
    let (s, n) = co_deviation(&pairs)?;
    Ok(CalcValue::number(
        excel_div(s, Number::from_i64(n - 1)).ok_or(ErrorKind::Div0)?,
    ))
}

pub(super) fn correl_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    let (sxy, _) = co_deviation(&pairs).map_err(|_| ErrorKind::Div0)?;
    let xs: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let (sxx, syy) = (devsq(&xs)?.to_f64(), devsq(&ys)?.to_f64());
    if sxx == 0.0 || syy == 0.0 {
        return Err(ErrorKind::Div0);
    }
    Ok(CalcValue::float(sxy.to_f64() / (sxx * syy).sqrt()))
}

pub(super) fn fisher_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |x| {
        if x <= -1.0 || x >= 1.0 {
            Err(ErrorKind::Num)
        } else {
            Ok(0.5 * ((1.0 + x) / (1.0 - x)).ln())
        }
    })
}

pub(super) fn fisherinv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    float_stat(ctx, args, |y| Ok(y.tanh()))
}

/// Slope and intercept of the least-squares line of `known_y` on
/// `known_x` (SLOPE(known_y, known_x) argument order).
pub(super) fn regression(
    ctx: &mut CallContext,
    ys: &Expr,
    xs: &Expr,
) -> Result<(f64, f64, f64), ErrorKind> {
    let pairs = paired_numbers(ctx, &[ys.clone(), xs.clone()])?;
    if pairs.is_empty() {
        return Err(ErrorKind::Div0);
    }
    let (sxy, _) = co_deviation(&pairs.iter().map(|(y, x)| (*x, *y)).collect::<Vec<_>>())?;
    let xs_: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let ys_: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let sxx = devsq(&xs_)?.to_f64();
    let syy = devsq(&ys_)?.to_f64();
    if sxx == 0.0 {
        return Err(ErrorKind::Div0);
    }
    let slope = sxy.to_f64() / sxx;
    let intercept = mean_exact(&ys_)?.to_f64() - slope * mean_exact(&xs_)?.to_f64();
    let r2 = if syy == 0.0 {
        f64::NAN
    } else {
        sxy.to_f64() * sxy.to_f64() / (sxx * syy)
    };
    Ok((slope, intercept, r2))
}

/// STEYX(known_y, known_x): the standard error of the y predicted for
/// each x of the regression line; fewer than three points is `#DIV/0!`.
pub(super) fn steyx_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let pairs = paired_numbers(ctx, args)?;
    if pairs.len() < 3 {
        return Err(ErrorKind::Div0);
    }
    let (sxy, n) = co_deviation(&pairs)?;
    let ys: Vec<Number> = pairs.iter().map(|p| p.0).collect();
    let xs: Vec<Number> = pairs.iter().map(|p| p.1).collect();
    let (sxx, syy) = (devsq(&xs)?.to_f64(), devsq(&ys)?.to_f64());
    if sxx == 0.0 {
        return Err(ErrorKind::Div0);
    }
    let sxy = sxy.to_f64();
    let residual = (syy - sxy * sxy / sxx).max(0.0);
    Ok(CalcValue::float((residual / (n - 2) as f64).sqrt()))
}

pub(super) fn slope_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(regression(ctx, &args[0], &args[1])?.0))
}

pub(super) fn intercept_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(regression(ctx, &args[0], &args[1])?.1))
}

pub(super) fn rsq_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r2 = regression(ctx, &args[0], &args[1])?.2;
    if r2.is_nan() {
        return Err(ErrorKind::Div0);
    }
    Ok(CalcValue::float(r2))
}

pub(super) fn forecast_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let x = ctx.float(&args[0])?;
    let (slope, intercept, _) = regression(ctx, &args[1], &args[2])?;
    Ok(CalcValue::float(intercept + slope * x))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{assert_formula_close, err, eval_str};
    use crate::model::ErrorKind;

    #[test]
    fn steyx() {
        // Microsoft's example.
        assert_formula_close(
            "=STEYX({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})",
            3.305_718_950,
            1e-9,
        );
        assert_eq!(eval_str("=STEYX({1,2},{3,4})"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=STEYX({1,2,3},{3,4})"), err(ErrorKind::NA));
        assert_eq!(eval_str("=STEYX({1,2,3},{5,5,5})"), err(ErrorKind::Div0));
    }
}
