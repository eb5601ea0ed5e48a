//! Explaining a figure: the tree of what a cell's value depends on.
//!
//! `sheetscript explain FILE "Summary!B7"` and a script's
//! `explain("Summary!B7")` answer "why is this total 48,213.50?" without
//! Excel: the cell's formula and, below it, every cell, range, defined
//! name and table column it reads, each with its formula and its value as
//! Excel shows it, down to the typed-in constants. Ranges are summarised
//! (cells, numbers, text, empty, sum), lookups show which row or column
//! matched and which cell the value was taken from, and the conditional
//! aggregates (SUMIFS, COUNTIFS...) how many rows met their criteria.
//!
//! It lives beside the engine because it is the engine's dependency
//! knowledge turned outward: it reads the formulas' trees and evaluates
//! their parts in the cell's own context through the engine
//! (`engine/inspect.rs`), so a lookup's path is the one the calculation
//! took, never a second implementation of it. The work is split three
//! ways: `walk` builds the tree, `paths` traces lookups and criteria, and
//! `text` prints it; the tree itself ([`Explanation`]) is plain data that
//! serialises to the `--json` form.

mod paths;
#[cfg(test)]
mod tests;
mod text;
mod walk;

use super::Engine;
use crate::model::address::split_sheet_prefix;
use crate::model::{CellAddr, RangeAddr, Value, Workbook};
use crate::{Error, Result};
use serde::Serialize;

/// How far an explanation reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplainOptions {
    /// Levels of precedents shown below the cell (1: only what its
    /// formula reads directly).
    pub depth: usize,
    /// Precedents shown under any one node; the rest are counted.
    pub width: usize,
}

impl ExplainOptions {
    /// The depth when none is asked for.
    pub const DEFAULT_DEPTH: u16 = 4;
    /// The width when none is asked for.
    pub const DEFAULT_WIDTH: u16 = 8;
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            depth: usize::from(Self::DEFAULT_DEPTH),
            width: usize::from(Self::DEFAULT_WIDTH),
        }
    }
}

/// The most nodes one explanation holds, whatever the depth and width
/// asked for: a workbook whose every cell feeds the total must still give
/// an answer a person can read, in bounded time.
pub const MAX_NODES: usize = 2000;

/// The most cells one explanation counts in its ranges (and sums): past
/// it a range is named but not counted, so a tree of whole-column
/// references over a sheet of millions of rows still ends in seconds.
pub const MAX_CELLS_COUNTED: u64 = 50_000_000;

/// The explanation of one cell: its node and the tree below it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The cell explained, as `Sheet!A1`.
    pub target: String,
    /// The depth asked for.
    pub depth: usize,
    /// The width asked for.
    pub width: usize,
    /// The cell and, below it, what it depends on.
    pub root: Node,
    /// Precedents not shown because they lay below the depth.
    pub folded_by_depth: usize,
    /// Precedents not shown because a node had more than the width.
    pub folded_by_width: usize,
    /// Precedents not shown because the explanation reached
    /// [`MAX_NODES`].
    pub folded_by_limit: usize,
    /// The value the file saved for the cell, when it shows otherwise
    /// than the value computed now (set by [`Explanation::compare_saved`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saved: Option<Shown>,
}

impl Explanation {
    /// Notes the value `saved` in the file for the cell (read before the
    /// recalculation) when it shows otherwise than the value computed
    /// now: the user sees the saved one in Excel until it recalculates.
    pub fn compare_saved(&mut self, saved: &Value, workbook: &Workbook) {
        let Some(now) = &self.root.value else {
            return;
        };
        let (sheet, addr) = match target_cell(workbook, &self.target, None) {
            Ok(cell) => cell,
            Err(_) => return,
        };
        let style = workbook.sheets[sheet].cell_or_empty(addr).style;
        let shown = walk::shown(saved, &workbook.styles.get(style).number_format, workbook);
        if !saved.is_empty() && shown.shown != now.shown {
            self.saved = Some(shown);
        }
    }
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// One cell.
    Cell,
    /// A block of cells, summarised.
    Range,
    /// A value that is no cell of this workbook: a defined name holding a
    /// constant or a formula, a saved value of another workbook.
    Value,
}

