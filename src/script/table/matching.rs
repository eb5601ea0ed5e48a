//! Matching rows of tables by key (lookups, joins, reconciliation), with
//! keys compared as an accountant means them and weak matches reported.

use super::{find_name, normalize, Column, Table};
use crate::model::{Number, Value};
use crate::script::errors::ScriptResult;
use crate::script::values::{holds_numbers, key_of, value_date, value_kinds};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::rc::Rc;

/// Keys in first-seen order, and per key its value and summed amount.
type KeyTotals = (Vec<String>, HashMap<String, (Value, Number)>);

/// The outcome of matching two tables.
#[derive(Debug, Clone)]
pub struct Reconciliation {
    /// Keys on both sides whose amounts agree within the tolerance.
    pub matched: Table,
    /// Keys on both sides whose amounts differ by more.
    pub mismatched: Table,
    /// Rows of the first table whose key is not in the second.
    pub only_left: Table,
    /// Rows of the second table whose key is not in the first.
    pub only_right: Table,
    /// Set when far fewer keys matched than could have (see
    /// [`weak_match`]), for the run's warnings.
    pub warning: Option<String>,
}

/// The warning when matching two tables found none, or under half of
/// what it could have: `matched` of `total` rows or keys, where at most
/// `possible` could match (the smaller side). It names both key columns
/// and the kinds of value they hold, since keys of different kinds (a
/// code as text here, as a date there) are the usual reason.
pub fn weak_match(
    verb: &str,
    unit: &str,
    matched: usize,
    total: usize,
    possible: usize,
    (left, lkeys): (&Table, &[usize]),
    (right, rkeys): (&Table, &[usize]),
) -> Option<String> {
    if possible == 0 || matched * 2 >= possible {
        return None;
    }
    let side = |t: &Table, keys: &[usize]| -> String {
        keys.iter()
            .map(|&k| {
                let c = &t.columns[k];
                format!("{}.{} ({})", t.name, c.name, value_kinds(&c.values))
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    Some(format!(
        "{verb}: only {matched} of {total} {unit} matched on {} = {}",
        side(left, lkeys),
        side(right, rkeys)
    ))
}

impl Table {
    /// The match key of row `i` over the `keys` columns; `by_value[j]`
    /// says key `j` is matched by value (see [`key_of`]).
    pub(super) fn row_key(&self, keys: &[usize], by_value: &[bool], i: usize) -> Vec<String> {
        keys.iter()
            .zip(by_value)
            .map(|(&c, &b)| key_of(&self.columns[c].values[i], b))
            .collect()
    }

    /// For each pair of key columns, whether text is matched by value:
    /// where either column holds numbers, so both sides agree.
    fn by_value(&self, mine: &[usize], other: &Table, theirs: &[usize]) -> Vec<bool> {
        mine.iter()
            .zip(theirs)
            .map(|(&a, &b)| {
                holds_numbers(&self.columns[a].values) || holds_numbers(&other.columns[b].values)
            })
            .collect()
    }

    /// Index of key value -> first row, for joins. Rows whose keys are
    /// all empty are left out: a missing key matches nothing.
    fn key_index(&self, keys: &[usize], by_value: &[bool]) -> HashMap<Vec<String>, usize> {
        let mut map = HashMap::new();
        for i in 0..self.len {
            let k = self.row_key(keys, by_value, i);
            if k.iter().all(String::is_empty) {
                continue;
            }
            map.entry(k).or_insert(i);
        }
        map
    }

    /// Every row whose `key` column equals `value` as a key: numeric text
    /// equals the number, text ignores case and surrounding spaces.
    pub fn positions(&self, key: usize, value: &Value) -> Vec<usize> {
        let col = &self.columns[key].values;
        let by_value = matches!(value, Value::Number(_)) || holds_numbers(col);
        let want = key_of(value, by_value);
        (0..self.len)
            .filter(|&i| key_of(&col[i], by_value) == want)
            .collect()
    }

    /// The row whose `key` column equals `value` (first match), compared
    /// as [`Table::positions`] does.
    pub fn find(&self, key: usize, value: &Value) -> Option<usize> {
        let col = &self.columns[key].values;
        let by_value = matches!(value, Value::Number(_)) || holds_numbers(col);
        let want = key_of(value, by_value);
        col.iter().position(|v| key_of(v, by_value) == want)
    }

    /// [`Table::join`], with a warning when far fewer rows matched than
    /// could have (see [`weak_match`]).
    pub fn join_checked(
        &self,
        other: &Table,
        left: &[usize],
        right: &[usize],
        keep_unmatched: bool,
    ) -> (Table, Option<String>) {
        let by_value = self.by_value(left, other, right);
        let idx = other.key_index(right, &by_value);
        let mut picks = Vec::with_capacity(self.len);
        let mut found = Vec::with_capacity(self.len);
        let (mut keyed, mut matched) = (0, 0);
        for i in 0..self.len {
            let k = self.row_key(left, &by_value, i);
            let hit = if k.iter().all(String::is_empty) {
                None
            } else {
                keyed += 1;
                idx.get(&k)
            };
            match hit {
                Some(&j) => {
                    matched += 1;
                    picks.push(i);
                    found.push(Some(j));
                }
                None if keep_unmatched => {
                    picks.push(i);
                    found.push(None);
                }
                None => {}
            }
        }
        let warning = weak_match(
            if keep_unmatched { "join" } else { "inner_join" },
            "rows",
            matched,
            keyed,
            keyed.min(idx.len()),
            (self, left),
            (other, right),
        );
        let mut out = if picks.len() == self.len {
            self.clone()
        } else {
            self.pick(&picks)
        };
        let existing = out.names();
        for (j, col) in other.columns.iter().enumerate() {
            if right.contains(&j) {
                continue;
            }
            let values: Vec<Value> = found
                .iter()
                .map(|f| f.map(|r| col.values[r].clone()).unwrap_or_default())
                .collect();
            let mut name = col.name.clone();
            if find_name(&existing, &name).is_some() {
                name = format!("{} ({})", name, other.name);
            }
            out.columns.push(Column {
                name,
                values: Rc::new(values),
                origin: None,
                format: col.format.clone(),
                lineage: col.lineage.clone(),
            });
        }
        (out, warning)
    }

    /// Rows sorted by the date in `date_col`, for as-of lookups: (date,
    /// row), stable, so among rows of one date the table's last comes
    /// last. Empty dates are left out; a cell that is not a date (or a
    /// date text such as 2026-11-30 or 30.11.2026) is an error naming it.
    pub fn date_index(&self, date_col: usize) -> ScriptResult<Vec<(NaiveDate, usize)>> {
        let c = &self.columns[date_col];
        let mut out = Vec::with_capacity(self.len);
        for (i, v) in c.values.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let d = value_date(v).map_err(|e| e.at(c.locate(i)))?;
            out.push((d, i));
        }
        // Sorted once, so a whole column of dates is looked up by binary
        // search, whatever order the rates came in.
        out.sort_by_key(|&(d, _)| d);
        Ok(out)
    }

    /// Matches this table with `other` on a key column each, summing the
    /// amounts per key on each side, and sorts the keys into matched
    /// (difference within `tolerance`), mismatched, and missing on
    /// either side. Rows with an empty key count as missing.
    pub fn reconcile(
        &self,
        other: &Table,
        (lkey, rkey): (usize, usize),
        (lamt, ramt): (usize, usize),
        tolerance: Number,
    ) -> ScriptResult<Reconciliation> {
        // Text keys are taken by value where either side holds numbers
        // (see `key_of`).
        let by_value = self.by_value(&[lkey], other, &[rkey])[0];
        let totals = |t: &Table, key: usize, amt: usize| -> ScriptResult<KeyTotals> {
            let mut order = Vec::new();
            let mut sums: HashMap<String, (Value, Number)> = HashMap::new();
            let col = &t.columns[amt];
            for i in 0..t.len {
                let kv = &t.columns[key].values[i];
                if kv.is_empty() {
                    continue;
                }
                let k = key_of(kv, by_value);
                let n = col.number(i)?;
                match sums.get_mut(&k) {
                    Some(e) => e.1 = e.1 + n,
                    None => {
                        order.push(k.clone());
                        sums.insert(k, (kv.clone(), n));
                    }
                }
            }
            Ok((order, sums))
        };
        let (lorder, lsums) = totals(self, lkey, lamt)?;
        let (_, rsums) = totals(other, rkey, ramt)?;
        let lname = self.columns[lamt].name.clone();
        let mut rname = other.columns[ramt].name.clone();
        if normalize(&rname) == normalize(&lname) {
            rname = format!("{rname} ({})", other.name);
        }
        let names = vec![
            self.columns[lkey].name.clone(),
            lname,
            rname,
            "Difference".to_string(),
        ];
        let (mut matched, mut mismatched) = (Vec::new(), Vec::new());
        for k in &lorder {
            let (kv, l) = &lsums[k];
            if let Some((_, r)) = rsums.get(k) {
                let diff = *r - *l;
                let row = vec![
                    kv.clone(),
                    Value::Number(*l),
                    Value::Number(*r),
                    Value::Number(diff),
                ];
                if diff.abs() <= tolerance.abs() {
                    matched.push(row);
                } else {
                    mismatched.push(row);
                }
            }
        }
        let missing = |t: &Table, key: usize, there: &HashMap<String, (Value, Number)>| -> Table {
            let picks: Vec<usize> = (0..t.len)
                .filter(|&i| {
                    let v = &t.columns[key].values[i];
                    v.is_empty() || !there.contains_key(&key_of(v, by_value))
                })
                .collect();
            t.pick(&picks)
        };
        let warning = weak_match(
            "reconcile",
            "keys",
            matched.len() + mismatched.len(),
            lsums.len(),
            lsums.len().min(rsums.len()),
            (self, &[lkey]),
            (other, &[rkey]),
        );
        let amount = &self.columns[lamt];
        let fmt = amount.write_format().unwrap_or("currency").to_string();
        let mut out = Reconciliation {
            matched: Table::from_rows("Matched", names.clone(), matched),
            mismatched: Table::from_rows("Mismatched", names, mismatched),
            only_left: missing(self, lkey, &rsums),
            only_right: missing(other, rkey, &lsums),
            warning,
        };
        for t in [&mut out.matched, &mut out.mismatched] {
            t.columns[0].inherit_format(&self.columns[lkey]);
            for c in t.columns.iter_mut().skip(1) {
                c.format = Some(fmt.clone());
            }
        }
        Ok(out)
    }
}
