//! Looking at a workbook as a reviewer does, rather than computing it:
//! what its formulas read and how they fit together. It sits beside
//! [`crate::formula`], not inside it, because it judges the model and the
//! formulas together and changes neither; the engine only lends it the
//! one reading of what a formula depends on.

pub mod audit;
