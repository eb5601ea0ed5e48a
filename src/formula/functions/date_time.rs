//! Date and time functions (DATE, TODAY, EOMONTH, NETWORKDAYS, ...).
//!
//! The cores compute with 1900-system serials (day 1 is 1900-01-01, day
//! 60 Excel's phantom 1900-02-29). The wrappers take and give numbers in
//! the workbook's date system, as Excel does in a 1904 workbook, through
//! `date_arg` and `date_out`: the cores keep one calendar. Results are
//! plain serial numbers: the cell's number format decides how they show,
//! as in Excel. The clock for TODAY/NOW comes from the engine options,
//! never the system clock.

use super::*;
use crate::model::calendar::{self, is_weekend, WeekendMask};
use crate::model::DateSystem;
use chrono::{Datelike, NaiveDate, Timelike};

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "DATE",
        3,
        3,
        "Serial of a year, month and day (overflow rolls over)",
        date,
    ),
    FunctionSpec::new(
        "DATEVALUE",
        1,
        1,
        "Serial of a date written as text",
        datevalue,
    ),
    FunctionSpec::new(
        "TIME",
        3,
        3,
        "Fraction of a day for an hour, minute and second",
        time,
    ),
    FunctionSpec::new(
        "TIMEVALUE",
        1,
        1,
        "Fraction of a day for a time written as text",
        timevalue,
    ),
    FunctionSpec::new("TODAY", 0, 0, "Today's date (from the engine clock)", today).volatile(),
    FunctionSpec::new(
        "NOW",
        0,
        0,
        "The current date and time (from the engine clock)",
        now,
    )
    .volatile(),
    FunctionSpec::new("YEAR", 1, 1, "Year of a date", year),
    FunctionSpec::new("MONTH", 1, 1, "Month (1-12) of a date", month),
    FunctionSpec::new("DAY", 1, 1, "Day of the month of a date", day),
    FunctionSpec::new("HOUR", 1, 1, "Hour (0-23) of a time", hour),
    FunctionSpec::new("MINUTE", 1, 1, "Minute (0-59) of a time", minute),
    FunctionSpec::new("SECOND", 1, 1, "Second (0-59) of a time", second),
    FunctionSpec::new(
        "WEEKDAY",
        1,
        2,
        "Day of the week of a date (return types 1-3, 11-17)",
        weekday,
    ),
    FunctionSpec::new(
        "WEEKNUM",
        1,
        2,
        "Week of the year of a date (types 1, 2, 11-17, 21)",
        weeknum,
    ),
    FunctionSpec::new(
        "ISOWEEKNUM",
        1,
        1,
        "ISO 8601 week of the year of a date",
        isoweeknum,
    ),
    FunctionSpec::new(
        "EOMONTH",
        2,
        2,
        "Last day of the month some months away",
        eomonth,
    ),
    FunctionSpec::new("EDATE", 2, 2, "The same day some months away", edate),
    FunctionSpec::new(
        "DAYS",
        2,
        2,
        "Days from the start date to the end date",
        days,
    ),
    FunctionSpec::new(
        "DAYS360",
        2,
        3,
        "Days between two dates in a 360-day year (US or European)",
        days360,
    ),
    FunctionSpec::new(
        "DATEDIF",
        3,
        3,
        "Whole years, months or days between two dates",
        datedif,
    ),
    FunctionSpec::new(
        "YEARFRAC",
        2,
        3,
        "Fraction of a year between two dates (bases 0-4)",
        yearfrac,
    ),
    FunctionSpec::new(
        "NETWORKDAYS",
        2,
        3,
        "Working days between two dates (Saturday/Sunday off)",
        networkdays,
    ),
    FunctionSpec::new(
        "NETWORKDAYS.INTL",
        2,
        4,
        "Working days between two dates with a chosen weekend",
        networkdays_intl,
    ),
    FunctionSpec::new(
        "WORKDAY",
        2,
        3,
        "The date some working days away (Saturday/Sunday off)",
        workday,
    ),
    FunctionSpec::new(
        "WORKDAY.INTL",
        2,
        4,
        "The date some working days away with a chosen weekend",
        workday_intl,
    ),
];

/// A value as a float with Excel's coercion (text parsed, booleans 0/1).
fn num(v: &Value) -> Result<f64, ErrorKind> {
    let f = to_number(v)?.to_f64();
    if f.is_finite() {
        Ok(f)
    } else {
        Err(ErrorKind::Num)
    }
}

/// A value as a float the way Analysis ToolPak functions (EOMONTH,
/// YEARFRAC, WORKDAY, the bond functions...) take it: a boolean is
/// `#VALUE!`, text is parsed.
pub(super) fn atp_num(v: &Value) -> Result<f64, ErrorKind> {
    match v {
        Value::Bool(_) => Err(ErrorKind::Value),
        v => num(v),
    }
}

/// A float result as a calculated value (`#NUM!` when not finite).
fn out(r: Result<f64, ErrorKind>) -> Result<Value, ErrorKind> {
    r.map(float_value)
}

/// A date argument (a number in the workbook's date system) as the
/// 1900-system serial the cores compute with; `#NUM!` when negative, as
/// no date is. `atp` reads it as the Analysis ToolPak functions do
/// ([`atp_num`]).
pub(super) fn date_arg(v: &Value, system: DateSystem, atp: bool) -> Result<f64, ErrorKind> {
    let n = if atp { atp_num(v)? } else { num(v)? };
    system.serial_of(n).ok_or(ErrorKind::Num)
}

/// A core's date result (a 1900-system serial) as the number of the
/// workbook's date system; `#NUM!` before its first day, as Excel gives
/// for `DATE(1903,1,1)` in a 1904 workbook.
pub(super) fn date_out(r: DtResult<f64>, system: DateSystem) -> Result<Value, ErrorKind> {
    out(r.and_then(|s| system.number_from_serial(s).ok_or(ErrorKind::Num)))
}

