//! Mathematical and trigonometric functions (SUM, ROUND, MOD, ...).
//!
//! Money stays exact: sums, products, rounding, MOD, MROUND, CEILING and
//! FLOOR all work on decimals (ROUND is half away from zero, like Excel).
//! Only inherently inexact functions (SQRT, EXP, LN, trigonometry) go
//! through floats, and their results come back exact when the float is a
//! clean decimal (`SQRT(16)` is exactly 4).
//!
//! The registry table lives here so the listed order stays in one place;
//! topic files hold the functions, and the number cores other categories
//! also use (rounding, integer parts, sums) live in `functions::util`.

use super::*;
use aggregation::{
    aggregate, product, subtotal, sum, sumif, sumifs, sumproduct, sumsq, sumx2my2, sumx2py2,
    sumxmy2,
};
use arithmetic::{
    abs_fn, exp_fn, ln_fn, log10_fn, log_fn, mod_fn, pi_fn, power_fn, quotient_fn, seriessum_fn,
    sign_fn, sqrt_fn, sqrtpi_fn,
};
use bases::{arabic_fn, base_fn, decimal_fn, roman_fn};
use combinatorics::{
    combin_fn, combina_fn, fact_fn, factdouble_fn, gcd_fn, lcm_fn, multinomial_fn,
};
use matrices::{mdeterm_fn, minverse_fn, mmult_fn, munit_fn};
use random::{rand_fn, randarray_fn, randbetween_fn};
use rounding::{
    ceiling_fn, ceiling_math_fn, ceiling_precise_fn, even_fn, floor_fn, floor_math_fn,
    floor_precise_fn, int_fn, mround_fn, odd_fn, round_fn, rounddown_fn, roundup_fn, trunc_fn,
};
use trigonometry::{
    acos_fn, acosh_fn, acot_fn, acoth_fn, asin_fn, asinh_fn, atan2_fn, atan_fn, atanh_fn, cos_fn,
    cosh_fn, cot_fn, coth_fn, csc_fn, csch_fn, degrees_fn, radians_fn, sec_fn, sech_fn, sin_fn,
    sinh_fn, tan_fn, tanh_fn,
};

