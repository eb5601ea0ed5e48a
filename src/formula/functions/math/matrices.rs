//! Matrix functions (MUNIT, MMULT, MDETERM, MINVERSE) over the numbers
//! of a range or array.

use crate::formula::functions::*;

pub(super) fn munit_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.number(&args[0])?.to_i64().ok_or(ErrorKind::Value)?;
    if n < 1 {
        return Err(ErrorKind::Value);
    }
    // Beyond MAX_ARRAY_CELLS the matrix could not be held (or spilled).
    if n.saturating_mul(n) > super::array::MAX_ARRAY_CELLS as i64 {
        return Err(ErrorKind::Num);
    }
    let n = n as usize;
    Ok(CalcValue::Array(Array::from_fn(n, n, |r, c| {
        Value::Number(Number::from_i64((r == c) as i64))
    })))
}

/// A numeric matrix argument: any non-number is `#VALUE!`.
fn matrix(ctx: &mut CallContext, e: &Expr) -> Result<(usize, usize, Vec<Number>), ErrorKind> {
    let a = ctx.array(e)?;
    let mut out = Vec::with_capacity(a.values.len());
    for v in &a.values {
        match v {
            Value::Number(n) => out.push(*n),
            Value::Error(k) => return Err(*k),
            _ => return Err(ErrorKind::Value),
        }
    }
    Ok((a.rows, a.cols, out))
}

/// Multiply-adds up to which MMULT keeps exact decimals (so
/// `MMULT({0.1,0.2},{1;1})` is exactly 0.3); beyond, it computes in
/// doubles.
const EXACT_PRODUCT_STEPS: usize = 1_000_000;

pub(super) fn mmult_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (ar, ac, a) = matrix(ctx, &args[0])?;
    let (br, bc, b) = matrix(ctx, &args[1])?;
    if ac != br {
        return Err(ErrorKind::Value);
    }
    if ar * ac * bc <= EXACT_PRODUCT_STEPS {
        return Ok(CalcValue::Array(Array::from_fn(ar, bc, |r, c| {
            // Products past the decimal range carry on in doubles (Number's
            // arithmetic falls back); past the double range it is #NUM!.
            let mut s = Number::ZERO;
            for k in 0..ac {
                s = s + a[r * ac + k] * b[k * bc + c];
            }
            if s.to_f64().is_finite() {
                Value::Number(s)
            } else {
                Value::Error(ErrorKind::Num)
            }
        })));
    }
    // Large products in doubles, as Excel multiplies: exact decimals made
    // the 2000x2000 product take hours. Row by row (i, k, j), so both
    // matrices are read in memory order, with the deadline checked
    // between rows.
    let a: Vec<f64> = a.iter().map(|n| n.to_f64()).collect();
    let b: Vec<f64> = b.iter().map(|n| n.to_f64()).collect();
    let mut product = vec![0.0f64; ar * bc];
    for (r, row) in product.chunks_mut(bc.max(1)).enumerate().take(ar) {
        if ctx.out_of_time() {
            return Err(ErrorKind::Calc);
        }
        for k in 0..ac {
            let x = a[r * ac + k];
            for (cell, y) in row.iter_mut().zip(&b[k * bc..(k + 1) * bc]) {
                *cell += x * y;
            }
        }
    }
    if product.iter().any(|v| !v.is_finite()) {
        return Err(ErrorKind::Num);
    }
    Ok(CalcValue::Array(Array::from_fn(ar, bc, |r, c| {
        Value::Number(Number::from_f64(product[r * bc + c]))
    })))
}

/// LU decomposition with partial pivoting of a square matrix (row-major);
/// returns the determinant and the inverse (`None` when singular).
fn lu_solve(n: usize, m: &[f64]) -> (f64, Option<Vec<f64>>) {
    let mut a = m.to_vec();
    let mut inv: Vec<f64> = (0..n * n)
        .map(|i| f64::from(u8::from(i / n == i % n)))
        .collect();
    let mut det = 1.0;
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))
            .unwrap_or(col);
        if a[pivot * n + col] == 0.0 {
            return (0.0, None);
        }
        if pivot != col {
            for k in 0..n {
                a.swap(pivot * n + k, col * n + k);
                inv.swap(pivot * n + k, col * n + k);
            }
            det = -det;
        }
        let p = a[col * n + col];
        det *= p;
        for k in 0..n {
            a[col * n + k] /= p;
            inv[col * n + k] /= p;
        }
        for row in 0..n {
            if row != col {
                let f = a[row * n + col];
                if f != 0.0 {
                    for k in 0..n {
                        a[row * n + k] -= f * a[col * n + k];
                        inv[row * n + k] -= f * inv[col * n + k];
                    }
                }
            }
        }
    }
    (det, Some(inv))
}

