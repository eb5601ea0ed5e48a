//! Bonds with an odd first or last coupon period: ODDFPRICE, ODDFYIELD,
//! ODDLPRICE and ODDLYIELD, by the formulas Microsoft documents for
//! them. An odd period is cut into quasi-coupon periods (the regular
//! periods it would hold), stepped from the first coupon back to the
//! issue, or from the last coupon forward to maturity; each adds its
//! share of a coupon, counted in the basis's days over the period's
//! normal length.

use super::util::{coupon_months, dated_args, finite, out, solve_rate, FinResult};
use crate::formula::date_serial::{edate_core, eomonth_core};
use crate::formula::day_count::{basis_of, coupon_days};
use crate::formula::functions::*;

/// Coupon dates `k` steps of `months` from an anchor date, staying on
/// month ends when the anchor is one (as the COUP* functions do).
struct Schedule {
    anchor: f64,
    months: i32,
    month_end: bool,
}

impl Schedule {
    fn new(anchor: f64, frequency: f64) -> FinResult<Schedule> {
        Ok(Schedule {
            anchor,
            months: coupon_months(frequency)?,
            month_end: eomonth_core(anchor, 0.0)? == anchor,
        })
    }

    /// The date `k` periods after the anchor (before it for negative k).
    fn at(&self, k: i64) -> FinResult<f64> {
        let months = (k * i64::from(self.months)) as f64;
        if self.month_end {
            eomonth_core(self.anchor, months)
        } else {
            edate_core(self.anchor, months)
        }
    }
}

/// Day counts in a basis, and the normal length of a period.
#[derive(Clone, Copy)]
struct Days {
    basis: i64,
    frequency: f64,
}

impl Days {
    fn between(&self, a: f64, b: f64) -> FinResult<f64> {
        coupon_days(a, b, self.basis)
    }

    /// The normal length of the quasi-coupon period from `start` to `end`.
    fn period(&self, start: f64, end: f64) -> f64 {
        match self.basis {
            1 => end - start,
            3 => 365.0 / self.frequency,
            _ => 360.0 / self.frequency,
        }
    }
}

/// The arguments every odd-period function checks: a coupon rate and a
/// yield or price that are not negative, a positive redemption, a
/// frequency of 1, 2 or 4 and a basis of 0 to 4.
fn checked(rate: f64, redemption: f64, frequency: f64, basis: f64) -> FinResult<Days> {
    if rate < 0.0 || redemption <= 0.0 {
        return Err(ErrorKind::Num);
    }
    coupon_months(frequency)?;
    Ok(Days {
        basis: basis_of(basis)?,
        frequency: frequency.trunc(),
    })
}

/// ODDFPRICE(settlement, maturity, issue, first_coupon, rate, yld,
/// redemption, frequency, basis).
#[allow(clippy::too_many_arguments)]
fn oddfprice_core(
    settlement: f64,
    maturity: f64,
    issue: f64,
    first_coupon: f64,
    rate: f64,
    yld: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    let days = checked(rate, redemption, frequency, basis)?;
    let [s, m, i, fc] = [settlement, maturity, issue, first_coupon].map(f64::trunc);
    if yld < 0.0 || !(i < s && s < fc && fc < m) {
        return Err(ErrorKind::Num);
    }
    let f = days.frequency;
    let coupon = 100.0 * rate / f;
    let base = 1.0 + yld / f;
    // Regular coupons after the first one, stepping back from maturity.
    let maturity_schedule = Schedule::new(m, frequency)?;
    let mut after_first = 0i64;
    while maturity_schedule.at(-(after_first + 1))? >= fc {
        after_first += 1;
    }
    let after_first = after_first as f64;
    // Quasi-coupon dates back from the first coupon until the issue.
    let back = Schedule::new(fc, frequency)?;
    let mut quasi = vec![fc];
    while *quasi.last().unwrap_or(&fc) > i {
        quasi.push(back.at(-(quasi.len() as i64))?);
    }
    // quasi[k] runs from quasi[k+1] to quasi[k]; the last one starts on
    // or before the issue.
    let (mut counted, mut accrued) = (0.0, 0.0);
    let (mut to_next, mut next_length, mut whole_after) = (0.0, 1.0, 0.0);
    for k in 0..quasi.len() - 1 {
        let (start, end) = (quasi[k + 1], quasi[k]);
        let normal = days.period(start, end);
        let from = start.max(i);
        counted += days.between(from, end)? / normal;
        if s > start {
            accrued += days.between(from, s.min(end))? / normal;
        }
        if start <= s && s < end {
            to_next = days.between(s, end)?;
            next_length = normal;
        } else if start > s {
            whole_after += 1.0;
        }
    }
    let fraction = to_next / next_length;
    if quasi.len() == 2 {
        // A short (or regular) first period: Microsoft's first formula,
        // whose N counts the first coupon too.
        let n = after_first + 1.0;
        let mut price =
            redemption / base.powf(n - 1.0 + fraction) + coupon * counted / base.powf(fraction);
        let mut k = 2.0;
        while k <= n {
            price += coupon / base.powf(k - 1.0 + fraction);
            k += 1.0;
        }
        return finite(price - coupon * accrued);
    }
    let shift = whole_after + fraction;
    let mut price =
        redemption / base.powf(after_first + shift) + coupon * counted / base.powf(shift);
    let mut k = 1.0;
    while k <= after_first {
        price += coupon / base.powf(k + shift);
        k += 1.0;
    }
    finite(price - coupon * accrued)
}

