//! Real files once refused for reasons that can be fixed: sheet-scoped
//! names sharing a name, text and sheet names beyond Excel's limits, an
//! .xlsm converted to .xlsx, Excel 4 macro sheets, a VBA project no one
//! can parse; and files that cannot be read said for what they are
//! (Excel 3.0/4.0, XOR-obfuscated, a reader's panic). Each case runs on
//! a file generated here; the corpus files that showed it run too where
//! the corpus is present.

mod support;

use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;
use std::process::Output;
use support::biff::{self, Biff8, BiffSheet};
use support::{external, hand_made_xlsx, sheetscript, HandMade};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `sheetscript convert input -o output [extra]`.
fn convert(input: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["convert", s(input), "-o", s(output)];
    args.extend(extra);
    sheetscript(&args)
}

/// Converts, insists on success and returns stderr (the warnings).
fn converted(input: &Path, output: &Path) -> String {
    let o = convert(input, output, &[]);
    assert!(
        o.status.success(),
        "{} -> {}: {}",
        input.display(),
        output.display(),
        stderr(&o)
    );
    stderr(&o)
}

/// Defined names of the workbook part of an xlsx, as `scope name`.
fn xlsx_names(path: &Path) -> Vec<String> {
    let xml = support::package::entry_text(path, "xl/workbook.xml");
    xml.split("<definedName ")
        .skip(1)
        .map(|d| {
            let name = d
                .split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            let scope = d
                .split("localSheetId=\"")
                .nth(1)
                .map_or("-", |s| s.split('"').next().unwrap());
            format!("{scope} {name}")
        })
        .collect()
}

fn two_sheets_with_one_name() -> Biff8 {
    Biff8 {
        sheets: vec![
            BiffSheet {
                name: "Loans".into(),
                cells: vec![biff::number(0, 0, 7.0)],
            },
            BiffSheet {
                name: "Look-Up".into(),
                cells: vec![biff::label(0, 0, "Retail"), biff::label(1, 0, "Farm")],
            },
        ],
        names: vec![
            // Each sheet has its own Business_Line, and the workbook one.
            ("Business_Line".into(), 1, biff::area3d(1, (0, 1), (0, 0))),
            ("Business_Line".into(), 2, biff::area3d(1, (0, 1), (0, 0))),
            ("Business_Line".into(), 0, biff::area3d(1, (0, 0), (0, 0))),
        ],
        after_bof: Vec::new(),
    }
}

#[test]
fn sheet_scoped_names_of_one_name_keep_their_scopes() {
    // Before: "Name 'Business_Line' has already been used", exit 1.
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("names.xls");
    biff::write_xls(&xls, &two_sheets_with_one_name());
    let out = dir.path().join("names.xlsx");
    converted(&xls, &out);
    let mut names = xlsx_names(&out);
    names.sort();
    assert_eq!(
        names,
        ["- Business_Line", "0 Business_Line", "1 Business_Line"]
    );
    let xml = support::package::entry_text(&out, "xl/workbook.xml");
    assert!(xml.contains("'Look-Up'!$A$1:$A$2"), "{xml}");

    if let Some(real) = external::corpus("poi/hostile/42464-ExpPtg-bad.xls") {
        let out = dir.path().join("42464.xlsx");
        let warnings = converted(&real, &out);
        assert!(
            xlsx_names(&out).contains(&"0 Business_Line".to_string()),
            "{warnings}"
        );
    }
}

#[test]
fn text_beyond_a_cell_is_cut_with_a_warning_and_strict_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("notes.csv");
    std::fs::write(&csv, format!("id,note\n1,{}\n", "n".repeat(40_000))).unwrap();
    let out = dir.path().join("notes.xlsx");
    let o = convert(&csv, &out, &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("32,767"), "{}", stderr(&o));
    assert!(!out.exists());
    let warnings = converted(&csv, &out);
    assert!(
        warnings.contains("notes: text longer than Excel's 32,767 characters")
            && warnings.contains("(1 cell: B2)"),
        "{warnings}"
    );
    let mut wb = open_workbook_auto(&out).unwrap();
    let range = wb.worksheet_range("notes").unwrap();
    assert_eq!(
        range.get_value((1, 1)),
        Some(&Data::String("n".repeat(32_767)))
    );
}

const LONG: &str = "Quarterly revenue by region and product line";
const SHORT: &str = "Quarterly revenue by region and";

