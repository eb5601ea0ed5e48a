//! Helpers more than one function category needs. A category imports
//! shared rules from here, never from a sibling category, so each
//! category folder can change on its own: the Analysis ToolPak argument
//! reading, the exact number cores (integer parts, rounding, sums) and
//! the statistics cores that AGGREGATE, SUBTOTAL and the database
//! functions compute with as well as the statistical category, and how a
//! date result leaves a core in the workbook's date system.

use super::*;
use rust_decimal::prelude::*;
use std::cmp::Ordering;

/// A value as a float the way Analysis ToolPak functions (EOMONTH,
/// YEARFRAC, WORKDAY, the bond functions...) take it: a boolean is
/// `#VALUE!`, text is parsed.
pub fn atp_num(v: &Value) -> Result<f64, ErrorKind> {
    match v {
        Value::Bool(_) => Err(ErrorKind::Value),
        v => finite_num(v),
    }
}

/// A value as a float with Excel's coercion (text parsed, booleans 0/1);
/// `#NUM!` when it is not finite.
pub fn finite_num(v: &Value) -> Result<f64, ErrorKind> {
    let f = to_number(v)?.to_f64();
    if f.is_finite() {
        Ok(f)
    } else {
        Err(ErrorKind::Num)
    }
}

/// A date core's result (a 1900-system serial) as the number of the
/// workbook's date system; `#NUM!` before its first day, as Excel gives
/// for `DATE(1903,1,1)` in a 1904 workbook. The date & time functions and
/// the bond functions that return dates (COUPNCD, COUPPCD) both answer
/// through it.
pub(crate) fn date_out(
    r: Result<f64, ErrorKind>,
    system: crate::model::DateSystem,
) -> Result<Value, ErrorKind> {
    r.and_then(|s| system.number_from_serial(s).ok_or(ErrorKind::Num))
        .map(float_value)
}

// ---- number cores ----------------------------------------------------------

/// Result of a numeric core: a number or the Excel error it produces.
pub type NumResult = Result<Number, ErrorKind>;

/// Rounds toward negative infinity to an integer.
pub fn floor_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.floor()),
        Number::Float(f) => Number::float(f.get().floor()),
    }
}

/// Rounds toward positive infinity to an integer.
pub fn ceil_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.ceil()),
        Number::Float(f) => Number::float(f.get().ceil()),
    }
}

/// Rounds toward zero to an integer.
pub fn trunc_int(n: Number) -> Number {
    match n {
        Number::Exact(d) => Number::Exact(d.trunc()),
        Number::Float(f) => Number::float(f.get().trunc()),
    }
}

/// -1, 0 or 1 by the sign of `n`.
pub(super) fn sign_of(n: Number) -> i32 {
    match n.partial_cmp(&Number::ZERO) {
        Some(std::cmp::Ordering::Less) => -1,
        Some(std::cmp::Ordering::Greater) => 1,
        _ => 0,
    }
}

/// Rounds to `digits` with the given strategy, also for large negative
/// digit counts and float magnitudes, which `Number::round_with` clamps.
fn round_strategy(n: Number, digits: i32, strategy: RoundingStrategy) -> Number {
    if digits >= -18 && n.to_decimal().is_some() {
        return n.round_with(digits, strategy);
    }
    let f = n.to_f64();
    let factor = 10f64.powi(digits);
    let scaled = f * factor;
    if !scaled.is_finite() || scaled.abs() >= 1e17 {
        // Already coarser than the digits asked for.
        return n;
    }
    let r = match strategy {
        RoundingStrategy::ToZero => scaled.trunc(),
        RoundingStrategy::AwayFromZero => {
            if scaled.fract() == 0.0 {
                scaled
            } else {
                scaled.trunc() + scaled.signum()
            }
        }
        _ => scaled.round(),
    };
    Number::from_float_result(r / factor)
}

/// ROUND: half away from zero.
pub fn round(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::MidpointAwayFromZero)
}

/// ROUNDUP: away from zero.
pub fn round_up(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::AwayFromZero)
}

/// ROUNDDOWN and TRUNC: toward zero.
pub fn round_down(n: Number, digits: i32) -> Number {
    round_strategy(n, digits, RoundingStrategy::ToZero)
}

/// A float result turned into a number, or #NUM! when not finite.
pub fn float_result(f: f64) -> NumResult {
    if f.is_finite() {
        Ok(Number::from_float_result(f))
    } else {
        Err(ErrorKind::Num)
    }
}

