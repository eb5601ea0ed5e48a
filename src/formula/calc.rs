//! Calculated values and Excel's coercion rules.
//!
//! A formula evaluates to a [`CalcValue`]: a single [`Value`], an
//! [`Array`] (from array constants or array-producing functions), or a
//! reference to areas of the workbook. References stay references until a
//! function or operator needs values, so `ROW(A5)`, `OFFSET(...)` and
//! `SUM(D:D)` never copy cells they do not need.

use crate::model::collation::TextOrder;
use crate::model::{DateSystem, DateValue, ErrorKind, Number, RangeAddr, Sheet, Text, Value};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// The most values one array may hold (about 16.8 million, a few hundred
/// MiB): a reference or function that would need more gives an error
/// value and a warning instead of exhausting memory.
pub const MAX_ARRAY_CELLS: usize = 1 << 24;

/// A rectangular block of one sheet, by sheet index in the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Area {
    /// Index of the sheet in `Workbook::sheets`.
    pub sheet: usize,
    /// The cells covered.
    pub range: RangeAddr,
}

impl Area {
    /// Whether the area is a single cell.
    pub fn is_cell(&self) -> bool {
        self.range.start == self.range.end
    }

    /// The rows and columns of the area's values: whole rows and columns
    /// (areas taller than 10,000 rows or wider than 1,000 columns) stop
    /// at `sheet`'s stored cells, so `A:A` does not make a million values.
    pub fn value_shape(&self, sheet: &Sheet) -> (u32, u32) {
        let r = self.range;
        let mut rows = r.rows();
        let mut cols = r.cols();
        if rows > 10_000 {
            rows = rows.min(sheet.row_count().saturating_sub(r.start.row).max(1));
        }
        if cols > 1_000 {
            let used = sheet.used_range().map(|u| u.end.col + 1).unwrap_or(1);
            cols = cols.min(used.saturating_sub(r.start.col).max(1));
        }
        (rows, cols)
    }

    /// How many values [`Area::value_shape`] makes.
    pub fn value_count(&self, sheet: &Sheet) -> u64 {
        let (rows, cols) = self.value_shape(sheet);
        u64::from(rows) * u64::from(cols)
    }
}

/// A two-dimensional block of values (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    /// Number of rows (at least 1).
    pub rows: usize,
    /// Number of columns (at least 1).
    pub cols: usize,
    /// `rows * cols` values, row by row.
    pub values: Vec<Value>,
}

impl Array {
    /// An array from rows of equal length; `None` when ragged or empty.
    pub fn from_rows(rows: Vec<Vec<Value>>) -> Option<Array> {
        let cols = rows.first()?.len();
        if cols == 0 || rows.iter().any(|r| r.len() != cols) {
            return None;
        }
        let n = rows.len();
        Some(Array {
            rows: n,
            cols,
            values: rows.into_iter().flatten().collect(),
        })
    }

    /// An array of `rows` x `cols` filled by `f(row, col)`.
    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> Value) -> Array {
        let mut values = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                values.push(f(r, c));
            }
        }
        Array { rows, cols, values }
    }

    /// A single column.
    pub fn column(values: Vec<Value>) -> Array {
        Array {
            rows: values.len().max(1),
            cols: 1,
            values: if values.is_empty() {
                vec![Value::Empty]
            } else {
                values
            },
        }
    }

    /// A single row.
    pub fn row(values: Vec<Value>) -> Array {
        Array {
            rows: 1,
            cols: values.len().max(1),
            values: if values.is_empty() {
                vec![Value::Empty]
            } else {
                values
            },
        }
    }

    /// A 1x1 array.
    pub fn scalar(value: Value) -> Array {
        Array {
            rows: 1,
            cols: 1,
            values: vec![value],
        }
    }

    /// The value at a zero-based position (`Value::Empty` outside).
    pub fn get(&self, row: usize, col: usize) -> &Value {
        static EMPTY: Value = Value::Empty;
        if row < self.rows && col < self.cols {
            &self.values[row * self.cols + col]
        } else {
            &EMPTY
        }
    }

    /// One row as a slice.
    pub fn row_slice(&self, row: usize) -> &[Value] {
        &self.values[row * self.cols..(row + 1) * self.cols]
    }

    /// The array flipped over its diagonal.
    pub fn transpose(&self) -> Array {
        Array::from_fn(self.cols, self.rows, |r, c| self.get(c, r).clone())
    }
}

