//! Excel's number-format language: how a cell's number-format code
//! (`#,##0.00`, `0%`, `d-mmm-yy`, `[h]:mm`, `# ?/?`,
//! `[Red][<0]0;0`...) turns a value into the text a user sees.
//!
//! It is its own module because several places must agree to the letter
//! on that text: the TEXT function (and formulas' text conversions, as
//! [`number_to_text`]) and the CLI's `show` and `eval`, which print cells
//! as Excel displays them. The workbook model only stores the code (a
//! style's `number_format`) and readers and writers carry it through
//! unchanged; what the code means lives here.
//!
//! A code has up to four `;`-separated sections (positive, negative,
//! zero, text), each a sequence of digit placeholders, literals, date/time
//! parts and bracketed modifiers (colours, conditions, currency and locale
//! tags, elapsed-time units). The work is split the way the language is:
//! - `parse`: code text → [`NumberFormat`], once per code, never failing
//!   (Excel shows what it does not understand as it is);
//! - `section`: the parsed form every renderer reads;
//! - `render`: which section a value falls to, signs, display hints;
//! - `number`, `fraction`, `datetime`, `general`: each kind of section;
//! - `locale`: month and weekday names of the languages locale tags name;
//! - `names`: the month and weekday names themselves;
//! - `hijri`: the Hijri calendar of `B2` and Hijri locale tags;
//! - `builtin`: the built-in format ids (0-49) and Excel's codes for them;
//! - `digits`: exact decimal digits under all of them: a value is cut to
//!   15 significant digits (as Excel stores and shows numbers), then
//!   rounded half away from zero at the displayed position, so `2.675`
//!   with `0.00` shows `2.68`.

#![warn(missing_docs)]

mod builtin;
mod cell_code;
mod datetime;
mod digits;
mod fraction;
mod general;
mod hijri;
mod locale;
mod names;
mod number;
mod parse;
mod render;
mod section;
#[cfg(test)]
mod tests;

pub use builtin::{builtin_format, builtin_format_id, resolve_builtin};
pub use general::GeneralMode;
pub use render::{Align, Formatted};
pub use section::{FormatColor, NumberFormat};

use crate::model::number::Number;
use crate::model::value::Value;
use crate::model::workbook::DateSystem;

/// Renders `value` with the Excel number-format `code` as a cell shows it
/// (`""` or `General` for the general format, which keeps a number within
/// the 11 characters of a standard-width column). A date value is its
/// serial number to every code except `General`, where it shows in ISO
/// form (`2026-01-31`, `14:30:00`) rather than as a bare serial. Callers
/// that format many cells with one code can keep a [`NumberFormat`].
pub fn format_value(value: &Value, code: &str) -> String {
    format_value_in(value, code, DateSystem::Excel1900)
}

/// [`format_value`] for a cell of a workbook of date system `system`: a
/// number under a date code is a serial of that system, as Excel shows it.
pub fn format_value_in(value: &Value, code: &str, system: DateSystem) -> String {
    format_cell_in(value, code, system).text
}

/// [`format_value_in`] with what else a cell shows: the colour, the
/// alignment and the `*` fill, which a caller that knows the column's
/// width spreads with [`Formatted::fill_to`].
pub fn format_cell_in(value: &Value, code: &str, system: DateSystem) -> Formatted {
    with_parsed(code, |f| f.format_in(value, GeneralMode::Cell, system))
}

/// Renders `value` as Excel's TEXT function does: like a cell of
/// standard width (`General` keeps 11 characters, as Excel's TEXT
/// does), except that an empty code gives empty text, a boolean is the
/// text `TRUE`/`FALSE` (so a text section applies to it), a date is its
/// serial number, and a date format applied to a value outside Excel's
/// date range gives `None` (TEXT returns `#VALUE!`).
pub fn format_text(value: &Value, code: &str) -> Option<String> {
    format_text_in(value, code, DateSystem::Excel1900)
}

/// [`format_text`] in a workbook of date system `system`: a number under
/// a date code is a serial of that system (a date value is a date in any
/// system), as TEXT reads it in a 1904 workbook.
pub fn format_text_in(value: &Value, code: &str, system: DateSystem) -> Option<String> {
    if code.is_empty() {
        return Some(String::new());
    }
    let value = match value {
        Value::Bool(b) => Value::Text(if *b { "TRUE" } else { "FALSE" }.into()),
        // Durations stay counts of days in either system.
        Value::Date(d) => Value::Number(Number::from_f64(system.number_of(d))),
        v => v.clone(),
    };
    let formatted = with_parsed(code, |f| f.format_in(&value, GeneralMode::Cell, system));
    (!formatted.invalid).then_some(formatted.text)
}

/// Runs `f` on the parsed `code`, parsing each code once per thread:
/// a workbook uses a handful of codes for thousands of cells.
fn with_parsed<T>(code: &str, f: impl FnOnce(&NumberFormat) -> T) -> T {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Rc<NumberFormat>>> = RefCell::new(HashMap::new());
    }
    let parsed = CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(p) = cache.get(code) {
            return Rc::clone(p);
        }
        // Bounded: codes built by formulas (TEXT) could be endless.
        if cache.len() >= 256 {
            cache.clear();
        }
        let p = Rc::new(NumberFormat::parse(code));
        cache.insert(code.to_string(), Rc::clone(&p));
        p
    });
    f(&parsed)
}

/// A number as Excel turns it into text in formulas (`&`, CONCAT, LEN,
/// comparisons with text): 15 significant digits, trailing zeros dropped,
/// scientific notation below 1E-9 and from 1E+15 on. `0.1+0.2` gives `0.3`.
pub fn number_to_text(n: Number) -> String {
    general::general_number(n, GeneralMode::Text)
}
