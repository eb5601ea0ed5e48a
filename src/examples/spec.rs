//! An example's file: what to run a script on, with which parameters, and
//! the figures it must give (or the message it must stop with).
//!
//! ```toml
//! description = "VAT on the bundled invoices"
//! input = "../../../samples/invoices.xlsx"   # beside this file
//! today = 2026-11-30
//!
//! [set]
//! asof = 2026-11-30
//!
//! [attach]
//! bank = "../../../samples/bank.xlsx"
//!
//! [expect."VAT by Rate"]
//! A5 = ["Total", 40, 507398.20, 73451.96, 580850.16]   # a row from A5
//! D2 = 1234.50                                          # one cell
//! ```
//!
//! A number is kept as the text it was written in, so `507398.20` is the
//! decimal 507398.20, never a float near it. Instead of `input`, a
//! `[sheets]` table can hold the input itself, a sheet's rows under its
//! name (`=` starts a formula). Instead of `[expect]`, `expect_workbook =
//! "FILE"` names a workbook every cell of whose sheets the result must
//! match (last month's checked output, say), and `fails = "TEXT"` says the
//! run must stop with a message holding TEXT.

use crate::model::address::{MAX_COLS, MAX_ROWS};
use crate::model::CellAddr;
use crate::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use toml_edit::{Item, Value};

/// The largest example file read: an example keeps its figures and any
/// input it holds small, and a bigger file is refused before parsing.
pub const MAX_EXAMPLE_BYTES: u64 = 1 << 20;

/// One example of a script's rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example's file.
    pub file: PathBuf,
    /// What the example shows, in the accountant's words.
    pub description: String,
    /// The workbook the script runs on.
    pub input: Input,
    /// The `--set` values, as text.
    pub params: Vec<(String, String)>,
    /// The day `today()` returns; the real day when `None`.
    pub today: Option<NaiveDate>,
    /// The workbooks the script reads by name (`--attach`).
    pub attach: Vec<(String, PathBuf)>,
    /// What the run must give.
    pub expect: Expectation,
}

/// Where an example's input comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A workbook file.
    File(PathBuf),
    /// Sheets written out in the example itself, in order.
    Sheets(Vec<InlineSheet>),
}

/// A sheet given in the example: its rows from A1.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineSheet {
    /// The sheet's name.
    pub name: String,
    /// Its rows; `None` leaves a cell empty.
    pub rows: Vec<Vec<Option<Figure>>>,
}

/// What a run must give.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// These cells hold these values after the run.
    Figures(Vec<ExpectedCell>),
    /// The result's sheets hold what this workbook's do, cell for cell.
    Workbook(PathBuf),
    /// The run stops with a message holding this text.
    Fails(String),
}

/// One cell an example checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedCell {
    /// The sheet, as the example names it.
    pub sheet: String,
    /// The cell.
    pub cell: CellAddr,
    /// What it must hold; `None` for an empty cell.
    pub figure: Option<Figure>,
}

/// A value as an example writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// A number, exactly as written, with the text it was written as.
    Number {
        /// The decimal.
        value: Decimal,
        /// How the example wrote it (`1_234.50`).
        written: String,
    },
    /// Text (a `#DIV/0!` also matches that error value).
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// A calendar date.
    Date(NaiveDate),
    /// A date with a time of day.
    DateTime(NaiveDateTime),
    /// A number only a float holds, as an expected workbook can (an
    /// example's own text is always a decimal): equal only to that float.
    Float(f64),
    /// A time of day or a length of time, as Excel's fraction of a day,
    /// as an expected workbook can hold it.
    Span(f64),
}

/// The top-level keys an example may have.
const KEYS: [&str; 9] = [
    "description",
    "input",
    "sheets",
    "today",
    "set",
    "attach",
    "expect",
    "expect_workbook",
    "fails",
];

