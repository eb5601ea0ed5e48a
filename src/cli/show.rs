//! `sheetscript show`.

use super::GlobalArgs;
use crate::{Error, Result};

/// Arguments of `sheetscript show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {}

/// Runs `sheetscript show`.
pub fn execute(_args: &ShowArgs, _global: &GlobalArgs) -> Result<()> {
    Err(Error::Usage("`show` is not built yet".to_string()))
}
