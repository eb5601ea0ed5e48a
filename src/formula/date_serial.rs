//! Excel's 1900-system day serials: building them (DATE's overflow
//! rules), moving them by months (EDATE, EOMONTH) and how typed text
//! reads as one.
//!
//! Not an Excel function category: the value coercions in `calc.rs`
//! (text that looks like a date is a number), the date & time functions
//! (`functions/date_time/`) and the financial ones (coupon schedules,
//! Treasury bill terms) all need these rules, so they sit beside the
//! evaluator where none reaches into another. Serials
//! here count Excel's phantom 1900-02-29 (day 60); the calendar rules
//! without that quirk are in [`crate::model::calendar`].

use crate::model::calendar;
use crate::model::value::{date_from_serial, serial_from_date, MAX_DATE_SERIAL};
use crate::model::{DateSystem, ErrorKind};
use chrono::{Datelike, NaiveDate};

/// Seconds in a day, for time-of-day arithmetic.
pub(crate) const DAY_SECONDS: f64 = 86_400.0;

/// Result of a date core.
pub(crate) type DtResult<T> = std::result::Result<T, ErrorKind>;

/// Month lengths as Excel counts them: the calendar's, except that
/// February 1900 has Excel's phantom 29th.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    if (year, month) == (1900, 2) {
        29
    } else {
        calendar::days_in_month(year, month)
    }
}

/// A whole-day serial from a possibly fractional one: Excel drops the time
/// of day; negatives and serials past 9999-12-31 are `#NUM!`.
pub(crate) fn day_serial(serial: f64) -> DtResult<i64> {
    if !serial.is_finite() {
        return Err(ErrorKind::Num);
    }
    let day = serial.floor();
    if day < 0.0 || day > MAX_DATE_SERIAL as f64 {
        return Err(ErrorKind::Num);
    }
    Ok(day as i64)
}

/// Year, month and day of a whole serial as Excel sees them: serial 0 is
/// 1900-01-00 and serial 60 the phantom 1900-02-29.
pub(crate) fn ymd(serial: i64) -> DtResult<(i32, u32, u32)> {
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
pub(crate) fn serial_from_parts(year: i64, month: i64, day: i64) -> Option<i64> {
    let months = year.checked_mul(12)?.checked_add(month - 1)?;
    let y = months.div_euclid(12);
    let m = months.rem_euclid(12) + 1;
    if !(1899..=9999).contains(&y) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y as i32, m as u32, 1)?;
    let serial = serial_from_date(first).checked_add(day - 1)?;
    (0..=MAX_DATE_SERIAL).contains(&serial).then_some(serial)
}

/// The serial of a calendar date that exists, or of the phantom
/// 1900-02-29 (callers pass only those; anything else maps to 0).
pub(crate) fn serial_of(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d)
        .map(serial_from_date)
        .unwrap_or(if (y, m, d) == (1900, 2, 29) { 60 } else { 0 })
}

/// DATE(year, month, day): years 0-1899 add 1900, overflow rolls.
pub(crate) fn date_core(year: f64, month: f64, day: f64) -> DtResult<f64> {
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

/// YEAR, MONTH and DAY of a serial.
pub(crate) fn year_month_day(serial: f64) -> DtResult<(i32, u32, u32)> {
    ymd(day_serial(serial)?)
}

/// The year and month a whole number of `months` (truncated, as Excel
/// does) after the month of `start`, with `start`'s day of the month;
/// `#NUM!` when that month leaves the years 1900-9999.
fn months_after(start: f64, months: f64) -> DtResult<(i64, u32, u32)> {
    let (y, m, d) = year_month_day(start)?;
    let (ny, nm) = calendar::shift_month(y as i64, m, months.trunc().clamp(-1e9, 1e9) as i64)
        .ok_or(ErrorKind::Num)?;
    if !(1900..=9999).contains(&ny) {
        return Err(ErrorKind::Num);
    }
    Ok((ny, nm, d))
}

/// EDATE(start, months): same day `months` later, clamped to month end.
/// The bond functions step coupon dates back from maturity with it, and
/// TBILL* checks a bill's term against it.
pub(crate) fn edate_core(start: f64, months: f64) -> DtResult<f64> {
    let (ny, nm, d) = months_after(start, months)?;
    let nd = d.min(days_in_month(ny as i32, nm)).max(1);
    let day = if d == 0 { 0 } else { nd as i64 };
    serial_from_parts(ny, nm as i64, day)
        .map(|s| s as f64)
        .ok_or(ErrorKind::Num)
}

/// EOMONTH(start, months): last day of the month `months` later; also
/// the coupon step of a bond maturing on a month end.
pub(crate) fn eomonth_core(start: f64, months: f64) -> DtResult<f64> {
    let (ny, nm, _) = months_after(start, months)?;
    serial_from_parts(ny, nm as i64, days_in_month(ny as i32, nm) as i64)
        .map(|s| s as f64)
        .ok_or(ErrorKind::Num)
}

/// A date and/or time read from text the way Excel's DATEVALUE and
/// TIMEVALUE (and text-to-number coercion) read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ParsedDateTime {
    /// Whole-day serial, when the text holds a date.
    pub(crate) date: Option<i64>,
    /// Fraction of a day, when the text holds a time.
    pub(crate) time: Option<f64>,
}

/// Month names in order, matched by their first three letters or in full.
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

/// The month (1-12) a typed month name means.
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
pub(crate) fn parse_date_time(text: &str, current_year: i32) -> Option<ParsedDateTime> {
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
