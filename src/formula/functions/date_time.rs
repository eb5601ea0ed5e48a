//! Date and time functions (DATE, TODAY, EOMONTH, NETWORKDAYS, ...).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] =
    &[FunctionSpec::new("TODAY", 0, 0, "Today's date (from the engine clock)", today).volatile()];

fn today(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::number(ctx.today_serial()))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};

    #[test]
    fn today_uses_the_fixed_test_clock() {
        // The test clock is 2026-11-27 09:00.
        assert_eq!(eval_str("=TODAY()"), num("46353"));
    }
}
