//! The one support module of the integration tests: each test file says
//! `mod support;` and so shares one way to run the binary, one corpus
//! path, one LibreOffice check and one rule for whether LibreOffice
//! succeeded. What a test needs from outside the repository (the shared
//! corpus, LibreOffice) is found only through [`external`], which skips
//! with a message where it is absent and fails under CI.

// Each test file is its own crate and uses only some of the helpers.
#![allow(dead_code, unused_imports)]

pub mod biff;
pub mod binary;
pub mod external;
pub mod guide;
pub mod handmade;
pub mod package;
pub mod readback;
pub mod served;
pub mod shared_formulas;
pub mod xlsb;

pub use binary::*;
pub use guide::guide_examples;
pub use handmade::*;
pub use readback::*;
