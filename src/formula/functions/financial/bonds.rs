//! Securities paying periodic coupons: the coupon calendar (COUP*),
//! PRICE, YIELD, DURATION and ACCRINT, which all step coupon dates back
//! from maturity.

use super::util::{
    atp_function, coupon_months, dated_args, finite, out, settle_mature, solve_rate, FinResult,
};
use crate::formula::date_serial::{edate_core, eomonth_core};
use crate::formula::day_count::{basis_of, bond_date, bond_days, coupon_days, days_nasd_30_360};
use crate::formula::functions::util::date_out;
use crate::formula::functions::*;
use crate::model::calendar;
use chrono::NaiveDate;

atp_function!(
    coupdaybs,
    coupdaybs_core,
    [s, m, f, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    coupdays,
    coupdays_core,
    [s, m, f, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    coupdaysnc,
    coupdaysnc_core,
    [s, m, f, b],
    &[0.0],
    dates = [0, 1]
);

pub(super) fn coupncd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    date_out(
        coupon_dates_core(s, m, f, b).map(|p| p.next),
        ctx.date_system(),
    )
    .map(CalcValue::Value)
}

pub(super) fn coupnum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    out(coupon_dates_core(s, m, f, b).map(|p| p.count))
}

pub(super) fn couppcd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    date_out(
        coupon_dates_core(s, m, f, b).map(|p| p.previous),
        ctx.date_system(),
    )
    .map(CalcValue::Value)
}

pub(super) fn accrint(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [i, f, s, r, p, q, b] = dated_args(ctx, args, &[0.0], &[0, 1, 2])?;
    let from_issue = ctx.opt_bool(args, 7, true)?;
    out(accrint_core(i, f, s, r, p, q, b, from_issue))
}

