//! Columns and the arithmetic on them: values with where they came from,
//! so a result can name the cell behind a failure and be written back.

use crate::model::{CellAddr, Number, Value};
use crate::script::book::cell_ref;
use crate::script::collation::compare_values;
use crate::script::errors::{ScriptError, ScriptResult};
use crate::script::values::value_number;
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

    /// Where value `i` lives, for messages.
    pub fn locate(&self, i: usize) -> String {
        match &self.origin {
            Some(o) => cell_ref(&o.sheet, CellAddr::new(o.rows[i], o.col)),
            None => format!("row {} of column \"{}\"", i + 1, self.name),
        }
    }

    /// Value `i` as a number, with the cell named on failure.
    pub fn number(&self, i: usize) -> ScriptResult<Number> {
        value_number(&self.values[i]).map_err(|e| e.at(self.locate(i)))
    }

    /// The column with its values replaced, keeping where it came from.
    pub fn with_values(&self, values: Vec<Value>) -> Column {
        Column {
            values: Rc::new(values),
            ..self.clone()
        }
    }

    /// Sum of the numbers (empty cells count as zero; text is an error).
    pub fn sum(&self) -> ScriptResult<Number> {
        (0..self.len()).try_fold(Number::ZERO, |acc, i| Ok(acc + self.number(i)?))
    }

    /// Number of non-empty values.
    pub fn count(&self) -> usize {
        self.values.iter().filter(|v| !v.is_empty()).count()
    }

    /// Mean of the non-empty values.
    pub fn average(&self) -> ScriptResult<Number> {
        let n = self.count();
        if n == 0 {
            return Err(ScriptError::NothingToAverage(self.name.clone()));
        }
        let sum = self.sum()?;
        sum.checked_div(Number::from_i64(n as i64))
            .ok_or(ScriptError::AverageOutOfRange)
    }

    /// Smallest (`max == false`) or largest non-empty value, in Excel's
    /// order (dates stay dates).
    pub fn extreme(&self, max: bool) -> ScriptResult<Value> {
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
    fn get(&self, i: usize) -> ScriptResult<Number> {
        match self {
            Operand::Col(c) => c.number(i),
            Operand::Scalar(n) => Ok(*n),
        }
    }
}

/// `a op b` value by value; a scalar applies to every row.
pub fn arith(a: Operand, op: Op, b: Operand) -> ScriptResult<Column> {
    let (len, name) = match (&a, &b) {
        (Operand::Col(x), Operand::Col(y)) => {
            if x.len() != y.len() {
                return Err(ScriptError::LengthsDiffer {
                    left: x.name.clone(),
                    left_len: x.len(),
                    right: y.name.clone(),
                    right_len: y.len(),
                });
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
                return Err(ScriptError::DivisionByZero.at(at));
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
pub fn round_column(c: &Column, digits: i32, rounding: Rounding) -> ScriptResult<Column> {
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
