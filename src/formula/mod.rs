//! The formula engine: lexer, parser, dependency graph, evaluator and the
//! function registry.

pub mod scratch;