/// Applies a scalar function over its arguments, lifting over arrays the
/// way Excel's dynamic arrays do: array arguments are broadcast (a single
/// row or column repeats) and cells outside a shorter array are `#N/A`.
/// Multi-cell references are arrays in array mode and in dynamic-array
/// formulas, and are reduced by implicit intersection otherwise. (The multi-argument
/// counterpart of `CallContext::map_value`.)
pub(super) fn map_args(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(&[Value]) -> Result<Value, ErrorKind>,
) -> EvalResult {
    let mut evaluated = Vec::with_capacity(args.len());
    let mut any_array = false;
    // A dynamic-array formula lifts over multi-cell references too, as
    // its operators do (`ctx.lift` covers only array mode).
    let lift_refs = ctx.dynamic || ctx.in_array_mode();
    for a in args {
        let v = match ctx.lift(a) {
            CalcValue::Ref(area) if lift_refs && !area.is_cell() => {
                CalcValue::Array(ctx.area_array(area))
            }
            v => v,
        };
        match v {
            CalcValue::Array(arr) => {
                any_array = true;
                evaluated.push(Err(arr));
            }
            v => evaluated.push(Ok(ctx.to_scalar(v))),
        }
    }
    if !any_array {
        let values: Vec<Value> = evaluated
            .into_iter()
            .map(|v| v.unwrap_or_else(|a| a.get(0, 0).clone()))
            .collect();
        return f(&values).map(CalcValue::Value);
    }
    let dims = |v: &Result<Value, Array>| match v {
        Ok(_) => (1, 1),
        Err(a) => (a.rows, a.cols),
    };
    let rows = evaluated.iter().map(|v| dims(v).0).max().unwrap_or(1);
    let cols = evaluated.iter().map(|v| dims(v).1).max().unwrap_or(1);
    let result = Array::from_fn(rows, cols, |r, c| {
        let mut values = Vec::with_capacity(evaluated.len());
        for v in &evaluated {
            let cell = match v {
                Ok(v) => v.clone(),
                Err(a) => {
                    let rr = if a.rows == 1 { 0 } else { r };
                    let cc = if a.cols == 1 { 0 } else { c };
                    if rr >= a.rows || cc >= a.cols {
                        return Value::Error(ErrorKind::NA);
                    }
                    a.get(rr, cc).clone()
                }
            };
            values.push(cell);
        }
        f(&values).unwrap_or_else(Value::Error)
    });
    Ok(CalcValue::Array(result))
}

fn date(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(date_core(num(&v[0])?, num(&v[1])?, num(&v[2])?), sys)
    })
}

fn time(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    map_args(ctx, args, |v| {
        out(time_core(num(&v[0])?, num(&v[1])?, num(&v[2])?))
    })
}

/// The text argument of DATEVALUE/TIMEVALUE: anything but text is
/// `#VALUE!`, as in Excel.
fn text_of(v: &Value) -> Result<&str, ErrorKind> {
    match v {
        Value::Text(s) => Ok(s),
        Value::Error(e) => Err(*e),
        _ => Err(ErrorKind::Value),
    }
}

fn datevalue(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let year = ctx.now().year();
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(datevalue_core(text_of(&v[0])?, year), sys)
    })
}

fn timevalue(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let year = ctx.now().year();
    map_args(ctx, args, |v| out(timevalue_core(text_of(&v[0])?, year)))
}

fn today(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::number(ctx.today_serial()))
}

fn now(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    let now = ctx.now();
    let seconds = f64::from(now.num_seconds_from_midnight()) + f64::from(now.nanosecond()) / 1e9;
    let serial = serial_from_date(now.date()) as f64 + seconds / DAY_SECONDS;
    Ok(CalcValue::Value(date_out(Ok(serial), ctx.date_system())?))
}

/// YEAR, MONTH, DAY, HOUR, MINUTE and SECOND: one whole-number part of a
/// serial, lifted over arrays.
fn serial_part(
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

fn year(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    // Years are 1900-9999, so they fit a u32.
    serial_part(ctx, args, |s| Ok(year_month_day(s)?.0.unsigned_abs()))
}

fn month(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(year_month_day(s)?.1))
}

fn day(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(year_month_day(s)?.2))
}

fn hour(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(hour_minute_second(s)?.0))
}

fn minute(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(hour_minute_second(s)?.1))
}

fn second(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    serial_part(ctx, args, |s| Ok(hour_minute_second(s)?.2))
}

/// Optional numeric argument `i` as a float, evaluated as a scalar.
fn opt_num(ctx: &mut CallContext, args: &[Expr], i: usize, default: f64) -> Result<f64, ErrorKind> {
    if CallContext::is_missing(args, i) {
        Ok(default)
    } else {
        num(&ctx.value(&args[i])?)
    }
}

fn weekday(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let kind = opt_num(ctx, args, 1, 1.0)?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..1], |v| {
        weekday_core(date_arg(&v[0], sys, false)?, kind).map(|d| Value::Number(d.into()))
    })
}

fn weeknum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let kind = opt_num(ctx, args, 1, 1.0)?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..1], |v| {
        weeknum_core(date_arg(&v[0], sys, false)?, kind).map(|d| Value::Number(d.into()))
    })
}

fn isoweeknum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        iso_weeknum_core(date_arg(&v[0], sys, false)?).map(|d| Value::Number(d.into()))
    })
}

fn eomonth(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(
            eomonth_core(date_arg(&v[0], sys, true)?, atp_num(&v[1])?),
            sys,
        )
    })
}

fn edate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        date_out(
            edate_core(date_arg(&v[0], sys, true)?, atp_num(&v[1])?),
            sys,
        )
    })
}

fn days(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        out(days_core(
            date_arg(&v[0], sys, false)?,
            date_arg(&v[1], sys, false)?,
        ))
    })
}

fn days360(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let european = ctx.opt_bool(args, 2, false)?;
    let sys = ctx.date_system();
    map_args(ctx, &args[..2], |v| {
        let (start, end) = (date_arg(&v[0], sys, false)?, date_arg(&v[1], sys, false)?);
        out(days360_core(start, end, european))
    })
}

fn datedif(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let sys = ctx.date_system();
    map_args(ctx, args, |v| {
        let unit = to_text(&v[2])?;
        let (start, end) = (date_arg(&v[0], sys, false)?, date_arg(&v[1], sys, false)?);
        out(datedif_core(start, end, &unit))
    })
}

