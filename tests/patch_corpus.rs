//! The patcher over real and hostile files (../shared/corpus/calamine):
//! every xlsx/xlsm either patches to a file calamine reads back with the
//! edit visible, or fails with a clear error. Never a panic.

mod support;

use support::package;

use support::external;

use calamine::Data;
use sheetscript::io::write::patch::patch_package;
use sheetscript::model::{CellAddr, Number, Value};
use sheetscript::progress::Progress;
use std::path::Path;
use support::package::{assert_same_entries, corpus_files, entries, entry_text, load, read_back};

#[test]
fn corpus_files_patch_or_fail_cleanly() {
    let Some(files) = corpus_files() else {
        return;
    };
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
    let Some(path) = external::corpus("calamine/issue_567_absolute_shared.xlsx") else {
        return;
    };
    let mut wb = load(&path).unwrap();
    let sheet = &mut wb.sheets[0];
    let name = sheet.name.clone();
    let members: Vec<(String, String)> = ["C1", "E1", "B2", "E3"]
        .iter()
        .map(|a| {
            let addr = CellAddr::parse(a).unwrap();
            (
                a.to_string(),
                sheet.formula_text(addr).unwrap().into_owned(),
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
    assert_eq!(package::formula_back(&out, &name, "B1"), "B$1+1");
    for (a1, formula) in members {
        assert_eq!(package::formula_back(&out, &name, &a1), formula, "{a1}");
    }
    let xml = entry_text(&out, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("si=\"0\""), "group 0 must be gone: {xml}");
    assert!(xml.contains("si=\"1\""), "group 1 is untouched: {xml}");
}

#[test]
fn corpus_files_read_by_the_reader_patch_back_unchanged_when_nothing_changed() {
    use sheetscript::io::read::{read_workbook, ReadOptions};
    let Some(files) = corpus_files() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(wb) = read_workbook(path, &ReadOptions::default()) else {
            continue;
        };
        let out = tmp.path().join(&name);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            patch_package(path, &wb, &out, &Progress::hidden())
        }))
        .unwrap_or_else(|_| panic!("{name}: the patcher panicked"));
        if let Err(e) = result {
            eprintln!("{name}: refused: {e}");
            continue;
        }
        assert_same_entries(path, &out);
        checked += 1;
    }
    eprintln!("corpus: {checked} files read by the reader and patched back unchanged");
    assert!(checked > 0);
}

/// Slow (LibreOffice starts once per file): run with `--ignored`.
#[test]
#[ignore]
fn corpus_files_patched_open_in_libreoffice() {
    let Some(files) = corpus_files() else {
        return;
    };
    let Some(soffice) = external::soffice() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Ok(mut wb) = load(path) else {
            continue;
        };
        let Some(sheet) = wb.sheets.first_mut() else {
            continue;
        };
        let row = sheet.used_range().map_or(0, |r| r.end.row + 2);
        sheet.set_value(
            CellAddr::new(row.min(1_048_575), 0),
            Value::Text("sheetscript edit".into()),
        );
        let out = tmp.path().join(&name);
        if patch_package(path, &wb, &out, &Progress::hidden()).is_err() {
            continue;
        }
        let convert = |file: &Path, tag: &str| {
            let csv_dir = tmp.path().join(format!("{name}.{tag}.d"));
            match external::libreoffice_convert(
                &soffice,
                profile.path(),
                "csv:Text - txt - csv (StarCalc):44,34,76",
                &csv_dir,
                file,
            ) {
                Ok(converted) => (
                    std::fs::read_to_string(&converted.files[0]).ok(),
                    converted.log,
                ),
                Err(status) => (None, status),
            }
        };
        match convert(&out, "patched") {
            (Some(text), _) if text.contains("sheetscript edit") => {}
            (csv, status) => {
                // Only a failure if LibreOffice could open the original.
                if convert(path, "original").0.is_some() {
                    failures.push(format!("{name}: {:?} {status:?}", csv.map(|t| t.len())));
                } else {
                    eprintln!("{name}: LibreOffice cannot open the original either");
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn dates_in_a_1904_workbook_are_written_in_its_own_system() {
    use sheetscript::model::DateValue;
    let Some(path) = external::corpus("calamine/date_1904.xlsx") else {
        return;
    };
    let mut wb = load(&path).unwrap();
    assert_eq!(wb.date_system, sheetscript::model::DateSystem::Excel1904);
    let a1 = CellAddr::parse("A1").unwrap();
    let style = wb.sheets[0].cell(a1).map_or(0, |c| c.style);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    wb.sheets[0].set_value(a1, Value::Date(DateValue::from_date(date)));
    assert_eq!(wb.sheets[0].cell(a1).unwrap().style, style);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.xlsx");
    patch_package(&path, &wb, &out, &Progress::hidden()).unwrap();
    let name = wb.sheets[0].name.clone();
    let xml = entry_text(&out, "xl/worksheets/sheet1.xml");
    // 2026-11-27 is 46353 in the 1900 system and 44891 in the 1904 one.
    assert!(xml.contains("<v>44891</v>"), "{xml}");
    match read_back(&out, &name, "A1") {
        Data::DateTime(d) => assert_eq!(d.as_datetime().unwrap().date(), date),
        other => panic!("A1 reads back as {other:?}"),
    }
}
