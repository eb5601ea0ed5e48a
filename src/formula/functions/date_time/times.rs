//! Times of day: TIME, TIMEVALUE, NOW and HOUR/MINUTE/SECOND, where a
//! time is the fraction of a day after a serial's whole part.

use super::*;

pub(super) fn time(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_args(ctx, args, |v| {
        out(time_core(num(&v[0])?, num(&v[1])?, num(&v[2])?))
    })
}

pub(super) fn timevalue(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let year = ctx.now().year();
    map_args(ctx, args, |v| out(timevalue_core(text_of(&v[0])?, year)))
}

pub(super) fn now(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    let now = ctx.now();
    let seconds = f64::from(now.num_seconds_from_midnight()) + f64::from(now.nanosecond()) / 1e9;
    let serial = serial_from_date(now.date()) as f64 + seconds / DAY_SECONDS;
    Ok(CalcValue::Value(date_out(Ok(serial), ctx.date_system())?))
}

pub(super) fn hour(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(hour_minute_second(s)?.0))
}

pub(super) fn minute(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(hour_minute_second(s)?.1))
}

pub(super) fn second(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(hour_minute_second(s)?.2))
}

/// TIME(hour, minute, second) as a fraction of a day (wrapping at 24h).
pub(super) fn time_core(hour: f64, minute: f64, second: f64) -> DtResult<f64> {
    let (h, m, s) = (hour.trunc(), minute.trunc(), second.trunc());
    if !(h.is_finite() && m.is_finite() && s.is_finite())
        || h > 32767.0
        || m > 32767.0
        || s > 32767.0
    {
        return Err(ErrorKind::Num);
    }
    let total = h * 3600.0 + m * 60.0 + s;
    if total < 0.0 {
        return Err(ErrorKind::Num);
    }
    Ok(total.rem_euclid(DAY_SECONDS) / DAY_SECONDS)
}

/// HOUR, MINUTE and SECOND of a serial, rounded to the nearest second.
pub(super) fn hour_minute_second(serial: f64) -> DtResult<(u32, u32, u32)> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(ErrorKind::Num);
    }
    if serial > MAX_DATE_SERIAL as f64 + 1.0 {
        return Err(ErrorKind::Num);
    }
    let secs = ((serial - serial.floor()) * DAY_SECONDS).round() as i64 % 86_400;
    Ok((
        (secs / 3600) as u32,
        ((secs / 60) % 60) as u32,
        (secs % 60) as u32,
    ))
}

/// TIMEVALUE(text).
pub(super) fn timevalue_core(text: &str, current_year: i32) -> DtResult<f64> {
    match parse_date_time(text, current_year) {
        Some(p) => Ok(p.time.unwrap_or(0.0)),
        None => Err(ErrorKind::Value),
    }
}
