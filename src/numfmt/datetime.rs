//! Date and time sections: calendar parts of a serial (in the 1900 or
//! 1904 system), clock parts rounded once at the finest shown unit,
//! elapsed durations (`[h]:mm`), AM/PM, month and weekday names in the
//! language of a locale tag, and Japanese imperial eras.

use super::general::{general_number, GeneralMode};
use super::hijri::{arabic_month_name, hijri_from_serial};
use super::locale::{day_name, month_name, Calendar, Language};
use super::section::{AmPm, ElapsedUnit, Section, Tok, FILL_MARK};
use crate::model::number::Number;
use crate::model::value::{date_from_serial, MAX_DATE_SERIAL};
use chrono::Datelike;

/// Japanese imperial eras for `[$-411]ggge` dates: first day, then the
/// `g` (Latin initial), `gg` (first character) and `ggg` (full) names.
type Era = ((i32, u32, u32), &'static str, &'static str, &'static str);

const ERAS: [Era; 5] = [
    ((2019, 5, 1), "R", "令", "令和"),
    ((1989, 1, 8), "H", "平", "平成"),
    ((1926, 12, 25), "S", "昭", "昭和"),
    ((1912, 7, 30), "T", "大", "大正"),
    ((1868, 1, 1), "M", "明", "明治"),
];

/// The era a date falls in.
fn japanese_era(year: i32, month: u32, day: u32) -> Option<&'static Era> {
    ERAS.iter().find(|e| (year, month, day) >= e.0)
}

/// Whether the text Excel shows for every part of `section` in its
/// calendar is known: any part in the Gregorian and Thai calendars; in
/// the Hijri calendar numbers and, under an Arabic locale tag, full month
/// names (see [`super::hijri`]); numbers alone in the Gregorian calendars
/// of other names; only the time of day in calendars not implemented.
fn calendar_parts_known(section: &Section) -> bool {
    let is_name = |t: &Tok| matches!(t, Tok::Month(3..) | Tok::Day(3..));
    match section.calendar {
        Calendar::Gregorian | Calendar::GregorianEnglish | Calendar::Buddhist => true,
        Calendar::GregorianOtherNames => !section.has(is_name),
        Calendar::Hijri => section.tokens.iter().all(|t| match t {
            Tok::Month(3 | 5) | Tok::BuddhistYear(_) => false,
            Tok::Month(4..) => section.language == Some(Language::Arabic),
            t => !is_name(t),
        }),
        Calendar::Unsupported => !shows_calendar_date(section),
    }
}

/// Whether `section` shows a part of the calendar date (not only a time
/// of day or a duration).
fn shows_calendar_date(section: &Section) -> bool {
    section.has(|t| {
        matches!(
            t,
            Tok::Year(_)
                | Tok::Month(_)
                | Tok::Day(_)
                | Tok::Era(_)
                | Tok::EraYear(_)
                | Tok::BuddhistYear(_)
        )
    })
}

