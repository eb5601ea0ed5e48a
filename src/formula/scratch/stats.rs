//! Pure cores of the statistical functions over lists of numbers.

use super::math::NumResult;
use crate::model::{ErrorKind, Number};
use std::cmp::Ordering;

fn cmp(a: &Number, b: &Number) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// AVERAGE: #DIV/0! when there is nothing to average.
pub fn average(values: &[Number]) -> NumResult {
    let total = super::math::sum(values.iter().copied());
    total
        .checked_div(Number::from_i64(values.len() as i64))
        .ok_or(ErrorKind::Div0)
}

/// MEDIAN: #NUM! when empty.
pub fn median(values: &[Number]) -> NumResult {
    if values.is_empty() {
        return Err(ErrorKind::Num);
    }
    let mut v = values.to_vec();
    v.sort_by(cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        Ok(v[mid])
    } else {
        (v[mid - 1] + v[mid])
            .checked_div(Number::from_i64(2))
            .ok_or(ErrorKind::Num)
    }
}

/// The k-th value of `values` in `order` (LARGE with descending, SMALL
/// with ascending). A fractional k rounds up; k outside 1..=n is #NUM!.
pub fn kth(values: &[Number], k: Number, descending: bool) -> NumResult {
    let k = super::math::ceil_int(k).to_i64().ok_or(ErrorKind::Num)?;
    if k < 1 || k as usize > values.len() {
        return Err(ErrorKind::Num);
    }
    let mut v = values.to_vec();
    v.sort_by(cmp);
    if descending {
        v.reverse();
    }
    Ok(v[k as usize - 1])
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

/// Sum of squared deviations from the mean (DEVSQ), exact where it fits.
pub fn devsq(values: &[Number]) -> NumResult {
    let mean = average(values)?;
    Ok(super::math::sum(values.iter().map(|v| {
        let d = *v - mean;
        d * d
    })))
}

/// VAR.S (`sample`) and VAR.P: #DIV/0! with too few values.
pub fn variance(values: &[Number], sample: bool) -> NumResult {
    let n = values.len() as i64 - i64::from(sample);
    if n <= 0 {
        return Err(ErrorKind::Div0);
    }
    let ss = devsq(values)?;
    let v = ss.checked_div(Number::from_i64(n)).ok_or(ErrorKind::Div0)?;
    Ok(tidy(v))
}

/// STDEV.S (`sample`) and STDEV.P.
pub fn stdev(values: &[Number], sample: bool) -> NumResult {
    super::math::sqrt(variance(values, sample)?)
}

/// A 28-digit decimal quotient such as 2.8888…9 rounded to the 15
/// significant digits Excel keeps, so it compares and displays like
/// Excel's result; exact short decimals are unchanged.
fn tidy(n: Number) -> Number {
    match n {
        Number::Exact(d) if d.scale() > 15 => Number::from_f64(n.to_f64()),
        other => other,
    }
}

/// MODE / MODE.SNGL: the most frequent value, earliest on ties; #N/A when
/// nothing repeats.
pub fn mode(values: &[Number]) -> NumResult {
    mode_mult(values).map(|m| m[0])
}

/// MODE.MULT: every value with the highest frequency (at least two), in
/// order of first appearance; #N/A when nothing repeats.
pub fn mode_mult(values: &[Number]) -> Result<Vec<Number>, ErrorKind> {
    let mut counts: Vec<(Number, usize)> = Vec::new();
    for v in values {
        match counts.iter_mut().find(|(x, _)| x == v) {
            Some((_, c)) => *c += 1,
            None => counts.push((*v, 1)),
        }
    }
    let best = counts.iter().map(|(_, c)| *c).max().unwrap_or(0);
    if best < 2 {
        return Err(ErrorKind::NA);
    }
    Ok(counts
        .into_iter()
        .filter(|(_, c)| *c == best)
        .map(|(v, _)| v)
        .collect())
}

/// MAX: 0 for an empty list, as in Excel.
pub fn max(values: &[Number]) -> Number {
    values.iter().copied().max_by(cmp).unwrap_or(Number::ZERO)
}

/// MIN: 0 for an empty list, as in Excel.
pub fn min(values: &[Number]) -> Number {
    values.iter().copied().min_by(cmp).unwrap_or(Number::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(v: &[f64]) -> Vec<Number> {
        v.iter().map(|x| Number::from_f64(*x)).collect()
    }
    fn f(r: NumResult) -> f64 {
        r.unwrap().to_f64()
    }

    #[test]
    fn averages_and_medians() {
        assert_eq!(f(average(&nums(&[10.0, 7.0, 9.0, 27.0, 2.0]))), 11.0);
        assert_eq!(average(&[]), Err(ErrorKind::Div0));
        assert_eq!(average(&nums(&[0.1, 0.2])).unwrap(), Number::from_f64(0.15));
        assert_eq!(f(median(&nums(&[1.0, 2.0, 3.0, 4.0, 5.0]))), 3.0);
        assert_eq!(f(median(&nums(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))), 3.5);
        assert_eq!(median(&[]), Err(ErrorKind::Num));
    }

    #[test]
    fn large_small_rank() {
        let v = nums(&[3.0, 4.0, 2.0, 4.0, -5.0, 3.0]);
        assert_eq!(f(kth(&v, Number::from_i64(1), false)), -5.0);
        assert_eq!(f(kth(&v, Number::from_i64(1), true)), 4.0);
        assert_eq!(f(kth(&v, Number::from_f64(3.4), false)), 3.0);
        assert_eq!(kth(&v, Number::ZERO, false), Err(ErrorKind::Num));
        assert_eq!(kth(&v, Number::from_i64(7), true), Err(ErrorKind::Num));
        let r = nums(&[7.0, 3.5, 3.5, 1.0, 2.0]);
        assert_eq!(f(rank(Number::from_f64(3.5), &r, false, false)), 2.0);
        assert_eq!(f(rank(Number::from_f64(7.0), &r, true, false)), 5.0);
        assert_eq!(f(rank(Number::from_f64(3.5), &r, false, true)), 2.5);
        assert_eq!(
            rank(Number::from_f64(9.0), &r, false, false),
            Err(ErrorKind::NA)
        );
    }

    #[test]
    fn variance_and_stdev() {
        let v = nums(&[1.0, 2.0, 3.0]);
        assert!((f(variance(&v, false)) - 0.666_666_666_666_666_6).abs() < 1e-15);
        assert_eq!(f(variance(&v, true)), 1.0);
        assert_eq!(variance(&nums(&[1.0]), true), Err(ErrorKind::Div0));
        let w = nums(&[
            1345.0, 1301.0, 1368.0, 1322.0, 1310.0, 1370.0, 1318.0, 1350.0, 1303.0, 1299.0,
        ]);
        assert!((f(stdev(&w, true)) - 27.463_915_719_843_3).abs() < 1e-9);
        assert!((f(stdev(&w, false)) - 26.054_558_142_482_5).abs() < 1e-9);
    }

    #[test]
    fn modes() {
        assert_eq!(f(mode(&nums(&[1.0, 2.0, 3.0, 2.0, 2.0, 3.0]))), 2.0);
        assert_eq!(mode(&nums(&[1.0, 2.0, 3.0])), Err(ErrorKind::NA));
        assert_eq!(
            mode_mult(&nums(&[1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0]))
                .unwrap()
                .len(),
            4
        );
        assert_eq!(f(Ok(max(&[]))), 0.0);
        assert_eq!(f(Ok(min(&nums(&[3.0, -1.0])))), -1.0);
    }
}

/// PERCENTILE.INC (`exclusive` false) and PERCENTILE.EXC: linear
/// interpolation between the sorted values; #NUM! when `k` is outside
/// [0,1] (inclusive) or outside the values' reach (exclusive).
pub fn percentile(values: &[Number], k: Number, exclusive: bool) -> NumResult {
    if values.is_empty() {
        return Err(ErrorKind::Num);
    }
    let n = values.len() as i64;
    let kf = k.to_f64();
    // Position in the sorted list, zero-based.
    let pos = if exclusive {
        if kf <= 0.0 || kf >= 1.0 {
            return Err(ErrorKind::Num);
        }
        let p = k * Number::from_i64(n + 1) - Number::ONE;
        if p < Number::ZERO || p > Number::from_i64(n - 1) {
            return Err(ErrorKind::Num);
        }
        p
    } else {
        if !(0.0..=1.0).contains(&kf) {
            return Err(ErrorKind::Num);
        }
        k * Number::from_i64(n - 1)
    };
    let mut v = values.to_vec();
    v.sort_by(cmp);
    let lo = super::math::floor_int(pos);
    let i = lo.to_i64().ok_or(ErrorKind::Num)? as usize;
    let frac = pos - lo;
    if frac.is_zero() || i + 1 >= v.len() {
        return Ok(v[i.min(v.len() - 1)]);
    }
    Ok(tidy(v[i] + frac * (v[i + 1] - v[i])))
}

/// QUARTILE.INC / QUARTILE.EXC: `quart` truncated; 0..=4 inclusive,
/// 1..=3 exclusive, #NUM! otherwise.
pub fn quartile(values: &[Number], quart: Number, exclusive: bool) -> NumResult {
    let q = super::math::trunc_int(quart).to_i64().ok_or(ErrorKind::Num)?;
    let ok = if exclusive { 1..=3 } else { 0..=4 };
    if !ok.contains(&q) {
        return Err(ErrorKind::Num);
    }
    let k = Number::from_i64(q)
        .checked_div(Number::from_i64(4))
        .ok_or(ErrorKind::Num)?;
    percentile(values, k, exclusive)
}

#[cfg(test)]
mod percentile_tests {
    use super::*;

    fn nums(v: &[f64]) -> Vec<Number> {
        v.iter().map(|x| Number::from_f64(*x)).collect()
    }

    #[test]
    fn percentiles_and_quartiles() {
        let v = nums(&[1.0, 3.0, 2.0, 4.0]);
        assert_eq!(percentile(&v, Number::from_f64(0.3), false).unwrap().to_f64(), 1.9);
        assert_eq!(percentile(&v, Number::ONE, false).unwrap().to_f64(), 4.0);
        assert_eq!(percentile(&v, Number::from_f64(1.5), false), Err(ErrorKind::Num));
        let w = nums(&[1.0, 2.0, 3.0, 6.0, 6.0, 6.0, 7.0, 8.0, 9.0]);
        assert_eq!(percentile(&w, Number::from_f64(0.25), true).unwrap().to_f64(), 2.5);
        assert_eq!(percentile(&w, Number::from_f64(0.01), true), Err(ErrorKind::Num));
        let q = nums(&[1.0, 2.0, 4.0, 7.0, 8.0, 9.0, 10.0, 12.0]);
        assert_eq!(quartile(&q, Number::ONE, false).unwrap().to_f64(), 3.5);
        assert_eq!(quartile(&q, Number::ONE, true).unwrap().to_f64(), 2.5);
        assert_eq!(quartile(&q, Number::from_i64(4), true), Err(ErrorKind::Num));
    }
}
