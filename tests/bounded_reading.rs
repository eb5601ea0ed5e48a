//! Hostile workbooks built here (never committed): reading refuses them
//! with a message naming the limit, within bounded memory, instead of
//! growing past it.

mod support;

use support::*;

#[test]
fn one_long_shared_string_in_thousands_of_cells_is_refused() {
    // 1 MiB of text referenced by 1,500 cells: 1.5 GiB once every cell
    // holds its own copy, from a package of about 1 MiB.
    let dir = tempfile::tempdir().unwrap();
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1500" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "x".repeat(1 << 20)
    );
    let rows: String = (1..=1500)
        .map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"))
        .collect();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let path = dir.path().join("bomb.xlsx");
    let book = HandMade {
        sheet: "Data",
        before_sheets: "",
        after_sheets: "",
        date_style: false,
        shared_strings: Some(&sst),
    };
    hand_made_xlsx(&path, &book, &sheet);
    let out = show_capped(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    // Before: 13 GB and an abort for POI's 12,000-cell version.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bomb.xlsx") && err.contains("the cells hold more than 1024 MiB of text"),
        "{err}"
    );
}

#[test]
fn a_package_whose_entries_share_their_data_is_refused() {
    // Before: a 1 MB package of overlapping entries became a 522 MB output.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("overlap.xlsx");
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#;
    one_sheet_xlsx(dir.path(), "overlap.xlsx", sheet);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    let mut zip = zip::ZipWriter::new_append(file).unwrap();
    for i in 2..50 {
        zip.shallow_copy_file(
            "xl/worksheets/sheet1.xml",
            &format!("xl/worksheets/copy{i}.xml"),
        )
        .unwrap();
    }
    zip.finish().unwrap();
    let out = show_capped(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("share their compressed data"), "{err}");
}
