//! What a script says about itself in the `//!` lines at its top: a
//! title, a description, the parameters it takes and the workbooks it
//! needs attached. The command line lists them (`run SCRIPT --help`) and
//! checks `--set` values against them before a run; the web page builds
//! its form from them.
//!
//! ```text
//! //! # Receivables ageing
//! //! Sorts open invoices into 0-30, 31-60, 61-90 and over 90 days
//! //! overdue, per customer.
//! //!
//! //! param asof: date = today "Ageing as of"
//! //! param tolerance: number = 0.02 "Largest difference counted as paid"
//! //! param method: choice(fifo, lifo) = fifo "How payments are matched"
//! //! param note: text "Text for the report's footer"
//! //! attach bank "Bank statement (xlsx or csv)"
//! ```
//!
//! The header is the run of `//!` lines before the first line of code
//! (blank lines and `//` comments may sit between them). A `# ` line is
//! the title; other lines are the description, until the first `param`
//! or `attach` line. A parameter without `= default` must be given.

use crate::{Error, Result};
use chrono::NaiveDate;
use std::fmt;

/// A script's description of itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScriptHeader {
    /// The `# ` line; empty when the script has none.
    pub title: String,
    /// The other lines, joined into one paragraph.
    pub description: String,
    /// The parameters, in the order declared.
    pub params: Vec<ParamSpec>,
    /// The workbooks it reads besides its input (`--attach NAME=FILE`).
    pub attachments: Vec<AttachmentSpec>,
}

/// One parameter a script takes (`--set NAME=VALUE`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParamSpec {
    /// The name `param("NAME")` asks for.
    pub name: String,
    /// What values it takes.
    pub kind: ParamKind,
    /// The value when none is given, as written in the header (`today`
    /// for a date means the run's day); `None` makes it required.
    pub default: Option<String>,
    /// What a person is asked; the name when the header gives none.
    pub label: String,
}

/// The values a parameter takes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", content = "choices", rename_all = "lowercase")]
pub enum ParamKind {
    /// A number: `0.21`, `1 234,50`.
    Number,
    /// A date with its year: `2026-11-30`, `30.11.2026`, or `today`.
    Date,
    /// Any text.
    Text,
    /// One of the listed words.
    Choice(Vec<String>),
}

impl fmt::Display for ParamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamKind::Number => f.write_str("number"),
            ParamKind::Date => f.write_str("date"),
            ParamKind::Text => f.write_str("text"),
            ParamKind::Choice(c) => write!(f, "one of {}", c.join(", ")),
        }
    }
}

/// A workbook a script reads besides its input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttachmentSpec {
    /// The name `workbook("NAME")` asks for.
    pub name: String,
    /// What a person is asked for; the name when the header gives none.
    pub label: String,
}

/// The word a date parameter's default may be, for the day of the run.
pub const TODAY: &str = "today";

/// The header's format as `sheetscript functions` documents it: the
/// rules, then an example (which a test reads as a header).
pub const FORMAT_HELP: &str = r#"The `//!` lines at the top of a script say what it is and what it takes:
`sheetscript run SCRIPT --help` lists them, and a run checks its --set and
--attach values against them before reading any file.
  //! # Title
      The script's title, one line.
  //! Any other text
      Its description: the lines before the first param or attach, joined
      into one paragraph.
  //! param NAME: KIND [= DEFAULT] ["Label"]
      A parameter, given with --set NAME=VALUE and read as param("NAME").
      KIND is number, date, text or choice(a, b); a date's DEFAULT may be
      today (the day of the run, or --today). Without a DEFAULT it must be
      given. A text value stays text (0042 is not a number).
  //! attach NAME ["Label"]
      A workbook the script reads as workbook("NAME"); it must be given
      with --attach NAME=FILE.
Blank lines and `//` comments may sit between the lines. Once a script
declares a parameter, a --set of any other name is refused; once it
declares an attachment, so is an --attach of another name. Example:
  //! # Receivables ageing
  //! Open invoices per customer in 0-30, 31-60, 61-90 and 90+ days.
  //!
  //! param asof: date = today "Ageing as of"
  //! param tolerance: number = 0.02 "Largest difference counted as paid"
  //! param method: choice(fifo, lifo) = fifo "How payments are matched"
  //! attach bank "Bank statement (xlsx or csv)""#;

