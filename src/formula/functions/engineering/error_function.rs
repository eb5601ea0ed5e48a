//! ERF, ERF.PRECISE, ERFC and ERFC.PRECISE: the error function and its
//! complement, from the one error function the categories share
//! (`functions::util::erf`). Negative arguments are accepted, as in
//! Excel 2010 and later.

use super::atp_float;
use crate::formula::functions::util::{erf, erfc};
use crate::formula::functions::*;

/// ERF(lower, [upper]): erf(lower), or the integral between the limits,
/// erf(upper) - erf(lower).
pub(super) fn erf_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let lower = atp_float(ctx, &args[0])?;
    if args.len() < 2 {
        return Ok(CalcValue::float(erf(lower)));
    }
    let upper = atp_float(ctx, &args[1])?;
    Ok(CalcValue::float(erf(upper) - erf(lower)))
}

pub(super) fn erf_precise_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(erf(atp_float(ctx, &args[0])?)))
}

pub(super) fn erfc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(erfc(atp_float(ctx, &args[0])?)))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{assert_formula_close, err, eval_str, num};
    use crate::model::ErrorKind;

    #[test]
    fn microsofts_examples() {
        assert_formula_close("=ERF(0.745)", 0.70792892, 1e-8);
        assert_formula_close("=ERF(1,2)", 0.15262147, 1e-8);
        assert_formula_close("=ERF.PRECISE(0.745)", 0.70792892, 1e-8);
        assert_formula_close("=ERF.PRECISE(1)", 0.84270079, 1e-8);
        assert_formula_close("=ERFC(1)", 0.15729921, 1e-8);
        assert_formula_close("=ERFC.PRECISE(1)", 0.15729921, 1e-8);
    }

    #[test]
    fn negative_limits_and_extremes() {
        assert_formula_close("=ERF(-2)", -0.995322265018953, 1e-14);
        assert_formula_close("=ERFC(-2)", 1.995322265018953, 1e-14);
        assert_formula_close("=ERF(2,-2)", -1.990644530037906, 1e-14);
        assert_formula_close("=ERFC(6)", 2.1519736712498913e-17, 1e-30);
        assert_eq!(eval_str("=ERF(0)"), num("0"));
        assert_eq!(eval_str("=ERFC(0)"), num("1"));
        assert_eq!(eval_str("=ERF(30)"), num("1"));
        // Near zero the series keeps every digit (Excel: 1.12837916709551E-08).
        assert_formula_close("=ERF(1E-8)", 1.128_379_167_095_51e-8, 1e-22);
        assert_formula_close("=ERF(0.3)", 0.328_626_759_459_127, 1e-15);
        assert_formula_close("=ERF(-0.49)", -0.511_668_261_188_523, 1e-15);
    }

    #[test]
    fn error_kinds() {
        assert_eq!(eval_str("=ERF(TRUE)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=ERF(1,\"a\")"), err(ErrorKind::Value));
        assert_eq!(eval_str("=ERFC(NA())"), err(ErrorKind::NA));
        assert_eq!(eval_str("=ERF.PRECISE(\"x\")"), err(ErrorKind::Value));
    }
}