mod aggregation;
mod arithmetic;
mod bases;
mod combinatorics;
mod matrices;
mod random;
mod rounding;
mod trigonometry;
mod util;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("SUM", 1, MANY, "Adds numbers, references and arrays", sum),
    FunctionSpec::new("SUMIF", 2, 3, "Adds the cells that meet a criterion", sumif),
    FunctionSpec::new(
        "SUMIFS",
        3,
        MANY,
        "Adds the cells that meet every criterion",
        sumifs,
    ),
    FunctionSpec::new(
        "SUMPRODUCT",
        1,
        MANY,
        "Sum of the products of matching array elements",
        sumproduct,
    ),
    FunctionSpec::new(
        "SUMSQ",
        1,
        MANY,
        "Sum of the squares of the arguments",
        sumsq,
    ),
    FunctionSpec::new(
        "SUMX2MY2",
        2,
        2,
        "Sum of the differences of squares of two arrays",
        sumx2my2,
    ),
    FunctionSpec::new(
        "SUMX2PY2",
        2,
        2,
        "Sum of the sums of squares of two arrays",
        sumx2py2,
    ),
    FunctionSpec::new(
        "SUMXMY2",
        2,
        2,
        "Sum of the squared differences of two arrays",
        sumxmy2,
    ),
    FunctionSpec::new(
        "SUBTOTAL",
        2,
        MANY,
        "Aggregate that ignores other SUBTOTAL/AGGREGATE cells",
        subtotal,
    ),
    FunctionSpec::new(
        "AGGREGATE",
        3,
        MANY,
        "Aggregate that can ignore errors and nested subtotals",
        aggregate,
    ),
    FunctionSpec::new(
        "PRODUCT",
        1,
        MANY,
        "Multiplies numbers, references and arrays",
        product,
    ),
    FunctionSpec::new(
        "ROUND",
        2,
        2,
        "Rounds half away from zero to a number of digits",
        round_fn,
    ),
    FunctionSpec::new("ROUNDUP", 2, 2, "Rounds away from zero", roundup_fn),
    FunctionSpec::new("ROUNDDOWN", 2, 2, "Rounds toward zero", rounddown_fn),
    FunctionSpec::new("MROUND", 2, 2, "Rounds to the nearest multiple", mround_fn),
    FunctionSpec::new(
        "CEILING",
        2,
        2,
        "Rounds up to a multiple of significance",
        ceiling_fn,
    ),
    FunctionSpec::new(
        "CEILING.MATH",
        1,
        3,
        "Rounds up to a multiple (mode for negatives)",
        ceiling_math_fn,
    ),
    FunctionSpec::new(
        "CEILING.PRECISE",
        1,
        2,
        "Rounds toward +infinity to a multiple",
        ceiling_precise_fn,
    ),
    FunctionSpec::new(
        "ISO.CEILING",
        1,
        2,
        "Rounds toward +infinity to a multiple",
        ceiling_precise_fn,
    ),
    FunctionSpec::new(
        "FLOOR",
        2,
        2,
        "Rounds down to a multiple of significance",
        floor_fn,
    ),
    FunctionSpec::new(
        "FLOOR.MATH",
        1,
        3,
        "Rounds down to a multiple (mode for negatives)",
        floor_math_fn,
    ),
    FunctionSpec::new(
        "FLOOR.PRECISE",
        1,
        2,
        "Rounds toward -infinity to a multiple",
        floor_precise_fn,
    ),
    FunctionSpec::new("INT", 1, 1, "Rounds down to an integer", int_fn),
    FunctionSpec::new("TRUNC", 1, 2, "Truncates to a number of digits", trunc_fn),
    FunctionSpec::new("ABS", 1, 1, "Absolute value", abs_fn),
    FunctionSpec::new("SIGN", 1, 1, "1, 0 or -1 by sign", sign_fn),
    FunctionSpec::new("MOD", 2, 2, "Remainder with the divisor's sign", mod_fn),
    FunctionSpec::new("QUOTIENT", 2, 2, "Integer part of a division", quotient_fn),
    FunctionSpec::new("POWER", 2, 2, "A number raised to a power", power_fn),
    FunctionSpec::new("SQRT", 1, 1, "Square root", sqrt_fn),
    FunctionSpec::new(
        "SQRTPI",
        1,
        1,
        "Square root of a number times pi",
        sqrtpi_fn,
    ),
    FunctionSpec::new("EXP", 1, 1, "e raised to a power", exp_fn),
    FunctionSpec::new("LN", 1, 1, "Natural logarithm", ln_fn),
    FunctionSpec::new("LOG", 1, 2, "Logarithm to a base (10 by default)", log_fn),
    FunctionSpec::new("LOG10", 1, 1, "Base-10 logarithm", log10_fn),
    FunctionSpec::new("PI", 0, 0, "The number pi", pi_fn),
    FunctionSpec::new("RAND", 0, 0, "Random number in [0, 1)", rand_fn).volatile(),
    FunctionSpec::new(
        "RANDBETWEEN",
        2,
        2,
        "Random integer between two bounds",
        randbetween_fn,
    )
    .volatile(),
    FunctionSpec::new(
        "RANDARRAY",
        0,
        5,
        "An array of random numbers",
        randarray_fn,
    )
    .volatile(),
    FunctionSpec::new(
        "EVEN",
        1,
        1,
        "Rounds away from zero to an even integer",
        even_fn,
    ),
    FunctionSpec::new(
        "ODD",
        1,
        1,
        "Rounds away from zero to an odd integer",
        odd_fn,
    ),
    FunctionSpec::new("FACT", 1, 1, "Factorial", fact_fn),
    FunctionSpec::new("FACTDOUBLE", 1, 1, "Double factorial", factdouble_fn),
    FunctionSpec::new("GCD", 1, MANY, "Greatest common divisor", gcd_fn),
    FunctionSpec::new("LCM", 1, MANY, "Least common multiple", lcm_fn),
    FunctionSpec::new("COMBIN", 2, 2, "Number of combinations", combin_fn),
    FunctionSpec::new(
        "COMBINA",
        2,
        2,
        "Number of combinations with repetition",
        combina_fn,
    ),
    FunctionSpec::new(
        "MULTINOMIAL",
        1,
        MANY,
        "Multinomial coefficient",
        multinomial_fn,
    ),
    FunctionSpec::new("ROMAN", 1, 2, "A number as Roman numerals", roman_fn),
    FunctionSpec::new("ARABIC", 1, 1, "Roman numerals as a number", arabic_fn),
    FunctionSpec::new("DEGREES", 1, 1, "Radians to degrees", degrees_fn),
    FunctionSpec::new("RADIANS", 1, 1, "Degrees to radians", radians_fn),
    FunctionSpec::new("SIN", 1, 1, "Sine", sin_fn),
    FunctionSpec::new("COS", 1, 1, "Cosine", cos_fn),
    FunctionSpec::new("TAN", 1, 1, "Tangent", tan_fn),
    FunctionSpec::new("ASIN", 1, 1, "Arcsine", asin_fn),
    FunctionSpec::new("ACOS", 1, 1, "Arccosine", acos_fn),
    FunctionSpec::new("ATAN", 1, 1, "Arctangent", atan_fn),
    FunctionSpec::new("ATAN2", 2, 2, "Arctangent of x and y coordinates", atan2_fn),
    FunctionSpec::new("SINH", 1, 1, "Hyperbolic sine", sinh_fn),
    FunctionSpec::new("COSH", 1, 1, "Hyperbolic cosine", cosh_fn),
    FunctionSpec::new("TANH", 1, 1, "Hyperbolic tangent", tanh_fn),
    FunctionSpec::new("ASINH", 1, 1, "Inverse hyperbolic sine", asinh_fn),
    FunctionSpec::new("ACOSH", 1, 1, "Inverse hyperbolic cosine", acosh_fn),
    FunctionSpec::new("ATANH", 1, 1, "Inverse hyperbolic tangent", atanh_fn),
    FunctionSpec::new("COT", 1, 1, "Cotangent", cot_fn),
    FunctionSpec::new("COTH", 1, 1, "Hyperbolic cotangent", coth_fn),
    FunctionSpec::new("CSC", 1, 1, "Cosecant", csc_fn),
    FunctionSpec::new("CSCH", 1, 1, "Hyperbolic cosecant", csch_fn),
    FunctionSpec::new("SEC", 1, 1, "Secant", sec_fn),
    FunctionSpec::new("SECH", 1, 1, "Hyperbolic secant", sech_fn),
    FunctionSpec::new("ACOT", 1, 1, "Arccotangent", acot_fn),
    FunctionSpec::new("ACOTH", 1, 1, "Inverse hyperbolic cotangent", acoth_fn),
    FunctionSpec::new("BASE", 2, 3, "A number as text in another base", base_fn),
    FunctionSpec::new(
        "DECIMAL",
        2,
        2,
        "Text in another base as a number",
        decimal_fn,
    ),
    FunctionSpec::new("SERIESSUM", 4, 4, "Sum of a power series", seriessum_fn),
    FunctionSpec::new("MUNIT", 1, 1, "Identity matrix", munit_fn),
    FunctionSpec::new("MMULT", 2, 2, "Matrix product", mmult_fn),
    FunctionSpec::new("MDETERM", 1, 1, "Matrix determinant", mdeterm_fn),
    FunctionSpec::new("MINVERSE", 1, 1, "Matrix inverse", minverse_fn),
];
