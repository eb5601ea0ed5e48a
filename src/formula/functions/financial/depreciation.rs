//! Depreciation schedules (SLN, SYD, DB, DDB, VDB and the French
//! AMORLINC/AMORDEGRC): one asset's cost spread over its life.

use super::util::{atp_function, finite, out, FinResult};
use crate::formula::day_count::{basis_of, year_fraction};
use crate::formula::functions::*;

pub(super) fn sln(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.number(&args[0])?;
    let salvage = ctx.number(&args[1])?;
    let life = ctx.number(&args[2])?;
    sln_core(cost, salvage, life).map(CalcValue::from)
}

pub(super) fn syd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.number(&args[0])?;
    let salvage = ctx.number(&args[1])?;
    let life = ctx.number(&args[2])?;
    let per = ctx.number(&args[3])?;
    syd_core(cost, salvage, life, per).map(CalcValue::from)
}

pub(super) fn db(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.float(&args[0])?;
    let salvage = ctx.float(&args[1])?;
    let life = ctx.float(&args[2])?;
    let period = ctx.float(&args[3])?;
    let month = ctx.opt_float(args, 4, 12.0)?;
    out(db_core(cost, salvage, life, period, month))
}

pub(super) fn ddb(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.float(&args[0])?;
    let salvage = ctx.float(&args[1])?;
    let life = ctx.float(&args[2])?;
    let period = ctx.float(&args[3])?;
    let factor = ctx.opt_float(args, 4, 2.0)?;
    out(ddb_core(cost, salvage, life, period, factor))
}

pub(super) fn vdb(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.float(&args[0])?;
    let salvage = ctx.float(&args[1])?;
    let life = ctx.float(&args[2])?;
    let start = ctx.float(&args[3])?;
    let end = ctx.float(&args[4])?;
    let factor = ctx.opt_float(args, 5, 2.0)?;
    let no_switch = ctx.opt_bool(args, 6, false)?;
    out(vdb_core(cost, salvage, life, start, end, factor, no_switch))
}

atp_function!(
    amorlinc,
    amorlinc_core,
    [c, d, f, sv, p, r, b],
    &[0.0],
    dates = [1, 2]
);

atp_function!(
    amordegrc,
    amordegrc_core,
    [c, d, f, sv, p, r, b],
    &[0.0],
    dates = [1, 2]
);

/// SLN(cost, salvage, life), exact for exact inputs.
fn sln_core(cost: Number, salvage: Number, life: Number) -> FinResult<Number> {
    (cost - salvage).checked_div(life).ok_or(ErrorKind::Div0)
}

/// SYD(cost, salvage, life, per), exact for exact inputs.
fn syd_core(cost: Number, salvage: Number, life: Number, per: Number) -> FinResult<Number> {
    if life <= Number::ZERO || per <= Number::ZERO || per > life || salvage < Number::ZERO {
        return Err(ErrorKind::Num);
    }
    let remaining = life - per + Number::ONE;
    let two = Number::from_i64(2);
    ((cost - salvage) * remaining * two)
        .checked_div(life * (life + Number::ONE))
        .ok_or(ErrorKind::Num)
}

/// DB(cost, salvage, life, period, month): fixed-declining balance with
/// the rate rounded to three decimals, as Excel does.
fn db_core(cost: f64, salvage: f64, life: f64, period: f64, month: f64) -> FinResult<f64> {
    let month = month.trunc();
    let period = period.trunc();
    if cost < 0.0
        || salvage < 0.0
        || life <= 0.0
        || period <= 0.0
        || !(1.0..=12.0).contains(&month)
        || period > life + 1.0
        || (period > life && month == 12.0)
    {
        return Err(ErrorKind::Num);
    }
    if cost == 0.0 {
        return Ok(0.0);
    }
    let rate = ((1.0 - (salvage / cost).powf(1.0 / life)) * 1000.0).round() / 1000.0;
    let first = cost * rate * month / 12.0;
    if period == 1.0 {
        return finite(first);
    }
    let mut total = first;
    let mut dep = first;
    let last = life.trunc() + 1.0;
    let mut p = 2.0;
    while p <= period {
        dep = if p == last {
            (cost - total) * rate * (12.0 - month) / 12.0
        } else {
            (cost - total) * rate
        };
        total += dep;
        p += 1.0;
    }
    finite(dep)
}