impl ScriptHeader {
    /// Reads the header of a script's text. `script` names the file in
    /// messages, which give the line of a header that cannot be read.
    pub fn parse(source: &str, script: &str) -> Result<ScriptHeader> {
        let mut header = ScriptHeader::default();
        let mut description: Vec<&str> = Vec::new();
        for (i, line) in source.lines().enumerate() {
            let t = line.trim();
            let Some(rest) = t.strip_prefix("//!") else {
                if t.is_empty() || t.starts_with("//") {
                    continue;
                }
                break;
            };
            let rest = rest.trim();
            let at = |why: String| Error::Script(format!("{script}:{}: {why}\n  {line}", i + 1));
            if let Some(title) = rest.strip_prefix("# ") {
                if !header.title.is_empty() {
                    return Err(at(
                        "a second title; a script has one `//! # Title` line".into()
                    ));
                }
                header.title = title.trim().to_string();
            } else if let Some(spec) = keyword(rest, "param") {
                let param = parse_param_line(spec).map_err(at)?;
                if header.params.iter().any(|p| p.name == param.name) {
                    return Err(at(format!(
                        "parameter \"{}\" is declared twice",
                        param.name
                    )));
                }
                header.params.push(param);
            } else if let Some(spec) = keyword(rest, "attach") {
                let (name, rest) = split_name(spec).map_err(at)?;
                let label = quoted_label(rest)
                    .map_err(at)?
                    .unwrap_or_else(|| name.clone());
                if header.attachments.iter().any(|a| a.name == name) {
                    return Err(at(format!("attachment \"{name}\" is declared twice")));
                }
                header.attachments.push(AttachmentSpec { name, label });
            } else if header.params.is_empty() && header.attachments.is_empty() {
                if !rest.is_empty() {
                    description.push(rest);
                }
            } else if !rest.is_empty() {
                return Err(at(
                    "after the parameters a header line is `param ...` or `attach ...`".into(),
                ));
            }
        }
        header.description = description.join(" ");
        Ok(header)
    }

    /// The `--set` values a run gets: each declared parameter checked
    /// against its kind, defaults filled in (`today` is `today`), and
    /// each value written so the script receives it with its declared
    /// kind (a text parameter `0042` stays text). A script that
    /// declares no parameters takes any `--set` as it always did.
    pub fn check_params(
        &self,
        given: &[(String, String)],
        today: NaiveDate,
    ) -> Result<Vec<(String, String)>> {
        if self.params.is_empty() {
            return Ok(given.to_vec());
        }
        let mut problems = Vec::new();
        for (name, _) in given {
            if !self.params.iter().any(|p| &p.name == name) {
                let known: Vec<&str> = self.params.iter().map(|p| p.name.as_str()).collect();
                problems.push(format!(
                    "--set {name}: this script has no parameter \"{name}\" (it takes {})",
                    known.join(", ")
                ));
            }
        }
        let mut values = Vec::new();
        for p in &self.params {
            let raw = given
                .iter()
                .rev()
                .find(|(n, _)| n == &p.name)
                .map(|(_, v)| v.as_str());
            let raw = match (raw, &p.default) {
                (Some(v), _) => v.to_string(),
                (None, Some(d)) if p.kind == ParamKind::Date && d == TODAY => {
                    today.format("%Y-%m-%d").to_string()
                }
                (None, Some(d)) => d.clone(),
                (None, None) => {
                    problems.push(format!(
                        "missing parameter \"{}\" ({}, {}): give it with --set {}=...",
                        p.name, p.label, p.kind, p.name
                    ));
                    continue;
                }
            };
            match p.typed(&raw) {
                Ok(v) => values.push((p.name.clone(), v)),
                Err(why) => problems.push(format!("--set {}={raw}: {why}", p.name)),
            }
        }
        if problems.is_empty() {
            Ok(values)
        } else {
            Err(Error::Usage(problems.join("\n")))
        }
    }
}

