//! Every spreadsheet of the shared corpus (calamine's real and hostile
//! files, POI's format tests and fuzzer finds) must load or be refused with
//! a clear error naming the file: no panic, no hang, no crash, and within
//! 2 GiB of memory. Skips when the corpus is absent (fails under CI).

mod support;

use support::external;

use support::show_capped;

use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::Error;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SPREADSHEETS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// The corpus folders whose every file must load or be refused.
fn corpus_files() -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    for dir in ["calamine", "poi"] {
        files.extend(external::corpus_files(dir, &SPREADSHEETS)?);
    }
    Some(files)
}

#[test]
fn every_corpus_file_loads_or_is_refused_cleanly() {
    let Some(files) = corpus_files() else { return };
    let (mut loaded, mut refused) = (0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let start = Instant::now();
        match read_workbook(path, &ReadOptions::default()) {
            Ok(wb) => {
                loaded += 1;
                let cells: usize = wb.sheets.iter().map(|s| s.cells().count()).sum();
                let formulas: usize = wb.sheets.iter().map(|s| s.formula_count()).sum();
                println!(
                    "loaded  {name}: {} sheets, {cells} cells, {formulas} formulas, {} names, {} tables{}",
                    wb.sheets.len(),
                    wb.names.len(),
                    wb.tables.len(),
                    if wb.package_features.is_empty() {
                        String::new()
                    } else {
                        format!(", features: {}", wb.package_features.join(", "))
                    }
                );
            }
            Err(e) => {
                refused += 1;
                assert!(
                    matches!(e, Error::Unreadable { .. }),
                    "{name}: wrong error kind {e:?}"
                );
                let text = e.to_string();
                assert!(
                    text.contains(&name),
                    "{name}: message does not name the file: {text}"
                );
                println!("refused {text}");
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name} took {:?}",
            start.elapsed()
        );
    }
    println!("{loaded} loaded, {refused} refused of {}", files.len());
    assert!(loaded > files.len() / 2, "too few files loaded");
}

/// What the user meets: `sheetscript show` on each file, as its own
/// process capped at 2 GiB of address space, exits 0 or 2 with a
/// message; never a panic (101), an abort (134) or a kill.
#[test]
fn show_never_crashes_on_a_corpus_file_within_two_gib() {
    let Some(files) = corpus_files() else { return };
    let mut failures = Vec::new();
    for path in &files {
        let out = show_capped(path);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = path.file_name().unwrap().to_string_lossy();
        let clean = match out.status.code() {
            Some(0) => true,
            Some(2) => stderr.contains(name.as_ref()),
            _ => false,
        };
        if !clean || stderr.contains("panicked") {
            failures.push(format!(
                "{}: {:?}\n{}",
                path.display(),
                out.status,
                stderr.lines().take(5).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    println!("{} files shown or refused", files.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
