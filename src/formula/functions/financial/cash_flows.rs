//! Cash-flow analysis (NPV, XNPV, IRR, XIRR, MIRR): series of periodic
//! or dated flows, read by the rules Excel applies to each, and the
//! present-value sums the rate solver drives to zero.

use super::util::{finite, out, solve_rate, FinResult};
use crate::formula::functions::util::atp_num;
use crate::formula::functions::*;

pub(super) fn npv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = ctx.float(&args[0])?;
    let values: Vec<f64> = ctx
        .numbers(&args[1..], Collect::Numbers)?
        .into_iter()
        .map(Number::to_f64)
        .collect();
    out(npv_core(r, &values))
}

/// The cash flows of IRR/MIRR: the numbers of a range or array (text,
/// booleans and empty cells skipped), errors propagated.
fn flows_arg(ctx: &mut CallContext, e: &Expr) -> Result<Vec<f64>, ErrorKind> {
    let mut out = Vec::new();
    ctx.for_each_value(e, |v, direct| {
        match v {
            Value::Number(n) => out.push(n.to_f64()),
            Value::Date(d) => out.push(date_number(d).to_f64()),
            Value::Error(k) => return Err(*k),
            v if direct => out.push(to_number(v)?.to_f64()),
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The values or dates of XNPV/XIRR: every cell must hold a number (an
/// empty cell is `#NUM!`; text or a boolean is `not_number`, which Excel
/// makes `#NUM!` in XNPV but `#VALUE!` in XIRR).
fn schedule_arg(
    ctx: &mut CallContext,
    e: &Expr,
    not_number: ErrorKind,
) -> Result<Vec<f64>, ErrorKind> {
    let values = ctx.array(e)?;
    values
        .values
        .iter()
        .map(|v| match v {
            Value::Number(n) => Ok(n.to_f64()),
            Value::Date(d) => Ok(date_number(d).to_f64()),
            Value::Error(k) => Err(*k),
            Value::Empty => Err(ErrorKind::Num),
            _ => Err(not_number),
        })
        .collect()
}

pub(super) fn xnpv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = atp_num(&ctx.value(&args[0])?)?;
    let values = schedule_arg(ctx, &args[1], ErrorKind::Num)?;
    let dates = schedule_arg(ctx, &args[2], ErrorKind::Num)?;
    out(xnpv_core(r, &values, &dates))
}

pub(super) fn irr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = flows_arg(ctx, &args[0])?;
    let guess = ctx.opt_float(args, 1, 0.1)?;
    out(irr_core(&values, guess))
}

pub(super) fn xirr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = schedule_arg(ctx, &args[0], ErrorKind::Value)?;
    let dates = schedule_arg(ctx, &args[1], ErrorKind::Value)?;
    let guess = if CallContext::is_missing(args, 2) {
        0.1
    } else {
        atp_num(&ctx.value(&args[2])?)?
    };
    out(xirr_core(&values, &dates, guess))
}

pub(super) fn mirr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = flows_arg(ctx, &args[0])?;
    let finance = ctx.float(&args[1])?;
    let reinvest = ctx.float(&args[2])?;
    out(mirr_core(&values, finance, reinvest))
}

/// NPV(rate, values): values at the ends of periods 1, 2, ...
fn npv_core(rate: f64, values: &[f64]) -> FinResult<f64> {
    if rate == -1.0 {
        return Err(ErrorKind::Div0);
    }
    let mut total = 0.0;
    let mut discount = 1.0;
    for v in values {
        discount *= 1.0 + rate;
        total += v / discount;
    }
    finite(total)
}

/// NPV and its derivative in the rate, with flows from period 0.
pub(super) fn npv0_with_slope(rate: f64, values: &[f64]) -> (f64, f64) {
    let mut value = 0.0;
    let mut slope = 0.0;
    for (i, v) in values.iter().enumerate() {
        let i = i as f64;
        value += v * (1.0 + rate).powf(-i);
        slope -= i * v * (1.0 + rate).powf(-i - 1.0);
    }
    (value, slope)
}

/// IRR(values, guess).
pub(super) fn irr_core(values: &[f64], guess: f64) -> FinResult<f64> {
    if guess <= -1.0 {
        return Err(ErrorKind::Value);
    }
    if !values.iter().any(|v| *v > 0.0) || !values.iter().any(|v| *v < 0.0) {
        return Err(ErrorKind::Num);
    }
    solve_rate(&|r| npv0_with_slope(r, values), guess)
}

/// Checks XNPV/XIRR inputs: equal lengths, whole-day dates, none before
/// the first.
fn check_schedule(values: &[f64], dates: &[f64]) -> FinResult<Vec<f64>> {
    if values.len() != dates.len() || values.is_empty() {
        return Err(ErrorKind::Num);
    }
    let days: Vec<f64> = dates.iter().map(|d| d.trunc()).collect();
    if days.iter().any(|d| *d < 0.0 || *d < days[0]) {
        return Err(ErrorKind::Num);
    }
    Ok(days)
}

/// XNPV value and slope at `rate`.
fn xnpv_with_slope(rate: f64, values: &[f64], days: &[f64]) -> (f64, f64) {
    let mut value = 0.0;
    let mut slope = 0.0;
    for (v, d) in values.iter().zip(days) {
        let years = (d - days[0]) / 365.0;
        value += v * (1.0 + rate).powf(-years);
        slope -= years * v * (1.0 + rate).powf(-years - 1.0);
    }
    (value, slope)
}

/// XNPV(rate, values, dates).
fn xnpv_core(rate: f64, values: &[f64], dates: &[f64]) -> FinResult<f64> {
    let days = check_schedule(values, dates)?;
    if rate <= -1.0 {
        return Err(ErrorKind::Num);
    }
    finite(xnpv_with_slope(rate, values, &days).0)
}

/// XIRR(values, dates, guess).
fn xirr_core(values: &[f64], dates: &[f64], guess: f64) -> FinResult<f64> {
    let days = check_schedule(values, dates)?;
    if guess <= -1.0 {
        return Err(ErrorKind::Num);
    }
    if !values.iter().any(|v| *v > 0.0) || !values.iter().any(|v| *v < 0.0) {
        return Err(ErrorKind::Num);
    }
    solve_rate(&|r| xnpv_with_slope(r, values, &days), guess)
}

/// MIRR(values, finance_rate, reinvest_rate).
fn mirr_core(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> FinResult<f64> {
    let n = values.len() as f64;
    if values.is_empty() {
        return Err(ErrorKind::Div0);
    }
    let mut positive = 0.0;
    let mut negative = 0.0;
    for (i, v) in values.iter().enumerate() {
        let i = i as f64;
        if *v > 0.0 {
            positive += v * (1.0 + reinvest_rate).powf(n - 1.0 - i);
        } else {
            negative += v / (1.0 + finance_rate).powf(i);
        }
    }
    // Without outflows there is nothing to discount (#DIV/0!); without
    // inflows the rate is -100%, as in Excel.
    if negative == 0.0 {
        return Err(ErrorKind::Div0);
    }
    finite((-positive / negative).powf(1.0 / (n - 1.0)) - 1.0)
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    use crate::formula::testing::{assert_close, err, eval_str};

    #[test]
    fn xnpv_dates_before_the_first_are_num() {
        let flows = "{-10000,2750,4250,3250,2750}";
        assert_eq!(
            eval_str(&format!(
                "=XNPV(0.09,{flows},{{39448,39508,39002,39751,39859}})"
            )),
            err(ErrorKind::Num)
        );
        assert_eq!(
            eval_str(&format!("=XNPV(0.09,{flows},{{\"2008-01-01\",\"2008-03-01\",\"2007-10-30\",\"2008-11-01\",\"2009-02-15\"}})")),
            err(ErrorKind::Num)
        );
        // Microsoft's example, dates in order.
        let v = eval_str(&format!(
            "=XNPV(0.09,{flows},{{39448,39508,39751,39859,39904}})"
        ));
        assert_close!(v.as_number().unwrap().to_f64(), 2086.647602, 1e-9);
    }

    #[test]
    fn cash_flows() {
        assert_close!(
            npv_core(0.1, &[-10000.0, 3000.0, 4200.0, 6800.0]).unwrap(),
            1188.4434123352207
        );
        assert_eq!(npv_core(-1.0, &[1.0]), Err(ErrorKind::Div0));
        let flows = [-70000.0, 12000.0, 15000.0, 18000.0, 21000.0, 26000.0];
        assert_close!(irr_core(&flows, 0.1).unwrap(), 0.086630948036531);
        assert_close!(irr_core(&flows[..5], 0.1).unwrap(), -0.021244848272999);
        assert_close!(irr_core(&flows[..3], -0.1).unwrap(), -0.443506941334);
        assert_eq!(irr_core(&[1.0, 2.0], 0.1), Err(ErrorKind::Num));
        let values = [-10000.0, 2750.0, 4250.0, 3250.0, 2750.0];
        let dates = [39448.0, 39508.0, 39751.0, 39859.0, 39904.0];
        assert_close!(
            xnpv_core(0.09, &values, &dates).unwrap(),
            2086.6476020315354
        );
        assert_close!(
            xirr_core(&values, &dates, 0.1).unwrap(),
            0.37336253351883136
        );
        assert_eq!(xnpv_core(0.09, &values, &dates[..4]), Err(ErrorKind::Num));
        assert_eq!(
            xnpv_core(
                0.09,
                &values,
                &[39448.0, 39000.0, 39751.0, 39859.0, 39904.0]
            ),
            Err(ErrorKind::Num)
        );
        let mirr_flows = [-120000.0, 39000.0, 30000.0, 21000.0, 37000.0, 46000.0];
        assert_close!(mirr_core(&mirr_flows, 0.1, 0.12).unwrap(), 0.126094130);
        assert_close!(
            mirr_core(&mirr_flows[..4], 0.1, 0.12).unwrap(),
            -0.048044655
        );
        assert_eq!(mirr_core(&[1.0, 2.0], 0.1, 0.1), Err(ErrorKind::Div0));
        assert_eq!(mirr_core(&[-6.0, -1.0, -2.0], 0.1, 0.2), Ok(-1.0));
    }
}
