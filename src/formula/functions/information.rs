//! Information functions: ISBLANK, ISNUMBER, ISTEXT, ISERROR, ISNA, NA,
//! N, T, TYPE and friends.

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "ISBLANK",
    1,
    1,
    "Whether a cell is empty",
    isblank,
)];

fn isblank(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::bool(matches!(
        ctx.scalar(&args[0]),
        Value::Empty
    )))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::eval_with;
    use crate::model::Value;

    #[test]
    fn isblank_sees_empty_cells() {
        assert_eq!(eval_with(&[("A1", "1")], "=ISBLANK(A2)"), Value::Bool(true));
        assert_eq!(
            eval_with(&[("A1", "1")], "=ISBLANK(A1)"),
            Value::Bool(false)
        );
    }
}
