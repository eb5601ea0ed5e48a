//! Hostile workbooks built here (never committed): reading refuses them
//! with a message naming the limit, within bounded memory, instead of
//! growing past it.

mod common;

use common::*;

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
