//! References to other workbooks (`[1]Rates!B2`, `[1]!FxRate`): they take
//! the values Excel saved from those workbooks in this file (its external
//! link parts), as Excel shows them until the link is refreshed. The
//! other file is never opened; the run reports which books it read this
//! way.

use super::ast::{Expr, Reference, SheetSpec};
use super::calc::{Array, CalcValue, MAX_ARRAY_CELLS};
use super::eval::{reference_range, CallContext};
use crate::model::external::split_external_sheet;
use crate::model::{CellAddr, ErrorKind};

impl CallContext<'_> {
    /// The saved values a reference to another workbook's sheet stands
    /// for; `None` when the reference is to a sheet of this workbook.
    pub(crate) fn external_reference(&mut self, r: &Reference) -> Option<CalcValue> {
        let spec = r.sheet.as_ref()?;
        let (book, sheet) = split_external_sheet(&spec.first)?;
        if spec.last.is_some() {
            // A 3-D span over another workbook's sheets: Excel saves no
            // values for one.
            return Some(CalcValue::error(ErrorKind::Ref));
        }
        self.run.external_used.insert(book);
        Some(self.external_values(book, sheet, r))
    }

    fn external_values(&self, book: usize, sheet: &str, r: &Reference) -> CalcValue {
        let Some(sheet) = self
            .wb
            .external_books
            .get(book)
            .and_then(|b| b.sheet_index(sheet).map(|i| &b.sheets[i]))
        else {
            // A broken link: Excel shows #REF! too.
            return CalcValue::error(ErrorKind::Ref);
        };
        let range = reference_range(r);
        if range.start == range.end {
            let v = sheet.cells.get(&range.start).cloned().unwrap_or_default();
            return CalcValue::Value(v);
        }
        // Whole rows and columns stop at the saved cells' extent.
        let (last_row, last_col) = sheet
            .cells
            .keys()
            .fold((0, 0), |(r, c), a| (r.max(a.row), c.max(a.col)));
        let end_row = range.end.row.min(last_row.max(range.start.row));
        let end_col = range.end.col.min(last_col.max(range.start.col));
        let rows = (end_row - range.start.row + 1) as usize;
        let cols = (end_col - range.start.col + 1) as usize;
        if rows.saturating_mul(cols) > MAX_ARRAY_CELLS {
            return CalcValue::error(ErrorKind::Num);
        }
        CalcValue::Array(Array::from_fn(rows, cols, |i, j| {
            let addr = CellAddr::new(range.start.row + i as u32, range.start.col + j as u32);
            sheet.cells.get(&addr).cloned().unwrap_or_default()
        }))
    }

    /// A defined name of another workbook (`[1]!FxRate`, or local to one
    /// of its sheets: `[1]Rates!FxRate`); `None` when `scope` is not
    /// another workbook. A name over its cells takes their saved values, a
    /// constant its value; any other formula cannot be computed without
    /// the workbook, so the cell keeps the value Excel saved, as for an
    /// absent function.
    pub(crate) fn external_name(&mut self, scope: &str, name: &str) -> Option<CalcValue> {
        let (book, sheet) = split_external_sheet(scope)?;
        self.run.external_used.insert(book);
        let Some(linked) = self.wb.external_books.get(book) else {
            return Some(CalcValue::error(ErrorKind::Ref));
        };
        let local = (!sheet.is_empty())
            .then(|| linked.sheet_index(sheet))
            .flatten();
        let def = linked.name(name, local).and_then(|d| {
            super::parser::parse(&d.refers_to)
                .ok()
                .map(|e| (e, d.sheet))
        });
        let value = match def {
            Some((Expr::Ref(r), name_sheet)) => {
                let sheet_name = match (&r.sheet, name_sheet.and_then(|i| linked.sheets.get(i))) {
                    (Some(spec), _) if spec.last.is_none() => spec.first.clone(),
                    (None, Some(s)) => s.name.clone(),
                    _ => return Some(CalcValue::error(ErrorKind::Ref)),
                };
                let there = Reference {
                    sheet: Some(SheetSpec {
                        first: format!("[{}]{sheet_name}", book + 1),
                        last: None,
                    }),
                    ..r
                };
                self.external_reference(&there)
                    .unwrap_or(CalcValue::error(ErrorKind::Ref))
            }
            Some((e @ (Expr::Number(_) | Expr::Text(_) | Expr::Bool(_) | Expr::Error(_)), _)) => {
                self.eval(&e)
            }
            _ => {
                self.note_absent(&format!("{scope}!{name}"));
                CalcValue::error(ErrorKind::Name)
            }
        };
        Some(value)
    }
}

