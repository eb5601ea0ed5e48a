//! Dates in scripts: building, reading and shifting them the way Excel's
//! date functions do, in the workbook's date system.

use super::*;

/// The workbook clock's date.
pub(super) fn today_of(book: &SharedBook) -> Date {
    Date(book.borrow().now.date())
}

pub(super) fn make_date(y: INT, m: INT, d: INT) -> Res<Date> {
    let date = i32::try_from(y)
        .ok()
        .zip(u32::try_from(m).ok())
        .zip(u32::try_from(d).ok())
        .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d));
    date.map(Date)
        .ok_or_else(|| format!("{y}-{m}-{d} is not a valid date").into())
}

pub(super) fn register_dates(engine: &mut Engine, book: &SharedBook) {
    let b = book.clone();
    api!(
        engine,
        "today",
        ["Date"],
        "Today's date (fixed by --today for repeatable runs).",
        move || today_of(&b)
    );
    api!(
        engine,
        "date",
        ["year: INT", "month: INT", "day: INT", "Date"],
        "A date from year, month and day.",
        make_date
    );
    api!(
        engine,
        "date",
        ["text: String", "Date"],
        "A date from \"2026-11-30\" (or \"30.11.2026\", \"30/11/2026\").",
        |t: &str| -> Res<Date> {
            parse_date(t)
                .map(Date)
                .ok_or_else(|| format!("\"{t}\" is not a date; write it as 2026-11-30").into())
        }
    );
    api!(
        engine,
        "year_month",
        ["date: Date", "String"],
        "The month of a date as text that sorts and groups: year_month(date(2026, 11, 30)) is \"2026-11\".",
        |d: Date| d.0.format("%Y-%m").to_string()
    );
    api!(
        engine,
        "year_month",
        ["date: String", "String"],
        "The month of a date written as text (\"30.11.2026\", \"2026-11-30\") as \"2026-11\".",
        |t: &str| -> Res<String> {
            parse_date(t)
                .map(|d| d.format("%Y-%m").to_string())
                .ok_or_else(|| {
                    format!("year_month: \"{t}\" is not a date; write it as 2026-11-30").into()
                })
        }
    );
    api!(
        engine,
        "year_month",
        ["dates: Column", "Column"],
        "The month of every date in a column as \"2026-11\" (empty stays empty), for group_by.",
        |c: Column| -> Res<Column> {
            let mut out = Vec::with_capacity(c.len());
            for (i, v) in c.values.iter().enumerate() {
                out.push(match v {
                    Value::Empty => Value::Empty,
                    _ => {
                        let d = value_date(v)
                            .map_err(|e| format!("year_month: {}: {e}", c.locate(i)))?;
                        Value::Text(d.format("%Y-%m").to_string())
                    }
                });
            }
            Ok(Column::new(c.name.clone(), out))
        }
    );
    api!(
        engine,
        "date_from_serial",
        ["serial: INT", "Date"],
        "The date of an Excel serial number of the workbook's date system (1900, or 1904 for a 1904 workbook).",
        |n: INT| -> Res<Date> {
            crate::formula::calc::date_system()
                .serial_of(n as f64)
                .and_then(|serial| crate::model::value::date_from_serial(serial as i64))
                .map(Date)
                .ok_or_else(|| format!("{n} is not an Excel date serial").into())
        }
    );
    for (prop, doc, f) in [
        (
            "year",
            "/// The year.",
            (|d: &mut Date| d.0.year() as INT) as fn(&mut Date) -> INT,
        ),
        ("month", "/// The month, 1 to 12.", |d: &mut Date| {
            d.0.month() as INT
        }),
        ("day", "/// The day of the month.", |d: &mut Date| {
            d.0.day() as INT
        }),
        (
            "weekday",
            "/// 1 for Monday to 7 for Sunday.",
            |d: &mut Date| d.0.weekday().number_from_monday() as INT,
        ),
        (
            "serial",
            "/// The Excel serial number in the workbook's date system (1900, or 1904 for a 1904 workbook).",
            |d: &mut Date| d.serial(),
        ),
    ] {
        FuncRegistration::new_getter(prop)
            .with_params_info(["date: Date", "INT"])
            .with_comments([doc])
            .register_into_engine(engine, f);
    }
    api!(
        engine,
        "+",
        ["date: Date", "days: INT", "Date"],
        "The date so many days later.",
        |d: Date, n: INT| -> Res<Date> { shift_days(d, n) }
    );
    api!(
        engine,
        "-",
        ["date: Date", "days: INT", "Date"],
        "The date so many days earlier.",
        |d: Date, n: INT| -> Res<Date> { shift_days(d, -n) }
    );
    api!(
        engine,
        "-",
        ["a: Date", "b: Date", "INT"],
        "Days from b to a.",
        |a: Date, b: Date| days_between(b.0, a.0)
    );
    api!(
        engine,
        "add_days",
        ["date: Date", "days: INT", "Date"],
        "The date so many days later (negative for earlier).",
        |d: Date, n: INT| -> Res<Date> { shift_days(d, n) }
    );
    api!(
        engine,
        "days_between",
        ["from: Date", "to: Date", "INT"],
        "Days from one date to another (negative when `to` is earlier).",
        |a: Date, b: Date| days_between(a.0, b.0)
    );
    api!(
        engine,
        "add_months",
        ["date: Date", "months: INT", "Date"],
        "The same day so many months later, clamped to the month's end (EDATE).",
        |d: Date, n: INT| -> Res<Date> {
            add_months(d.0, n)
                .map(Date)
                .ok_or_else(|| "add_months: the date is out of range".into())
        }
    );
    api!(
        engine,
        "end_of_month",
        ["date: Date", "Date"],
        "The last day of the date's month (EOMONTH(date, 0)).",
        |d: Date| -> Res<Date> {
            end_of_month(d.0, 0)
                .map(Date)
                .ok_or_else(|| "end_of_month: out of range".into())
        }
    );
    api!(
        engine,
        "end_of_month",
        ["date: Date", "months: INT", "Date"],
        "The last day of the month so many months later (EOMONTH).",
        |d: Date, n: INT| -> Res<Date> {
            end_of_month(d.0, n)
                .map(Date)
                .ok_or_else(|| "end_of_month: out of range".into())
        }
    );
    api!(
        engine,
        "working_days",
        ["from: Date", "to: Date", "INT"],
        "Monday-to-Friday days between two dates, both included (NETWORKDAYS).",
        |a: Date, b: Date| working_days(a.0, b.0, &[])
    );
    api!(
        engine,
        "working_days",
        ["from: Date", "to: Date", "holidays: Array", "INT"],
        "NETWORKDAYS with a list of holiday dates.",
        |a: Date, b: Date, h: Array| -> Res<INT> {
            let hol = h
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
            Ok(working_days(a.0, b.0, &hol))
        }
    );
    for (sym, f) in [
        ("==", (|a: Date, b: Date| a == b) as fn(Date, Date) -> bool),
        ("!=", |a: Date, b: Date| a != b),
        ("<", |a: Date, b: Date| a < b),
        ("<=", |a: Date, b: Date| a <= b),
        (">", |a: Date, b: Date| a > b),
        (">=", |a: Date, b: Date| a >= b),
    ] {
        FuncRegistration::new(sym)
            .with_params_info(["a: Date", "b: Date", "bool"])
            .with_comments(["/// Compares two dates."])
            .register_into_engine(engine, f);
    }
    api!(
        engine,
        "to_string",
        ["date: Date", "String"],
        "The date as 2026-11-30.",
        |d: &mut Date| d.to_string()
    );
    api!(
        engine,
        "to_debug",
        ["date: Date", "String"],
        "The date as 2026-11-30.",
        |d: &mut Date| d.to_string()
    );
    api!(
        engine,
        "to_string",
        ["error: CellError", "String"],
        "The Excel error text such as #N/A.",
        |e: &mut CellError| e.0.as_str().to_string()
    );
    api!(
        engine,
        "is_error",
        ["value: ?", "bool"],
        "Whether a cell value is an Excel error such as #N/A.",
        |v: Dynamic| v.is::<CellError>()
    );
}

pub(super) fn shift_days(d: Date, n: INT) -> Res<Date> {
    d.0.checked_add_signed(chrono::Duration::days(n))
        .map(Date)
        .ok_or_else(|| "the date is out of range".into())
}
