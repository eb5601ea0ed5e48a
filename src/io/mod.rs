//! Reading workbooks into the model and writing them out again.

pub(crate) mod pipe;
pub mod read;
pub mod write;