/// DDB(cost, salvage, life, period, factor).
fn ddb_core(cost: f64, salvage: f64, life: f64, period: f64, factor: f64) -> FinResult<f64> {
    if cost < 0.0 || salvage < 0.0 || life <= 0.0 || period <= 0.0 || factor <= 0.0 || period > life
    {
        return Err(ErrorKind::Num);
    }
    let rate = (factor / life).min(1.0);
    let (old, new) = if rate >= 1.0 {
        (if period <= 1.0 { cost } else { 0.0 }, 0.0)
    } else {
        (
            cost * (1.0 - rate).powf(period - 1.0),
            cost * (1.0 - rate).powf(period),
        )
    };
    let dep = if new < salvage {
        old - salvage
    } else {
        old - new
    };
    finite(dep.max(0.0))
}

/// Periods of plain declining balance crossed one at a time at most; a
/// longer stretch is crossed in one step.
const LONG_LIFE: f64 = 10_000.0;

/// Cumulative VDB depreciation from the start of the life to each of
/// `points` (ascending, within the life), linear within a period: the
/// declining balance of each whole period, switching to straight line
/// once that is larger (unless `no_switch`). Periods are walked one by one
/// only while the balance declines; once on the straight line every
/// further period is the same amount, so the rest is counted in closed
/// form — a life of 1E9 periods costs neither 8 GB of schedule nor a
/// billion steps.
fn vdb_cumulative<const N: usize>(
    cost: f64,
    salvage: f64,
    life: f64,
    factor: f64,
    no_switch: bool,
    points: [f64; N],
) -> [f64; N] {
    let periods = life.ceil().max(0.0);
    let rate = (factor / life).min(1.0);
    let mut out = [0.0; N];
    let mut book = cost;
    let mut total = 0.0;
    let mut i = 0.0;
    // The point being answered; points are ascending.
    let mut next = 0;
    // A period is plain declining balance when it neither hits the
    // salvage floor nor loses to the straight line; once a period is not,
    // no later one is, so a long plain stretch is found by bisection and
    // crossed with one power (only in long lives, so that everyday
    // schedules keep the period-by-period sums).
    let plain = |m: f64, b: f64| {
        let ddb = b * rate;
        let sl = ((b - salvage) / (life - m)).max(0.0);
        b - ddb >= salvage && (no_switch || sl <= ddb)
    };
    while next < N && i < periods {
        if book <= salvage {
            // Nothing is left to write off.
            break;
        }
        let limit = (points[next].floor() - i).min(periods - i);
        if limit > LONG_LIFE && rate < 1.0 {
            let (mut lo, mut hi) = (0.0f64, limit);
            while lo < hi {
                let mid = (lo + (hi - lo) / 2.0).ceil();
                if plain(i + mid - 1.0, book * (1.0 - rate).powf(mid - 1.0)) {
                    lo = mid;
                } else {
                    hi = mid - 1.0;
                }
            }
            if lo > 0.0 {
                let after = book * (1.0 - rate).powf(lo);
                total += book - after;
                book = after;
                i += lo;
                continue;
            }
        }
        let remaining_life = life - i;
        let mut ddb = book * rate;
        if book - ddb < salvage {
            ddb = (book - salvage).max(0.0);
        }
        let sl = if remaining_life > 0.0 {
            ((book - salvage) / remaining_life).max(0.0)
        } else {
            0.0
        };
        if !no_switch && sl > ddb {
            // Straight line from period i on: `sl` a period until the
            // book value reaches salvage.
            let left = (book - salvage).max(0.0);
            let upto = |x: f64| -> f64 {
                let whole = (x.floor() - i).max(0.0);
                let full = (whole * sl).min(left);
                let part = if x.floor() < periods {
                    (sl.min(left - full)).max(0.0) * (x - x.floor())
                } else {
                    0.0
                };
                full + part
            };
            for slot in out.iter_mut().skip(next) {
                *slot = total + upto(points[next]);
                next += 1;
            }
            return out;
        }
        let dep = ddb.min((book - salvage).max(0.0));
        while next < N && points[next] < i + 1.0 {
            out[next] = total + dep * (points[next] - i);
            next += 1;
        }
        book -= dep;
        total += dep;
        i += 1.0;
    }
    for slot in out.iter_mut().skip(next) {
        *slot = total;
    }
    out
}

