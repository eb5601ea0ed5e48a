//! Time value of money: annuities (PMT, PV, FV, NPER, RATE and the
//! payment splits), rate conversions and the small growth functions.
//! Kept together because they share the annuity equation and its
//! zero-rate exact forms.

use super::util::{atp_function, due_arg, finite, out, FinResult};
use crate::formula::functions::util::atp_num;
use crate::formula::functions::*;

/// The arguments shared by PMT, PV, FV and NPER: a rate, two required
/// amounts, an optional third (default 0) and the payment timing. Kept
/// as `Number` so the zero-rate formulas stay exact.
fn annuity_args(ctx: &mut CallContext, args: &[Expr]) -> Result<[Number; 4], ErrorKind> {
    Ok([
        ctx.number(&args[0])?,
        ctx.number(&args[1])?,
        ctx.number(&args[2])?,
        ctx.opt_number(args, 3, Number::ZERO)?,
    ])
}

/// PMT, PV, FV and NPER: the exact zero-rate formula when the rate is
/// zero (`None` is `#NUM!`), the float core otherwise.
fn annuity(
    ctx: &mut CallContext,
    args: &[Expr],
    exact: fn([Number; 3]) -> Option<Number>,
    core: fn(f64, f64, f64, f64, bool) -> FinResult<f64>,
) -> EvalResult {
    let [rate, a, b, c] = annuity_args(ctx, args)?;
    let due = due_arg(ctx, args, 4)?;
    if rate.is_zero() {
        return exact([a, b, c]).map(CalcValue::from).ok_or(ErrorKind::Num);
    }
    out(core(rate.to_f64(), a.to_f64(), b.to_f64(), c.to_f64(), due))
}

pub(super) fn pmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(
        ctx,
        args,
        |[nper, pv, fv]| (-(pv + fv)).checked_div(nper),
        pmt_core,
    )
}

/// The six arguments of IPMT/PPMT as floats.
fn period_args(ctx: &mut CallContext, args: &[Expr]) -> Result<[f64; 5], ErrorKind> {
    Ok([
        ctx.float(&args[0])?,
        ctx.float(&args[1])?,
        ctx.float(&args[2])?,
        ctx.float(&args[3])?,
        ctx.opt_float(args, 4, 0.0)?,
    ])
}

pub(super) fn ipmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, per, nper, pv, fv] = period_args(ctx, args)?;
    let due = due_arg(ctx, args, 5)?;
    out(ipmt_core(r, per, nper, pv, fv, due))
}

pub(super) fn ppmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, per, nper, pv, fv] = period_args(ctx, args)?;
    let due = due_arg(ctx, args, 5)?;
    out(ppmt_core(r, per, nper, pv, fv, due))
}

/// The six arguments of CUMIPMT/CUMPRINC as floats.
fn cumulative_args(ctx: &mut CallContext, args: &[Expr]) -> Result<[f64; 6], ErrorKind> {
    let mut v = [0.0; 6];
    for (slot, a) in v.iter_mut().zip(args) {
        *slot = atp_num(&ctx.value(a)?)?;
    }
    Ok(v)
}

pub(super) fn cumipmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, nper, pv, s, e, t] = cumulative_args(ctx, args)?;
    out(cumipmt_core(r, nper, pv, s, e, t))
}

pub(super) fn cumprinc(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, nper, pv, s, e, t] = cumulative_args(ctx, args)?;
    out(cumprinc_core(r, nper, pv, s, e, t))
}

pub(super) fn pv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(ctx, args, |[nper, pmt, fv]| Some(-fv - pmt * nper), pv_core)
}

pub(super) fn fv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(ctx, args, |[nper, pmt, pv]| Some(-pv - pmt * nper), fv_core)
}

pub(super) fn nper(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(
        ctx,
        args,
        |[pmt, pv, fv]| (-(pv + fv)).checked_div(pmt),
        nper_core,
    )
}

