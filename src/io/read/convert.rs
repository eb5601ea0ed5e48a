//! Conversions from calamine's cell values and styles to the model.

use crate::model::style::{Alignment, Border, Edge, Font, HAlign, LineStyle, VAlign};
use crate::model::{DateKind, DateValue, ErrorKind, Number, Style, Value};
use calamine::{CellErrorType, ExcelDateTime};
use rust_decimal::Decimal;

/// A number from a float read from a file: whole numbers take a fast path
/// (most cells in a ledger are whole or have few decimals), the rest go
/// through the shortest decimal form.
pub(crate) fn number_from_f64(f: f64) -> Number {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Number::from_i64(f as i64)
    } else {
        Number::from_f64(f)
    }
}

/// The model's error kind for calamine's.
pub(crate) fn error_kind(e: &CellErrorType) -> ErrorKind {
    match e {
        CellErrorType::Div0 => ErrorKind::Div0,
        CellErrorType::NA => ErrorKind::NA,
        CellErrorType::Name => ErrorKind::Name,
        CellErrorType::Null => ErrorKind::Null,
        CellErrorType::Num => ErrorKind::Num,
        CellErrorType::Ref => ErrorKind::Ref,
        CellErrorType::Value => ErrorKind::Value,
        CellErrorType::GettingData => ErrorKind::GettingData,
    }
}

/// A date value from calamine's serial; `offset` moves 1904-system serials
/// into the 1900 system.
pub(crate) fn date_value(dt: &ExcelDateTime, offset: f64) -> Value {
    serial_value(dt.as_f64(), dt.is_duration(), offset)
}

/// A date, time, date-time or duration from a serial in the file's date
/// system: whole serials are dates, fractions below one are times of day
/// (not moved by `offset`), the rest date-times.
pub(crate) fn serial_value(raw: f64, duration: bool, offset: f64) -> Value {
    if duration {
        return Value::Date(DateValue {
            serial: raw,
            kind: DateKind::Duration,
        });
    }
    let kind = if raw.fract() == 0.0 {
        DateKind::Date
    } else if raw.abs() < 1.0 {
        DateKind::Time
    } else {
        DateKind::DateTime
    };
    let serial = if kind == DateKind::Time {
        raw
    } else {
        raw + offset
    };
    Value::Date(DateValue { serial, kind })
}

/// Converts an owned calamine value (xls, ods).
pub(crate) fn value_from_owned(d: calamine::Data, offset: f64) -> Value {
    use calamine::Data;
    match d {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(Number::from_i64(i)),
        Data::Float(f) => Value::Number(number_from_f64(f)),
        Data::String(s) => Value::text(s),
        Data::Bool(b) => Value::Bool(b),
        Data::DateTime(dt) => date_value(&dt, offset),
        Data::DateTimeIso(s) => iso_datetime(&s).unwrap_or(Value::text(s)),
        Data::DurationIso(s) => iso_duration(&s).unwrap_or(Value::text(s)),
        Data::Error(e) => Value::Error(error_kind(&e)),
    }
}

/// An ISO 8601 date, date-time or time (`2026-01-31`,
/// `2026-01-31T10:30:00`, `10:30:00`), as ods and xlsx `t="d"` cells hold.
pub(crate) fn iso_datetime(s: &str) -> Option<Value> {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(Value::Date(DateValue::from_date(d)));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s.trim_end_matches('Z'), fmt) {
            let mut v = DateValue::from_datetime(dt);
            if dt.time().num_seconds_from_midnight() == 0 && dt.time().nanosecond() == 0 {
                v.kind = DateKind::Date;
            }
            return Some(Value::Date(v));
        }
    }
    for fmt in ["%H:%M:%S%.f", "%H:%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(s, fmt) {
            let secs = t.num_seconds_from_midnight() as f64 + t.nanosecond() as f64 / 1e9;
            return Some(Value::Date(DateValue {
                serial: secs / 86_400.0,
                kind: DateKind::Time,
            }));
        }
    }
    None
}

/// An ISO 8601 duration such as `PT36H00M00S` or `P1DT2H` (ods time
/// cells), as a duration in days.
pub(crate) fn iso_duration(s: &str) -> Option<Value> {
    let s = s.trim();
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let rest = s.strip_prefix('P')?;
    let mut seconds = 0.0f64;
    let mut in_time = false;
    let mut num = String::new();
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' | ',' => num.push(if c == ',' { '.' } else { c }),
            _ => {
                let n: f64 = num.parse().ok()?;
                num.clear();
                seconds += n * match (c, in_time) {
                    ('W', false) => 7.0 * 86_400.0,
                    ('D', false) => 86_400.0,
                    ('H', true) => 3_600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None,
                };
            }
        }
    }
    if !num.is_empty() {
        return None;
    }
    let days = seconds / 86_400.0;
    Some(Value::Date(DateValue {
        serial: if negative { -days } else { days },
        kind: DateKind::Duration,
    }))
}