impl Example {
    /// Reads an example file; paths in it are taken from its folder.
    pub fn read(file: &Path) -> Result<Example> {
        let size = std::fs::metadata(file)
            .map_err(|e| Error::unreadable(file, format!("cannot read the example: {e}")))?
            .len();
        if size > MAX_EXAMPLE_BYTES {
            return Err(Error::unreadable(
                file,
                format!(
                    "the example is {size} bytes; an example holds at most {MAX_EXAMPLE_BYTES} \
                     (put a big input in a workbook file and name it with input = \"...\")"
                ),
            ));
        }
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error::unreadable(file, format!("cannot read the example: {e}")))?;
        Example::parse(&text, file)
    }

    /// Reads an example from its text; `file` names it in messages and
    /// its folder is where the paths in it start.
    pub fn parse(text: &str, file: &Path) -> Result<Example> {
        let doc = toml_edit::Document::parse(text).map_err(|e| {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            Error::unreadable(
                file,
                format!(
                    "line {line}: {}",
                    e.message().trim_end().trim_end_matches('.')
                ),
            )
        })?;
        let at = Place { text, file };
        let root = doc.as_table();
        for (key, item) in root.iter() {
            if !KEYS.contains(&key) {
                return Err(at.error(
                    item.span(),
                    format!(
                        "unknown setting `{key}`; an example has {}",
                        KEYS.join(", ")
                    ),
                ));
            }
        }
        let folder = file.parent().unwrap_or(Path::new(""));
        let text_of = |key: &str| -> Result<Option<String>> {
            match root.get(key) {
                None => Ok(None),
                Some(item) => match item.as_str() {
                    Some(s) => Ok(Some(s.to_string())),
                    None => Err(at.error(item.span(), format!("`{key}` is text in quotes"))),
                },
            }
        };
        let description = text_of("description")?.unwrap_or_default();
        let input = match (text_of("input")?, root.get("sheets")) {
            (Some(_), Some(s)) => {
                return Err(at.error(
                    s.span(),
                    "an example has `input = \"FILE\"` or `[sheets]`, not both".into(),
                ))
            }
            (Some(path), None) => Input::File(folder.join(path)),
            (None, Some(sheets)) => Input::Sheets(at.sheets(sheets)?),
            (None, None) => {
                return Err(at.error(
                    None,
                    "no input: write `input = \"FILE\"` (a workbook, from this file's folder) \
                     or give the sheets in a `[sheets]` table"
                        .into(),
                ))
            }
        };
        let today = match root.get("today") {
            None => None,
            Some(item) => match item.as_value().and_then(|v| at.figure(v).ok()) {
                Some(Figure::Date(d)) => Some(d),
                _ => {
                    return Err(at.error(
                        item.span(),
                        "`today` is a date, written 2026-11-30 (no quotes)".into(),
                    ))
                }
            },
        };
        let mut params = Vec::new();
        for (name, item, span) in at.entries(root.get("set"), "set")? {
            params.push((name, at.param_text(item, span)?));
        }
        let mut attach = Vec::new();
        for (name, item, span) in at.entries(root.get("attach"), "attach")? {
            match item.as_str() {
                Some(path) => attach.push((name, folder.join(path))),
                None => {
                    return Err(at.error(span, format!("attach {name}: the file's path, in quotes")))
                }
            }
        }
        let expect = match (
            root.get("expect"),
            text_of("expect_workbook")?,
            text_of("fails")?,
        ) {
            (Some(e), None, None) => Expectation::Figures(at.expected(e)?),
            (None, Some(w), None) => Expectation::Workbook(folder.join(w)),
            (None, None, Some(f)) if !f.trim().is_empty() => Expectation::Fails(f),
            (None, None, _) => {
                return Err(at.error(
                    None,
                    "nothing to check: add an `[expect.\"SHEET\"]` table of cells and their \
                     values, `expect_workbook = \"FILE\"`, or `fails = \"...\"` with what the \
                     run must stop saying"
                        .into(),
                ))
            }
            _ => {
                return Err(at.error(
                    None,
                    "an example checks one thing: `[expect]` figures, `expect_workbook` or \
                     `fails`"
                        .into(),
                ))
            }
        };
        Ok(Example {
            file: file.to_path_buf(),
            description,
            input,
            params,
            today,
            attach,
            expect,
        })
    }
}

/// The line (from 1) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// The example's text and file, to name the line of what is wrong.
struct Place<'a> {
    text: &'a str,
    file: &'a Path,
}

