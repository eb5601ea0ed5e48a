//! The day-count conventions (bases 0-4) and calendar steps that
//! depreciation, securities and bonds share. Year fractions are YEARFRAC's
//! (date_time keeps the one calendar); the 30/360 day counts here are the
//! bond functions' own, which move month ends differently.

use super::util::FinResult;
use crate::formula::functions::date_time;
use crate::formula::functions::*;
use crate::model::value::date_from_serial;
use chrono::{Datelike, NaiveDate};

/// A valid day-count basis 0-4.
pub(super) fn basis_of(basis: f64) -> FinResult<i64> {
    let b = basis.trunc();
    if (0.0..=4.0).contains(&b) {
        Ok(b as i64)
    } else {
        Err(ErrorKind::Num)
    }
}

/// Whole settlement and maturity days, settlement strictly first.
pub(super) fn settle_mature(settlement: f64, maturity: f64) -> FinResult<(f64, f64)> {
    let (s, m) = (settlement.trunc(), maturity.trunc());
    if s < 0.0 || s >= m {
        return Err(ErrorKind::Num);
    }
    Ok((s, m))
}

/// The year fraction between two whole days in a basis.
pub(super) fn year_fraction(start: f64, end: f64, basis: i64) -> FinResult<f64> {
    date_time::yearfrac_core(start, end, basis as f64)
}

/// A calendar date of a whole serial, for the bond day counts.
pub(super) fn bond_date(serial: f64) -> FinResult<NaiveDate> {
    if serial < 1.0 {
        return Err(ErrorKind::Num);
    }
    date_from_serial(serial as i64).ok_or(ErrorKind::Num)
}

fn month_length(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

/// Whether `d` is the last day of its month.
pub(super) fn is_month_end(d: NaiveDate) -> bool {
    d.day() == month_length(d.year(), d.month())
}

fn is_feb_end(d: NaiveDate) -> bool {
    d.month() == 2 && is_month_end(d)
}

/// `d` moved by `months`, the day clamped to the target month (or moved
/// to its last day for an end-of-month schedule).
pub(super) fn shift_months(d: NaiveDate, months: i32, to_month_end: bool) -> FinResult<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let last = month_length(y, m);
    let day = if to_month_end {
        last
    } else {
        d.day().min(last)
    };
    NaiveDate::from_ymd_opt(y, m, day).ok_or(ErrorKind::Num)
}

/// 30/360 day count from day/month/year triples.
fn thirty_360(d1: u32, m1: u32, y1: i32, d2: u32, m2: u32, y2: i32) -> f64 {
    f64::from((y2 - y1) * 360 + (m2 as i32 - m1 as i32) * 30 + d2 as i32 - d1 as i32)
}

/// US (NASD) 30/360 as the bond functions count it; `adjust_both` also
/// moves a 31st or February-end end date when the start is not one.
pub(super) fn days_us_360(a: NaiveDate, b: NaiveDate, adjust_both: bool) -> f64 {
    let mut d1 = a.day();
    let mut d2 = b.day();
    if is_feb_end(b) && (is_feb_end(a) || adjust_both) {
        d2 = 30;
    }
    if d2 == 31 && (d1 >= 30 || adjust_both) {
        d2 = 30;
    }
    if d1 == 31 || is_feb_end(a) {
        d1 = 30;
    }
    thirty_360(d1, a.month(), a.year(), d2, b.month(), b.year())
}

/// European 30/360.
fn days_eu_360(a: NaiveDate, b: NaiveDate) -> f64 {
    thirty_360(
        a.day().min(30),
        a.month(),
        a.year(),
        b.day().min(30),
        b.month(),
        b.year(),
    )
}

/// Days from `a` to `b` in a basis; `accrued` picks the numerator
/// convention (actual days) of the actual/360 basis, whose period length
/// counts 30/360.
pub(super) fn bond_days(a: NaiveDate, b: NaiveDate, basis: i64, accrued: bool) -> f64 {
    match basis {
        0 => days_us_360(a, b, false),
        4 => days_eu_360(a, b),
        2 if !accrued => days_us_360(a, b, false),
        _ => (b - a).num_days() as f64,
    }
}
