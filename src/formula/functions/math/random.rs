//! RAND and RANDBETWEEN: a small deterministic generator seeded from
//! the engine's clock, so recalculation stays reproducible in tests.

use crate::formula::functions::util::{ceil_int, floor_int};
use crate::formula::functions::*;

/// A splitmix64 step: small, fast and good enough for spreadsheet RAND.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform float in [0, 1). Seeded from the engine clock (fixed by the
/// engine options, so a run with a fixed clock is reproducible), the
/// cell being computed and how many random numbers the cell drew before
/// (so two RANDs in one cell differ): the same whatever order, or however
/// many threads, the cells are computed in.
fn next_random(ctx: &mut CallContext) -> f64 {
    let now = ctx.now();
    let cell = ctx.current_cell().unwrap_or_default();
    ctx.run.random_draws = ctx.run.random_draws.wrapping_add(1);
    let draws = ctx.run.random_draws;
    let mut state = (now.and_utc().timestamp_nanos_opt().unwrap_or(0) as u64)
        ^ (u64::from(cell.row) << 20)
        ^ u64::from(cell.col)
        ^ ((ctx.current_sheet() as u64) << 40)
        ^ draws.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    (splitmix(&mut state) >> 11) as f64 / (1u64 << 53) as f64
}

pub(super) fn rand_fn(ctx: &mut CallContext, _args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(next_random(ctx)))
}

pub(super) fn randbetween_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let lo = ceil_int(ctx.number(&args[0])?);
    let hi = floor_int(ctx.number(&args[1])?);
    if lo > hi {
        return Err(ErrorKind::Num);
    }
    let span = (hi - lo + Number::ONE).to_f64();
    let offset = (next_random(ctx) * span).floor();
    Ok(CalcValue::number(lo + Number::from_f64(offset)))
}

/// RANDARRAY([rows], [columns], [min], [max], [integer]): an array of
/// random numbers in [min, max) (whole numbers in [min, max] with
/// `integer`). A size below 1, `min` above `max`, or `integer` with
/// bounds that are not whole, is `#VALUE!`; more values than an array
/// may hold is `#NUM!`.
pub(super) fn randarray_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let rows = ctx.opt_float(args, 0, 1.0)?.trunc();
    let cols = ctx.opt_float(args, 1, 1.0)?.trunc();
    let lo = ctx.opt_float(args, 2, 0.0)?;
    let hi = ctx.opt_float(args, 3, 1.0)?;
    let whole = ctx.opt_bool(args, 4, false)?;
    if rows < 1.0 || cols < 1.0 || lo > hi || (whole && (lo.fract() != 0.0 || hi.fract() != 0.0)) {
        return Err(ErrorKind::Value);
    }
    if rows * cols > crate::formula::calc::MAX_ARRAY_CELLS as f64 {
        return Err(ErrorKind::Num);
    }
    let values = Array::from_fn(rows as usize, cols as usize, |_, _| {
        let u = next_random(ctx);
        if whole {
            float_value(lo + (u * (hi - lo + 1.0)).floor())
        } else {
            float_value(lo + u * (hi - lo))
        }
    });
    Ok(CalcValue::Array(values))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::err;
    use crate::formula::testing::eval_str;
    use crate::model::ErrorKind;

    #[test]
    fn randarray_fills_its_shape_within_bounds() {
        let crate::formula::CalcValue::Array(a) =
            crate::formula::testing::eval_calc("=RANDARRAY(5,3,10,20,TRUE)")
        else {
            panic!("an array")
        };
        assert_eq!((a.rows, a.cols), (5, 3));
        for v in &a.values {
            let x = v.as_number().unwrap().to_f64();
            assert!((10.0..=20.0).contains(&x) && x.fract() == 0.0, "{x}");
        }
        let r = eval_str("=RANDARRAY()").as_number().unwrap().to_f64();
        assert!((0.0..1.0).contains(&r));
        assert_eq!(eval_str("=RANDARRAY(0)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=RANDARRAY(2,2,5,1)"), err(ErrorKind::Value));
        assert_eq!(
            eval_str("=RANDARRAY(2,2,0.5,3,TRUE)"),
            err(ErrorKind::Value)
        );
        assert_eq!(eval_str("=RANDARRAY(100000,100000)"), err(ErrorKind::Num));
    }

    #[test]
    fn random_numbers_stay_in_range() {
        for _ in 0..20 {
            let r = eval_str("=RAND()").as_number().unwrap().to_f64();
            assert!((0.0..1.0).contains(&r), "{r}");
            let k = eval_str("=RANDBETWEEN(1,6)").as_number().unwrap().to_f64();
            assert!((1.0..=6.0).contains(&k) && k.fract() == 0.0, "{k}");
        }
        assert_eq!(eval_str("=RANDBETWEEN(6,1)"), err(ErrorKind::Num));
    }
}
