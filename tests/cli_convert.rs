//! `sheetscript convert` end to end, through the built binary; outputs are
//! read back with calamine, an independent reader.

mod support;

use support::external;

use support::sheetscript;

use calamine::{open_workbook_auto, Data, Reader};
use std::path::{Path, PathBuf};
use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Files in `dir` other than `keep`: temporary files left behind.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn czech_bank_csv_becomes_a_typed_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("statement.xlsx");
    let o = sheetscript(&["convert", &sample("bank-statement.csv"), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&out).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.get_size(), (45, 4));
    assert_eq!(
        range.get_value((0, 3)),
        Some(&Data::String("Částka".into()))
    );
    match range.get_value((1, 0)) {
        Some(Data::DateTime(d)) => {
            assert_eq!(d.as_datetime().unwrap().date().to_string(), "2026-07-06")
        }
        other => panic!("A2 should be a date, found {other:?}"),
    }
    assert_eq!(range.get_value((1, 3)), Some(&Data::Float(16503.81)));
    assert_eq!(range.get_value((5, 3)), Some(&Data::Float(-4.5)));
    assert_eq!(
        range.get_value((5, 2)),
        Some(&Data::String("Poplatek za vedení účtu".into()))
    );
    assert_eq!(
        others(dir.path(), &["statement.xlsx"]),
        Vec::<String>::new()
    );
}

#[test]
fn simple_csv_keeps_values_and_types() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "Item,Amount,Paid\nTea,0.1,TRUE\nCoffee,12.50,FALSE\n",
    )
    .unwrap();
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&["convert", s(&input), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&out).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get_value((1, 0)), Some(&Data::String("Tea".into())));
    assert_eq!(range.get_value((1, 1)), Some(&Data::Float(0.1)));
    assert_eq!(range.get_value((2, 1)), Some(&Data::Float(12.5)));
    assert_eq!(range.get_value((1, 2)), Some(&Data::Bool(true)));
}

fn same_value(a: &Data, b: &Data) -> bool {
    match (a, b) {
        (Data::Float(x), Data::Int(y)) | (Data::Int(y), Data::Float(x)) => *x == *y as f64,
        (Data::DateTime(x), Data::DateTime(y)) => (x.as_f64() - y.as_f64()).abs() < 1e-9,
        (Data::DateTime(x), Data::Float(y)) | (Data::Float(y), Data::DateTime(x)) => {
            (x.as_f64() - y).abs() < 1e-9
        }
        (Data::DateTimeIso(iso), Data::DateTime(d))
        | (Data::DateTime(d), Data::DateTimeIso(iso)) => {
            let Some(dt) = d.as_datetime() else {
                return false;
            };
            let shown = if iso.contains('T') {
                dt.format("%Y-%m-%dT%H:%M:%S").to_string()
            } else {
                dt.date().to_string()
            };
            iso.starts_with(&shown)
        }
        (Data::DurationIso(iso), Data::DateTime(d))
        | (Data::DateTime(d), Data::DurationIso(iso)) => {
            iso_seconds(iso).is_some_and(|secs| (secs - d.as_f64() * 86_400.0).abs() < 1e-3)
        }
        (Data::Empty, Data::String(t)) | (Data::String(t), Data::Empty) => t.is_empty(),
        _ => a == b,
    }
}

/// Seconds in an ISO 8601 time duration such as `PT10H10M10S`.
fn iso_seconds(iso: &str) -> Option<f64> {
    let rest = iso.strip_prefix("PT")?;
    let mut total = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            'H' | 'M' | 'S' => {
                let n: f64 = number.parse().ok()?;
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                number.clear();
            }
            _ => number.push(c),
        }
    }
    Some(total)
}

