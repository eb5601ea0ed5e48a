//! Hostile workbooks built here (never committed): reading refuses them
//! with a message naming the limit, within bounded memory, instead of
//! growing past it.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use support::*;

const MIB: usize = 1 << 20;

/// Writes the XML of one part of a generated package.
type PartWriter<'a> = &'a dyn Fn(&mut dyn Write);

/// The default limit of one string, in bytes (`--max-string-kb 16384`).
const DEFAULT_MAX_STRING: usize = 16 * MIB;

/// A one-sheet xlsx at `dir/name` written part by part, so a hostile part
/// of tens of megabytes is never held whole: `sheet` and `shared_strings`
/// write the XML of the sheet part and the shared-string part. Parts are
/// stored uncompressed, which is quick to write in a test; what the
/// reader must bound is the unpacked XML, not the package.
fn streamed_xlsx(
    dir: &Path,
    name: &str,
    sheet: impl FnOnce(&mut dyn Write),
    shared_strings: Option<PartWriter<'_>>,
) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let sst_rel = if shared_strings.is_some() {
        r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
    } else {
        ""
    };
    let fixed = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>{sst_rel}</Relationships>"#)),
    ];
    for (part, xml) in fixed {
        zip.start_file(part, stored).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", stored).unwrap();
    sheet(&mut zip);
    if let Some(write) = shared_strings {
        zip.start_file("xl/sharedStrings.xml", stored).unwrap();
        write(&mut zip);
    }
    zip.finish().unwrap();
    path
}

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// Writes `len` bytes of `x`, a megabyte at a time.
fn filler(out: &mut dyn Write, len: usize) {
    let block = vec![b'x'; MIB];
    let mut left = len;
    while left > 0 {
        let n = left.min(MIB);
        out.write_all(&block[..n]).unwrap();
        left -= n;
    }
}