/// ODDFYIELD: the yield at which ODDFPRICE gives the price.
#[allow(clippy::too_many_arguments)]
fn oddfyield_core(
    settlement: f64,
    maturity: f64,
    issue: f64,
    first_coupon: f64,
    rate: f64,
    price: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    if price <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let at = |y: f64| {
        oddfprice_core(
            settlement,
            maturity,
            issue,
            first_coupon,
            rate,
            y,
            redemption,
            frequency,
            basis,
        )
    };
    // Validates the arguments once, at a yield of zero.
    at(0.0)?;
    // ODDFPRICE refuses negative yields, so the solver sees NaN there
    // and searches the yields at or above zero.
    let price_at = |y: f64| at(y).unwrap_or(f64::NAN);
    let value = |y: f64| {
        let h = 1e-7 * y.abs().max(1e-4);
        (
            price_at(y) - price,
            (price_at(y + h) - price_at((y - h).max(0.0))) / (y + h - (y - h).max(0.0)),
        )
    };
    solve_rate(&value, rate.max(0.05))
}

/// The odd last period's quasi-coupon sums: coupon days, accrued days
/// and days from settlement to maturity, each over its period's normal
/// length.
fn odd_last_sums(
    settlement: f64,
    maturity: f64,
    last_interest: f64,
    days: Days,
    frequency: f64,
) -> FinResult<(f64, f64, f64)> {
    let [s, m, li] = [settlement, maturity, last_interest].map(f64::trunc);
    if !(li < s && s < m) {
        return Err(ErrorKind::Num);
    }
    let forward = Schedule::new(li, frequency)?;
    let (mut counted, mut accrued, mut remaining) = (0.0, 0.0, 0.0);
    let mut k = 0;
    loop {
        let start = forward.at(k)?;
        if start >= m {
            break;
        }
        let end = forward.at(k + 1)?;
        let normal = days.period(start, end);
        let stop = end.min(m);
        counted += days.between(start, stop)? / normal;
        if s > start {
            accrued += days.between(start, s.min(stop))? / normal;
        }
        if s < stop {
            remaining += days.between(s.max(start), stop)? / normal;
        }
        k += 1;
    }
    Ok((counted, accrued, remaining))
}

/// ODDLPRICE(settlement, maturity, last_interest, rate, yld, redemption,
/// frequency, basis).
#[allow(clippy::too_many_arguments)]
fn oddlprice_core(
    settlement: f64,
    maturity: f64,
    last_interest: f64,
    rate: f64,
    yld: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    let days = checked(rate, redemption, frequency, basis)?;
    if yld < 0.0 {
        return Err(ErrorKind::Num);
    }
    let (counted, accrued, remaining) =
        odd_last_sums(settlement, maturity, last_interest, days, frequency)?;
    let coupon = 100.0 * rate / days.frequency;
    finite(
        (redemption + counted * coupon) / (1.0 + remaining * yld / days.frequency)
            - accrued * coupon,
    )
}

/// ODDLYIELD(settlement, maturity, last_interest, rate, pr, redemption,
/// frequency, basis): Microsoft's closed form.
#[allow(clippy::too_many_arguments)]
fn oddlyield_core(
    settlement: f64,
    maturity: f64,
    last_interest: f64,
    rate: f64,
    price: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    let days = checked(rate, redemption, frequency, basis)?;
    if price <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let (counted, accrued, remaining) =
        odd_last_sums(settlement, maturity, last_interest, days, frequency)?;
    let coupon = 100.0 * rate / days.frequency;
    let paid = price + accrued * coupon;
    finite((redemption + counted * coupon - paid) / paid * days.frequency / remaining)
}

pub(super) fn oddfprice(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, i, fc, r, y, red, f, b] = dated_args(ctx, args, &[0.0], &[0, 1, 2, 3])?;
    out(oddfprice_core(s, m, i, fc, r, y, red, f, b))
}

pub(super) fn oddfyield(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, i, fc, r, pr, red, f, b] = dated_args(ctx, args, &[0.0], &[0, 1, 2, 3])?;
    out(oddfyield_core(s, m, i, fc, r, pr, red, f, b))
}

