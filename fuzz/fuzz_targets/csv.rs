//! The CSV reader on fuzzed bytes, detecting the format, encoding,
//! delimiter, decimal mark and header row as `show` and `convert` do.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript_fuzz::{install_panic_hook, scratch_path, write_scratch, PanicPolicy};

fuzz_target!(
    init: install_panic_hook(PanicPolicy::OursOnly),
    |data: &[u8]| {
        let path = scratch_path("csv");
        write_scratch(&path, data);
        let _ = read_workbook(&path, &ReadOptions::default());
    }
);
