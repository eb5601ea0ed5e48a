//! Tables in a script: a block of rows under a header row, held column by
//! column so column-wide arithmetic, grouping and matching run in Rust
//! rather than in the interpreter.

use super::book::{cell_ref, Book, SheetId};
use super::collation::compare_values;
use super::suggest::unknown;
use super::values::{holds_numbers, key_of, value_date, value_kinds, value_number};
use crate::model::{CellAddr, Number, RangeAddr, Sheet, StyleTable, Value};
use chrono::NaiveDate;
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
    /// What the column carries over from the sheet columns behind it.
    pub lineage: Lineage,
}

/// What a column inherits from the sheet columns it was read or computed
/// from, so that what is made of it can say where it came from.
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    /// The number format its cells had in the sheet (the most common one
    /// among its non-empty cells), used when it is written elsewhere and
    /// the script set no format, so amounts keep their currency format.
    pub source_format: Option<String>,
    /// Empty cells of source columns that arithmetic counted as 0, as
    /// Excel does: (column name, how many), for the run's notes.
    pub empty_as_zero: Vec<(String, usize)>,
}

impl Lineage {
    /// Adds `c`'s own empty cells and what it inherited; a column seen
    /// twice (`Net` and `round(Net, 2)`) counts once.
    fn count_empties_of(&mut self, c: &Column) {
        let own = c.values.iter().filter(|v| v.is_empty()).count();
        let own = (own > 0).then(|| (c.name.clone(), own));
        for (name, n) in c.lineage.empty_as_zero.iter().cloned().chain(own) {
            match self.empty_as_zero.iter_mut().find(|(m, _)| *m == name) {
                Some(e) => e.1 = e.1.max(n),
                None => self.empty_as_zero.push((name, n)),
            }
        }
    }
}

impl Column {
    /// A computed column with no sheet origin.
    pub fn new(name: impl Into<String>, values: Vec<Value>) -> Column {
        Column {
            name: name.into(),
            values: Rc::new(values),
            origin: None,
            format: None,
            lineage: Lineage::default(),
        }
    }

    /// The number format to write the column with: the script's, else
    /// the one its source cells had.
    pub fn write_format(&self) -> Option<&str> {
        self.format
            .as_deref()
            .or(self.lineage.source_format.as_deref())
    }

    /// Takes over `source`'s format (the script's and its cells'), for a
    /// column computed from it such as a group's sum.
    pub fn inherit_format(&mut self, source: &Column) {
        self.format.clone_from(&source.format);
        self.lineage
            .source_format
            .clone_from(&source.lineage.source_format);
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

/// The note for the run's summary when arithmetic counted empty cells as
/// 0 to compute `table.column` (`counted`: source column and how many).
pub fn empty_note(table: &str, column: &str, counted: &[(String, usize)]) -> Option<String> {
    let parts: Vec<String> = counted
        .iter()
        .enumerate()
        .map(|(k, (name, n))| match (k, *n) {
            (0, 1) => format!("1 empty cell in {name}"),
            (0, n) => format!("{n} empty cells in {name}"),
            (_, n) => format!("{n} in {name}"),
        })
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "{table}.{column}: {} counted as 0, as Excel does",
            parts.join(" and ")
        )
    })
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
    let mut lineage = Lineage::default();
    for o in [&a, &b] {
        if let Operand::Col(c) = o {
            lineage.count_empties_of(c);
        }
    }
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
    let mut col = Column::new(name, out);
    col.lineage = lineage;
    Ok(col)
}

/// How a script rounds, each the formula engine's own function, so a
/// script's rounding equals the workbook's for every digit count
/// (negative digits round to tens, hundreds, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Excel's ROUND: half away from zero.
    HalfAway,
    /// Excel's ROUNDUP: away from zero.
    Up,
    /// Excel's ROUNDDOWN: toward zero.
    Down,
    /// Banker's rounding: half to even.
    Bankers,
}

impl Rounding {
    /// `n` rounded to `digits` decimal places.
    pub fn apply(self, n: Number, digits: i32) -> Number {
        use crate::formula::functions::util;
        match self {
            Rounding::HalfAway => util::round(n, digits),
            Rounding::Up => util::round_up(n, digits),
            Rounding::Down => util::round_down(n, digits),
            Rounding::Bankers => {
                n.round_with(digits, rust_decimal::RoundingStrategy::MidpointNearestEven)
            }
        }
    }
}

