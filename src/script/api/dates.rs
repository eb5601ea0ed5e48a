//! Dates in scripts: building, reading and shifting them the way Excel's
//! date functions do, in the workbook's date system. Everything here but
//! `today()` is a pure function, so it lives in a plugin module whose
//! signatures and `///` lines are the script reference.

use crate::model::Value;
use crate::script::book::SharedBook;
use crate::script::table::Column;
use crate::script::values::{
    add_months, days_between, describe, end_of_month, parse_date, value_date, working_days,
    CellError, Date,
};
use chrono::Datelike;
use chrono::NaiveDate;
use rhai::plugin::*;
use rhai::{Array, Dynamic, Engine, EvalAltResult, INT};

/// The workbook clock's date.
fn today_of(book: &SharedBook) -> Date {
    Date(book.borrow().now.date())
}

/// Registers the date functions: the pure ones from [`date_functions`],
/// and `today()`, which reads the run's clock.
pub(super) fn register_dates(engine: &mut Engine, book: &SharedBook) {
    let b = book.clone();
    api!(
        engine,
        "today",
        ["Date"],
        "Today's date (fixed by --today for repeatable runs).",
        move || today_of(&b)
    );
    engine.register_global_module(exported_module!(date_functions).into());
}

/// Date functions that need no workbook: their reference comes from
/// these signatures and doc lines (a fallible one spells out its
/// `Result`, which the reference unwraps to the value's type).
#[export_module]
mod date_functions {
    use super::*;

