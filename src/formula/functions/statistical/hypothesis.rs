//! Tests of hypotheses on samples: T.TEST (paired, equal and unequal
//! variances), F.TEST and CHISQ.TEST, each giving the probability Excel
//! gives. Values that are not numbers inside the samples are skipped, as
//! Excel skips them.

use super::util::{paired_numbers, prob};
use crate::formula::functions::util::{mean_exact, variance};
use crate::formula::functions::*;
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, StudentsT};

/// The numbers of one sample (text, booleans and blanks in it skipped).
fn sample(ctx: &mut CallContext, e: &Expr) -> Result<Vec<f64>, ErrorKind> {
    let a = ctx.array(e)?;
    let mut out = Vec::new();
    for v in &a.values {
        match v {
            Value::Error(k) => return Err(*k),
            Value::Number(_) | Value::Date(_) => {
                out.extend(as_calc_number(v).map(|n| n.to_f64()));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Sample variance with the exact cores (so the sums carry no
/// cancellation), as a float.
fn sample_variance(v: &[f64]) -> Result<f64, ErrorKind> {
    let numbers: Vec<Number> = v.iter().map(|x| Number::from_f64(*x)).collect();
    Ok(variance(&numbers, true)?.to_f64())
}

/// P(T > t) for Student's t with `df` (possibly fractional) degrees of
/// freedom.
fn t_tail(t: f64, df: f64) -> Result<f64, ErrorKind> {
    let d = StudentsT::new(0.0, 1.0, df).map_err(|_| ErrorKind::Num)?;
    Ok(d.sf(t))
}

/// T.TEST(array1, array2, tails, type): type 1 paired, 2 two samples of
/// equal variance, 3 unequal variances (Welch's degrees of freedom,
/// not rounded).
pub(super) fn t_test_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let tails = ctx.float(&args[2])?.trunc();
    let kind = ctx.float(&args[3])?.trunc();
    if !(tails == 1.0 || tails == 2.0) || !(1.0..=3.0).contains(&kind) {
        return Err(ErrorKind::Num);
    }
    let (t, df) = if kind == 1.0 {
        let pairs = paired_numbers(ctx, &args[..2])?;
        let differences: Vec<Number> = pairs.iter().map(|(a, b)| *a - *b).collect();
        let n = differences.len() as f64;
        if differences.len() < 2 {
            return Err(ErrorKind::Div0);
        }
        let m = mean_exact(&differences)?.to_f64();
        let v = variance(&differences, true)?.to_f64();
        (m / (v / n).sqrt(), n - 1.0)
    } else {
        let a = sample(ctx, &args[0])?;
        let b = sample(ctx, &args[1])?;
        if a.len() < 2 || b.len() < 2 {
            return Err(ErrorKind::Div0);
        }
        let (n1, n2) = (a.len() as f64, b.len() as f64);
        let (v1, v2) = (sample_variance(&a)?, sample_variance(&b)?);
        let difference = mean(&a) - mean(&b);
        if kind == 2.0 {
            let pooled = ((n1 - 1.0) * v1 + (n2 - 1.0) * v2) / (n1 + n2 - 2.0);
            (
                difference / (pooled * (1.0 / n1 + 1.0 / n2)).sqrt(),
                n1 + n2 - 2.0,
            )
        } else {
            let (s1, s2) = (v1 / n1, v2 / n2);
            let df = (s1 + s2).powi(2) / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0));
            (difference / (s1 + s2).sqrt(), df)
        }
    };
    if !t.is_finite() || !df.is_finite() {
        return Err(ErrorKind::Div0);
    }
    prob(tails * t_tail(t.abs(), df)?)
}

/// F.TEST(array1, array2): twice the smaller tail of the F distribution
/// at the ratio of the sample variances.
pub(super) fn f_test_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let a = sample(ctx, &args[0])?;
    let b = sample(ctx, &args[1])?;
    if a.len() < 2 || b.len() < 2 {
        return Err(ErrorKind::Div0);
    }
    let (v1, v2) = (sample_variance(&a)?, sample_variance(&b)?);
    if v1 == 0.0 || v2 == 0.0 {
        return Err(ErrorKind::Div0);
    }
    let d = FisherSnedecor::new(a.len() as f64 - 1.0, b.len() as f64 - 1.0)
        .map_err(|_| ErrorKind::Num)?;
    let lower = d.cdf(v1 / v2);
    prob(2.0 * lower.min(1.0 - lower))
}

/// CHISQ.TEST(actual, expected): the chi-squared statistic over cells
/// of the same shape, with (rows-1)(columns-1) degrees of freedom, or
/// n-1 for a single row or column.
pub(super) fn chisq_test_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let actual = ctx.array(&args[0])?;
    let expected = ctx.array(&args[1])?;
    if actual.rows != expected.rows || actual.cols != expected.cols {
        return Err(ErrorKind::NA);
    }
    let mut statistic = 0.0;
    for (a, e) in actual.values.iter().zip(&expected.values) {
        for v in [a, e] {
            if let Value::Error(k) = v {
                return Err(*k);
            }
        }
        let (Some(a), Some(e)) = (number_in(a), number_in(e)) else {
            continue;
        };
        if e == 0.0 {
            return Err(ErrorKind::Div0);
        }
        statistic += (a - e) * (a - e) / e;
    }
    let (r, c) = (actual.rows as f64, actual.cols as f64);
    let df = if r > 1.0 && c > 1.0 {
        (r - 1.0) * (c - 1.0)
    } else {
        r.max(c) - 1.0
    };
    if df < 1.0 {
        return Err(ErrorKind::NA);
    }
    let d = ChiSquared::new(df).map_err(|_| ErrorKind::Num)?;
    prob(d.sf(statistic))
}

