//! The patcher over real and hostile files (../shared/corpus/calamine):
//! every xlsx/xlsm either patches to a file calamine reads back with the
//! edit visible, or fails with a clear error. Never a panic.

mod patch_support;

use calamine::Data;
use patch_support::{entries, load, read_back};
use sheetscript::io::write::patch::patch_package;
use sheetscript::model::{CellAddr, Number, Value};
use sheetscript::progress::Progress;
use std::path::Path;

#[test]
fn corpus_files_patch_or_fail_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/calamine");
    let Ok(listing) = std::fs::read_dir(&dir) else {
        eprintln!("{} is absent; skipping the corpus test", dir.display());
        return;
    };
    let mut files: Vec<_> = listing
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
        })
        .collect();
    files.sort();
    let tmp = tempfile::tempdir().unwrap();
    let (mut patched, mut refused, mut unloadable) = (0, 0, 0);
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(mut wb) = load(path) else {
            unloadable += 1;
            continue;
        };
        let Some(sheet) = wb.sheets.first_mut() else {
            unloadable += 1;
            continue;
        };
        let sheet_name = sheet.name.clone();
        let row = sheet.used_range().map_or(0, |r| r.end.row + 2);
        let addr = CellAddr::new(row.min(1_048_575), 0);
        sheet.set_value(addr, Value::Text("sheetscript edit".into()));
        // And replace an existing cell: the last one in the sheet.
        let existing = sheet.cells().map(|(a, _)| a).filter(|a| *a != addr).last();
        if let Some(e) = existing {
            sheet.set_value(e, Value::Number(Number::from_i64(4242)));
        }
        let out = tmp.path().join(&name);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            patch_package(path, &wb, &out, &Progress::hidden())
        }));
        match result {
            Err(_) => panic!("{name}: the patcher panicked"),
            Ok(Err(e)) => {
                let message = e.to_string();
                assert!(message.len() > 10, "{name}: unclear error {message:?}");
                assert!(!out.exists(), "{name}: a failed patch left {out:?} behind");
                eprintln!("{name}: refused: {message}");
                refused += 1;
            }
            Ok(Ok(_warnings)) => {
                let a1 = addr.to_a1();
                let back = std::panic::catch_unwind(|| read_back(&out, &sheet_name, &a1));
                match back {
                    Ok(v) => assert_eq!(
                        v,
                        Data::String("sheetscript edit".into()),
                        "{name}: the edit is not visible"
                    ),
                    Err(_) => panic!("{name}: calamine cannot read the patched file"),
                }
                if let Some(e) = existing {
                    let v = read_back(&out, &sheet_name, &e.to_a1());
                    assert!(
                        matches!(v, Data::Float(f) if f == 4242.0)
                            || v == Data::Int(4242)
                            // A date-formatted cell keeps its style.
                            || matches!(&v, Data::DateTime(d) if d.as_f64() == 4242.0),
                        "{name}: {} reads back as {v:?}",
                        e.to_a1()
                    );
                }
                // Macros and other binary parts are carried over untouched.
                let before = entries(path);
                let after = entries(&out);
                for b in before.iter().filter(|e| e.name.ends_with(".bin")) {
                    let a = after.iter().find(|a| a.name == b.name);
                    assert!(
                        a.is_some_and(|a| a.bytes == b.bytes),
                        "{name}: {} changed",
                        b.name
                    );
                }
                patched += 1;
            }
        }
    }
    eprintln!(
        "corpus: {patched} patched, {refused} refused with an error, {unloadable} not loadable by calamine"
    );
    assert!(patched > 0);
}

#[test]
fn changing_a_shared_formula_anchor_keeps_the_other_cells_formulas() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/calamine/issue_567_absolute_shared.xlsx");
    if !path.exists() {
        eprintln!("{} is absent; skipping", path.display());
        return;
    }
    let mut wb = load(&path).unwrap();
    let sheet = &mut wb.sheets[0];
    let name = sheet.name.clone();
    let members: Vec<(String, String)> = ["C1", "E1", "B2", "E3"]
        .iter()
        .map(|a| {
            let addr = CellAddr::parse(a).unwrap();
            (
                a.to_string(),
                sheet
                    .cell(addr)
                    .unwrap()
                    .formula
                    .as_deref()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    sheet.set_formula(
        CellAddr::parse("B1").unwrap(),
        "B$1+1",
        Value::Number(Number::from_i64(1)),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.xlsx");
    let warnings = patch_package(&path, &wb, &out, &Progress::hidden()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(patch_support::formula_back(&out, &name, "B1"), "B$1+1");
    for (a1, formula) in members {
        assert_eq!(
            patch_support::formula_back(&out, &name, &a1),
            formula,
            "{a1}"
        );
    }
    let xml = String::from_utf8(
        entries(&out)
            .into_iter()
            .find(|e| e.name == "xl/worksheets/sheet1.xml")
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert!(!xml.contains("si=\"0\""), "group 0 must be gone: {xml}");
    assert!(xml.contains("si=\"1\""), "group 1 is untouched: {xml}");
}