impl ParamSpec {
    /// The value as `--set` passes it on, when it is of this parameter's
    /// kind; why not otherwise.
    pub fn typed(&self, raw: &str) -> std::result::Result<String, String> {
        use crate::script::api::parse_param;
        let t = raw.trim();
        match &self.kind {
            ParamKind::Text => {
                // Quoted, so a text parameter never turns into a number.
                Ok(format!("\"{t}\""))
            }
            ParamKind::Choice(choices) => {
                match choices.iter().find(|c| c.eq_ignore_ascii_case(t)) {
                    Some(c) => Ok(format!("\"{c}\"")),
                    None => Err(format!("\"{t}\" is not {}", self.kind)),
                }
            }
            ParamKind::Number => match parse_param(t) {
                Ok(v) if v.is_int() || v.is_decimal() => Ok(t.to_string()),
                Ok(_) => Err(format!("\"{t}\" is not a number")),
                Err(e) => Err(e.to_string()),
            },
            ParamKind::Date => match parse_param(t) {
                Ok(v) if v.is::<crate::script::values::Date>() => Ok(t.to_string()),
                Ok(_) => Err(format!(
                    "\"{t}\" is not a date with its year (2026-11-30 or 30.11.2026)"
                )),
                Err(e) => Err(e.to_string()),
            },
        }
    }
}

/// The text after `word` and a space, when the line starts with it.
fn keyword<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    line.strip_prefix(word)
        .filter(|r| r.starts_with(char::is_whitespace))
        .map(str::trim_start)
}

/// A name at the start of `spec`, and what follows it.
fn split_name(spec: &str) -> std::result::Result<(String, &str), String> {
    let end = spec
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(spec.len());
    let name = &spec[..end];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err("expected a name (letters, digits and _, not starting with a digit)".into());
    }
    Ok((name.to_string(), spec[end..].trim_start()))
}

/// `NAME: KIND [= DEFAULT] ["Label"]`.
fn parse_param_line(spec: &str) -> std::result::Result<ParamSpec, String> {
    let (name, rest) = split_name(spec)?;
    let rest = rest
        .strip_prefix(':')
        .ok_or_else(|| format!("expected `param {name}: number|date|text|choice(a, b)`"))?
        .trim_start();
    let kind_end = match rest.find('(') {
        Some(open) if rest[..open].trim() == "choice" => rest
            .find(')')
            .map(|close| close + 1)
            .ok_or("choice( ... ) is not closed")?,
        _ => rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len()),
    };
    let kind = match rest[..kind_end].trim() {
        "number" => ParamKind::Number,
        "date" => ParamKind::Date,
        "text" => ParamKind::Text,
        k => match k
            .strip_prefix("choice")
            .map(str::trim)
            .and_then(|c| c.strip_prefix('('))
            .and_then(|c| c.strip_suffix(')'))
        {
            Some(list) => {
                let choices: Vec<String> = list
                    .split([',', '|'])
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect();
                if choices.is_empty() {
                    return Err("choice() lists no choices".into());
                }
                ParamKind::Choice(choices)
            }
            None => {
                return Err(format!(
                    "unknown kind \"{k}\": a parameter is number, date, text or choice(a, b)"
                ))
            }
        },
    };
    let mut rest = rest[kind_end..].trim_start();
    let mut default = None;
    if let Some(d) = rest.strip_prefix('=') {
        let d = d.trim_start();
        let (value, after) = if let Some(quoted) = d.strip_prefix('"') {
            let close = quoted
                .find('"')
                .ok_or("the default's quote is not closed")?;
            (quoted[..close].to_string(), &quoted[close + 1..])
        } else {
            let end = d.find(char::is_whitespace).unwrap_or(d.len());
            (d[..end].to_string(), &d[end..])
        };
        if value.is_empty() {
            return Err("`=` is not followed by a default".into());
        }
        default = Some(value);
        rest = after.trim_start();
    }
    let label = quoted_label(rest)?.unwrap_or_else(|| name.clone());
    let param = ParamSpec {
        name,
        kind,
        default,
        label,
    };
    if let Some(d) = &param.default {
        if !(param.kind == ParamKind::Date && d == TODAY) {
            param
                .typed(d)
                .map_err(|why| format!("the default {d}: {why}"))?;
        }
    }
    Ok(param)
}

