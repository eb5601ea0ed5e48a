//! Date and time functions (DATE, TODAY, EOMONTH, NETWORKDAYS, ...).
//!
//! The cores compute with 1900-system serials (day 1 is 1900-01-01, day
//! 60 Excel's phantom 1900-02-29). The wrappers take and give numbers in
//! the workbook's date system, as Excel does in a 1904 workbook, through
//! `date_arg` and `date_out`: the cores keep one calendar. Results are
//! plain serial numbers: the cell's number format decides how they show,
//! as in Excel. The clock for TODAY/NOW comes from the engine options,
//! never the system clock. The rules the financial functions share
//! (DATE/EDATE/EOMONTH arithmetic, the DAYS360 and YEARFRAC day counts)
//! live outside the category, in `formula/date_serial.rs` and
//! `formula/day_count.rs`, so neither category imports from the other.

mod dates;
mod day_counts;
mod times;
mod working_days;

use super::util::{atp_num, date_out, finite_num as num};
use super::*;
use crate::formula::date_serial::*;
use crate::formula::day_count::{days360_core, yearfrac_core};
use crate::model::calendar::{self, is_weekend, WeekendMask};
use crate::model::value::{serial_from_date, MAX_DATE_SERIAL};
use crate::model::DateSystem;
use chrono::{Datelike, Timelike};
use dates::*;
use day_counts::*;
use times::*;
use working_days::*;

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

/// A float result as a calculated value (`#NUM!` when not finite).
pub(super) fn out(r: Result<f64, ErrorKind>) -> Result<Value, ErrorKind> {
    r.map(float_value)
}

/// A date argument (a number in the workbook's date system) as the
/// 1900-system serial the cores compute with; `#NUM!` when negative, as
/// no date is. `atp` reads it as the Analysis ToolPak functions do
/// ([`atp_num`]).
pub(crate) fn date_arg(v: &Value, system: DateSystem, atp: bool) -> Result<f64, ErrorKind> {
    let n = if atp { atp_num(v)? } else { num(v)? };
    system.serial_of(n).ok_or(ErrorKind::Num)
}

/// Applies a scalar function over its arguments, lifting over arrays the
/// way Excel's dynamic arrays do: array arguments are broadcast (a single
/// row or column repeats) and cells outside a shorter array are `#N/A`.
/// Multi-cell references are arrays in array mode and in dynamic-array
/// formulas, and are reduced by implicit intersection otherwise. (The multi-argument
/// counterpart of `CallContext::map_value`.)
pub(crate) fn map_args(
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

/// Optional numeric argument `i` as a float, evaluated as a scalar.
pub(super) fn opt_num(
    ctx: &mut CallContext,
    args: &[Expr],
    i: usize,
    default: f64,
) -> Result<f64, ErrorKind> {
    if CallContext::is_missing(args, i) {
        Ok(default)
    } else {
        num(&ctx.value(&args[i])?)
    }
}

#[cfg(test)]
mod core_tests;
#[cfg(test)]
mod tests;
