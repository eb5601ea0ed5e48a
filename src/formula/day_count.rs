//! Day-count conventions: how many days, and what fraction of a year, lie
//! between two dates under the rules Excel names by "basis" (30/360 US and
//! European, actual/actual, actual/360, actual/365).
//!
//! Not an Excel function category: the date & time functions (DAYS360,
//! YEARFRAC) and the financial ones (securities, bonds, depreciation) count
//! days with the same rules, so the rules sit beside the evaluator where
//! neither category imports from the other. Excel itself is not consistent
//! about the US 30/360 rule: DAYS360, YEARFRAC's basis 0 and the bond
//! functions' NASD count each treat the end of February differently. Those
//! are kept as separate named conventions, each saying where Excel uses it,
//! rather than one rule that would change some function's results.
//!
//! The serial-based counts see dates as Excel does, with the phantom
//! 1900-02-29 ([`crate::formula::date_serial`]); the NASD count works on
//! calendar dates ([`crate::model::calendar`]), as ACCRINT steps its
//! quasi-coupon dates by calendar months.

use crate::formula::date_serial::{
    day_serial, days_in_month, serial_of, ymd, DtResult, DAY_SECONDS,
};
use crate::model::calendar;
use crate::model::value::date_from_serial;
use crate::model::ErrorKind;
use chrono::{Datelike, NaiveDate};

/// A date as year, month and day, as the 30/360 rules read it (Excel's
/// view of a serial, so 1900-02-29 and 1900-01-00 occur).
type Ymd = (i32, u32, u32);

/// Days from `start` to `end` counting every month as 30 days, once a
/// convention has moved the days of the month it moves.
fn thirty_360(start: Ymd, end: Ymd) -> i64 {
    let (y1, m1, d1) = start;
    let (y2, m2, d2) = end;
    (y2 - y1) as i64 * 360 + (m2 as i64 - m1 as i64) * 30 + d2 as i64 - d1 as i64
}

/// European 30/360: a 31st counts as the 30th on either side. Excel uses
/// it for `DAYS360(..., TRUE)`, YEARFRAC basis 4 and basis 4 of the bond
/// functions (ACCRINT, COUP*).
fn european_30_360(start: Ymd, end: Ymd) -> i64 {
    thirty_360(
        (start.0, start.1, start.2.min(30)),
        (end.0, end.1, end.2.min(30)),
    )
}

/// US 30/360 as `DAYS360(..., FALSE)` counts it: a start on the 31st or
/// on the last day of February (29 days in Excel's 1900) counts as the
/// 30th; an end on the 31st counts as the 30th only when the start is
/// then the 30th. An end on the last day of February is left alone.
fn days360_us(start: Ymd, end: Ymd) -> i64 {
    let (y1, m1, mut d1) = start;
    let (y2, m2, mut d2) = end;
    if d1 == 31 || (m1 == 2 && d1 == days_in_month(y1, 2)) {
        d1 = 30;
    }
    if d2 == 31 && d1 >= 30 {
        d2 = 30;
    }
    thirty_360((y1, m1, d1), (y2, m2, d2))
}

/// US 30/360 as YEARFRAC basis 0 counts it, and through [`coupon_days`]
/// COUPDAYBS and COUPDAYSNC (so PRICE, YIELD and DURATION): unlike
/// DAYS360, an end on the last day of February counts as the 30th when
/// the start is one too, and an end on the 31st only moves when the start
/// is the 30th or 31st.
fn yearfrac_us_30_360(start: Ymd, end: Ymd) -> i64 {
    let (y1, m1, d1) = start;
    let (y2, m2, d2) = end;
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
    thirty_360((y1, m1, a), (y2, m2, b))
}

/// The day of a serial for DAYS360, with the time of day rounded to the
/// second first (Excel counts 23:59:59.9 as the next day).
fn day_serial_rounded(serial: f64) -> DtResult<i64> {
    if !serial.is_finite() || serial < 0.0 {
        return Err(ErrorKind::Num);
    }
    day_serial((serial * DAY_SECONDS).round() / DAY_SECONDS)
}

/// DAYS360(start, end, european): 30/360 days between two 1900-system
/// serials, US method unless `european`.
pub(crate) fn days360_core(start: f64, end: f64, european: bool) -> DtResult<f64> {
    let start = ymd(day_serial_rounded(start)?)?;
    let end = ymd(day_serial_rounded(end)?)?;
    let days = if european {
        european_30_360(start, end)
    } else {
        days360_us(start, end)
    };
    Ok(days as f64)
}

/// A valid day-count basis: 0 US 30/360, 1 actual/actual, 2 actual/360,
/// 3 actual/365, 4 European 30/360 (truncated, as Excel does); `#NUM!`
/// otherwise.
pub(crate) fn basis_of(basis: f64) -> DtResult<i64> {
    let b = basis.trunc();
    if (0.0..=4.0).contains(&b) {
        Ok(b as i64)
    } else {
        Err(ErrorKind::Num)
    }
}

/// YEARFRAC(start, end, basis).
pub(crate) fn yearfrac_core(start: f64, end: f64, basis: f64) -> DtResult<f64> {
    year_fraction(start, end, basis_of(basis)?)
}

/// The fraction of a year between two 1900-system serials in a valid
/// `basis` ([`basis_of`]), the dates in either order, as YEARFRAC and
/// the securities and depreciation functions compute it.
pub(crate) fn year_fraction(start: f64, end: f64, basis: i64) -> DtResult<f64> {
    let mut s = day_serial(start)?;
    let mut e = day_serial(end)?;
    if s > e {
        std::mem::swap(&mut s, &mut e);
    }
    let (y1, m1, d1) = ymd(s)?;
    let (y2, m2, d2) = ymd(e)?;
    let days = (e - s) as f64;
    Ok(match basis {
        0 => yearfrac_us_30_360((y1, m1, d1), (y2, m2, d2)) as f64 / 360.0,
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
        _ => european_30_360((y1, m1, d1), (y2, m2, d2)) as f64 / 360.0,
    })
}

