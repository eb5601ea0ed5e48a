//! The Hijri calendar of `B2` and of locale tags with calendar 6
//! (`[$-1060401]`): Microsoft's tabular (arithmetic) Islamic calendar.
//!
//! Microsoft documents its Hijri calendar as 30-year cycles of 10,631
//! days whose years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26 and 29 are leap
//! years of 355 days (the others 354), with months alternating 30 and 29
//! days and the twelfth month taking the leap day. Day one, 1 Muharram 1,
//! is Thursday 15 July 622 (Julian), the "astronomical" epoch: three
//! conversions Microsoft software shows agree with it and not with the
//! Friday epoch of most other tabular calendars (2000-01-01 is
//! 25 Ramadan 1420, 2012-01-01 is 7 Safar 1433, 2016-07-28 is
//! 23 Shawwal 1437).
//!
//! Some write-ups of the "Kuwaiti algorithm" put the cycle's sixth leap
//! year at 15 instead of 16; the two agree on every day but those of the
//! 16th year of a cycle (AH 1426 = 2005-06, AH 1456 = 2034), where they
//! differ by one day. Microsoft's own documentation of its Hijri calendar
//! is followed here.
//!
//! Names: Windows shows Hijri month names in Arabic whatever the language
//! (Microsoft's documentation of its Hijri calendar), so they are shown
//! under an Arabic locale tag only; where the names Excel shows are not
//! established (no Arabic tag, abbreviated months, weekdays) the date is
//! refused rather than shown with names that may be wrong.

/// Julian day number of 1 Muharram 1 AH (Thursday 15 July 622, Julian).
const EPOCH_JULIAN_DAY: i64 = 1_948_439;

/// Julian day number of Excel serial 0 for serials from 61 (1900-03-01)
/// on, where Excel's count matches the real calendar.
const SERIAL_TO_JULIAN_DAY: i64 = 2_415_019;

/// Days in a 30-year cycle: 30 years of 354 days and 11 leap days.
const CYCLE_DAYS: i64 = 10_631;

/// A day of the Hijri calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HijriDate {
    /// The year after the Hijra (AH).
    pub(super) year: i32,
    /// 1 (Muharram) to 12 (Dhu al-Hijjah).
    pub(super) month: u32,
    /// 1 to 30.
    pub(super) day: u32,
}

/// Whether Hijri `year` has 355 days.
fn is_leap_year(year: i64) -> bool {
    (11 * year + 14).rem_euclid(30) < 11
}

/// The Hijri date of 1900-system serial `serial`; `None` before serial 61
/// (1900-03-01), where Excel's count of days is off by its phantom
/// 1900-02-29 and how Excel converts those days is not known.
pub(super) fn hijri_from_serial(serial: i64) -> Option<HijriDate> {
    if serial < 61 {
        return None;
    }
    let days = serial + SERIAL_TO_JULIAN_DAY - EPOCH_JULIAN_DAY;
    let mut year = 1 + 30 * days.div_euclid(CYCLE_DAYS);
    let mut left = days.rem_euclid(CYCLE_DAYS);
    loop {
        let length = if is_leap_year(year) { 355 } else { 354 };
        if left < length {
            break;
        }
        left -= length;
        year += 1;
    }
    let mut month = 1;
    loop {
        let length = if month % 2 == 1 || (month == 12 && is_leap_year(year)) {
            30
        } else {
            29
        };
        if left < length || month == 12 {
            break;
        }
        left -= length;
        month += 1;
    }
    Some(HijriDate {
        year: i32::try_from(year).ok()?,
        month,
        day: u32::try_from(left).ok()? + 1,
    })
}

/// The Arabic name of Hijri month `month` (1-12), as Windows writes it
/// for its Hijri calendar.
pub(super) fn arabic_month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "محرم",
        "صفر",
        "ربيع الاول",
        "ربيع الثاني",
        "جمادى الاولى",
        "جمادى الثانية",
        "رجب",
        "شعبان",
        "رمضان",
        "شوال",
        "ذو القعدة",
        "ذو الحجة",
    ];
    NAMES[(month as usize).clamp(1, 12) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> Option<HijriDate> {
        Some(HijriDate { year, month, day })
    }

    #[test]
    fn known_conversions() {
        // 2024-07-07: 1 Muharram 1446; the day before ends 1445, the
        // fifth year of its cycle and so a leap year.
        assert_eq!(hijri_from_serial(45480), date(1446, 1, 1));
        assert_eq!(hijri_from_serial(45479), date(1445, 12, 30));
        // Conversions Microsoft software shows.
        assert_eq!(hijri_from_serial(36526), date(1420, 9, 25));
        assert_eq!(hijri_from_serial(40909), date(1433, 2, 7));
        assert_eq!(hijri_from_serial(42579), date(1437, 10, 23));
        // 1900-03-01 and 9999-12-31, the ends of Excel's range.
        assert_eq!(hijri_from_serial(61), date(1317, 10, 29));
        assert_eq!(hijri_from_serial(2_958_465), date(9666, 4, 3));
        assert_eq!(hijri_from_serial(60), None);
        assert_eq!(hijri_from_serial(0), None);
    }

    #[test]
    fn a_leap_year_ends_on_the_thirtieth() {
        // 1442 is the second year of its cycle, 1443 the third.
        assert!(is_leap_year(1442) && !is_leap_year(1443));
        assert_eq!(hijri_from_serial(44770), date(1443, 12, 29));
        assert_eq!(hijri_from_serial(44771), date(1444, 1, 1));
        assert!(is_leap_year(1426) && !is_leap_year(1425));
        assert_eq!(hijri_from_serial(44416), date(1442, 12, 30));
        assert_eq!(hijri_from_serial(44417), date(1443, 1, 1));
    }
}