pub(super) fn oddlprice(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, li, r, y, red, f, b] = dated_args(ctx, args, &[0.0], &[0, 1, 2])?;
    out(oddlprice_core(s, m, li, r, y, red, f, b))
}

pub(super) fn oddlyield(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, li, r, pr, red, f, b] = dated_args(ctx, args, &[0.0], &[0, 1, 2])?;
    out(oddlyield_core(s, m, li, r, pr, red, f, b))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{assert_formula_close, err, eval_str};
    use crate::model::ErrorKind;

    #[test]
    fn microsofts_examples() {
        assert_formula_close(
            "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)",
            113.597_717_5,
            1e-8,
        );
        assert_formula_close(
            "=ODDFYIELD(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0575,84.5,100,2,0)",
            0.077_245_542,
            1e-7,
        );
        assert_formula_close(
            "=ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)",
            99.878_286_69,
            1e-8,
        );
        assert_formula_close(
            "=ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,99.875,100,2,0)",
            0.045_192_23,
            1e-7,
        );
    }

    /// A formula's number.
    fn value(formula: &str) -> f64 {
        let v = eval_str(formula);
        v.as_number()
            .unwrap_or_else(|| panic!("{formula}: {v:?}"))
            .to_f64()
    }

    #[test]
    fn a_regular_odd_period_prices_as_price_does() {
        // Issue on the previous coupon date and first coupon on the next
        // one: the "odd" first period is a regular one, so ODDFPRICE is
        // PRICE in the bases whose day counts fill the period exactly (0,
        // 1, 4; actual days over 360/f or 365/f need not add up to one
        // coupon); ODDFYIELD inverts it in every basis.
        let (s, m) = ("DATE(2020,3,10)", "DATE(2025,7,15)");
        for (f, issue, first) in [
            (1, "DATE(2019,7,15)", "DATE(2020,7,15)"),
            (2, "DATE(2020,1,15)", "DATE(2020,7,15)"),
            (4, "DATE(2020,1,15)", "DATE(2020,4,15)"),
        ] {
            for b in 0..=4 {
                let price = value(&format!("=PRICE({s},{m},0.0575,0.065,100,{f},{b})"));
                let odd = value(&format!(
                    "=ODDFPRICE({s},{m},{issue},{first},0.0575,0.065,100,{f},{b})"
                ));
                if b != 2 && b != 3 {
                    assert!((odd - price).abs() < 1e-9, "f {f} b {b}: {odd} vs {price}");
                }
                let y = value(&format!(
                    "=ODDFYIELD({s},{m},{issue},{first},0.0575,{odd},100,{f},{b})"
                ));
                assert!((y - 0.065).abs() < 1e-9, "f {f} b {b}: {y}");
            }
        }
        // One regular period left: ODDLPRICE is PRICE's one-coupon formula,
        // and ODDLYIELD inverts it.
        let (s, m, last) = ("DATE(2025,3,10)", "DATE(2025,7,15)", "DATE(2025,1,15)");
        for b in 0..=4 {
            let price = value(&format!("=PRICE({s},{m},0.0575,0.065,100,2,{b})"));
            let odd = value(&format!(
                "=ODDLPRICE({s},{m},{last},0.0575,0.065,100,2,{b})"
            ));
            if b != 2 && b != 3 {
                assert!((odd - price).abs() < 1e-9, "b {b}: {odd} vs {price}");
            }
            let y = value(&format!(
                "=ODDLYIELD({s},{m},{last},0.0575,{odd},100,2,{b})"
            ));
            assert!((y - 0.065).abs() < 1e-9, "b {b}: {y}");
        }
    }

    #[test]
    fn long_first_periods_invert() {
        // Issued more than a period before the first coupon.
        for f in [1, 2, 4] {
            for b in 0..=4 {
                let args = "DATE(2020,3,15),DATE(2026,9,1),DATE(2019,5,10),DATE(2021,3,1),0.0785";
                let price = value(&format!("=ODDFPRICE({args},0.0625,100,{f},{b})"));
                let y = value(&format!("=ODDFYIELD({args},{price},100,{f},{b})"));
                assert!((y - 0.0625).abs() < 1e-9, "f {f} b {b}: {y}");
            }
        }
    }

    #[test]
    fn dates_out_of_order_and_bad_arguments() {
        let cases = [
            "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,12,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)",
            "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,-0.01,100,2,1)",
            "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,3,1)",
            "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,2,5)",
            "=ODDLPRICE(DATE(2007,10,14),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)",
            "=ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,0,100,2,0)",
            "=ODDFYIELD(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0575,-1,100,2,0)",
        ];
        for formula in cases {
            assert_eq!(eval_str(formula), err(ErrorKind::Num), "{formula}");
        }
        assert_eq!(
            eval_str("=ODDLPRICE(TRUE,DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)"),
            err(ErrorKind::Value)
        );
    }
}