/// The result of evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum CalcValue {
    /// A single value.
    Value(Value),
    /// An array of values.
    Array(Array),
    /// A reference to one area.
    Ref(Area),
    /// A multi-area reference (unions and 3-D references).
    Refs(Vec<Area>),
    /// A function value (a LAMBDA, or a function named bare); a cell
    /// that ends with one shows `#CALC!`.
    Lambda(std::rc::Rc<super::lambda::Callable>),
}

impl CalcValue {
    /// A number value.
    pub fn number(n: impl Into<Number>) -> CalcValue {
        CalcValue::Value(Value::Number(n.into()))
    }

    /// A number from a float (an inexact result). Non-finite floats
    /// become `#NUM!`.
    pub fn float(f: f64) -> CalcValue {
        CalcValue::Value(float_value(f))
    }

    /// A text value.
    pub fn text(s: impl Into<Text>) -> CalcValue {
        CalcValue::Value(Value::text(s))
    }

    /// A boolean value.
    pub fn bool(b: bool) -> CalcValue {
        CalcValue::Value(Value::Bool(b))
    }

    /// An error value.
    pub fn error(e: ErrorKind) -> CalcValue {
        CalcValue::Value(Value::Error(e))
    }

    /// The error, if this is an error value.
    pub fn as_error(&self) -> Option<ErrorKind> {
        match self {
            CalcValue::Value(Value::Error(e)) => Some(*e),
            _ => None,
        }
    }
}

impl From<Value> for CalcValue {
    fn from(v: Value) -> Self {
        CalcValue::Value(v)
    }
}

impl From<Number> for CalcValue {
    fn from(n: Number) -> Self {
        CalcValue::Value(Value::Number(n))
    }
}

impl From<bool> for CalcValue {
    fn from(b: bool) -> Self {
        CalcValue::Value(Value::Bool(b))
    }
}

impl From<String> for CalcValue {
    fn from(s: String) -> Self {
        CalcValue::Value(Value::text(s))
    }
}

impl From<Array> for CalcValue {
    fn from(a: Array) -> Self {
        CalcValue::Array(a)
    }
}

/// A value from a float result: `#NUM!` when not finite, exact when the
/// float is a clean decimal.
pub fn float_value(f: f64) -> Value {
    if f.is_finite() {
        Value::Number(Number::from_float_result(f))
    } else {
        Value::Error(ErrorKind::Num)
    }
}

/// Excel's conversion of a value to a number: empty is 0, booleans are 0
/// and 1, text is parsed (numbers, percentages, dates, times), anything
/// else is `#VALUE!`; errors propagate.
pub fn to_number(v: &Value) -> Result<Number, ErrorKind> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::Date(d) => Ok(date_number(d)),
        Value::Empty => Ok(Number::ZERO),
        Value::Bool(b) => Ok(Number::from_i64(*b as i64)),
        Value::Text(s) => parse_number_text(s).ok_or(ErrorKind::Value),
        Value::Error(e) => Err(*e),
    }
}

/// Excel's conversion of a value to text: numbers in General format,
/// booleans as `TRUE`/`FALSE`, empty as `""`; errors propagate.
pub fn to_text(v: &Value) -> Result<String, ErrorKind> {
    match v {
        Value::Text(s) => Ok(s.to_string()),
        Value::Number(n) => Ok(number_to_text(*n)),
        Value::Date(d) => Ok(number_to_text(date_number(d))),
        Value::Empty => Ok(String::new()),
        Value::Bool(b) => Ok(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Error(e) => Err(*e),
    }
}

/// Excel's conversion of a value to a boolean: numbers are true when not
/// zero, text must be `TRUE` or `FALSE` (any case), empty is false.
pub fn to_bool(v: &Value) -> Result<bool, ErrorKind> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(!n.is_zero()),
        Value::Date(d) => Ok(!date_number(d).is_zero()),
        Value::Empty => Ok(false),
        Value::Text(s) => {
            if s.eq_ignore_ascii_case("TRUE") {
                Ok(true)
            } else if s.eq_ignore_ascii_case("FALSE") {
                Ok(false)
            } else {
                Err(ErrorKind::Value)
            }
        }
        Value::Error(e) => Err(*e),
    }
}