/// Days from serial `a` to serial `b` (`a` first) as COUPDAYBS and
/// COUPDAYSNC, and with them PRICE, YIELD and DURATION, count them: YEARFRAC's 30/360 counts for bases 0 and 4,
/// actual days otherwise. Unlike ACCRINT ([`bond_days`]) these follow the
/// serials, Excel's phantom 1900-02-29 included.
pub(crate) fn coupon_days(a: f64, b: f64, basis: i64) -> DtResult<f64> {
    match basis {
        0 => Ok(year_fraction(a, b, 0)? * 360.0),
        4 => Ok(year_fraction(a, b, 4)? * 360.0),
        _ => Ok(b - a),
    }
}

/// A calendar date of a whole serial, for the NASD count; `#NUM!` before
/// serial 1.
pub(crate) fn bond_date(serial: f64) -> DtResult<NaiveDate> {
    if serial < 1.0 {
        return Err(ErrorKind::Num);
    }
    date_from_serial(serial as i64).ok_or(ErrorKind::Num)
}

/// Year, month and day of a calendar date.
fn ymd_of(d: NaiveDate) -> Ymd {
    (d.year(), d.month(), d.day())
}

/// US (NASD) 30/360 on calendar dates, as ACCRINT counts its odd first
/// period: an end on the last day of February counts as the 30th when the
/// start is one too, an end on the 31st when the start is the 30th or
/// 31st, and a start on the 31st or February's last day counts as the
/// 30th. `adjust_both` also moves those end dates when the start is not
/// one (ACCRINT's period length in basis 0).
pub(crate) fn days_nasd_30_360(a: NaiveDate, b: NaiveDate, adjust_both: bool) -> f64 {
    let mut d1 = a.day();
    let mut d2 = b.day();
    if calendar::is_end_of_february(b) && (calendar::is_end_of_february(a) || adjust_both) {
        d2 = 30;
    }
    if d2 == 31 && (d1 >= 30 || adjust_both) {
        d2 = 30;
    }
    if d1 == 31 || calendar::is_end_of_february(a) {
        d1 = 30;
    }
    thirty_360((a.year(), a.month(), d1), (b.year(), b.month(), d2)) as f64
}

/// Days from `a` to `b` in a basis as the bond functions count them:
/// NASD 30/360 for basis 0, European 30/360 for basis 4, actual days
/// otherwise, except that actual/360 (basis 2) measures a period's length
/// (`accrued` false) in 30/360 days.
pub(crate) fn bond_days(a: NaiveDate, b: NaiveDate, basis: i64, accrued: bool) -> f64 {
    match basis {
        0 => days_nasd_30_360(a, b, false),
        4 => european_30_360(ymd_of(a), ymd_of(b)) as f64,
        2 if !accrued => days_nasd_30_360(a, b, false),
        _ => (b - a).num_days() as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_us_30_360_variants_differ_only_where_excel_does() {
        // From the end of February to a 31st.
        let (feb_end, mar_31) = ((2025, 2, 28), (2025, 3, 31));
        assert_eq!(days360_us(feb_end, mar_31), 30);
        assert_eq!(yearfrac_us_30_360(feb_end, mar_31), 31);
        assert_eq!(
            days_nasd_30_360(date(2025, 2, 28), date(2025, 3, 31), false),
            31.0
        );
        // From one end of February to the next.
        let (leap_end, next_end) = ((2024, 2, 29), (2025, 2, 28));
        assert_eq!(days360_us(leap_end, next_end), 358);
        assert_eq!(yearfrac_us_30_360(leap_end, next_end), 360);
        assert_eq!(
            days_nasd_30_360(date(2024, 2, 29), date(2025, 2, 28), false),
            360.0
        );
        // Away from month ends all three are plain 30/360.
        let (a, b) = ((2025, 1, 15), (2025, 4, 10));
        assert_eq!(days360_us(a, b), 85);
        assert_eq!(yearfrac_us_30_360(a, b), 85);
    }

    #[test]
    fn european_30_360_caps_both_days_at_30() {
        assert_eq!(european_30_360((2025, 1, 31), (2025, 3, 31)), 60);
        assert_eq!(
            bond_days(date(2025, 1, 31), date(2025, 3, 31), 4, true),
            60.0
        );
        // Excel's phantom 1900-02-29 counts like any other day.
        assert_eq!(days360_core(60.0, 61.0, true), Ok(2.0));
    }

    #[test]
    fn bases_are_whole_numbers_0_to_4() {
        assert_eq!(basis_of(3.9), Ok(3));
        assert_eq!(basis_of(-0.5), Ok(0));
        assert_eq!(basis_of(5.0), Err(ErrorKind::Num));
        assert_eq!(basis_of(f64::NAN), Err(ErrorKind::Num));
    }

    #[test]
    fn bond_days_count_actual_days_but_a_30_360_actual_360_period() {
        let (a, b) = (date(2025, 1, 31), date(2025, 3, 1));
        assert_eq!(bond_days(a, b, 1, true), 29.0);
        assert_eq!(bond_days(a, b, 2, true), 29.0);
        assert_eq!(bond_days(a, b, 2, false), 31.0);
        assert_eq!(bond_date(0.5), Err(ErrorKind::Num));
    }
}
