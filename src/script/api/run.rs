//! Run control: parameters given with --set, assertions, failing and
//! logging, which steer a run rather than touch the workbook.

use super::{fail, Res};
use crate::script::errors::{ScriptError, ScriptResult};
use crate::script::values::Date;
use chrono::NaiveDate;
use rhai::{Dynamic, Engine, INT};

/// Registers `param`, `input_name`, `assert`, `fail` and `log`.
pub(super) fn register_run(engine: &mut Engine, run: super::RunContext) {
    let params = run.params;
    let p = params.clone();
    api!(engine, "param", ["name: String", "Dynamic"], "A value given with --set name=value (number, date or text); an error when it was not given.", move |name: &str| -> Res<Dynamic> {
        match p.get(name) {
            Some(v) => Ok(v.clone()),
            None => {
                let given: Vec<&str> = p.keys().map(String::as_str).collect();
                fail(format!(
                    "this script needs --set {name}=...{}",
                    if given.is_empty() { String::new() } else { format!(" (given: {})", given.join(", ")) }
                ))
            }
        }
    });
    let p = params;
    api!(
        engine,
        "param",
        ["name: String", "default: Dynamic", "Dynamic"],
        "A --set value, or the default when it was not given.",
        move |name: &str, default: Dynamic| -> Dynamic { p.get(name).cloned().unwrap_or(default) }
    );
    let name = run.input_name;
    let printer = run.printer;
    api!(
        engine,
        "input_name",
        ["String"],
        "The name of the file the script runs on (\"brno.xlsx\"), so a batch's summary can say which file a figure came from.",
        move || -> Res<String> {
            match &name {
                Some(n) => Ok(n.clone()),
                None => fail("input_name(): this run was not given a file name".to_string()),
            }
        }
    );
    api!(
        engine,
        "assert",
        ["condition: bool", "message: String", "()"],
        "Stops the run with the message (and writes nothing) when the condition is false.",
        |c: bool, msg: &str| -> Res<()> {
            if c {
                Ok(())
            } else {
                fail(format!("assertion failed: {msg}"))
            }
        }
    );
    api!(
        engine,
        "fail",
        ["message: String", "()"],
        "Stops the run with the message; nothing is written.",
        |msg: &str| -> Res<()> { fail(msg.to_string()) }
    );
    api!(
        engine,
        "log",
        ["message: Dynamic", "()"],
        "Prints a line to stderr (like print).",
        move |msg: Dynamic| {
            printer.line(&msg.to_string());
        }
    );
}

/// Parses a `--set` value: a whole number, a decimal (`1234.50`,
/// `1234,50`, `1 234,50`: see [`parse_number_text`]), a date (`2026-11-30`,
/// `30.11.2026`, read by DATEVALUE's parser), true/false, or else text
/// (quotes force text). A number or date whose reading is ambiguous
/// (`1,234`, `1/2/2026`) is an error, never a guess.
pub fn parse_param(text: &str) -> ScriptResult<Dynamic> {
    use crate::model::number_text::{parse_number_text, NumberTextError};
    let t = text.trim();
    if t.len() >= 2
        && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\''))
    {
        return Ok(Dynamic::from(t[1..t.len() - 1].to_string()));
    }
    if let Ok(i) = t.parse::<INT>() {
        return Ok(Dynamic::from_int(i));
    }
    match parse_number_text(t) {
        Ok(d) => return Ok(Dynamic::from_decimal(d)),
        Err(NumberTextError::Ambiguous(why)) => return Err(ScriptError::Ambiguous(why)),
        Err(NumberTextError::NotANumber) => {}
    }
    if let Some(d) = param_date(t)? {
        return Ok(Dynamic::from(Date(d)));
    }
    Ok(match t {
        "true" | "TRUE" => Dynamic::from_bool(true),
        "false" | "FALSE" => Dynamic::from_bool(false),
        _ => Dynamic::from(t.to_string()),
    })
}

/// A date typed as a parameter, with its year written out (a date
/// without one would depend on the day of the run) and no time of day.
/// `1/2/2026` is refused: DATEVALUE reads it as January 2nd, a Czech
/// reader as February 1st (and `13/1/2026`, which DATEVALUE does not read
/// at all, would silently become text).
fn param_date(t: &str) -> ScriptResult<Option<NaiveDate>> {
    let has_year = t
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 4);
    if !has_year || t.contains(':') {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split('/').map(str::trim).collect();
    if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(ScriptError::DayOrMonth(t.to_string()));
    }
    // A 1900-system serial, read back by date_from_serial below.
    let Some(serial) = crate::formula::date_serial::parse_date_time_serial(
        t,
        2000,
        crate::model::DateSystem::Excel1900,
    ) else {
        return Ok(None);
    };
    if serial.fract() != 0.0 || serial < 1.0 {
        return Ok(None);
    }
    Ok(crate::model::value::date_from_serial(serial as i64))
}
