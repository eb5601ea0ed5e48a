//! Czech back-office data as it comes: bank statements in CSV with a title
//! above the header, `;`, decimal comma, spaced thousands, `d.m.yyyy` and
//! Windows-1250, read as the main input and as an attachment; decimal-comma
//! and dotted-date parameters; CSV written for Czech Excel.

mod support;

use std::path::Path;
use support::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A statement as Fio banka exports it, in Windows-1250: a title with a
/// comma (which used to make `,` the delimiter), the period, a blank line,
/// then the table with amounts grouped by plain and no-break spaces.
fn statement() -> Vec<u8> {
    let text = "Výpis z účtu 2900123456/2010 Fio banka, a.s.\r\n\
                Období;1.11.2026 - 30.11.2026\r\n\
                \r\n\
                Datum;Objem;Měna;VS;Poznámka\r\n\
                3.11.2026;-1 234,50;CZK;2026001;Nájem, listopad\r\n\
                15.11.2026;12\u{a0}500,00;CZK;2026002;Platba faktury\r\n\
                30.11.2026;-4,50;CZK;;Poplatek za vedení účtu\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1250.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Sums the statement's amounts and keeps the first date, into a sheet of
/// the output.
const SUM_BANK: &str = r#"
let bank = workbook("bank").table("stmt");
let s = sheet("Invoices");
s["J1"] = bank.Objem.sum();
s["J2"] = bank.len;
s["J3"] = bank[0].Datum;
s["J4"] = bank[0]["Poznámka"];
"#;

#[test]
fn statement_with_a_title_reads_as_the_main_input() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "stmt.csv", &statement());
    let script = write(
        dir.path(),
        "sum.rhai",
        b"let t = table(\"stmt\");\nlet s = sheet(\"stmt\");\ns[\"H1\"] = t.Objem.sum();\ns[\"H2\"] = t.len;\n",
    );
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&["run", &script, &csv, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("skipped 3 line(s) above the header row (line 4)")
            && err.contains("Výpis z účtu 2900123456/2010 Fio banka, a.s."),
        "{err}"
    );
    let g = grid(&out, "stmt");
    assert_eq!(g.text("A1"), "Datum");
    assert_eq!(g.text("E1"), "Poznámka");
    assert_eq!(g.num("B2"), d("-1234.50"));
    assert_eq!(g.num("B3"), d("12500.00"));
    assert_eq!(g.num("H1"), d("11261.00"));
    assert_eq!(g.num("H2"), d("3"));
}

