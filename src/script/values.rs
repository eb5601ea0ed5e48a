//! Crossing between cell values and rhai values: numbers become exact
//! decimals, dates become [`Date`], empty cells become `()`.

use super::errors::{ScriptError, ScriptResult};
use crate::model::calendar;
use crate::model::{DateKind, DateValue, ErrorKind, Number, Value};
use chrono::NaiveDate;
use rhai::{Dynamic, INT};
use rust_decimal::Decimal;
use std::fmt;

/// A calendar date in a script: compares, subtracts to days, and goes into
/// a cell as a real Excel date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Date {
    /// The date's serial number in the date system of the workbook being
    /// run (1900, or 1904 for a 1904 workbook), so it is right when
    /// written into a cell of it.
    pub fn serial(self) -> i64 {
        let date = DateValue::from_date(self.0);
        crate::formula::calc::date_system().number_of(&date) as i64
    }
}

/// An Excel error value (`#N/A`, `#DIV/0!`...) read from a cell; scripts
/// see it as its own type so it is never mistaken for text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellError(pub ErrorKind);

/// The rhai value for a cell value.
pub fn to_dynamic(value: &Value) -> Dynamic {
    match value {
        Value::Empty => Dynamic::UNIT,
        Value::Number(n) => number_to_dynamic(*n),
        Value::Text(s) => Dynamic::from(s.to_string()),
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Date(d) => date_to_dynamic(d),
        Value::Error(e) => Dynamic::from(CellError(*e)),
    }
}

/// A number as its nearest decimal, so a number is always a number in a
/// script; beyond a decimal's range (about ±7.9e28) the script sees
/// `#NUM!`, as a formula sees an overflow, never text.
pub fn number_to_dynamic(n: Number) -> Dynamic {
    match n.to_nearest_decimal() {
        Some(d) => Dynamic::from_decimal(d),
        None => Dynamic::from(CellError(ErrorKind::Num)),
    }
}

fn date_to_dynamic(d: &DateValue) -> Dynamic {
    let whole = d.serial.fract() == 0.0;
    match (d.kind, d.date()) {
        (DateKind::Date, Some(date)) => Dynamic::from(Date(date)),
        (DateKind::DateTime, Some(date)) if whole => Dynamic::from(Date(date)),
        // A time, or a date-time with a time of day, is the number the
        // workbook's formulas see.
        _ => number_to_dynamic(crate::formula::calc::date_number(d)),
    }
}

/// The cell value for a rhai value, or a sentence saying why it cannot
/// go into a cell.
pub fn from_dynamic(d: &Dynamic) -> ScriptResult<Value> {
    if d.is_unit() {
        return Ok(Value::Empty);
    }
    if let Ok(x) = d.as_decimal() {
        return Ok(Value::Number(Number::Exact(x)));
    }
    if let Ok(i) = d.as_int() {
        return Ok(Value::Number(Number::from_i64(i)));
    }
    if let Ok(b) = d.as_bool() {
        return Ok(Value::Bool(b));
    }
    if d.is_string() {
        return Ok(Value::Text(
            d.clone().into_string().unwrap_or_default().into(),
        ));
    }
    if let Ok(c) = d.as_char() {
        return Ok(Value::text(c));
    }
    if let Some(date) = d.clone().try_cast::<Date>() {
        return Ok(Value::Date(DateValue::from_date(date.0)));
    }
    if let Some(e) = d.clone().try_cast::<CellError>() {
        return Ok(Value::Error(e.0));
    }
    Err(ScriptError::NotACellValue(describe(d)))
}

/// A short description of a rhai value's type for messages.
pub fn describe(d: &Dynamic) -> String {
    match d.type_name() {
        "()" => "nothing".into(),
        "array" => "a list".into(),
        "map" => "a map".into(),
        "decimal" | "rust_decimal::Decimal" => "a number".into(),
        "i64" => "a whole number".into(),
        "string" => format!("text \"{d}\""),
        other => {
            let short = other.rsplit("::").next().unwrap_or(other);
            format!("a {short}")
        }
    }
}

/// A number from a rhai value (decimal or whole number).
pub fn dynamic_number(d: &Dynamic) -> Option<Number> {
    if let Ok(x) = d.as_decimal() {
        Some(Number::Exact(x))
    } else {
        d.as_int().ok().map(Number::from_i64)
    }
}

