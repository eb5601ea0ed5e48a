//! Every file of the calamine corpus (real and hostile spreadsheets) must
//! load or be refused with a clear error naming the file: no panic, no
//! hang. Skips when the corpus is absent.

use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/calamine");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}: skipping", dir.display());
        None
    }
}

#[test]
fn every_corpus_file_loads_or_is_refused_cleanly() {
    let Some(dir) = corpus() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["xlsx", "xlsm", "xlsb", "xls", "ods"].contains(&e))
        })
        .collect();
    files.sort();
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
