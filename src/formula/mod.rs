//! The formula engine: lexer, parser, dependency graph, evaluator and the
//! function registry.

// Scratch home of the findate cores until the function registry lands.
#[allow(dead_code)]
mod findate_dt_core;
#[allow(dead_code)]
mod findate_fin_core;