/// A `"Label"` ending a header line, if there is one.
fn quoted_label(rest: &str) -> std::result::Result<Option<String>, String> {
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(None);
    }
    match rest.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(label) => Ok(Some(label.to_string())),
        None => Err(format!("expected a label in double quotes, found `{rest}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGEING: &str = r#"//! # Receivables ageing
//! Sorts open invoices into buckets
//! per customer.
//!
//! param asof: date = today "Ageing as of"
//! param tolerance: number = 0.02 "Largest difference counted as paid"
//! param method: choice(fifo, lifo) = fifo "How payments are matched"
//! param note: text "Footer"
//! attach bank "Bank statement"

// not part of the header
let x = 1;
//! param late: number
"#;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
    }

    #[test]
    fn reads_title_description_params_and_attachments() {
        let h = ScriptHeader::parse(AGEING, "ageing.rhai").unwrap();
        assert_eq!(h.title, "Receivables ageing");
        assert_eq!(
            h.description,
            "Sorts open invoices into buckets per customer."
        );
        let names: Vec<&str> = h.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["asof", "tolerance", "method", "note"]);
        assert_eq!(h.params[0].kind, ParamKind::Date);
        assert_eq!(h.params[0].default.as_deref(), Some("today"));
        assert_eq!(
            h.params[2].kind,
            ParamKind::Choice(vec!["fifo".into(), "lifo".into()])
        );
        assert_eq!(h.params[3].default, None);
        assert_eq!(h.params[3].label, "Footer");
        assert_eq!(h.attachments[0].name, "bank");
        assert_eq!(h.attachments[0].label, "Bank statement");
    }

    #[test]
    fn fills_defaults_and_types_values() {
        let h = ScriptHeader::parse(AGEING, "ageing.rhai").unwrap();
        let given = vec![("note".to_string(), "0042".to_string())];
        let values = h.check_params(&given, day()).unwrap();
        assert_eq!(
            values,
            vec![
                ("asof".to_string(), "2026-11-30".to_string()),
                ("tolerance".to_string(), "0.02".to_string()),
                ("method".to_string(), "\"fifo\"".to_string()),
                ("note".to_string(), "\"0042\"".to_string()),
            ]
        );
    }

    #[test]
    fn refuses_missing_unknown_and_ill_typed_values() {
        let h = ScriptHeader::parse(AGEING, "ageing.rhai").unwrap();
        let given = vec![
            ("tolerance".to_string(), "abc".to_string()),
            ("asof".to_string(), "1/2/2026".to_string()),
            ("method".to_string(), "average".to_string()),
            ("colour".to_string(), "red".to_string()),
        ];
        let message = h.check_params(&given, day()).unwrap_err().to_string();
        for part in [
            "no parameter \"colour\"",
            "--set tolerance=abc: \"abc\" is not a number",
            "--set asof=1/2/2026",
            "\"average\" is not one of fifo, lifo",
            "missing parameter \"note\" (Footer, text)",
        ] {
            assert!(message.contains(part), "{part} not in {message}");
        }
    }

    #[test]
    fn a_script_without_parameters_takes_any_set() {
        let h = ScriptHeader::parse("let x = 1;", "x.rhai").unwrap();
        assert_eq!(h, ScriptHeader::default());
        let given = vec![("p".to_string(), "1".to_string())];
        assert_eq!(h.check_params(&given, day()).unwrap(), given);
    }

    #[test]
    fn the_documented_example_is_a_header() {
        let example: String = FORMAT_HELP
            .split_once("Example:\n")
            .unwrap()
            .1
            .lines()
            .map(|l| format!("{}\n", l.trim()))
            .collect();
        let h = ScriptHeader::parse(&example, "example.rhai").unwrap();
        assert_eq!(h.title, "Receivables ageing");
        assert_eq!(h.params.len(), 3);
        assert_eq!(h.attachments.len(), 1);
    }

    #[test]
    fn a_bad_header_line_is_named() {
        for (line, why) in [
            ("//! param rate: percent", "unknown kind \"percent\""),
            ("//! param rate: number = abc", "the default abc"),
            ("//! param 1rate: number", "expected a name"),
            ("//! param rate: choice()", "lists no choices"),
            (
                "//! param rate: number Rate",
                "expected a label in double quotes",
            ),
        ] {
            let source = format!("//! # T\n{line}\n");
            let e = ScriptHeader::parse(&source, "s.rhai")
                .unwrap_err()
                .to_string();
            assert!(e.contains("s.rhai:2:") && e.contains(why), "{line}: {e}");
        }
    }
}
