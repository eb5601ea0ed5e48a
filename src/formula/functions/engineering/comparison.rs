//! DELTA and GESTEP: step functions that compare two numbers.

use super::atp_float;
use crate::formula::functions::*;

/// Both arguments as the doubles Excel compares: an exact decimal such
/// as `3+1E-16` is the double 3 in Excel, so DELTA(3+1E-16, 3) is 1.
fn pair(ctx: &mut CallContext, args: &[Expr]) -> Result<(f64, f64), ErrorKind> {
    let a = atp_float(ctx, &args[0])?;
    let b = match args.get(1) {
        Some(e) => atp_float(ctx, e)?,
        None => 0.0,
    };
    Ok((a, b))
}

pub(super) fn delta_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (a, b) = pair(ctx, args)?;
    Ok(CalcValue::number((a == b) as i64))
}

pub(super) fn gestep_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (a, b) = pair(ctx, args)?;
    Ok(CalcValue::number((a >= b) as i64))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{err, eval_str, eval_with, num};
    use crate::model::ErrorKind;

    #[test]
    fn delta_compares_for_equality() {
        // Microsoft's examples.
        assert_eq!(eval_str("=DELTA(5,4)"), num("0"));
        assert_eq!(eval_str("=DELTA(5,5)"), num("1"));
        assert_eq!(eval_str("=DELTA(0.5,0)"), num("0"));
        assert_eq!(eval_str("=DELTA(0.5)"), num("0"));
        assert_eq!(eval_str("=DELTA(0)"), num("1"));
        assert_eq!(eval_str("=DELTA(TRUE,1)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=DELTA(\"a\",1)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=DELTA(1/0,1)"), err(ErrorKind::Div0));
    }

    #[test]
    fn gestep_compares_with_the_step() {
        // Microsoft's examples.
        assert_eq!(eval_str("=GESTEP(5,4)"), num("1"));
        assert_eq!(eval_str("=GESTEP(5,5)"), num("1"));
        assert_eq!(eval_str("=GESTEP(-4,-5)"), num("1"));
        assert_eq!(eval_str("=GESTEP(-1)"), num("0"));
        assert_eq!(eval_str("=GESTEP(TRUE)"), err(ErrorKind::Value));
    }

    #[test]
    fn numbers_compare_as_doubles() {
        let cells = [("A1", "=3+0.0000000000000001"), ("B1", "3")];
        assert_eq!(eval_with(&cells, "=DELTA(A1,B1)"), num("1"));
        assert_eq!(eval_with(&cells, "=GESTEP(B1,A1)"), num("1"));
    }
}
