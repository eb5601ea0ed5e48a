//! What a cell holds: empty, number, text, boolean, date/time, or error.

use super::number::Number;
use super::text::Text;
use std::fmt;

/// Excel's error values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `#NULL!`: empty intersection.
    Null,
    /// `#DIV/0!`
    Div0,
    /// `#VALUE!`: wrong type of argument.
    Value,
    /// `#REF!`: invalid reference.
    Ref,
    /// `#NAME?`: unknown function or name.
    Name,
    /// `#NUM!`: invalid numeric value.
    Num,
    /// `#N/A`: value not available.
    NA,
    /// `#GETTING_DATA`
    GettingData,
    /// `#SPILL!`: a dynamic array could not spill.
    Spill,
    /// `#CALC!`: calculation error (for example an empty FILTER result).
    Calc,
    /// `#FIELD!`
    Field,
    /// `#BLOCKED!`
    Blocked,
    /// `#CONNECT!`
    Connect,
    /// `#UNKNOWN!`
    Unknown,
    /// `#BUSY!`
    Busy,
    /// `#EXTERNAL!`
    External,
    /// `#PYTHON!`
    Python,
    /// A circular reference: Excel shows 0 and warns; we show this error
    /// so a cycle is never mistaken for a value. Written as `#CIRC!`.
    Circular,
}

impl ErrorKind {
    /// Every error kind, for parsing.
    pub const ALL: [ErrorKind; 18] = [
        ErrorKind::Null,
        ErrorKind::Div0,
        ErrorKind::Value,
        ErrorKind::Ref,
        ErrorKind::Name,
        ErrorKind::Num,
        ErrorKind::NA,
        ErrorKind::GettingData,
        ErrorKind::Spill,
        ErrorKind::Calc,
        ErrorKind::Field,
        ErrorKind::Blocked,
        ErrorKind::Connect,
        ErrorKind::Unknown,
        ErrorKind::Busy,
        ErrorKind::External,
        ErrorKind::Python,
        ErrorKind::Circular,
    ];

    /// The error as Excel writes it, such as `#DIV/0!`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Null => "#NULL!",
            ErrorKind::Div0 => "#DIV/0!",
            ErrorKind::Value => "#VALUE!",
            ErrorKind::Ref => "#REF!",
            ErrorKind::Name => "#NAME?",
            ErrorKind::Num => "#NUM!",
            ErrorKind::NA => "#N/A",
            ErrorKind::GettingData => "#GETTING_DATA",
            ErrorKind::Spill => "#SPILL!",
            ErrorKind::Calc => "#CALC!",
            ErrorKind::Field => "#FIELD!",
            ErrorKind::Blocked => "#BLOCKED!",
            ErrorKind::Connect => "#CONNECT!",
            ErrorKind::Unknown => "#UNKNOWN!",
            ErrorKind::Busy => "#BUSY!",
            ErrorKind::External => "#EXTERNAL!",
            ErrorKind::Python => "#PYTHON!",
            ErrorKind::Circular => "#CIRC!",
        }
    }

    /// Parses `#DIV/0!` and friends (case-insensitive).
    pub fn parse(text: &str) -> Option<ErrorKind> {
        let t = text.trim();
        ErrorKind::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(t))
    }

    /// Excel's ERROR.TYPE number, used by TYPE-like functions.
    pub fn code(self) -> u8 {
        match self {
            ErrorKind::Null => 1,
            ErrorKind::Div0 => 2,
            ErrorKind::Value => 3,
            ErrorKind::Ref => 4,
            ErrorKind::Name => 5,
            ErrorKind::Num => 6,
            ErrorKind::NA => 7,
            ErrorKind::GettingData => 8,
            ErrorKind::Spill => 9,
            ErrorKind::Connect => 10,
            ErrorKind::Blocked => 11,
            ErrorKind::Unknown => 12,
            ErrorKind::Field => 13,
            ErrorKind::Calc => 14,
            ErrorKind::Busy | ErrorKind::External | ErrorKind::Python | ErrorKind::Circular => 15,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of date/time a serial number stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    /// A calendar date (whole serial).
    Date,
    /// A time of day (fraction of a day).
    Time,
    /// A date with a time of day.
    DateTime,
    /// A length of time in days (may exceed 24 hours).
    Duration,
}

/// A date, time, date-time or duration as an Excel serial number in the
/// 1900 date system (day 1 is 1900-01-01, with Excel's phantom 1900-02-29
/// as day 60). Readers convert 1904-system files on the way in and writers
/// convert back, so everything in between sees one system; times of day
/// and durations are lengths, the same in both. A plain number is the
/// file's own: the formula engine turns a date into the number of the
/// workbook's system ([`crate::model::DateSystem::number_of`]), as Excel
/// computes in a 1904 workbook.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateValue {
    /// Serial number in the 1900 system.
    pub serial: f64,
    /// Which of date, time, date-time or duration this is.
    pub kind: DateKind,
}

impl DateValue {
    /// A calendar date from a chrono date.
    pub fn from_date(date: chrono::NaiveDate) -> DateValue {
        DateValue {
            serial: serial_from_date(date) as f64,
            kind: DateKind::Date,
        }
    }

    /// A date-time from a chrono date-time.
    pub fn from_datetime(dt: chrono::NaiveDateTime) -> DateValue {
        use chrono::Timelike;
        let secs =
            dt.time().num_seconds_from_midnight() as f64 + dt.time().nanosecond() as f64 / 1e9;
        DateValue {
            serial: serial_from_date(dt.date()) as f64 + secs / 86_400.0,
            kind: DateKind::DateTime,
        }
    }

