//! Tables in a script: a block of rows under a header row, held column by
//! column so column-wide arithmetic, grouping and matching run in Rust
//! rather than in the interpreter.

use super::book::{cell_ref, Book, SheetId};
use super::collation::compare_values;
use super::suggest::unknown;
use super::values::{match_key, value_number};
use crate::model::{CellAddr, Number, RangeAddr, Sheet, Value};
use std::collections::HashMap;
use std::rc::Rc;

/// Where a column's values came from, for messages that name the cell
/// (`Invoices!E17`) and for writing results back in place.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Sheet name.
    pub sheet: Rc<str>,
    /// Zero-based sheet column.
    pub col: u32,
    /// Zero-based sheet row of each value.
    pub rows: Rc<Vec<u32>>,
}

/// One column: a name, its values, and where they came from.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text.
    pub name: String,
    /// Values top to bottom (shared until changed).
    pub values: Rc<Vec<Value>>,
    /// The sheet cells the values were read from, if any.
    pub origin: Option<Origin>,
    /// Number format to apply when the column is written (`currency`,
    /// `percent`, `date` or an Excel code).
    pub format: Option<String>,
}

impl Column {
    /// A computed column with no sheet origin.
    pub fn new(name: impl Into<String>, values: Vec<Value>) -> Column {
        Column {
            name: name.into(),
            values: Rc::new(values),
            origin: None,
            format: None,
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the column has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Where value `i` lives, for messages.
    pub fn locate(&self, i: usize) -> String {
        match &self.origin {
            Some(o) => cell_ref(&o.sheet, CellAddr::new(o.rows[i], o.col)),
            None => format!("row {} of column \"{}\"", i + 1, self.name),
        }
    }

    /// Value `i` as a number, with the cell named on failure.
    pub fn number(&self, i: usize) -> Result<Number, String> {
        value_number(&self.values[i]).map_err(|e| format!("{}: {e}", self.locate(i)))
    }

    /// The column with its values replaced, keeping where it came from.
    pub fn with_values(&self, values: Vec<Value>) -> Column {
        Column {
            values: Rc::new(values),
            ..self.clone()
        }
    }

    /// Sum of the numbers (empty cells count as zero; text is an error).
    pub fn sum(&self) -> Result<Number, String> {
        (0..self.len()).try_fold(Number::ZERO, |acc, i| Ok(acc + self.number(i)?))
    }

    /// Number of non-empty values.
    pub fn count(&self) -> usize {
        self.values.iter().filter(|v| !v.is_empty()).count()
    }

    /// Mean of the non-empty values.
    pub fn average(&self) -> Result<Number, String> {
        let n = self.count();
        if n == 0 {
            return Err(format!("column \"{}\" has no values to average", self.name));
        }
        let sum = self.sum()?;
        sum.checked_div(Number::from_i64(n as i64))
            .ok_or_else(|| "the average is out of range".to_string())
    }

    /// Smallest (`max == false`) or largest non-empty value, in Excel's
    /// order (dates stay dates).
    pub fn extreme(&self, max: bool) -> Result<Value, String> {
        for i in 0..self.len() {
            if matches!(
                self.values[i],
                Value::Text(_) | Value::Bool(_) | Value::Error(_)
            ) {
                self.number(i)?;
            }
        }
        let it = self.values.iter().filter(|v| !v.is_empty());
        let best = if max {
            it.max_by(|a, b| compare_values(a, b))
        } else {
            it.min_by(|a, b| compare_values(a, b))
        };
        Ok(best.cloned().unwrap_or_default())
    }
}

/// An arithmetic operator applied value by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl Op {
    fn apply(self, a: Number, b: Number) -> Option<Number> {
        match self {
            Op::Add => Some(a + b),
            Op::Sub => Some(a - b),
            Op::Mul => Some(a * b),
            Op::Div => a.checked_div(b),
        }
    }
}

/// One side of a column operation.
pub enum Operand<'a> {
    /// A whole column.
    Col(&'a Column),
    /// One number for every row.
    Scalar(Number),
}

impl Operand<'_> {
    fn get(&self, i: usize) -> Result<Number, String> {
        match self {
            Operand::Col(c) => c.number(i),
            Operand::Scalar(n) => Ok(*n),
        }
    }
}