pub(super) fn rate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nper = ctx.float(&args[0])?;
    let pmt = ctx.float(&args[1])?;
    let pv = ctx.float(&args[2])?;
    let fv = ctx.opt_float(args, 3, 0.0)?;
    let due = due_arg(ctx, args, 4)?;
    let guess = ctx.opt_float(args, 5, 0.1)?;
    out(rate_core(nper, pmt, pv, fv, due, guess))
}

atp_function!(effect, effect_core, [n, p], &[]);

atp_function!(nominal, nominal_core, [e, p], &[]);

pub(super) fn ispmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = ctx.float(&args[0])?;
    let per = ctx.float(&args[1])?;
    let nper = ctx.float(&args[2])?;
    let pv = ctx.float(&args[3])?;
    out(ispmt_core(r, per, nper, pv))
}

pub(super) fn rri(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.float(&args[0])?;
    let pv = ctx.float(&args[1])?;
    let fv = ctx.float(&args[2])?;
    out(rri_core(n, pv, fv))
}

pub(super) fn pduration(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = ctx.float(&args[0])?;
    let pv = ctx.float(&args[1])?;
    let fv = ctx.float(&args[2])?;
    out(pduration_core(r, pv, fv))
}

pub(super) fn fvschedule(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let principal = atp_num(&ctx.value(&args[0])?)?;
    let mut rates = Vec::new();
    ctx.for_each_value(&args[1], |v, _| {
        match v {
            Value::Empty => {}
            v => rates.push(atp_num(v)?),
        }
        Ok(())
    })?;
    out(fvschedule_core(principal, &rates))
}

atp_function!(dollarde, dollarde_core, [d, f], &[]);

atp_function!(dollarfr, dollarfr_core, [d, f], &[]);

/// PMT(rate, nper, pv, fv, type) for a non-zero rate.
fn pmt_core(rate: f64, nper: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        if nper == 0.0 {
            return Err(ErrorKind::Num);
        }
        return Ok(-(pv + fv) / nper);
    }
    if rate <= -1.0 || nper == 0.0 {
        return Err(ErrorKind::Num);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    finite((fv + pv * growth) * rate / (due_factor * (1.0 - growth)))
}

/// FV(rate, nper, pmt, pv, type).
fn fv_core(rate: f64, nper: f64, pmt: f64, pv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        return Ok(-pv - pmt * nper);
    }
    if rate == -1.0 && nper < 0.0 {
        return Err(ErrorKind::Div0);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    let fv = -pv * growth - pmt * due_factor * (growth - 1.0) / rate;
    if fv.is_nan() {
        Err(ErrorKind::Num)
    } else if fv.is_infinite() {
        Err(ErrorKind::Div0)
    } else {
        Ok(fv)
    }
}

/// PV(rate, nper, pmt, fv, type).
fn pv_core(rate: f64, nper: f64, pmt: f64, fv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        return Ok(-fv - pmt * nper);
    }
    if rate == -1.0 {
        return Err(ErrorKind::Div0);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    finite(-(fv * rate + pmt * due_factor * (growth - 1.0)) / (rate * growth))
}

/// NPER(rate, pmt, pv, fv, type).
fn nper_core(rate: f64, pmt: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        if pmt == 0.0 {
            return Err(ErrorKind::Num);
        }
        return Ok(-(pv + fv) / pmt);
    }
    if rate <= -1.0 {
        return Err(ErrorKind::Num);
    }
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    let num = pmt * due_factor - fv * rate;
    let den = pv * rate + pmt * due_factor;
    if den == 0.0 || num / den <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((num / den).ln() / rate.ln_1p())
}

/// Interest paid in `per` of an annuity, given its payment.
fn ipmt_with(rate: f64, per: f64, pmt: f64, pv: f64, due: bool) -> FinResult<f64> {
    if due {
        if per == 1.0 {
            return Ok(0.0);
        }
        Ok((fv_core(rate, per - 2.0, pmt, pv, true)? - pmt) * rate)
    } else {
        Ok(fv_core(rate, per - 1.0, pmt, pv, false)? * rate)
    }
}