#[test]
fn a_long_sheet_name_is_shortened_and_formulas_follow() {
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("long.xls");
    biff::write_xls(
        &xls,
        &Biff8 {
            sheets: vec![
                BiffSheet {
                    name: LONG.into(),
                    cells: vec![biff::number(0, 0, 42.0)],
                },
                BiffSheet {
                    name: "Sum".into(),
                    cells: vec![biff::formula(0, 0, 42.0, &biff::ref3d(0, 0, 0))],
                },
            ],
            names: vec![("Total".into(), 0, biff::area3d(0, (0, 0), (0, 0)))],
            after_bof: Vec::new(),
        },
    );
    let out = dir.path().join("long.xlsx");
    let o = convert(&xls, &out, &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists());
    let warnings = converted(&xls, &out);
    assert!(
        warnings.contains(&format!("sheet \"{LONG}\" is renamed \"{SHORT}\"")),
        "{warnings}"
    );
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(wb.sheet_names(), [SHORT, "Sum"]);
    let formulas = wb.worksheet_formula("Sum").unwrap();
    assert_eq!(
        formulas.get_value((0, 0)).map(String::as_str),
        Some(format!("'{SHORT}'!A1").as_str())
    );
    let names = wb.defined_names().to_vec();
    assert!(
        names
            .iter()
            .any(|(n, f)| n == "Total" && f == &format!("'{SHORT}'!$A$1:$A$1")),
        "{names:?}"
    );

    // An xlsx from another program is patched: the sheet list and the
    // formulas in the package are renamed.
    let xlsx = dir.path().join("long-in.xlsx");
    hand_made_xlsx(
        &xlsx,
        &HandMade {
            sheet: LONG,
            before_sheets: "",
            after_sheets: "",
            date_style: false,
            shared_strings: None,
        },
        &format!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>'{LONG}'!A1*2</f><v>4</v></c></row></sheetData></worksheet>"#
        ),
    );
    let out = dir.path().join("long-out.xlsx");
    converted(&xlsx, &out);
    let mut wb = open_workbook_auto(&out).unwrap();
    assert_eq!(wb.sheet_names(), [SHORT]);
    let formulas = wb.worksheet_formula(SHORT).unwrap();
    assert_eq!(
        formulas.get_value((0, 1)).map(String::as_str),
        Some(format!("'{SHORT}'!A1*2").as_str())
    );
}

/// A one-sheet .xlsm made by hand: the workbook declared macro-enabled,
/// a VBA project part with its relationship and a signature.
fn hand_made_xlsm(path: &Path) {
    let plain = path.with_extension("plain.xlsx");
    hand_made_xlsx(
        &plain,
        &HandMade {
            sheet: "Data",
            before_sheets: "",
            after_sheets: "",
            date_style: false,
            shared_strings: None,
        },
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>5</v></c></row></sheetData></worksheet>"#,
    );
    edit_zip(
        &plain,
        |name, text| {
            match name {
            "[Content_Types].xml" => text
                .replace(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                .replace(
                    "<Default Extension=\"rels\"",
                    "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/><Override PartName=\"/xl/vbaProjectSignature.bin\" ContentType=\"application/vnd.ms-office.vbaProjectSignature\"/><Default Extension=\"rels\"",
                ),
            "xl/_rels/workbook.xml.rels" => text.replace(
                "</Relationships>",
                r#"<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>"#,
            ),
            _ => text,
        }
        },
        &[
            ("xl/vbaProject.bin", "not a real project"),
            (
                "xl/_rels/vbaProject.bin.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature" Target="vbaProjectSignature.bin"/></Relationships>"#,
            ),
            ("xl/vbaProjectSignature.bin", "signature"),
        ],
    );
    std::fs::rename(plain, path).unwrap();
}

/// Checks that `xlsx` is a plain, macro-free package that calamine and
/// (where installed) LibreOffice open.
fn assert_macro_free(xlsx: &Path) {
    let names: Vec<String> = support::package::entries(xlsx)
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.to_ascii_lowercase().contains("vbaproject")),
        "{names:?}"
    );
    let types = support::package::entry_text(xlsx, "[Content_Types].xml");
    assert!(
        !types.contains("macroEnabled") && !types.contains("vbaProject"),
        "{types}"
    );
    assert!(types.contains("spreadsheetml.sheet.main+xml"), "{types}");
    let rels = support::package::entry_text(xlsx, "xl/_rels/workbook.xml.rels");
    assert!(!rels.contains("vbaProject"), "{rels}");
    let mut wb = open_workbook_auto(xlsx).unwrap();
    let first = wb.sheet_names()[0].clone();
    wb.worksheet_range(&first).unwrap();
}