/// VDB(cost, salvage, life, start, end, factor, no_switch): depreciation
/// between two (possibly fractional) points of the life.
fn vdb_core(
    cost: f64,
    salvage: f64,
    life: f64,
    start: f64,
    end: f64,
    factor: f64,
    no_switch: bool,
) -> FinResult<f64> {
    if cost < 0.0
        || salvage < 0.0
        || life <= 0.0
        || start < 0.0
        || end < start
        || end > life
        || factor <= 0.0
    {
        return Err(ErrorKind::Num);
    }
    let [to_start, to_end] = vdb_cumulative(cost, salvage, life, factor, no_switch, [start, end]);
    finite(to_end - to_start)
}

/// Checks shared by AMORLINC and AMORDEGRC; returns the whole period
/// and the year fraction of the first (partial) period.
fn amortization_start(
    cost: f64,
    purchased: f64,
    first_period: f64,
    salvage: f64,
    period: f64,
    rate: f64,
    basis: f64,
) -> FinResult<(f64, f64)> {
    let b = basis_of(basis)?;
    let (d, f) = (purchased.trunc(), first_period.trunc());
    if cost < 0.0
        || salvage < 0.0
        || salvage > cost
        || period < 0.0
        || rate <= 0.0
        || d < 0.0
        || f < d
    {
        return Err(ErrorKind::Num);
    }
    Ok((period.trunc(), year_fraction(d, f, b)?))
}

/// AMORLINC(cost, date_purchased, first_period, salvage, period, rate,
/// basis): straight line at `rate`, the first period prorated.
fn amorlinc_core(
    cost: f64,
    purchased: f64,
    first_period: f64,
    salvage: f64,
    period: f64,
    rate: f64,
    basis: f64,
) -> FinResult<f64> {
    let (period, first_fraction) =
        amortization_start(cost, purchased, first_period, salvage, period, rate, basis)?;
    let full = cost * rate;
    let first = first_fraction * full;
    let whole_periods = ((cost - salvage - first) / full).floor().max(0.0);
    Ok(if period == 0.0 {
        first
    } else if period <= whole_periods {
        full
    } else if period == whole_periods + 1.0 {
        (cost - salvage - full * whole_periods - first).max(0.0)
    } else {
        0.0
    })
}