fn yearfrac(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
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

/// The weekend argument of the .INTL functions: a weekend number or a
/// seven-character mask such as "0000011" (Monday first).
fn weekend_arg(ctx: &mut CallContext, args: &[Expr], i: usize) -> Result<WeekendMask, ErrorKind> {
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
fn holidays_arg(ctx: &mut CallContext, args: &[Expr], i: usize) -> Result<Vec<f64>, ErrorKind> {
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
type WorkdayCore = fn(f64, f64, &WeekendMask, &[f64]) -> DtResult<f64>;

/// NETWORKDAYS/WORKDAY and their .INTL forms: two dates (a count of
/// days results) or a date and a count (a date results, `workday`), an
/// optional weekend (at `weekend_at` for the .INTL forms) and optional
/// holidays after it.
fn working_days(
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

fn networkdays(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, None, networkdays_core, false)
}

fn networkdays_intl(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, Some(2), networkdays_core, false)
}

fn workday(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, None, workday_core, true)
}

fn workday_intl(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    working_days(ctx, args, Some(2), workday_core, true)
}

// ---------------------------------------------------------------------
// Pure cores: Excel date arithmetic over 1900-system serials. They take
// plain numbers and return `Result<_, ErrorKind>` so the registry wrappers
// only convert arguments and results.
// ---------------------------------------------------------------------

use crate::model::value::{date_from_serial, serial_from_date};

/// The last serial Excel accepts (9999-12-31).
const MAX_SERIAL: i64 = 2_958_465;

/// Seconds in a day, for time-of-day arithmetic.
const DAY_SECONDS: f64 = 86_400.0;

/// Result of a date core.
type DtResult<T> = std::result::Result<T, ErrorKind>;

/// Month lengths as Excel counts them: the calendar's, except that
/// February 1900 has Excel's phantom 29th.
fn days_in_month(year: i32, month: u32) -> u32 {
    if (year, month) == (1900, 2) {
        29
    } else {
        calendar::days_in_month(year, month)
    }
}

/// A whole-day serial from a possibly fractional one: Excel drops the time
/// of day; negatives and serials past 9999-12-31 are `#NUM!`.
fn day_serial(serial: f64) -> DtResult<i64> {
    if !serial.is_finite() {
        return Err(ErrorKind::Num);
    }
    let day = serial.floor();
    if day < 0.0 || day > MAX_SERIAL as f64 {
        return Err(ErrorKind::Num);
    }
    Ok(day as i64)
}

/// Year, month and day of a whole serial as Excel sees them: serial 0 is
/// 1900-01-00 and serial 60 the phantom 1900-02-29.
fn ymd(serial: i64) -> DtResult<(i32, u32, u32)> {
    match serial {
        0 => Ok((1900, 1, 0)),
        60 => Ok((1900, 2, 29)),
        _ => {
            let d = date_from_serial(serial).ok_or(ErrorKind::Num)?;
            Ok((d.year(), d.month(), d.day()))
        }
    }
}

/// The serial of year/month/day with Excel's overflow rules: months
/// outside 1..=12 roll into neighbouring years and days outside the month
/// roll into neighbouring months. `None` when the result leaves 0..=9999-12-31.
fn serial_from_parts(year: i64, month: i64, day: i64) -> Option<i64> {
    let months = year.checked_mul(12)?.checked_add(month - 1)?;
    let y = months.div_euclid(12);
    let m = months.rem_euclid(12) + 1;
    if !(1899..=9999).contains(&y) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y as i32, m as u32, 1)?;
    let serial = serial_from_date(first).checked_add(day - 1)?;
    (0..=MAX_SERIAL).contains(&serial).then_some(serial)
}

/// The serial of a calendar date that exists, or of the phantom
/// 1900-02-29 (callers pass only those; anything else maps to 0).
fn serial_of(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d)
        .map(serial_from_date)
        .unwrap_or(if (y, m, d) == (1900, 2, 29) { 60 } else { 0 })
}

/// DATE(year, month, day): years 0-1899 add 1900, overflow rolls.
pub(super) fn date_core(year: f64, month: f64, day: f64) -> DtResult<f64> {
    if !(year.is_finite() && month.is_finite() && day.is_finite()) {
        return Err(ErrorKind::Num);
    }
    let mut y = year.trunc();
    if !(0.0..10_000.0).contains(&y) {
        return Err(ErrorKind::Num);
    }
    if y < 1900.0 {
        y += 1900.0;
    }
    let m = month.trunc().clamp(-1e12, 1e12) as i64;
    let d = day.trunc().clamp(-1e12, 1e12) as i64;
    serial_from_parts(y as i64, m, d)
        .map(|s| s as f64)
        .ok_or(ErrorKind::Num)
}

/// TIME(hour, minute, second) as a fraction of a day (wrapping at 24h).
fn time_core(hour: f64, minute: f64, second: f64) -> DtResult<f64> {
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

/// YEAR, MONTH and DAY of a serial.
fn year_month_day(serial: f64) -> DtResult<(i32, u32, u32)> {
    ymd(day_serial(serial)?)
}

/// HOUR, MINUTE and SECOND of a serial, rounded to the nearest second.
fn hour_minute_second(serial: f64) -> DtResult<(u32, u32, u32)> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(ErrorKind::Num);
    }
    if serial > MAX_SERIAL as f64 + 1.0 {
        return Err(ErrorKind::Num);
    }
    let secs = ((serial - serial.floor()) * DAY_SECONDS).round() as i64 % 86_400;
    Ok((
        (secs / 3600) as u32,
        ((secs / 60) % 60) as u32,
        (secs % 60) as u32,
    ))
}

/// Day of week of a serial with Sunday = 0, computed from the serial as
/// Excel does (so 1900-01-01, serial 1, is a Sunday).
fn weekday_index(serial: i64) -> i64 {
    (serial + 6).rem_euclid(7)
}

/// The Sunday-based index (0 = Sunday) of the first day of the week for a
/// WEEKDAY return type 11-17 or a WEEKNUM type.
fn week_start_for_type(return_type: i64) -> Option<i64> {
    match return_type {
        1 | 17 => Some(0),
        2 | 11 => Some(1),
        12..=16 => Some(return_type - 10),
        _ => None,
    }
}

