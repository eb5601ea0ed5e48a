//! sheetscript: a spreadsheet calculation engine with scripting.
//!
//! The data path reads top to bottom: [`io::read`] a workbook into the
//! [`model`], calculate with [`formula`] and [`script`], then [`io::write`]
//! it back. The command line lives in the binary (`src/main.rs`, `src/cli/`):
//! it only parses arguments and prints.

#![warn(missing_docs)]

pub mod analysis;
pub mod batch;
pub mod error;
pub mod examples;
pub mod formula;
pub mod io;
pub mod model;
pub mod numfmt;
pub mod progress;
pub mod render;
pub mod script;
pub mod threads;
pub mod web;

pub use error::{Error, Result};
pub use model::Workbook;
