//! Logical functions: IF, IFS, IFERROR, IFNA, AND, OR, XOR, NOT, SWITCH,
//! CHOOSE, TRUE, FALSE, LET.

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("IF", 1, 3, "Chooses a value by a condition", if_),
    FunctionSpec::new(
        "IFERROR",
        2,
        2,
        "The value, or a fallback when it is an error",
        iferror,
    ),
];

fn if_(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cond = ctx.boolean(&args[0])?;
    let branch = if cond { args.get(1) } else { args.get(2) };
    match branch {
        Some(Expr::Missing) => Ok(CalcValue::number(0)),
        Some(e) => Ok(ctx.eval(e)),
        None => Ok(CalcValue::bool(cond)),
    }
}

fn iferror(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let v = ctx.eval(&args[0]);
    let v = match v {
        CalcValue::Ref(_) | CalcValue::Refs(_) => CalcValue::Value(ctx.to_scalar(v)),
        v => v,
    };
    match v {
        CalcValue::Value(Value::Error(_)) => Ok(ctx.eval(&args[1])),
        v => Ok(v),
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};
    use crate::model::Value;

    #[test]
    fn if_short_circuits() {
        assert_eq!(eval_str("=IF(1>2,1/0,\"no\")"), Value::Text("no".into()));
        assert_eq!(eval_str("=IF(TRUE,5)"), num("5"));
        assert_eq!(eval_str("=IF(FALSE,5)"), Value::Bool(false));
        assert_eq!(eval_str("=IFERROR(1/0,7)"), num("7"));
    }
}