/// A number or date inside a range, `None` for anything else.
fn number_in(v: &Value) -> Option<f64> {
    match v {
        Value::Number(_) | Value::Date(_) => as_calc_number(v).map(|n| n.to_f64()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{assert_formula_close, err, eval_str, eval_with};
    use crate::model::ErrorKind;

    #[test]
    fn microsofts_t_test_example() {
        let a = "{3,4,5,8,9,1,2,4,5}";
        let b = "{6,19,3,2,14,4,5,17,1}";
        assert_formula_close(&format!("=T.TEST({a},{b},2,1)"), 0.196_015_785, 1e-8);
        assert_formula_close(&format!("=TTEST({a},{b},2,1)"), 0.196_015_785, 1e-8);
        // Two samples, equal and unequal variances (the t distribution's
        // tails computed to 25 digits; Welch's degrees of freedom, 10.255,
        // unrounded as T.TEST leaves them).
        assert_formula_close(&format!("=T.TEST({a},{b},2,2)"), 0.191_995_887, 1e-8);
        assert_formula_close(&format!("=T.TEST({a},{b},1,3)"), 0.101_146_962, 1e-8);
        assert_eq!(
            eval_str(&format!("=T.TEST({a},{b},3,1)")),
            err(ErrorKind::Num)
        );
        assert_eq!(
            eval_str(&format!("=T.TEST({a},{b},2,4)")),
            err(ErrorKind::Num)
        );
        assert_eq!(eval_str("=T.TEST({1,2},{1,2,3},2,1)"), err(ErrorKind::NA));
        assert_eq!(eval_str("=T.TEST({1},{1,2,3},2,2)"), err(ErrorKind::Div0));
    }

    #[test]
    fn f_and_chi_squared_tests() {
        // Microsoft's F.TEST example.
        assert_formula_close(
            "=F.TEST({6,7,9,15,21},{20,28,31,38,40})",
            0.648_317_847,
            1e-8,
        );
        assert_formula_close(
            "=FTEST({6,7,9,15,21},{20,28,31,38,40})",
            0.648_317_847,
            1e-8,
        );
        // IronCalc's F_TEST.xlsx, cached by Excel; text and booleans skipped.
        let cells = [
            ("A1", "1"),
            ("A2", "2"),
            ("A3", "3.3"),
            ("A4", "4.5"),
            ("A5", "-1"),
            ("B1", "5"),
            ("B2", "6"),
            ("B3", "7"),
            ("B4", "2.4"),
            ("B5", "-2"),
            ("H1", "1"),
            ("H2", "2"),
            ("H3", "TRUE"),
            ("H4", "13x"),
            ("I1", "7"),
            ("I2", "4"),
            ("I3", "3"),
            ("I4", "1"),
        ];
        let f = |formula: &str| eval_with(&cells, formula).as_number().unwrap().to_f64();
        assert!((f("=F.TEST(A1:A5,B1:B5)") - 0.326_666_455_566_809_5).abs() < 1e-12);
        assert!((f("=F.TEST({1,2,3,4},B1:B4)") - 0.502_399_210_780_074_1).abs() < 1e-12);
        assert!((f("=F.TEST(A1:A3,{2;3;7})") - 0.319_327_731_092_436_9).abs() < 1e-12);
        assert!((f("=F.TEST(H1:H4,I1:I4)") - 0.408_618_645_375_470_7).abs() < 1e-12);
        assert_eq!(eval_str("=F.TEST({1},{1,2,3})"), err(ErrorKind::Div0));
        // Microsoft's CHISQ.TEST example (2x3 table, 2 degrees of freedom).
        assert_formula_close(
            "=CHISQ.TEST({58,35;11,25;10,23},{45.35,47.65;17.56,18.44;16.09,16.91})",
            0.000_308_192,
            1e-8,
        );
        assert_formula_close(
            "=CHITEST({58,35;11,25;10,23},{45.35,47.65;17.56,18.44;16.09,16.91})",
            0.000_308_192,
            1e-8,
        );
        // IronCalc's CHISQ_TEST.xlsx: one column, 3 degrees of freedom.
        let f = eval_str("=CHISQ.TEST({1;2;3;4},{3;4;2;3})")
            .as_number()
            .unwrap()
            .to_f64();
        assert!((f - 0.366_635_384_075_271_4).abs() < 1e-12);
        assert_eq!(eval_str("=CHISQ.TEST({1;2},{1;2;3})"), err(ErrorKind::NA));
        assert_eq!(eval_str("=CHISQ.TEST({1;2},{1;0})"), err(ErrorKind::Div0));
    }
}
