//! The complex-number functions: COMPLEX builds the text, IMREAL and
//! the other IM* functions read it (see `complex_text`), compute with
//! `num-complex` and write the result back as text.
//!
//! Excel takes powers and square roots through the polar form, so
//! IMPOWER("2+3i",3) is `-46+9.00000000000001i` and IMSQRT("-4") has a
//! real part near 1.2E-16; these do the same rather than the exact
//! shortcuts, so that the text matches Excel's.

use super::atp_float;
use super::complex_text::{format, parse, ComplexText, Suffix};
use crate::formula::functions::*;
use num_complex::Complex64;

/// An `inumber` argument: complex text, or a number taken as a real
/// complex number; a boolean is `#VALUE!`.
fn inumber_value(v: &Value) -> Result<ComplexText, ErrorKind> {
    match v {
        Value::Text(s) => parse(s),
        Value::Bool(_) => Err(ErrorKind::Value),
        Value::Error(k) => Err(*k),
        v => Ok(ComplexText {
            value: Complex64::new(to_number(v)?.to_f64(), 0.0),
            suffix: None,
        }),
    }
}

fn inumber(ctx: &mut CallContext, e: &Expr) -> Result<ComplexText, ErrorKind> {
    if matches!(e, Expr::Missing) {
        return inumber_value(&Value::Empty);
    }
    inumber_value(&ctx.value(e)?)
}

/// The one suffix of several numbers: `#VALUE!` when `i` and `j` are
/// mixed, `i` when none has an imaginary part.
fn common_suffix(numbers: &[ComplexText]) -> Result<Suffix, ErrorKind> {
    let mut found = None;
    for s in numbers.iter().filter_map(|c| c.suffix) {
        match found {
            Some(f) if f != s => return Err(ErrorKind::Value),
            _ => found = Some(s),
        }
    }
    Ok(found.unwrap_or(Suffix::I))
}

/// A result as complex text in the suffix of its argument(s).
fn text_result(z: Complex64, suffix: Suffix) -> EvalResult {
    Ok(CalcValue::text(format(z, suffix)?))
}

/// A function of one complex number to a complex number; `None` is the
/// `#NUM!` of a value outside the function's domain.
fn unary(
    ctx: &mut CallContext,
    args: &[Expr],
    f: impl Fn(Complex64) -> Option<Complex64>,
) -> EvalResult {
    let z = inumber(ctx, &args[0])?;
    let r = f(z.value).ok_or(ErrorKind::Num)?;
    text_result(r, z.suffix.unwrap_or(Suffix::I))
}

/// `1 / z`, refusing a zero divisor.
fn reciprocal(z: Complex64) -> Option<Complex64> {
    (z.norm_sqr() != 0.0).then(|| z.inv())
}

pub(super) fn complex_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let re = atp_float(ctx, &args[0])?;
    let im = atp_float(ctx, &args[1])?;
    let suffix = if CallContext::is_missing(args, 2) {
        Suffix::I
    } else {
        match ctx.value(&args[2])? {
            Value::Text(s) => Suffix::from_argument(&s)?,
            Value::Empty => Suffix::I,
            _ => return Err(ErrorKind::Value),
        }
    };
    text_result(Complex64::new(re, im), suffix)
}

pub(super) fn imreal_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(inumber(ctx, &args[0])?.value.re))
}

pub(super) fn imaginary_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(inumber(ctx, &args[0])?.value.im))
}

pub(super) fn imabs_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    Ok(CalcValue::float(inumber(ctx, &args[0])?.value.norm()))
}

pub(super) fn imargument_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let z = inumber(ctx, &args[0])?.value;
    if z.re == 0.0 && z.im == 0.0 {
        // Excel: the angle of 0 is a division by zero.
        return Err(ErrorKind::Div0);
    }
    Ok(CalcValue::float(z.arg()))
}

pub(super) fn imconjugate_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| Some(z.conj()))
}

