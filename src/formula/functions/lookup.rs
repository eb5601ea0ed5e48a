//! Lookup and reference functions: VLOOKUP, HLOOKUP, XLOOKUP, LOOKUP,
//! INDEX, MATCH, XMATCH, OFFSET, INDIRECT, ROW(S), COLUMN(S).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "ROW",
    0,
    1,
    "Row number of a reference (or of the formula's cell)",
    row,
)];

fn row(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    if CallContext::is_missing(args, 0) {
        let cell = ctx.current_cell().ok_or(ErrorKind::Value)?;
        return Ok(CalcValue::number(cell.row as i64 + 1));
    }
    let area = ctx.reference(&args[0])?;
    Ok(CalcValue::number(area.range.start.row as i64 + 1))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};

    #[test]
    fn row_reads_references() {
        assert_eq!(eval_str("=ROW(C7)"), num("7"));
        assert_eq!(eval_str("=ROW(B3:B9)"), num("3"));
    }
}
