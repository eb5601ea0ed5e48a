//! An example's figures against what the run left in the workbook, cell
//! by cell: numbers compared exactly as the example writes them, text to
//! the letter, dates as dates.

use super::spec::{ExpectedCell, Figure};
use crate::model::{CellAddr, DateKind, ErrorKind, Value, Workbook};
use std::fmt;

/// A cell that does not hold what the example says, or a sheet the run
/// did not leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The sheet, as the example names it.
    pub sheet: String,
    /// The cell; `None` when the sheet itself is missing.
    pub cell: Option<CellAddr>,
    /// What the example expects, as it wrote it.
    pub expected: String,
    /// What the cell holds.
    pub got: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cell {
            Some(cell) => write!(
                f,
                "{}!{cell}: expected {}, got {}",
                crate::model::address::quote_sheet_name(&self.sheet),
                self.expected,
                self.got
            ),
            None => write!(
                f,
                "sheet \"{}\": {}, got {}",
                self.sheet, self.expected, self.got
            ),
        }
    }
}

/// Every expected cell that differs, in the example's order; a missing
/// sheet is one difference, not one per cell.
pub fn compare(workbook: &Workbook, cells: &[ExpectedCell]) -> Vec<Difference> {
    let mut differences = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    for c in cells {
        let Some(sheet) = workbook.sheet(&c.sheet) else {
            if !missing.contains(&c.sheet.as_str()) {
                missing.push(&c.sheet);
                differences.push(Difference {
                    sheet: c.sheet.clone(),
                    cell: None,
                    expected: "expected the sheet".into(),
                    got: format!(
                        "no such sheet (the workbook has {})",
                        workbook
                            .sheet_names()
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            continue;
        };
        let got = sheet.value(c.cell);
        if !matches(c.figure.as_ref(), got) {
            differences.push(Difference {
                sheet: c.sheet.clone(),
                cell: Some(c.cell),
                expected: expected_text(c.figure.as_ref()),
                got: got_text(c.figure.as_ref(), got),
            });
        }
    }
    differences
}

/// Every cell of the expected workbook's sheets against the result's: a
/// value that differs, one the result lacks, one the result has where the
/// expected cell is empty; and a sheet only one of them has.
pub fn compare_workbooks(expected: &Workbook, got: &Workbook) -> Vec<Difference> {
    let mut cells = Vec::new();
    for sheet in &expected.sheets {
        let filled = |s: &crate::model::Sheet| -> Vec<CellAddr> {
            s.cells()
                .filter(|(_, c)| !(c.value.is_empty() || c.value.as_text() == Some("")))
                .map(|(at, _)| at)
                .collect()
        };
        let mut at: Vec<CellAddr> = filled(sheet);
        if let Some(result) = got.sheet(&sheet.name) {
            at.extend(filled(result));
        }
        at.sort_by_key(|a| (a.row, a.col));
        at.dedup();
        cells.extend(at.into_iter().map(|a| ExpectedCell {
            sheet: sheet.name.clone(),
            cell: a,
            figure: figure_of(sheet.value(a)),
        }));
    }
    let mut differences = compare(got, &cells);
    for extra in &got.sheets {
        if expected.sheet(&extra.name).is_none() {
            differences.push(Difference {
                sheet: extra.name.clone(),
                cell: None,
                expected: "expected no such sheet".into(),
                got: "a sheet the expected workbook does not have".into(),
            });
        }
    }
    differences
}

/// A cell's value as an example would write it; `None` when empty.
fn figure_of(value: &Value) -> Option<Figure> {
    match value {
        Value::Empty => None,
        Value::Text(t) if t.is_empty() => None,
        Value::Text(t) => Some(Figure::Text(t.to_string())),
        Value::Number(n) => Some(match n.to_decimal() {
            Some(d) => Figure::Number {
                value: d,
                written: d.normalize().to_string(),
            },
            None => Figure::Float(n.to_f64()),
        }),
        Value::Bool(b) => Some(Figure::Bool(*b)),
        Value::Error(e) => Some(Figure::Text(e.as_str().to_string())),
        Value::Date(d) => match (d.kind, d.date(), d.datetime()) {
            (DateKind::Time | DateKind::Duration, _, _) => Some(Figure::Span(d.serial)),
            (DateKind::Date, Some(day), _) => Some(Figure::Date(day)),
            (_, _, Some(moment)) => Some(Figure::DateTime(moment)),
            // Outside Excel's calendar: the serial is all there is.
            _ => Some(Figure::Span(d.serial)),
        },
    }
}

/// Whether a cell holds what the example expects.
fn matches(figure: Option<&Figure>, got: &Value) -> bool {
    let Some(figure) = figure else {
        return got.is_empty() || got.as_text() == Some("");
    };
    match (figure, got) {
        (Figure::Number { value, .. }, Value::Number(n)) => n.to_decimal() == Some(*value),
        (Figure::Text(t), Value::Text(g)) => t.as_str() == &**g,
        (Figure::Text(t), Value::Error(e)) => ErrorKind::parse(t) == Some(*e),
        (Figure::Bool(b), Value::Bool(g)) => b == g,
        (Figure::Date(d), Value::Date(g)) => g.serial.fract() == 0.0 && g.date() == Some(*d),
        (Figure::DateTime(d), Value::Date(g)) => g.datetime() == Some(*d),
        (Figure::Float(f), Value::Number(n)) => n.to_decimal().is_none() && n.to_f64() == *f,
        (Figure::Span(f), Value::Date(g)) => g.serial == *f,
        _ => false,
    }
}

/// The expected value as the diff shows it.
fn expected_text(figure: Option<&Figure>) -> String {
    match figure {
        None => "an empty cell".into(),
        Some(Figure::Number { written, .. }) => written.clone(),
        Some(Figure::Text(t)) => format!("\"{t}\""),
        Some(Figure::Bool(b)) => if *b { "TRUE" } else { "FALSE" }.into(),
        Some(Figure::Date(d)) => d.format("%Y-%m-%d").to_string(),
        Some(Figure::DateTime(d)) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
        Some(Figure::Float(f)) => crate::model::Number::float(*f).to_string(),
        Some(Figure::Span(f)) => Value::Date(crate::model::DateValue {
            serial: *f,
            kind: DateKind::Duration,
        })
        .to_string(),
    }
}

/// What the cell holds as the diff shows it, saying its kind when the
/// example expects another (the number 40 against the text "40").
fn got_text(figure: Option<&Figure>, got: &Value) -> String {
    let shown = match (figure, got) {
        (_, Value::Empty) => return "an empty cell".into(),
        (_, Value::Text(t)) => format!("\"{t}\""),
        // With as many decimals as the example writes: 507398.20 against
        // 507398.21, not 507398.2.
        (Some(Figure::Number { value, .. }), Value::Number(n)) => match n.to_decimal() {
            Some(d) => {
                let mut d = d.normalize();
                if d.scale() < value.scale() {
                    d.rescale(value.scale());
                }
                d.to_string()
            }
            None => n.to_string(),
        },
        (_, Value::Number(n)) => match n.to_decimal() {
            Some(d) => d.normalize().to_string(),
            None => n.to_string(),
        },
        (_, other) => other.to_string(),
    };
    let same_kind = matches!(
        (figure, got),
        (
            Some(Figure::Number { .. } | Figure::Float(_)),
            Value::Number(_)
        ) | (Some(Figure::Text(_)), Value::Text(_))
            | (Some(Figure::Bool(_)), Value::Bool(_))
            | (
                Some(Figure::Date(_) | Figure::DateTime(_) | Figure::Span(_)),
                Value::Date(_)
            )
    );
    if same_kind {
        return shown;
    }
    let kind = match got {
        Value::Number(_) => "the number",
        Value::Text(_) => "the text",
        Value::Bool(_) => "the boolean",
        Value::Date(_) => "the date",
        Value::Error(_) => "the error",
        Value::Empty => "",
    };
    match (figure, got) {
        // A date written as a plain number is a common slip in a sheet.
        (Some(Figure::Date(_)), Value::Number(n)) => {
            let day = n
                .to_i64()
                .and_then(crate::model::value::date_from_serial)
                .map(|d| format!(", which as a date is {}", d.format("%Y-%m-%d")))
                .unwrap_or_default();
            format!("{kind} {shown}{day}")
        }
        _ => format!("{kind} {shown}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateValue, Number};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn expect(sheet: &str, a1: &str, figure: Option<Figure>) -> ExpectedCell {
        ExpectedCell {
            sheet: sheet.into(),
            cell: CellAddr::parse(a1).unwrap(),
            figure,
        }
    }

    fn number(s: &str) -> Option<Figure> {
        Some(Figure::Number {
            value: Decimal::from_str(s).unwrap(),
            written: s.into(),
        })
    }

    fn workbook() -> Workbook {
        let mut wb = Workbook::new();
        wb.add_sheet("VAT by Rate").unwrap();
        let s = &mut wb.sheets[0];
        let at = |a1| CellAddr::parse(a1).unwrap();
        s.set_value(at("A1"), Value::text("Total"));
        s.set_value(
            at("B1"),
            Value::Number(Number::Exact(Decimal::new(50739820, 2))),
        );
        s.set_value(at("C1"), Value::Number(Number::from_i64(40)));
        s.set_value(at("D1"), Value::Error(ErrorKind::Div0));
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        s.set_value(at("E1"), Value::Date(DateValue::from_date(day)));
        s.set_value(at("F1"), Value::Number(Number::from_i64(46054)));
        s.set_value(at("G1"), Value::Bool(true));
        wb
    }

    #[test]
    fn equal_figures_pass_whatever_their_written_decimals() {
        let cells = [
            expect("VAT by Rate", "A1", Some(Figure::Text("Total".into()))),
            expect("vat by rate", "B1", number("507398.2")),
            expect("VAT by Rate", "B1", number("507398.200")),
            expect("VAT by Rate", "C1", number("40")),
            expect("VAT by Rate", "D1", Some(Figure::Text("#DIV/0!".into()))),
            expect(
                "VAT by Rate",
                "E1",
                Some(Figure::Date(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())),
            ),
            expect("VAT by Rate", "G1", Some(Figure::Bool(true))),
            expect("VAT by Rate", "H1", None),
        ];
        assert_eq!(compare(&workbook(), &cells), []);
    }

    #[test]
    fn a_difference_names_sheet_cell_expected_and_got() {
        let cells = [
            expect("VAT by Rate", "B1", number("507398.21")),
            expect("VAT by Rate", "C1", Some(Figure::Text("40".into()))),
            expect(
                "VAT by Rate",
                "F1",
                Some(Figure::Date(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())),
            ),
            expect("VAT by Rate", "A1", None),
            expect("Summary", "A1", number("1")),
            expect("Summary", "A2", number("2")),
        ];
        let lines: Vec<String> = compare(&workbook(), &cells)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "'VAT by Rate'!B1: expected 507398.21, got 507398.20",
                "'VAT by Rate'!C1: expected \"40\", got the number 40",
                "'VAT by Rate'!F1: expected 2026-02-01, got the number 46054, which as a date is \
                 2026-02-01",
                "'VAT by Rate'!A1: expected an empty cell, got the text \"Total\"",
                "sheet \"Summary\": expected the sheet, got no such sheet (the workbook has \
                 \"VAT by Rate\")",
            ]
        );
    }

    #[test]
    fn a_whole_workbook_is_compared_both_ways() {
        let expected = workbook();
        let mut got = workbook();
        let at = |a1| CellAddr::parse(a1).unwrap();
        got.sheets[0].set_value(at("C1"), Value::Number(Number::from_i64(41)));
        got.sheets[0].set_value(at("A2"), Value::text("extra"));
        got.sheets[0].set_value(at("G1"), Value::Empty);
        got.add_sheet("Notes").unwrap();
        assert_eq!(compare_workbooks(&expected, &expected), []);
        let lines: Vec<String> = compare_workbooks(&expected, &got)
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "'VAT by Rate'!C1: expected 40, got 41",
                "'VAT by Rate'!G1: expected TRUE, got an empty cell",
                "'VAT by Rate'!A2: expected an empty cell, got the text \"extra\"",
                "sheet \"Notes\": expected no such sheet, got a sheet the expected workbook does \
                 not have",
            ]
        );
    }
}
