//! The record behind `--dry-run` and `--changes`: what each cell held
//! before the script first changed it.
//!
//! Only cells that held something are stored. A sheet already records
//! which of its cells changed since the file was read (the patcher needs
//! that), so a changed cell with no stored content was empty before. A
//! script that fills two new columns of 100k rows thus stores nothing, and
//! the report is rendered only when someone asks for it.

use crate::model::{Cell, CellAddr, Formula, Sheet, Value, Workbook};
use serde::Serialize;
use std::collections::HashMap;

/// One changed cell, for the change report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Sheet name (after any renames).
    pub sheet: String,
    /// Cell address such as `H2`.
    pub cell: String,
    /// The content before the run (`=formula` for a formula cell, empty
    /// for an empty cell).
    pub old: String,
    /// The content after the run.
    pub new: String,
}

/// A cell's content as the report compares it.
#[derive(Debug, Clone, PartialEq)]
struct Content {
    value: Value,
    formula: Option<Formula>,
}

impl Content {
    const EMPTY: Content = Content {
        value: Value::Empty,
        formula: None,
    };

    /// `=formula` when the formula is what changed, otherwise the value.
    fn show(&self, addr: CellAddr, formula_changed: bool) -> String {
        match (&self.formula, formula_changed) {
            (Some(f), true) => format!("={}", f.text_at(addr)),
            _ => self.value.to_string(),
        }
    }
}

/// What changed cells held before the run, per sheet, and the sheets
/// added, renamed and removed.
#[derive(Debug, Default, Clone)]
pub struct ChangeLog {
    /// Keyed by the sheet's current name; a rename moves the entry.
    before: HashMap<String, HashMap<CellAddr, Content>>,
    events: Vec<String>,
}

impl ChangeLog {
    /// A log for `wb` as read. Formula results can change without the
    /// script writing the cell (a precedent changed), so every formula
    /// cell is remembered; so is every cell the model already marks as
    /// changed, so that earlier edits are not reported as the script's.
    pub fn new(wb: &Workbook) -> ChangeLog {
        let mut log = ChangeLog::default();
        for sheet in &wb.sheets {
            let formulas = sheet
                .cells()
                .filter(|(_, c)| c.formula.is_some())
                .map(|(addr, _)| addr);
            for addr in formulas.chain(sheet.changed_cells().iter().copied()) {
                log.record(&sheet.name, addr, sheet.cell_or_empty(addr));
            }
        }
        log
    }

    /// Records what `sheet!addr` holds now, unless it is empty or already
    /// recorded. Call it before every change the script makes to a cell,
    /// a change of style included: a cell the sheet marks as changed but
    /// with nothing recorded is taken to have been empty.
    pub fn remember(&mut self, sheet: &Sheet, addr: CellAddr) {
        if self
            .before
            .get(&sheet.name)
            .is_some_and(|cells| cells.contains_key(&addr))
        {
            return;
        }
        // A changed cell with nothing recorded was empty when the run
        // first changed it: what it holds now is the script's own.
        if sheet.changed_cells().contains(&addr) {
            return;
        }
        self.record(&sheet.name, addr, sheet.cell_or_empty(addr));
    }

    fn record(&mut self, sheet: &str, addr: CellAddr, cell: &Cell) {
        if cell.value.is_empty() && cell.formula.is_none() {
            return;
        }
        let content = Content {
            value: cell.value.clone(),
            formula: cell.formula.clone(),
        };
        match self.before.get_mut(sheet) {
            Some(cells) => {
                cells.insert(addr, content);
            }
            None => {
                self.before
                    .insert(sheet.to_string(), HashMap::from([(addr, content)]));
            }
        }
    }

    /// Notes that a sheet was added.
    pub fn sheet_added(&mut self, name: &str) {
        self.events.push(format!("added sheet \"{name}\""));
    }

    /// Follows a sheet rename.
    pub fn sheet_renamed(&mut self, old: &str, new: &str) {
        if let Some(cells) = self.before.remove(old) {
            self.before.insert(new.to_string(), cells);
        }
        self.events
            .push(format!("renamed sheet \"{old}\" to \"{new}\""));
    }

    /// Forgets a removed sheet's cells.
    pub fn sheet_removed(&mut self, name: &str) {
        self.before.remove(name);
        self.events.push(format!("removed sheet \"{name}\""));
    }

    /// Notes a change to the workbook's structure (a table added or
    /// removed) for the report.
    pub fn note(&mut self, event: String) {
        self.events.push(event);
    }