use crate::numfmt::number_to_text;

/// Parses text the way Excel converts it to a number: `1,234.5`, ` 12 `,
/// `1e3`, `12%`, `$5`, `(5)` (negative), dates (`2026-01-31`,
/// `1/31/2026`, `31-Jan-2026`) and times (`10:30`, `10:30:15 PM`).
pub fn parse_number_text(text: &str) -> Option<Number> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(n) = parse_plain_number(t) {
        return Some(n);
    }
    if let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        return parse_plain_number(inner.trim()).map(|n| -n);
    }
    if let Some(p) = t.strip_suffix('%') {
        let n = parse_plain_number(p.trim())?;
        return n.checked_div(Number::from_i64(100));
    }
    // Excel reads " 12 " as a number but not " 2024-01-10 " as a date.
    if t.len() == text.len() {
        if let Some(serial) = parse_date_time_text(t) {
            return Some(Number::from_f64(serial));
        }
    }
    None
}

fn parse_plain_number(t: &str) -> Option<Number> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    // A currency symbol before or after the digits ("$5", "€100", "100€").
    const CURRENCY: [char; 4] = ['$', '€', '£', '¥'];
    let body = body.trim_start_matches(CURRENCY).trim_start();
    let body = body.trim_end_matches(CURRENCY).trim_end();
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // Thousands separators are allowed only between digit groups.
    let cleaned: String = if body.contains(',') {
        let int_part = body.split(['.', 'e', 'E']).next().unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups[1..].iter().any(|g| g.len() != 3) || groups[0].is_empty() {
            return None;
        }
        body.replace(',', "")
    } else {
        body.to_string()
    };
    if !cleaned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let n = if cleaned.contains(['e', 'E']) {
        let f: f64 = cleaned.parse().ok()?;
        if !f.is_finite() {
            return None;
        }
        Number::from_f64(f)
    } else {
        use std::str::FromStr;
        match Decimal::from_str(&cleaned) {
            Ok(d) => Number::Exact(d),
            Err(_) => Number::from_f64(cleaned.parse().ok()?),
        }
    };
    Some(if neg { -n } else { n })
}

/// Parses a date, a time, or a date followed by a time, into a serial of
/// the calculation's date system (set by its evaluation context), as
/// DATEVALUE/TIMEVALUE read text (one parser for both). A missing year is
/// the year of the calculation's clock ([`ClockYear`]), or of the
/// machine's clock outside a calculation.
pub fn parse_date_time_text(t: &str) -> Option<f64> {
    use chrono::Datelike;
    let year = CLOCK_YEAR
        .get()
        .unwrap_or_else(|| chrono::Local::now().year());
    crate::formula::date_serial::parse_date_time_serial(t.trim(), year, date_system())
}

/// The number a formula computes with for a date value: its serial in
/// the date system of the workbook being calculated (the model keeps
/// 1900-system serials; a 1904 workbook counts 1462 days fewer).
pub fn date_number(d: &DateValue) -> Number {
    Number::from_f64(date_system().number_of(d))
}

/// The number behind a number or date value, a date as the number a
/// formula computes with ([`date_number`]); `None` for other values.
pub fn as_calc_number(v: &Value) -> Option<Number> {
    match v {
        Value::Number(n) => Some(*n),
        Value::Date(d) => Some(date_number(d)),
        _ => None,
    }
}

/// The date system of the workbook being calculated on this thread
/// (each evaluation context sets its workbook's); the 1900 system
/// outside a calculation.
pub fn date_system() -> DateSystem {
    DATE_SYSTEM.get()
}

thread_local! {
    static CLOCK_YEAR: std::cell::Cell<Option<i32>> = const { std::cell::Cell::new(None) };
    static DATE_SYSTEM: std::cell::Cell<DateSystem> = const { std::cell::Cell::new(DateSystem::Excel1900) };
}