/// Rounds every number; empty cells stay empty.
pub fn round_column(c: &Column, digits: i32, rounding: Rounding) -> Result<Column, String> {
    let mut out = Vec::with_capacity(c.len());
    for (i, v) in c.values.iter().enumerate() {
        out.push(match v {
            Value::Empty => Value::Empty,
            _ => Value::Number(rounding.apply(c.number(i)?, digits)),
        })
    }
    Ok(Column {
        name: c.name.clone(),
        values: Rc::new(out),
        origin: None,
        format: c.format.clone(),
        lineage: c.lineage.clone(),
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
    /// The table in `range` of `sheet`: its first row is the header, the
    /// rest are the rows. Read column by column, as the table holds them.
    pub fn from_sheet(name: &str, sheet: &Sheet, sheet_id: SheetId, range: RangeAddr) -> Table {
        let header_row = range.start.row;
        let rows: Rc<Vec<u32>> = Rc::new((header_row + 1..=range.end.row).collect());
        let sheet_name: Rc<str> = sheet.name.as_str().into();
        let columns = (range.start.col..=range.end.col)
            .map(|col| {
                let name = header_text(sheet, CellAddr::new(header_row, col))
                    .unwrap_or_else(|| crate::model::address::column_letters(col));
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
                    lineage: Lineage::default(),
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

    /// Notes each column's number format as its cells in `sheet` have
    /// it (the most common among its non-empty cells; General is none),
    /// so that a table written elsewhere, or a summary of it, keeps the
    /// formats the accountant chose.
    pub fn read_formats(&mut self, sheet: &Sheet, styles: &StyleTable) {
        for col in &mut self.columns {
            let Some(o) = &col.origin else { continue };
            let mut seen: Vec<(crate::model::StyleId, usize)> = Vec::new();
            for &r in o.rows.iter() {
                let Some(cell) = sheet.cell(CellAddr::new(r, o.col)) else {
                    continue;
                };
                if cell.value.is_empty() {
                    continue;
                }
                match seen.iter_mut().find(|(id, _)| *id == cell.style) {
                    Some(e) => e.1 += 1,
                    None => seen.push((cell.style, 1)),
                }
            }
            // The first of equally common styles wins: max_by_key keeps
            // the last, so look from the end.
            let best = seen.iter().rev().max_by_key(|(_, n)| *n).map(|(id, _)| *id);
            col.lineage.source_format = best
                .map(|id| styles.get(id).number_format.clone())
                .filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("general"));
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
                lineage: col.lineage,
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
                    lineage: c.lineage.clone(),
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
                return Err(format!(
                    "pivot: {} holds \"{v}\", which is not among the columns given",
                    self.columns[across].locate(i)
                ));
            };
            let k = self.row_key(rows, &rows_by_value, i);
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
                col.inherit_format(&self.columns[c]);
            }
        }
        let keys: Vec<(usize, bool)> = (0..rows.len()).map(|k| (k, false)).collect();
        Ok(out.sorted(&keys))
    }

    /// The match key of row `i` over the `keys` columns; `by_value[j]`
    /// says key `j` is matched by value (see [`key_of`]).
    fn row_key(&self, keys: &[usize], by_value: &[bool], i: usize) -> Vec<String> {
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
        self.join_checked(other, left, right, keep_unmatched).0
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
    pub fn date_index(&self, date_col: usize) -> Result<Vec<(NaiveDate, usize)>, String> {
        let c = &self.columns[date_col];
        let mut out = Vec::with_capacity(self.len);
        for (i, v) in c.values.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let d = value_date(v).map_err(|e| format!("{}: {e}", c.locate(i)))?;
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
    ) -> Result<Reconciliation, String> {
        // Text keys are taken by value where either side holds numbers
        // (see `key_of`).
        let by_value = self.by_value(&[lkey], other, &[rkey])[0];
        let totals = |t: &Table, key: usize, amt: usize| -> Result<KeyTotals, String> {
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
            if let Some(f) = col.write_format() {
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
    /// table updates the right rows), new columns with a bold header in
    /// the first column right of the table that is free from the header
    /// down, so a note or an unlabelled column beside it is never written
    /// over.
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
        let last_row = rows.iter().copied().max().unwrap_or(header_row);
        let mut placed = Vec::with_capacity(self.columns.len());
        for col in &self.columns {
            let c = match &col.origin {
                Some(o) if o.sheet == read_from => o.col,
                _ => {
                    let c = free_column(book, &sheet, next_col, header_row, last_row)?;
                    next_col = c + 1;
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

/// The first column from `from` on that holds no data of the file and no
/// merged cell between `header_row` and `last_row`: where a new column of
/// a table can go without replacing anything or hiding under a merge.
fn free_column(
    book: &Book,
    sheet: &str,
    from: u32,
    header_row: u32,
    last_row: u32,
) -> Result<u32, String> {
    let merged = &book.sheet(sheet)?.merged;
    for c in from..crate::model::address::MAX_COLS {
        let column = RangeAddr::new(CellAddr::new(header_row, c), CellAddr::new(last_row, c));
        if merged.iter().any(|m| m.intersects(&column)) {
            continue;
        }
        if book.untouched_data_in(sheet, column, 1)?.is_empty() {
            return Ok(c);
        }
    }
    Err(format!(
        "sheet \"{sheet}\" has no free column right of the table for a new column"
    ))
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

/// Finds a table on a sheet: its header row is the first row (within the
/// first 200) holding every wanted header (forgiving match), or with no
/// wanted headers the first row with two or more filled cells (a title
/// above the table, merged or not, is not its header). A header of two
/// rows (a merged group over sub-headers, or cells merged down across
/// both) is read as one: the range starts at its bottom row. The table
/// spans the contiguous header cells, widened to neighbouring columns
/// that hold data under a blank header, and its rows run down to the
/// first fully empty row.
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
    let texts_of = |r: u32| -> Vec<(u32, String)> {
        (0..s.row(r).len() as u32)
            .filter_map(|c| {
                let text = header_text(s, CellAddr::new(r, c))?;
                Some((c, normalize(&text)))
            })
            .collect()
    };
    let widest = (used.start.row..=last_scan)
        .map(|r| s.row(r).iter().filter(|c| !c.value.is_empty()).count())
        .max()
        .unwrap_or(0);
    for r in used.start.row..=last_scan {
        let texts = texts_of(r);
        if texts.is_empty() {
            continue;
        }
        let anchor = if wanted_n.is_empty() {
            let filled = s.row(r).iter().filter(|c| !c.value.is_empty()).count();
            (filled >= 2 || widest < 2).then_some(texts[0].0)
        } else if wanted_n.iter().all(|w| texts.iter().any(|(_, t)| t == w)) {
            texts
                .iter()
                .find(|(_, t)| *t == wanted_n[0])
                .map(|(c, _)| *c)
        } else {
            None
        };
        let Some(anchor) = anchor else { continue };
        let header = header_bottom(s, r);
        let named = |c: u32| (r..=header).any(|hr| header_text(s, CellAddr::new(hr, c)).is_some());
        let mut first = anchor;
        while first > 0 && named(first - 1) {
            first -= 1;
        }
        let mut last = anchor;
        while last + 1 < crate::model::address::MAX_COLS && named(last + 1) {
            last += 1;
        }
        let has_data = |c: u32, end: u32| {
            (header + 1..=end).any(|row| {
                s.row(row)
                    .get(c as usize)
                    .is_some_and(|x| !x.value.is_empty())
            })
        };
        let mut end = header;
        // Rows and columns grow together: a column with data under a blank
        // header belongs to the table, and may reach rows further down.
        loop {
            while end < used.end.row {
                let next = s.row(end + 1);
                if !(first..=last)
                    .any(|c| next.get(c as usize).is_some_and(|x| !x.value.is_empty()))
                {
                    break;
                }
                end += 1;
            }
            let before = (first, last);
            while last + 1 < crate::model::address::MAX_COLS && has_data(last + 1, end) {
                last += 1;
            }
            while first > 0 && has_data(first - 1, end) {
                first -= 1;
            }
            if (first, last) == before {
                break;
            }
        }
        return Ok(RangeAddr::new(
            CellAddr::new(header, first),
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

/// The text a header cell shows: its own value, or, under a merge, the
/// merge's (a name merged down over two header rows belongs to both).
fn header_text(sheet: &Sheet, addr: CellAddr) -> Option<String> {
    let own = sheet.value(addr);
    let value = if own.is_empty() {
        let merge = sheet.merged.iter().find(|m| m.contains(addr))?;
        sheet.value(merge.start)
    } else {
        own
    };
    let text = value.to_string().trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// The last row of a header starting at `row`: further down when a cell
/// of the row is merged down, or a group merged across has sub-headers
/// under it.
fn header_bottom(sheet: &Sheet, row: u32) -> u32 {
    let mut bottom = row;
    for m in sheet.merged.iter().filter(|m| m.start.row == row) {
        bottom = bottom.max(m.end.row);
        let across = m.end.col > m.start.col;
        let below = m.end.row + 1;
        if across
            && (m.start.col..=m.end.col).any(|c| !sheet.value(CellAddr::new(below, c)).is_empty())
        {
            bottom = bottom.max(below);
        }
    }
    // A two-row header at most: deeper merges are layout, not headers.
    bottom.min(row + 1)
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
        let r = round_column(&vat, 2, Rounding::HalfAway).unwrap();
        assert_eq!(r.values[1], n("4.20"));
        let half = Column::new("x", vec![n("2.345"), n("-2.345")]);
        assert_eq!(
            round_column(&half, 2, Rounding::HalfAway).unwrap().values[..],
            [n("2.35"), n("-2.35")]
        );
        assert_eq!(
            round_column(&half, 2, Rounding::Bankers).unwrap().values[..],
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

    fn whole(x: i64) -> Value {
        Value::Number(Number::from_i64(x))
    }

    #[test]
    fn keys_of_different_types_match_as_an_accountant_means_them() {
        let inv = Table::from_rows(
            "Invoices",
            vec!["VS".into(), "Gross".into()],
            vec![
                vec![t("71111"), n("10.00")],
                vec![t(" 20026\u{a0}"), n("20.00")],
                vec![t("0300"), n("30.00")],
                vec![Value::Empty, n("1")],
            ],
        );
        let bank = Table::from_rows(
            "Bank",
            vec!["VS".into(), "Amount".into()],
            vec![
                vec![whole(71111), n("10.00")],
                vec![whole(20026), n("20.00")],
                vec![whole(300), n("30.00")],
                vec![Value::Empty, n("5")],
            ],
        );
        let (j, warning) = inv.join_checked(&bank, &[0], &[0], true);
        assert_eq!(
            *j.columns[2].values,
            vec![n("10.00"), n("20.00"), n("30.00"), Value::Empty]
        );
        assert_eq!(warning, None);
        let r = inv.reconcile(&bank, (0, 0), (1, 1), Number::ZERO).unwrap();
        assert_eq!(
            (r.matched.len, r.only_left.len, r.only_right.len),
            (3, 1, 1)
        );
        assert_eq!(r.warning, None);
        // Text against text stays text: "0300" is not "300"; against a
        // number it is the number.
        let codes = Table::from_rows("Tariff", vec!["Code".into()], vec![vec![t("300")]]);
        assert_eq!(inv.find(0, &t("300")), None);
        assert_eq!(codes.find(0, &whole(300)), Some(0));
        assert_eq!(inv.find(0, &whole(300)), Some(2));
        assert_eq!(inv.positions(0, &whole(71111)), vec![0]);
    }

    #[test]
    fn a_match_that_finds_too_little_says_so() {
        let inv = Table::from_rows(
            "Invoices",
            vec!["VS".into(), "Gross".into()],
            (0..62).map(|i| vec![t(&format!("A{i}")), n("1")]).collect(),
        );
        let bank = Table::from_rows(
            "Bank",
            vec!["VS".into(), "Amount".into()],
            (0..62).map(|i| vec![whole(i), n("1")]).collect(),
        );
        let (_, w) = inv.join_checked(&bank, &[0], &[0], true);
        assert_eq!(
            w.as_deref(),
            Some("join: only 0 of 62 rows matched on Invoices.VS (text) = Bank.VS (number)")
        );
        let r = inv.reconcile(&bank, (0, 0), (1, 1), Number::ZERO).unwrap();
        assert_eq!(
            r.warning.as_deref(),
            Some("reconcile: only 0 of 62 keys matched on Invoices.VS (text) = Bank.VS (number)")
        );
    }

    #[test]
    fn dates_are_indexed_once_for_as_of_lookups() {
        let date = |s: &str| {
            Value::Date(crate::model::DateValue::from_date(
                NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap(),
            ))
        };
        let rates = Table::from_rows(
            "Rates",
            vec!["Date".into(), "Rate".into()],
            vec![
                vec![date("2026-11-03"), n("25.1")],
                vec![date("2026-11-02"), n("25.0")],
                vec![Value::Empty, n("99")],
                vec![t("4.11.2026"), n("25.2")],
            ],
        );
        let idx = rates.date_index(0).unwrap();
        let rows: Vec<usize> = idx.iter().map(|&(_, i)| i).collect();
        assert_eq!(rows, vec![1, 0, 3]);
        let bad = Table::from_rows("R", vec!["Date".into()], vec![vec![t("soon")]]);
        assert!(bad.date_index(0).unwrap_err().contains("\"soon\""));
    }

    #[test]
    fn arithmetic_notes_empty_cells_counted_as_zero() {
        let tb = Table::from_rows(
            "Invoices",
            vec!["Net".into(), "Fee".into()],
            vec![
                vec![n("10"), Value::Empty],
                vec![Value::Empty, Value::Empty],
                vec![n("5"), n("1")],
            ],
        );
        let (net, fee) = (&tb.columns[0], &tb.columns[1]);
        let sum = arith(Operand::Col(net), Op::Add, Operand::Col(fee)).unwrap();
        assert_eq!(*sum.values, vec![n("10"), n("0"), n("6")]);
        let vat = arith(
            Operand::Col(&sum),
            Op::Mul,
            Operand::Scalar(Number::from_i64(2)),
        )
        .unwrap();
        let vat = round_column(&vat, 2, Rounding::HalfAway).unwrap();
        assert_eq!(
            empty_note("Invoices", "VAT", &vat.lineage.empty_as_zero).as_deref(),
            Some("Invoices.VAT: 1 empty cell in Net and 2 in Fee counted as 0, as Excel does")
        );
        assert!(tb.columns[0].lineage.empty_as_zero.is_empty());
    }

    #[test]
    fn columns_read_from_a_sheet_keep_their_number_format() {
        let mut styles = StyleTable::new();
        let money = styles.intern(crate::model::Style::with_number_format("#,##0.00 \"Kč\""));
        let mut sheet = Sheet::new("Invoices");
        for (row, v) in [t("Net"), n("1"), n("2"), Value::Empty]
            .into_iter()
            .enumerate()
        {
            let addr = CellAddr::new(row as u32, 0);
            sheet.set_value(addr, v);
            if row > 0 {
                sheet.set_style(addr, money);
            }
        }
        sheet.set_value(CellAddr::new(0, 1), t("Note"));
        sheet.set_value(CellAddr::new(1, 1), t("x"));
        let mut tb = Table::from_sheet("Invoices", &sheet, 0, RangeAddr::parse("A1:B4").unwrap());
        tb.read_formats(&sheet, &styles);
        assert_eq!(tb.columns[0].write_format(), Some("#,##0.00 \"Kč\""));
        assert_eq!(tb.columns[1].write_format(), None);
        let g = tb.group(&[1], &[tb.aggregate("sum Net").unwrap()]).unwrap();
        assert_eq!(g.columns[1].write_format(), Some("#,##0.00 \"Kč\""));
        assert_eq!(g.columns[1].format, None, "a format the script did not set");
    }

    #[test]
    fn pivots_take_numeric_text_as_its_number() {
        let tb = Table::from_rows(
            "Invoices",
            vec!["Customer".into(), "Rate".into(), "Net".into()],
            vec![
                vec![t("Acme"), n("0.21"), n("10")],
                vec![t("Acme "), t(" 0.21"), n("5")],
                vec![t("Bolt"), t("0.10"), n("1")],
            ],
        );
        let agg = tb.aggregate("sum Net").unwrap();
        let p = tb.pivot(&[0], 1, &agg, None).unwrap();
        // One column for 0.21 and " 0.21"; "Acme " is Acme.
        assert_eq!(p.names(), vec!["Customer", "0.21", "0.10", "Total"]);
        assert_eq!(*p.columns[1].values, vec![n("15"), n("0")]);
        assert_eq!(*p.columns[3].values, vec![n("15"), n("1")]);
    }
}
