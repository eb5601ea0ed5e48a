//! The rhai scripting engine, its sandbox limits, and the script API.
