//! Write-back into the user's own xlsx/xlsm by patching the package.
mod cell;
mod formula_text;
mod sheet;
mod styles;