/// The error function, the one every category uses (ERF, the normal and
/// lognormal distributions, GAUSS). Away from zero `puruspe`'s Chebyshev
/// fit, good to the last digit or two, where statrs 0.18's `erf` is off
/// by about 1E-11 (erf(1) came out 0.842700792942715 against
/// 0.842700792949715); near zero its Maclaurin series, because puruspe
/// takes erf as 1 - erfc and so keeps only about 1E-17 absolute there
/// (ERF(1E-8) lost its last eight digits).
pub fn erf(x: f64) -> f64 {
    if x.abs() >= 0.5 {
        return puruspe::erf(x);
    }
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)); each term
    // is below x^2/n of the last, so 25 terms reach double precision.
    let x2 = x * x;
    let (mut term, mut sum) = (x, x);
    for n in 1..25 {
        term *= -x2 / n as f64;
        sum += term / (2 * n + 1) as f64;
    }
    sum * std::f64::consts::FRAC_2_SQRT_PI
}

/// The complementary error function 1 - erf(x), accurate in the far tail
/// where the subtraction would lose every digit.
pub fn erfc(x: f64) -> f64 {
    puruspe::erfc(x)
}

/// SQRT: #NUM! for negative numbers.
pub fn sqrt(n: Number) -> NumResult {
    if sign_of(n) < 0 {
        return Err(ErrorKind::Num);
    }
    if let Number::Exact(d) = n {
        if let Some(r) = d.sqrt() {
            // Only trust the decimal root when it squares back exactly.
            if r * r == d {
                return Ok(Number::Exact(r.normalize()));
            }
        }
    }
    float_result(n.to_f64().sqrt())
}

/// The sum of a list of numbers (exact while it fits).
pub fn sum_of(values: &[Number]) -> Number {
    values.iter().fold(Number::ZERO, |a, b| a + *b)
}

/// The product of a list of numbers (exact while it fits).
pub fn product_of(values: &[Number]) -> Number {
    values.iter().fold(Number::ONE, |a, b| a * *b)
}

// ---- statistics cores ------------------------------------------------------

/// Orders numbers for sorting (incomparable ones as equal).
pub(super) fn cmp(a: &Number, b: &Number) -> Ordering {
    a.partial_cmp(b).unwrap_or(Ordering::Equal)
}

/// AVERAGE: #DIV/0! when there is nothing to average.
pub fn average(values: &[Number]) -> NumResult {
    excel_div(sum_of(values), Number::from_i64(values.len() as i64)).ok_or(ErrorKind::Div0)
}

/// The mean to 28 significant digits, for further exact arithmetic.
pub(super) fn mean_exact(values: &[Number]) -> NumResult {
    sum_of(values)
        .checked_div(Number::from_i64(values.len() as i64))
        .ok_or(ErrorKind::Div0)
}

/// A quotient as Excel has it: exact when it terminates within 15
/// decimals (`0.15`), otherwise the float quotient (so 2/3 is the same
/// double Excel stores, not a 28-digit decimal one ulp away).
pub fn excel_div(a: Number, b: Number) -> Option<Number> {
    match a.checked_div(b)? {
        Number::Exact(d) if d.normalize().scale() > 15 => {
            Some(Number::from_float_result(a.to_f64() / b.to_f64()))
        }
        q => Some(q),
    }
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
    let k = ceil_int(k).to_i64().ok_or(ErrorKind::Num)?;
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

/// Sum of squared deviations from the mean (DEVSQ), exact where it fits.
pub fn devsq(values: &[Number]) -> NumResult {
    let mean = mean_exact(values)?;
    let squares: Vec<Number> = values
        .iter()
        .map(|v| {
            let d = *v - mean;
            d * d
        })
        .collect();
    Ok(sum_of(&squares))
}

/// VAR.S (`sample`) and VAR.P: #DIV/0! with too few values.
pub fn variance(values: &[Number], sample: bool) -> NumResult {
    let n = values.len() as i64 - i64::from(sample);
    if n <= 0 {
        return Err(ErrorKind::Div0);
    }
    let ss = devsq(values)?;
    excel_div(ss, Number::from_i64(n)).ok_or(ErrorKind::Div0)
}

/// STDEV.S (`sample`) and STDEV.P.
pub fn stdev(values: &[Number], sample: bool) -> NumResult {
    sqrt(variance(values, sample)?)
}

/// A 28-digit decimal quotient such as 2.8888…9 replaced by the nearest
/// double (what Excel holds), so it compares and displays like Excel's
/// result; exact short decimals are unchanged.
pub fn tidy(n: Number) -> Number {
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
    // Sorting the positions by value puts equal values side by side, so
    // counting is O(n log n) rather than a scan of the distinct values per
    // value; the stable sort keeps each run's first appearance in front.
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| cmp(&values[i], &values[j]));
    // (first appearance, count) of each distinct value.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &i in &order {
        match runs.last_mut() {
            Some((first, count)) if values[*first] == values[i] => *count += 1,
            _ => runs.push((i, 1)),
        }
    }
    let best = runs.iter().map(|(_, c)| *c).max().unwrap_or(0);
    if best < 2 {
        return Err(ErrorKind::NA);
    }
    let mut firsts: Vec<usize> = runs
        .into_iter()
        .filter(|(_, c)| *c == best)
        .map(|(first, _)| first)
        .collect();
    firsts.sort_unstable();
    Ok(firsts.into_iter().map(|i| values[i]).collect())
}

