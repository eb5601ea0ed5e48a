//! Order statistics: LARGE/SMALL, percentiles, quartiles, ranks and
//! percent ranks, which all sort the values first.

use crate::formula::functions::util::{
    cmp, kth, percentile, quartile, round_down, trunc_int, NumResult,
};
use crate::formula::functions::*;
use std::cmp::Ordering;

/// LARGE/SMALL/PERCENTILE/QUARTILE: numbers of the first argument, and a
/// second argument lifted over arrays (`LARGE(A:A, {1,2,3})` spills).
fn with_k(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(&[Number], Number) -> NumResult,
) -> EvalResult {
    let nums = ctx.numbers(&args[..1], Collect::Numbers)?;
    ctx.map_value(&args[1], |k| Ok(Value::Number(f(&nums, to_number(k)?)?)))
}

pub(super) fn large_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| kth(v, k, true))
}

pub(super) fn small_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| kth(v, k, false))
}

pub(super) fn percentile_inc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| percentile(v, k, false))
}

pub(super) fn percentile_exc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| percentile(v, k, true))
}

pub(super) fn quartile_inc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| quartile(v, k, false))
}

pub(super) fn quartile_exc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    with_k(ctx, args, |v, k| quartile(v, k, true))
}

fn rank_common(ctx: &mut CallContext, args: &[Expr], average_ties: bool) -> EvalResult {
    let x = ctx.number(&args[0])?;
    let nums = ctx.numbers(&args[1..2], Collect::Numbers)?;
    let ascending = if CallContext::is_missing(args, 2) {
        false
    } else {
        !ctx.number(&args[2])?.is_zero()
    };
    Ok(CalcValue::number(rank(x, &nums, ascending, average_ties)?))
}

pub(super) fn rank_eq_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    rank_common(ctx, args, false)
}

pub(super) fn rank_avg_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    rank_common(ctx, args, true)
}

/// PERCENTRANK.INC / .EXC: the interpolated rank of `x`, truncated to
/// `significance` digits (3 by default); `#N/A` outside the values.
fn percentrank(ctx: &mut CallContext, args: &[Expr], exclusive: bool) -> EvalResult {
    let mut v = ctx.numbers(&args[..1], Collect::Numbers)?;
    let x = ctx.number(&args[1])?;
    let digits = ctx.opt_number(args, 2, Number::from_i64(3))?;
    let digits = trunc_int(digits).to_i64().ok_or(ErrorKind::Num)?;
    if digits < 1 || v.is_empty() {
        return Err(ErrorKind::Num);
    }
    v.sort_by(cmp);
    let n = v.len() as f64;
    if x < v[0] || x > v[v.len() - 1] {
        return Err(ErrorKind::NA);
    }
    let below = v.iter().filter(|y| **y < x).count();
    let position = if v.get(below) == Some(&x) {
        below as f64
    } else {
        // Between v[below - 1] and v[below].
        let (lo, hi) = (v[below - 1].to_f64(), v[below].to_f64());
        (below - 1) as f64 + (x.to_f64() - lo) / (hi - lo)
    };
    let rank = if exclusive {
        (position + 1.0) / (n + 1.0)
    } else if v.len() == 1 {
        1.0
    } else {
        position / (n - 1.0)
    };
    let r = round_down(Number::from_f64(rank), digits.min(15) as i32);
    Ok(CalcValue::number(r))
}

pub(super) fn percentrank_inc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    percentrank(ctx, args, false)
}

pub(super) fn percentrank_exc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    percentrank(ctx, args, true)
}

/// RANK / RANK.EQ (`average_ties` false) and RANK.AVG (true): the rank of
/// `x` in `values`, descending unless `ascending`; #N/A when absent.
pub fn rank(x: Number, values: &[Number], ascending: bool, average_ties: bool) -> NumResult {
    let mut before = 0i64;
    let mut equal = 0i64;
    for v in values {
        match cmp(v, &x) {
            Ordering::Equal => equal += 1,
            Ordering::Greater if !ascending => before += 1,
            Ordering::Less if ascending => before += 1,
            _ => {}
        }
    }
    if equal == 0 {
        return Err(ErrorKind::NA);
    }
    if !average_ties {
        return Ok(Number::from_i64(before + 1));
    }
    // Ranks before+1 ..= before+equal, averaged.
    Number::from_i64(2 * before + equal + 1)
        .checked_div(Number::from_i64(2))
        .ok_or(ErrorKind::NA)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::{err, float_ok, numbers};
    use crate::formula::testing::{eval_with, num};
    use crate::model::ErrorKind;

    #[test]
    fn large_small_rank() {
        let v = numbers(&[3.0, 4.0, 2.0, 4.0, -5.0, 3.0]);
        assert_eq!(float_ok(kth(&v, Number::from_i64(1), false)), -5.0);
        assert_eq!(float_ok(kth(&v, Number::from_i64(1), true)), 4.0);
        assert_eq!(float_ok(kth(&v, Number::from_f64(3.4), false)), 3.0);
        assert_eq!(kth(&v, Number::ZERO, false), Err(ErrorKind::Num));
        assert_eq!(kth(&v, Number::from_i64(7), true), Err(ErrorKind::Num));
        let r = numbers(&[7.0, 3.5, 3.5, 1.0, 2.0]);
        assert_eq!(float_ok(rank(Number::from_f64(3.5), &r, false, false)), 2.0);
        assert_eq!(float_ok(rank(Number::from_f64(7.0), &r, true, false)), 5.0);
        assert_eq!(float_ok(rank(Number::from_f64(3.5), &r, false, true)), 2.5);
        assert_eq!(
            rank(Number::from_f64(9.0), &r, false, false),
            Err(ErrorKind::NA)
        );
    }

    #[test]
    fn ranks() {
        let cells = [
            ("A1", "7"),
            ("A2", "3.5"),
            ("A3", "3.5"),
            ("A4", "1"),
            ("A5", "2"),
        ];
        assert_eq!(eval_with(&cells, "=RANK(A2,A1:A5)"), num("2"));
        assert_eq!(eval_with(&cells, "=RANK.EQ(A1,A1:A5,1)"), num("5"));
        assert_eq!(eval_with(&cells, "=RANK.AVG(A2,A1:A5)"), num("2.5"));
        assert_eq!(eval_with(&cells, "=RANK(9,A1:A5)"), err(ErrorKind::NA));
    }
}