impl Place<'_> {
    fn error(&self, span: Option<std::ops::Range<usize>>, why: String) -> Error {
        match span {
            Some(s) => Error::unreadable(
                self.file,
                format!("line {}: {why}", line_of(self.text, s.start)),
            ),
            None => Error::unreadable(self.file, why),
        }
    }

    /// The text a value was written as.
    fn written(&self, v: &Value) -> Option<String> {
        v.span()
            .and_then(|s| self.text.get(s))
            .map(|s| s.trim().to_string())
    }

    /// The name = value lines of a table (`[set]`, `[expect]`), in order.
    #[allow(clippy::type_complexity)]
    fn entries<'i>(
        &self,
        item: Option<&'i Item>,
        what: &str,
    ) -> Result<Vec<(String, &'i Item, Option<std::ops::Range<usize>>)>> {
        let Some(item) = item else {
            return Ok(Vec::new());
        };
        let Some(table) = item.as_table_like() else {
            return Err(self.error(
                item.span(),
                format!("`{what}` is a table: a [{what}] line, then name = value lines"),
            ));
        };
        Ok(table
            .iter()
            .map(|(k, v)| {
                let span = table.key(k).and_then(|key| key.span()).or_else(|| v.span());
                (k.to_string(), v, span)
            })
            .collect())
    }

    /// A `--set` value as the command line would give it.
    fn param_text(&self, item: &Item, span: Option<std::ops::Range<usize>>) -> Result<String> {
        let value = item
            .as_value()
            .ok_or_else(|| self.error(span.clone(), "a parameter is one value".into()))?;
        Ok(
            match self.figure(value).map_err(|why| self.error(span, why))? {
                Figure::Number { written, .. } => written.replace('_', ""),
                Figure::Text(t) => t,
                Figure::Bool(b) => b.to_string(),
                Figure::Date(d) => d.format("%Y-%m-%d").to_string(),
                Figure::DateTime(_) | Figure::Float(_) | Figure::Span(_) => {
                    return Err(self.error(
                        value.span(),
                        "a parameter is a date without a time of day".into(),
                    ))
                }
            },
        )
    }

    /// One value as a figure.
    fn figure(&self, v: &Value) -> std::result::Result<Figure, String> {
        match v {
            Value::String(s) => Ok(Figure::Text(s.value().clone())),
            Value::Boolean(b) => Ok(Figure::Bool(*b.value())),
            Value::Integer(i) => {
                let written = self.written(v).unwrap_or_else(|| i.value().to_string());
                Ok(Figure::Number {
                    value: Decimal::from(*i.value()),
                    written,
                })
            }
            Value::Float(f) => {
                let written = self.written(v).unwrap_or_else(|| f.value().to_string());
                let plain = written.replace('_', "");
                let plain = plain.strip_prefix('+').unwrap_or(&plain);
                let value = if plain.contains(['e', 'E']) {
                    Decimal::from_scientific(plain)
                } else {
                    Decimal::from_str(plain)
                };
                match value {
                    Ok(value) => Ok(Figure::Number { value, written }),
                    Err(_) => Err(format!("{written} is not a number a cell can hold")),
                }
            }
            Value::Datetime(dt) => {
                let dt = dt.value();
                if dt.offset.is_some() {
                    return Err(format!(
                        "{dt}: a cell's date has no time zone; leave the offset out"
                    ));
                }
                let date = dt.date.and_then(|d| {
                    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                });
                let Some(date) = date else {
                    return Err(format!("{dt}: write a date as 2026-11-30"));
                };
                match dt.time {
                    None => Ok(Figure::Date(date)),
                    Some(t) => date
                        .and_hms_nano_opt(
                            t.hour.into(),
                            t.minute.into(),
                            t.second.unwrap_or(0).into(),
                            t.nanosecond.unwrap_or(0),
                        )
                        .map(Figure::DateTime)
                        .ok_or_else(|| format!("{dt} is not a time of day")),
                }
            }
            Value::Array(_) | Value::InlineTable(_) => {
                Err("expected one value (a number, \"text\", a date or true/false)".into())
            }
        }
    }

    /// A cell of a row: a figure, or `None` for "" (an empty cell).
    fn cell(&self, v: &Value) -> Result<Option<Figure>> {
        match self.figure(v).map_err(|why| self.error(v.span(), why))? {
            Figure::Text(t) if t.is_empty() => Ok(None),
            f => Ok(Some(f)),
        }
    }

    /// Rows written as an array of arrays (or one array, one row).
    fn rows(&self, v: &Value) -> Result<Vec<Vec<Option<Figure>>>> {
        let Value::Array(outer) = v else {
            return Ok(vec![vec![self.cell(v)?]]);
        };
        let nested = outer.iter().filter(|x| x.is_array()).count();
        if nested == 0 {
            return Ok(vec![outer
                .iter()
                .map(|x| self.cell(x))
                .collect::<Result<_>>()?]);
        }
        if nested != outer.len() {
            return Err(self.error(
                v.span(),
                "a block is rows in brackets: [[a, b], [c, d]]; this one mixes rows and single \
                 values"
                    .into(),
            ));
        }
        let mut rows = Vec::new();
        for row in outer.iter() {
            let Value::Array(cells) = row else {
                unreachable!("counted as arrays above")
            };
            if cells.iter().any(Value::is_array) {
                return Err(self.error(
                    row.span(),
                    "a row holds single values, not more brackets".into(),
                ));
            }
            rows.push(cells.iter().map(|x| self.cell(x)).collect::<Result<_>>()?);
        }
        Ok(rows)
    }

    /// The `[sheets]` table: each sheet's rows from A1.
    fn sheets(&self, item: &Item) -> Result<Vec<InlineSheet>> {
        let mut sheets = Vec::new();
        for (name, item, span) in self.entries(Some(item), "sheets")? {
            let value = item.as_value().ok_or_else(|| {
                self.error(
                    span.clone(),
                    format!("sheets: {name} = [[...], [...]], the sheet's rows from A1"),
                )
            })?;
            let rows = self.rows(value)?;
            self.fits(CellAddr::new(0, 0), &rows, span)?;
            sheets.push(InlineSheet { name, rows });
        }
        if sheets.is_empty() {
            return Err(self.error(item.span(), "[sheets] holds no sheet".into()));
        }
        Ok(sheets)
    }

    /// Refuses a block that runs off the sheet.
    fn fits(
        &self,
        at: CellAddr,
        rows: &[Vec<Option<Figure>>],
        span: Option<std::ops::Range<usize>>,
    ) -> Result<()> {
        let widest = rows.iter().map(Vec::len).max().unwrap_or(0) as u64;
        if at.row as u64 + rows.len() as u64 > MAX_ROWS as u64
            || at.col as u64 + widest > MAX_COLS as u64
        {
            return Err(self.error(span, "the block runs off the sheet".into()));
        }
        Ok(())
    }

    /// The `[expect."SHEET"]` tables: each cell's value, or a row or block
    /// of values from that cell.
    fn expected(&self, item: &Item) -> Result<Vec<ExpectedCell>> {
        let mut cells = Vec::new();
        for (sheet, item, span) in self.entries(Some(item), "expect")? {
            if item.is_value() && !item.is_inline_table() {
                return Err(self.error(
                    span,
                    format!(
                        "`{sheet}` is not a sheet's table; write the cells under a \
                         [expect.\"SHEET\"] line"
                    ),
                ));
            }
            for (cell, item, span) in self.entries(Some(item), "expect")? {
                let at = CellAddr::parse(&cell).filter(|_| !cell.contains('$'));
                let Some(at) = at else {
                    return Err(
                        self.error(span, format!("{sheet}: `{cell}` is not a cell such as B7"))
                    );
                };
                let value = item.as_value().ok_or_else(|| {
                    self.error(span.clone(), format!("{sheet}!{cell}: expected a value"))
                })?;
                let rows = self.rows(value)?;
                self.fits(at, &rows, span)?;
                for (r, row) in rows.into_iter().enumerate() {
                    for (c, figure) in row.into_iter().enumerate() {
                        cells.push(ExpectedCell {
                            sheet: sheet.clone(),
                            cell: CellAddr::new(at.row + r as u32, at.col + c as u32),
                            figure,
                        });
                    }
                }
            }
        }
        if cells.is_empty() {
            return Err(self.error(item.span(), "[expect] names no cell".into()));
        }
        Ok(cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Example> {
        Example::parse(text, Path::new("examples/vat/sample.toml"))
    }

    fn number(s: &str) -> Option<Figure> {
        Some(Figure::Number {
            value: Decimal::from_str(&s.replace('_', "")).unwrap(),
            written: s.to_string(),
        })
    }

    #[test]
    fn reads_input_parameters_and_figures_as_written() {
        let e = parse(
            r#"
description = "VAT"
input = "../../samples/invoices.xlsx"
today = 2026-11-30
[set]
rate = 0.21
asof = 2026-11-30
who = "Acme"
[attach]
bank = "bank.xlsx"
[expect."VAT by Rate"]
A5 = ["Total", 40, 507398.20, ""]
C2 = [[1_234.50], [0.10]]
[expect.Invoices]
H2 = 2864.30
"#,
        )
        .unwrap();
        assert_eq!(
            e.input,
            Input::File(PathBuf::from("examples/vat/../../samples/invoices.xlsx"))
        );
        assert_eq!(e.today, NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(
            e.params,
            [
                ("rate".to_string(), "0.21".to_string()),
                ("asof".to_string(), "2026-11-30".to_string()),
                ("who".to_string(), "Acme".to_string())
            ]
        );
        assert_eq!(e.attach[0].1, PathBuf::from("examples/vat/bank.xlsx"));
        let Expectation::Figures(cells) = e.expect else {
            panic!("figures")
        };
        let at = |sheet: &str, a1: &str| {
            cells
                .iter()
                .find(|c| c.sheet == sheet && c.cell == CellAddr::parse(a1).unwrap())
                .map(|c| c.figure.clone())
        };
        assert_eq!(
            at("VAT by Rate", "A5"),
            Some(Some(Figure::Text("Total".into())))
        );
        assert_eq!(at("VAT by Rate", "B5"), Some(number("40")));
        // The figure keeps the two decimals it was written with.
        assert_eq!(at("VAT by Rate", "C5"), Some(number("507398.20")));
        assert_eq!(at("VAT by Rate", "D5"), Some(None));
        assert_eq!(at("VAT by Rate", "C2"), Some(number("1_234.50")));
        assert_eq!(at("VAT by Rate", "C3"), Some(number("0.10")));
        assert_eq!(at("Invoices", "H2"), Some(number("2864.30")));
        assert_eq!(cells.len(), 7);
    }

    #[test]
    fn reads_inline_sheets_and_an_expected_failure() {
        let e = parse(
            r#"
fails = "does not balance"
[sheets]
Ledger = [["Account", "Debit"], [100, 5.5], [200, "=B2*2"]]
"#,
        )
        .unwrap();
        assert_eq!(e.expect, Expectation::Fails("does not balance".into()));
        let Input::Sheets(sheets) = e.input else {
            panic!("sheets")
        };
        assert_eq!(sheets[0].name, "Ledger");
        assert_eq!(sheets[0].rows[2][1], Some(Figure::Text("=B2*2".into())));
    }

    #[test]
    fn names_the_line_of_what_is_wrong() {
        for (text, why) in [
            (
                "input = \"a.xlsx\"\nfails = 'x'\ncolour = 1",
                "line 3: unknown setting `colour`",
            ),
            (
                "input = \"a.xlsx\"\n[expect.S]\nB0 = 1",
                "line 3: S: `B0` is not a cell",
            ),
            (
                "input = \"a.xlsx\"\n[expect.S]\nB1 = [1, [2]]",
                "line 3: a block is rows",
            ),
            (
                "input = \"a.xlsx\"\n[expect.S]\nB1 = inf",
                "line 3: inf is not a number",
            ),
            (
                "input = \"a.xlsx\"\ntoday = \"30.11.2026\"\nfails = 'x'",
                "line 2: `today` is a date",
            ),
            (
                "input = \"a.xlsx\"\n[expect.S]\nXFD1 = [1, 2]",
                "line 3: the block runs off",
            ),
            ("input = \"a.xlsx\"", "nothing to check"),
            ("fails = 'x'", "no input"),
            (
                "input = \"a.xlsx\"\nfails = 'x'\n[expect.S]\nA1 = 1",
                "checks one thing",
            ),
            ("input = \"a.xlsx\"\nfails = [", "line 2:"),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(
                e.contains("sample.toml: ") && e.contains(why),
                "{text}: {e}"
            );
        }
    }
}