/// One thing a formula reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// Cell, range or value.
    pub kind: NodeKind,
    /// How the formula named it, when not by address: a defined name
    /// (`AnnualRate`), a table column (`Invoices[Net]`), a computed
    /// reference (`OFFSET(A1,2,0)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `Sheet!A1` or `Sheet!A1:B9` (whole columns as `Sheet!A:A`); for a
    /// value node, the name or reference as written.
    pub address: String,
    /// The cell's formula with its `=`, or a defined name's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The value (a cell or value node).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Shown>,
    /// What a range holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeSummary>,
    /// A range left uncounted: the explanation had counted
    /// [`MAX_CELLS_COUNTED`] cells before it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub not_counted: bool,
    /// For a cell standing for the cells of a range that hold the same
    /// formula: how many others do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_formula_cells: Option<u64>,
    /// The formula cell whose array spilled into this cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spilled_from: Option<String>,
    /// For a cell of a legacy (Ctrl+Shift+Enter) array formula, the range
    /// it was entered over: its value is the formula's result fitted to
    /// that range, not a spill.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legacy_array: Option<String>,
    /// For a cell of a what-if data table: which table fills it, and the
    /// formula and input values it is computed with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_table: Option<String>,
    /// The lookups of the cell's formula, with the path each took.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lookups: Vec<LookupPath>,
    /// The conditional aggregates of the cell's formula, with how many
    /// rows met their criteria.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriteriaCount>,
    /// The choices (IF, IFERROR, IFNA) of the cell's formula, with the
    /// branch each took.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Already explained higher up; its precedents are not repeated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shown_above: bool,
    /// Being explained on the way here: the formulas read each other.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub circular: bool,
    /// Precedents not shown under this node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folded: Option<Folded>,
    /// What it reads, in the order its formula names them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// A value as Excel shows it and as it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    /// With the cell's number format (`580,850.16`, `21%`, `30.11.2026`).
    pub shown: String,
    /// Without it (`580850.164`, `0.21`, `2026-11-30`): exact, as text.
    pub raw: String,
    /// `number`, `text`, `logical`, `date`, `error` or `empty`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// What a range holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeSummary {
    /// Cells counted: the range, or for whole columns and rows the part
    /// up to the sheet's last used row or column.
    pub cells: u64,
    /// The part counted, when a whole column or row was cut at the
    /// sheet's used cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted: Option<String>,
    /// Numbers (dates included, as Excel counts them).
    pub numbers: u64,
    /// Text values.
    pub text: u64,
    /// TRUE or FALSE.
    pub logical: u64,
    /// Error values.
    pub errors: u64,
    /// Empty cells.
    pub empty: u64,
    /// Cells holding a formula.
    pub formulas: u64,
    /// The range's SUM, as its first number is formatted; absent when it
    /// holds no number and no error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<Shown>,
}

/// The path one lookup took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LookupPath {
    /// VLOOKUP, HLOOKUP, XLOOKUP, MATCH, XMATCH or INDEX.
    pub function: String,
    /// The value looked for (not for INDEX).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub looked_for: Option<Shown>,
    /// Where it was looked for: the first column of a VLOOKUP's table,
    /// the lookup array, INDEX's array.
    pub within: String,
    /// How it matched: `exact`, `approximate`, `wildcard`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The 1-based row or column found (for INDEX: the row and column
    /// asked for), absent when nothing matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// The cell where the match was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// The cell or range the result was taken from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taken: Option<String>,
    /// The lookup's result.
    pub result: Shown,
}

/// The branch a choice took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// IF, IFERROR or IFNA.
    pub function: String,
    /// What was tested, as written (`A1>0`, `B2/C2`).
    pub test: String,
    /// Its value (`TRUE`, `#DIV/0!`).
    pub value: Shown,
    /// The argument taken, as written.
    pub taken: String,
}

