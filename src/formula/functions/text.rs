//! Text functions (LEN, LEFT, CONCAT, TEXT, ...).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "LEN",
    1,
    1,
    "Number of characters in a text",
    len,
)];

fn len(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    ctx.map_value(&args[0], |v| {
        Ok(Value::Number(Number::from_i64(
            to_text(v)?.chars().count() as i64
        )))
    })
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};

    #[test]
    fn len_counts_characters() {
        assert_eq!(eval_str("=LEN(\"héllo\")"), num("5"));
        assert_eq!(eval_str("=LEN(12.5)"), num("4"));
    }
}