#[test]
fn xls_xlsb_and_ods_from_the_corpus_convert_to_xlsx() {
    let Some(corpus) = external::corpus("calamine") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut converted = 0;
    for name in [
        "any_sheets.xls",
        "any_sheets.ods",
        "any_sheets.xlsb",
        "date.xls",
        "date.ods",
        "issue127.xls",
        "issue127.ods",
    ] {
        let input: PathBuf = corpus.join(name);
        if !input.exists() {
            continue;
        }
        let out = dir.path().join(format!("{}.xlsx", name.replace('.', "_")));
        let o = sheetscript(&["convert", s(&input), "-o", s(&out)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let mut original = open_workbook_auto(&input).unwrap();
        let mut copy = open_workbook_auto(&out).unwrap();
        // Chart sheets hold no cells; they are named in a warning instead.
        let worksheets: Vec<String> = original
            .sheets_metadata()
            .iter()
            .filter(|m| m.typ == calamine::SheetType::WorkSheet)
            .map(|m| m.name.clone())
            .collect();
        assert_eq!(worksheets, copy.sheet_names(), "{name}");
        for sheet in worksheets {
            let a = original.worksheet_range(&sheet).unwrap();
            let b = copy.worksheet_range(&sheet).unwrap();
            for (row, col, value) in a.used_cells() {
                let (r, c) = (
                    a.start().unwrap().0 + row as u32,
                    a.start().unwrap().1 + col as u32,
                );
                let other = b.get_value((r, c)).unwrap_or(&Data::Empty);
                assert!(
                    same_value(value, other),
                    "{name} {sheet} ({r},{c}): {value:?} became {other:?}"
                );
            }
        }
        converted += 1;
    }
    assert!(converted >= 3, "only {converted} corpus files found");
}

#[test]
fn refuses_to_overwrite_the_input_without_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("data.csv");
    std::fs::write(&input, "a,1\n").unwrap();
    let o = sheetscript(&["convert", s(&input), "-o", s(&input)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--in-place"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "a,1\n");
    assert_eq!(others(dir.path(), &["data.csv"]), Vec::<String>::new());
}

#[test]
fn in_place_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("data.csv");
    std::fs::write(&input, "a;1,5\n").unwrap();
    let o = sheetscript(&["convert", s(&input), "-o", s(&input), "--in-place"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("data.bak.csv")).unwrap(),
        "a;1,5\n"
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "a,1.5\n");
    assert_eq!(
        others(dir.path(), &["data.csv", "data.bak.csv"]),
        Vec::<String>::new()
    );
}

#[test]
fn failed_write_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("long.csv");
    // A cell longer than Excel's 32767-character limit is cut, which
    // --strict refuses once the workbook is written to its temporary.
    std::fs::write(&input, format!("short\n{}\n", "x".repeat(40_000))).unwrap();
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&["convert", s(&input), "-o", s(&out), "--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("out.xlsx"), "{}", stderr(&o));
    assert!(stderr(&o).contains("A2"), "names the cell: {}", stderr(&o));
    assert_eq!(others(dir.path(), &["long.csv"]), Vec::<String>::new());
}

#[test]
fn strict_turns_a_warning_into_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("summary.csv");
    let args = [
        "convert",
        &sample("invoices.xlsx"),
        "-o",
        s(&out),
        "--sheet",
        "Summary",
    ];
    let o = sheetscript(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: 4 formula(s)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().next(),
        Some("Total Net,507398.2")
    );
    std::fs::remove_file(&out).unwrap();

    let o = sheetscript(&[&args[..], &["--quiet"]].concat());
    assert!(o.status.success());
    assert_eq!(stderr(&o), "", "--quiet hides warnings");
    std::fs::remove_file(&out).unwrap();

    let o = sheetscript(&[&args[..], &["--strict"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--strict"), "{}", stderr(&o));
    assert_eq!(others(dir.path(), &[]), Vec::<String>::new());
}

#[test]
fn unknown_output_type_and_unreadable_input_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.pdf");
    let o = sheetscript(&["convert", &sample("loan.xlsx"), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("x.pdf"), "{}", stderr(&o));
    let missing = dir.path().join("nothing.xls");
    let o = sheetscript(&["convert", s(&missing), "-o", s(&dir.path().join("y.xlsx"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nothing.xls"), "{}", stderr(&o));
    assert_eq!(others(dir.path(), &[]), Vec::<String>::new());
}

#[test]
fn xlsx_input_is_written_back_by_patching_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("invoices-copy.xlsx");
    let o = sheetscript(&["convert", &sample("invoices.xlsx"), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("updated copy of the input package"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let mut original = open_workbook_auto(sample("invoices.xlsx")).unwrap();
    let mut copy = open_workbook_auto(&out).unwrap();
    assert_eq!(original.sheet_names(), copy.sheet_names());
    for sheet in original.sheet_names() {
        assert_eq!(
            original.worksheet_range(&sheet).unwrap(),
            copy.worksheet_range(&sheet).unwrap(),
            "{sheet}"
        );
    }

    // A plain package cannot become .xlsm (Excel would refuse the file).
    let o = sheetscript(&[
        "convert",
        &sample("loan.xlsx"),
        "-o",
        s(&dir.path().join("x.xlsm")),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(".xlsx"), "{}", stderr(&o));
}

#[test]
fn xlsx_in_place_keeps_a_backup_identical_to_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("loan.xlsx");
    std::fs::copy(sample("loan.xlsx"), &input).unwrap();
    let o = sheetscript(&[
        "convert",
        s(&input),
        "-o",
        s(&input),
        "--in-place",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "",
        "--quiet prints nothing"
    );
    assert_eq!(
        std::fs::read(dir.path().join("loan.bak.xlsx")).unwrap(),
        std::fs::read(sample("loan.xlsx")).unwrap()
    );
    let mut wb = open_workbook_auto(&input).unwrap();
    let range = wb.worksheet_range("Loan").unwrap();
    assert_eq!(range.get_value((1, 1)), Some(&Data::Float(250_000.0)));
    assert_eq!(
        others(dir.path(), &["loan.xlsx", "loan.bak.xlsx"]),
        Vec::<String>::new()
    );
}

#[test]
fn csv_reading_can_be_told_delimiter_decimal_comma_and_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("export.csv");
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode("Účet;Částka\nPoplatek;1,5\n");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("export.xlsx");
    let o = sheetscript(&[
        "convert",
        s(&input),
        "-o",
        s(&out),
        "--delimiter",
        ";",
        "--decimal-comma",
        "--encoding",
        "windows-1250",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut wb = open_workbook_auto(&out).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get_value((0, 0)), Some(&Data::String("Účet".into())));
    assert_eq!(range.get_value((1, 1)), Some(&Data::Float(1.5)));

    for bad in [["--encoding", "klingon"], ["--delimiter", ";;"]] {
        let o = sheetscript(&[&["convert", s(&input), "-o", s(&out)][..], &bad[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&o).contains(bad[0]), "{}", stderr(&o));
    }
}
