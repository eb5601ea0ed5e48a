//! Dynamic-array functions (FILTER, UNIQUE, SORT, SEQUENCE, ...).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "TRANSPOSE",
    1,
    1,
    "Flips an array or range over its diagonal",
    transpose,
)];

fn transpose(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = ctx.array(&args[0])?;
    Ok(CalcValue::Array(a.transpose()))
}

#[cfg(test)]
mod tests {
    use crate::formula::calc::{Array, CalcValue};
    use crate::formula::testing::{eval_calc, num};

    #[test]
    fn transpose_flips_rows_and_columns() {
        let r = eval_calc("=TRANSPOSE({1,2,3})");
        assert_eq!(
            r,
            CalcValue::Array(Array::column(vec![num("1"), num("2"), num("3")]))
        );
    }
}
