//! Engineering functions: number systems (BIN2DEC, DEC2HEX, ...), DELTA
//! and GESTEP, the complex numbers Excel writes as text (COMPLEX, IMSUM,
//! IMSIN, ...), Bessel functions, bitwise operations, CONVERT between
//! units of measure and the error function.
//!
//! The registry table lives here so the listed order stays in one place;
//! topic files hold the functions. Most of these were Analysis ToolPak
//! functions, whose arguments refuse booleans (`#VALUE!`) where the
//! core functions would count them as 0 or 1: [`atp_float`] reads them.

use super::*;
use bessel::{besseli_fn, besselj_fn, besselk_fn, bessely_fn};
use bits::{bitand_fn, bitlshift_fn, bitor_fn, bitrshift_fn, bitxor_fn};
use comparison::{delta_fn, gestep_fn};
use complex::{
    complex_fn, imabs_fn, imaginary_fn, imargument_fn, imconjugate_fn, imcos_fn, imcosh_fn,
    imcot_fn, imcsc_fn, imcsch_fn, imdiv_fn, imexp_fn, imln_fn, imlog10_fn, imlog2_fn, impower_fn,
    improduct_fn, imreal_fn, imsec_fn, imsech_fn, imsin_fn, imsinh_fn, imsqrt_fn, imsub_fn,
    imsum_fn, imtan_fn,
};
use convert::convert_fn;
use error_function::{erf_fn, erf_precise_fn, erfc_fn};
use number_systems::{
    bin2dec, bin2hex, bin2oct, dec2bin, dec2hex, dec2oct, hex2bin, hex2dec, hex2oct, oct2bin,
    oct2dec, oct2hex,
};