/// `a op b` value by value; a scalar applies to every row.
pub fn arith(a: Operand, op: Op, b: Operand) -> Result<Column, String> {
    let (len, name) = match (&a, &b) {
        (Operand::Col(x), Operand::Col(y)) => {
            if x.len() != y.len() {
                return Err(format!(
                    "columns \"{}\" ({} rows) and \"{}\" ({} rows) differ in length",
                    x.name,
                    x.len(),
                    y.name,
                    y.len()
                ));
            }
            (x.len(), x.name.clone())
        }
        (Operand::Col(x), _) | (_, Operand::Col(x)) => (x.len(), x.name.clone()),
        _ => (0, String::new()),
    };
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        let (x, y) = (a.get(i)?, b.get(i)?);
        match op.apply(x, y) {
            Some(n) => out.push(Value::Number(n)),
            None => {
                let at = match &b {
                    Operand::Col(c) => c.locate(i),
                    Operand::Scalar(_) => format!("row {}", i + 1),
                };
                return Err(format!("{at}: division by zero"));
            }
        }
    }
    Ok(Column::new(name, out))
}

/// Rounds every number; empty cells stay empty.
pub fn round_column(c: &Column, digits: i32, bankers: bool) -> Result<Column, String> {
    let mut out = Vec::with_capacity(c.len());
    for (i, v) in c.values.iter().enumerate() {
        out.push(match v {
            Value::Empty => Value::Empty,
            _ => {
                let n = c.number(i)?;
                Value::Number(if bankers {
                    n.round_with(digits, rust_decimal::RoundingStrategy::MidpointNearestEven)
                } else {
                    n.round_half_away(digits)
                })
            }
        })
    }
    Ok(Column {
        name: c.name.clone(),
        values: Rc::new(out),
        origin: None,
        format: c.format.clone(),
    })
}

/// Header text reduced for forgiving matching: `VAT Rate`, `vat_rate`
/// and `VATRATE` all match.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A table: named columns of equal length.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table's name (Excel table name, or the sheet it came from).
    pub name: String,
    /// Columns left to right.
    pub columns: Vec<Column>,
    /// Number of rows.
    pub len: usize,
    /// Sheet and zero-based row of the header, when read from a sheet.
    pub home: Option<Home>,
}

/// Where a table read from a sheet lives, for writing it back.
#[derive(Debug, Clone)]
pub struct Home {
    /// The sheet's name when the table was read (its columns' origins
    /// carry the same name).
    pub sheet: Rc<str>,
    /// The sheet itself, which the script may have renamed since.
    pub sheet_id: SheetId,
    /// Zero-based row of the header.
    pub header_row: u32,
}

/// One row of a table, with fields by header. It shares the table's
/// columns rather than copying its values, so walking 100k rows in a
/// closure copies nothing; later changes to the table do not show in it.
#[derive(Debug, Clone)]
pub struct Row {
    /// Column names.
    pub names: Rc<Vec<String>>,
    columns: Rc<Vec<Rc<Vec<Value>>>>,
    /// Zero-based position in the table.
    pub index: usize,
}

impl Row {
    /// The value in column `j`.
    pub fn get(&self, j: usize) -> &Value {
        &self.columns[j][self.index]
    }

    /// The values in column order.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.columns.iter().map(|c| &c[self.index])
    }

    /// Position of a field by name (exact, then forgiving).
    pub fn field(&self, name: &str) -> Result<usize, String> {
        find_name(&self.names, name).ok_or_else(|| {
            let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
            unknown("column", name, &names)
        })
    }
}