/// AMORDEGRC(cost, date_purchased, first_period, salvage, period, rate,
/// basis): declining balance at `rate` times a coefficient set by the
/// asset's life, amounts rounded to whole units, half the remainder in
/// the second-to-last period and the rest in the last.
fn amordegrc_core(
    cost: f64,
    purchased: f64,
    first_period: f64,
    salvage: f64,
    period: f64,
    rate: f64,
    basis: f64,
) -> FinResult<f64> {
    let (period, first_fraction) =
        amortization_start(cost, purchased, first_period, salvage, period, rate, basis)?;
    let life = 1.0 / rate;
    // Excel refuses fractional lives below 3 years and between 4 and 5.
    let fractional = life.fract() != 0.0;
    if fractional && (life < 3.0 || (4.0..5.0).contains(&life)) {
        return Err(ErrorKind::Num);
    }
    let coefficient = if life < 3.0 {
        1.0
    } else if life < 5.0 {
        1.5
    } else if life <= 6.0 {
        2.0
    } else {
        2.5
    };
    let rate = rate * coefficient;
    let mut amount = (first_fraction * rate * cost).round();
    if period == 0.0 {
        return Ok(amount);
    }
    let mut book = cost - amount;
    let mut remaining = book - salvage;
    let mut n = 0.0;
    while n < period {
        amount = (rate * book).round();
        remaining -= amount;
        if remaining < 0.0 {
            return Ok(if period - n <= 1.0 {
                (book * 0.5).round()
            } else {
                0.0
            });
        }
        book -= amount;
        n += 1.0;
    }
    Ok(amount)
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    use crate::formula::testing::assert_close;

    #[test]
    fn depreciation() {
        use std::str::FromStr;
        let n = |s: &str| Number::Exact(rust_decimal::Decimal::from_str(s).unwrap());
        assert_eq!(sln_core(n("30000"), n("7500"), n("10")), Ok(n("2250")));
        assert_eq!(sln_core(n("1"), n("0"), n("0")), Err(ErrorKind::Div0));
        assert_eq!(
            syd_core(n("30000"), n("7500"), n("10"), n("1")),
            Ok(n("4090.9090909090909090909090909"))
        );
        assert_eq!(
            syd_core(n("30000"), n("7500"), n("10"), n("10")),
            Ok(n("409.09090909090909090909090909"))
        );
        assert_eq!(
            syd_core(n("30000"), n("7500"), n("10"), n("11")),
            Err(ErrorKind::Num)
        );
        let db = [
            186083.33333333334,
            259639.41666666666,
            176814.44275,
            120410.63551274999,
            81999.642784182998,
            55841.756736028616,
            15845.098473848666,
        ];
        for (i, want) in db.iter().enumerate() {
            assert_close!(
                db_core(1_000_000.0, 100_000.0, 6.0, i as f64 + 1.0, 7.0).unwrap(),
                *want
            );
        }
        assert_eq!(
            db_core(1_000_000.0, 100_000.0, 6.0, 8.0, 7.0),
            Err(ErrorKind::Num)
        );
        // Microsoft's DDB and VDB examples: cost 2400, salvage 300.
        let ddb = [
            (3650.0, 1.0, 2.0, 1.3150684931506849),
            (120.0, 1.0, 2.0, 40.0),
            (10.0, 1.0, 2.0, 480.0),
            (10.0, 2.0, 1.5, 306.0),
            (10.0, 10.0, 2.0, 22.122547200000025),
        ];
        for (life, period, factor, want) in ddb {
            assert_close!(ddb_core(2400.0, 300.0, life, period, factor).unwrap(), want);
        }
        let vdb = [
            (3650.0, 0.0, 1.0, 2.0, 1.3150684931506849),
            (120.0, 0.0, 1.0, 2.0, 40.0),
            (10.0, 0.0, 1.0, 2.0, 480.0),
            (120.0, 6.0, 18.0, 2.0, 396.30605326475074),
            (120.0, 6.0, 18.0, 1.5, 311.80895144210316),
            (10.0, 0.0, 0.875, 1.5, 315.0),
        ];
        for (life, start, end, factor, want) in vdb {
            assert_close!(
                vdb_core(2400.0, 300.0, life, start, end, factor, false).unwrap(),
                want
            );
        }
        assert_eq!(
            vdb_core(2400.0, 300.0, 10.0, 0.0, 11.0, 2.0, false),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn french_depreciation() {
        // Microsoft's examples: bought 19-Aug-2008, first period ends
        // 31-Dec-2008, cost 2400, salvage 300, rate 15%, basis 1.
        assert_close!(
            amorlinc_core(2400.0, 39679.0, 39813.0, 300.0, 1.0, 0.15, 1.0).unwrap(),
            360.0
        );
        assert_close!(
            amordegrc_core(2400.0, 39679.0, 39813.0, 300.0, 1.0, 0.15, 1.0).unwrap(),
            776.0
        );
        let first = amorlinc_core(2400.0, 39679.0, 39813.0, 300.0, 0.0, 0.15, 1.0).unwrap();
        assert_close!(first, 2400.0 * 0.15 * 134.0 / 366.0);
        // The whole schedule depreciates cost minus salvage.
        let total: f64 = (0..10)
            .map(|p| {
                amorlinc_core(2400.0, 39679.0, 39813.0, 300.0, f64::from(p), 0.15, 1.0).unwrap()
            })
            .sum();
        assert_close!(total, 2100.0);
        assert_eq!(
            amordegrc_core(2400.0, 39679.0, 39813.0, 3000.0, 1.0, 0.15, 1.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn a_life_of_a_billion_periods_needs_no_schedule() {
        // Double declining 2/1E9 a period until the halfway switch: the
        // balance then is 1E9*(1-2E-9)^5E8 ~ 1E9/e, all of it written off
        // on the straight line by the end.
        assert_close!(
            vdb_core(1e9, 0.0, 1e9, 0.0, 1e9, 2.0, false).unwrap(),
            1e9,
            1e-3
        );
        assert_close!(
            vdb_core(1e9, 0.0, 1e9, 0.0, 1.0, 2.0, false).unwrap(),
            2.0,
            1e-9
        );
        assert_close!(
            vdb_core(1e9, 0.0, 1e9, 1e9 - 1.0, 1e9, 2.0, false).unwrap(),
            1e9 / std::f64::consts::E / 5e8,
            1e-3
        );
    }
}
