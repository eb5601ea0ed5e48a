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

thread_local! {
    /// Calls so far in this thread, so two RANDs in one cell differ.
    static RAND_CALLS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// A uniform float in [0, 1). Seeded from the engine clock (fixed by the
/// engine options, so a run with a fixed clock is reproducible), the
/// cell being computed and a per-thread call counter.
fn next_random(ctx: &CallContext) -> f64 {
    let now = ctx.now();
    let cell = ctx.current_cell().unwrap_or_default();
    let calls = RAND_CALLS.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    let mut state = (now.and_utc().timestamp_nanos_opt().unwrap_or(0) as u64)
        ^ (u64::from(cell.row) << 20)
        ^ u64::from(cell.col)
        ^ ((ctx.current_sheet() as u64) << 40)
        ^ calls.wrapping_mul(0xD6E8_FEB8_6659_FD93);
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

#[cfg(test)]
mod tests {
    use crate::formula::testing::err;
    use crate::formula::testing::eval_str;
    use crate::model::ErrorKind;

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