/// IPMT(rate, per, nper, pv, fv, type).
fn ipmt_core(rate: f64, per: f64, nper: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    let pmt = pmt_core(rate, nper, pv, fv, due)?;
    if per < 1.0 || per >= nper + 1.0 {
        return Err(ErrorKind::Num);
    }
    finite(ipmt_with(rate, per, pmt, pv, due)?)
}

/// PPMT(rate, per, nper, pv, fv, type).
fn ppmt_core(rate: f64, per: f64, nper: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    let pmt = pmt_core(rate, nper, pv, fv, due)?;
    Ok(pmt - ipmt_core(rate, per, nper, pv, fv, due)?)
}

/// Checks shared by CUMIPMT and CUMPRINC; returns whole start/end periods.
fn cumulative_periods(
    rate: f64,
    nper: f64,
    pv: f64,
    start: f64,
    end: f64,
    kind: f64,
) -> FinResult<(i64, i64, bool)> {
    let (s, e) = (start.ceil(), end.trunc());
    if rate <= 0.0 || nper <= 0.0 || pv <= 0.0 || s < 1.0 || e < 1.0 || s > e || e > nper {
        return Err(ErrorKind::Num);
    }
    let due = if kind == 0.0 {
        false
    } else if kind == 1.0 {
        true
    } else {
        return Err(ErrorKind::Num);
    };
    Ok((s as i64, e as i64, due))
}

/// CUMIPMT(rate, nper, pv, start, end, type).
fn cumipmt_core(rate: f64, nper: f64, pv: f64, start: f64, end: f64, kind: f64) -> FinResult<f64> {
    let (s, e, due) = cumulative_periods(rate, nper, pv, start, end, kind)?;
    let pmt = pmt_core(rate, nper, pv, 0.0, due)?;
    let mut total = 0.0;
    for per in s..=e {
        total += ipmt_with(rate, per as f64, pmt, pv, due)?;
    }
    finite(total)
}

/// CUMPRINC(rate, nper, pv, start, end, type).
fn cumprinc_core(rate: f64, nper: f64, pv: f64, start: f64, end: f64, kind: f64) -> FinResult<f64> {
    let (s, e, due) = cumulative_periods(rate, nper, pv, start, end, kind)?;
    let pmt = pmt_core(rate, nper, pv, 0.0, due)?;
    let mut total = 0.0;
    for per in s..=e {
        total += pmt - ipmt_with(rate, per as f64, pmt, pv, due)?;
    }
    finite(total)
}

/// RATE(nper, pmt, pv, fv, type, guess) by Newton's method from `guess`.
fn rate_core(nper: f64, pmt: f64, pv: f64, fv: f64, due: bool, guess: f64) -> FinResult<f64> {
    if nper <= 0.0 {
        return Err(ErrorKind::Num);
    }
    if guess <= -1.0 {
        return Err(ErrorKind::Value);
    }
    let t = if due { 1.0 } else { 0.0 };
    // f(r) = pv(1+r)^n + pmt(1+rt)((1+r)^n - 1)/r + fv
    let f = |r: f64| -> (f64, f64) {
        if r.abs() < 1e-12 {
            let value = pv + pmt * nper + fv;
            let slope = pv * nper + pmt * (nper * (nper - 1.0) / 2.0 + t * nper);
            return (value, slope);
        }
        let g1 = (1.0 + r).powf(nper - 1.0);
        let g = g1 * (1.0 + r);
        let value = pv * g + pmt * (1.0 + r * t) * (g - 1.0) / r + fv;
        let slope = pv * nper * g1
            + pmt * t * (g - 1.0) / r
            + pmt * (1.0 + r * t) * (nper * g1 * r - (g - 1.0)) / (r * r);
        (value, slope)
    };
    let mut r = guess;
    for _ in 0..100 {
        let (value, slope) = f(r);
        if !value.is_finite() || !slope.is_finite() || slope == 0.0 {
            return Err(ErrorKind::Num);
        }
        let next = r - value / slope;
        if next <= -1.0 || !next.is_finite() {
            return Err(ErrorKind::Num);
        }
        if (next - r).abs() < 1e-10 {
            return Ok(next);
        }
        r = next;
    }
    Err(ErrorKind::Num)
}

