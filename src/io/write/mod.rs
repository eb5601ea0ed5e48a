//! Writers: the xlsx package patcher for write-back into the user's own
//! xlsx/xlsm, rust_xlsxwriter for new workbooks, and CSV.

pub mod patch;