fn find_name(names: &[String], wanted: &str) -> Option<usize> {
    names.iter().position(|n| n == wanted).or_else(|| {
        let w = normalize(wanted);
        names.iter().position(|n| normalize(n) == w)
    })
}

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
}

impl Table {
    /// The table in `range` of `sheet`: its first row is the header, the
    /// rest are the rows. Read column by column, as the table holds them.
    pub fn from_sheet(name: &str, sheet: &Sheet, sheet_id: SheetId, range: RangeAddr) -> Table {
        let header_row = range.start.row;
        let rows: Rc<Vec<u32>> = Rc::new((header_row + 1..=range.end.row).collect());
        let sheet_name: Rc<str> = sheet.name.as_str().into();
        let columns = (range.start.col..=range.end.col)
            .map(|col| {
                let name = match sheet.value(CellAddr::new(header_row, col)) {
                    Value::Empty => crate::model::address::column_letters(col),
                    other => other.to_string().trim().to_string(),
                };
                let values = rows
                    .iter()
                    .map(|&r| sheet.value(CellAddr::new(r, col)).clone())
                    .collect();
                Column {
                    name,
                    values: Rc::new(values),
                    origin: Some(Origin {
                        sheet: sheet_name.clone(),
                        col,
                        rows: rows.clone(),
                    }),
                    format: None,
                }
            })
            .collect();
        Table {
            name: name.to_string(),
            columns,
            len: rows.len(),
            home: Some(Home {
                sheet: sheet_name,
                sheet_id,
                header_row,
            }),
        }
    }

    /// A new table from names and rows of values.
    pub fn from_rows(name: &str, names: Vec<String>, rows: Vec<Vec<Value>>) -> Table {
        let len = rows.len();
        let columns = names
            .into_iter()
            .enumerate()
            .map(|(j, n)| {
                Column::new(
                    n,
                    rows.iter()
                        .map(|r| r.get(j).cloned().unwrap_or_default())
                        .collect(),
                )
            })
            .collect();
        Table {
            name: name.to_string(),
            columns,
            len,
            home: None,
        }
    }

    /// Column names in order.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// Position of a column (exact name, then case/space-insensitive), or
    /// a message listing the columns and the closest match.
    pub fn index(&self, name: &str) -> Result<usize, String> {
        let names = self.names();
        find_name(&names, name).ok_or_else(|| {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("table {}: {}", self.name, unknown("column", name, &names))
        })
    }

    /// A column by name.
    pub fn column(&self, name: &str) -> Result<&Column, String> {
        Ok(&self.columns[self.index(name)?])
    }