#[test]
fn header_row_option_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "stmt.csv", &statement());
    let shown = ok(&["show", &csv, "--header-row", "2", "--delimiter", ";"]);
    assert!(shown.contains("Období"), "{shown}");
    let o = sheetscript(&["show", &csv, "--header-row", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--header-row 0"), "{}", stderr(&o));
}

#[test]
fn attached_statements_take_their_own_reading_options() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(dir.path(), "stmt.csv", &statement());
    let script = write(dir.path(), "bank.rhai", SUM_BANK.as_bytes());
    let input = sample("invoices.xlsx");
    // Detected: delimiter, decimal comma, encoding and header row.
    let out = dir.path().join("detected.xlsx");
    let attach = format!("bank={csv}");
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "--attach",
        &attach,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let g = grid(&out, "Invoices");
    assert_eq!(g.num("J1"), d("11261.00"));
    assert_eq!(g.num("J2"), d("3"));
    assert_eq!(g.text("J4"), "Nájem, listopad");
    // Given per attachment: the same result, and the `;` value of the
    // delimiter needs no escaping.
    let out = dir.path().join("given.xlsx");
    let attach = format!("bank={csv};delimiter=;;encoding=windows-1250;decimal=comma;header-row=4");
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "--attach",
        &attach,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(grid(&out, "Invoices").num("J1"), d("11261.00"));
    // A decimal point forced on the statement: amounts stay text, so the
    // sum is refused rather than wrong.
    let attach = format!("bank={csv};decimal=point");
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "--attach",
        &attach,
        "--dry-run",
    ]);
    assert!(!o.status.success(), "a text amount must not sum silently");
    // A bad option names the attachment and the option.
    let attach = format!("bank={csv};encoding=klingon");
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "--attach",
        &attach,
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--attach bank: encoding=klingon"),
        "{}",
        stderr(&o)
    );
    // Options on a workbook that is not CSV are pointed out, not ignored.
    let attach = format!("bank={};delimiter=;", sample("bank.xlsx").display());
    let o = sheetscript(&[
        "run",
        &script,
        input.to_str().unwrap(),
        "--attach",
        &attach,
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("reading options apply to CSV files"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn parameters_take_decimal_commas_and_dotted_dates() {
    let dir = tempfile::tempdir().unwrap();
    let script = write(
        dir.path(),
        "p.rhai",
        b"assert(param(\"asof\") == date(2026, 11, 30), \"asof\");\nassert(param(\"amount\") == 1234.50, \"amount\");\nassert(num(\"-1 234,50\") == -1234.50, \"num\");\n",
    );
    let input = sample("invoices.xlsx");
    let input = input.to_str().unwrap();
    for amount in ["amount=1234,50", "amount=1 234,50", "amount=1234.50"] {
        ok(&[
            "run",
            &script,
            input,
            "--dry-run",
            "--set",
            "asof=30.11.2026",
            "--set",
            amount,
        ]);
    }
    let o = sheetscript(&[
        "run",
        &script,
        input,
        "--dry-run",
        "--set",
        "asof=30.11.2026",
        "--set",
        "amount=1,234",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--set amount=1,234: \"1,234\" could be 1234 or 1.234"),
        "{err}"
    );
}

#[test]
fn csv_for_czech_excel_from_convert_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = sample("invoices.xlsx");
    let input = input.to_str().unwrap();
    let out = dir.path().join("faktury.csv");
    let out_s = out.to_str().unwrap();
    ok(&["convert", input, "-o", out_s, "--locale", "cs-CZ"]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Customer;Invoice;Issue Date;Due Date;Net;VAT Rate;Currency"
    );
    // Net 13 639.51, issued 1 July 2026, due 31 July.
    let first = lines.next().unwrap();
    assert!(
        first.contains(";INV-2026-001;1.7.2026;") && first.contains(";13639,51;0,21;"),
        "{first}"
    );
    // Windows-1250 for older systems; Czech letters survive.
    ok(&[
        "convert",
        input,
        "-o",
        out_s,
        "--sheet",
        "Customers",
        "--locale",
        "cs-CZ",
        "--csv-encoding",
        "windows-1250",
    ]);
    let bytes = std::fs::read(&out).unwrap();
    let (text, _, bad) = encoding_rs::WINDOWS_1250.decode(&bytes);
    assert!(!bad && !bytes.starts_with(b"\xEF\xBB\xBF"));
    assert!(text.contains("Dvořák & Syn a.s.;CZ;"), "{text}");
    // And it reads back as the same numbers and dates.
    let back = dir.path().join("back.xlsx");
    ok(&["convert", out_s, "-o", back.to_str().unwrap()]);
    // run -o x.csv takes the same options.
    let script = write(
        dir.path(),
        "gross.rhai",
        b"let t = table(\"Invoices\");\nt[\"Gross\"] = round(t.Net * (1 + t[\"VAT Rate\"]), 2);\nt.save();\n",
    );
    let o = sheetscript(&[
        "run",
        &script,
        input,
        "-o",
        out_s,
        "--csv-delimiter",
        ";",
        "--csv-decimal",
        "comma",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let first = text.lines().nth(1).unwrap();
    assert!(first.ends_with(";13639,51;0,21;EUR;16503,81"), "{first}");
    assert!(
        first.contains(";2026-07-01;"),
        "dates stay ISO without the locale: {first}"
    );
    // A decimal comma with a comma delimiter is refused, not written.
    let o = sheetscript(&["convert", input, "-o", out_s, "--csv-decimal", "comma"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--csv-delimiter"), "{}", stderr(&o));
}

#[test]
fn locale_decides_the_order_of_groups() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "dodavatele.csv",
        "Dodavatel;Částka\nWürth;1,50\nČEZ;2,50\nChemos;3\nHolub;4\nČEZ;5\n".as_bytes(),
    );
    let script = write(
        dir.path(),
        "g.rhai",
        b"write_table(table(\"dodavatele\").group_by(\"Dodavatel\", [\"sum \xC4\x8C\xC3\xA1stka\"]), \"Souhrn\");\n",
    );
    let out = dir.path().join("out.xlsx");
    let o = sheetscript(&[
        "run",
        &script,
        &csv,
        "-o",
        out.to_str().unwrap(),
        "--locale",
        "cs-CZ",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let g = grid(&out, "Souhrn");
    let names: Vec<String> = (2..=5).map(|r| g.text(&format!("A{r}"))).collect();
    assert_eq!(names, ["ČEZ", "Holub", "Chemos", "Würth"]);
    assert_eq!(g.num("B2"), d("7.5"));
    let o = sheetscript(&["run", &script, &csv, "--dry-run", "--locale", "x!"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `samples/invoices.xlsx` with its core properties naming `language`.
fn invoices_in(language: &str, target: &Path) {
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(sample("invoices.xlsx")).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(target).unwrap());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if name == "docProps/core.xml" {
            let xml = String::from_utf8(bytes).unwrap().replace(
                "</cp:coreProperties>",
                &format!("<dc:language>{language}</dc:language></cp:coreProperties>"),
            );
            bytes = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn the_workbooks_language_orders_text_unless_locale_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("faktury.xlsx");
    invoices_in("cs-CZ", &input);
    let script = write(
        dir.path(),
        "s.rhai",
        "let s = sheet(\"Customers\");\ns.set(\"A8\", [[\"Chemos\"], [\"Holub\"], [\"ČEZ\"]]);\nwrite_table(table(\"Customers\").sort(\"Customer\"), \"Sorted\");\n".as_bytes(),
    );
    let names = |args: &[&str]| -> Vec<String> {
        let out = dir.path().join("out.xlsx");
        let mut all = vec![
            "run",
            &script,
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        all.extend(args);
        let o = sheetscript(&all);
        assert!(o.status.success(), "{}", stderr(&o));
        let g = grid(&out, "Sorted");
        (2..=10).map(|r| g.text(&format!("A{r}"))).collect()
    };
    let cs = names(&[]);
    let pos = |v: &[String], n: &str| v.iter().position(|x| x.starts_with(n)).unwrap();
    assert!(pos(&cs, "Holub") < pos(&cs, "Chemos"), "{cs:?}");
    assert!(pos(&cs, "ČEZ") < pos(&cs, "Dvořák"), "{cs:?}");
    let en = names(&["--locale", "en"]);
    assert!(pos(&en, "Chemos") < pos(&en, "Holub"), "{en:?}");
}
