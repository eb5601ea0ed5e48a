//! Pure cores of the math, statistical, criteria and array functions,
//! written before the function registry existed; moved into
//! `formula::functions` once it lands.

pub mod array;
pub mod criteria;
pub mod math;
pub mod stats;