/// Every complex number of IMSUM's and IMPRODUCT's arguments: direct
/// values, and the cells of ranges and arrays (empty cells skipped).
fn all_inumbers(ctx: &mut CallContext, args: &[Expr]) -> Result<Vec<ComplexText>, ErrorKind> {
    let mut out = Vec::new();
    for a in args {
        ctx.for_each_value(a, |v, direct| {
            if !direct && matches!(v, Value::Empty) {
                return Ok(());
            }
            out.push(inumber_value(v)?);
            Ok(())
        })?;
    }
    Ok(out)
}

pub(super) fn imsum_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let numbers = all_inumbers(ctx, args)?;
    let suffix = common_suffix(&numbers)?;
    let sum = numbers.iter().map(|c| c.value).sum();
    text_result(sum, suffix)
}

pub(super) fn improduct_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let numbers = all_inumbers(ctx, args)?;
    let suffix = common_suffix(&numbers)?;
    let product = numbers
        .iter()
        .fold(Complex64::new(1.0, 0.0), |p, c| p * c.value);
    text_result(product, suffix)
}

/// The two complex arguments of IMSUB and IMDIV, with their suffix.
fn two(ctx: &mut CallContext, args: &[Expr]) -> Result<(Complex64, Complex64, Suffix), ErrorKind> {
    let a = inumber(ctx, &args[0])?;
    let b = inumber(ctx, &args[1])?;
    let suffix = common_suffix(&[a, b])?;
    Ok((a.value, b.value, suffix))
}

pub(super) fn imsub_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (a, b, suffix) = two(ctx, args)?;
    text_result(a - b, suffix)
}

pub(super) fn imdiv_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let (a, b, suffix) = two(ctx, args)?;
    if b.norm_sqr() == 0.0 {
        return Err(ErrorKind::Num);
    }
    text_result(a / b, suffix)
}

/// `z` to a real power through the polar form, as Excel computes it; 0
/// to a power that is not positive is `#NUM!`.
fn polar_power(z: Complex64, n: f64) -> Option<Complex64> {
    if z.re == 0.0 && z.im == 0.0 {
        return (n > 0.0).then_some(Complex64::new(0.0, 0.0));
    }
    let (r, theta) = z.to_polar();
    Some(Complex64::from_polar(r.powf(n), theta * n))
}

pub(super) fn impower_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let z = inumber(ctx, &args[0])?;
    let n = atp_float(ctx, &args[1])?;
    let r = polar_power(z.value, n).ok_or(ErrorKind::Num)?;
    text_result(r, z.suffix.unwrap_or(Suffix::I))
}

pub(super) fn imsqrt_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| polar_power(z, 0.5))
}

pub(super) fn imexp_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| Some(z.exp()))
}

/// The natural logarithm divided by `ln(base)`; the logarithm of 0 is
/// `#NUM!`.
fn log_over(z: Complex64, ln_base: f64) -> Option<Complex64> {
    (z.norm_sqr() != 0.0).then(|| z.ln() / ln_base)
}

pub(super) fn imln_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| log_over(z, 1.0))
}

pub(super) fn imlog10_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| log_over(z, std::f64::consts::LN_10))
}

pub(super) fn imlog2_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| log_over(z, std::f64::consts::LN_2))
}

pub(super) fn imsin_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| Some(z.sin()))
}

pub(super) fn imcos_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| Some(z.cos()))
}

pub(super) fn imtan_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| {
        let c = z.cos();
        (c.norm_sqr() != 0.0).then(|| z.sin() / c)
    })
}

pub(super) fn imsec_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| reciprocal(z.cos()))
}

pub(super) fn imcsc_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| reciprocal(z.sin()))
}

pub(super) fn imcot_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| {
        let s = z.sin();
        (s.norm_sqr() != 0.0).then(|| z.cos() / s)
    })
}

pub(super) fn imsinh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| Some(z.sinh()))
}

pub(super) fn imcosh_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| Some(z.cosh()))
}

pub(super) fn imsech_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| reciprocal(z.cosh()))
}

pub(super) fn imcsch_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    unary(ctx, args, |z| reciprocal(z.sinh()))
}