mod bessel;
mod bits;
mod comparison;
mod complex;
mod complex_text;
mod convert;
mod error_function;
mod number_systems;
mod units;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "BIN2DEC",
        1,
        1,
        "Binary (10 digits, two's complement) to decimal",
        bin2dec,
    ),
    FunctionSpec::new("BIN2OCT", 1, 2, "Binary to octal", bin2oct),
    FunctionSpec::new("BIN2HEX", 1, 2, "Binary to hexadecimal", bin2hex),
    FunctionSpec::new(
        "OCT2DEC",
        1,
        1,
        "Octal (10 digits, two's complement) to decimal",
        oct2dec,
    ),
    FunctionSpec::new("OCT2BIN", 1, 2, "Octal to binary", oct2bin),
    FunctionSpec::new("OCT2HEX", 1, 2, "Octal to hexadecimal", oct2hex),
    FunctionSpec::new(
        "HEX2DEC",
        1,
        1,
        "Hexadecimal (10 digits, two's complement) to decimal",
        hex2dec,
    ),
    FunctionSpec::new("HEX2BIN", 1, 2, "Hexadecimal to binary", hex2bin),
    FunctionSpec::new("HEX2OCT", 1, 2, "Hexadecimal to octal", hex2oct),
    FunctionSpec::new(
        "DEC2BIN",
        1,
        2,
        "Decimal to binary (negatives as 10-digit two's complement)",
        dec2bin,
    ),
    FunctionSpec::new("DEC2OCT", 1, 2, "Decimal to octal", dec2oct),
    FunctionSpec::new("DEC2HEX", 1, 2, "Decimal to hexadecimal", dec2hex),
    FunctionSpec::new(
        "DELTA",
        1,
        2,
        "1 when two numbers are equal, else 0",
        delta_fn,
    ),
    FunctionSpec::new(
        "GESTEP",
        1,
        2,
        "1 when a number is at least the step, else 0",
        gestep_fn,
    ),
    FunctionSpec::new(
        "COMPLEX",
        2,
        3,
        "Complex number text from real and imaginary parts (\"3+4i\")",
        complex_fn,
    ),
    FunctionSpec::new("IMREAL", 1, 1, "Real part of a complex number", imreal_fn),
    FunctionSpec::new(
        "IMAGINARY",
        1,
        1,
        "Imaginary part of a complex number",
        imaginary_fn,
    ),
    FunctionSpec::new(
        "IMABS",
        1,
        1,
        "Absolute value (modulus) of a complex number",
        imabs_fn,
    ),
    FunctionSpec::new(
        "IMARGUMENT",
        1,
        1,
        "Argument (angle in radians) of a complex number",
        imargument_fn,
    ),
    FunctionSpec::new(
        "IMCONJUGATE",
        1,
        1,
        "Complex conjugate of a complex number",
        imconjugate_fn,
    ),
    FunctionSpec::new("IMSUM", 1, MANY, "Sum of complex numbers", imsum_fn),
    FunctionSpec::new("IMSUB", 2, 2, "Difference of two complex numbers", imsub_fn),
    FunctionSpec::new(
        "IMPRODUCT",
        1,
        MANY,
        "Product of complex numbers",
        improduct_fn,
    ),
    FunctionSpec::new("IMDIV", 2, 2, "Quotient of two complex numbers", imdiv_fn),
    FunctionSpec::new(
        "IMPOWER",
        2,
        2,
        "Complex number raised to a real power",
        impower_fn,
    ),
    FunctionSpec::new(
        "IMSQRT",
        1,
        1,
        "Principal square root of a complex number",
        imsqrt_fn,
    ),
    FunctionSpec::new("IMEXP", 1, 1, "Exponential of a complex number", imexp_fn),
    FunctionSpec::new(
        "IMLN",
        1,
        1,
        "Natural logarithm of a complex number",
        imln_fn,
    ),
    FunctionSpec::new(
        "IMLOG10",
        1,
        1,
        "Base-10 logarithm of a complex number",
        imlog10_fn,
    ),
    FunctionSpec::new(
        "IMLOG2",
        1,
        1,
        "Base-2 logarithm of a complex number",
        imlog2_fn,
    ),
    FunctionSpec::new("IMSIN", 1, 1, "Sine of a complex number", imsin_fn),
    FunctionSpec::new("IMCOS", 1, 1, "Cosine of a complex number", imcos_fn),
    FunctionSpec::new("IMTAN", 1, 1, "Tangent of a complex number", imtan_fn),
    FunctionSpec::new("IMSEC", 1, 1, "Secant of a complex number", imsec_fn),
    FunctionSpec::new("IMCSC", 1, 1, "Cosecant of a complex number", imcsc_fn),
    FunctionSpec::new("IMCOT", 1, 1, "Cotangent of a complex number", imcot_fn),
    FunctionSpec::new(
        "IMSINH",
        1,
        1,
        "Hyperbolic sine of a complex number",
        imsinh_fn,
    ),
    FunctionSpec::new(
        "IMCOSH",
        1,
        1,
        "Hyperbolic cosine of a complex number",
        imcosh_fn,
    ),
    FunctionSpec::new(
        "IMSECH",
        1,
        1,
        "Hyperbolic secant of a complex number",
        imsech_fn,
    ),
    FunctionSpec::new(
        "IMCSCH",
        1,
        1,
        "Hyperbolic cosecant of a complex number",
        imcsch_fn,
    ),
    FunctionSpec::new(
        "BESSELI",
        2,
        2,
        "Modified Bessel function In(x) of integer order",
        besseli_fn,
    ),
    FunctionSpec::new(
        "BESSELJ",
        2,
        2,
        "Bessel function Jn(x) of integer order",
        besselj_fn,
    ),
    FunctionSpec::new(
        "BESSELK",
        2,
        2,
        "Modified Bessel function Kn(x) of integer order",
        besselk_fn,
    ),
    FunctionSpec::new(
        "BESSELY",
        2,
        2,
        "Bessel function Yn(x) of integer order (Neumann function)",
        bessely_fn,
    ),
    FunctionSpec::new(
        "BITAND",
        2,
        2,
        "Bitwise AND of two integers below 2^48",
        bitand_fn,
    ),
    FunctionSpec::new(
        "BITOR",
        2,
        2,
        "Bitwise OR of two integers below 2^48",
        bitor_fn,
    ),
    FunctionSpec::new(
        "BITXOR",
        2,
        2,
        "Bitwise exclusive OR of two integers below 2^48",
        bitxor_fn,
    ),
    FunctionSpec::new(
        "BITLSHIFT",
        2,
        2,
        "Integer shifted left by a number of bits (right when negative)",
        bitlshift_fn,
    ),
    FunctionSpec::new(
        "BITRSHIFT",
        2,
        2,
        "Integer shifted right by a number of bits (left when negative)",
        bitrshift_fn,
    ),
    FunctionSpec::new(
        "CONVERT",
        3,
        3,
        "Number converted between units of measure (\"mi\" to \"km\")",
        convert_fn,
    ),
    FunctionSpec::new(
        "ERF",
        1,
        2,
        "Error function from 0 to x, or between two limits",
        erf_fn,
    ),
    FunctionSpec::new(
        "ERF.PRECISE",
        1,
        1,
        "Error function from 0 to x",
        erf_precise_fn,
    ),
    FunctionSpec::new("ERFC", 1, 1, "Complementary error function", erfc_fn),
    FunctionSpec::new(
        "ERFC.PRECISE",
        1,
        1,
        "Complementary error function",
        erfc_fn,
    ),
];

/// A numeric argument as the Analysis ToolPak functions read it: a
/// boolean is `#VALUE!`, text is parsed, empty is 0, and the float must
/// be finite.
fn atp_float(ctx: &mut CallContext, e: &Expr) -> Result<f64, ErrorKind> {
    if matches!(e, Expr::Missing) {
        return Ok(0.0);
    }
    util::atp_num(&ctx.value(e)?)
}
