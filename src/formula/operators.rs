//! Excel's operators on values (`+ - * / ^ & = <`...) and their lifting
//! over arrays: what a formula's operators compute, apart from how the
//! evaluator walks the formula. Functions that combine two arguments
//! element-wise (IF over arrays, POWER) use the same broadcasting.

use super::ast::*;
use super::calc::*;
use crate::model::{ErrorKind, Number, Value};

/// Applies `f` to every value of an operand (a value or an array).
pub(crate) fn map_operand(v: CalcValue, f: impl Fn(&Value) -> Value) -> CalcValue {
    match v {
        CalcValue::Value(x) => CalcValue::Value(f(&x)),
        CalcValue::Array(a) => CalcValue::Array(Array {
            rows: a.rows,
            cols: a.cols,
            values: a.values.iter().map(f).collect(),
        }),
        other => other,
    }
}

/// Applies `f` element-wise, broadcasting a scalar or a single row or
/// column against an array; out-of-shape positions are `#N/A`, as in
/// Excel.
pub fn broadcast(a: CalcValue, b: CalcValue, f: impl Fn(&Value, &Value) -> Value) -> CalcValue {
    match (a, b) {
        (CalcValue::Value(x), CalcValue::Value(y)) => CalcValue::Value(f(&x, &y)),
        (a, b) => {
            let to_arr = |v: CalcValue| match v {
                CalcValue::Array(a) => a,
                CalcValue::Value(v) => Array::scalar(v),
                _ => Array::scalar(Value::Error(ErrorKind::Value)),
            };
            let (x, y) = (to_arr(a), to_arr(b));
            // A single row or column stretches to the other side's size.
            let span = |a: usize, b: usize| match (a, b) {
                (1, n) | (n, 1) => n,
                (a, b) => a.max(b),
            };
            let (rows, cols) = (span(x.rows, y.rows), span(x.cols, y.cols));
            let pick = |arr: &Array, r: usize, c: usize| -> Value {
                let rr = if arr.rows == 1 { 0 } else { r };
                let cc = if arr.cols == 1 { 0 } else { c };
                if rr >= arr.rows || cc >= arr.cols {
                    Value::Error(ErrorKind::NA)
                } else {
                    arr.get(rr, cc).clone()
                }
            };
            CalcValue::Array(Array::from_fn(rows, cols, |r, c| {
                f(&pick(&x, r, c), &pick(&y, r, c))
            }))
        }
    }
}

/// Excel's binary operators on two values.
pub fn binary_values(op: BinaryOp, a: &Value, b: &Value) -> Value {
    use BinaryOp::*;
    match op {
        Add | Sub | Mul | Div | Pow => {
            let x = match to_number(a) {
                Ok(x) => x,
                Err(e) => return Value::Error(e),
            };
            let y = match to_number(b) {
                Ok(y) => y,
                Err(e) => return Value::Error(e),
            };
            match op {
                Add => Value::Number(x + y),
                Sub => Value::Number(x - y),
                Mul => Value::Number(x * y),
                Div => match x.checked_div(y) {
                    Some(q) => Value::Number(q),
                    None => Value::Error(ErrorKind::Div0),
                },
                _ => power(x, y),
            }
        }
        Concat => match (to_text(a), to_text(b)) {
            (Ok(x), Ok(y)) => Value::Text((x + y.as_str()).into()),
            (Err(e), _) | (_, Err(e)) => Value::Error(e),
        },
        Eq | Ne | Lt | Le | Gt | Ge => {
            if let Value::Error(e) = a {
                return Value::Error(*e);
            }
            if let Value::Error(e) = b {
                return Value::Error(*e);
            }
            let ord = compare_values(a, b);
            use std::cmp::Ordering::*;
            Value::Bool(match op {
                Eq => ord == Equal,
                Ne => ord != Equal,
                Lt => ord == Less,
                Le => ord != Greater,
                Gt => ord == Greater,
                _ => ord != Less,
            })
        }
        Range | Union | Intersect => Value::Error(ErrorKind::Value),
    }
}

/// `x^y` as Excel computes it: exact for small integer powers of exact
/// numbers, `#NUM!` for 0^0 and roots of negatives, `#DIV/0!` for 0^-n.
pub fn power(x: Number, y: Number) -> Value {
    let yf = y.to_f64();
    if x.is_zero() {
        if y.is_zero() {
            return Value::Error(ErrorKind::Num);
        }
        if yf < 0.0 {
            return Value::Error(ErrorKind::Div0);
        }
        return Value::Number(Number::ZERO);
    }
    if yf.fract() == 0.0 && yf.abs() <= 64.0 && x.is_exact() {
        let mut acc = Number::ONE;
        for _ in 0..(yf.abs() as u32) {
            acc = acc * x;
        }
        if acc.is_exact() {
            if yf < 0.0 {
                return match Number::ONE.checked_div(acc) {
                    Some(r) => Value::Number(r),
                    None => Value::Error(ErrorKind::Div0),
                };
            }
            return Value::Number(acc);
        }
    }
    let xf = x.to_f64();
    if xf < 0.0 && yf.fract() != 0.0 {
        // Odd roots of negatives are allowed (=-8^(1/3) is -2).
        let inv = 1.0 / yf;
        if inv.fract() == 0.0 && (inv as i64) % 2 != 0 {
            return float_value(-(-xf).powf(yf));
        }
        return Value::Error(ErrorKind::Num);
    }
    float_value(xf.powf(yf))
}