/// EFFECT(nominal_rate, npery).
fn effect_core(nominal: f64, npery: f64) -> FinResult<f64> {
    let p = npery.trunc();
    if nominal <= 0.0 || p < 1.0 {
        return Err(ErrorKind::Num);
    }
    finite((1.0 + nominal / p).powf(p) - 1.0)
}

/// NOMINAL(effect_rate, npery).
fn nominal_core(effect: f64, npery: f64) -> FinResult<f64> {
    let p = npery.trunc();
    if effect <= 0.0 || p < 1.0 {
        return Err(ErrorKind::Num);
    }
    finite(p * ((1.0 + effect).powf(1.0 / p) - 1.0))
}

/// ISPMT(rate, per, nper, pv): interest of a straight-line loan.
fn ispmt_core(rate: f64, per: f64, nper: f64, pv: f64) -> FinResult<f64> {
    if nper == 0.0 {
        return Err(ErrorKind::Div0);
    }
    finite(pv * rate * (per / nper - 1.0))
}

/// RRI(nper, pv, fv): the equivalent growth rate.
fn rri_core(nper: f64, pv: f64, fv: f64) -> FinResult<f64> {
    if nper <= 0.0 || pv == 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((fv / pv).powf(1.0 / nper) - 1.0)
}

/// FVSCHEDULE(principal, schedule).
fn fvschedule_core(principal: f64, schedule: &[f64]) -> FinResult<f64> {
    finite(schedule.iter().fold(principal, |acc, r| acc * (1.0 + r)))
}

/// PDURATION(rate, pv, fv): periods for pv to grow to fv.
fn pduration_core(rate: f64, pv: f64, fv: f64) -> FinResult<f64> {
    if rate <= 0.0 || pv <= 0.0 || fv <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((fv.ln() - pv.ln()) / rate.ln_1p())
}

/// The power of ten just above a DOLLARDE/DOLLARFR fraction denominator.
fn fraction_scale(fraction: f64) -> FinResult<f64> {
    let f = fraction.trunc();
    if f < 0.0 {
        return Err(ErrorKind::Num);
    }
    if f == 0.0 {
        return Err(ErrorKind::Div0);
    }
    Ok(10f64.powf(f.log10().ceil()))
}

/// DOLLARDE(fractional_dollar, fraction): 1.02 in sixteenths is 1.125.
fn dollarde_core(dollar: f64, fraction: f64) -> FinResult<f64> {
    let scale = fraction_scale(fraction)?;
    let whole = dollar.trunc();
    finite(whole + (dollar - whole) * scale / fraction.trunc())
}

