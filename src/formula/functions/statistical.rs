//! Statistical functions (COUNT, AVERAGE, ...).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "COUNT",
    1,
    MANY,
    "Counts the numbers among the arguments",
    count,
)];

fn count(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut n = 0i64;
    for a in args {
        ctx.for_each_value(a, |v, direct| {
            let counts = match v {
                Value::Number(_) | Value::Date(_) => true,
                // Direct arguments count when they read as numbers.
                Value::Text(_) | Value::Bool(_) if direct => to_number(v).is_ok(),
                _ => false,
            };
            n += counts as i64;
            Ok(())
        })?;
    }
    Ok(CalcValue::number(n))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, eval_with, num};

    #[test]
    fn count_counts_numbers_only() {
        assert_eq!(
            eval_with(&[("A1", "1"), ("A2", "x"), ("A4", "3")], "=COUNT(A1:A5)"),
            num("2")
        );
        assert_eq!(eval_str("=COUNT(1,\"2\",\"x\",TRUE,#N/A)"), num("3"));
    }
}
