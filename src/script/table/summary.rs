//! Summaries over rows: group-by aggregates and pivots, one row per key.

use super::{Column, Origin, Table};
use crate::model::{Number, Value};
use crate::script::collation::compare_values;
use crate::script::errors::{ScriptError, ScriptResult};
use crate::script::values::{holds_numbers, key_of};
use std::collections::HashMap;
use std::rc::Rc;

/// A group-by summary: `sum Net`, `count`, `average Net as Mean`.
#[derive(Debug, Clone)]
pub struct Aggregate {
    op: AggOp,
    column: Option<usize>,
    title: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AggOp {
    Sum,
    Count,
    Average,
    Min,
    Max,
}

impl Table {
    /// Parses an aggregate such as `sum Net`, `count`, `max Due Date as
    /// Latest`.
    pub fn aggregate(&self, spec: &str) -> ScriptResult<Aggregate> {
        let (body, alias) = match spec.rsplit_once(" as ") {
            Some((b, a)) => (b.trim(), Some(a.trim().to_string())),
            None => (spec.trim(), None),
        };
        let (op_word, rest) = body.split_once(' ').unwrap_or((body, ""));
        let op = match op_word.to_lowercase().as_str() {
            "sum" => AggOp::Sum,
            "count" => AggOp::Count,
            "average" | "avg" | "mean" => AggOp::Average,
            "min" => AggOp::Min,
            "max" => AggOp::Max,
            _ => return Err(ScriptError::NotASummary(spec.to_string())),
        };
        let rest = rest.trim();
        let column = if rest.is_empty() {
            if op != AggOp::Count {
                return Err(ScriptError::SummaryNeedsColumn {
                    spec: spec.to_string(),
                    op: op_word.to_string(),
                });
            }
            None
        } else {
            Some(self.index(rest)?)
        };
        let title = alias.unwrap_or_else(|| match column {
            Some(c) if op == AggOp::Sum => self.columns[c].name.clone(),
            Some(c) => format!("{} {}", capitalize(op_word), self.columns[c].name),
            None => "Count".to_string(),
        });
        Ok(Aggregate { op, column, title })
    }