/// While alive, conversions between dates and numbers on this thread
/// ([`to_number`] of a date, text read as a date) use `system`. Every
/// evaluation context holds one with its workbook's date system, so a
/// 1904 workbook computes with 1904 serials as Excel does, without
/// threading the system through every conversion deep in the functions.
/// Dropping it restores the system before.
pub(crate) struct CalcDateSystem {
    previous: DateSystem,
}

impl CalcDateSystem {
    pub(crate) fn set(system: DateSystem) -> CalcDateSystem {
        CalcDateSystem {
            previous: DATE_SYSTEM.replace(system),
        }
    }
}

impl Drop for CalcDateSystem {
    fn drop(&mut self) {
        DATE_SYSTEM.set(self.previous);
    }
}

/// While alive, text dates without a year (`31-Jan`) read on this thread
/// take `year`. Every evaluation context holds one with the year of its
/// clock, so results follow `--today` rather than the machine's clock,
/// without threading the clock through every text-to-number conversion.
/// Dropping it restores the year before.
pub(crate) struct ClockYear {
    previous: Option<i32>,
}

impl ClockYear {
    pub(crate) fn set(year: i32) -> ClockYear {
        ClockYear {
            previous: CLOCK_YEAR.replace(Some(year)),
        }
    }
}

impl Drop for ClockYear {
    fn drop(&mut self) {
        CLOCK_YEAR.set(self.previous);
    }
}

/// Sort order between values of mixed types, as Excel's SORT uses it:
/// numbers (and dates) < text < booleans < errors < empty cells.
pub(crate) fn type_rank(v: &Value) -> u8 {
    match v {
        Value::Number(_) | Value::Date(_) => 0,
        Value::Text(_) => 1,
        Value::Bool(_) => 2,
        Value::Error(_) => 3,
        Value::Empty => 4,
    }
}

/// Excel's order of two values, the one rule behind SORT, SORTBY, the
/// script's sorts and min/max, and (through [`compare_values`]) the `=`
/// and `<` operators and lookups: numbers before text before booleans
/// before errors, text case-insensitive (or in a language's order when
/// `text_order` is given, e.g. a script run with `--locale cs-CZ`), and
/// empty cells last.
pub fn compare_for_sort_in(a: &Value, b: &Value, text_order: Option<&TextOrder>) -> Ordering {
    let (ra, rb) = (type_rank(a), type_rank(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => match text_order {
            Some(order) => order.compare(x, y),
            // Without allocating for ASCII text: a sort compares n log n pairs.
            None => compare_text(x, y),
        },
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => match (as_calc_number(a), as_calc_number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => Ordering::Equal,
        },
    }
}

/// Excel's comparison of two values for `=`, `<` and lookups: the order
/// of [`compare_for_sort_in`], except that an empty cell is the other
/// side's blank (0, `""` or FALSE) instead of sorting last.
pub fn compare_values(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        // The pair lookups and criteria meet most, straight to its rule:
        // through the general order it cost a fifth of a 100k-row recalc.
        (Value::Text(x), Value::Text(y)) => compare_text(x, y),
        (Value::Empty, Value::Empty) => Ordering::Equal,
        (Value::Empty, other) => compare_for_sort_in(&blank_like(other), other, None),
        (other, Value::Empty) => compare_for_sort_in(other, &blank_like(other), None),
        _ => compare_for_sort_in(a, b, None),
    }
}

/// What an empty cell counts as when compared with `other`.
fn blank_like(other: &Value) -> Value {
    match other {
        Value::Text(_) => Value::text(""),
        Value::Bool(_) => Value::Bool(false),
        _ => Value::Number(Number::ZERO),
    }
}

/// Case-insensitive text comparison, as Excel compares strings.
#[inline]
pub fn compare_text(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let ai = a.bytes().map(|c| c.to_ascii_lowercase());
        let bi = b.bytes().map(|c| c.to_ascii_lowercase());
        return ai.cmp(bi);
    }
    a.to_lowercase().cmp(&b.to_lowercase())
}