/// A number from a cell value for arithmetic: empty counts as 0 as in
/// Excel; text, booleans and errors are refused with a message naming
/// what was found.
pub fn value_number(v: &Value) -> ScriptResult<Number> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::Empty => Ok(Number::ZERO),
        // In the workbook's date system, as its formulas compute: the
        // number may be written back into it.
        Value::Date(d) => Ok(crate::formula::calc::date_number(d)),
        Value::Text(t) => Err(ScriptError::NotANumber {
            found: format!("text \"{t}\""),
        }),
        Value::Bool(b) => Err(ScriptError::NotANumber {
            found: if *b { "TRUE" } else { "FALSE" }.to_string(),
        }),
        Value::Error(e) => Err(ScriptError::NotANumber {
            found: format!("the error {}", e.as_str()),
        }),
    }
}

/// The nearest decimal of a number; floats outside decimal range are
/// refused.
pub fn to_decimal(n: Number) -> ScriptResult<Decimal> {
    n.to_nearest_decimal().ok_or(ScriptError::TooLarge(n))
}

/// The key of `v` for matching, as an accountant means it. Text is
/// trimmed of spaces of every kind and compared without case. With
/// `by_value` (set where either side of the match holds numbers), text
/// that is a plain number is taken by its value, so the text "71111",
/// " 71111 " or "071111" equals the number 71111: Excel drops the leading
/// zeros of a number typed into a cell. Without it, text stays text, so
/// the codes "007" and "7", or the invoice numbers "2026.10" and "2026.1",
/// stay different.
pub fn key_of(v: &Value, by_value: bool) -> String {
    match v {
        Value::Empty => String::new(),
        Value::Number(n) => match n.to_nearest_decimal() {
            Some(d) => number_key(d),
            None => format!("n{n}"),
        },
        Value::Date(d) => format!("n{}", Number::from_f64(d.serial)),
        Value::Text(t) => {
            let t = key_text(t);
            match numeric_key_text(t) {
                Some(d) if by_value => number_key(d),
                _ => format!("t{}", t.to_lowercase()),
            }
        }
        Value::Bool(b) => format!("b{b}"),
        Value::Error(e) => format!("e{}", e.as_str()),
    }
}

fn number_key(d: Decimal) -> String {
    format!("n{}", d.normalize())
}

/// A key's text without what surrounds it unseen: spaces of every kind
/// (Rust's White_Space covers the non-breaking U+00A0 and U+202F that
/// Czech exports put around numbers) and the zero-width characters some
/// exports leave behind.
pub fn key_text(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
}

/// The number a key text stands for, when it is written as a plain
/// number: digits, an optional sign and decimal point; no thousands
/// separators or exponent, which a code never has.
fn numeric_key_text(t: &str) -> Option<Decimal> {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let digits = body.bytes().filter(u8::is_ascii_digit).count();
    let points = body.bytes().filter(|&b| b == b'.').count();
    if digits == 0 || points > 1 || digits + points != body.len() {
        return None;
    }
    let mut d: Decimal = body.parse().ok()?;
    if t.starts_with('-') {
        d.set_sign_negative(true);
    }
    Some(d)
}

/// Whether a column holds numbers, so that text matched with it is
/// taken by value (see [`key_of`]).
pub fn holds_numbers(values: &[Value]) -> bool {
    values.iter().any(|v| matches!(v, Value::Number(_)))
}