    /// The calendar date (the time part dropped), when the serial is in
    /// Excel's range. Serial 60 (the phantom 1900-02-29) maps to 1900-02-28.
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        date_from_serial(self.serial.floor() as i64)
    }

    /// The date-time, rounded to the millisecond.
    pub fn datetime(&self) -> Option<chrono::NaiveDateTime> {
        let date = date_from_serial(self.serial.floor() as i64)?;
        let millis = ((self.serial - self.serial.floor()) * 86_400_000.0).round() as i64;
        Some(date.and_hms_opt(0, 0, 0)? + chrono::Duration::milliseconds(millis))
    }
}

/// The 1900-system serial of a date (1900-03-01 is 61, as in Excel).
pub fn serial_from_date(date: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    let days = (date - epoch).num_days();
    // Excel counts a 1900-02-29 that never existed: serials before
    // 1900-03-01 are one lower than the true day count.
    if days < 61 {
        days - 1
    } else {
        days
    }
}

/// The 1900-system serial of 9999-12-31, the last date Excel can hold.
pub const MAX_DATE_SERIAL: i64 = 2_958_465;

/// The date of a 1900-system serial; `None` outside 0..=2958465
/// (9999-12-31). Serial 0 is Excel's 1900-01-00, shown as 1899-12-31.
pub fn date_from_serial(serial: i64) -> Option<chrono::NaiveDate> {
    if !(0..=MAX_DATE_SERIAL).contains(&serial) {
        return None;
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    let days = if serial < 61 { serial + 1 } else { serial };
    Some(epoch + chrono::Duration::days(days))
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Nothing in the cell.
    #[default]
    Empty,
    /// A number (exact decimal where it fits).
    Number(Number),
    /// Text, shared by every cell holding the same shared string.
    Text(Text),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date, time, date-time or duration.
    Date(DateValue),
    /// An Excel error value.
    Error(ErrorKind),
}

impl Value {
    /// Whether the cell is empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Value::Empty)
    }

    /// The number behind a number or date value (dates as serials).
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Date(d) => Some(Number::from_f64(d.serial)),
            _ => None,
        }
    }

    /// The text, if the value is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages ("a number", "text").
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Empty => "an empty cell",
            Value::Number(_) => "a number",
            Value::Text(_) => "text",
            Value::Bool(_) => "a boolean",
            Value::Date(_) => "a date",
            Value::Error(_) => "an error",
        }
    }

    /// A text value from anything a [`Text`] is made of (`String`, `&str`).
    pub fn text(s: impl Into<Text>) -> Value {
        Value::Text(s.into())
    }

    /// A number value from a float, through its shortest decimal form.
    pub fn from_f64(f: f64) -> Value {
        Value::Number(Number::from_f64(f))
    }
}

impl fmt::Display for Value {
    /// The raw value without number formatting (dates in ISO form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Empty => Ok(()),
            Value::Number(n) => write!(f, "{n}"),
            Value::Text(s) => f.write_str(s),
            Value::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Value::Error(e) => f.write_str(e.as_str()),
            Value::Date(d) => match d.kind {
                DateKind::Date => match d.date() {
                    Some(date) => write!(f, "{}", date.format("%Y-%m-%d")),
                    None => write!(f, "{}", d.serial),
                },
                DateKind::DateTime => match d.datetime() {
                    Some(dt) => write!(f, "{}", dt.format("%Y-%m-%d %H:%M:%S")),
                    None => write!(f, "{}", d.serial),
                },
                DateKind::Time | DateKind::Duration => {
                    let total = (d.serial * 86_400.0).round() as i64;
                    let sign = if total < 0 { "-" } else { "" };
                    let t = total.abs();
                    write!(f, "{sign}{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60)
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn serials_follow_excel_1900_system() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(serial_from_date(d(1900, 1, 1)), 1);
        assert_eq!(serial_from_date(d(1900, 2, 28)), 59);
        assert_eq!(serial_from_date(d(1900, 3, 1)), 61);
        assert_eq!(serial_from_date(d(2026, 11, 27)), 46353);
        assert_eq!(date_from_serial(46353), Some(d(2026, 11, 27)));
        assert_eq!(date_from_serial(1), Some(d(1900, 1, 1)));
        assert_eq!(date_from_serial(61), Some(d(1900, 3, 1)));
        assert_eq!(date_from_serial(-1), None);
    }

    #[test]
    fn errors_parse_and_print() {
        for e in ErrorKind::ALL {
            assert_eq!(ErrorKind::parse(e.as_str()), Some(e));
        }
        assert_eq!(ErrorKind::parse("#n/a"), Some(ErrorKind::NA));
    }

    #[test]
    fn a_value_fits_24_bytes() {
        // The memory budget of a cell (issue 12): a decimal's 16 bytes and
        // a tag for a number, a shared pointer for text.
        assert_eq!(std::mem::size_of::<Number>(), 20);
        assert_eq!(std::mem::align_of::<Number>(), 4);
        assert_eq!(std::mem::size_of::<Value>(), 24);
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Value>();
    }

    #[test]
    fn values_display_plainly() {
        let date = Value::Date(DateValue::from_date(
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        ));
        assert_eq!(date.to_string(), "2026-01-31");
        let dur = Value::Date(DateValue {
            serial: 1.5,
            kind: DateKind::Duration,
        });
        assert_eq!(dur.to_string(), "36:00:00");
        assert_eq!(Value::Bool(true).to_string(), "TRUE");
    }
}
