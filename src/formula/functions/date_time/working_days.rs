//! Working days (NETWORKDAYS, WORKDAY and their .INTL forms): Excel's
//! weekend and holiday arguments, over the calendar's working-day count.

use super::*;

/// The weekend argument of the .INTL functions: a weekend number or a
/// seven-character mask such as "0000011" (Monday first).
pub(super) fn weekend_arg(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
) -> Result<WeekendMask, ErrorKind> {
    if CallContext::is_missing(args, i) {
        return weekend_from_number(1.0);
    }
    match ctx.value(&args[i])? {
        Value::Text(s) => weekend_from_text(&s),
        Value::Empty => weekend_from_number(1.0),
        v => weekend_from_number(atp_num(&v)?),
    }
}

/// The holiday dates of argument `i` (a range, an array or one date);
/// empty cells are skipped, text that is not a date is `#VALUE!`.
pub(super) fn holidays_arg(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
) -> Result<Vec<f64>, ErrorKind> {
    let mut out = Vec::new();
    if CallContext::is_missing(args, i) {
        return Ok(out);
    }
    let sys = ctx.date_system();
    ctx.for_each_value(&args[i], |v, _| {
        match v {
            Value::Empty => {}
            v => out.push(date_arg(v, sys, true)?),
        }
        Ok(())
    })?;
    Ok(out)
}

/// The core of a working-day function.
pub(super) type WorkdayCore = fn(f64, f64, &WeekendMask, &[f64]) -> DtResult<f64>;

/// NETWORKDAYS/WORKDAY and their .INTL forms: two dates (a count of
/// days results) or a date and a count (a date results, `workday`), an
/// optional weekend (at `weekend_at` for the .INTL forms) and optional
/// holidays after it.
pub(super) fn working_days(
    ctx: &mut CallContext,
    args: &[Expr],
    weekend_at: Option<usize>,
    core: WorkdayCore,
    workday: bool,
) -> EvalResult {
    let mask = match weekend_at {
        Some(i) => weekend_arg(ctx, args, i)?,
        None => weekend_from_number(1.0)?,
    };
    let holidays = holidays_arg(ctx, args, weekend_at.map_or(2, |i| i + 1))?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..2], |v| {
        let start = date_arg(&v[0], sys, true)?;
        if workday {
            date_out(core(start, atp_num(&v[1])?, &mask, &holidays), sys)
        } else {
            out(core(start, date_arg(&v[1], sys, true)?, &mask, &holidays))
        }
    })
}

pub(super) fn networkdays(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, None, networkdays_core, false)
}

pub(super) fn networkdays_intl(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, Some(2), networkdays_core, false)
}

pub(super) fn workday(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, None, workday_core, true)
}

pub(super) fn workday_intl(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, Some(2), workday_core, true)
}

/// The weekend of a NETWORKDAYS.INTL/WORKDAY.INTL weekend number.
pub(super) fn weekend_from_number(n: f64) -> DtResult<WeekendMask> {
    let mut mask = [false; 7];
    match n.trunc() as i64 {
        k @ 1..=7 => {
            mask[((k + 4) % 7) as usize] = true;
            mask[((k + 5) % 7) as usize] = true;
        }
        k @ 11..=17 => mask[(k - 12).rem_euclid(7) as usize] = true,
        _ => return Err(ErrorKind::Num),
    }
    Ok(mask)
}

/// The weekend of a seven-character "0000011" string (Monday first).
pub(super) fn weekend_from_text(text: &str) -> DtResult<WeekendMask> {
    let bytes = text.as_bytes();
    if bytes.len() != 7 || bytes.iter().any(|b| *b != b'0' && *b != b'1') {
        return Err(ErrorKind::Value);
    }
    let mut mask = [false; 7];
    for (slot, b) in mask.iter_mut().zip(bytes) {
        *slot = *b == b'1';
    }
    Ok(mask)
}

/// Sorted, deduplicated whole-day holiday serials.
pub(super) fn holiday_days(holidays: &[f64]) -> DtResult<Vec<i64>> {
    let mut days = holidays
        .iter()
        .map(|h| day_serial(*h))
        .collect::<DtResult<Vec<_>>>()?;
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// NETWORKDAYS.INTL(start, end, weekend, holidays).
pub(super) fn networkdays_core(
    start: f64,
    end: f64,
    mask: &WeekendMask,
    holidays: &[f64],
) -> DtResult<f64> {
    let (s, e) = (day_serial(start)?, day_serial(end)?);
    let holidays = holiday_days(holidays)?;
    Ok(calendar::count_working_days(s, e, mask, &holidays) as f64)
}

/// WORKDAY.INTL(start, days, weekend, holidays).
pub(super) fn workday_core(
    start: f64,
    days: f64,
    mask: &WeekendMask,
    holidays: &[f64],
) -> DtResult<f64> {
    if mask.iter().all(|w| *w) {
        return Err(ErrorKind::Value);
    }
    let s = day_serial(start)?;
    let holidays = holiday_days(holidays)?;
    let n = days.trunc();
    if n.abs() > MAX_DATE_SERIAL as f64 {
        return Err(ErrorKind::Num);
    }
    let mut remaining = n.abs() as i64;
    let step: i64 = if n < 0.0 { -1 } else { 1 };
    let per_week = mask.iter().filter(|w| !**w).count() as i64;
    let is_off = |d: i64| is_weekend(d, mask) || holidays.binary_search(&d).is_ok();
    let mut day = s;
    // Jump whole weeks first (holidays in the jumped span are paid back).
    while remaining > per_week * 2 {
        let weeks = remaining / per_week - 1;
        let next = day + step * weeks * 7;
        let (lo, hi) = if step > 0 {
            (day + 1, next)
        } else {
            (next, day - 1)
        };
        let lost = holidays
            .iter()
            .filter(|h| (lo..=hi).contains(*h) && !is_weekend(**h, mask))
            .count() as i64;
        remaining -= weeks * per_week - lost;
        day = next;
        if !(0..=MAX_DATE_SERIAL).contains(&day) {
            return Err(ErrorKind::Num);
        }
    }
    while remaining > 0 {
        day += step;
        if !(0..=MAX_DATE_SERIAL).contains(&day) {
            return Err(ErrorKind::Num);
        }
        if !is_off(day) {
            remaining -= 1;
        }
    }
    Ok(day as f64)
}
