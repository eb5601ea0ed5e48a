//! Calendar dates: building and reading them (DATE, DATEVALUE, TODAY,
//! YEAR/MONTH/DAY), weekdays and week numbers, and month arithmetic
//! (EDATE, EOMONTH, DAYS).

use super::*;

pub(super) fn date(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(date_core(num(&v[0])?, num(&v[1])?, num(&v[2])?), sys)
    })
}

/// The text argument of DATEVALUE/TIMEVALUE: anything but text is
/// `#VALUE!`, as in Excel.
pub(super) fn text_of(v: &Value) -> Result<&str, ErrorKind> {
    match v {
        Value::Text(s) => Ok(s),
        Value::Error(e) => Err(*e),
        _ => Err(ErrorKind::Value),
    }
}

pub(super) fn datevalue(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let year = ctx.now().year();
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(datevalue_core(text_of(&v[0])?, year), sys)
    })
}

pub(super) fn today(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::number(ctx.today_serial()))
}

/// YEAR, MONTH, DAY, HOUR, MINUTE and SECOND: one whole-number part of a
/// serial, lifted over arrays.
pub(super) fn serial_part(
    ctx: &mut CallContext,
    args: &[Expr],
    part: impl Fn(f64) -> Result<u32, ErrorKind>,
) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        Ok(Value::Number(Number::from_i64(
            part(date_arg(&v[0], sys, false)?)?.into(),
        )))
    })
}

pub(super) fn year(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // Years are 1900-9999, so they fit a u32.
    serial_part(ctx, args, |s| Ok(year_month_day(s)?.0.unsigned_abs()))
}

pub(super) fn month(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(year_month_day(s)?.1))
}

pub(super) fn day(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(year_month_day(s)?.2))
}

pub(super) fn weekday(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let kind = opt_num(ctx, args, 1, 1.0)?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..1], |v| {
        weekday_core(date_arg(&v[0], sys, false)?, kind).map(|d| Value::Number(d.into()))
    })
}

pub(super) fn weeknum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let kind = opt_num(ctx, args, 1, 1.0)?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..1], |v| {
        weeknum_core(date_arg(&v[0], sys, false)?, kind).map(|d| Value::Number(d.into()))
    })
}

pub(super) fn isoweeknum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        iso_weeknum_core(date_arg(&v[0], sys, false)?).map(|d| Value::Number(d.into()))
    })
}

pub(super) fn eomonth(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(
            eomonth_core(date_arg(&v[0], sys, true)?, atp_num(&v[1])?),
            sys,
        )
    })
}

pub(super) fn edate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(
            edate_core(date_arg(&v[0], sys, true)?, atp_num(&v[1])?),
            sys,
        )
    })
}

pub(super) fn days(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        out(days_core(
            date_arg(&v[0], sys, false)?,
            date_arg(&v[1], sys, false)?,
        ))
    })
}

/// Day of week of a serial with Sunday = 0, computed from the serial as
/// Excel does (so 1900-01-01, serial 1, is a Sunday).
pub(super) fn weekday_index(serial: i64) -> i64 {
    (serial + 6).rem_euclid(7)
}

/// The Sunday-based index (0 = Sunday) of the first day of the week for a
/// WEEKDAY return type 11-17 or a WEEKNUM type.
pub(super) fn week_start_for_type(return_type: i64) -> Option<i64> {
    match return_type {
        1 | 17 => Some(0),
        2 | 11 => Some(1),
        12..=16 => Some(return_type - 10),
        _ => None,
    }
}

/// WEEKDAY(serial, return_type).
pub(super) fn weekday_core(serial: f64, return_type: f64) -> DtResult<i64> {
    let s = day_serial(serial)?;
    let d = weekday_index(s);
    match return_type.trunc() as i64 {
        1 => Ok(d + 1),
        2 => Ok((d + 6) % 7 + 1),
        3 => Ok((d + 6) % 7),
        t @ 11..=17 => {
            let start = week_start_for_type(t).ok_or(ErrorKind::Num)?;
            Ok((d - start).rem_euclid(7) + 1)
        }
        _ => Err(ErrorKind::Num),
    }
}

/// ISOWEEKNUM(serial).
pub(super) fn iso_weeknum_core(serial: f64) -> DtResult<i64> {
    let s = day_serial(serial)?;
    // Excel's early-1900 weekdays are off by one; follow the serial.
    let (y, _, _) = ymd(s)?;
    let thursday = s - (weekday_index(s) + 6) % 7 + 3;
    let year = if thursday < serial_of(y, 1, 1) {
        y - 1
    } else if thursday >= serial_of(y + 1, 1, 1) && y < 9999 {
        y + 1
    } else {
        y
    };
    Ok((thursday - serial_of(year, 1, 1)).div_euclid(7) + 1)
}

/// WEEKNUM(serial, return_type): week 1 holds January 1 (type 21: ISO).
pub(super) fn weeknum_core(serial: f64, return_type: f64) -> DtResult<i64> {
    let t = return_type.trunc() as i64;
    if t == 21 {
        return iso_weeknum_core(serial);
    }
    let start = week_start_for_type(t).ok_or(ErrorKind::Num)?;
    let s = day_serial(serial)?;
    let (y, _, _) = ymd(s)?;
    let jan1 = if s == 0 { 0 } else { serial_of(y, 1, 1) };
    let offset = (weekday_index(jan1) - start).rem_euclid(7);
    Ok((s - jan1 + offset).div_euclid(7) + 1)
}

/// DAYS(end, start): whole days between the two dates.
pub(super) fn days_core(end: f64, start: f64) -> DtResult<f64> {
    Ok((day_serial(end)? - day_serial(start)?) as f64)
}

/// DATEVALUE(text).
pub(super) fn datevalue_core(text: &str, current_year: i32) -> DtResult<f64> {
    match parse_date_time(text, current_year) {
        Some(ParsedDateTime { date: Some(d), .. }) => Ok(d as f64),
        _ => Err(ErrorKind::Value),
    }
}
