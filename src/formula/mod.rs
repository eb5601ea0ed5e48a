//! The formula engine: lexer-free parser, printer, dependency graph,
//! evaluator and the function registry.
//!
//! Entry points: [`Engine`] for workbooks, [`parse`] / [`print`] /
//! [`shift_formula`] / [`rename_sheet`] for formula text.

pub mod ast;
pub(crate) mod calc;
pub(crate) mod criteria;
pub(crate) mod date_serial;
// Day-count conventions shared by the date and the financial functions.
pub(crate) mod day_count;
pub(crate) mod engine;
pub(crate) mod eval;
// Why a cell holds its value: the tree of what it reads.
pub mod explain;
// References to other workbooks, from the values the file saved.
pub(crate) mod external;
pub mod functions;
pub mod lambda;
pub(crate) mod operators;
pub(crate) mod parser;
pub mod printer;
pub(crate) mod report;
pub mod shape;
pub(crate) mod store;
#[cfg(test)]
pub(crate) mod testing;
// The text functions' cores, called from functions/text/.
pub(crate) mod text_core;

pub use ast::Expr;
pub use calc::{Area, Array, CalcValue};
pub(crate) use engine::{areas_read, shape_tree, ShapeTree};
pub use engine::{timeout_error, Deadline, Engine, EngineOptions};
pub use eval::CallContext;
pub use explain::{
    explain, target_cell, ExplainOptions, Explanation, MAX_NODES as MAX_NODES_EXPLAINED,
};
pub use parser::{parse, ParseError};
pub use printer::{print, rename_sheet, shift, shift_formula};
pub use report::{
    failure_warning, has_uncached_formulas, too_deep_warning, uncached_note, RecalcReport,
};