atp_function!(
    price,
    price_core,
    [s, m, r, y, red, f, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    yield_fn,
    yield_core,
    [s, m, r, pr, red, f, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    duration,
    duration_core,
    [s, m, c, y, f, b],
    &[0.0],
    dates = [0, 1]
);

pub(super) fn mduration(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, c, y, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    out(duration_core(s, m, c, y, f, b).map(|d| d / (1.0 + y / f.trunc())))
}

/// The coupon period around a settlement date.
struct CouponPeriod {
    /// Previous coupon date (on or before settlement).
    previous: f64,
    /// Next coupon date (after settlement).
    next: f64,
    /// Coupons payable between settlement and maturity.
    count: f64,
}

/// Coupon dates step back from maturity by 12/frequency months, staying
/// on the month's last day when maturity is a month end.
fn coupon_period(settlement: f64, maturity: f64, frequency: f64) -> FinResult<CouponPeriod> {
    let (s, m) = settle_mature(settlement, maturity)?;
    let step = coupon_months(frequency)?;
    let month_end = eomonth_core(m, 0.0)? == m;
    let shifted = |k: i64| -> FinResult<f64> {
        let months = -(k * i64::from(step)) as f64;
        if month_end {
            eomonth_core(m, months)
        } else {
            edate_core(m, months)
        }
    };
    let mut next = m;
    let mut k = 1;
    loop {
        let previous = shifted(k)?;
        if previous <= s {
            return Ok(CouponPeriod {
                previous,
                next,
                count: k as f64,
            });
        }
        next = previous;
        k += 1;
    }
}

/// COUPPCD, COUPNCD and COUPNUM share the schedule.
fn coupon_dates_core(
    settlement: f64,
    maturity: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<CouponPeriod> {
    basis_of(basis)?;
    coupon_period(settlement, maturity, frequency)
}

/// COUPDAYS(settlement, maturity, frequency, basis).
fn coupdays_core(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let period = coupon_period(settlement, maturity, frequency)?;
    let f = frequency.trunc();
    Ok(match b {
        1 => period.next - period.previous,
        3 => 365.0 / f,
        _ => 360.0 / f,
    })
}

/// COUPDAYBS(settlement, maturity, frequency, basis).
fn coupdaybs_core(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let period = coupon_period(settlement, maturity, frequency)?;
    coupon_days(period.previous, settlement.trunc(), b)
}

/// COUPDAYSNC(settlement, maturity, frequency, basis).
fn coupdaysnc_core(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let period = coupon_period(settlement, maturity, frequency)?;
    if b == 0 || b == 4 {
        let days = coupdays_core(settlement, maturity, frequency, basis)?;
        return Ok(days - coupon_days(period.previous, settlement.trunc(), b)?);
    }
    Ok(period.next - settlement.trunc())
}

/// The coupon schedule of a bond as PRICE and YIELD use it.
struct Coupons {
    /// Coupons left (N).
    count: f64,
    /// Days from the previous coupon to settlement (A).
    accrued: f64,
    /// Days in the coupon period (E).
    period: f64,
    /// Days from settlement to the next coupon (DSC).
    to_next: f64,
    /// Coupons a year.
    frequency: f64,
}

fn coupons(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<Coupons> {
    Ok(Coupons {
        count: coupon_dates_core(settlement, maturity, frequency, basis)?.count,
        accrued: coupdaybs_core(settlement, maturity, frequency, basis)?,
        period: coupdays_core(settlement, maturity, frequency, basis)?,
        to_next: coupdaysnc_core(settlement, maturity, frequency, basis)?,
        frequency: frequency.trunc(),
    })
}

/// Clean price per 100 of a bond at a yield (Excel's PRICE formula).
fn bond_price(c: &Coupons, rate: f64, yld: f64, redemption: f64) -> f64 {
    let coupon = 100.0 * rate / c.frequency;
    let accrued = coupon * c.accrued / c.period;
    let fraction = c.to_next / c.period;
    if c.count == 1.0 {
        return (coupon + redemption) / (1.0 + fraction * yld / c.frequency) - accrued;
    }
    let base = 1.0 + yld / c.frequency;
    let mut price = redemption / base.powf(c.count - 1.0 + fraction);
    let mut k = 1.0;
    while k <= c.count {
        price += coupon / base.powf(k - 1.0 + fraction);
        k += 1.0;
    }
    price - accrued
}

/// Checks shared by PRICE and YIELD.
fn check_bond(rate: f64, amount: f64, redemption: f64) -> FinResult<()> {
    if rate < 0.0 || amount < 0.0 || redemption <= 0.0 {
        Err(ErrorKind::Num)
    } else {
        Ok(())
    }
}

/// PRICE(settlement, maturity, rate, yld, redemption, frequency, basis).
fn price_core(
    settlement: f64,
    maturity: f64,
    rate: f64,
    yld: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    check_bond(rate, yld, redemption)?;
    let c = coupons(settlement, maturity, frequency, basis)?;
    finite(bond_price(&c, rate, yld, redemption))
}

/// YIELD(settlement, maturity, rate, pr, redemption, frequency, basis):
/// closed form with one coupon left, else Newton on the price.
fn yield_core(
    settlement: f64,
    maturity: f64,
    rate: f64,
    pr: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    check_bond(rate, pr, redemption)?;
    if pr == 0.0 {
        return Err(ErrorKind::Num);
    }
    let c = coupons(settlement, maturity, frequency, basis)?;
    if c.count == 1.0 {
        let coupon = rate / c.frequency;
        let paid = pr / 100.0 + c.accrued / c.period * coupon;
        let remaining = c.period - c.accrued;
        return finite(
            (redemption / 100.0 + coupon - paid) / paid * c.frequency * c.period / remaining,
        );
    }
    let slope = |y: f64| {
        let h = 1e-7 * y.abs().max(1e-4);
        (bond_price(&c, rate, y + h, redemption) - bond_price(&c, rate, y - h, redemption))
            / (2.0 * h)
    };
    let f = |y: f64| (bond_price(&c, rate, y, redemption) - pr, slope(y));
    let y = solve_rate(&f, rate.max(0.05))?;
    if y <= -c.frequency {
        return Err(ErrorKind::Num);
    }
    Ok(y)
}

/// DURATION(settlement, maturity, coupon, yld, frequency, basis): the
/// Macaulay duration in years, each flow timed at `k - 1 + (E - A)/E`
/// coupon periods from settlement. (Excel times DURATION's flows from
/// the period length less the days accrued, not from COUPDAYSNC as PRICE
/// does; the two differ only for the actual-day bases.)
fn duration_core(
    settlement: f64,
    maturity: f64,
    coupon: f64,
    yld: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    if coupon < 0.0 || yld < 0.0 {
        return Err(ErrorKind::Num);
    }
    let c = coupons(settlement, maturity, frequency, basis)?;
    let offset = (c.period - c.accrued) / c.period - 1.0;
    let cash = 100.0 * coupon / c.frequency;
    let base = 1.0 + yld / c.frequency;
    let (mut weighted, mut price) = (0.0, 0.0);
    let mut k = 1.0;
    while k <= c.count {
        let flow = if k == c.count { cash + 100.0 } else { cash };
        let pv = flow / base.powf(k + offset);
        weighted += (k + offset) * pv;
        price += pv;
        k += 1.0;
    }
    finite(weighted / price / c.frequency)
}

/// ACCRINT(issue, first_interest, settlement, rate, par, frequency,
/// basis, calc_method): interest accrued over quasi-coupon periods that
/// step back from the first interest date.
#[allow(clippy::too_many_arguments)]
fn accrint_core(
    issue: f64,
    first_interest: f64,
    settlement: f64,
    rate: f64,
    par: f64,
    frequency: f64,
    basis: f64,
    from_issue: bool,
) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let months = coupon_months(frequency)?;
    if rate <= 0.0 || par <= 0.0 || issue.trunc() >= settlement.trunc() {
        return Err(ErrorKind::Num);
    }
    let issue = bond_date(issue.trunc())?;
    let first = bond_date(first_interest.trunc())?;
    let settle = bond_date(settlement.trunc())?;
    let freq = f64::from(12 / months);
    // Coupon dates stay on month ends when the first interest date is one.
    let month_end = calendar::is_month_end(first);
    let shift_months = |d: NaiveDate, by: i32| {
        if month_end {
            calendar::end_of_month(d, i64::from(by))
        } else {
            calendar::add_months(d, i64::from(by))
        }
        .ok_or(ErrorKind::Num)
    };
    let regular_start = shift_months(first, -months)?;
    // The coupon date on or before settlement, walking forward from the
    // first interest date when settlement is past it.
    let mut previous = regular_start;
    if settle > first && from_issue {
        let mut next = first;
        previous = first;
        while next < settle {
            previous = next;
            next = shift_months(next, months)?;
        }
    }
    let accrual_start = issue.max(previous);
    let period_length = match b {
        0 | 2 | 4 => 360.0 / freq,
        3 => 365.0 / freq,
        _ => (first - regular_start).num_days() as f64,
    };
    let mut periods = bond_days(accrual_start, settle, b, true) / period_length;
    // Earlier periods back to the issue date: whole ones count when
    // accruing from issue, the issue stub counts pro rata.
    let mut end = previous;
    while end > issue {
        let start = shift_months(end, -months)?;
        if start >= issue {
            periods += if from_issue { 1.0 } else { 0.0 };
        } else {
            let accrued = if b == 0 {
                days_nasd_30_360(issue, end, false)
            } else {
                bond_days(issue, end, b, true)
            };
            let length = match b {
                0 => days_nasd_30_360(start, end, true),
                3 => 365.0 / freq,
                _ => bond_days(start, end, b, false),
            };
            periods += accrued / length;
        }
        end = start;
    }
    finite(par * rate / freq * periods)
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::super::securities::{accrintm_core, pricemat_core, yieldmat_core};
    use super::*;
    use crate::formula::date_serial::date_core;
    use crate::formula::testing::assert_close;

    #[test]
    fn coupons() {
        let (s, m) = (43831.0, 44197.0);
        let p = coupon_dates_core(s, m, 2.0, 0.0).unwrap();
        assert_eq!((p.previous, p.next, p.count), (43831.0, 44013.0, 2.0));
        assert_eq!(coupdays_core(s, m, 1.0, 1.0), Ok(366.0));
        assert_eq!(coupdays_core(s, m, 2.0, 3.0), Ok(182.5));
        assert_eq!(coupdaysnc_core(s, m, 1.0, 2.0), Ok(366.0));
        assert_eq!(coupdaybs_core(s, m, 4.0, 1.0), Ok(0.0));
        // Microsoft's example: 25-Jan-2011 to 15-Nov-2011, semiannual, basis 1.
        let (s, m) = (40568.0, 40862.0);
        assert_eq!(coupdaybs_core(s, m, 2.0, 1.0), Ok(71.0));
        assert_eq!(coupdays_core(s, m, 2.0, 1.0), Ok(181.0));
        assert_eq!(coupdaysnc_core(s, m, 2.0, 1.0), Ok(110.0));
        assert_eq!(coupon_dates_core(s, m, 2.0, 1.0).unwrap().next, 40678.0);
        assert_eq!(coupon_dates_core(s, m, 2.0, 1.0).unwrap().previous, 40497.0);
        assert_eq!(
            coupon_dates_core(s, m, 3.0, 1.0).err(),
            Some(ErrorKind::Num)
        );
        assert_eq!(
            coupon_dates_core(m, s, 2.0, 1.0).err(),
            Some(ErrorKind::Num)
        );
        assert_close!(
            accrintm_core(39539.0, 39614.0, 0.1, 1000.0, 3.0).unwrap(),
            20.547945205479451
        );
        assert_eq!(
            accrintm_core(39614.0, 39539.0, 0.1, 1000.0, 3.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn bond_prices_and_yields() {
        // Microsoft's examples.
        let (s, m) = (39493.0, 42689.0); // 15-Feb-2008, 15-Nov-2016
        assert_close!(
            price_core(s, 43054.0, 0.0575, 0.065, 100.0, 2.0, 0.0).unwrap(),
            94.634361621
        );
        assert_close!(
            yield_core(s, m, 0.0575, 95.04287, 100.0, 2.0, 0.0).unwrap(),
            0.065000
        );
        let y = yield_core(s, 43054.0, 0.0575, 94.634361621, 100.0, 2.0, 0.0).unwrap();
        assert_close!(y, 0.065);
        // One coupon left: the closed form.
        let y1 = yield_core(39493.0, 39583.0, 0.06, 99.5, 100.0, 2.0, 0.0).unwrap();
        assert_close!(
            price_core(39493.0, 39583.0, 0.06, y1, 100.0, 2.0, 0.0).unwrap(),
            99.5
        );
        let d = |y: f64, m: f64| date_core(y, m, 1.0).unwrap();
        assert_close!(
            duration_core(d(2018.0, 7.0), d(2048.0, 1.0), 0.08, 0.09, 2.0, 1.0).unwrap(),
            10.919145281591925
        );
        let md =
            duration_core(d(2008.0, 1.0), d(2016.0, 1.0), 0.08, 0.09, 2.0, 1.0).unwrap() / 1.045;
        assert_close!(md, 5.735669813918838);
        assert_close!(
            pricemat_core(39493.0, 39551.0, 39397.0, 0.061, 0.061, 0.0).unwrap(),
            99.98449887555694
        );
        assert_close!(
            yieldmat_core(39522.0, 39755.0, 39394.0, 0.0625, 100.0123, 0.0).unwrap(),
            0.060954333691538
        );
        assert_eq!(
            price_core(s, m, -0.01, 0.065, 100.0, 2.0, 0.0),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            pricemat_core(39493.0, 39551.0, 39600.0, 0.061, 0.061, 0.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn price_and_yield_in_every_basis_and_frequency() {
        // 31-Jan-2010 to 31-Aug-2020 (a month-end schedule), 5.75% coupon:
        // PRICE at a 6.5% yield and YIELD at a price of 95.04287, for
        // frequencies 1, 2, 4 and bases 0-4. The values are LibreOffice's
        // (a second engine, whose PRICE and YIELD follow the same
        // Microsoft formulas for more than one coupon left), agreeing to
        // 13 digits.
        let (s, m) = (40209.0, 44074.0);
        let cases = [
            (1.0, 0.0, 94.3427432445492, 0.0640344023270451),
            (1.0, 1.0, 94.3436035907304, 0.0640354306965582),
            (1.0, 2.0, 94.2609875397398, 0.0639226219114312),
            (1.0, 3.0, 94.3436035907304, 0.0640354306965582),
            (1.0, 4.0, 94.3427432445492, 0.0640344023270451),
            (2.0, 0.0, 94.3184237810855, 0.0640117757984399),
            (2.0, 1.0, 94.3210430383337, 0.0640149513378837),
            (2.0, 2.0, 94.3048822944061, 0.0639930325450249),
            (2.0, 3.0, 94.3449522182165, 0.0640473901133431),
            (2.0, 4.0, 94.3184237810855, 0.0640117757984399),
            (4.0, 0.0, 94.2906044955142, 0.0639799538662277),
            (4.0, 1.0, 94.2927851404869, 0.0639825382582321),
            (4.0, 2.0, 94.2927851404869, 0.0639825382582321),
            (4.0, 3.0, 94.3128965242607, 0.0640096226454151),
            (4.0, 4.0, 94.2906044955142, 0.0639799538662277),
        ];
        for (f, b, price, yld) in cases {
            assert_close!(
                price_core(s, m, 0.0575, 0.065, 100.0, f, b).unwrap(),
                price,
                1e-12
            );
            assert_close!(
                yield_core(s, m, 0.0575, 95.04287, 100.0, f, b).unwrap(),
                yld,
                1e-12
            );
        }
    }

    #[test]
    fn accrued_interest() {
        let cases = [
            (
                39508.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                true,
                16.666666666666664,
            ),
            (
                39512.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                false,
                15.555555555555555,
            ),
            (
                39543.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                true,
                7.2222222222222214,
            ),
            (
                39142.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                true,
                116.94444444444446,
            ),
            (
                39142.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                false,
                66.944444444444457,
            ),
            (
                42736.0,
                43070.0,
                42826.0,
                0.33,
                3000.0,
                4.0,
                1.0,
                true,
                241.12362637362637,
            ),
            (
                42736.0,
                43070.0,
                42826.0,
                0.33,
                3000.0,
                4.0,
                1.0,
                false,
                -253.87637362637361,
            ),
            (
                42736.0,
                43070.0,
                42826.0,
                0.33,
                3000.0,
                4.0,
                3.0,
                true,
                240.04109589041096,
            ),
            (
                42522.0,
                43070.0,
                42614.0,
                0.33,
                3000.0,
                2.0,
                1.0,
                true,
                251.55737704918027,
            ),
        ];
        for (i, f, s, r, p, q, b, m, want) in cases {
            assert_close!(accrint_core(i, f, s, r, p, q, b, m).unwrap(), want);
        }
        assert_eq!(
            accrint_core(39508.0, 39691.0, 39569.0, 0.1, 1000.0, 3.0, 0.0, true),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            accrint_core(39569.0, 39691.0, 39569.0, 0.1, 1000.0, 2.0, 0.0, true),
            Err(ErrorKind::Num)
        );
    }
}
