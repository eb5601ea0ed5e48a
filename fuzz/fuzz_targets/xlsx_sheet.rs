//! The xlsx reader on a fuzzed worksheet inside a fixed minimal package
//! (or on the fuzzed bytes as the whole package when they start as a zip
//! does), then a recalculation of the formulas read and every cell shown
//! in its number format.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sheetscript::formula::{Deadline, Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::numfmt::format_value_in;
use sheetscript_fuzz::{
    install_panic_hook, scratch_path, write_scratch, xlsx_around_sheet, PanicPolicy, CALC_LIMIT,
};

fuzz_target!(
    init: install_panic_hook(PanicPolicy::OursOnly),
    |data: &[u8]| {
        let path = scratch_path("xlsx");
        if data.starts_with(b"PK\x03\x04") {
            write_scratch(&path, data);
        } else {
            write_scratch(&path, &xlsx_around_sheet(data));
        }
        let Ok(workbook) = read_workbook(&path, &ReadOptions::default()) else {
            return;
        };
        for sheet in &workbook.sheets {
            for (_, cell) in sheet.cells() {
                let code = &workbook.styles.get(cell.style).number_format;
                let _ = format_value_in(&cell.value, code, workbook.date_system);
            }
        }
        let mut engine = Engine::new(workbook, EngineOptions::default());
        engine.set_deadline(Some(Deadline::after(CALC_LIMIT)));
        let _ = engine.recalc_all();
    }
);
