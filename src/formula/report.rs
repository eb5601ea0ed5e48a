//! What a recalculation reports, and the one wording of its warnings.
//!
//! The CLI (`recalc`, `eval`) and the script runtime both show the user
//! what a recalculation could not do; the sentences live here, beside the
//! report, so both say the same thing in the same words.

use crate::model::Workbook;
use std::collections::BTreeSet;

/// What a recalculation did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecalcReport {
    /// Formula cells computed.
    pub computed: usize,
    /// Function names the engine does not know (their cells are `#NAME?`).
    pub unknown_functions: BTreeSet<String>,
    /// Function names absent here (VBA, add-in or unknown functions)
    /// whose cells kept the value Excel saved in the file.
    pub kept_cached: BTreeSet<String>,
    /// Other workbooks formulas read (their link targets): their values
    /// are the ones Excel saved in this file.
    pub external_books: Vec<String>,
    /// Reference cycles, each as its cells (`Sheet1!A1`).
    pub cycles: Vec<Vec<String>>,
    /// Formulas that could not be parsed: (cell, message). Their cells
    /// keep the value they had.
    pub parse_errors: Vec<(String, String)>,
    /// Formulas whose evaluation failed inside sheetscript: (cell, what
    /// failed and what the cell shows instead).
    pub failures: Vec<(String, String)>,
    /// Formulas that read through a chain of more than
    /// [`super::eval::MAX_CHAIN`] formulas computed one inside another;
    /// they and the cells on the chain show `#CALC!`.
    pub too_deep: Vec<String>,
    /// Set when the run's deadline passed: the cell being computed then
    /// (or "the formula") and the time limit. The values are incomplete
    /// and must not be written.
    pub timed_out: Option<(String, std::time::Duration)>,
}

/// The one-line note that `count` formulas of `label` ("the workbook")
/// had no saved result and were computed; `None` when every formula had
/// one.
pub fn uncached_note(label: &str, count: usize) -> Option<String> {
    (count > 0).then(|| {
        format!(
            "{label}: {count} formula{} had no saved result (the file was written by a tool \
             that does not calculate); computed from the workbook's data",
            if count == 1 { "" } else { "s" }
        )
    })
}

/// Whether any formula of `wb` was saved without a result.
pub fn has_uncached_formulas(wb: &Workbook) -> bool {
    wb.sheets.iter().any(|s| {
        s.cells()
            .any(|(_, c)| c.formula.is_some() && c.value.is_empty())
    })
}

/// The warning for a formula cell whose evaluation failed inside
/// sheetscript; `what` says what failed and what the cell shows.
pub fn failure_warning(cell: &str, what: &str) -> String {
    format!("{cell}: {what}")
}

/// The warning for a formula that reads through a chain of formulas too
/// deep to compute one inside another.
pub fn too_deep_warning(cell: &str) -> String {
    format!(
        "{cell}: reads through more than {} formulas computed one inside another (a circular \
         reference that long, or a very long INDIRECT/OFFSET chain); it and the cells on the \
         chain show #CALC! rather than a value that may be stale",
        super::eval::MAX_CHAIN
    )
}

impl RecalcReport {
    /// The timeout error when the run was stopped by its deadline.
    pub fn check_time(&self) -> crate::Result<()> {
        match &self.timed_out {
            Some((what, limit)) => Err(super::engine::timeout_error(what, *limit)),
            None => Ok(()),
        }
    }

    /// The report's problems as one warning each, in the words every
    /// caller shows: unknown functions, reference cycles, chains too deep,
    /// failures inside sheetscript and formulas that could not be read.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for name in &self.unknown_functions {
            out.push(unknown_function_warning(name));
        }
        for name in &self.kept_cached {
            out.push(kept_cached_warning(name));
        }
        for book in &self.external_books {
            out.push(format!(
                "external workbook {book}: its values are the ones Excel saved in this file \
                 when the link was last refreshed (the workbook itself was not read)"
            ));
        }
        for cycle in &self.cycles {
            out.push(format!(
                "reference cycle (cells are #CIRC!): {}",
                cycle.join(" -> ")
            ));
        }
        for cell in &self.too_deep {
            out.push(too_deep_warning(cell));
        }
        for (cell, detail) in &self.failures {
            out.push(failure_warning(cell, detail));
        }
        for (cell, message) in &self.parse_errors {
            out.push(format!(
                "{cell}: formula not understood, value kept: {message}"
            ));
        }
        out
    }
}

/// One line per unknown function, so a script run that recalculates
/// several times says each function once.
fn unknown_function_warning(name: &str) -> String {
    format!("unknown function {name} (its cells are #NAME?)")
}

/// One line per function absent here whose cells kept Excel's values.
fn kept_cached_warning(name: &str) -> String {
    format!(
        "function {name} is not available here (a VBA, add-in or unknown function): its cells \
         keep the values Excel saved in the file"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_cover_every_problem_once_each() {
        let report = RecalcReport {
            computed: 3,
            unknown_functions: ["FOO".to_string(), "BAR".to_string()].into(),
            kept_cached: ["MYUDF".to_string()].into(),
            external_books: vec!["Rates.xlsx".into()],
            cycles: vec![vec!["Sheet1!A1".into(), "Sheet1!B1".into()]],
            parse_errors: vec![("Sheet1!C1".into(), "unexpected end".into())],
            failures: vec![("Sheet1!D1".into(), "x failed".into())],
            too_deep: vec!["Sheet1!E1".into()],
            timed_out: None,
        };
        let mut w = report.warnings();
        assert_eq!(w.len(), 8, "{w:?}");
        assert_eq!(w[0], "unknown function BAR (its cells are #NAME?)");
        assert_eq!(w[1], "unknown function FOO (its cells are #NAME?)");
        assert!(w
            .remove(2)
            .starts_with("function MYUDF is not available here"));
        assert!(w.remove(2).starts_with("external workbook Rates.xlsx: "));
        assert_eq!(
            w[2],
            "reference cycle (cells are #CIRC!): Sheet1!A1 -> Sheet1!B1"
        );
        assert!(w[3].starts_with("Sheet1!E1: reads through more than"));
        assert_eq!(w[4], "Sheet1!D1: x failed");
        assert_eq!(
            w[5],
            "Sheet1!C1: formula not understood, value kept: unexpected end"
        );
        assert!(RecalcReport::default().warnings().is_empty());
    }
}
