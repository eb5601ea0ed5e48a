//! The Gregorian calendar rules that both the formula functions (EDATE,
//! EOMONTH, NETWORKDAYS, WORKDAY) and the script API (`add_months`,
//! `end_of_month`, `working_days`) follow, written once so the two can
//! never disagree about a month end or a working day. It sits in the model
//! because both layers build on the model and neither should reach into
//! the other.
//!
//! Days are counted as [`day_number`]s: Excel's 1900-system serial for
//! every date from 1900-03-01 on, continued without Excel's phantom
//! 1900-02-29 before it, so weekday arithmetic holds for any date. Excel
//! serials below 61 can be passed as they are: the weekday Excel gives
//! them follows the same count.

use chrono::NaiveDate;

/// Whether `year` has a February 29 (Gregorian rule).
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` (1-12) in `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap_year(year) => 29,
        _ => 28,
    }
}

/// The year and month `months` after `month` (1-12) of `year`; `None`
/// when the year overflows.
pub fn shift_month(year: i64, month: u32, months: i64) -> Option<(i64, u32)> {
    let total = year
        .checked_mul(12)?
        .checked_add(i64::from(month) - 1)?
        .checked_add(months)?;
    Some((total.div_euclid(12), total.rem_euclid(12) as u32 + 1))
}

/// `date` moved by `months` months, the day clamped to the last day of
/// the month it lands in (January 31 plus one month is February 28 or
/// 29), as Excel's EDATE does; `None` past the dates chrono can hold.
pub fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    use chrono::Datelike;
    let (year, month) = shift_month(i64::from(date.year()), date.month(), months)?;
    let year = i32::try_from(year).ok()?;
    NaiveDate::from_ymd_opt(year, month, date.day().min(days_in_month(year, month)))
}

/// The last day of the month `months` after the month of `date`, as
/// Excel's EOMONTH gives it; `None` past the dates chrono can hold.
pub fn end_of_month(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    use chrono::Datelike;
    let (year, month) = shift_month(i64::from(date.year()), date.month(), months)?;
    let year = i32::try_from(year).ok()?;
    NaiveDate::from_ymd_opt(year, month, days_in_month(year, month))
}

/// Whether `date` is the last day of its month, as the bond functions
/// test a coupon schedule for staying on month ends.
pub fn is_month_end(date: NaiveDate) -> bool {
    use chrono::Datelike;
    date.day() == days_in_month(date.year(), date.month())
}

/// Whether `date` is the last day of February, which the US 30/360 day
/// counts treat as the 30th.
pub fn is_end_of_february(date: NaiveDate) -> bool {
    use chrono::Datelike;
    date.month() == 2 && is_month_end(date)
}

/// A date as a count of days, equal to its 1900-system serial from
/// 1900-03-01 on and continuing evenly before (no phantom day).
pub fn day_number(date: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    (date - epoch).num_days()
}

/// Which days of the week are weekend days, indexed Monday = 0.
pub type WeekendMask = [bool; 7];

/// Saturday and Sunday, the weekend of NETWORKDAYS and WORKDAY.
pub const SATURDAY_SUNDAY: WeekendMask = [false, false, false, false, false, true, true];

/// The weekday of a day number, Monday = 0 (day 1 is a Sunday, as
/// Excel's serial 1 is).
pub fn weekday_from_monday(day: i64) -> usize {
    (day + 5).rem_euclid(7) as usize
}

/// Whether a day number falls on a weekend day under `weekend`.
pub fn is_weekend(day: i64, weekend: &WeekendMask) -> bool {
    weekend[weekday_from_monday(day)]
}

