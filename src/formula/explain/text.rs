//! The explanation as text: one line per node, drawn as a tree, with the
//! lookup paths and criteria counts under the node they belong to.

use super::{
    Choice, CriteriaCount, Explanation, Folded, FoldedBy, LookupPath, Node, NodeKind, RangeSummary,
    Shown, MAX_CELLS_COUNTED, MAX_NODES,
};
use crate::model::{Number, Value};
use crate::numfmt::format_value;
use std::fmt::Write;

impl Explanation {
    /// The tree as lines of text, as `sheetscript explain` prints it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_node(&mut out, &self.root, "", "");
        let mut folded = Vec::new();
        if self.folded_by_depth > 0 {
            folded.push(format!(
                "{} below depth {} (--depth)",
                self.folded_by_depth, self.depth
            ));
        }
        if self.folded_by_width > 0 {
            folded.push(format!(
                "{} beyond width {} (--width)",
                self.folded_by_width, self.width
            ));
        }
        if self.folded_by_limit > 0 {
            folded.push(format!(
                "{} past the limit of {MAX_NODES} lines",
                self.folded_by_limit
            ));
        }
        if !folded.is_empty() {
            let _ = writeln!(out, "not shown: {}", folded.join(", "));
        }

        out
    }

    /// What to say when the file saved another value for the cell than
    /// the one computed now, if it did.
    pub fn saved_note(&self) -> Option<String> {
        let saved = self.saved.as_ref()?;
        Some(format!(
            "the file saved {} for {}, from its last calculation; the values here are computed now",
            saved.shown, self.target
        ))
    }

    /// Writes `node` after `first` (its branch), its notes and children
    /// after `rest` (the branch's continuation).
    fn write_node(&self, out: &mut String, node: &Node, first: &str, rest: &str) {
        let _ = writeln!(out, "{first}{}", node_line(node));
        let notes: Vec<String> = node
            .lookups
            .iter()
            .map(lookup_line)
            .chain(node.criteria.iter().map(criteria_line))
            .chain(node.choices.iter().map(choice_line))
            .collect();
        let more = !node.children.is_empty() || node.folded.is_some();
        let bar = if more { "│  " } else { "   " };
        for note in notes {
            let _ = writeln!(out, "{rest}{bar}{note}");
        }
        let last = node.children.len().saturating_sub(1);
        for (i, child) in node.children.iter().enumerate() {
            let end = i == last && node.folded.is_none();
            let (branch, cont) = if end {
                ("└─ ", "   ")
            } else {
                ("├─ ", "│  ")
            };
            self.write_node(
                out,
                child,
                &format!("{rest}{branch}"),
                &format!("{rest}{cont}"),
            );
        }
        if let Some(folded) = node.folded {
            let _ = writeln!(
                out,
                "{rest}└─ {}",
                self.folded_line(folded, node.children.is_empty())
            );
        }
    }

    fn folded_line(&self, folded: Folded, none_shown: bool) -> String {
        let Folded { count, by } = folded;
        let what = if count == 1 {
            "precedent"
        } else {
            "precedents"
        };
        let more = if none_shown { "" } else { "more " };
        match by {
            FoldedBy::Depth => format!("… {count} {what} below depth {}", self.depth),
            FoldedBy::Width => format!("… {count} {more}{what} beyond width {}", self.width),
            FoldedBy::Limit => {
                format!("… {count} {more}{what} past the limit of {MAX_NODES} lines")
            }
        }
    }
}

/// A node's own line: what it is, its value and formula.
fn node_line(node: &Node) -> String {
    let mut line = match &node.label {
        Some(label) => format!("{label} → {}", node.address),
        None => node.address.clone(),
    };
    match node.kind {
        NodeKind::Cell | NodeKind::Value => match &node.value {
            Some(v) if v.kind == "empty" => line.push_str(" is empty"),
            Some(v) => {
                let _ = write!(line, " = {}", v.shown);
            }
            None => {}
        },
        NodeKind::Range => {
            if let Some(summary) = &node.range {
                line.push_str(&range_text(summary));
            }
            if node.not_counted {
                let _ = write!(
                    line,
                    "   (not counted: the explanation has counted its limit of {} cells)",
                    count(MAX_CELLS_COUNTED)
                );
            }
        }
    }
    if let Some(formula) = &node.formula {
        let _ = write!(line, "   {formula}");
    }
    if let Some(others) = node.same_formula_cells {
        let _ = write!(
            line,
            "   (and {} more {} with this formula)",
            count(others),
            plural(others, "cell", "cells")
        );
    }
    match (&node.spilled_from, &node.legacy_array) {
        (Some(anchor), Some(range)) => {
            let _ = write!(
                line,
                "   part of the array formula at {anchor}, entered over {range}"
            );
        }
        (Some(anchor), None) => {
            let _ = write!(line, "   spilled from {anchor}");
        }
        _ => {}
    }
    if let Some(table) = &node.data_table {
        let _ = write!(line, "   {table}");
    }
    if node.shown_above {
        line.push_str("   (shown above)");
    }
    if node.circular {
        line.push_str("   (circular: it reads itself through the cells above)");
    }
    line
}