fn argb(c: &Option<calamine::Color>) -> Option<u32> {
    c.as_ref().map(|c| c.to_argb())
}

fn line_style(s: calamine::BorderStyle) -> LineStyle {
    use calamine::BorderStyle as B;
    match s {
        B::None => LineStyle::None,
        B::Thin => LineStyle::Thin,
        B::Medium => LineStyle::Medium,
        B::Thick => LineStyle::Thick,
        B::Double => LineStyle::Double,
        B::Hair => LineStyle::Hair,
        B::Dashed => LineStyle::Dashed,
        B::Dotted => LineStyle::Dotted,
        _ => LineStyle::Other,
    }
}

fn edge(b: &calamine::Border) -> Edge {
    Edge {
        style: line_style(b.style),
        color: if b.style == calamine::BorderStyle::None {
            None
        } else {
            argb(&b.color)
        },
    }
}

/// The number-format code a calamine cell format shows: for a built-in
/// id the reader had no code of the workbook's own for, Excel's code
/// (calamine gives the standard's spelling, or `General` for ids it does
/// not know, such as the currency formats 5-8).
pub(crate) fn number_format_code(s: &calamine::Style) -> Option<&str> {
    let format = s.number_format.as_ref()?;
    let code = format.format_code.as_str();
    Some(
        format
            .format_id
            .and_then(|id| crate::numfmt::resolve_builtin(id, code))
            .unwrap_or(code),
    )
}

/// Converts one of calamine's cell formats (an xlsx `xf` record).
pub(crate) fn style_from_calamine(s: &calamine::Style) -> Style {
    let number_format = number_format_code(s)
        .filter(|code| !code.eq_ignore_ascii_case("general"))
        .unwrap_or("")
        .to_string();
    let font = s
        .font
        .as_ref()
        .map(|f| Font {
            name: f.name.clone(),
            size: f
                .size
                .and_then(|sz| Decimal::try_from(sz).ok())
                .map(|d| d.normalize()),
            bold: f.is_bold(),
            italic: f.is_italic(),
            underline: f.has_underline(),
            strikethrough: f.has_strikethrough(),
            color: argb(&f.color),
        })
        .unwrap_or_default();
    let fill = s
        .fill
        .as_ref()
        .filter(|f| f.is_visible())
        .and_then(|f| f.get_color())
        .map(|c| c.to_argb());
    let border = s
        .borders
        .as_ref()
        .map(|b| Border {
            left: edge(&b.left),
            right: edge(&b.right),
            top: edge(&b.top),
            bottom: edge(&b.bottom),
        })
        .unwrap_or_default();
    let alignment = s
        .alignment
        .as_ref()
        .map(|a| {
            use calamine::{HorizontalAlignment as H, TextRotation, VerticalAlignment as V};
            Alignment {
                horizontal: match a.horizontal {
                    H::Left => HAlign::Left,
                    H::Center => HAlign::Center,
                    H::CenterContinuous => HAlign::CenterContinuous,
                    H::Right => HAlign::Right,
                    H::Justify => HAlign::Justify,
                    H::Distributed => HAlign::Distributed,
                    H::Fill => HAlign::Fill,
                    _ => HAlign::General,
                },
                vertical: match a.vertical {
                    V::Top => VAlign::Top,
                    V::Center => VAlign::Center,
                    V::Justify => VAlign::Justify,
                    V::Distributed => VAlign::Distributed,
                    _ => VAlign::Bottom,
                },
                wrap_text: a.wrap_text,
                indent: a.indent.unwrap_or(0),
                rotation: match a.text_rotation {
                    TextRotation::Degrees(d) => d,
                    TextRotation::Stacked => 255,
                    _ => 0,
                },
                shrink_to_fit: a.shrink_to_fit,
            }
        })
        .unwrap_or_default();
    Style {
        number_format,
        font,
        fill,
        border,
        alignment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_times_and_durations_convert() {
        let v = iso_datetime("2026-01-31").unwrap();
        assert_eq!(v.to_string(), "2026-01-31");
        let v = iso_datetime("2026-01-31T12:00:00").unwrap();
        assert_eq!(v.to_string(), "2026-01-31 12:00:00");
        let v = iso_datetime("10:30:00").unwrap();
        assert_eq!(v.to_string(), "10:30:00");
        let v = iso_duration("PT36H00M00S").unwrap();
        assert_eq!(v.to_string(), "36:00:00");
        let v = iso_duration("P1DT2H").unwrap();
        assert_eq!(v.to_string(), "26:00:00");
        assert!(iso_duration("nonsense").is_none());
        assert!(iso_datetime("31/01/2026").is_none());
    }

    #[test]
    fn floats_become_exact_numbers() {
        assert_eq!(number_from_f64(4.925).to_string(), "4.925");
        assert!(number_from_f64(4.925).is_exact());
        assert_eq!(number_from_f64(1e15).to_string(), "1000000000000000");
        assert!(number_from_f64(-3.0).is_exact());
    }
}