    /// Sheets and tables added, renamed and removed, in order.
    pub fn events(&self) -> &[String] {
        &self.events
    }

    /// Every cell of `wb` whose content differs from before the run, sheet
    /// by sheet in row-major order. A cell whose formula is unchanged shows
    /// its values; otherwise formulas show as `=...`.
    pub fn changes<'a>(&'a self, wb: &'a Workbook) -> impl Iterator<Item = Change> + 'a {
        self.differences(wb).map(|(sheet, addr, old, now)| {
            let formula_changed = !same_formula(&old.formula, &now.formula, addr);
            Change {
                sheet: sheet.to_string(),
                cell: addr.to_a1(),
                old: old.show(addr, formula_changed),
                new: now.show(addr, formula_changed),
            }
        })
    }

    /// How many cells [`ChangeLog::changes`] would list, without rendering
    /// them.
    pub fn count(&self, wb: &Workbook) -> usize {
        self.differences(wb).count()
    }

    fn differences<'a>(
        &'a self,
        wb: &'a Workbook,
    ) -> impl Iterator<Item = (&'a str, CellAddr, &'a Content, Content)> + 'a {
        wb.sheets.iter().flat_map(move |sheet| {
            let before = self.before.get(&sheet.name);
            sheet.changed_cells().iter().filter_map(move |&addr| {
                let old = before
                    .and_then(|cells| cells.get(&addr))
                    .unwrap_or(&Content::EMPTY);
                let cell = sheet.cell_or_empty(addr);
                if cell.value == old.value && same_formula(&cell.formula, &old.formula, addr) {
                    return None;
                }
                let now = Content {
                    value: cell.value.clone(),
                    formula: cell.formula.clone(),
                };
                Some((sheet.name.as_str(), addr, old, now))
            })
        })
    }
}

/// Whether two formulas of the cell at `addr` read the same there.
fn same_formula(a: &Option<Formula>, b: &Option<Formula>, addr: CellAddr) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || a.text_at(addr) == b.text_at(addr),
        (a, b) => a.is_none() && b.is_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Number;

    fn number(n: i64) -> Value {
        Value::Number(Number::from_i64(n))
    }

    #[test]
    fn only_cells_that_differ_from_before_are_listed() {
        let mut wb = Workbook::new();
        wb.add_sheet("Loan").unwrap();
        let (a1, a2, a3) = (
            CellAddr::new(0, 0),
            CellAddr::new(1, 0),
            CellAddr::new(2, 0),
        );
        let sheet = wb.sheet_mut("Loan").unwrap();
        sheet.load_cell(
            a1,
            crate::model::Cell {
                value: number(5),
                ..Default::default()
            },
        );
        // An edit made before the run is not the script's.
        sheet.set_value(a3, number(9));
        let mut log = ChangeLog::new(&wb);
        for (addr, v) in [(a1, number(6)), (a1, number(5)), (a2, number(7))] {
            log.remember(&wb.sheets[0], addr);
            wb.sheet_mut("Loan").unwrap().set_value(addr, v);
        }
        let listed: Vec<Change> = log.changes(&wb).collect();
        assert_eq!(
            listed,
            vec![Change {
                sheet: "Loan".into(),
                cell: "A2".into(),
                old: String::new(),
                new: "7".into(),
            }]
        );
        assert_eq!(log.count(&wb), 1);
    }

    #[test]
    fn a_changed_formula_shows_as_formula_and_renames_follow() {
        let mut wb = Workbook::new();
        wb.add_sheet("Loan").unwrap();
        let a1 = CellAddr::new(0, 0);
        wb.sheet_mut("Loan")
            .unwrap()
            .set_formula(a1, "1+1", number(2));
        wb.sheets[0].clear_changes();
        let mut log = ChangeLog::new(&wb);
        log.remember(&wb.sheets[0], a1);
        wb.sheet_mut("Loan").unwrap().set_value(a1, number(2));
        wb.sheet_mut("Loan").unwrap().name = "Credit".into();
        log.sheet_renamed("Loan", "Credit");
        let listed: Vec<Change> = log.changes(&wb).collect();
        assert_eq!(
            (
                listed[0].sheet.as_str(),
                listed[0].old.as_str(),
                listed[0].new.as_str()
            ),
            ("Credit", "=1+1", "2")
        );
        assert_eq!(log.events(), ["renamed sheet \"Loan\" to \"Credit\""]);
    }
}