/// MAX: 0 for an empty list, as in Excel.
pub fn max(values: &[Number]) -> Number {
    values.iter().copied().max_by(cmp).unwrap_or(Number::ZERO)
}

/// MIN: 0 for an empty list, as in Excel.
pub fn min(values: &[Number]) -> Number {
    values.iter().copied().min_by(cmp).unwrap_or(Number::ZERO)
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
    let lo = floor_int(pos);
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
    let q = trunc_int(quart).to_i64().ok_or(ErrorKind::Num)?;
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
mod tests {
    use super::*;
    use crate::formula::testing::{float_ok, numbers};

    #[test]
    fn averages_and_medians() {
        assert_eq!(
            float_ok(average(&numbers(&[10.0, 7.0, 9.0, 27.0, 2.0]))),
            11.0
        );
        assert_eq!(average(&[]), Err(ErrorKind::Div0));
        assert_eq!(
            average(&numbers(&[0.1, 0.2])).unwrap(),
            Number::from_f64(0.15)
        );
        assert_eq!(float_ok(median(&numbers(&[1.0, 2.0, 3.0, 4.0, 5.0]))), 3.0);
        assert_eq!(
            float_ok(median(&numbers(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))),
            3.5
        );
        assert_eq!(median(&[]), Err(ErrorKind::Num));
    }

    #[test]
    fn variance_and_stdev() {
        let v = numbers(&[1.0, 2.0, 3.0]);
        assert!((float_ok(variance(&v, false)) - 0.666_666_666_666_666_6).abs() < 1e-15);
        assert_eq!(float_ok(variance(&v, true)), 1.0);
        assert_eq!(variance(&numbers(&[1.0]), true), Err(ErrorKind::Div0));
        let w = numbers(&[
            1345.0, 1301.0, 1368.0, 1322.0, 1310.0, 1370.0, 1318.0, 1350.0, 1303.0, 1299.0,
        ]);
        assert!((float_ok(stdev(&w, true)) - 27.463_915_719_843_3).abs() < 1e-9);
        assert!((float_ok(stdev(&w, false)) - 26.054_558_142_482_5).abs() < 1e-9);
    }

    #[test]
    fn percentiles_and_quartiles() {
        let v = numbers(&[1.0, 3.0, 2.0, 4.0]);
        assert_eq!(
            percentile(&v, Number::from_f64(0.3), false)
                .unwrap()
                .to_f64(),
            1.9
        );
        assert_eq!(percentile(&v, Number::ONE, false).unwrap().to_f64(), 4.0);
        assert_eq!(
            percentile(&v, Number::from_f64(1.5), false),
            Err(ErrorKind::Num)
        );
        let w = numbers(&[1.0, 2.0, 3.0, 6.0, 6.0, 6.0, 7.0, 8.0, 9.0]);
        assert_eq!(
            percentile(&w, Number::from_f64(0.25), true)
                .unwrap()
                .to_f64(),
            2.5
        );
        assert_eq!(
            percentile(&w, Number::from_f64(0.01), true),
            Err(ErrorKind::Num)
        );
        let q = numbers(&[1.0, 2.0, 4.0, 7.0, 8.0, 9.0, 10.0, 12.0]);
        assert_eq!(quartile(&q, Number::ONE, false).unwrap().to_f64(), 3.5);
        assert_eq!(quartile(&q, Number::ONE, true).unwrap().to_f64(), 2.5);
        assert_eq!(quartile(&q, Number::from_i64(4), true), Err(ErrorKind::Num));
    }
}
