//! Day-count conventions between two dates (DAYS360, DATEDIF, YEARFRAC):
//! the bases the financial functions share with these.

use super::*;

pub(super) fn days360(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let european = ctx.opt_bool(args, 2, false)?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..2], |v| {
        let (start, end) = (date_arg(&v[0], sys, false)?, date_arg(&v[1], sys, false)?);
        out(days360_core(start, end, european))
    })
}

pub(super) fn datedif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        let unit = to_text(&v[2])?;
        let (start, end) = (date_arg(&v[0], sys, false)?, date_arg(&v[1], sys, false)?);
        out(datedif_core(start, end, &unit))
    })
}

pub(super) fn yearfrac(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let basis = if CallContext::is_missing(args, 2) {
        0.0
    } else {
        atp_num(&ctx.value(&args[2])?)?
    };
    let sys = ctx.date_system();
    map_args(ctx, &args[..2], |v| {
        let (start, end) = (date_arg(&v[0], sys, true)?, date_arg(&v[1], sys, true)?);
        out(yearfrac_core(start, end, basis))
    })
}

/// The day of a serial for DAYS360, with the time of day rounded to the
/// second first (Excel counts 23:59:59.9 as the next day).
pub(super) fn day_serial_rounded(serial: f64) -> DtResult<i64> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(ErrorKind::Num);
    }
    day_serial((serial * DAY_SECONDS).round() / DAY_SECONDS)
}

/// DAYS360(start, end, european).
pub(super) fn days360_core(start: f64, end: f64, european: bool) -> DtResult<f64> {
    let (y1, m1, mut d1) = ymd(day_serial_rounded(start)?)?;
    let (y2, m2, mut d2) = ymd(day_serial_rounded(end)?)?;
    if european {
        d1 = d1.min(30);
        d2 = d2.min(30);
    } else {
        if d1 == 31 || (m1 == 2 && d1 == days_in_month(y1, 2)) {
            d1 = 30;
        }
        if d2 == 31 && d1 >= 30 {
            d2 = 30;
        }
    }
    Ok(((y2 - y1) as i64 * 360 + (m2 as i64 - m1 as i64) * 30 + d2 as i64 - d1 as i64) as f64)
}

/// DATEDIF(start, end, unit).
pub(super) fn datedif_core(start: f64, end: f64, unit: &str) -> DtResult<f64> {
    let s = day_serial(start)?;
    let e = day_serial(end)?;
    if s > e {
        return Err(ErrorKind::Num);
    }
    let (y1, m1, d1) = ymd(s)?;
    let (y2, m2, d2) = ymd(e)?;
    let months = (y2 - y1) as i64 * 12 + m2 as i64 - m1 as i64 - i64::from(d2 < d1);
    let result = match unit.trim().to_ascii_uppercase().as_str() {
        "Y" => months.div_euclid(12),
        "M" => months,
        "D" => e - s,
        "YM" => months.rem_euclid(12),
        "MD" => {
            let (mut y, mut m) = (y2 as i64, m2 as i64);
            if d1 > d2 {
                m -= 1;
                if m == 0 {
                    m = 12;
                    y -= 1;
                }
            }
            let anchor = serial_from_parts(y, m, d1 as i64).ok_or(ErrorKind::Num)?;
            e - anchor
        }
        "YD" => {
            let mut anchor =
                serial_from_parts(y2 as i64, m1 as i64, d1 as i64).ok_or(ErrorKind::Num)?;
            if anchor > e {
                anchor =
                    serial_from_parts(y2 as i64 - 1, m1 as i64, d1 as i64).ok_or(ErrorKind::Num)?;
            }
            e - anchor
        }
        _ => return Err(ErrorKind::Num),
    };
    Ok(result as f64)
}

/// YEARFRAC(start, end, basis).
pub(crate) fn yearfrac_core(start: f64, end: f64, basis: f64) -> DtResult<f64> {
    let mut s = day_serial(start)?;
    let mut e = day_serial(end)?;
    let basis = basis.trunc();
    if !(0.0..=4.0).contains(&basis) {
        return Err(ErrorKind::Num);
    }
    if s > e {
        std::mem::swap(&mut s, &mut e);
    }
    let (y1, m1, d1) = ymd(s)?;
    let (y2, m2, d2) = ymd(e)?;
    let days = (e - s) as f64;
    Ok(match basis as i64 {
        0 => {
            let last_feb = |y: i32, m: u32, d: u32| m == 2 && d == days_in_month(y, 2);
            let (mut a, mut b) = (d1, d2);
            if a == 31 && b == 31 {
                a = 30;
                b = 30;
            } else if a == 31 {
                a = 30;
            } else if a == 30 && b == 31 {
                b = 30;
            } else if last_feb(y1, m1, d1) && last_feb(y2, m2, d2) {
                a = 30;
                b = 30;
            } else if last_feb(y1, m1, d1) {
                a = 30;
            }
            let diff = (y2 - y1) as i64 * 360 + (m2 as i64 - m1 as i64) * 30 + b as i64 - a as i64;
            diff as f64 / 360.0
        }
        1 => {
            let within_year = y1 == y2 || (y2 == y1 + 1 && (m1 > m2 || (m1 == m2 && d1 >= d2)));
            if within_year {
                let feb29_in = |y: i32| {
                    calendar::is_leap_year(y) && {
                        let f = serial_of(y, 2, 29);
                        s <= f && f <= e
                    }
                };
                let len =
                    if (y1 == y2 && calendar::is_leap_year(y1)) || feb29_in(y1) || feb29_in(y2) {
                        366.0
                    } else {
                        365.0
                    };
                days / len
            } else {
                let years = (y2 - y1 + 1) as f64;
                let span = (serial_of(y2 + 1, 1, 1) - serial_of(y1, 1, 1)) as f64;
                days / (span / years)
            }
        }
        2 => days / 360.0,
        3 => days / 365.0,
        _ => {
            let (a, b) = (d1.min(30), d2.min(30));
            let diff = (y2 - y1) as i64 * 360 + (m2 as i64 - m1 as i64) * 30 + b as i64 - a as i64;
            diff as f64 / 360.0
        }
    })
}
