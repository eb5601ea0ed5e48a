//! What the fuzz targets share: which panics count as findings, the
//! scratch file the readers are given, a small workbook for formulas, and
//! the minimal xlsx package around a fuzzed sheet.

use sheetscript::formula::{Deadline, Engine, EngineOptions};
use sheetscript::model::{CellAddr, DateValue, DefinedName, ErrorKind, Number, Value, Workbook};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// The calculation limit of one input: well under libFuzzer's `-timeout`
/// (10 s in `run.sh`), so a formula that ignores the engine's deadline is
/// reported as a timeout while one that keeps to it is not.
pub const CALC_LIMIT: Duration = Duration::from_secs(2);

/// Which panics stop the fuzzer. libFuzzer's hook aborts on every panic,
/// even one the library catches; the readers catch a parser's panic on
/// purpose (calamine, zip and quick-xml are fed untrusted bytes and their
/// panics become "the file is damaged"), so only panics raised in
/// sheetscript's own code are findings there. In formulas every panic is
/// a finding: a numeric library must be given arguments it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanicPolicy {
    /// Every panic aborts.
    Every,
    /// Panics raised inside third-party crates are left to the library's
    /// guard; the rest abort.
    OursOnly,
}

/// Installs the panic hook for `policy` (call it from the target's `init`).
pub fn install_panic_hook(policy: PanicPolicy) {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let third_party = info.location().is_some_and(|l| {
            let file = l.file();
            file.contains("/.cargo/registry/") || file.contains("/.cargo/git/")
        });
        if policy == PanicPolicy::OursOnly && third_party {
            return;
        }
        default_hook(info);
        std::process::abort();
    }));
}

/// A scratch file of this process for the readers, which read from a
/// path: in `/dev/shm` where there is one, so each input costs no disk
/// write.
pub fn scratch_path(extension: &str) -> PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    dir.join(format!(
        "sheetscript-fuzz-{}.{extension}",
        std::process::id()
    ))
}

/// Writes `bytes` to `path`, replacing what was there.
pub fn write_scratch(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("the fuzz scratch file cannot be written");
}

/// An engine over a small workbook with every kind of value, a formula
/// chain, a defined name, a table and a second sheet with a space in its
/// name, so fuzzed formulas find something to refer to.
pub fn small_engine() -> Engine {
    let mut wb = Workbook::new();
    wb.add_sheet("Data").expect("a valid sheet name");
    wb.add_sheet("Other Sheet").expect("a valid sheet name");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("a valid date");
    let data = wb.sheet_mut("Data").expect("just added");
    let cell = |a1: &str| CellAddr::parse(a1).expect("a valid address");
    data.set_value(cell("A1"), Value::Text("Customer".into()));
    data.set_value(cell("B1"), Value::Text("Amount".into()));
    data.set_value(cell("C1"), Value::Text("Due".into()));
    let rows: [(&str, f64, i64); 4] = [
        ("ACME", 1234.5, 0),
        ("Beta s.r.o.", -0.1, 31),
        ("Čížek", 1e15, -400),
        ("", 0.0, 60),
    ];
    for (i, (name, amount, days)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        data.set_value(CellAddr::new(row, 0), Value::Text((*name).into()));
        data.set_value(
            CellAddr::new(row, 1),
            Value::Number(Number::from_f64(*amount)),
        );
        data.set_value(
            CellAddr::new(row, 2),
            Value::Date(DateValue::from_date(date + chrono::Duration::days(*days))),
        );
    }
    data.set_value(cell("D2"), Value::Bool(true));
    data.set_value(
        cell("D3"),
        Value::Error(ErrorKind::parse("#N/A").expect("an error")),
    );
    data.set_value(cell("D4"), Value::Text("12,5".into()));
    data.set_formula(cell("E2"), "SUM(B2:B5)", Value::Empty);
    data.set_formula(cell("E3"), "E2*2", Value::Empty);
    data.set_formula(cell("E4"), "'Other Sheet'!A1&\" \"&A2", Value::Empty);
    let other = wb.sheet_mut("Other Sheet").expect("just added");
    other.set_value(cell("A1"), Value::Text("note".into()));
    other.set_value(cell("B2"), Value::Number(Number::from_i64(7)));
    wb.names.push(DefinedName {
        name: "Rate".into(),
        scope: None,
        refers_to: "Data!$B$2".into(),
    });
    wb.add_table(sheetscript::model::Table {
        name: "Invoices".into(),
        sheet: "Data".into(),
        range: sheetscript::model::RangeAddr::new(cell("A1"), cell("C5")),
        header_row: true,
        totals_row: false,
        columns: vec!["Customer".into(), "Amount".into(), "Due".into()],
    })
    .expect("a valid table");
    let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a valid time");
    let mut engine = Engine::new(
        wb,
        EngineOptions {
            now: Some(now),
            deadline: None,
        },
    );
    engine.set_deadline(Some(Deadline::after(CALC_LIMIT)));
    engine
}

/// The parts of a one-sheet xlsx package other than the sheet: a date,
/// a percent and a custom number format, and four shared strings.
const PACKAGE_PARTS: [(&str, &str); 6] = [
    (
        "[Content_Types].xml",
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"##,
    ),
    (
        "_rels/.rels",
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"##,
    ),
    (
        "xl/workbook.xml",
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="Rate">Data!$B$2</definedName></definedNames></workbook>"##,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"##,
    ),
    (
        "xl/styles.xml",
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00\ &quot;Kč&quot;;[Red]\-#,##0.00\ &quot;Kč&quot;"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>"##,
    ),
    (
        "xl/sharedStrings.xml",
        r##"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Customer</t></si><si><t xml:space="preserve"> Amount </t></si><si><r><t>Rich</t></r><r><rPr><b/></rPr><t>text</t></r></si><si><t>Čížek &amp; syn</t></si></sst>"##,
    ),
];

/// A one-sheet xlsx package whose `xl/worksheets/sheet1.xml` is
/// `sheet_xml`, stored uncompressed.
pub fn xlsx_around_sheet(sheet_xml: &[u8]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in PACKAGE_PARTS {
        zip.start_file(name, options).expect("writing to memory");
        zip.write_all(text.as_bytes()).expect("writing to memory");
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("writing to memory");
    zip.write_all(sheet_xml).expect("writing to memory");
    zip.finish().expect("writing to memory").into_inner()
}