#[cfg(test)]
mod tests {
    use crate::formula::testing::{assert_close, err, eval_str, eval_with, num};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    /// The real and imaginary parts of a complex result, for results
    /// Excel quotes to 15 digits that a last-digit difference in the
    /// trigonometry may change.
    fn parts(formula: &str) -> (f64, f64) {
        let text = match eval_str(formula) {
            Value::Text(s) => s,
            other => panic!("{formula}: {other:?}"),
        };
        let c = super::parse(&text).unwrap_or_else(|e| panic!("{formula} = {text}: {e:?}"));
        (c.value.re, c.value.im)
    }

    fn assert_parts(formula: &str, re: f64, im: f64) {
        let (r, i) = parts(formula);
        assert_close!(r, re, 1e-13);
        assert_close!(i, im, 1e-13);
    }

    #[test]
    fn complex_builds_the_text() {
        // Microsoft's examples.
        assert_eq!(eval_str("=COMPLEX(3,4)"), t("3+4i"));
        assert_eq!(eval_str("=COMPLEX(3,4,\"j\")"), t("3+4j"));
        assert_eq!(eval_str("=COMPLEX(0,1)"), t("i"));
        assert_eq!(eval_str("=COMPLEX(1,0)"), t("1"));
        assert_eq!(eval_str("=COMPLEX(0,0)"), t("0"));
        assert_eq!(eval_str("=COMPLEX(-1.5,-1)"), t("-1.5-i"));
        assert_eq!(eval_str("=COMPLEX(1,2,\"\")"), t("1+2i"));
        assert_eq!(eval_str("=COMPLEX(1,2,\"I\")"), err(ErrorKind::Value));
        assert_eq!(eval_str("=COMPLEX(1,2,\"k\")"), err(ErrorKind::Value));
        assert_eq!(eval_str("=COMPLEX(\"a\",2)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=COMPLEX(TRUE,2)"), err(ErrorKind::Value));
    }