/// A sheet whose A1 is an inline string (`t="inlineStr"`) of `len` bytes.
fn inline_string_xlsx(dir: &Path, name: &str, len: usize) -> PathBuf {
    streamed_xlsx(
        dir,
        name,
        |out| {
            write!(out, r#"<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#).unwrap();
            filler(out, len);
            write!(out, "</t></is></c></row></sheetData></worksheet>").unwrap();
        },
        None,
    )
}

/// A sheet whose A1 is shared string 0, and a shared-string table that
/// `sst` writes.
fn shared_string_xlsx(dir: &Path, name: &str, sst: PartWriter<'_>) -> PathBuf {
    streamed_xlsx(
        dir,
        name,
        |out| {
            write!(out, r#"<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#).unwrap();
        },
        Some(sst),
    )
}

/// Runs `show` on `path` under the memory cap with `options`.
fn show_with(path: &Path, options: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["show", path.to_str().unwrap(), "--quiet"];
    args.extend_from_slice(options);
    let out = sheetscript_capped(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Asserts a refusal (exit 2) that names the file and `limit_words`.
fn assert_refused(result: (Option<i32>, String), file: &str, limit_words: &str) {
    let (code, err) = result;
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(file) && err.contains(limit_words),
        "expected \"{limit_words}\" about {file}: {err}"
    );
}

#[test]
fn an_inline_string_past_the_limit_is_refused_before_it_is_held() {
    let dir = tempfile::tempdir().unwrap();
    // Streamed (a sheet part over 8 MB): before, quick-xml gathered the
    // whole string, so a 3 GB one took 3 GB and more.
    let big = inline_string_xlsx(dir.path(), "inline.xlsx", 40 * MIB);
    assert_refused(
        show_with(&big, &["--max-string-kb", "1024"]),
        "inline.xlsx",
        "sheet \"Data\", cell A1 holds a string of more than 1024 KiB (the --max-string-kb limit); --max-string-kb N raises it",
    );
    // Raised, the limit lets the same file through.
    let (code, err) = show_with(&big, &["--max-string-kb", "65536"]);
    assert_eq!(code, Some(0), "{err}");
    // The default refuses a string just past it.
    let past = inline_string_xlsx(dir.path(), "past.xlsx", DEFAULT_MAX_STRING + MIB);
    assert_refused(show_with(&past, &[]), "past.xlsx", "more than 16384 KiB");
    // A sheet part small enough to be parsed in memory is held to the
    // same limit.
    let small = inline_string_xlsx(dir.path(), "small.xlsx", 2 * MIB);
    assert_refused(
        show_with(&small, &["--max-string-kb", "1024"]),
        "small.xlsx",
        "cell A1 holds a string of more than 1024 KiB",
    );
}

#[test]
fn a_shared_string_past_the_limit_is_refused_before_it_is_held() {
    let dir = tempfile::tempdir().unwrap();
    let one_string = |len: usize| {
        move |out: &mut dyn Write| {
            write!(
                out,
                r#"<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>"#
            )
            .unwrap();
            filler(out, len);
            write!(out, "</t></si></sst>").unwrap();
        }
    };
    let big = shared_string_xlsx(dir.path(), "sst.xlsx", &one_string(40 * MIB));
    assert_refused(
        show_with(&big, &["--max-string-kb", "1024"]),
        "sst.xlsx",
        "shared string 0 of xl/sharedStrings.xml is a string of more than 1024 KiB (the --max-string-kb limit)",
    );
    let past = shared_string_xlsx(
        dir.path(),
        "past.xlsx",
        &one_string(DEFAULT_MAX_STRING + MIB),
    );
    assert_refused(show_with(&past, &[]), "past.xlsx", "more than 16384 KiB");
}

#[test]
fn a_shared_string_table_of_too_many_strings_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // Before: calamine reserved room for the claimed count first, 96 GB
    // for four billion, and the process aborted.
    let claim = |count: usize| {
        move |out: &mut dyn Write| {
            write!(
                out,
                r#"<sst xmlns="{MAIN_NS}" count="4000000000" uniqueCount="4000000000">"#
            )
            .unwrap();
            for _ in 0..count {
                out.write_all(b"<si><t>a</t></si>").unwrap();
            }
            write!(out, "</sst>").unwrap();
        }
    };
    let honest_size = shared_string_xlsx(dir.path(), "claim.xlsx", &claim(1));
    let (code, err) = show_with(&honest_size, &[]);
    assert_eq!(code, Some(0), "{err}");
    // Hundreds of millions of tiny strings, scaled down with the limit.
    let many = shared_string_xlsx(dir.path(), "many.xlsx", &claim(30_000));
    assert_refused(
        show_with(&many, &["--max-shared-strings", "10000"]),
        "many.xlsx",
        "the shared string table (xl/sharedStrings.xml) holds more than 10000 strings (the --max-shared-strings limit); --max-shared-strings N raises it",
    );
    let (code, err) = show_with(&many, &["--max-shared-strings", "30000"]);
    assert_eq!(code, Some(0), "{err}");
}

/// A one-table ods at `dir/name` whose table (named "Data") holds `rows`.
fn ods(dir: &Path, name: &str, rows: &str) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Data">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap();
    path
}

/// A row repeated `rows` times of one number repeated `cols` times.
fn repeated_rows(rows: u64, cols: u64) -> String {
    format!(
        r#"<table:table-row table:number-rows-repeated="{rows}"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="{cols}"/></table:table-row>"#
    )
}

#[test]
fn ods_repeats_meaning_a_billion_cells_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cells = "with its repeated rows and columns, the workbook holds more than 60000000 cells (the --max-cells limit); --max-cells N raises it";
    // 10⁹ cells from a file of a few hundred bytes.
    let billion = ods(dir.path(), "billion.ods", &repeated_rows(1_000_000, 1000));
    assert_refused(show_with(&billion, &[]), "billion.ods", cells);
    // Just under calamine's own limit of 10⁸: before, it built them
    // (5.5 GB) and the process aborted.
    let under = ods(dir.path(), "under.ods", &repeated_rows(6000, 16_384));
    assert_refused(show_with(&under, &[]), "under.ods", cells);
    // The limit moves with the option.
    let small = ods(dir.path(), "small.ods", &repeated_rows(100, 100));
    assert_refused(
        show_with(&small, &["--max-cells", "5000"]),
        "small.ods",
        "more than 5000 cells (the --max-cells limit)",
    );
    let (code, err) = show_with(&small, &[]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn ods_spaces_counting_two_billion_are_refused() {
    // Before: a 2 GB string of spaces from a file of 800 bytes, and an
    // abort.
    let dir = tempfile::tempdir().unwrap();
    let spaces = |count: u64| {
        format!(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="{count}"/>b</text:p></table:table-cell></table:table-row>"#
        )
    };
    let path = ods(dir.path(), "spaces.ods", &spaces(2_000_000_000));
    assert_refused(
        show_with(&path, &[]),
        "spaces.ods",
        "sheet \"Data\", cell A1 holds a string of more than 16384 KiB (the --max-string-kb limit)",
    );
    let fine = ods(dir.path(), "fine.ods", &spaces(3));
    let (code, err) = show_with(&fine, &[]);
    assert_eq!(code, Some(0), "{err}");
}

/// A CSV with a header line and a second line whose second field is
/// `len` bytes long.
fn long_line_csv(dir: &Path, name: &str, len: usize) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(b"Name,Note\nDesk,").unwrap();
    filler(&mut file, len);
    file.write_all(b"\nChair,short\n").unwrap();
    file.flush().unwrap();
    path
}

#[test]
fn a_csv_line_past_the_limit_is_refused_before_it_is_gathered() {
    // Before: a 1 GB line took the file, the parser's record and the
    // cell, each a gigabyte.
    let dir = tempfile::tempdir().unwrap();
    let long = long_line_csv(dir.path(), "long.csv", 20 * MIB);
    assert_refused(
        show_with(&long, &["--max-string-kb", "1024"]),
        "long.csv",
        "line 2 holds a field of more than 1024 KiB (the --max-string-kb limit); --max-string-kb N raises it",
    );
    // The file itself is held to the text limit.
    assert_refused(
        show_with(&long, &["--max-text-mb", "10"]),
        "long.csv",
        "the CSV file holds more than 10 MiB of text (the --max-text-mb limit)",
    );
    let past = long_line_csv(dir.path(), "past.csv", DEFAULT_MAX_STRING + MIB);
    assert_refused(show_with(&past, &[]), "past.csv", "more than 16384 KiB");
}

#[test]
fn every_command_that_reads_takes_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c><c r="C1"><v>3</v></c></row></sheetData></worksheet>"#;
    let book = one_sheet_xlsx(dir.path(), "three.xlsx", sheet);
    let book = book.to_str().unwrap();
    let script = dir.path().join("noop.rhai");
    std::fs::write(&script, "let x = 1;\n").unwrap();
    let script = script.to_str().unwrap();
    let out = dir.path().join("out.xlsx");
    let out = out.to_str().unwrap();
    let commands: [&[&str]; 5] = [
        &["show", book],
        &["convert", book, "-o", out],
        &["recalc", book, "-o", out],
        &["eval", book, "A1"],
        &["run", script, book, "-o", out],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.extend(["--quiet", "--max-cells", "2"]);
        let run = sheetscript_capped(&args);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{command:?}: {err}");
        assert!(
            err.contains(
                "three.xlsx: the workbook holds more than 2 cells (the --max-cells limit)"
            ),
            "{command:?}: {err}"
        );
    }
}

