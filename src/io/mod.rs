//! Reading workbooks into the model and writing them out again.

pub mod read;
pub mod write;
