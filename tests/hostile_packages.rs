//! Packages built to make programs disagree about what they hold are
//! refused with a message, not read one way here and another in Excel.

mod support;

use std::io::{Read, Write};
use support::*;

/// Writes `entries` as a stored zip with rawzip, which (unlike the `zip`
/// crate's writer) lets a name appear twice.
fn raw_zip(path: &std::path::Path, entries: &[(String, Vec<u8>)]) {
    let mut out = Vec::new();
    let mut archive = rawzip::ZipArchiveWriter::new(&mut out);
    for (name, data) in entries {
        let (mut entry, config) = archive.new_file(name).start().unwrap();
        let mut writer = config.wrap(&mut entry);
        writer.write_all(data).unwrap();
        let (_, descriptor) = writer.finish().unwrap();
        entry.finish(descriptor).unwrap();
    }
    archive.finish().unwrap();
    std::fs::write(path, out).unwrap();
}

#[test]
fn a_package_holding_one_part_name_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#;
    let good = one_sheet_xlsx(dir.path(), "good.xlsx", sheet);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        entries.push((f.name().unwrap().to_string(), data));
    }
    let (name, _) = entries
        .iter()
        .find(|(n, _)| n.contains("worksheets/"))
        .cloned()
        .unwrap();
    entries.push((
        name.clone(),
        sheet.replace("<v>1</v>", "<v>999</v>").into_bytes(),
    ));
    let twice = dir.path().join("twice.xlsx");
    raw_zip(&twice, &entries);

    let out = sheetscript(&["show", twice.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("two entries named \"{name}\"")),
        "{err}"
    );

    // The same entries once each read fine: the refusal is for the duplicate.
    entries.pop();
    let once = dir.path().join("once.xlsx");
    raw_zip(&once, &entries);
    ok(&["show", once.to_str().unwrap()]);
}

#[test]
fn a_cell_holding_an_entity_no_spreadsheet_defines_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = |cell: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c>{cell}</row></sheetData></worksheet>"#
        )
    };
    for (name, cell, reference) in [
        (
            "inline",
            r#"<c r="B1" t="inlineStr"><is><t>a&foo;b</t></is></c>"#,
            "&foo;",
        ),
        ("value", r#"<c r="B1" t="str"><v>&bar;</v></c>"#, "&bar;"),
        ("no-char", r#"<c r="B1" t="str"><v>x&#0;</v></c>"#, "&#0;"),
    ] {
        let book = one_sheet_xlsx(dir.path(), &format!("{name}.xlsx"), &sheet(cell));
        let out = sheetscript(&["show", book.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains("cell B1") && err.contains(reference),
            "{name}: {err}"
        );
    }
    // The references a spreadsheet program does write still read as text.
    let fine = one_sheet_xlsx(
        dir.path(),
        "fine.xlsx",
        &sheet(r#"<c r="B1" t="inlineStr"><is><t>R&amp;D &#233;</t></is></c>"#),
    );
    let shown = ok(&["show", fine.to_str().unwrap()]);
    assert!(shown.contains("R&D é"), "{shown}");
}