/// An xlsx at `dir/name` whose one shared string, `bytes` long, is the
/// text of `cells` cells (A1 down): a package of about `bytes` that
/// means `bytes × cells` of text.
fn one_shared_string_in_many_cells(dir: &Path, name: &str, bytes: usize, cells: u32) -> PathBuf {
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{cells}" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "x".repeat(bytes)
    );
    let rows: String = (1..=cells)
        .map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>0</v></c></row>"))
        .collect();
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let path = dir.join(name);
    let book = HandMade {
        sheet: "Data",
        before_sheets: "",
        after_sheets: "",
        date_style: false,
        shared_strings: Some(&sst),
    };
    hand_made_xlsx(&path, &book, &sheet);
    path
}

#[test]
fn one_long_shared_string_in_thousands_of_cells_is_refused() {
    // 1 MiB of text referenced by 1,500 cells: 1.5 GiB of text to show,
    // convert or script once per cell, from a package of about 1 MiB.
    let dir = tempfile::tempdir().unwrap();
    let path = one_shared_string_in_many_cells(dir.path(), "bomb.xlsx", MIB, 1500);
    let out = show_capped(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    // Before: 13 GB and an abort for POI's 12,000-cell version.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bomb.xlsx")
            && err.contains("the cells up to here hold more than 1024 MiB of text")
            && err.contains("--max-text-mb N raises it"),
        "{err}"
    );
}