    #[test]
    fn parts_abs_argument_and_conjugate() {
        // Microsoft's examples.
        assert_eq!(eval_str("=IMREAL(\"6-9i\")"), num("6"));
        assert_eq!(eval_str("=IMAGINARY(\"3+4i\")"), num("4"));
        assert_eq!(eval_str("=IMAGINARY(\"0-j\")"), num("-1"));
        assert_eq!(eval_str("=IMAGINARY(4)"), num("0"));
        assert_eq!(eval_str("=IMABS(\"5+12i\")"), num("13"));
        assert_close!(
            eval_str("=IMARGUMENT(\"3+4i\")")
                .as_number()
                .unwrap()
                .to_f64(),
            0.92729522,
            1e-8
        );
        assert_eq!(eval_str("=IMCONJUGATE(\"3+4i\")"), t("3-4i"));
        assert_eq!(eval_str("=IMCONJUGATE(\"-j\")"), t("j"));
        assert_eq!(eval_str("=IMARGUMENT(\"0\")"), err(ErrorKind::Div0));
        assert_eq!(eval_str("=IMREAL(\"3+4I\")"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMREAL(\"abc\")"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMREAL(TRUE)"), err(ErrorKind::Value));
        assert_eq!(eval_str("=IMABS(1/0)"), err(ErrorKind::Div0));
    }

    #[test]
    fn sums_differences_products_and_quotients() {
        // Microsoft's examples.
        assert_eq!(eval_str("=IMSUM(\"3+4i\",\"5-3i\")"), t("8+i"));
        assert_eq!(eval_str("=IMSUB(\"13+4i\",\"5+3i\")"), t("8+i"));
        assert_eq!(eval_str("=IMPRODUCT(\"3+4i\",\"5-3i\")"), t("27+11i"));
        assert_eq!(eval_str("=IMPRODUCT(\"1+2i\",30)"), t("30+60i"));
        assert_eq!(eval_str("=IMDIV(\"-238+240i\",\"10+24i\")"), t("5+12i"));
        // Suffixes must agree; a real number fits either.
        assert_eq!(eval_str("=IMSUM(\"1+j\",\"2\")"), t("3+j"));
        assert_eq!(eval_str("=IMSUM(\"1+i\",\"2+j\")"), err(ErrorKind::Value));
        assert_eq!(eval_str("=IMSUB(\"1+i\",\"j\")"), err(ErrorKind::Value));
        assert_eq!(eval_str("=IMDIV(\"1+i\",0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMSUM(\"1+i\",\"x\")"), err(ErrorKind::Num));
        // Ranges: every cell counts, empty ones are skipped.
        let cells = [("A1", "1+i"), ("A2", "2-3i"), ("A4", "4")];
        assert_eq!(eval_with(&cells, "=IMSUM(A1:A4)"), t("7-2i"));
        assert_eq!(eval_with(&cells, "=IMPRODUCT(A1:A4)"), t("20-4i"));
    }

    #[test]
    fn powers_and_roots_go_through_the_polar_form() {
        // Microsoft's examples, to the last digit Excel shows.
        assert_eq!(eval_str("=IMPOWER(\"2+3i\",3)"), t("-46+9.00000000000001i"));
        assert_parts("=IMSQRT(\"1+i\")", 1.09868411346781, 0.455089860562227);
        // Excel shows 1.22460635382238E-16+2i: the same polar form, with a
        // cosine of pi/2 a few digits further from 0 than the correctly
        // rounded one computed here.
        let (re, im) = parts("=IMSQRT(\"-4\")");
        assert!(re > 0.0 && re < 2e-16, "{re}");
        assert_eq!(im, 2.0);
        assert_eq!(eval_str("=IMSQRT(0)"), t("0"));
        assert_eq!(eval_str("=IMPOWER(0,2)"), t("0"));
        assert_eq!(eval_str("=IMPOWER(0,-1)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMPOWER(\"i\",\"x\")"), err(ErrorKind::Value));
    }

    #[test]
    fn exponentials_and_logarithms() {
        // Microsoft's examples.
        assert_parts("=IMEXP(\"1+i\")", 1.46869393991589, 2.28735528717884);
        assert_parts("=IMLN(\"3+4i\")", 1.6094379124341, 0.927295218001612);
        assert_parts("=IMLOG10(\"3+4i\")", 0.698970004336019, 0.402719196273373);
        assert_parts("=IMLOG2(\"3+4i\")", 2.32192809488736, 1.33780421245098);
        assert_eq!(eval_str("=IMLN(0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMLOG10(\"0\")"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMEXP(\"1000\")"), err(ErrorKind::Num));
    }

    #[test]
    fn trigonometric_functions() {
        // Microsoft's examples.
        assert_parts("=IMSIN(\"4+3i\")", -7.61923172032141, -6.548120040911);
        assert_parts("=IMCOS(\"1+i\")", 0.833730025131149, -0.988897705762865);
        assert_parts("=IMTAN(\"4+3i\")", 0.00490825806749606, 1.00070953606723);
        assert_parts("=IMSEC(\"4+3i\")", -0.0652940278579471, -0.0752249603027732);
        assert_parts("=IMCSC(\"4+3i\")", -0.0754898329158637, 0.0648774713706355);
        assert_parts("=IMCOT(\"4+3i\")", 0.0049011823943045, -0.999266927805902);
        assert_eq!(eval_str("=IMCOT(0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMCSC(\"0\")"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMSIN(\"1000i\")"), err(ErrorKind::Num));
    }

    #[test]
    fn hyperbolic_functions() {
        // Microsoft's examples.
        assert_parts("=IMSINH(\"4+3i\")", -27.0168132580039, 3.85373803791938);
        assert_parts("=IMCOSH(\"4+3i\")", -27.0349456030742, 3.85115333481178);
        assert_parts(
            "=IMSECH(\"4+3i\")",
            -0.0362534969158689,
            -0.00516434460775318,
        );
        assert_parts("=IMCSCH(\"4+3i\")", -0.036275889628626, -0.0051744731840194);
        assert_eq!(eval_str("=IMCSCH(0)"), err(ErrorKind::Num));
        assert_eq!(eval_str("=IMSINH(\"j\")"), t("0.841470984807897j"));
    }
}
