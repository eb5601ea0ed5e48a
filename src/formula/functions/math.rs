//! Mathematical and trigonometric functions (SUM, ROUND, ...).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "SUM",
    1,
    MANY,
    "Adds numbers, references and arrays",
    sum,
)];

fn sum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut total = Number::ZERO;
    ctx.for_each_number(args, Collect::Numbers, |n| total = total + n)?;
    Ok(CalcValue::number(total))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn sum_adds_exactly_and_skips_text_in_ranges() {
        assert_eq!(eval_str("=SUM(0.1,0.2)"), num("0.3"));
        assert_eq!(eval_str("=SUM(1,\"2\",TRUE)"), num("4"));
        assert_eq!(
            eval_with(&[("A1", "1"), ("A2", "x"), ("A3", "2.5")], "=SUM(A1:A3)"),
            num("3.5")
        );
        assert_eq!(eval_str("=SUM(\"x\")"), Value::Error(ErrorKind::Value));
        assert_eq!(eval_str("=SUM({1,2;3,4})"), num("10"));
    }
}
