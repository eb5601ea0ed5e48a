//! Helpers more than one function category needs. A category imports
//! shared rules from here, never from a sibling category, so each
//! category folder can change on its own.

use super::*;

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