#[test]
fn one_shared_string_in_twelve_thousand_cells_is_held_once() {
    // 500 KB referenced by 12,000 cells: 5.7 GiB if every cell held its
    // own copy, as each did before (past 8 GB for POI's version). Held
    // once, it reads under the 2 GiB cap once the text limit allows it.
    let dir = tempfile::tempdir().unwrap();
    let path = one_shared_string_in_many_cells(dir.path(), "shared.xlsx", 500_000, 12_000);
    let file = path.to_str().unwrap();
    let args = [
        "show",
        file,
        "--quiet",
        "--rows",
        "1",
        "--max-text-mb",
        "8192",
    ];
    let out = sheetscript_capped(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("A1:A12000 (12000 rows"),
        "{}",
        &shown[..shown.len().min(400)]
    );
    // With the default limit the text the cells stand for is refused.
    let out = show_capped(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("more than 1024 MiB of text"), "{err}");
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

/// Runs `args` under the memory cap: exit code, stdout and stderr.
fn run_capped(args: &[&str]) -> (Option<i32>, String, String) {
    let out = sheetscript_capped(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_xlsb_with_cells_at_both_ends_of_the_grid_costs_its_cells() {
    use support::xlsb::*;
    // Before: calamine built the 1048576 × 16384 grid between A1 and
    // XFD1048576 (about 512 GiB) for the values, and again for the
    // formulas, and the process aborted.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corners.xlsb");
    let book = Xlsb {
        sheets: vec![XlsbSheet {
            name: "Data".into(),
            dimension: [0, 1_048_575, 0, 16_383],
            records: vec![
                row(0),
                real(0, 1.0),
                row(1_048_575),
                formula_number(16_383, 2.0, &ref_token(0, 0)),
            ],
        }],
        names: Vec::new(),
    };
    write_xlsb(&path, &book);
    let file = path.to_str().unwrap();
    let (code, out, err) = run_capped(&["eval", file, "Data!XFD1048576", "--quiet"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), "1", "{err}");
    let (code, out, err) = run_capped(&["eval", file, "=Data!A1+Data!XFD1048576", "--quiet"]);
    assert_eq!((code, out.trim()), (Some(0), "2"), "{err}");
}

/// A one-sheet xls ("Data") at `dir/name` holding the `cells` records.
fn xls(dir: &Path, name: &str, cells: Vec<Vec<u8>>) -> PathBuf {
    use support::biff::*;
    let path = dir.join(name);
    let book = Biff8 {
        sheets: vec![BiffSheet {
            name: "Data".into(),
            cells,
        }],
        ..Biff8::default()
    };
    write_xls(&path, &book);
    path
}

/// A BIFF8 Dimensions record: first row, row after the last, first
/// column, column after the last.
fn dimensions(rows: (u32, u32), cols: (u16, u16)) -> Vec<u8> {
    let mut data = rows.0.to_le_bytes().to_vec();
    data.extend(rows.1.to_le_bytes());
    data.extend(cols.0.to_le_bytes());
    data.extend(cols.1.to_le_bytes());
    data.extend(0u16.to_le_bytes());
    support::biff::record(0x0200, &data)
}

#[test]
fn an_xls_claiming_billions_of_cells_is_refused_before_calamine_builds_them() {
    use support::biff::number;
    let dir = tempfile::tempdir().unwrap();
    let cells = "more than 60000000 cells (the --max-cells limit); --max-cells N raises it";
    // Before: calamine reserved room for the 4 billion rows × 256 columns
    // the Dimensions record claims (44 TB) and the process aborted.
    let claim = xls(
        dir.path(),
        "claim.xls",
        vec![dimensions((0, u32::MAX), (0, 256)), number(0, 0, 1.0)],
    );
    assert_refused(
        show_with(&claim, &[]),
        "claim.xls",
        &format!("sheet \"Data\": its Dimensions record claims {cells}"),
    );
    // Before: a cell at column 65536 (a cell record's column is 16 bits)
    // made calamine build a grid of 65536 × 65536 cells (128 GiB).
    let wide = xls(
        dir.path(),
        "wide.xls",
        vec![number(0, 0, 1.0), number(65_535, 65_535, 2.0)],
    );
    assert_refused(
        show_with(&wide, &[]),
        "wide.xls",
        &format!(
            "sheet \"Data\": with its cells spread over A1:CRXP65536, the workbook holds {cells}"
        ),
    );
}

#[test]
fn an_xls_with_cells_at_both_ends_of_its_grid_is_read() {
    use support::biff::*;
    // The whole BIFF8 grid (65536 × 256) is the most calamine builds for
    // a sheet within Excel 97's limits: values and formulas, each twice
    // while they are handed over.
    let dir = tempfile::tempdir().unwrap();
    let corners = xls(
        dir.path(),
        "corners.xls",
        vec![
            dimensions((0, 65_536), (0, 256)),
            number(0, 0, 1.0),
            formula(0, 1, 1.0, &ref3d(0, 0, 0)),
            number(65_535, 254, 3.0),
            formula(65_535, 255, 1.0, &ref3d(0, 0, 0)),
        ],
    );
    let file = corners.to_str().unwrap();
    let (code, out, err) = run_capped(&[
        "eval",
        file,
        "=Data!A1+Data!IU65536+Data!IV65536",
        "--quiet",
    ]);
    assert_eq!((code, out.trim()), (Some(0), "5"), "{err}");
}

#[test]
fn a_sparse_ods_spanning_the_grid_is_refused_before_calamine_builds_it() {
    // A1 and XFD1048576, the rows and columns between them repeated
    // empties: calamine builds the dense grid between them (17 billion
    // cells), so the check before it refuses the file.
    let dir = tempfile::tempdir().unwrap();
    let rows = r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="float" office:value="2"/></table:table-row>"#;
    let corners = ods(dir.path(), "corners.ods", rows);
    assert_refused(
        show_with(&corners, &[]),
        "corners.ods",
        "with its repeated rows and columns, the workbook holds more than 60000000 cells (the --max-cells limit)",
    );
}

#[test]
fn xlsb_records_the_reader_cannot_decode_leave_the_other_cells_read() {
    use support::package::{formula_back, read_back};
    use support::xlsb::*;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.xlsb");
    let mut plus = ref_token(0, 0);
    plus.extend(int_token(1));
    plus.push(0x03);
    let book = Xlsb {
        sheets: vec![XlsbSheet {
            name: "Data".into(),
            dimension: [0, 1, 0, 2],
            records: vec![
                row(0),
                real(0, 1.0),
                // A token no reader knows (0xFF): its value is kept.
                formula_number(1, 7.0, &[0xFF]),
                formula_number(2, 2.0, &plus),
                // An error code no reader knows, and a record type none
                // knows either.
                error(3, 0x99),
                record(0x0777, &[1, 2, 3]),
                row(1),
                text(0, "after"),
            ],
        }],
        names: Vec::new(),
    };
    write_xlsb(&path, &book);
    let out = dir.path().join("out.xlsx");
    let (code, _, err) = run_capped(&[
        "convert",
        path.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    // Before: the one bad token lost the formulas of the whole sheet.
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("1 of the formulas on sheet \"Data\" could not be read (their values are kept; the first: Unsupported Ptf FF)")
            && err.contains("1 of the cell values on sheet \"Data\" could not be read (left empty; the first: Unsupported Cell Error code 99)"),
        "{err}"
    );
    assert_eq!(formula_back(&out, "Data", "C1"), "A1+1");
    assert_eq!(read_back(&out, "Data", "B1"), calamine::Data::Float(7.0));
    assert_eq!(
        read_back(&out, "Data", "A2"),
        calamine::Data::String("after".into())
    );

    // A defined name's formula is decoded when calamine opens the file,
    // and it reads nothing past one it cannot decode: the message names
    // the part.
    let named = dir.path().join("named.xlsb");
    let book = Xlsb {
        names: vec![("Odd".into(), vec![0xFF])],
        ..book
    };
    write_xlsb(&named, &book);
    let (code, _, err) = run_capped(&["show", named.to_str().unwrap(), "--quiet"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("named.xlsb: a defined name in xl/workbook.bin has a formula the reader cannot decode (Unsupported Ptf FF)"),
        "{err}"
    );
}