/// DOLLARFR(decimal_dollar, fraction): 1.125 in sixteenths is 1.02.
fn dollarfr_core(dollar: f64, fraction: f64) -> FinResult<f64> {
    let scale = fraction_scale(fraction)?;
    let whole = dollar.trunc();
    finite(whole + (dollar - whole) * fraction.trunc() / scale)
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    use super::super::cash_flows::{irr_core, npv0_with_slope};
    use crate::formula::testing::assert_close;

    #[test]
    fn annuities_match_excel() {
        assert_close!(
            pmt_core(1.0, 3.0, 100.0, 300.0, true).unwrap(),
            -78.571428571428584
        );
        assert_close!(
            pmt_core(0.08 / 12.0, 10.0, 10000.0, 0.0, false).unwrap(),
            -1037.0320893591606
        );
        assert_close!(
            pmt_core(0.0, 3.0, 100.0, 300.0, true).unwrap(),
            -133.33333333333334
        );
        assert_close!(
            pmt_core(-0.9, 3.0, 120.0, 300.0, true).unwrap(),
            -2703.7837837837828
        );
        assert_eq!(pmt_core(-3.0, 5.0, 100.0, 300.0, true), Err(ErrorKind::Num));
        assert_eq!(pmt_core(0.02, 0.0, 100.0, 300.0, true), Err(ErrorKind::Num));
        assert_close!(
            fv_core(0.5, 12.0, 100.0, 0.0, true).unwrap(),
            -38623.9013671875
        );
        assert_close!(
            fv_core(0.7, -4.0, 12.0, 1.0, true).unwrap(),
            25.533841788292762
        );
        assert_close!(
            fv_core(-0.9, 3.0, 120.0, 300.0, true).unwrap(),
            -13.619999999999994
        );
        assert_close!(
            pv_core(0.08 / 12.0, 240.0, 500.0, 0.0, false).unwrap(),
            -59777.145851187525
        );
        assert_close!(
            nper_core(0.12 / 12.0, -100.0, -1000.0, 10000.0, true).unwrap(),
            59.673865674294625
        );
        assert_close!(
            nper_core(1.0, -114.28571428571429, 100.0, 0.0, false).unwrap(),
            3.0
        );
        assert_close!(nper_core(0.0, -100.0, 1000.0, 0.0, false).unwrap(), 10.0);
    }

    proptest::proptest! {
        #[test]
        fn annuity_functions_invert_each_other(
            rate in 0.0001f64..0.3,
            nper in 1f64..480.0,
            pv in -1e6f64..1e6,
            fv in -1e6f64..1e6,
            due in proptest::bool::ANY,
        ) {
            proptest::prop_assume!(pv.abs() > 1.0);
            let Ok(pmt) = pmt_core(rate, nper, pv, fv, due) else { return Ok(()); };
            let back_fv = fv_core(rate, nper, pmt, pv, due).unwrap();
            let back_pv = pv_core(rate, nper, pmt, fv, due).unwrap();
            // Rounding scales with the largest term of the equation.
            let growth = (1.0 + rate).powf(nper);
            let scale = (pv.abs() + pmt.abs() * nper) * growth + fv.abs();
            proptest::prop_assert!((back_fv - fv).abs() <= 1e-9 * scale.max(1.0));
            proptest::prop_assert!((back_pv - pv).abs() <= 1e-9 * (scale / growth).max(1.0));
        }

        #[test]
        fn cumulative_parts_add_up_to_the_payments(rate in 0.001f64..0.2, nper in 2u32..120, pv in 1f64..1e6) {
            let n = f64::from(nper);
            let pmt = pmt_core(rate, n, pv, 0.0, false).unwrap();
            let interest = cumipmt_core(rate, n, pv, 1.0, n, 0.0).unwrap();
            let principal = cumprinc_core(rate, n, pv, 1.0, n, 0.0).unwrap();
            proptest::prop_assert!((interest + principal - pmt * n).abs() <= 1e-6 * pv);
            proptest::prop_assert!((principal + pv).abs() <= 1e-6 * pv);
        }

        #[test]
        fn irr_zeroes_the_npv(flows in proptest::collection::vec(1f64..1000.0, 2..12), outlay in 100f64..5000.0) {
            let mut values = vec![-outlay];
            values.extend(flows);
            let r = irr_core(&values, 0.1).unwrap();
            let (npv, _) = npv0_with_slope(r, &values);
            proptest::prop_assert!(npv.abs() <= 1e-6 * outlay, "NPV at {} is {}", r, npv);
        }
    }

    #[test]
    fn interest_and_principal_parts() {
        assert_close!(
            ipmt_core(0.1 / 12.0, 1.0, 36.0, 8000.0, 0.0, false).unwrap(),
            -66.666666666666671
        );
        assert_close!(
            ipmt_core(0.1, 3.0, 3.0, 8000.0, 0.0, false).unwrap(),
            -292.44712990936563
        );
        assert_eq!(ipmt_core(0.1, 1.0, 3.0, 8000.0, 0.0, true), Ok(0.0));
        assert_eq!(
            ipmt_core(0.1, 0.0, 3.0, 8000.0, 0.0, false),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            ipmt_core(0.1, 4.0, 3.0, 8000.0, 0.0, false),
            Err(ErrorKind::Num)
        );
        assert_close!(
            ppmt_core(0.1 / 12.0, 1.0, 24.0, 2000.0, 0.0, false).unwrap(),
            -75.623186008366124
        );
        assert_close!(
            ppmt_core(0.08, 10.0, 10.0, 200000.0, 0.0, false).unwrap(),
            -27598.053462421354
        );
        assert_close!(
            cumipmt_core(0.09 / 12.0, 360.0, 125000.0, 13.0, 24.0, 0.0).unwrap(),
            -11135.232130750845
        );
        assert_close!(
            cumipmt_core(0.09 / 12.0, 360.0, 125000.0, 1.0, 1.0, 0.0).unwrap(),
            -937.5
        );
        assert_close!(
            cumprinc_core(0.09 / 12.0, 360.0, 125000.0, 13.0, 24.0, 0.0).unwrap(),
            -934.10712342088004
        );
        assert_close!(
            cumprinc_core(0.09 / 12.0, 360.0, 125000.0, 1.0, 1.0, 0.0).unwrap(),
            -68.278271180977001
        );
        assert_eq!(
            cumipmt_core(0.0, 360.0, 125000.0, 1.0, 1.0, 0.0),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            cumipmt_core(0.1, 360.0, 125000.0, 1.0, 1.0, 2.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn rate_solves_the_annuity() {
        assert_close!(
            rate_core(48.0, -200.0, 8000.0, 0.0, false, 0.1).unwrap(),
            7.7014724882013682E-3
        );
        let r = rate_core(60.0, -93.22, 5000.0, 0.0, false, 0.01).unwrap();
        assert_close!(pmt_core(r, 60.0, 5000.0, 0.0, false).unwrap(), -93.22);
        assert_eq!(
            rate_core(0.0, -200.0, 8000.0, 0.0, false, 0.1),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            rate_core(10.0, 200.0, 8000.0, 0.0, false, 0.1),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn rate_conversions() {
        assert_close!(effect_core(0.0525, 4.0).unwrap(), 0.053542667370758);
        assert_close!(nominal_core(0.053543, 4.0).unwrap(), 0.052500319868356);
        assert_eq!(effect_core(0.0, 4.0), Err(ErrorKind::Num));
        assert_eq!(nominal_core(0.05, 0.5), Err(ErrorKind::Num));
    }

    #[test]
    fn small_rate_functions() {
        assert_close!(
            ispmt_core(0.2, 1.0, 3.0, 100.0).unwrap(),
            -13.333333333333334
        );
        assert_eq!(ispmt_core(1.0, 2.0, 0.0, 3.0), Err(ErrorKind::Div0));
        assert_close!(rri_core(2.0, 3.0, 4.0).unwrap(), 0.15470053837925146);
        assert_close!(rri_core(2.0, 3.0, 0.0).unwrap(), -1.0);
        assert_eq!(rri_core(-7.2, 3.0, 4.0), Err(ErrorKind::Num));
        assert_eq!(rri_core(2.0, 0.0, 1.0), Err(ErrorKind::Num));
        assert_close!(
            fvschedule_core(1.0, &[0.09, 0.11, 0.1]).unwrap(),
            1.3308900000000004
        );
        assert_close!(
            pduration_core(0.025, 2000.0, 2200.0).unwrap(),
            3.8598661626226
        );
        assert_close!(dollarde_core(1.02, 16.0).unwrap(), 1.125);
        assert_close!(dollarde_core(1.1, 32.0).unwrap(), 1.3125);
        assert_close!(dollarfr_core(1.125, 16.0).unwrap(), 1.02);
        assert_close!(dollarfr_core(1.125, 32.0).unwrap(), 1.04);
        assert_eq!(dollarde_core(1.0, 0.0), Err(ErrorKind::Div0));
    }
}
