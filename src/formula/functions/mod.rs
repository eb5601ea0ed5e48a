//! The function registry and the helpers function implementations use.
//!
//! Adding a function touches only its category file: each category holds
//! `pub const FUNCTIONS: &[FunctionSpec]`, and [`CATEGORIES`] lists the
//! categories once. A function receives its arguments unevaluated
//! ([`Expr`]) so IF/IFERROR/CHOOSE can short-circuit and ROW/OFFSET/SUMIF
//! can see references; the [`CallContext`] helpers below evaluate them
//! with Excel's coercions.
//!
//! ```ignore
//! fn len(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
//!     let s = ctx.text(&args[0])?;
//!     Ok(CalcValue::number(s.chars().count() as i64))
//! }
//! pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new("LEN", 1, 1, "Number of characters", len)];
//! ```

pub(crate) mod array;
pub(crate) mod database;
pub(crate) mod date_time;
pub(crate) mod engineering;
pub(crate) mod financial;
pub(crate) mod information;
pub(crate) mod logical;
pub(crate) mod lookup;
pub(crate) mod math;
pub(crate) mod statistical;
pub(crate) mod text;
pub(crate) mod util;
pub(crate) mod web;

pub use super::ast::Expr;
pub use super::calc::{
    as_calc_number, compare_values, date_number, float_value, to_bool, to_number, to_text,
    values_equal, Area, Array, CalcValue,
};
pub use super::eval::CallContext;
pub use crate::model::{CellAddr, ErrorKind, Number, RangeAddr, Value};

use std::collections::HashMap;
use std::sync::OnceLock;

/// What a function returns: a value, or an error value via `?`.
pub type EvalResult = Result<CalcValue, ErrorKind>;

/// The signature of a function implementation.
pub type EvalFn = fn(&mut CallContext<'_>, &[Expr]) -> EvalResult;

/// One Excel function: its name, arity, volatility, a one-line doc and
/// its implementation.
#[derive(Clone, Copy)]
pub struct FunctionSpec {
    /// Upper-case name as Excel shows it (`XLOOKUP`, `STDEV.S`).
    pub name: &'static str,
    /// Fewest arguments accepted.
    pub min_args: usize,
    /// Most arguments accepted (`usize::MAX` for "any number").
    pub max_args: usize,
    /// Recomputed on every recalculation (TODAY, NOW, RAND, OFFSET...).
    pub volatile: bool,
    /// One line for `sheetscript functions` and the script reference.
    pub doc: &'static str,
    /// The implementation.
    pub eval: EvalFn,
}

impl FunctionSpec {
    /// A non-volatile function.
    pub const fn new(
        name: &'static str,
        min_args: usize,
        max_args: usize,
        doc: &'static str,
        eval: EvalFn,
    ) -> FunctionSpec {
        FunctionSpec {
            name,
            min_args,
            max_args,
            volatile: false,
            doc,
            eval,
        }
    }

    /// The same function marked volatile.
    pub const fn volatile(mut self) -> FunctionSpec {
        self.volatile = true;
        self
    }
}

impl std::fmt::Debug for FunctionSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FunctionSpec({})", self.name)
    }
}

/// Unlimited argument count for [`FunctionSpec::max_args`].
pub const MANY: usize = usize::MAX;

/// Every category's functions.
pub const CATEGORIES: &[&[FunctionSpec]] = &[
    math::FUNCTIONS,
    statistical::FUNCTIONS,
    array::FUNCTIONS,
    text::FUNCTIONS,
    financial::FUNCTIONS,
    date_time::FUNCTIONS,
    logical::FUNCTIONS,
    information::FUNCTIONS,
    lookup::FUNCTIONS,
    engineering::FUNCTIONS,
    database::FUNCTIONS,
    web::FUNCTIONS,
];

fn registry() -> &'static HashMap<&'static str, &'static FunctionSpec> {
    static REG: OnceLock<HashMap<&'static str, &'static FunctionSpec>> = OnceLock::new();
    REG.get_or_init(|| {
        let mut m = HashMap::new();
        for cat in CATEGORIES {
            for f in cat.iter() {
                m.insert(f.name, f);
            }
        }
        m
    })
}