fn square_matrix(ctx: &mut CallContext, e: &Expr) -> Result<(usize, Vec<f64>), ErrorKind> {
    let (r, c, m) = matrix(ctx, e)?;
    if r != c {
        return Err(ErrorKind::Value);
    }
    Ok((r, m.iter().map(|x| x.to_f64()).collect()))
}

pub(super) fn mdeterm_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, m) = square_matrix(ctx, &args[0])?;
    let det = lu_solve(n, &m).0;
    // The determinant of an integer matrix is an integer: drop the
    // rounding noise of the elimination when it is small enough to trust.
    if m.iter().all(|x| x.fract() == 0.0) && det.abs() < 1e15 {
        return Ok(CalcValue::float(det.round()));
    }
    Ok(CalcValue::float(det))
}

pub(super) fn minverse_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (n, m) = square_matrix(ctx, &args[0])?;
    match lu_solve(n, &m).1 {
        Some(inv) => Ok(CalcValue::Array(Array::from_fn(n, n, |r, c| {
            crate::formula::calc::float_value(inv[r * n + c])
        }))),
        None => Err(ErrorKind::Num),
    }
}

#[cfg(test)]
mod tests {

    use crate::formula::calc::CalcValue;
    use crate::formula::testing::{eval_calc, eval_str, num};
    use crate::model::{ErrorKind, Value};

    fn values(formula: &str) -> Vec<Value> {
        match eval_calc(formula) {
            CalcValue::Array(a) => a.values,
            other => panic!("{formula}: {other:?}"),
        }
    }

    #[test]
    fn matrices() {
        assert_eq!(
            values("=MMULT({1,3;7,2},{2,0;0,2})"),
            vec![num("2"), num("6"), num("14"), num("4")]
        );
        assert_eq!(
            eval_str("=MMULT({1,2},{1,2})"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(eval_str("=MDETERM({3,6,1;1,1,0;3,10,2})"), num("1"));
        assert_eq!(
            values("=MINVERSE({4,-1;2,0})"),
            vec![num("0"), num("0.5"), num("-1"), num("2")]
        );
        assert_eq!(
            eval_str("=MINVERSE({1,2;2,4})"),
            Value::Error(ErrorKind::Num)
        );
        assert_eq!(
            values("=MUNIT(2)"),
            vec![num("1"), num("0"), num("0"), num("1")]
        );
    }

    #[test]
    fn products_past_the_decimal_range_fall_back_to_doubles() {
        // 1E15 * 1E15 twice is 2E30, past rust_decimal's 7.9E28.
        let product = values("=MMULT({1E15,1E15},{1E15;1E15})");
        assert_eq!(product.len(), 1);
        let got = product[0].as_number().expect("a number").to_f64();
        assert_eq!(got, 2e30);
        let squares = values("=MMULT({12345678901234567890},{98765432109876543210})");
        let got = squares[0].as_number().expect("a number").to_f64();
        assert!((got / 1.219_326_311_370_218e39 - 1.0).abs() < 1e-14);
        // Past the double range Excel gives #NUM!, never an infinity.
        assert_eq!(
            values("=MMULT({1E200},{1E200})"),
            vec![Value::Error(ErrorKind::Num)]
        );
    }

    #[test]
    fn mmult_of_large_arrays_is_one_pass() {
        // The last row of SEQUENCE(300,300) times a column of ones: the
        // sum of 89701..=90000.
        assert_eq!(
            eval_str("=INDEX(MMULT(SEQUENCE(300,300),SEQUENCE(300,1,1,0)),300)"),
            num("26955150")
        );
        assert_eq!(eval_str("=MMULT({0.1,0.2},{1;1})"), num("0.3"));
        // Past the exact limit, in doubles: 0.1 + 0.2 + ... + 200.
        assert_eq!(
            eval_str(
                "=ROUND(INDEX(MMULT(SEQUENCE(1,2000,0.1,0.1),SEQUENCE(2000,600,0,0)+{1}),1,1),9)"
            ),
            num("200100")
        );
    }
}