    /// Replaces a column's values (keeping where it is written), or adds
    /// a new column at the right.
    pub fn set_column(&mut self, name: &str, col: Column) -> Result<(), String> {
        if col.len() != self.len && !(self.columns.is_empty() && self.len == 0) {
            return Err(format!(
                "column \"{}\" has {} values but table {} has {} rows",
                name,
                col.len(),
                self.name,
                self.len
            ));
        }
        if self.columns.is_empty() {
            self.len = col.len();
        }
        match find_name(&self.names(), name) {
            Some(i) => {
                let keep = &mut self.columns[i];
                keep.values = col.values;
                if col.format.is_some() {
                    keep.format = col.format;
                }
            }
            None => self.columns.push(Column {
                name: name.to_string(),
                values: col.values,
                origin: None,
                format: col.format,
            }),
        }
        Ok(())
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> Row {
        Row {
            names: Rc::new(self.names()),
            columns: self.shared_columns(),
            index: i,
        }
    }

    /// Every row, top to bottom.
    pub fn rows(&self) -> Vec<Row> {
        let names = Rc::new(self.names());
        let columns = self.shared_columns();
        (0..self.len)
            .map(|i| Row {
                names: names.clone(),
                columns: columns.clone(),
                index: i,
            })
            .collect()
    }

    fn shared_columns(&self) -> Rc<Vec<Rc<Vec<Value>>>> {
        Rc::new(self.columns.iter().map(|c| c.values.clone()).collect())
    }

    /// The rows at `picks`, in that order (filtering and sorting).
    pub fn pick(&self, picks: &[usize]) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|c| {
                let values = picks.iter().map(|&i| c.values[i].clone()).collect();
                let origin = c.origin.as_ref().map(|o| Origin {
                    sheet: o.sheet.clone(),
                    col: o.col,
                    rows: Rc::new(picks.iter().map(|&i| o.rows[i]).collect()),
                });
                Column {
                    name: c.name.clone(),
                    values: Rc::new(values),
                    origin,
                    format: c.format.clone(),
                }
            })
            .collect();
        Table {
            name: self.name.clone(),
            columns,
            len: picks.len(),
            home: self.home.clone(),
        }
    }

    /// Sorted by the columns in `keys` (`true` = descending), stable.
    pub fn sorted(&self, keys: &[(usize, bool)]) -> Table {
        let mut order: Vec<usize> = (0..self.len).collect();
        order.sort_by(|&a, &b| {
            for &(k, desc) in keys {
                let c = &self.columns[k].values;
                let o = compare_values(&c[a], &c[b]);
                let o = if desc { o.reverse() } else { o };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        self.pick(&order)
    }

    /// Only the named columns, in that order.
    pub fn select(&self, names: &[String]) -> Result<Table, String> {
        let mut columns = Vec::new();
        for n in names {
            columns.push(self.columns[self.index(n)?].clone());
        }
        Ok(Table {
            columns,
            ..self.clone()
        })
    }

    /// Parses an aggregate such as `sum Net`, `count`, `max Due Date as
    /// Latest`.
    pub fn aggregate(&self, spec: &str) -> Result<Aggregate, String> {
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
            _ => {
                return Err(format!(
                    "\"{spec}\" is not a summary; write e.g. \"sum Net\", \"count\", \"average Net\", \"min Due Date\", \"max Net as Largest\""
                ))
            }
        };
        let rest = rest.trim();
        let column = if rest.is_empty() {
            if op != AggOp::Count {
                return Err(format!("\"{spec}\" needs a column, e.g. \"{op_word} Net\""));
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
    pub fn group(&self, keys: &[usize], aggs: &[Aggregate]) -> Result<Table, String> {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        for i in 0..self.len {
            let k: Vec<String> = keys
                .iter()
                .map(|&c| match_key(&self.columns[c].values[i]))
                .collect();
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
            out.columns[j].format = self.columns[k].format.clone();
        }
        for (j, a) in aggs.iter().enumerate() {
            if let (Some(c), true) = (a.column, a.op != AggOp::Count) {
                out.columns[keys.len() + j].format = self.columns[c].format.clone();
            }
        }
        let order: Vec<(usize, bool)> = (0..keys.len()).map(|k| (k, false)).collect();
        Ok(out.sorted(&order))
    }

    fn summarise(&self, a: &Aggregate, members: &[usize]) -> Result<Value, String> {
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
    ) -> Result<Table, String> {
        let heads: Vec<Value> = match order {
            Some(o) => o.to_vec(),
            None => {
                let mut seen: Vec<Value> = Vec::new();
                let mut keys = std::collections::HashSet::new();
                for v in self.columns[across].values.iter() {
                    if keys.insert(match_key(v)) {
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
            .map(|(i, v)| (match_key(v), i))
            .collect();
        let mut groups: Vec<(Vec<usize>, Vec<Vec<usize>>)> = Vec::new();
        let mut index: HashMap<Vec<String>, usize> = HashMap::new();
        for i in 0..self.len {
            let Some(&h) = head_index.get(&match_key(&self.columns[across].values[i])) else {
                let v = &self.columns[across].values[i];
                return Err(format!(
                    "pivot: {} holds \"{v}\", which is not among the columns given",
                    self.columns[across].locate(i)
                ));
            };
            let k: Vec<String> = rows
                .iter()
                .map(|&c| match_key(&self.columns[c].values[i]))
                .collect();
            let g = *index.entry(k).or_insert_with(|| {
                groups.push((Vec::new(), vec![Vec::new(); heads.len()]));
                groups.len() - 1
            });
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
                col.format = self.columns[c].format.clone();
            }
        }
        let keys: Vec<(usize, bool)> = (0..rows.len()).map(|k| (k, false)).collect();
        Ok(out.sorted(&keys))
    }

    /// Index of key value -> first row, for lookups and joins.
    fn key_index(&self, keys: &[usize]) -> HashMap<Vec<String>, usize> {
        let mut map = HashMap::new();
        for i in 0..self.len {
            let k: Vec<String> = keys
                .iter()
                .map(|&c| match_key(&self.columns[c].values[i]))
                .collect();
            map.entry(k).or_insert(i);
        }
        map
    }

    /// The row whose `key` column equals `value` (first match).
    pub fn find(&self, key: usize, value: &Value) -> Option<usize> {
        let want = match_key(value);
        self.columns[key]
            .values
            .iter()
            .position(|v| match_key(v) == want)
    }

    /// Adds the other table's columns to each row whose keys match (a
    /// left join: rows without a match get empty cells). The key columns
    /// of the other table are not repeated; a clashing name gets the
    /// other table's name appended.
    pub fn join(
        &self,
        other: &Table,
        left: &[usize],
        right: &[usize],
        keep_unmatched: bool,
    ) -> Table {
        let idx = other.key_index(right);
        let mut picks = Vec::with_capacity(self.len);
        let mut found = Vec::with_capacity(self.len);
        for i in 0..self.len {
            let k: Vec<String> = left
                .iter()
                .map(|&c| match_key(&self.columns[c].values[i]))
                .collect();
            match idx.get(&k) {
                Some(&j) => {
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
            });
        }
        out
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
    ) -> Result<Reconciliation, String> {
        let totals = |t: &Table, key: usize, amt: usize| -> Result<KeyTotals, String> {
            let mut order = Vec::new();
            let mut sums: HashMap<String, (Value, Number)> = HashMap::new();
            let col = &t.columns[amt];
            for i in 0..t.len {
                let kv = &t.columns[key].values[i];
                if kv.is_empty() {
                    continue;
                }
                let k = match_key(kv);
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
                    v.is_empty() || !there.contains_key(&match_key(v))
                })
                .collect();
            t.pick(&picks)
        };
        let fmt = self.columns[lamt].format.clone();
        let mut out = Reconciliation {
            matched: Table::from_rows("Matched", names.clone(), matched),
            mismatched: Table::from_rows("Mismatched", names, mismatched),
            only_left: missing(self, lkey, &rsums),
            only_right: missing(other, rkey, &lsums),
        };
        for t in [&mut out.matched, &mut out.mismatched] {
            for c in t.columns.iter_mut().skip(1) {
                c.format = fmt.clone().or_else(|| Some("currency".into()));
            }
        }
        Ok(out)
    }

    /// Writes the table with its header at `at` on `sheet`: a bold
    /// header, values below, each column's format applied.
    pub fn write_to(&self, book: &mut Book, sheet: &str, at: CellAddr) -> Result<(), String> {
        for (j, col) in self.columns.iter().enumerate() {
            let c = at.col + j as u32;
            let header = (CellAddr::new(at.row, c), Value::Text(col.name.clone()));
            let cells = col
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (CellAddr::new(at.row + 1 + i as u32, c), v.clone()));
            book.set_values(sheet, std::iter::once(header).chain(cells))?;
        }
        if !self.columns.is_empty() {
            let last = at.col + self.columns.len() as u32 - 1;
            let header = RangeAddr::new(at, CellAddr::new(at.row, last));
            book.restyle(sheet, header, |s| s.font.bold = true)?;
            self.apply_formats(book, sheet, at.row + 1, |j| at.col + j as u32)?;
        }
        Ok(())
    }

    /// The block [`Table::write_to`] fills from `at`: header and rows.
    pub fn block_at(&self, at: CellAddr) -> RangeAddr {
        let width = self.columns.len().max(1) as u32;
        RangeAddr::new(
            at,
            CellAddr::new(at.row + self.len as u32, at.col + width - 1),
        )
    }

    fn apply_formats(
        &self,
        book: &mut Book,
        sheet: &str,
        first_row: u32,
        col_at: impl Fn(usize) -> u32,
    ) -> Result<(), String> {
        if self.len == 0 {
            return Ok(());
        }
        for (j, col) in self.columns.iter().enumerate() {
            if let Some(f) = &col.format {
                let code = number_format(f);
                let c = col_at(j);
                let range = RangeAddr::new(
                    CellAddr::new(first_row, c),
                    CellAddr::new(first_row + self.len as u32 - 1, c),
                );
                book.restyle(sheet, range, |s| s.number_format = code.clone())?;
            }
        }
        Ok(())
    }

    /// Writes changed and new columns back where the table was read:
    /// existing columns in place (row by row, so a sorted or filtered
    /// table updates the right rows), new columns to the right of the
    /// table with a bold header.
    pub fn save(&self, book: &mut Book) -> Result<(), String> {
        let Some(Home {
            sheet: read_from,
            sheet_id,
            header_row,
        }) = self.home.clone()
        else {
            return Err(format!(
                "table {} was not read from a sheet; write it with write_table(...) instead",
                self.name
            ));
        };
        let sheet = book.sheet_name_of(sheet_id)?;
        let rows: Option<Rc<Vec<u32>>> = self.columns.iter().find_map(|c| {
            c.origin
                .as_ref()
                .filter(|o| o.sheet == read_from)
                .map(|o| o.rows.clone())
        });
        let rows = rows
            .unwrap_or_else(|| Rc::new((0..self.len as u32).map(|i| header_row + 1 + i).collect()));
        let mut next_col = self
            .columns
            .iter()
            .filter_map(|c| {
                c.origin
                    .as_ref()
                    .filter(|o| o.sheet == read_from)
                    .map(|o| o.col + 1)
            })
            .max()
            .unwrap_or(0);
        let mut placed = Vec::with_capacity(self.columns.len());
        for col in &self.columns {
            let c = match &col.origin {
                Some(o) if o.sheet == read_from => o.col,
                _ => {
                    let c = next_col;
                    next_col += 1;
                    let h = CellAddr::new(header_row, c);
                    book.set_value(&sheet, h, Value::Text(col.name.clone()))?;
                    book.restyle(&sheet, RangeAddr::cell(h), |s| s.font.bold = true)?;
                    c
                }
            };
            placed.push(c);
            let cells = rows.iter().map(|&r| CellAddr::new(r, c));
            book.set_values(&sheet, cells.clone().zip(col.values.iter().cloned()))?;
            if let Some(f) = &col.format {
                let code = number_format(f);
                book.restyle_cells(&sheet, cells, |s| s.number_format = code.clone())?;
            }
        }
        Ok(())
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

/// The Excel number-format code for a format name: `currency`/`money`
/// (`#,##0.00`), `percent` (`0.00%`), `percent0` (`0%`), `date`
/// (`yyyy-mm-dd`), `integer` (`#,##0`), `text` (`@`); anything else is
/// taken as an Excel code.
pub fn number_format(name: &str) -> String {
    match name.trim().to_lowercase().as_str() {
        "currency" | "money" | "amount" => "#,##0.00".into(),
        "percent" | "percentage" => "0.00%".into(),
        "percent0" => "0%".into(),
        "date" => "yyyy-mm-dd".into(),
        "datetime" => "yyyy-mm-dd hh:mm".into(),
        "integer" | "whole" => "#,##0".into(),
        "text" => "@".into(),
        "general" => "General".into(),
        _ => name.to_string(),
    }
}

/// Finds a header row on a sheet: the first row (within the first 200)
/// holding every wanted header (forgiving match), or with no wanted
/// headers the first non-empty row. Returns the row and the table's
/// extent: contiguous non-empty header cells, and rows down to the first
/// fully empty row.
pub fn find_block(book: &Book, sheet: &str, wanted: &[String]) -> Result<RangeAddr, String> {
    let s = book
        .workbook()
        .sheet(sheet)
        .ok_or_else(|| format!("no sheet named \"{sheet}\""))?;
    let Some(used) = s.used_range() else {
        return Err(format!("sheet {sheet} is empty"));
    };
    let wanted_n: Vec<String> = wanted.iter().map(|w| normalize(w)).collect();
    let last_scan = used.end.row.min(used.start.row + 200);
    for r in used.start.row..=last_scan {
        let row = s.row(r);
        let texts: Vec<(u32, String)> = row
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.value.is_empty())
            .map(|(c, cell)| (c as u32, normalize(&cell.value.to_string())))
            .collect();
        if texts.is_empty() {
            continue;
        }
        let anchor = if wanted_n.is_empty() {
            Some(texts[0].0)
        } else if wanted_n.iter().all(|w| texts.iter().any(|(_, t)| t == w)) {
            texts
                .iter()
                .find(|(_, t)| *t == wanted_n[0])
                .map(|(c, _)| *c)
        } else {
            None
        };
        let Some(anchor) = anchor else { continue };
        let filled = |c: u32| row.get(c as usize).is_some_and(|x| !x.value.is_empty());
        let mut first = anchor;
        while first > 0 && filled(first - 1) {
            first -= 1;
        }
        let mut last = anchor;
        while filled(last + 1) {
            last += 1;
        }
        let mut end = r;
        while end < used.end.row {
            let next = s.row(end + 1);
            let any =
                (first..=last).any(|c| next.get(c as usize).is_some_and(|x| !x.value.is_empty()));
            if !any {
                break;
            }
            end += 1;
        }
        return Ok(RangeAddr::new(
            CellAddr::new(r, first),
            CellAddr::new(end, last),
        ));
    }
    Err(if wanted.is_empty() {
        format!("sheet {sheet} has no header row")
    } else {
        format!(
            "sheet {sheet} has no row with the headers {}",
            wanted.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: &str) -> Value {
        Value::Number(Number::Exact(x.parse().unwrap()))
    }
    fn t(x: &str) -> Value {
        Value::Text(x.into())
    }

    fn sample() -> Table {
        Table::from_rows(
            "Invoices",
            vec!["Customer".into(), "Net".into(), "VAT Rate".into()],
            vec![
                vec![t("Acme"), n("100.00"), n("0.21")],
                vec![t("Bolt"), n("19.99"), n("0.21")],
                vec![t("acme"), n("50"), n("0.10")],
            ],
        )
    }

    #[test]
    fn columns_multiply_exactly_and_round_half_away() {
        let tb = sample();
        let vat = arith(
            Operand::Col(tb.column("net").unwrap()),
            Op::Mul,
            Operand::Col(tb.column("vat_rate").unwrap()),
        )
        .unwrap();
        assert_eq!(vat.values[1], n("4.1979"));
        let r = round_column(&vat, 2, false).unwrap();
        assert_eq!(r.values[1], n("4.20"));
        let half = Column::new("x", vec![n("2.345"), n("-2.345")]);
        assert_eq!(
            round_column(&half, 2, false).unwrap().values[..],
            [n("2.35"), n("-2.35")]
        );
        assert_eq!(
            round_column(&half, 2, true).unwrap().values[..],
            [n("2.34"), n("-2.34")]
        );
    }

    #[test]
    fn unknown_columns_are_explained() {
        let err = sample().index("Nett").unwrap_err();
        assert!(err.contains("Customer, Net, VAT Rate"), "{err}");
        assert!(err.contains("did you mean \"Net\""), "{err}");
    }

    #[test]
    fn text_in_a_number_column_names_the_cell() {
        let mut sheet = Sheet::new("Invoices");
        for (row, v) in [t("Net"), n("1"), t("n/a")].into_iter().enumerate() {
            sheet.set_value(CellAddr::new(row as u32, 4), v);
        }
        let tb = Table::from_sheet("Invoices", &sheet, 0, RangeAddr::parse("E1:E3").unwrap());
        let err = tb.column("Net").unwrap().sum().unwrap_err();
        assert_eq!(err, "Invoices!E3: expected a number, found text \"n/a\"");
    }

    #[test]
    fn grouping_sums_per_key_case_insensitively() {
        let tb = sample();
        let aggs = vec![
            tb.aggregate("sum Net").unwrap(),
            tb.aggregate("count").unwrap(),
        ];
        let g = tb.group(&[0], &aggs).unwrap();
        assert_eq!(g.names(), vec!["Customer", "Net", "Count"]);
        assert_eq!(g.len, 2);
        assert_eq!(*g.columns[1].values, vec![n("150.00"), n("19.99")]);
        assert!(tb.aggregate("total Net").is_err());
    }

    #[test]
    fn pivots_spread_a_column_across() {
        let tb = sample();
        let agg = tb.aggregate("sum Net").unwrap();
        let p = tb.pivot(&[0], 2, &agg, None).unwrap();
        assert_eq!(p.names(), vec!["Customer", "0.1", "0.21", "Total"]);
        assert_eq!(*p.columns[1].values, vec![n("50"), n("0")]);
        assert_eq!(*p.columns[3].values, vec![n("150.00"), n("19.99")]);
        assert!(tb.pivot(&[0], 2, &agg, Some(&[n("0.21")])).is_err());
    }

    #[test]
    fn reconciliation_sorts_keys_into_four_lists() {
        let inv = Table::from_rows(
            "Invoices",
            vec!["Invoice".into(), "Gross".into()],
            vec![
                vec![t("A"), n("10.00")],
                vec![t("B"), n("20.00")],
                vec![t("C"), n("30.00")],
            ],
        );
        let bank = Table::from_rows(
            "Bank",
            vec!["Reference".into(), "Amount".into()],
            vec![
                vec![t("a"), n("10.01")],
                vec![t("B"), n("25.00")],
                vec![t("X"), n("5")],
                vec![Value::Empty, n("-1.5")],
            ],
        );
        let r = inv
            .reconcile(
                &bank,
                (0, 0),
                (1, 1),
                Number::Exact("0.02".parse().unwrap()),
            )
            .unwrap();
        assert_eq!(r.matched.len, 1);
        assert_eq!(r.matched.columns[3].values[0], n("0.01"));
        assert_eq!(r.mismatched.len, 1);
        assert_eq!(r.only_left.len, 1);
        assert_eq!(r.only_right.len, 2);
    }

    #[test]
    fn joins_keep_unmatched_rows_on_request() {
        let cust = Table::from_rows(
            "Customers",
            vec!["Customer".into(), "Terms Days".into()],
            vec![vec![t("ACME"), n("30")]],
        );
        let j = sample().join(&cust, &[0], &[0], true);
        assert_eq!(j.names(), vec!["Customer", "Net", "VAT Rate", "Terms Days"]);
        assert_eq!(*j.columns[3].values, vec![n("30"), Value::Empty, n("30")]);
        assert_eq!(sample().join(&cust, &[0], &[0], false).len, 2);
    }
}