/// What the report says of the external workbooks a run read: their link
/// targets (or `[n]` for a link that names none).
pub(crate) fn external_book_labels(
    wb: &crate::model::Workbook,
    used: &std::collections::BTreeSet<usize>,
) -> Vec<String> {
    used.iter()
        .map(|&i| match wb.external_books.get(i) {
            Some(b) if !b.target.is_empty() => b.target.clone(),
            _ => format!("[{}]", i + 1),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::formula::{Engine, EngineOptions};
    use crate::model::{
        CellAddr, ExternalBook, ExternalName, ExternalSheet, Number, Value, Workbook,
    };

    fn linked() -> Workbook {
        let mut wb = crate::formula::testing::workbook_with(&[("A1", "1")]);
        let cell = |a: &str, v: Value| (CellAddr::parse(a).unwrap(), v);
        let n = |x: f64| Value::Number(Number::from_f64(x));
        wb.external_books.push(ExternalBook {
            target: "file:///C:/Finance/Rates.xlsx".into(),
            sheets: vec![ExternalSheet {
                name: "Rates".into(),
                cells: [
                    cell("B2", n(1.25)),
                    cell("B3", n(2.5)),
                    cell("C2", Value::Text("EUR".into())),
                ]
                .into(),
            }],
            names: vec![
                ExternalName {
                    name: "FxRate".into(),
                    sheet: None,
                    refers_to: "Rates!$B$2".into(),
                },
                ExternalName {
                    name: "Fee".into(),
                    sheet: None,
                    refers_to: "7".into(),
                },
                ExternalName {
                    name: "Total".into(),
                    sheet: None,
                    refers_to: "SUM(Rates!$B$2:$B$3)".into(),
                },
            ],
        });
        wb
    }

    fn value(wb: Workbook, formula: &str, saved: Value) -> (Value, Vec<String>) {
        let mut wb = wb;
        wb.sheets[0].set_formula(CellAddr::new(4, 4), formula, saved);
        let mut e = Engine::new(wb, EngineOptions::default());
        let report = e.recalc_all();
        let v = e.workbook().sheets[0].value(CellAddr::new(4, 4)).clone();
        (v, report.warnings())
    }

    #[test]
    fn references_take_the_values_excel_saved() {
        let num = |s: &str| Value::Number(s.parse::<f64>().map(Number::from_f64).unwrap());
        let (v, warnings) = value(linked(), "[1]Rates!B2*2", Value::Empty);
        assert_eq!(v, num("2.5"));
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("file:///C:/Finance/Rates.xlsx")),
            "{warnings:?}"
        );
        assert_eq!(
            value(linked(), "SUM([1]Rates!B:B)", Value::Empty).0,
            num("3.75")
        );
        assert_eq!(
            value(linked(), "[1]!FxRate+[1]!Fee", Value::Empty).0,
            num("8.25")
        );
        assert_eq!(
            value(linked(), "'[1]Rates'!C2", Value::Empty).0,
            Value::Text("EUR".into())
        );
        // A name Excel computed in the other workbook: the saved value stays.
        assert_eq!(value(linked(), "[1]!Total", num("3.75")).0, num("3.75"));
        // An add-in function of the other workbook, likewise.
        assert_eq!(
            value(linked(), "[1]!HsGetValue(\"x\")", num("9")).0,
            num("9")
        );
        // A link to a book or sheet the file does not have is broken.
        let broken = Value::Error(crate::model::ErrorKind::Ref);
        assert_eq!(value(linked(), "[2]Rates!B2", Value::Empty).0, broken);
        assert_eq!(value(linked(), "[1]Other!B2", Value::Empty).0, broken);
    }
}