/// WEEKDAY(serial, return_type).
fn weekday_core(serial: f64, return_type: f64) -> DtResult<i64> {
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
fn iso_weeknum_core(serial: f64) -> DtResult<i64> {
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
fn weeknum_core(serial: f64, return_type: f64) -> DtResult<i64> {
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

/// The year and month a whole number of `months` (truncated, as Excel
/// does) after `year`/`month`.
fn month_later(year: i32, month: u32, months: f64) -> DtResult<(i64, u32)> {
    calendar::shift_month(year as i64, month, months.trunc().clamp(-1e9, 1e9) as i64)
        .ok_or(ErrorKind::Num)
}

/// EDATE(start, months): same day `months` later, clamped to month end.
pub(super) fn edate_core(start: f64, months: f64) -> DtResult<f64> {
    let (y, m, d) = year_month_day(start)?;
    let (ny, nm) = month_later(y, m, months)?;
    if !(1900..=9999).contains(&ny) {
        return Err(ErrorKind::Num);
    }
    let nd = d.min(days_in_month(ny as i32, nm)).max(1);
    let day = if d == 0 { 0 } else { nd as i64 };
    serial_from_parts(ny, nm as i64, day)
        .map(|s| s as f64)
        .ok_or(ErrorKind::Num)
}

/// EOMONTH(start, months): last day of the month `months` later.
pub(super) fn eomonth_core(start: f64, months: f64) -> DtResult<f64> {
    let (y, m, _) = year_month_day(start)?;
    let (ny, nm) = month_later(y, m, months)?;
    if !(1900..=9999).contains(&ny) {
        return Err(ErrorKind::Num);
    }
    serial_from_parts(ny, nm as i64, days_in_month(ny as i32, nm) as i64)
        .map(|s| s as f64)
        .ok_or(ErrorKind::Num)
}

/// DAYS(end, start): whole days between the two dates.
fn days_core(end: f64, start: f64) -> DtResult<f64> {
    Ok((day_serial(end)? - day_serial(start)?) as f64)
}

/// The day of a serial for DAYS360, with the time of day rounded to the
/// second first (Excel counts 23:59:59.9 as the next day).
fn day_serial_rounded(serial: f64) -> DtResult<i64> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(ErrorKind::Num);
    }
    day_serial((serial * DAY_SECONDS).round() / DAY_SECONDS)
}

/// DAYS360(start, end, european).
fn days360_core(start: f64, end: f64, european: bool) -> DtResult<f64> {
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
fn datedif_core(start: f64, end: f64, unit: &str) -> DtResult<f64> {
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
pub(super) fn yearfrac_core(start: f64, end: f64, basis: f64) -> DtResult<f64> {
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

/// The weekend of a NETWORKDAYS.INTL/WORKDAY.INTL weekend number.
fn weekend_from_number(n: f64) -> DtResult<WeekendMask> {
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
fn weekend_from_text(text: &str) -> DtResult<WeekendMask> {
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
fn holiday_days(holidays: &[f64]) -> DtResult<Vec<i64>> {
    let mut days = holidays
        .iter()
        .map(|h| day_serial(*h))
        .collect::<DtResult<Vec<_>>>()?;
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// NETWORKDAYS.INTL(start, end, weekend, holidays).
fn networkdays_core(start: f64, end: f64, mask: &WeekendMask, holidays: &[f64]) -> DtResult<f64> {
    let (s, e) = (day_serial(start)?, day_serial(end)?);
    let holidays = holiday_days(holidays)?;
    Ok(calendar::count_working_days(s, e, mask, &holidays) as f64)
}

/// WORKDAY.INTL(start, days, weekend, holidays).
fn workday_core(start: f64, days: f64, mask: &WeekendMask, holidays: &[f64]) -> DtResult<f64> {
    if mask.iter().all(|w| *w) {
        return Err(ErrorKind::Value);
    }
    let s = day_serial(start)?;
    let holidays = holiday_days(holidays)?;
    let n = days.trunc();
    if n.abs() > MAX_SERIAL as f64 {
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
        if !(0..=MAX_SERIAL).contains(&day) {
            return Err(ErrorKind::Num);
        }
    }
    while remaining > 0 {
        day += step;
        if !(0..=MAX_SERIAL).contains(&day) {
            return Err(ErrorKind::Num);
        }
        if !is_off(day) {
            remaining -= 1;
        }
    }
    Ok(day as f64)
}

/// A date and/or time read from text the way Excel's DATEVALUE and
/// TIMEVALUE (and text-to-number coercion) read it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ParsedDateTime {
    /// Whole-day serial, when the text holds a date.
    date: Option<i64>,
    /// Fraction of a day, when the text holds a time.
    time: Option<f64>,
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_from_name(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let w = if w == "sept" { "sep".to_string() } else { w };
    MONTH_NAMES
        .iter()
        .position(|m| m.starts_with(&w) && (w.len() == 3 || w.len() == m.len()))
        .map(|i| i as u32 + 1)
}

/// A year as typed: two digits mean 1930-2029, like Excel.
fn full_year(text: &str) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    match text.len() {
        1 | 2 => Some(if y < 30 { 2000 + y } else { 1900 + y }),
        4 => Some(y),
        _ => None,
    }
}

/// Serial of a typed date; the phantom 1900-02-29 is 60.
fn typed_date(y: i32, m: u32, d: u32) -> Option<i64> {
    if !(1900..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(serial_of(y, m, d))
}

/// Parses the date part of a text ("2026-01-31", "1/31/2026",
/// "31.1.2026", "31-Jan-2026", "January 31, 2026", "31 January 2026").
/// A missing year is `current_year`, as in Excel.
fn parse_date_part(text: &str, current_year: i32) -> Option<i64> {
    let t = text.trim();
    let tokens: Vec<&str> = t
        .split(['-', '/', '.', ' ', ','])
        .filter(|s| !s.is_empty())
        .collect();
    let num = |s: &str| -> Option<u32> {
        (s.chars().all(|c| c.is_ascii_digit()) && s.len() <= 4)
            .then(|| s.parse().ok())
            .flatten()
    };
    match tokens.as_slice() {
        [a, b, c] => {
            if let (Some(x), Some(y), Some(z)) = (num(a), num(b), num(c)) {
                if a.len() == 4 {
                    return typed_date(x as i32, y, z);
                }
                let year = full_year(c)?;
                return if t.contains('/') {
                    typed_date(year, x, y)
                } else {
                    typed_date(year, y, x)
                };
            }
            // 31-Jan-2026 / 31 January 2026
            if let (Some(d), Some(m), Some(_)) = (num(a), month_from_name(b), num(c)) {
                return typed_date(full_year(c)?, m, d);
            }
            // January 31, 2026 / Jan-31-2026
            if let (Some(m), Some(d), Some(_)) = (month_from_name(a), num(b), num(c)) {
                return typed_date(full_year(c)?, m, d);
            }
            // 2026-Jan-31
            if let (Some(_), Some(m), Some(d)) = (num(a), month_from_name(b), num(c)) {
                if a.len() == 4 {
                    return typed_date(full_year(a)?, m, d);
                }
            }
            None
        }
        [a, b] => {
            if let (Some(d), Some(m)) = (num(a), month_from_name(b)) {
                // "31-Jan" (this year) or "Jan-2026" (first of month)
                return typed_date(current_year, m, d);
            }
            if let (Some(m), Some(x)) = (month_from_name(a), num(b)) {
                if b.len() == 4 {
                    return typed_date(x as i32, m, 1);
                }
                return typed_date(current_year, m, x);
            }
            if let (Some(x), Some(y)) = (num(a), num(b)) {
                if t.contains('/') && a.len() <= 2 && b.len() <= 2 {
                    return typed_date(current_year, x, y);
                }
            }
            None
        }
        _ => None,
    }
}

/// Parses a time of day ("6:00", "18:30:15.5", "12:00 PM", "24:00").
fn parse_time_part(text: &str) -> Option<f64> {
    let mut t = text.trim().to_ascii_lowercase();
    let mut meridiem = None;
    for (suffix, pm) in [("am", false), ("pm", true), ("a", false), ("p", true)] {
        if let Some(rest) = t.strip_suffix(suffix) {
            meridiem = Some(pm);
            t = rest.trim_end().to_string();
            break;
        }
    }
    let parts: Vec<&str> = t.split(':').collect();
    if parts.is_empty() || parts.len() > 3 || (parts.len() == 1 && meridiem.is_none()) {
        return None;
    }
    let int = |s: &str| -> Option<f64> {
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut hour = int(parts[0])?;
    let minute = parts.get(1).map_or(Some(0.0), |m| int(m))?;
    let second = match parts.get(2) {
        Some(s) => {
            let v: f64 = s.parse().ok()?;
            if s.starts_with(['+', '-']) || !v.is_finite() || v >= 60.0 {
                return None;
            }
            v
        }
        None => 0.0,
    };
    if minute >= 60.0 && parts.len() > 2 {
        return None;
    }
    if let Some(pm) = meridiem {
        if !(0.0..=12.0).contains(&hour) {
            return None;
        }
        if hour == 12.0 {
            hour = 0.0;
        }
        if pm {
            hour += 12.0;
        }
    }
    let total = (hour * 3600.0 + minute * 60.0 + second) / DAY_SECONDS;
    Some(total - total.floor())
}

/// Reads text as a date, a time, or a date followed by a time.
fn parse_date_time(text: &str, current_year: i32) -> Option<ParsedDateTime> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(time) = parse_time_part(t) {
        return Some(ParsedDateTime {
            date: None,
            time: Some(time),
        });
    }
    if let Some(date) = parse_date_part(t, current_year) {
        return Some(ParsedDateTime {
            date: Some(date),
            time: None,
        });
    }
    // Date then time: split at the first space (or ISO 'T') after which
    // the rest reads as a time.
    let split_points = t
        .char_indices()
        .filter(|(_, c)| *c == ' ' || *c == 'T')
        .map(|(i, _)| i);
    for i in split_points {
        let (d, rest) = t.split_at(i);
        let rest = &rest[1..];
        if let (Some(date), Some(time)) = (parse_date_part(d, current_year), parse_time_part(rest))
        {
            return Some(ParsedDateTime {
                date: Some(date),
                time: Some(time),
            });
        }
    }
    None
}

/// Reads text as Excel reads a typed date and/or time: "2026-01-31",
/// "1/31/2026" (US order), "31.1.2026", "31-Jan-2026", "January 31, 2026",
/// "18:30", "6:30 PM", "2024-02-29 06:00". Returns the serial in `system`
/// (date plus fraction of a day; a time alone is its fraction in either
/// system); "29-Feb-1900" is Excel's serial 60 in the 1900 system, and a
/// date before a 1904 workbook's first day reads as no date. A missing
/// year is `current_year` (take it from the engine clock).
pub fn parse_date_time_serial(text: &str, current_year: i32, system: DateSystem) -> Option<f64> {
    let parsed = parse_date_time(text, current_year)?;
    let day = match parsed.date {
        Some(d) => system.number_from_serial(d as f64)?,
        None => 0.0,
    };
    Some(day + parsed.time.unwrap_or(0.0))
}

/// DATEVALUE(text).
fn datevalue_core(text: &str, current_year: i32) -> DtResult<f64> {
    match parse_date_time(text, current_year) {
        Some(ParsedDateTime { date: Some(d), .. }) => Ok(d as f64),
        _ => Err(ErrorKind::Value),
    }
}

/// TIMEVALUE(text).
fn timevalue_core(text: &str, current_year: i32) -> DtResult<f64> {
    match parse_date_time(text, current_year) {
        Some(p) => Ok(p.time.unwrap_or(0.0)),
        None => Err(ErrorKind::Value),
    }
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod core_tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 || (a - b).abs() / a.abs().max(b.abs()) < 1e-12
    }

    #[test]
    fn date_rolls_like_excel() {
        assert_eq!(date_core(2022.0, 1.0, 1.0), Ok(44562.0));
        assert_eq!(date_core(9999.0, 12.0, 31.0), Ok(2958465.0));
        assert_eq!(date_core(9999.0, 12.0, 32.0), Err(ErrorKind::Num));
        assert_eq!(date_core(2008.0, 14.0, 2.0), Ok(39846.0)); // 2009-02-02
        assert_eq!(date_core(2008.0, -3.0, 2.0), Ok(39327.0)); // 2007-09-02
        assert_eq!(date_core(2008.0, 1.0, 35.0), Ok(39482.0)); // 2008-02-04
        assert_eq!(date_core(108.0, 1.0, 2.0), Ok(39449.0)); // 2008-01-02
        assert_eq!(date_core(1900.0, 2.0, 29.0), Ok(60.0));
        assert_eq!(date_core(1900.0, 3.0, 1.0), Ok(61.0));
        assert_eq!(date_core(1900.0, 1.0, 0.0), Ok(0.0));
        assert_eq!(date_core(1900.0, 1.0, -1.0), Err(ErrorKind::Num));
        assert_eq!(date_core(10000.0, 1.0, 1.0), Err(ErrorKind::Num));
        assert_eq!(date_core(-1.0, 1.0, 1.0), Err(ErrorKind::Num));
    }

    #[test]
    fn time_wraps_and_rejects_negatives() {
        assert_eq!(time_core(23.0, 59.0, 60.0), Ok(0.0));
        assert!(close(time_core(23.0, 120.0, 0.0).unwrap(), 1.0 / 24.0));
        assert_eq!(time_core(0.0, 0.0, -1.0), Err(ErrorKind::Num));
        assert!(close(time_core(12.0, 0.0, 0.0).unwrap(), 0.5));
        assert!(close(
            time_core(0.0, 750.0, 0.0).unwrap(),
            0.520833333333333
        ));
    }

    #[test]
    fn parts_of_serials() {
        assert_eq!(year_month_day(60.0), Ok((1900, 2, 29)));
        assert_eq!(year_month_day(61.0), Ok((1900, 3, 1)));
        assert_eq!(year_month_day(0.0), Ok((1900, 1, 0)));
        assert_eq!(year_month_day(32111.7), Ok((1987, 11, 30)));
        assert_eq!(year_month_day(-1.0), Err(ErrorKind::Num));
        assert_eq!(hour_minute_second(0.12640046296296295), Ok((3, 2, 1)));
        assert_eq!(hour_minute_second(0.99998842592592596), Ok((23, 59, 59)));
        assert_eq!(hour_minute_second(0.42577546296297442), Ok((10, 13, 7)));
        assert_eq!(hour_minute_second(-0.5), Err(ErrorKind::Num));
    }

    #[test]
    fn weekday_types() {
        // 2008-02-14 was a Thursday (serial 39492).
        assert_eq!(weekday_core(39492.0, 1.0), Ok(5));
        assert_eq!(weekday_core(39492.0, 2.0), Ok(4));
        assert_eq!(weekday_core(39492.0, 3.0), Ok(3));
        assert_eq!(weekday_core(39492.0, 11.0), Ok(4));
        assert_eq!(weekday_core(39492.0, 14.0), Ok(1));
        assert_eq!(weekday_core(39492.0, 17.0), Ok(5));
        assert_eq!(weekday_core(39492.0, 4.0), Err(ErrorKind::Num));
        assert_eq!(weekday_core(1.0, 1.0), Ok(1)); // Excel's Sunday 1900-01-01
    }

    #[test]
    fn week_numbers() {
        // 2012-03-09: WEEKNUM 10 (Sunday start), 11 (Monday start).
        let s = date_core(2012.0, 3.0, 9.0).unwrap();
        assert_eq!(weeknum_core(s, 1.0), Ok(10));
        assert_eq!(weeknum_core(s, 2.0), Ok(11));
        assert_eq!(weeknum_core(s, 21.0), Ok(10));
        assert_eq!(iso_weeknum_core(s), Ok(10));
        let jan1_2021 = date_core(2021.0, 1.0, 1.0).unwrap();
        assert_eq!(iso_weeknum_core(jan1_2021), Ok(53));
        assert_eq!(weeknum_core(jan1_2021, 1.0), Ok(1));
        let dec31_2024 = date_core(2024.0, 12.0, 31.0).unwrap();
        assert_eq!(iso_weeknum_core(dec31_2024), Ok(1));
        assert_eq!(weeknum_core(dec31_2024, 1.0), Ok(53));
        assert_eq!(weeknum_core(s, 3.0), Err(ErrorKind::Num));
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(edate_core(32112.0, -235.5), Ok(24959.0));
        assert_eq!(
            edate_core(date_core(2011.0, 1.0, 31.0).unwrap(), 1.0),
            date_core(2011.0, 2.0, 28.0)
        );
        assert_eq!(edate_core(61.0, -7.0), Err(ErrorKind::Num));
        assert_eq!(eomonth_core(44987.0, 7.0), Ok(45230.0));
        assert_eq!(eomonth_core(44987.0, -123.0), Ok(41274.0));
        assert_eq!(eomonth_core(44987.0, -4.7), Ok(44895.0));
        assert_eq!(eomonth_core(20881.0, 1230.0), Ok(58348.0));
        assert_eq!(eomonth_core(44987.0, -1240.333), Ok(7274.0));
    }

    #[test]
    fn day_counts() {
        assert_eq!(days_core(46000.999999, 45992.000001), Ok(8.0));
        assert_eq!(days_core(-5.0, -10.0), Err(ErrorKind::Num));
        assert_eq!(days360_core(45992.000001, 46000.999999, false), Ok(9.0));
        assert_eq!(days360_core(45351.0, 45716.0, false), Ok(358.0));
        assert_eq!(days360_core(45350.0, 45352.0, false), Ok(3.0));
        assert_eq!(days360_core(45868.0, 45869.0, false), Ok(0.0));
        assert_eq!(days360_core(45838.0, 45869.0, false), Ok(30.0));
        assert_eq!(days360_core(45658.0, 45688.0, true), Ok(29.0));
        assert_eq!(days360_core(45658.0, 45688.0, false), Ok(30.0));
    }

    #[test]
    fn datedif_units() {
        let d = |y, m, dd| date_core(y, m, dd).unwrap();
        let (start, end) = (d(2001.0, 6.0, 1.0), d(2002.0, 8.0, 15.0));
        for (unit, want) in [
            ("D", 440.0),
            ("YD", 75.0),
            ("md", 14.0),
            ("M", 14.0),
            ("YM", 2.0),
            ("Y", 1.0),
        ] {
            assert_eq!(datedif_core(start, end, unit), Ok(want), "{unit}");
        }
        // Excel's MD quirk: the start day is rolled into the month before
        // the end, so 31 January to 1 March 2016 gives -1.
        assert_eq!(
            datedif_core(d(2016.0, 1.0, 31.0), d(2016.0, 3.0, 1.0), "MD"),
            Ok(-1.0)
        );
        assert_eq!(datedif_core(end, start, "Y"), Err(ErrorKind::Num));
        assert_eq!(datedif_core(1.0, 2.0, "W"), Err(ErrorKind::Num));
    }

    #[test]
    fn yearfrac_bases() {
        let cases = [
            (39508.0, 39691.0, 0.0, 0.5),
            (39508.0, 39691.0, 1.0, 0.5),
            (39508.0, 39691.0, 2.0, 0.5083333333333333),
            (39508.0, 39691.0, 3.0, 0.50136986301369868),
            (39508.0, 39691.0, 4.0, 0.49722222222222223),
            (39142.0, 39325.0, 1.0, 0.50136986301369868),
            (42769.0, 43070.0, 0.0, 0.82777777777777772),
            (42769.0, 43070.0, 1.0, 0.8246575342465754),
            (39177.0, 39301.0, 0.0, 0.33888888888888891),
            (34824.0, 46179.0, 1.0, 31.088295687885012),
            (46179.0, 46084.0, 0.0, 0.25833333333333336),
            (36015.0, 45386.0, 1.0, 25.655749340904482),
            (44988.0, 45350.0, 1.0, 0.99178082191780825),
            (44594.0, 45351.0, 1.0, 2.0720802919708032),
            (44921.0, 44561.0, 2.0, 1.0),
        ];
        for (s, e, b, want) in cases {
            let got = yearfrac_core(s, e, b).unwrap();
            assert!(
                close(got, want),
                "YEARFRAC({s},{e},{b}) = {got}, want {want}"
            );
        }
        assert_eq!(yearfrac_core(1.0, 2.0, 5.0), Err(ErrorKind::Num));
    }

    #[test]
    fn working_days() {
        let d = |y, m, dd| date_core(y, m, dd).unwrap();
        let std = weekend_from_number(1.0).unwrap();
        let holidays = [
            d(2008.0, 11.0, 26.0),
            d(2008.0, 12.0, 4.0),
            d(2009.0, 1.0, 21.0),
        ];
        let holidays_2012 = [
            d(2012.0, 11.0, 22.0),
            d(2012.0, 12.0, 4.0),
            d(2013.0, 1.0, 21.0),
        ];
        assert_eq!(
            networkdays_core(d(2012.0, 10.0, 1.0), d(2013.0, 3.0, 1.0), &std, &[]),
            Ok(110.0)
        );
        assert_eq!(
            networkdays_core(
                d(2012.0, 10.0, 1.0),
                d(2013.0, 3.0, 1.0),
                &std,
                &holidays_2012
            ),
            Ok(107.0)
        );
        assert_eq!(
            networkdays_core(
                d(2013.0, 3.0, 1.0),
                d(2012.0, 10.0, 1.0),
                &std,
                &holidays_2012
            ),
            Ok(-107.0)
        );
        assert_eq!(
            networkdays_core(d(2006.0, 1.0, 1.0), d(2006.0, 1.0, 31.0), &std, &[]),
            Ok(22.0)
        );
        assert_eq!(
            networkdays_core(
                d(2006.0, 1.0, 1.0),
                d(2006.0, 1.0, 31.0),
                &weekend_from_number(7.0).unwrap(),
                &[]
            ),
            Ok(23.0)
        );
        assert_eq!(
            networkdays_core(
                d(2006.0, 1.0, 1.0),
                d(2006.0, 2.0, 1.0),
                &weekend_from_text("0010001").unwrap(),
                &[d(2006.0, 1.0, 2.0), d(2006.0, 1.0, 16.0)]
            ),
            Ok(20.0)
        );
        assert_eq!(
            workday_core(d(2008.0, 10.0, 1.0), 151.0, &std, &holidays),
            Ok(d(2009.0, 5.0, 5.0))
        );
        assert_eq!(
            workday_core(d(2008.0, 10.0, 1.0), 151.0, &std, &[]),
            Ok(d(2009.0, 4.0, 30.0))
        );
        assert_eq!(
            workday_core(
                d(2012.0, 1.0, 1.0),
                90.0,
                &weekend_from_number(11.0).unwrap(),
                &[]
            ),
            Ok(41013.0)
        );
        assert_eq!(
            workday_core(d(2012.0, 1.0, 1.0), -5.0, &std, &[]),
            Ok(d(2011.0, 12.0, 26.0))
        );
        assert_eq!(
            workday_core(
                d(2012.0, 1.0, 1.0),
                1.0,
                &weekend_from_text("1111111").unwrap(),
                &[]
            ),
            Err(ErrorKind::Value)
        );
        assert_eq!(weekend_from_number(8.0), Err(ErrorKind::Num));
        assert_eq!(weekend_from_text("000001"), Err(ErrorKind::Value));
        // Long jumps agree with counting back (40000 is a Monday).
        for n in [1.0, 7.0, 13.0, 500.0, 2001.0] {
            let end = workday_core(40000.0, n, &std, &holidays).unwrap();
            assert_eq!(networkdays_core(40000.0, end, &std, &holidays), Ok(n + 1.0));
            let back = workday_core(40000.0, -n, &std, &holidays).unwrap();
            assert_eq!(
                networkdays_core(back, 40000.0, &std, &holidays),
                Ok(n + 1.0)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn date_parts_round_trip(y in 1900i32..=9999, m in 1u32..=12, d in 1u32..=31) {
            let d = d.min(days_in_month(y, m));
            let serial = date_core(y.into(), m.into(), d.into()).unwrap();
            proptest::prop_assert_eq!(year_month_day(serial), Ok((y, m, d)));
        }

        #[test]
        fn workday_and_networkdays_agree(start in 61i64..2_900_000, n in 1i64..2000, weekend in 1i64..=17) {
            let Ok(mask) = weekend_from_number(weekend as f64) else { return Ok(()); };
            // Step back to a working day so the start counts as day one.
            let mut s = start;
            while is_weekend(s, &mask) { s -= 1; }
            let end = workday_core(s as f64, n as f64, &mask, &[]).unwrap();
            proptest::prop_assert_eq!(networkdays_core(s as f64, end, &mask, &[]), Ok((n + 1) as f64));
            let back = workday_core(end, -(n as f64), &mask, &[]).unwrap();
            proptest::prop_assert_eq!(back, s as f64);
        }

        #[test]
        fn month_ends_follow_edate(start in 20_000f64..2_900_000.0, months in -600f64..600.0) {
            let e = edate_core(start, months).unwrap();
            let eom = eomonth_core(start, months).unwrap();
            proptest::prop_assert!(e <= eom && eom - e < 31.0);
            proptest::prop_assert_eq!(eomonth_core(e, 0.0), Ok(eom));
        }
    }

    #[test]
    fn text_dates_and_times() {
        assert_eq!(datevalue_core("29-Feb-1900", 2026), Ok(60.0));
        assert_eq!(datevalue_core("1-Mar-1900", 2026), Ok(61.0));
        assert_eq!(datevalue_core("2024-02-29 06:00", 2026), Ok(45351.0));
        assert_eq!(datevalue_core("2024-02-29", 2026), Ok(45351.0));
        assert_eq!(datevalue_core("31-Jan-2026", 2026), Ok(46053.0));
        assert_eq!(datevalue_core("January 31, 2026", 2026), Ok(46053.0));
        assert_eq!(datevalue_core("31.1.2026", 2026), Ok(46053.0));
        assert_eq!(datevalue_core("1/31/2026", 2026), Ok(46053.0));
        assert_eq!(datevalue_core("31 January 2026", 2026), Ok(46053.0));
        assert_eq!(datevalue_core("31-Jan", 2026), Ok(46053.0));
        assert_eq!(datevalue_core("2026-02-30", 2026), Err(ErrorKind::Value));
        assert_eq!(datevalue_core("qwerty", 2026), Err(ErrorKind::Value));
        assert_eq!(timevalue_core("24:00", 2026), Ok(0.0));
        assert_eq!(timevalue_core(" 1:30 ", 2026), Ok(0.0625));
        assert_eq!(timevalue_core("12:00 PM", 2026), Ok(0.5));
        assert_eq!(timevalue_core("12:00 AM", 2026), Ok(0.0));
        assert_eq!(timevalue_core("6:00", 2026), Ok(0.25));
        assert!(close(
            timevalue_core("2024-02-29 18:30:15", 2026).unwrap(),
            (18.0 * 3600.0 + 30.0 * 60.0 + 15.0) / 86400.0
        ));
        assert_eq!(timevalue_core("2024-02-29", 2026), Ok(0.0));
        assert_eq!(timevalue_core("abc", 2026), Err(ErrorKind::Value));
        assert_eq!(
            parse_date_time_serial("2024-02-29 06:00", 2026, DateSystem::Excel1900),
            Some(45351.25)
        );
        assert_eq!(
            parse_date_time_serial("6:00 PM", 2026, DateSystem::Excel1900),
            Some(0.75)
        );
        assert_eq!(
            parse_date_time_serial("29-Feb-1900", 2026, DateSystem::Excel1900),
            Some(60.0)
        );
        assert_eq!(
            parse_date_time_serial("12", 2026, DateSystem::Excel1900),
            None
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};
    use crate::model::{ErrorKind, Value};

    /// A 1904 workbook computes with 1904 serials, as Excel does: day 0 is
    /// 1904-01-01, 1462 days after the 1900 system's day 0.
    #[test]
    fn a_1904_workbook_computes_with_its_own_serials() {
        use crate::formula::testing::{eval_in, workbook_with};
        use crate::model::{DateSystem, DateValue};
        let eval = |formula: &str| {
            let mut wb = workbook_with(&[("A2", "44866")]);
            wb.date_system = DateSystem::Excel1904;
            // 2026-11-02, held as the model's 1900-system serial.
            let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
            wb.sheets[0].set_value(
                crate::model::CellAddr::parse("A1").unwrap(),
                Value::Date(DateValue::from_date(day)),
            );
            eval_in(wb, "Sheet1", formula)
        };
        let text = |s: &str| Value::Text(s.into());
        assert_eq!(eval("=A1+1"), num("44867"));
        assert_eq!(eval("=A1=A2"), Value::Bool(true));
        assert_eq!(eval("=DATE(2026,11,3)"), num("44867"));
        assert_eq!(eval("=DATE(1904,1,1)"), num("0"));
        assert_eq!(eval("=DATE(1903,12,31)"), Value::Error(ErrorKind::Num));
        assert_eq!(eval("=DATEVALUE(\"2026-11-03\")"), num("44867"));
        assert_eq!(eval("=\"2026-11-03\"+0"), num("44867"));
        assert_eq!(eval("=\"12:00\"+0"), num("0.5"));
        assert_eq!(eval("=TODAY()"), num("44891"));
        assert_eq!(eval("=NOW()"), num("44891.375"));
        assert_eq!(eval("=YEAR(A2)"), num("2026"));
        assert_eq!(eval("=DAY(A1)"), num("2"));
        assert_eq!(eval("=YEAR(0)"), num("1904"));
        assert_eq!(eval("=YEAR(-1)"), Value::Error(ErrorKind::Num));
        // 1904-01-01 was a Friday.
        assert_eq!(eval("=WEEKDAY(0)"), num("6"));
        assert_eq!(eval("=WEEKDAY(A1)"), num("2"));
        assert_eq!(eval("=EDATE(A1,1)"), num("44896"));
        assert_eq!(eval("=EOMONTH(A2,0)"), num("44894"));
        assert_eq!(eval("=WORKDAY(A1,5)"), num("44873"));
        assert_eq!(eval("=NETWORKDAYS(A1,A2+6)"), num("5"));
        assert_eq!(eval("=DAYS(A1,0)"), num("44866"));
        assert_eq!(eval("=TEXT(A2+1,\"yyyy-mm-dd\")"), text("2026-11-03"));
        assert_eq!(eval("=TEXT(A1,\"d.m.yyyy\")"), text("2.11.2026"));
        assert_eq!(eval("=TEXT(A1,\"0\")"), text("44866"));
        assert_eq!(eval("=TEXT(1.5,\"[h]\")"), text("36"));
        assert_eq!(eval("=COUNTIF(A1:A2,DATE(2026,11,2))"), num("2"));
        assert_eq!(eval("=COUNTIF(A1:A2,\">=\"&DATE(2026,11,2))"), num("2"));
        assert_eq!(eval("=MATCH(A2,A1:A1,0)"), num("1"));
        assert_eq!(eval("=N(A1)"), num("44866"));
        assert_eq!(eval("=SUM(A1,1)"), num("44867"));
        // Bond functions read and give dates in the workbook's system.
        assert_eq!(
            eval("=COUPNCD(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
            num("39216")
        );
        let price = "=PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0)";
        assert_eq!(eval(price), crate::formula::testing::eval_str(price));
    }

    #[test]
    fn today_uses_the_fixed_test_clock() {
        // The test clock is 2026-11-27 09:00.
        assert_eq!(eval_str("=TODAY()"), num("46353"));
        assert_eq!(eval_str("=NOW()"), num("46353.375"));
    }

    #[test]
    fn scalar_functions_lift_over_arrays() {
        use crate::formula::testing::eval_calc;
        use crate::formula::CalcValue;
        let CalcValue::Array(a) = eval_calc("=DATE({2026,2027},1,{1;2})") else {
            panic!("DATE over arrays should give an array");
        };
        assert_eq!((a.rows, a.cols), (2, 2));
        assert_eq!(a.get(0, 0), &num("46023"));
        assert_eq!(a.get(1, 1), &num("46389"));
        let CalcValue::Array(a) = eval_calc("=DATE({2026,2027,2028},1,{1,2})") else {
            panic!("DATE over arrays should give an array");
        };
        assert_eq!(a.get(0, 2), &Value::Error(ErrorKind::NA));
        let CalcValue::Array(a) = eval_calc("=YEAR({46023;-1})") else {
            panic!("YEAR over an array should give an array");
        };
        assert_eq!(a.get(0, 0), &num("2026"));
        assert_eq!(a.get(1, 0), &Value::Error(ErrorKind::Num));
    }

    #[test]
    fn functions_through_the_evaluator() {
        assert_eq!(eval_str("=DATE(2026,1,31)"), num("46053"));
        assert_eq!(eval_str("=YEAR(DATE(2026,14,1))"), num("2027"));
        assert_eq!(eval_str("=DAY(60)"), num("29"));
        assert_eq!(eval_str("=DATEVALUE(\"31-Jan-2026\")"), num("46053"));
        assert_eq!(eval_str("=TIMEVALUE(\"12:00 PM\")"), num("0.5"));
        assert_eq!(eval_str("=EOMONTH(DATE(2026,1,31),1)"), num("46081"));
        assert_eq!(
            eval_str("=EOMONTH(DATE(2026,1,31),TRUE)"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(
            eval_str("=NETWORKDAYS.INTL(DATE(2026,1,1),DATE(2026,1,31),\"0000011\",{46023})"),
            num("21")
        );
        assert_eq!(eval_str("=WORKDAY(DATE(2026,1,2),1)"), num("46027"));
        assert_eq!(
            eval_str("=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"YM\")"),
            num("2")
        );
        assert_eq!(
            eval_str("=DAYS360(DATE(2025,1,1),DATE(2025,1,31),TRUE)"),
            num("29")
        );
        assert_eq!(eval_str("=WEEKDAY(DATE(2026,11,27),2)"), num("5"));
        assert_eq!(eval_str("=DATEVALUE(12)"), Value::Error(ErrorKind::Value));
    }
}
