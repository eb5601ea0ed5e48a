//! What-if data tables (Data > What-If Analysis > Data Table): Excel fills
//! each cell of the table by giving the table's input cells the values
//! heading the cell's row and column, recalculating, and taking the
//! formula's result; the input cells then get their own values back.
//! Excel recalculates data tables whenever the sheet is recalculated, so
//! the engine fills them at the end of every recalculation that computed
//! anything.

use super::Engine;
use crate::model::{CellAddr, DataTable, Value};

/// The most table cells filled in one recalculation: each costs a
/// recalculation of what the input cells reach.
const MAX_TABLE_CELLS: u64 = 100_000;

impl Engine {
    /// Whether any sheet has a data table (a read that follows a change
    /// then recalculates to fill them, even when no formula is dirty).
    pub(super) fn has_data_tables(&self) -> bool {
        self.wb.sheets.iter().any(|s| !s.data_tables.is_empty())
    }

    /// A cell of a data table cannot change alone, as in Excel ("Cannot
    /// change part of a data table"): the next recalculation would fill
    /// it again, writing over what the script put there.
    pub(super) fn refuse_part_of_data_table(&self, s: usize, addr: CellAddr) -> crate::Result<()> {
        match self.wb.sheets[s]
            .data_tables
            .iter()
            .find(|t| t.range.contains(addr))
        {
            Some(table) => Err(crate::Error::Usage(format!(
                "{} is part of the what-if data table {}: Excel cannot change part of a \
                 data table, whose cells it fills itself; change its headings or input cells",
                super::cell_name(&self.wb, s, addr),
                table.range
            ))),
            None => Ok(()),
        }
    }

    /// Fills every data table of the workbook, in sheet and file order.
    pub(super) fn compute_data_tables(&mut self, now: chrono::NaiveDateTime) {
        let tables: Vec<(usize, DataTable)> = self
            .wb
            .sheets
            .iter()
            .enumerate()
            .flat_map(|(s, sheet)| sheet.data_tables.iter().map(move |t| (s, t.clone())))
            .collect();
        // The trials are no formulas of the workbook computed.
        let computed = self.run.computed;
        let mut budget = MAX_TABLE_CELLS;
        for (s, table) in tables {
            if self.run.timed_out.is_some() {
                break;
            }
            let cells = u64::from(table.range.rows()) * u64::from(table.range.cols());
            if cells > budget {
                self.run.failures.push((
                    s,
                    table.range.start,
                    format!(
                        "the data table {} is not filled: the workbook's data tables hold \
                         more than {MAX_TABLE_CELLS} cells, each a recalculation; its cells \
                         keep their values",
                        table.range
                    ),
                ));
                continue;
            }
            budget -= cells;
            self.fill_data_table(s, &table, now);
        }
        self.run.computed = computed;
    }

    fn fill_data_table(&mut self, s: usize, table: &DataTable, now: chrono::NaiveDateTime) {
        let inputs: Vec<CellAddr> = [table.row_input, table.column_input]
            .into_iter()
            .flatten()
            .collect();
        if inputs.is_empty() || table.sources(table.range.start).is_none() {
            // The reader named the table as not computed.
            return;
        }
        for &input in &inputs {
            let holds_formula = self.wb.sheets[s]
                .cell(input)
                .is_some_and(|c| c.formula.is_some());
            if holds_formula || table.range.contains(input) {
                self.run.failures.push((
                    s,
                    table.range.start,
                    format!(
                        "the data table {} is not filled: its input cell {input} {}; its \
                         cells keep their values",
                        table.range,
                        if holds_formula {
                            "holds a formula"
                        } else {
                            "lies inside the table"
                        }
                    ),
                ));
                return;
            }
        }
        let saved: Vec<(CellAddr, Value, bool)> = inputs
            .iter()
            .map(|&a| {
                let sheet = &self.wb.sheets[s];
                (
                    a,
                    sheet.value(a).clone(),
                    sheet.changed_cells().contains(&a),
                )
            })
            .collect();
        let mut results = Vec::with_capacity(
            (u64::from(table.range.rows()) * u64::from(table.range.cols())) as usize,
        );
        'cells: for row in table.range.start.row..=table.range.end.row {
            for col in table.range.start.col..=table.range.end.col {
                let cell = CellAddr::new(row, col);
                let Some((formula, row_value, column_value)) = table.sources(cell) else {
                    break 'cells;
                };
                for (input, heading) in [
                    (table.row_input, row_value),
                    (table.column_input, column_value),
                ] {
                    if let (Some(input), Some(heading)) = (input, heading) {
                        let value = self.wb.sheets[s].value(heading).clone();
                        self.wb.sheets[s].set_value(input, value);
                        self.pending.push((s, input));
                    }
                }
                self.compute_pending(now);
                if self.run.timed_out.is_some() {
                    break 'cells;
                }
                results.push((cell, self.wb.sheets[s].value(formula).clone()));
            }
        }
        for (input, value, was_changed) in saved {
            self.wb.sheets[s].restore_value(input, value, was_changed);
            self.pending.push((s, input));
        }
        if self.run.timed_out.is_none() {
            for (cell, value) in results {
                self.wb.sheets[s].set_value(cell, value);
                self.pending.push((s, cell));
            }
        }
        self.compute_pending(now);
    }
}