/// The working days from `start` to `end`, both included: days off the
/// weekend and not holidays, negative when `end` is before `start`, as
/// Excel's NETWORKDAYS.INTL counts them. A holiday listed twice counts
/// once; holidays on a weekend day change nothing.
pub fn count_working_days(start: i64, end: i64, weekend: &WeekendMask, holidays: &[i64]) -> i64 {
    let (a, b, sign) = if start <= end {
        (start, end, 1)
    } else {
        (end, start, -1)
    };
    let mut off: Vec<i64> = holidays
        .iter()
        .copied()
        .filter(|h| (a..=b).contains(h) && !is_weekend(*h, weekend))
        .collect();
    off.sort_unstable();
    off.dedup();
    // Whole weeks contribute the same count each; walk only the rest.
    let per_week = weekend.iter().filter(|w| !**w).count() as i64;
    let weeks = (b - a + 1) / 7;
    let mut count = weeks * per_week;
    for day in (a + weeks * 7)..=b {
        if !is_weekend(day, weekend) {
            count += 1;
        }
    }
    sign * (count - off.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_move_and_clamp_to_the_month_end() {
        assert_eq!(add_months(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(add_months(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(add_months(d(2026, 3, 15), -3), Some(d(2025, 12, 15)));
        assert_eq!(add_months(d(1900, 1, 31), 1), Some(d(1900, 2, 28)));
        assert_eq!(add_months(d(2026, 3, 15), i64::MAX), None);
        assert_eq!(end_of_month(d(2026, 2, 10), 0), Some(d(2026, 2, 28)));
        assert_eq!(end_of_month(d(2026, 11, 30), 1), Some(d(2026, 12, 31)));
        assert_eq!(end_of_month(d(2024, 3, 1), -1), Some(d(2024, 2, 29)));
        assert_eq!(end_of_month(d(2026, 3, 15), i64::MAX), None);
        assert_eq!(shift_month(2026, 1, -1), Some((2025, 12)));
        assert_eq!(shift_month(2026, 12, 1), Some((2027, 1)));
    }

    #[test]
    fn month_ends_and_the_end_of_february() {
        assert!(is_month_end(d(2026, 4, 30)));
        assert!(!is_month_end(d(2026, 5, 30)));
        assert!(is_end_of_february(d(2024, 2, 29)));
        assert!(!is_end_of_february(d(2024, 2, 28)));
        assert!(is_end_of_february(d(1900, 2, 28)));
        assert!(!is_end_of_february(d(2026, 3, 31)));
    }

    #[test]
    fn day_numbers_are_serials_from_march_1900_and_even_before() {
        assert_eq!(day_number(d(1900, 3, 1)), 61);
        assert_eq!(day_number(d(2026, 11, 2)), 46328);
        // 2026-11-02 is a Monday, 1900-02-28 a Wednesday.
        assert_eq!(weekday_from_monday(46328), 0);
        assert_eq!(weekday_from_monday(day_number(d(1900, 2, 28))), 2);
        assert_eq!(weekday_from_monday(day_number(d(1850, 6, 3))), 0);
        // Excel's serial 1 (1900-01-01) is a Sunday by its count.
        assert_eq!(weekday_from_monday(1), 6);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_once() {
        let mon = day_number(d(2026, 11, 2));
        let w = &SATURDAY_SUNDAY;
        assert_eq!(count_working_days(mon, mon + 4, w, &[]), 5);
        assert_eq!(count_working_days(mon, mon + 6, w, &[]), 5);
        assert_eq!(count_working_days(mon, mon + 28, w, &[]), 21);
        assert_eq!(count_working_days(mon + 28, mon, w, &[]), -21);
        assert_eq!(count_working_days(mon, mon + 28, w, &[mon + 1]), 20);
        assert_eq!(
            count_working_days(mon, mon + 28, w, &[mon + 1, mon + 1]),
            20
        );
        // A holiday on a Saturday or outside the span changes nothing.
        assert_eq!(
            count_working_days(mon, mon + 28, w, &[mon + 5, mon + 40]),
            21
        );
        let friday_only = [true, true, true, true, false, true, true];
        assert_eq!(count_working_days(mon, mon + 13, &friday_only, &[]), 2);
    }
}
