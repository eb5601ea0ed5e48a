//! Shared helpers for the end-to-end tests: run the binary, read
//! the output back with calamine, compare exact decimals.

#![allow(dead_code)]

use calamine::{open_workbook_auto, Data, Reader};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A sample workbook's path.
pub fn sample(name: &str) -> PathBuf {
    root().join("samples").join(name)
}

/// A script's path.
pub fn script(name: &str) -> PathBuf {
    root().join("scripts").join(name)
}

/// Runs `sheetscript` with `args`.
pub fn sheetscript(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sheetscript"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("binary runs")
}

/// Runs and insists on success, returning stdout.
pub fn ok(args: &[&str]) -> String {
    let out = sheetscript(args);
    assert!(
        out.status.success(),
        "sheetscript {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A sheet of a workbook read back with calamine.
pub struct Grid(pub calamine::Range<Data>);

/// Reads one sheet.
pub fn grid(path: &Path, sheet: &str) -> Grid {
    let mut wb = open_workbook_auto(path).expect("output opens");
    Grid(
        wb.worksheet_range(sheet)
            .unwrap_or_else(|e| panic!("sheet {sheet}: {e}")),
    )
}

impl Grid {
    /// The cell at an A1 address (absolute, not relative to the range).
    pub fn at(&self, a1: &str) -> Data {
        let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let row: u32 = a1[letters.len()..].parse().unwrap();
        let col = letters
            .bytes()
            .fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32)
            - 1;
        self.0
            .get_value((row - 1, col))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    /// The number at a cell, exactly as written.
    pub fn num(&self, a1: &str) -> Decimal {
        num(&self.at(a1)).unwrap_or_else(|| panic!("{a1} is not a number: {:?}", self.at(a1)))
    }

    /// The text at a cell.
    pub fn text(&self, a1: &str) -> String {
        match self.at(a1) {
            Data::String(s) => s,
            other => panic!("{a1} is not text: {other:?}"),
        }
    }

    /// Rows of the used range, as calamine sees them.
    pub fn rows(&self) -> Vec<Vec<Data>> {
        self.0.rows().map(|r| r.to_vec()).collect()
    }
}

/// A cell's number as an exact decimal (floats through their shortest
/// form, which is how the writer stores decimals).
pub fn num(d: &Data) -> Option<Decimal> {
    match d {
        Data::Float(f) => Some(
            Decimal::from_str_exact(&format!("{f}"))
                .unwrap_or_else(|_| Decimal::from_scientific(&format!("{f:e}")).expect("finite")),
        ),
        Data::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

/// Parses a decimal literal.
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Excel's ROUND: half away from zero.
pub fn round2(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// How [`hand_made_xlsx`] sets up its one-sheet workbook.
pub struct HandMade<'a> {
    /// The sheet's name.
    pub sheet: &'a str,
    /// What `<workbook>` holds before `<sheets>`, such as
    /// `<workbookPr date1904="1"/>`.
    pub before_sheets: &'a str,
    /// What it holds after `<sheets>`, such as `<definedNames>`.
    pub after_sheets: &'a str,
    /// Whether the package has a style part whose style 1 is a date
    /// format (numFmtId 14).
    pub date_style: bool,
    /// A shared-string part (`<sst>...</sst>`), if any.
    pub shared_strings: Option<&'a str>,
}

/// Writes a one-sheet xlsx package at `path` around `sheet_xml` (a whole
/// worksheet part), made by hand as tools other than Excel write them.
pub fn hand_made_xlsx(path: &Path, book: &HandMade, sheet_xml: &str) {
    const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"#;
    let (sst_type, sst_rel) = if book.shared_strings.is_some() {
        (
            r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
            r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
        )
    } else {
        ("", "")
    };
    let (styles_type, styles_rel) = if book.date_style {
        (
            r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
            r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
        )
    } else {
        ("", "")
    };
    let mut parts = vec![
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>{styles_type}{sst_type}</Types>"#
            ),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{}<sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets>{}</workbook>"#,
                book.before_sheets, book.sheet, book.after_sheets
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{styles_rel}{sst_rel}</Relationships>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml.to_string()),
    ];
    if book.date_style {
        parts.push(("xl/styles.xml", STYLES.to_string()));
    }
    if let Some(sst) = book.shared_strings {
        parts.push(("xl/sharedStrings.xml", sst.to_string()));
    }
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        std::io::Write::write_all(&mut zip, text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// A one-sheet xlsx package (sheet "Data", a sheet-scoped name Rate)
/// named `name` in `dir` around `sheet_xml`.
pub fn one_sheet_xlsx(dir: &Path, name: &str, sheet_xml: &str) -> PathBuf {
    let path = dir.join(name);
    let book = HandMade {
        sheet: "Data",
        before_sheets: "",
        after_sheets: r#"<definedNames><definedName name="Rate" localSheetId="0">Data!$A$1</definedName></definedNames>"#,
        date_style: false,
        shared_strings: None,
    };
    hand_made_xlsx(&path, &book, sheet_xml);
    path
}

/// Writes a one-row sheet "Data" of `cells` (`<c>` elements) as a
/// hand-made xlsx in `dir`, runs `sheetscript recalc` on it, insists on
/// success and returns what it said on stderr and the sheet it wrote.
pub fn recalc_one_row(dir: &Path, cells: &str) -> (String, Grid) {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells}</row></sheetData></worksheet>"#
    );
    let book = one_sheet_xlsx(dir, "row.xlsx", &sheet);
    let out_file = dir.join("row-recalculated.xlsx");
    let out = sheetscript(&[
        "recalc",
        book.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (err, grid(&out_file, "Data"))
}

/// The most address space a capped run may take: what no test may need
/// more than.
pub const MEMORY_CAP: u64 = 2 << 30;

/// `sheetscript show FILE --quiet` as its own process with its address
/// space capped at [`MEMORY_CAP`], so an unbounded allocation fails the
/// run instead of the machine.
pub fn show_capped(file: &Path) -> Output {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_sheetscript"));
    command.arg("show").arg(file).arg("--quiet");
    // SAFETY: setrlimit is async-signal-safe and touches no memory of the
    // parent.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY_CAP,
                rlim_max: MEMORY_CAP,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.output().expect("sheetscript starts")
}
