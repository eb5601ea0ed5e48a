//! The formula engine: lexer, parser, dependency graph, evaluator and the
//! function registry.

// The text functions' cores, wired into the registry once it lands.
#[allow(dead_code)]
pub(crate) mod text_core;