    /// A date from year, month and day.
    #[rhai_fn(name = "date", return_raw)]
    pub fn date_of_parts(year: INT, month: INT, day: INT) -> Result<Date, Box<EvalAltResult>> {
        let date = i32::try_from(year)
            .ok()
            .zip(u32::try_from(month).ok())
            .zip(u32::try_from(day).ok())
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d));
        date.map(Date)
            .ok_or_else(|| format!("{year}-{month}-{day} is not a valid date").into())
    }

    /// A date from "2026-11-30" (or "30.11.2026", "30/11/2026").
    #[rhai_fn(name = "date", return_raw)]
    pub fn date_of_text(text: &str) -> Result<Date, Box<EvalAltResult>> {
        parse_date(text)
            .map(Date)
            .ok_or_else(|| format!("\"{text}\" is not a date; write it as 2026-11-30").into())
    }

    /// The month of a date as text that sorts and groups: year_month(date(2026, 11, 30)) is "2026-11".
    #[rhai_fn(name = "year_month")]
    pub fn year_month_of_date(date: Date) -> String {
        date.0.format("%Y-%m").to_string()
    }

    /// The month of a date written as text ("30.11.2026", "2026-11-30") as "2026-11".
    #[rhai_fn(name = "year_month", return_raw)]
    pub fn year_month_of_text(date: &str) -> Result<String, Box<EvalAltResult>> {
        parse_date(date)
            .map(|d| d.format("%Y-%m").to_string())
            .ok_or_else(|| {
                format!("year_month: \"{date}\" is not a date; write it as 2026-11-30").into()
            })
    }

    /// The month of every date in a column as "2026-11" (empty stays empty), for group_by.
    #[rhai_fn(name = "year_month", return_raw)]
    pub fn year_month_of_column(dates: Column) -> Result<Column, Box<EvalAltResult>> {
        let mut out = Vec::with_capacity(dates.len());
        for (i, v) in dates.values.iter().enumerate() {
            out.push(match v {
                Value::Empty => Value::Empty,
                _ => {
                    let d = value_date(v)
                        .map_err(|e| format!("year_month: {}: {e}", dates.locate(i)))?;
                    Value::text(d.format("%Y-%m").to_string())
                }
            });
        }
        Ok(Column::new(dates.name.clone(), out))
    }

    /// The date of an Excel serial number of the workbook's date system (1900, or 1904 for a 1904 workbook).
    #[rhai_fn(return_raw)]
    pub fn date_from_serial(serial: INT) -> Result<Date, Box<EvalAltResult>> {
        crate::formula::calc::date_system()
            .serial_of(serial as f64)
            .and_then(|s| crate::model::value::date_from_serial(s as i64))
            .map(Date)
            .ok_or_else(|| format!("{serial} is not an Excel date serial").into())
    }

    /// The year.
    #[rhai_fn(get = "year", pure)]
    pub fn year(date: &mut Date) -> INT {
        date.0.year() as INT
    }

    /// The month, 1 to 12.
    #[rhai_fn(get = "month", pure)]
    pub fn month(date: &mut Date) -> INT {
        date.0.month() as INT
    }

    /// The day of the month.
    #[rhai_fn(get = "day", pure)]
    pub fn day(date: &mut Date) -> INT {
        date.0.day() as INT
    }

    /// 1 for Monday to 7 for Sunday.
    #[rhai_fn(get = "weekday", pure)]
    pub fn weekday(date: &mut Date) -> INT {
        date.0.weekday().number_from_monday() as INT
    }

    /// The Excel serial number in the workbook's date system (1900, or 1904 for a 1904 workbook).
    #[rhai_fn(get = "serial", pure)]
    pub fn serial(date: &mut Date) -> INT {
        date.serial()
    }

    /// The date so many days later.
    #[rhai_fn(name = "+", return_raw)]
    pub fn plus_days(date: Date, days: INT) -> Result<Date, Box<EvalAltResult>> {
        shift_days(date, days)
    }

    /// The date so many days earlier.
    #[rhai_fn(name = "-", return_raw)]
    pub fn minus_days(date: Date, days: INT) -> Result<Date, Box<EvalAltResult>> {
        shift_days(date, -days)
    }

    /// Days from b to a.
    #[rhai_fn(name = "-")]
    pub fn difference(a: Date, b: Date) -> INT {
        days_between(b.0, a.0)
    }

    /// The date so many days later (negative for earlier).
    #[rhai_fn(return_raw)]
    pub fn add_days(date: Date, days: INT) -> Result<Date, Box<EvalAltResult>> {
        shift_days(date, days)
    }

    /// Days from one date to another (negative when `to` is earlier).
    #[rhai_fn(name = "days_between")]
    pub fn days_from_to(from: Date, to: Date) -> INT {
        days_between(from.0, to.0)
    }

    /// The same day so many months later, clamped to the month's end (EDATE).
    #[rhai_fn(name = "add_months", return_raw)]
    pub fn months_later(date: Date, months: INT) -> Result<Date, Box<EvalAltResult>> {
        add_months(date.0, months)
            .map(Date)
            .ok_or_else(|| "add_months: the date is out of range".into())
    }

    /// The last day of the date's month (EOMONTH(date, 0)).
    #[rhai_fn(name = "end_of_month", return_raw)]
    pub fn month_end(date: Date) -> Result<Date, Box<EvalAltResult>> {
        month_end_later(date, 0)
    }

    /// The last day of the month so many months later (EOMONTH).
    #[rhai_fn(name = "end_of_month", return_raw)]
    pub fn month_end_later(date: Date, months: INT) -> Result<Date, Box<EvalAltResult>> {
        end_of_month(date.0, months)
            .map(Date)
            .ok_or_else(|| "end_of_month: out of range".into())
    }

    /// Monday-to-Friday days between two dates, both included (NETWORKDAYS).
    #[rhai_fn(name = "working_days")]
    pub fn weekdays_between(from: Date, to: Date) -> INT {
        working_days(from.0, to.0, &[])
    }

    /// NETWORKDAYS with a list of holiday dates.
    #[rhai_fn(name = "working_days", return_raw)]
    pub fn weekdays_between_except(
        from: Date,
        to: Date,
        holidays: Array,
    ) -> Result<INT, Box<EvalAltResult>> {
        let hol = holidays
            .iter()
            .map(|x| {
                x.clone().try_cast::<Date>().map(|d| d.0).ok_or_else(|| {
                    format!(
                        "working_days: holidays must be dates, found {}",
                        describe(x)
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(working_days(from.0, to.0, &hol))
    }

    /// Compares two dates.
    #[rhai_fn(name = "==")]
    pub fn eq(a: Date, b: Date) -> bool {
        a == b
    }

    /// Compares two dates.
    #[rhai_fn(name = "!=")]
    pub fn ne(a: Date, b: Date) -> bool {
        a != b
    }

    /// Compares two dates.
    #[rhai_fn(name = "<")]
    pub fn lt(a: Date, b: Date) -> bool {
        a < b
    }

    /// Compares two dates.
    #[rhai_fn(name = "<=")]
    pub fn le(a: Date, b: Date) -> bool {
        a <= b
    }

    /// Compares two dates.
    #[rhai_fn(name = ">")]
    pub fn gt(a: Date, b: Date) -> bool {
        a > b
    }

    /// Compares two dates.
    #[rhai_fn(name = ">=")]
    pub fn ge(a: Date, b: Date) -> bool {
        a >= b
    }

    /// The date as 2026-11-30.
    #[rhai_fn(name = "to_string", pure)]
    pub fn date_to_string(date: &mut Date) -> String {
        date.to_string()
    }

    /// The date as 2026-11-30.
    #[rhai_fn(name = "to_debug", pure)]
    pub fn date_to_debug(date: &mut Date) -> String {
        date.to_string()
    }

    /// The Excel error text such as #N/A.
    #[rhai_fn(name = "to_string", pure)]
    pub fn error_to_string(error: &mut CellError) -> String {
        error.0.as_str().to_string()
    }

    /// Whether a cell value is an Excel error such as #N/A.
    pub fn is_error(value: Dynamic) -> bool {
        value.is::<CellError>()
    }
}

/// `date` moved by `days`, refused beyond the calendar.
fn shift_days(date: Date, days: INT) -> Result<Date, Box<EvalAltResult>> {
    date.0
        .checked_add_signed(chrono::Duration::days(days))
        .map(Date)
        .ok_or_else(|| "the date is out of range".into())
}
