//! Counting between two dates (DAYS360, DATEDIF, YEARFRAC). The
//! day-count conventions DAYS360 and YEARFRAC apply are the financial
//! functions' too, so they live in `formula/day_count.rs`; DATEDIF's
//! whole-unit count is this category's alone.

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