/// Renders a date/time section; `None` outside Excel's date range. The
/// calendar date is that of 1900-system serial `serial + days_to_1900`
/// (1462 for a number of a 1904 workbook); elapsed times (`[h]`) count
/// from `serial` alone.
pub(super) fn render_date(section: &Section, serial: f64, days_to_1900: i64) -> Option<String> {
    // A pure duration (`[h]:mm`) may be negative: its magnitude with a sign.
    let duration_only = section.has(|t| matches!(t, Tok::Elapsed(..)))
        && !section.has(|t| matches!(t, Tok::Year(_) | Tok::Month(_) | Tok::Day(_)));
    if serial < 0.0 && duration_only {
        return render_date(section, -serial, days_to_1900).map(|s| format!("-{s}"));
    }
    let last = (MAX_DATE_SERIAL + 1 - days_to_1900) as f64;
    if !(0.0..last).contains(&serial) {
        return None;
    }
    let tokens = &section.tokens;
    let sub_digits = tokens
        .iter()
        .filter_map(|t| match t {
            Tok::SubSecond(n) => Some(*n as u32),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let unit = 10i64.pow(sub_digits);
    // Round once, at the finest unit shown, so 23:59:59.9 with `hh:mm:ss`
    // becomes the next day's 00:00:00 as in Excel.
    let total = (serial * 86_400.0 * unit as f64).round() as i64;
    let per_day = 86_400 * unit;
    let days = total / per_day;
    let in_day = total % per_day;
    let secs = in_day / unit;
    let sub = in_day % unit;
    let all_secs = total / unit;
    let calendar_day = days + days_to_1900;
    if !calendar_parts_known(section) {
        return None;
    }
    let hijri = section.calendar == Calendar::Hijri;
    let language = match section.calendar {
        Calendar::GregorianEnglish => None,
        _ => section.language,
    };
    let (year, month, day) = match calendar_day {
        _ if hijri && shows_calendar_date(section) => {
            let date = hijri_from_serial(calendar_day)?;
            (date.year, date.month, date.day)
        }
        0 => (1900, 1, 0),
        60 => (1900, 2, 29),
        _ => {
            let date = date_from_serial(calendar_day)?;
            (date.year(), date.month(), date.day())
        }
    };
    // Serial 1 (1900-01-01) is a Sunday to Excel.
    let weekday = ((calendar_day + 6) % 7) as usize;
    let twelve_hour = tokens.iter().any(|t| matches!(t, Tok::AmPm(_)));
    let japanese = section.language == Some(Language::Japanese);
    // Languages that decline month names use the genitive after a day
    // number (`5. března`), the nominative alone (`březen 2024`).
    let with_day_number = tokens.iter().any(|t| matches!(t, Tok::Day(1 | 2)));
    let hour = secs / 3600;
    let minute = (secs / 60) % 60;
    let second = secs % 60;
    let pad = |v: i64, n: u8| {
        if n >= 2 {
            format!("{v:02}")
        } else {
            v.to_string()
        }
    };
    let mut out = String::new();
    for t in tokens {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Era(n) if japanese => {
                if let Some(era) = japanese_era(year, month, day) {
                    out.push_str(match n {
                        1 => era.1,
                        2 => era.2,
                        _ => era.3,
                    });
                }
            }
            Tok::EraYear(n) if japanese => {
                let y = japanese_era(year, month, day).map_or(year, |e| year - e.0 .0 + 1);
                out.push_str(&pad(i64::from(y), *n));
            }
            Tok::EraYear(_) => out.push_str(&format!("{:04}", section.calendar.year(year))),
            Tok::Year(2) => out.push_str(&format!("{:02}", section.calendar.year(year) % 100)),
            Tok::Year(_) => out.push_str(&format!("{:04}", section.calendar.year(year))),
            Tok::BuddhistYear(2) => out.push_str(&format!("{:02}", (year + 543) % 100)),
            Tok::BuddhistYear(_) => out.push_str(&format!("{:04}", year + 543)),
            Tok::Month(n) => match n {
                1 | 2 => out.push_str(&pad(month as i64, *n)),
                _ if hijri => out.push_str(arabic_month_name(month)),
                _ => out.push_str(month_name(language, month, *n, with_day_number)),
            },
            Tok::Day(n) => match n {
                1 | 2 => out.push_str(&pad(day as i64, *n)),
                _ => out.push_str(day_name(language, weekday, *n == 3)),
            },
            Tok::Hour(n) => {
                let h = if twelve_hour {
                    match hour % 12 {
                        0 => 12,
                        h => h,
                    }
                } else {
                    hour
                };
                out.push_str(&pad(h, *n));
            }
            Tok::Minute(n) => out.push_str(&pad(minute, *n)),
            Tok::Second(n) => out.push_str(&pad(second, *n)),
            Tok::SubSecond(n) => {
                let shown = sub / 10i64.pow(sub_digits - *n as u32);
                out.push('.');
                out.push_str(&format!("{:0width$}", shown, width = *n as usize));
            }
            Tok::AmPm(style) => {
                let pm = hour >= 12;
                // Excel writes AM/PM in capitals however the code spells it.
                out.push_str(match (style, pm) {
                    (AmPm::Full, false) => "AM",
                    (AmPm::Full, true) => "PM",
                    (AmPm::Short { upper: true }, false) => "A",
                    (AmPm::Short { upper: true }, true) => "P",
                    (AmPm::Short { upper: false }, false) => "a",
                    (AmPm::Short { upper: false }, true) => "p",
                });
            }
            Tok::Elapsed(unit, n) => {
                let v = match unit {
                    ElapsedUnit::Hours => all_secs / 3600,
                    ElapsedUnit::Minutes => all_secs / 60,
                    ElapsedUnit::Seconds => all_secs,
                };
                out.push_str(&format!("{:0width$}", v, width = *n as usize));
            }
            Tok::General => {
                out.push_str(&general_number(Number::from_f64(serial), GeneralMode::Text))
            }
            Tok::Fill => out.push(FILL_MARK),
            _ => {}
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use crate::model::number::Number;
    use crate::model::value::{DateKind, DateValue};
    use crate::model::workbook::DateSystem;
    use crate::model::Value;
    use crate::numfmt::tests::{f, num};
    use crate::numfmt::{format_text, format_text_in, format_value, format_value_in, NumberFormat};

    #[test]
    fn a_number_under_a_date_code_is_a_serial_of_the_workbooks_system() {
        let n = Value::Number(Number::from_i64(44866));
        let sys = DateSystem::Excel1904;
        assert_eq!(format_value_in(&n, "yyyy-mm-dd ddd", sys), "2026-11-02 Mon");
        assert_eq!(format_value(&n, "yyyy-mm-dd"), "2022-11-01");
        assert_eq!(
            format_value_in(&Value::Number(Number::ZERO), "d.m.yyyy", sys),
            "1.1.1904"
        );
        // Elapsed time counts from the number alone.
        let h = Value::Number(Number::from_f64(1.5));
        assert_eq!(format_value_in(&h, "[h]:mm", sys), "36:00");
        // A date value is the same day in any system.
        let d = Value::Date(crate::model::DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        ));
        assert_eq!(format_value_in(&d, "yyyy-mm-dd", sys), "2026-11-02");
        assert_eq!(
            format_text_in(&Value::Number(Number::from_i64(-1)), "yyyy", sys),
            None
        );
    }

    #[test]
    fn dates() {
        assert_eq!(f("41181", "dd/mm/yyyy"), "29/09/2012");
        assert_eq!(f("41304", "dd-mm-yyyy"), "30-01-2013");
        assert_eq!(f("41181", "dddd-mmmm-yyyy"), "Saturday-September-2012");
        assert_eq!(f("41181", "ddd-mmm-yy"), "Sat-Sep-12");
        assert_eq!(f("41181", "ddd-mmmmm-yy"), "Sat-S-12");
        assert_eq!(f("41181", "ddd-mmmmmmm-yy"), "Sat-September-12");
        assert_eq!(f("46353", "m/d/yyyy"), "11/27/2026");
        assert_eq!(f("46353", "d-mmm-yy"), "27-Nov-26");
        assert_eq!(f("46353", "yyyy-mm-dd"), "2026-11-27");
        assert_eq!(f("46353", "[$-409]mmmm d, yyyy;@"), "November 27, 2026");
        assert_eq!(f("60", "yyyy-mm-dd"), "1900-02-29");
        assert_eq!(f("0", "m/d/yyyy"), "1/0/1900");
        assert_eq!(f("1", "dddd"), "Sunday");
        assert_eq!(f("61", "dddd"), "Thursday");
        assert_eq!(f("46353.75", "DD.MM.YYYY HH:MM"), "27.11.2026 18:00");
        let date = Value::Date(DateValue::from_date(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        ));
        assert_eq!(format_value(&date, "d mmm yyyy"), "31 Jan 2026");
        assert_eq!(format_value(&date, "General"), "2026-01-31");
        assert_eq!(format_value(&date, "0"), "46053");
        assert_eq!(format_text(&date, "General").unwrap(), "46053");
        assert_eq!(f("-1", "yyyy-mm-dd"), "#######");
        assert_eq!(format_text(&num("-1"), "yyyy"), None);
        assert_eq!(format_text(&num("3000000"), "yyyy"), None);
    }

    #[test]
    fn month_and_day_names_follow_the_locale_tag() {
        // 45356 is Tuesday 2024-03-05.
        let cases = [
            ("[$-405]dddd d. mmmm yyyy", "úterý 5. března 2024"),
            ("[$-405]mmmm yyyy", "březen 2024"),
            ("[$-405]ddd d. mmm yy", "út 5. bře 24"),
            ("[$-cs-CZ]d. mmmm", "5. března"),
            ("[$Kč-405]d. mmmm", "Kč5. března"),
            ("[$-407]dddd, d. mmmm yyyy", "Dienstag, 5. März 2024"),
            ("[$-407]ddd, d. mmm", "Di, 5. Mär"),
            ("[$-C07]mmmm", "März"),
            ("[$-40C]dddd d mmmm yyyy", "mardi 5 mars 2024"),
            ("[$-410]dddd d mmmm yyyy", "martedì 5 marzo 2024"),
            (
                "[$-C0A]dddd, d \"de\" mmmm \"de\" yyyy",
                "martes, 5 de marzo de 2024",
            ),
            ("[$-40A]mmmm", "marzo"),
            ("[$-415]d mmmm yyyy", "5 marca 2024"),
            ("[$-415]mmmm yyyy", "marzec 2024"),
            ("[$-415]dddd", "wtorek"),
            ("[$-FC19]dd mmmm yyyy \"г.\"", "05 марта 2024 г."),
            ("[$-419]mmmm yyyy", "Март 2024"),
            ("[$-41E]d mmmm bbbb", "5 มีนาคม 2567"),
            ("[$-107041E]dddd d mmm yyyy", "วันอังคาร 5 มี.ค. 2567"),
            ("[$-411]yyyy/mm/dd(aaa)", "2024/03/05(火)"),
            ("[$-ja-JP]aaaa", "火曜日"),
            ("[$-411]dddd", "火曜日"),
            ("[$-40B]d. mmmm yyyy", "5. maaliskuuta 2024"),
            // As LibreOffice shows them too.
            ("[$-41B]d. mmmm yyyy", "5. marca 2024"),
            ("[$-40E]yyyy. mmmm d. dddd", "2024. március 5. kedd"),
            ("[$-41F]d mmmm yyyy dddd", "5 Mart 2024 Salı"),
            ("[$-41E]d mmmm yyyy", "5 มีนาคม 2024"),
            // `aaa`/`aaaa` name the weekday as `ddd`/`dddd` do.
            ("aaaa d mmm", "Tuesday 5 Mar"),
            ("[$-407]aaa", "Di"),
            // English stays the default, and other tags name nothing.
            ("[$-409]dddd d mmmm", "Tuesday 5 March"),
            ("[$-F800]dddd", "Tuesday"),
        ];
        for (code, want) in cases {
            assert_eq!(f("45356", code), want, "{code}");
        }
        assert_eq!(f("45292", "[$-C07]d. mmmm"), "1. Jänner");
        assert_eq!(
            crate::formula::testing::eval_str("=TEXT(DATE(2024,3,5),\"[$-405]dddd d. mmmm yyyy\")"),
            Value::Text("úterý 5. března 2024".into())
        );
    }

    #[test]
    fn times() {
        assert_eq!(f("0.5", "h:mm AM/PM"), "12:00 PM");
        assert_eq!(f("0", "h:mm AM/PM"), "12:00 AM");
        assert_eq!(f("0.75", "h:mm:ss am/pm"), "6:00:00 PM");
        assert_eq!(f("0.25", "hh:mm A/P"), "06:00 A");
        assert_eq!(f("0.604166666666667", "hh:mm"), "14:30");
        assert_eq!(f("0.604166666666667", "h:mm:ss"), "14:30:00");
        assert_eq!(f("0.0423611111111111", "mm:ss"), "01:00");
        assert_eq!(f("0.5", "m"), "1");
        assert_eq!(f("0.5", "h \"h\" m \"min\""), "12 h 0 min");
        assert_eq!(f("1.5", "[h]:mm:ss"), "36:00:00");
        assert_eq!(f("1.5", "[mm]:ss"), "2160:00");
        assert_eq!(f("0.000694444444444444", "[ss]"), "60");
        assert_eq!(f("2.25", "[hh]"), "54");
        assert_eq!(f("0.99999999", "hh:mm:ss"), "00:00:00");
        assert_eq!(
            f("0.99999999", "yyyy-mm-dd hh:mm:ss"),
            "1900-01-01 00:00:00"
        );
        assert_eq!(f("0.500011574", "hh:mm:ss.000"), "12:00:01.000");
        assert_eq!(f("0.5000121", "h:mm:ss.00"), "12:00:01.05");
        assert_eq!(f("0.5000121", "ss.0"), "01.0");
        let dur = Value::Date(DateValue {
            serial: 1.5,
            kind: DateKind::Duration,
        });
        assert_eq!(format_value(&dur, ""), "36:00:00");
        assert!(NumberFormat::parse("[h]:mm").is_date());
        assert!(!NumberFormat::parse("#,##0.00").is_date());
    }
}