/// The kinds of value a column holds, for messages: "text", "number",
/// "text and number", "empty"...
pub fn value_kinds(values: &[Value]) -> String {
    let mut kinds: Vec<&str> = Vec::new();
    for v in values {
        let k = match v {
            Value::Empty => continue,
            Value::Number(_) => "number",
            Value::Text(_) => "text",
            Value::Date(_) => "date",
            Value::Bool(_) => "true/false",
            Value::Error(_) => "error",
        };
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.is_empty() {
        "empty".into()
    } else {
        kinds.join(" and ")
    }
}

/// The date of a cell value, for date functions over columns.
pub fn value_date(v: &Value) -> ScriptResult<NaiveDate> {
    match v {
        Value::Date(d) => d.date().ok_or(ScriptError::SerialOutOfRange(d.serial)),
        // A serial of the workbook's date system.
        Value::Number(n) => n
            .to_i64()
            .and_then(|n| crate::formula::calc::date_system().serial_of(n as f64))
            .and_then(|serial| crate::model::value::date_from_serial(serial as i64))
            .ok_or_else(|| ScriptError::NotADate {
                found: format!("the number {n}"),
            }),
        Value::Text(t) => parse_date(t).ok_or_else(|| ScriptError::NotADate {
            found: format!("text \"{t}\""),
        }),
        other => Err(ScriptError::NotADate {
            found: other.type_name().to_string(),
        }),
    }
}

/// Parses `2026-11-30` (ISO) or `30.11.2026` / `30/11/2026` (day first).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d.%m.%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

/// Whole days from `a` to `b` as a script integer.
pub fn days_between(a: NaiveDate, b: NaiveDate) -> INT {
    (b - a).num_days()
}

/// The last day of the month `months` after the month of `d` (Excel's
/// EOMONTH rule, [`calendar::end_of_month`]).
pub fn end_of_month(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    calendar::end_of_month(d, months)
}

/// `d` moved by `months` months, clamped to the month's last day as
/// Excel's EDATE does ([`calendar::add_months`]).
pub fn add_months(d: NaiveDate, months: i64) -> Option<NaiveDate> {
    calendar::add_months(d, months)
}

/// Monday-to-Friday days from `a` to `b`, both included, negative when
/// `b` is before `a`, without `holidays` (Excel's NETWORKDAYS,
/// [`calendar::count_working_days`]).
pub fn working_days(a: NaiveDate, b: NaiveDate, holidays: &[NaiveDate]) -> INT {
    let holidays: Vec<i64> = holidays.iter().map(|h| calendar::day_number(*h)).collect();
    calendar::count_working_days(
        calendar::day_number(a),
        calendar::day_number(b),
        &calendar::SATURDAY_SUNDAY,
        &holidays,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_like_excel() {
        assert_eq!(add_months(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(add_months(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(add_months(d(2026, 3, 15), -3), Some(d(2025, 12, 15)));
        assert_eq!(end_of_month(d(2026, 2, 10), 0), Some(d(2026, 2, 28)));
        assert_eq!(end_of_month(d(2026, 11, 30), 1), Some(d(2026, 12, 31)));
    }

    #[test]
    fn working_days_match_networkdays() {
        // 2026-11-02 is a Monday.
        assert_eq!(working_days(d(2026, 11, 2), d(2026, 11, 6), &[]), 5);
        assert_eq!(working_days(d(2026, 11, 2), d(2026, 11, 8), &[]), 5);
        assert_eq!(working_days(d(2026, 11, 2), d(2026, 11, 30), &[]), 21);
        assert_eq!(working_days(d(2026, 11, 30), d(2026, 11, 2), &[]), -21);
        assert_eq!(
            working_days(d(2026, 11, 2), d(2026, 11, 30), &[d(2026, 11, 3)]),
            20
        );
    }

    #[test]
    fn keys_match_as_an_accountant_means_them() {
        let n = |x: i64| Value::Number(Number::from_i64(x));
        let t = |x: &str| Value::text(x);
        let by_value = |v: &Value| key_of(v, true);
        // Against numbers, numeric text is its value.
        assert_eq!(by_value(&t("71111")), by_value(&n(71111)));
        assert_eq!(by_value(&t(" 71111\u{a0}")), by_value(&n(71111)));
        assert_eq!(by_value(&t("\u{202f}71111.00 ")), by_value(&n(71111)));
        assert_eq!(by_value(&t("071111")), by_value(&n(71111)));
        assert_eq!(
            by_value(&t("-12.5")),
            by_value(&Value::Number(Number::Exact(Decimal::new(-125, 1))))
        );
        // Text against text stays text, trimmed and without case.
        assert_eq!(
            key_of(&t(" INV-1\u{a0}\u{feff}"), false),
            key_of(&t("inv-1"), false)
        );
        assert_eq!(key_of(&t(" 71111 "), false), key_of(&t("71111"), false));
        assert_ne!(key_of(&t("071111"), false), key_of(&t("71111"), false));
        assert_ne!(key_of(&t("2026.10"), false), key_of(&t("2026.1"), false));
        // Not plain numbers: thousands separators, exponents, words.
        for s in ["1 000", "1e5", "1,5", "12a", "-", ".", "1.2.3"] {
            assert!(by_value(&t(s)).starts_with('t'), "{s}");
        }
        assert_eq!(
            value_kinds(&[t("a"), Value::Empty, n(1)]),
            "text and number"
        );
        assert_eq!(value_kinds(&[Value::Empty]), "empty");
    }

    #[test]
    fn values_cross_both_ways() {
        let v = Value::Number(Number::Exact(Decimal::new(21, 2)));
        assert_eq!(from_dynamic(&to_dynamic(&v)).unwrap(), v);
        let date = Value::Date(DateValue::from_date(d(2026, 11, 30)));
        assert_eq!(from_dynamic(&to_dynamic(&date)).unwrap(), date);
        assert!(from_dynamic(&Dynamic::from_array(vec![])).is_err());
        assert_eq!(
            value_number(&Value::Text("n/a".into()))
                .unwrap_err()
                .to_string(),
            "expected a number, found text \"n/a\""
        );
    }
}