/// `, 40 cells (40 numbers), 40 formulas, sum 580,850.16`.
fn range_text(s: &RangeSummary) -> String {
    let mut out = String::new();
    if let Some(counted) = &s.counted {
        let _ = write!(out, " (counted to {counted})");
    }
    let _ = write!(
        out,
        ", {} {}",
        count(s.cells),
        plural(s.cells, "cell", "cells")
    );
    let parts: Vec<String> = [
        (s.numbers, "number", "numbers"),
        (s.text, "text", "text"),
        (s.logical, "logical", "logical"),
        (s.errors, "error", "errors"),
        (s.empty, "empty", "empty"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|&(n, one, many)| format!("{} {}", count(n), plural(n, one, many)))
    .collect();
    if !parts.is_empty() {
        let _ = write!(out, " ({})", parts.join(", "));
    }
    if s.formulas > 0 {
        let _ = write!(
            out,
            ", {} {}",
            count(s.formulas),
            plural(s.formulas, "formula", "formulas")
        );
    }
    if let Some(sum) = &s.sum {
        let _ = write!(out, ", sum {}", sum.shown);
    }
    out
}

/// A count as a person reads it: `100,001`.
fn count(n: u64) -> String {
    let n = Number::from_i64(i64::try_from(n).unwrap_or(i64::MAX));
    format_value(&Value::Number(n), "#,##0")
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// A value inside a sentence: text in quotes, so `"ACME"` and `ACME`
/// (a name) and `"5"` and `5` read apart.
fn quoted(v: &Shown) -> String {
    if v.kind == "text" {
        format!("\"{}\"", v.shown)
    } else if v.kind == "empty" {
        "an empty value".to_string()
    } else {
        v.shown.clone()
    }
}

/// `VLOOKUP: "Beta" found at row 4 of Customers!A2:A7 (exact) → Customers!C5 = 30`.
fn lookup_line(p: &LookupPath) -> String {
    let mode = p
        .mode
        .as_ref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    let mut line = format!("{}: ", p.function);
    match (&p.looked_for, &p.position) {
        (Some(v), Some(pos)) => {
            // An approximate match may be another value than the one
            // looked for.
            let verb = match p.mode.as_deref() {
                Some(m) if m.starts_with("exact") || m == "wildcard" => "found",
                _ => "matched",
            };
            let _ = write!(line, "{} {verb} at {pos} of {}{mode}", quoted(v), p.within);
        }
        (Some(v), None) => {
            let _ = write!(line, "{} not found in {}{mode}", quoted(v), p.within);
        }
        (None, Some(pos)) => {
            let _ = write!(line, "{pos} of {}", p.within);
        }
        (None, None) => {
            let _ = write!(line, "in {}", p.within);
        }
    }
    match &p.taken {
        Some(taken) => {
            let _ = write!(line, " → {taken} = {}", p.result.shown);
        }
        None => {
            let _ = write!(line, " → {}", p.result.shown);
        }
    }
    line
}

/// `SUMIFS: 12 of 40 rows meet Invoices!A2:A41 "ACME" and Invoices!G2:G41 "EUR"`.
fn criteria_line(c: &CriteriaCount) -> String {
    let conditions: Vec<String> = c
        .conditions
        .iter()
        .map(|k| format!("{} {}", k.range, quoted(&k.criterion)))
        .collect();
    // A count, or the error COUNTIFS gave.
    let matched = match c.matched.parse::<u64>() {
        Ok(n) => count(n),
        Err(_) => c.matched.clone(),
    };
    format!(
        "{}: {} of {} {} meet {}",
        c.function,
        matched,
        count(c.of),
        c.unit,
        conditions.join(" and ")
    )
}

/// `IF: A1>0 is TRUE → A2`.
fn choice_line(c: &Choice) -> String {
    format!(
        "{}: {} is {} → {}",
        c.function,
        c.test,
        quoted(&c.value),
        c.taken
    )
}