    /// One row per distinct key combination (sorted by the keys), with
    /// the key columns then one column per aggregate.
    pub fn group(&self, keys: &[usize], aggs: &[Aggregate]) -> ScriptResult<Table> {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        // A key column holding numbers groups numeric text with the
        // number of the same value, as a match would.
        let by_value: Vec<bool> = keys
            .iter()
            .map(|&c| holds_numbers(&self.columns[c].values))
            .collect();
        for i in 0..self.len {
            let k = self.row_key(keys, &by_value, i);
            let g = *index.entry(k).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let mut names: Vec<String> = keys.iter().map(|&k| self.columns[k].name.clone()).collect();
        names.extend(aggs.iter().map(|a| a.title.clone()));
        let mut rows = Vec::with_capacity(groups.len());
        for members in &groups {
            let mut row: Vec<Value> = keys
                .iter()
                .map(|&k| self.columns[k].values[members[0]].clone())
                .collect();
            for a in aggs {
                row.push(self.summarise(a, members)?);
            }
            rows.push(row);
        }
        let mut out = Table::from_rows(&self.name, names, rows);
        for (j, &k) in keys.iter().enumerate() {
            out.columns[j].inherit_format(&self.columns[k]);
        }
        for (j, a) in aggs.iter().enumerate() {
            if let (Some(c), true) = (a.column, a.op != AggOp::Count) {
                out.columns[keys.len() + j].inherit_format(&self.columns[c]);
            }
        }
        let order: Vec<(usize, bool)> = (0..keys.len()).map(|k| (k, false)).collect();
        Ok(out.sorted(&order))
    }

    fn summarise(&self, a: &Aggregate, members: &[usize]) -> ScriptResult<Value> {
        let Some(c) = a.column else {
            return Ok(Value::Number(Number::from_i64(members.len() as i64)));
        };
        let col = &self.columns[c];
        let sub = Column {
            values: Rc::new(members.iter().map(|&i| col.values[i].clone()).collect()),
            origin: col.origin.as_ref().map(|o| Origin {
                rows: Rc::new(members.iter().map(|&i| o.rows[i]).collect()),
                ..o.clone()
            }),
            ..col.clone()
        };
        Ok(match a.op {
            AggOp::Sum => Value::Number(sub.sum()?),
            AggOp::Count => Value::Number(Number::from_i64(sub.count() as i64)),
            AggOp::Average => Value::Number(sub.average()?),
            AggOp::Min => sub.extreme(false)?,
            AggOp::Max => sub.extreme(true)?,
        })
    }

    /// A cross table: one row per distinct `rows` key, one column per
    /// distinct value of the `across` column (in `order` when given, else
    /// sorted), each cell the summary of the matching rows (0 for `sum`
    /// and `count` where none match, empty otherwise), and a Total column
    /// for `sum` and `count`.
    pub fn pivot(
        &self,
        rows: &[usize],
        across: usize,
        agg: &Aggregate,
        order: Option<&[Value]>,
    ) -> ScriptResult<Table> {
        let across_values = &self.columns[across].values;
        let across_by_value = holds_numbers(across_values) || order.is_some_and(holds_numbers);
        let heads: Vec<Value> = match order {
            Some(o) => o.to_vec(),
            None => {
                let mut seen: Vec<Value> = Vec::new();
                let mut keys = std::collections::HashSet::new();
                for v in across_values.iter() {
                    if keys.insert(key_of(v, across_by_value)) {
                        seen.push(v.clone());
                    }
                }
                seen.sort_by(compare_values);
                seen
            }
        };
        let head_index: HashMap<String, usize> = heads
            .iter()
            .enumerate()
            .map(|(i, v)| (key_of(v, across_by_value), i))
            .collect();
        let rows_by_value: Vec<bool> = rows
            .iter()
            .map(|&c| holds_numbers(&self.columns[c].values))
            .collect();
        let mut groups: Vec<(Vec<usize>, Vec<Vec<usize>>)> = Vec::new();
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        for i in 0..self.len {
            let Some(&h) = head_index.get(&key_of(&across_values[i], across_by_value)) else {
                let v = &self.columns[across].values[i];
                return Err(ScriptError::PivotValueNotListed {
                    cell: self.columns[across].locate(i),
                    value: v.to_string(),
                });
            };
            let k = self.row_key(rows, &rows_by_value, i);
            let g = match index.get(&k) {
                Some(&g) => g,
                None => {
                    // Each new row holds a list per column: distinct keys
                    // on every row both ways would be quadratic.
                    let width = rows.len() + heads.len() + 1;
                    let cells = (groups.len() as u64 + 1) * width as u64;
                    if cells > crate::script::book::MAX_RANGE_CELLS {
                        return Err(ScriptError::PivotTooLarge {
                            rows: groups.len() + 1,
                            columns: width,
                            limit: crate::script::book::MAX_RANGE_CELLS,
                        });
                    }
                    groups.push((Vec::new(), vec![Vec::new(); heads.len()]));
                    index.insert(k, groups.len() - 1);
                    groups.len() - 1
                }
            };
            groups[g].0.push(i);
            groups[g].1[h].push(i);
        }
        let additive = matches!(agg.op, AggOp::Sum | AggOp::Count);
        let mut names: Vec<String> = rows.iter().map(|&k| self.columns[k].name.clone()).collect();
        names.extend(heads.iter().map(|h| h.to_string()));
        if additive {
            names.push("Total".into());
        }
        let mut out_rows = Vec::with_capacity(groups.len());
        for (all, cells) in &groups {
            let mut row: Vec<Value> = rows
                .iter()
                .map(|&k| self.columns[k].values[all[0]].clone())
                .collect();
            for members in cells {
                row.push(if members.is_empty() && !additive {
                    Value::Empty
                } else {
                    self.summarise(agg, members)?
                });
            }
            if additive {
                row.push(self.summarise(agg, all)?);
            }
            out_rows.push(row);
        }
        let mut out = Table::from_rows(&self.name, names, out_rows);
        if let (Some(c), true) = (agg.column, agg.op != AggOp::Count) {
            for col in out.columns.iter_mut().skip(rows.len()) {
                col.inherit_format(&self.columns[c]);
            }
        }
        let keys: Vec<(usize, bool)> = (0..rows.len()).map(|k| (k, false)).collect();
        Ok(out.sorted(&keys))
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}