/// Whether two values are equal under Excel's `=` (text case-insensitive).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        // Equality needs no order: ASCII text compares without folding
        // each byte into an ordering.
        (Value::Text(x), Value::Text(y)) if x.is_ascii() && y.is_ascii() => {
            x.eq_ignore_ascii_case(y)
        }
        _ => compare_values(a, b) == Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CellAddr;

    fn n(s: &str) -> Number {
        parse_number_text(s).unwrap()
    }

    #[test]
    fn whole_columns_take_the_shape_of_the_stored_cells() {
        let mut sheet = Sheet::new("S");
        sheet.set_value(CellAddr::new(2, 3), Value::Bool(true));
        let area = |a1: &str| Area {
            sheet: 0,
            range: RangeAddr::parse(a1).unwrap(),
        };
        assert_eq!(area("A:XFD").value_shape(&sheet), (3, 4));
        assert_eq!(area("B:B").value_shape(&sheet), (3, 1));
        // Bounded areas keep their shape, empty cells and all.
        assert_eq!(area("A1:J20").value_shape(&sheet), (20, 10));
        sheet.set_value(CellAddr::new(1_048_575, 16_383), Value::Bool(true));
        assert_eq!(area("A:XFD").value_count(&sheet), 1_048_576 * 16_384);
    }

    #[test]
    fn an_array_over_the_limit_is_num_not_an_allocation() {
        use crate::formula::testing::{eval_in, workbook_with};
        let wb = || workbook_with(&[("A1", "2"), ("XFD1048576", "5")]);
        let num_error = Value::Error(ErrorKind::Num);
        assert_eq!(eval_in(wb(), "Sheet1", "=SUMPRODUCT(A:XFD)"), num_error);
        assert_eq!(
            eval_in(wb(), "Sheet1", "=SUMPRODUCT((A:XFD>0)*1)"),
            num_error
        );
        // A single column stays within the limit.
        assert_eq!(
            eval_in(wb(), "Sheet1", "=SUMPRODUCT((A:A>0)*1)"),
            Value::Number(Number::from_i64(1))
        );
    }

    #[test]
    fn text_converts_like_excel() {
        assert_eq!(n("1,234.5").to_string(), "1234.5");
        assert_eq!(n(" 12% ").to_string(), "0.12");
        assert_eq!(n("(5)").to_string(), "-5");
        assert_eq!(n("1e3").to_string(), "1000");
        assert_eq!(n("€100").to_string(), "100");
        assert_eq!(n(" 100€ ").to_string(), "100");
        assert_eq!(n("2026-11-27").to_string(), "46353");
        assert_eq!(n("11/27/2026").to_string(), "46353");
        assert_eq!(n("27-Nov-2026").to_string(), "46353");
        assert_eq!(n("12:00").to_string(), "0.5");
        assert_eq!(n("6:00 PM").to_string(), "0.75");
        assert!(parse_number_text("abc").is_none());
        assert!(parse_number_text("1,23").is_none());
        assert_eq!(to_number(&Value::Text("x".into())), Err(ErrorKind::Value));
        assert_eq!(to_number(&Value::Bool(true)), Ok(Number::ONE));
    }

    #[test]
    fn numbers_print_in_general_format() {
        assert_eq!(number_to_text(Number::from_f64(0.1 + 0.2)), "0.3");
        assert_eq!(
            number_to_text(Number::ONE.checked_div(Number::from_i64(3)).unwrap()),
            "0.333333333333333"
        );
        assert_eq!(number_to_text(Number::from_f64(1e21)), "1E+21");
        assert_eq!(number_to_text(Number::from_i64(-42)), "-42");
    }

    #[test]
    fn comparison_orders_types_and_ignores_case() {
        let t = |s: &str| Value::text(s);
        assert_eq!(compare_values(&t("abc"), &t("ABC")), Ordering::Equal);
        assert_eq!(
            compare_values(&Value::from_f64(1e9), &t("a")),
            Ordering::Less
        );
        assert_eq!(compare_values(&t("z"), &Value::Bool(false)), Ordering::Less);
        assert_eq!(
            compare_values(&Value::Empty, &Value::from_f64(0.0)),
            Ordering::Equal
        );
        assert_eq!(compare_values(&Value::Empty, &t("")), Ordering::Equal);
    }
}