/// How many rows met a conditional aggregate's criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriteriaCount {
    /// SUMIFS, COUNTIFS, AVERAGEIFS, MAXIFS, MINIFS, SUMIF, COUNTIF or
    /// AVERAGEIF.
    pub function: String,
    /// Rows (cells) meeting every criterion, as COUNTIFS counts them; an
    /// error value when the criteria cannot be counted (ranges of
    /// different sizes).
    pub matched: String,
    /// Rows (cells) of the first criteria range.
    pub of: u64,
    /// What was counted: `rows` of a column, `columns` of a row, or
    /// `cells` of a block.
    pub unit: &'static str,
    /// Each criteria range and its criterion.
    pub conditions: Vec<Condition>,
}

/// One criteria range and its criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// The range, as an address (or as written when it is no range).
    pub range: String,
    /// The criterion's value.
    pub criterion: Shown,
}

/// Precedents left out under a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Folded {
    /// How many.
    pub count: usize,
    /// Why: the depth, the width or the explanation's node limit.
    pub by: FoldedBy,
}

/// Why precedents were left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoldedBy {
    /// The node is at the depth asked for.
    Depth,
    /// The node has more precedents than the width asked for.
    Width,
    /// The explanation reached [`MAX_NODES`].
    Limit,
}

/// Explains `target` (`Summary!B7`, `'Q1 2026'!C3`, `B7` on
/// `default_sheet` or the first sheet, or a defined name of one cell)
/// from the values of the engine's last recalculation: the caller
/// recalculates first. A target that is no cell of the workbook is a
/// usage error naming what is wrong.
pub fn explain(
    engine: &mut Engine,
    target: &str,
    default_sheet: Option<&str>,
    options: &ExplainOptions,
) -> Result<Explanation> {
    let (sheet, addr) = target_cell(engine.workbook(), target, default_sheet)?;
    walk::explain_cell(engine, sheet, addr, options, MAX_CELLS_COUNTED)
}

/// The cell (sheet index, address) `target` names, as [`explain`] reads
/// it; a target that is no cell of `wb` is a usage error naming what is
/// wrong.
pub fn target_cell(
    wb: &Workbook,
    target: &str,
    default_sheet: Option<&str>,
) -> Result<(usize, CellAddr)> {
    let text = target.trim();
    if text.is_empty() {
        return Err(Error::Usage(
            "explain needs a cell, such as Summary!B7".into(),
        ));
    }
    let sheet_index = |name: &str| {
        wb.sheet_index(name).ok_or_else(|| {
            Error::Usage(format!(
                "there is no sheet named \"{name}\" to explain {text} on; the sheets are {}",
                wb.sheet_names().join(", ")
            ))
        })
    };
    let (sheet, cell) = split_sheet_prefix(text);
    if let Some(addr) = CellAddr::parse(cell) {
        let index = match sheet.as_deref().or(default_sheet) {
            Some(name) => sheet_index(name)?,
            None => 0,
        };
        return Ok((index, addr));
    }
    if let Some(range) = RangeAddr::parse(cell) {
        return Err(Error::Usage(format!(
            "explain takes one cell, not the range {text}; name one of its cells, such as {}",
            range.start.to_a1()
        )));
    }
    // A defined name of one cell (`Payment`), as Excel's Name Box takes it.
    let scope = default_sheet.map(str::to_string).or(sheet.clone());
    if let Some(def) = wb.defined_name(cell, scope.as_deref()) {
        let (def_sheet, def_cell) = split_sheet_prefix(def.refers_to.trim_start_matches('='));
        if let (Some(name), Some(addr)) = (def_sheet, CellAddr::parse(def_cell)) {
            return Ok((sheet_index(&name)?, addr));
        }
        return Err(Error::Usage(format!(
            "the name {cell} refers to {}, not to one cell; explain takes one cell, such as Summary!B7",
            def.refers_to
        )));
    }
    Err(Error::Usage(format!(
        "\"{text}\" is not a cell: give one such as Summary!B7 (or B7 on the first sheet, or a defined name of one cell)"
    )))
}
