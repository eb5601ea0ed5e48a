//! Pure cores of the statistical and array functions, written before the
//! function registry existed; being moved into `formula::functions`.

pub mod array;