/// The function with this (normalised, upper-case) name.
pub fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    let reg = registry();
    match reg.get(name) {
        Some(f) => Some(f),
        None if name.bytes().any(|b| b.is_ascii_lowercase()) || name.starts_with('_') => reg
            .get(super::ast::normalize_function_name(name).as_str())
            .copied(),
        None => None,
    }
}

/// Every registered function name, sorted.
pub fn names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = registry().keys().copied().collect();
    v.sort_unstable();
    v
}

/// How SUM-like functions treat values found in references and arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collect {
    /// Only numbers count; text, booleans and empty cells in references
    /// are skipped. Direct arguments are coerced (`SUM("2",TRUE)` is 3).
    Numbers,
    /// As `Numbers`, but text in references counts as 0 and booleans as
    /// 0/1 (AVERAGEA, MAXA, ...).
    NumbersA,
}

impl CallContext<'_> {
    /// Evaluates an argument to one value (implicit intersection for a
    /// reference, top-left for an array); errors come back as `Err`.
    pub fn value(&mut self, e: &Expr) -> Result<Value, ErrorKind> {
        let v = self.eval(e);
        match self.to_scalar(v) {
            Value::Error(k) => Err(k),
            v => Ok(v),
        }
    }

    /// Evaluates an argument to one value, errors included as values.
    pub fn scalar(&mut self, e: &Expr) -> Value {
        let v = self.eval(e);
        self.to_scalar(v)
    }

    /// An argument as a number (Excel coercion: text parsed, booleans
    /// 0/1, empty 0).
    pub fn number(&mut self, e: &Expr) -> Result<Number, ErrorKind> {
        to_number(&self.value(e)?)
    }

    /// An argument as a float, for inexact maths.
    pub fn float(&mut self, e: &Expr) -> Result<f64, ErrorKind> {
        let f = self.number(e)?.to_f64();
        if f.is_finite() {
            Ok(f)
        } else {
            Err(ErrorKind::Num)
        }
    }

    /// An argument as an integer, truncated toward zero as Excel does.
    pub fn int(&mut self, e: &Expr) -> Result<i64, ErrorKind> {
        self.number(e)?.to_i64().ok_or(ErrorKind::Num)
    }

    /// An argument as text (numbers in General format).
    pub fn text(&mut self, e: &Expr) -> Result<String, ErrorKind> {
        to_text(&self.value(e)?)
    }

    /// An argument as a boolean.
    pub fn boolean(&mut self, e: &Expr) -> Result<bool, ErrorKind> {
        to_bool(&self.value(e)?)
    }

    /// Whether argument `i` is absent or written empty (`F(1,,3)`).
    pub fn is_missing(args: &[Expr], i: usize) -> bool {
        matches!(args.get(i), None | Some(Expr::Missing))
    }

    /// Optional numeric argument `i`, `default` when absent or empty.
    pub fn opt_number(
        &mut self,
        args: &[Expr],
        i: usize,
        default: Number,
    ) -> Result<Number, ErrorKind> {
        if Self::is_missing(args, i) {
            Ok(default)
        } else {
            self.number(&args[i])
        }
    }

    /// Optional float argument `i`.
    pub fn opt_float(&mut self, args: &[Expr], i: usize, default: f64) -> Result<f64, ErrorKind> {
        if Self::is_missing(args, i) {
            Ok(default)
        } else {
            self.float(&args[i])
        }
    }

    /// Optional integer argument `i`.
    pub fn opt_int(&mut self, args: &[Expr], i: usize, default: i64) -> Result<i64, ErrorKind> {
        if Self::is_missing(args, i) {
            Ok(default)
        } else {
            self.int(&args[i])
        }
    }

    /// Optional boolean argument `i`.
    pub fn opt_bool(&mut self, args: &[Expr], i: usize, default: bool) -> Result<bool, ErrorKind> {
        if Self::is_missing(args, i) {
            Ok(default)
        } else {
            self.boolean(&args[i])
        }
    }

    /// Optional text argument `i`.
    pub fn opt_text(
        &mut self,
        args: &[Expr],
        i: usize,
        default: &str,
    ) -> Result<String, ErrorKind> {
        if Self::is_missing(args, i) {
            Ok(default.to_string())
        } else {
            self.text(&args[i])
        }
    }

    /// An argument as one area of the workbook (`#VALUE!` when it is not
    /// a reference, such as a number or an array).
    pub fn reference(&mut self, e: &Expr) -> Result<Area, ErrorKind> {
        match self.eval(e) {
            CalcValue::Ref(a) => Ok(a),
            CalcValue::Refs(v) if v.len() == 1 => Ok(v[0]),
            CalcValue::Value(Value::Error(k)) => Err(k),
            _ => Err(ErrorKind::Value),
        }
    }

    /// An argument as a list of areas (unions and 3-D references).
    pub fn references(&mut self, e: &Expr) -> Result<Vec<Area>, ErrorKind> {
        match self.eval(e) {
            CalcValue::Ref(a) => Ok(vec![a]),
            CalcValue::Refs(v) => Ok(v),
            CalcValue::Value(Value::Error(k)) => Err(k),
            _ => Err(ErrorKind::Value),
        }
    }

    /// Any calculated value as an array: a scalar is 1x1, a reference is
    /// read (whole rows/columns clipped to the stored cells).
    pub fn to_array(&mut self, v: CalcValue) -> Result<Array, ErrorKind> {
        match v {
            CalcValue::Value(v) => Ok(Array::scalar(v)),
            CalcValue::Array(a) => Ok(a),
            CalcValue::Ref(a) => Ok(self.area_array(a)),
            CalcValue::Refs(v) if v.len() == 1 => Ok(self.area_array(v[0])),
            CalcValue::Refs(_) => Err(ErrorKind::Value),
            CalcValue::Lambda(_) => Err(ErrorKind::Calc),
        }
    }

    /// Whether arguments are being evaluated for an array (see
    /// [`CallContext::eval_array_mode`]).
    pub fn in_array_mode(&self) -> bool {
        self.array_mode
    }

    /// Evaluates an argument in array mode: scalar functions inside map
    /// over multi-cell references (`SUMPRODUCT(LEN(A1:A3))`).
    pub fn eval_array_mode(&mut self, e: &Expr) -> CalcValue {
        let saved = std::mem::replace(&mut self.array_mode, true);
        let v = self.eval(e);
        self.array_mode = saved;
        v
    }

    /// Evaluates an argument; in array mode a multi-cell reference comes
    /// back as an array of its values.
    pub fn lift(&mut self, e: &Expr) -> CalcValue {
        match self.eval(e) {
            CalcValue::Ref(a) if self.array_mode && !a.is_cell() => {
                CalcValue::Array(self.area_array(a))
            }
            v => v,
        }
    }

    /// An argument as an array of values (evaluated in array mode).
    pub fn array(&mut self, e: &Expr) -> Result<Array, ErrorKind> {
        let v = self.eval_array_mode(e);
        if let Some(k) = v.as_error() {
            return Err(k);
        }
        self.to_array(v)
    }

    /// Visits every value of an argument: each stored cell of its areas
    /// (empty cells skipped), each array element, or the single value.
    /// `direct` tells `f` whether the value was a direct scalar argument
    /// (Excel coerces those, but skips text in references).
    pub fn for_each_value(
        &mut self,
        e: &Expr,
        mut f: impl FnMut(&Value, bool) -> Result<(), ErrorKind>,
    ) -> Result<(), ErrorKind> {
        match self.eval_array_mode(e) {
            CalcValue::Value(v) => {
                if matches!(e, Expr::Missing) {
                    return f(&Value::Empty, true);
                }
                f(&v, true)
            }
            CalcValue::Array(a) => {
                for v in &a.values {
                    f(v, false)?;
                }
                Ok(())
            }
            CalcValue::Ref(area) => self.for_each_cell(area, false, |_, _, v| f(v, false)),
            CalcValue::Refs(areas) => {
                for area in areas {
                    self.for_each_cell(area, false, |_, _, v| f(v, false))?;
                }
                Ok(())
            }
            CalcValue::Lambda(_) => Err(ErrorKind::Calc),
        }
    }

    /// Visits the numbers of all arguments with SUM's rules (see
    /// [`Collect`]); the first error met is returned.
    pub fn for_each_number(
        &mut self,
        args: &[Expr],
        mode: Collect,
        mut f: impl FnMut(Number),
    ) -> Result<(), ErrorKind> {
        for a in args {
            self.for_each_value(a, |v, direct| {
                match v {
                    Value::Number(n) => f(*n),
                    Value::Date(d) => f(date_number(d)),
                    Value::Error(k) => return Err(*k),
                    Value::Empty if direct => f(Number::ZERO),
                    Value::Empty => {}
                    Value::Bool(b) if direct || mode == Collect::NumbersA => {
                        f(Number::from_i64(*b as i64))
                    }
                    Value::Text(_) if direct => f(to_number(v)?),
                    Value::Text(_) if mode == Collect::NumbersA => f(Number::ZERO),
                    _ => {}
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// The numbers of all arguments with SUM's rules, collected.
    pub fn numbers(&mut self, args: &[Expr], mode: Collect) -> Result<Vec<Number>, ErrorKind> {
        let mut out = Vec::new();
        self.for_each_number(args, mode, |n| out.push(n))?;
        Ok(out)
    }

    /// Applies a scalar function element-wise when the argument is an
    /// array (dynamic-array lifting), or once for a single value.
    pub fn map_value(
        &mut self,
        e: &Expr,
        f: impl Fn(&Value) -> Result<Value, ErrorKind>,
    ) -> EvalResult {
        match self.lift(e) {
            CalcValue::Array(a) => Ok(CalcValue::Array(Array {
                rows: a.rows,
                cols: a.cols,
                values: a
                    .values
                    .iter()
                    .map(|v| f(v).unwrap_or_else(Value::Error))
                    .collect(),
            })),
            v => {
                let v = self.to_scalar(v);
                if let Value::Error(k) = v {
                    return Err(k);
                }
                Ok(CalcValue::Value(f(&v)?))
            }
        }
    }

    /// The date system of the workbook being calculated: date functions
    /// take and give numbers counted from its day 0, as Excel does.
    pub fn date_system(&self) -> crate::model::DateSystem {
        self.workbook().date_system
    }

    /// Today's date serial from the engine clock, in the workbook's date
    /// system.
    pub fn today_serial(&self) -> i64 {
        let serial = crate::model::value::serial_from_date(self.now().date());
        serial - self.date_system().offset_to_1900() as i64
    }

    /// Calls another registered function by name with the same lazy
    /// arguments (for aliases such as `STDEV` -> `STDEV.S`).
    pub fn call_function(&mut self, name: &str, args: &[Expr]) -> EvalResult {
        let spec = lookup(name).ok_or(ErrorKind::Name)?;
        match self.call_spec(spec, args) {
            CalcValue::Value(Value::Error(k)) => Err(k),
            v => Ok(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_has_a_doc_for_the_listing() {
        let undocumented: Vec<&str> = CATEGORIES
            .iter()
            .flat_map(|c| c.iter())
            .filter(|f| f.doc.trim().is_empty())
            .map(|f| f.name)
            .collect();
        assert!(undocumented.is_empty(), "{undocumented:?}");
    }

    #[test]
    fn every_function_name_is_unique_and_upper_case() {
        let mut seen = std::collections::HashSet::new();
        for cat in CATEGORIES {
            for f in cat.iter() {
                assert!(seen.insert(f.name), "{} registered twice", f.name);
                assert_eq!(f.name, f.name.to_ascii_uppercase());
                assert!(f.min_args <= f.max_args, "{}", f.name);
                assert!(!f.doc.is_empty(), "{}", f.name);
            }
        }
        assert!(lookup("SUM").is_some());
        assert!(lookup("_xlfn.sum").is_some());
    }
}