#[test]
fn an_xlsm_converts_to_a_macro_free_xlsx() {
    // Before: "the input is an .xlsm workbook ...; name the output .xlsm".
    let dir = tempfile::tempdir().unwrap();
    let xlsm = dir.path().join("book.xlsm");
    hand_made_xlsm(&xlsm);
    let out = dir.path().join("book.xlsx");
    let o = convert(&xlsm, &out, &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists());
    let warnings = converted(&xlsm, &out);
    assert!(warnings.contains("VBA macros"), "{warnings}");
    assert_macro_free(&out);
    assert_eq!(
        support::package::read_back(&out, "Data", "A1"),
        Data::Float(5.0)
    );
    // The other way round stays refused: a plain package named .xlsm.
    let o = convert(&out, &dir.path().join("again.xlsm"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    let Some(soffice) = external::soffice() else {
        return;
    };
    let csv_dir = dir.path().join("lo");
    let converted = external::libreoffice_sheets_csv(&soffice, &csv_dir, &out);
    let text = std::fs::read_to_string(&converted.files[0]).unwrap();
    assert_eq!(text.trim(), "5");
}

#[test]
fn corpus_xlsm_files_convert_to_macro_free_xlsx() {
    let Some(dir) = external::corpus("calamine") else {
        return;
    };
    let out_dir = tempfile::tempdir().unwrap();
    let mut files = 0;
    for xlsm in external::files_with(&dir, &["xlsm"]) {
        let out = out_dir
            .path()
            .join(xlsm.file_stem().unwrap())
            .with_extension("xlsx");
        converted(&xlsm, &out);
        assert_macro_free(&out);
        files += 1;
    }
    assert!(files >= 4, "{files} .xlsm files");
}

#[test]
fn excel_4_macro_sheets_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("macros.xls");
    let mut stream = biff::workbook_stream(&Biff8 {
        sheets: vec![
            BiffSheet {
                name: "Data".into(),
                cells: vec![biff::number(0, 0, 1.0)],
            },
            BiffSheet {
                name: "Macro1".into(),
                cells: vec![biff::label(0, 0, "=RETURN()")],
            },
        ],
        ..Biff8::default()
    });
    // The second BoundSheet8 record's type byte: 1, a macro sheet.
    let second = find(&stream, b"\x85\x00", 2);
    stream[second + 4 + 5] = 1;
    biff::write_compound(&xls, &stream);
    let out = dir.path().join("macros.xlsx");
    let warnings = converted(&xls, &out);
    assert!(
        warnings.contains("Excel 4 macro sheet \"Macro1\""),
        "{warnings}"
    );
    let wb = open_workbook_auto(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Data"]);
}

/// The offset of the `nth` (from 1) occurrence of `needle`.
fn find(hay: &[u8], needle: &[u8], nth: usize) -> usize {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .nth(nth - 1)
        .map(|(i, _)| i)
        .unwrap()
}

#[test]
fn an_unparseable_vba_project_does_not_stop_the_cells() {
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("vba.xls");
    let stream = biff::workbook_stream(&Biff8 {
        sheets: vec![BiffSheet {
            name: "Data".into(),
            cells: vec![biff::number(0, 0, 3.0)],
        }],
        ..Biff8::default()
    });
    let mut compound = cfb::create(&xls).unwrap();
    std::io::Write::write_all(&mut compound.create_stream("/Workbook").unwrap(), &stream).unwrap();
    compound.create_storage("/_VBA_PROJECT_CUR").unwrap();
    compound.create_storage("/_VBA_PROJECT_CUR/VBA").unwrap();
    std::io::Write::write_all(
        &mut compound.create_stream("/_VBA_PROJECT_CUR/VBA/dir").unwrap(),
        b"\xff\xfe garbage, no compressed container",
    )
    .unwrap();
    compound.flush().unwrap();
    drop(compound);
    let out = dir.path().join("vba.xlsx");
    let warnings = converted(&xls, &out);
    assert!(warnings.contains("VBA macros"), "{warnings}");
    assert_eq!(
        support::package::read_back(&out, "Data", "A1"),
        Data::Float(3.0)
    );
}

#[test]
fn unreadable_files_are_said_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");

    // An Excel 4.0 workbook: a bare BIFF4 record stream.
    let old = dir.path().join("old.xls");
    let mut bytes = biff::record(0x0409, &[0, 0, 0, 1, 0, 0]);
    bytes.extend(biff::record(0x000A, &[]));
    std::fs::write(&old, bytes).unwrap();
    let o = convert(&old, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("Excel 4.0 workbook")
            && e.contains("save it again")
            && !e.contains("not a spreadsheet"),
        "{e}"
    );

    // XOR obfuscation: a FilePass record of type 0 after the BOF, the
    // records after it scrambled.
    let xor = dir.path().join("xor.xls");
    let mut book = two_sheets_with_one_name();
    book.after_bof = vec![biff::record(0x002F, &[0, 0, 0x34, 0x12, 0x78, 0x56])];
    let mut stream = biff::workbook_stream(&book);
    let codepage = find(&stream, b"\x42\x00\x02\x00", 1);
    stream[codepage + 4] ^= 0x93;
    stream[codepage + 5] ^= 0xD3;
    biff::write_compound(&xor, &stream);
    let o = convert(&xor, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("password-protected") && !e.contains("Codepage"),
        "{e}"
    );
    assert!(!out.exists());
}

#[test]
fn a_reader_panic_is_one_clear_message() {
    // A defined name claiming more formula bytes than its record holds
    // makes calamine slice out of bounds.
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("broken.xls");
    let mut book = two_sheets_with_one_name();
    book.names.truncate(1);
    let mut stream = biff::workbook_stream(&book);
    let lbl = find(&stream, b"\x18\x00", 1);
    stream[lbl + 4 + 4] = 0xFF;
    stream[lbl + 4 + 5] = 0x7F;
    biff::write_compound(&xls, &stream);
    let o = convert(&xls, &dir.path().join("out.xlsx"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("broken.xls") && e.contains("damaged or not a valid workbook"),
        "{e}"
    );
    for raw in ["panicked", "index out of", "overflow", "unwrap", "calamine"] {
        assert!(!e.contains(raw), "{e}");
    }
}

/// Rewrites the zip at `path`, passing each entry's text through `edit`
/// and adding `extra` entries.
fn edit_zip(path: &Path, edit: impl Fn(&str, String) -> String, extra: &[(&str, &str)]) {
    let bytes = std::fs::read(path).unwrap();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
        zip.start_file(name.clone(), opts).unwrap();
        std::io::Write::write_all(&mut zip, edit(&name, text).as_bytes()).unwrap();
    }
    for (name, text) in extra {
        zip.start_file(*name, opts).unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn an_xlsx_with_a_macro_sheet_reads_its_worksheets() {
    // Before: calamine's "Unrecognized sheet:type" refused the file.
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("xlm.xlsx");
    hand_made_xlsx(
        &xlsx,
        &HandMade {
            sheet: "Data",
            before_sheets: "",
            after_sheets: "",
            date_style: true,
            shared_strings: None,
        },
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>9</v></c></row></sheetData></worksheet>"#,
    );
    edit_zip(
        &xlsx,
        |name, text| {
            match name {
            "xl/workbook.xml" => text.replace(
                "</sheets>",
                r#"<sheet name="Macro1" sheetId="2" r:id="rId7"/></sheets>"#,
            ),
            "xl/_rels/workbook.xml.rels" => text.replace(
                "</Relationships>",
                r#"<Relationship Id="rId7" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#,
            ),
            "[Content_Types].xml" => text.replace(
                "</Types>",
                r#"<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>"#,
            ),
            _ => text,
        }
        },
        &[(
            "xl/macrosheets/sheet1.xml",
            r#"<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>RETURN()</f><v></v></c></row></sheetData></xm:macrosheet>"#,
        )],
    );
    let csv = dir.path().join("xlm.csv");
    let warnings = converted(&xlsx, &csv);
    assert!(
        warnings.contains("Excel 4 macro sheet \"Macro1\""),
        "{warnings}"
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap().trim(), "9");
    let o = convert(&xlsx, &dir.path().join("strict.csv"), &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // An xlsx output is a patched copy: the macro sheet is carried.
    let out = dir.path().join("xlm-out.xlsx");
    converted(&xlsx, &out);
    let names: Vec<String> = support::package::entries(&out)
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert!(
        names.contains(&"xl/macrosheets/sheet1.xml".to_string()),
        "{names:?}"
    );
}
