//! Formula text parsed, printed, evaluated on its own and as a cell of a
//! small workbook, under a calculation deadline: a crash, a stack
//! overflow, a panic (even one the engine contains) or a run past
//! libFuzzer's `-timeout` is a finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sheetscript::formula::{parse, print};
use sheetscript::model::CellAddr;
use sheetscript_fuzz::{install_panic_hook, small_engine, PanicPolicy};

fuzz_target!(
    init: install_panic_hook(PanicPolicy::Every),
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok(expr) = parse(text) {
            // What the writers save must read back.
            let printed = print(&expr);
            if let Err(e) = parse(&printed) {
                panic!("{text:?} prints as {printed:?}, which does not parse: {e}");
            }
        }
        let mut engine = small_engine();
        let _ = engine.eval(Some("Data"), text);
        // As a cell: the dependency graph, cycles through F1, recalculation.
        let cell = CellAddr::new(0, 5);
        if engine.set_formula("Data", cell, text).is_ok() {
            let _ = engine.recalc_all();
            let _ = engine.value("Data", cell);
        }
    }
);
