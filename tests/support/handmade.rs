//! Workbooks made by hand, byte by byte, as tools other than Excel write
//! them: the inputs no writer of ours (or of a library) would produce.

use std::path::{Path, PathBuf};

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
    hand_made_xlsx_with(path, book, sheet_xml, &[], "");
}

/// [`hand_made_xlsx`] with further parts (`(name, content)`, such as
/// `xl/externalLinks/externalLink1.xml` and its rels) and further
/// workbook relationships (`<Relationship Id="rId9" .../>`; ids rId1 to
/// rId3 are taken).
pub fn hand_made_xlsx_with(
    path: &Path,
    book: &HandMade,
    sheet_xml: &str,
    extra_parts: &[(&str, &str)],
    extra_rels: &str,
) {
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
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{styles_rel}{sst_rel}{extra_rels}</Relationships>"#
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
    for (name, text) in extra_parts {
        parts.push((name, text.to_string()));
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

/// An external link part: the saved values of Rates.xlsx (sheets Rates
/// and "Q1 Plan", a name FxRate) that formulas such as `[1]Rates!B2` read.
pub const EXTERNAL_LINK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"><sheetNames><sheetName val="Rates"/><sheetName val="Q1 Plan"/></sheetNames><definedNames><definedName name="FxRate" refersTo="=Rates!$B$2"/></definedNames><sheetDataSet><sheetData sheetId="0"><row r="2"><cell r="B2"><v>1.25</v></cell><cell r="C2" t="str"><v>EUR</v></cell></row><row r="3"><cell r="B3"><v>2.5</v></cell></row></sheetData><sheetData sheetId="1"><row r="1"><cell r="A1"><v>100</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>"#;

/// Its relationships: the linked file is C:/Finance/Rates.xlsx.
pub const EXTERNAL_LINK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/Finance/Rates.xlsx" TargetMode="External"/></Relationships>"#;

/// The workbook's relationship to the external link part.
pub const WORKBOOK_TO_LINK: &str = r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>"#;

/// A one-sheet workbook (sheet "Data") around `sheet_xml` at `path`,
/// linked to Rates.xlsx through [`EXTERNAL_LINK`].
pub fn linked_xlsx(path: &Path, sheet_xml: &str) {
    let made = HandMade {
        sheet: "Data",
        before_sheets: "",
        after_sheets: r#"<externalReferences><externalReference r:id="rId9"/></externalReferences>"#,
        date_style: false,
        shared_strings: None,
    };
    hand_made_xlsx_with(
        path,
        &made,
        sheet_xml,
        &[
            ("xl/externalLinks/externalLink1.xml", EXTERNAL_LINK),
            (
                "xl/externalLinks/_rels/externalLink1.xml.rels",
                EXTERNAL_LINK_RELS,
            ),
        ],
        WORKBOOK_TO_LINK,
    );
}
