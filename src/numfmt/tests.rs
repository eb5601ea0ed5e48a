//! Tests of the whole language through its entry points: Excel's own
//! outputs across every kind of section, and codes from untrusted files.
//! The helpers here serve the tests beside each part too.

use crate::model::number::Number;
use crate::model::workbook::DateSystem;
use crate::model::Value;
use crate::numfmt::{format_text, format_value};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An exact decimal number value.
pub(super) fn num(s: &str) -> Value {
    Value::Number(Number::Exact(Decimal::from_str(s).unwrap()))
}

/// `v` as a cell with format `code` shows it.
pub(super) fn f(v: &str, code: &str) -> String {
    format_value(&num(v), code)
}

/// `v` as TEXT with format `code` returns it.
pub(super) fn t(v: &str, code: &str) -> String {
    format_text(&num(v), code).unwrap()
}

/// Checks `(code, value, Excel's text)` rows, listing every mismatch.
pub(super) fn assert_table(cases: &[(&str, f64, &str)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(code, v, want)| {
            let got = format_value(&Value::from_f64(*v), code);
            (got != *want).then(|| format!("{code:?} {v}: got {got:?}, Excel {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Outputs of Excel collected by the SSF and numfmt projects' test
/// suites (values as Excel holds them: doubles).
#[test]
fn excel_reference_outputs() {
    let cases: &[(&str, f64, &str)] = &[
        ("General", 1.234567e-14, "1.23457E-14"),
        ("General", 1.234567e-9, "1.23457E-09"),
        ("General", 0.00001234567, "1.23457E-05"),
        ("General", 0.0001234567, "0.000123457"),
        ("General", 0.001234567, "0.001234567"),
        ("General", 12345670000.0, "12345670000"),
        ("General", 123456700000.0, "1.23457E+11"),
        ("General", 1e-10, "1E-10"),
        ("General", 1e-9, "0.000000001"),
        ("General", 0.00001, "0.00001"),
        ("General", 100000000000.0, "1E+11"),
        ("General", 1.2e-9, "1.2E-09"),
        ("General", 1.2e-8, "0.000000012"),
        ("General", 1.23e-8, "1.23E-08"),
        ("General", 1.23e-7, "0.000000123"),
        ("General", 0.0000012345, "1.2345E-06"),
        ("General", 0.000012345, "0.000012345"),
        ("General", 0.0012345678, "0.001234568"),
        ("General", 1234567891.2, "1234567891"),
        ("General", 12345678912.3456, "12345678912"),
        ("General", 123456789123.456, "1.23457E+11"),
        ("General", -0.0001234567, "-0.000123457"),
        ("General", -123456700000.0, "-1.23457E+11"),
        ("General", 0.99999999999, "1"),
        ("General", 0.99999999, "0.99999999"),
        ("\"foo\";\"bar\";\"baz\";\"qux\"", -1.0, "bar"),
        ("\"foo\";\"bar\";\"baz\"", 0.0, "baz"),
        ("\"foo\";\"bar\";@", 0.0, "foo"),
        ("\"foo\";\"bar\"", 0.0, "foo"),
        ("@@", -1.0, "-1"),
        ("[Blue]General", -1.0, "-1"),
        ("A\"TODO\"", -1.0, "-ATODO"),
        ("\\r", -1.0, "-r"),
        ("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)", 1.0, " $1 "),
        (
            "_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)",
            -1.0,
            " $(1)",
        ),
        ("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)", 0.0, " $- "),
        ("#0.#", 0.0, "0."),
        ("#0.#", 12.34, "12.3"),
        ("#0.#", -1.23, "-1.2"),
        ("#,##0.00000", 1000000.0, "1,000,000.00000"),
        ("#,###", 0.0, ""),
        ("#,###", 12345.6789, "12,346"),
        ("#.##", 0.0, "."),
        ("0;0", -1.1, "1"),
        ("0.00", 1.0001, "1.00"),
        ("hh:mm AM/PM", 0.7, "04:48 PM"),
        ("hhh:mm AM/PM", 0.7, "04:48 PM"),
        ("hhh:mmm:sss", 0.7, "16:Jan:00"),
        ("hh:mm:sss", 0.7, "16:48:00"),
        ("hh:mm:ss.000", 0.70707, "16:58:10.848"),
        ("hh.000", 0.70707, "16.848"),
        ("hh .00", 0.70707, "16 .85"),
        ("hh .00 .000", 0.70707, "16 .84 .848"),
        ("[hhh]", 1.0, "024"),
        ("[hhh]", -1.0, "-024"),
        ("[hhh]", 0.0, "000"),
        ("A/P", 0.7, "P"),
        ("e", 0.7, "1900"),
        (
            "[$-411]ggge\"年\"m\"月\"d\"日\";@",
            44197.0,
            "令和3年1月1日",
        ),
        ("[$-411]ge.m.d", 32516.0, "H1.1.8"),
        ("[$-411]gge", 32515.0, "昭64"),
        ("ggge", 44197.0, "2021"),
        ("123", 0.7, "123"),
        ("0.##", 1000000000000.01, "1000000000000.01"),
        ("0.##", 1.007, "1.01"),
        ("0.##", -1.008, "-1.01"),
        ("** #,###,#00,000.00,**", 1.2345, " 00,000.00"),
        ("** #,###,#00,000.00,**", 12345.67, " 00,012.35"),
        ("** #,###,#00,000.00,**", 1234568223.0, " 1,234,568.22"),
        (
            "** #,###,#00,000.00,**",
            12345682233333300.0,
            " 12,345,682,233,333.30",
        ),
        ("00,000.00,", 12345.0, "00,012.35"),
        ("00,000.00", 12345.0, "12,345.00"),
        ("##0.0E+0", 1.0, "1.0E+0"),
        ("##0.0E+0", 123.0, "123.0E+0"),
        ("##0.0E+0", 1234.0, "1.2E+3"),
        ("##0.0E+0", 123456.0, "123.5E+3"),
        ("##0.0E+0", 12345678.0, "12.3E+6"),
        ("#0.0E+0", 1.23457e-13, "12.3E-14"),
        ("#0.0E+0", 0.000000123457, "12.3E-8"),
        ("#0.0E+0", 123.456789, "1.2E+2"),
        ("##0.0E+0", 1.23457e-13, "123.5E-15"),
        ("##0.0E+0", 0.123456789, "123.5E-3"),
        ("###0.0E+0", 0.123456789, "1234.6E-4"),
        ("###0.0E+0", 1.23456789e31, "1234.6E+28"),
        ("####0.0E+0", 12345.6789, "12345.7E+0"),
        ("####0.0E+0", 123456.789, "1.2E+5"),
        ("0E+00", 95000000.0, "1E+08"),
        ("0,", 1234567.89, "1235"),
        ("0,,,", 1234567.89, "0"),
        ("0,0,0", 1234567.89, "1,234,568"),
        ("0,,0", 1234567.89, "1,234,568"),
        ("0,x", 1234567.89, "1235x"),
        ("0,x,", 1234567.89, "1235x,"),
        ("0x,", 1234567.89, "1234568x,"),
        ("0,,x", 1234567.89, "1x"),
        ("0,x0", 1234567.89, "123456x8"),
        ("0 , 0", 1234567.89, "123456 , 8"),
        ("0, ,0", 1234567.89, "123456 ,8"),
        ("0.,", 1234567.89, "1235."),
        ("0.0,", 1234567.89, "1234.6"),
        ("0.0,0", 1234567.89, "1234567.89"),
        ("0,0,,0", 1234567.89, "1,234,568"),
        ("0.0,0,", 1234567.89, "1234.57"),
        ("0.0 , 0 ,", 1234567.89, "1234567.8 , 9 ,"),
        ("0 ,", 1234567.89, "1234568 ,"),
        ("x,0", 1234567.89, "x,1234568"),
        ("0.00E+?x?", 123456789.0, "1.23E+ x8"),
        ("0.00E+#x#", 123456789.0, "1.23E+x8"),
        ("0.0x0E+0", 123456789.0, "1.2x3E+8"),
        ("0x0.00E+0", 123456789.0, "0x1.23E+8"),
        ("#x#.#x#E+#x#", 1.0, "x1.xE+x0"),
        ("?x?.?x?E+?x?", 1.0, " x1. x E+ x0"),
        ("000E+00", 12345.67, "012E+03"),
        ("00x0E+00", 12345.67, "01x2E+03"),
        ("0.0E+0x00", 1234567890000.0, "1.2E+0x12"),
        ("0E+00", 990000000.0, "1E+09"),
        ("0E+00", 0.14999999, "1E-01"),
        ("0.00E+00", 999000000.0, "9.99E+08"),
        ("0.00E+00", 999900000.0, "1.00E+09"),
        ("0.E+00", 9.59999, "1.E+01"),
        ("00.E+00", 9.0, "09.E+00"),
        ("00.E+00", 9.59999, "10.E+00"),
        ("00.E+00", 100.0, "01.E+02"),
        ("00.E+00", 1000.0, "10.E+02"),
        ("00.0E+00", 949.999, "09.5E+02"),
        ("00.00E+00", 96999.9, "09.70E+04"),
        ("000.E+00", 1000.0, "001.E+03"),
        ("000.E+00", 949.999, "950.E+00"),
        ("000.0E+00", 96999.9, "097.0E+03"),
        ("000.00E+00", 100000.0, "100.00E+03"),
        ("0.0#", 12345.0, "12345.0"),
        ("0.0#", 12.345, "12.35"),
        ("0.0#", 0.0012345, "0.0"),
        ("0.0#", 15.06, "15.06"),
        ("00000-0000", 941051630.0, "94105-1630"),
        ("00000-0000", 12345.6789, "00001-2346"),
        ("000-00-0000", 123456789.0, "123-45-6789"),
        ("00000\\-0000", 941051630.0, "94105-1630"),
        ("??/??", 12.3456789, "1000/81"),
        ("??/??", 0.00001, " 0/1 "),
        ("# ??/??", 12.3456789, "12 28/81"),
        ("#??/??", 12.3456789, "1000/81"),
        ("#0#00??/??", 12.3456789, "01000/81"),
        ("[<=9999999]###-####;(###) ###-####", 8675309.0, "867-5309"),
        (
            "[<=9999999]###-####;(###) ###-####",
            2813308004.0,
            "(281) 330-8004",
        ),
        (
            "[Red][<-25]General;[Blue][>25]General;[Green]General",
            -1.0,
            "-1",
        ),
        (
            "[Red][<-25]General;[Blue][>25]General;[Green]General",
            -25.0,
            "-25",
        ),
        (
            "[Red][<-25]General;[Blue][>25]General;[Green]General",
            -26.0,
            "26",
        ),
        (
            "[Red][<=-25]General;[Blue][>=25]General;[Green]General",
            -25.0,
            "25",
        ),
        ("[Red]General ;[Blue]General\\ ;[Green]Generalp", 0.0, "0p"),
        (
            "[Red]General ;[Blue]General\\ ;[Green]Generalp",
            -25.0,
            "25 ",
        ),
        ("[Red][=50]General;[Blue]000", 51.0, "051"),
        ("[Red][<>50]General;[Blue]000", 50.0, "050"),
        ("☃", -1.0, "-☃"),
        ("0", 4294967296.5, "4294967297"),
        ("\"Rs.\"#,##0.00", -51968287.0, "-Rs.51,968,287.00"),
        ("$#.00", -3.14158, "-$3.14"),
        ("[$INR]\\ #,##0.00", -3.14158, "-INR 3.14"),
        ("[$₹-4009]\\ #,##0.00", 3.14158, "₹ 3.14"),
        (
            "[$£-809]#,##0.0000;\\-[$£-809]#,##0.0000",
            -3.14158,
            "-£3.1416",
        ),
        ("\"-\"0.00", -3.14158, "--3.14"),
        ("[$-409]mmm\\-yy", 12345.0, "Oct-33"),
        ("\\,##.??;\\(#,###.??\\);0", 15.0, ",15.  "),
        ("\\,##.??;\\(#,###.??\\);0", 12.1, ",12.1 "),
        ("\\,##.??;\\(#,###.??\\);0", 0.0, "0"),
        ("\\,##.??;\\(#,###.??\\);0", -14.3453453, "(14.35)"),
        ("[h]:mm:ss;@", 2.9999999999999996, "72:00:00"),
        ("hh:mm:ss am/pm", 0.5, "12:00:00 PM"),
        ("hh:mm:ss AM/P", 0.5, "12:00:00 A1/P"),
        ("-0", -1.0, "--1"),
        ("-general", -1.0, "--1"),
        ("0.0", -0.1, "-0.1"),
        ("-0.0", -0.01, "-0.0"),
        (" - 0.0", -1.0, "- - 1.0"),
        ("# ?/?", -0.01, "-0    "),
        ("\\p\\o\\s 0.0;\\n\\e\\g 0.0;", -0.01, "neg 0.0"),
        ("0.0%", 0.0295, "3.0%"),
        ("0.0,", 2950.0, "3.0"),
        ("#.##0", -10.29, "-10.290"),
        ("#.#0#0#0", -10.29, "-10.2900"),
        ("#.##0", 0.01, ".010"),
        ("#.#00", 0.0001, ".00"),
        ("#.?00", 1.0, "1. 00"),
        ("#.????0", -10.29, "-10.29  0"),
        ("#.#x#0", 0.1, ".1x0"),
        ("#.??x?0", 0.01, ".01x 0"),
        ("0?", 0.0, "0 "),
        ("0?0?", 0.0, "0 0 "),
        ("[>=100]#,##0;[<=-100]-#,##0;#,##0.00", -3.96, "-3.96"),
        ("[>=100]0;[<=-100]-0;\"xx\"0", -10.0, "-xx10"),
        ("[<=-100]-0;\"xx\"0", -10.0, "xx10"),
        (" . 0", 1234.0, " 1234. 0"),
        ("0 0/0", 1234.0, "1234 0/1"),
        ("0??", 1.0, "0 1"),
        ("0,", 1.0, "0"),
        ("0,?", 1.0, "01"),
        ("0,???", 1.0, "0,  1"),
        ("0,????", 1.0, "0    1"),
        ("0,???", 0.0, "0,   "),
        (".?0", 0.0, ". 0"),
        (".##0", 1.0, "1.0"),
        ("MmMm", 1234.0, "May"),
        ("dDdD", 1234.0, "Monday"),
        ("#,,\"M\"", 6000000.0, "6M"),
        ("0.000E+000", 2.33e-32, "2.330E-032"),
        ("0.000E+000", 2.33e-321, "2.330E-321"),
        ("0.000E+000", 2.33e307, "2.330E+307"),
        ("General", 2.33e-321, "2.33E-321"),
        ("0.0", 2.33e-321, "0.0"),
        ("[HH]", 123.456, "2962"),
        ("[S]", 123.456, "10666598"),
        ("[MM]", 123.456, "177776"),
        ("[$-1234]", 123.456, ""),
        ("[$foo]", 123.456, "foo"),
        ("[$ISK-]", 123.456, "ISK"),
        ("[$NZ$-481]", 123.456, "NZ$"),
        ("[DBNum1]", 123.456, "123.456"),
        ("[blue]", 123.456, "123.456"),
        ("General", 4403928373.5, "4403928374"),
        ("General", -4511987749.6, "-4511987750"),
        ("General", 99999999999.6, "1E+11"),
        ("General", 3300.0000000000005, "3300"),
    ];
    assert_table(cases);
}

/// The examples of Microsoft's documentation of TEXT and of number
/// format codes, as TEXT returns them.
#[test]
fn microsoft_documented_text_examples() {
    let cases: &[(&str, &str, &str)] = &[
        ("1234.567", "$#,##0.00", "$1,234.57"),
        ("0.285", "0.0%", "28.5%"),
        ("4.34", "# ?/?", "4 1/3"),
        ("0.34", "# ?/?", " 1/3"),
        ("12200000", "0.00E+00", "1.22E+07"),
        (
            "1234567898",
            "[<=9999999]###-####;(###) ###-####",
            "(123) 456-7898",
        ),
        ("1234", "0000000", "0001234"),
        ("123456", "##0° 00' 00''", "12° 34' 56''"),
        ("1234.59", "####.#", "1234.6"),
        ("8.9", "#.000", "8.900"),
        ("0.631", "0.#", "0.6"),
        ("12", "#.0#", "12.0"),
        ("44.398", "???.???", " 44.398"),
        ("5.25", "# ???/???", "5   1/4  "),
        ("0.47", "#.##", ".47"),
        ("12200000", "#,###.0,", "12,200.0"),
        ("123456789", "0.0,,", "123.5"),
        ("1234567890", "#,##0,,\"M\"", "1,235M"),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(v, code, want)| {
            let got = t(v, code);
            (got != *want).then(|| format!("{code:?} {v}: got {got:?}, Excel {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What TEXT does beyond a cell's rendering, per the poi workbooks of
/// Excel's results: an empty code, booleans, General's width.
#[test]
fn text_function_rules() {
    let text = |v: &Value, code: &str| format_text(v, code).unwrap();
    assert_eq!(t("1234", ""), "");
    assert_eq!(text(&Value::Text("abc".into()), ""), "");
    assert_eq!(text(&Value::Bool(true), "0.00"), "TRUE");
    assert_eq!(text(&Value::Bool(false), ";;;\\@@\\@"), "@FALSE@");
    assert_eq!(text(&Value::Bool(true), "0;0;0;\"yes\""), "yes");
    assert_eq!(t("1.2345678912", "General"), "1.234567891");
    assert_eq!(t("112345900000", "General"), "1.12346E+11");
    assert_eq!(t("-0.0000000001123459", "General"), "-1.12346E-10");
    assert_eq!(t("5", "\"h\"\"I\""), "hI");
}

/// Currency and locale tags: the symbol before the locale shows, the
/// locale itself (`-405`, `-x-euro2`, `-F800`) changes nothing shown in
/// the English forms we render.
#[test]
fn currency_and_locale_tags() {
    assert_eq!(t("1234.5", "[$€-x-euro2] #,##0.00"), "€ 1,234.50");
    assert_eq!(t("1234.5", "#,##0.00 [$Kč-405]"), "1,234.50 Kč");
    assert_eq!(
        t("-1234.5", "#,##0.00 [$Kč-405];-#,##0.00 [$Kč-405]"),
        "-1,234.50 Kč"
    );
    assert_eq!(t("1234.5", "[$USD] #,##0"), "USD 1,235");
    assert_eq!(t("45000", "[$-405]d.m.yyyy"), "15.3.2023");
    assert_eq!(
        t("45000", "[$-F800]dddd, mmmm dd, yyyy"),
        "Wednesday, March 15, 2023"
    );
    assert_eq!(t("45000", "[$-x-sysdate]dddd"), "Wednesday");
}

/// Elapsed time, AM/PM and fractions of a second, rounded once at the
/// finest unit shown.
#[test]
fn elapsed_time_and_clock() {
    assert_eq!(t("1.5", "[mm]:ss.000"), "2160:00.000");
    assert_eq!(t("0.0000123", "[mm]:ss.000"), "00:01.063");
    assert_eq!(t("2.000011574", "[h]:mm:ss"), "48:00:01");
    assert_eq!(t("-1.5", "[h]:mm"), "-36:00");
    assert_eq!(t("0.75", "h AM/PM"), "6 PM");
    assert_eq!(t("0.75", "h:mm a/p"), "6:00 p");
    // 86,399.9 seconds round to the next midnight.
    assert_eq!(t("0.999999", "h:mm:ss AM/PM"), "12:00:00 AM");
}

#[test]
fn odd_codes_do_not_panic() {
    for code in [
        "[",
        "]",
        "\"",
        "\\",
        "_",
        "*",
        ";;;;;",
        "[>",
        "[$",
        "0.0.0",
        "E+",
        "0E+",
        "/",
        "?/",
        "#/#/#",
        ",,,",
        "0,,,,,,,,,,,,,,,",
        ".",
        "%",
        "[h",
        "@@",
        "[Color999]0",
        "0/0/0",
    ] {
        for v in ["0", "-1.5", "123456789.123", "0.001"] {
            let _ = f(v, code);
            let _ = format_value(&Value::Text("x".into()), code);
        }
    }
    assert_eq!(f("1", ";;;"), "");
}

#[test]
fn buddhist_years_and_calendar_switches() {
    // 45000 is 2023-03-15: Buddhist year 2566.
    assert_eq!(t("45000", "d/m/bbbb"), "15/3/2566");
    assert_eq!(t("45000", "dd/mm/bb"), "15/03/66");
    assert_eq!(t("45000", "B1d/m/yyyy"), "15/3/2023");
    // A Thai locale tag with the Thai calendar (7) shows Buddhist years.
    assert_eq!(t("45000", "[$-107041E]d-mm-yyyy"), "15-03-2566");
    assert_eq!(t("45000", "[$-107041E]d/m/yy"), "15/3/66");
    assert_eq!(t("45000", "[$-41E]d/m/yyyy"), "15/3/2023");
}

#[test]
fn calendars_not_implemented_are_refused_not_shown_as_gregorian() {
    // 45356 is Tuesday 2024-03-05.
    for code in [
        "[$-24050412]yyyy-mm-dd",
        "[$-1040404]yyyy/m/d",
        "[$-108040D]d/m/yyyy",
        "[$-1170401]d/m/yyyy",
        "[$-A0401]d mmmm yyyy",
    ] {
        assert_eq!(format_text(&num("45356"), code), None, "{code}");
    }
    // Their times of day and the other Gregorian calendars' numbers show.
    assert_eq!(t("45356.5", "[$-24050412]hh:mm"), "12:00");
    assert_eq!(t("45356", "[$-A0401]d/m/yyyy"), "5/3/2024");
    // Calendar 2 keeps English names whatever the language.
    assert_eq!(t("45356", "[$-20407]dddd d mmmm"), "Tuesday 5 March");
    assert_eq!(t("45356", "[$-10407]dddd d mmmm"), "Dienstag 5 März");
}

#[test]
fn hijri_dates() {
    // 45000 is 2023-03-15: 23 Sha'ban 1444 in Microsoft's Hijri calendar.
    assert_eq!(t("45000", "B2d/m/yyyy"), "23/8/1444");
    assert_eq!(t("45000", "b2dd/mm/yy"), "23/08/44");
    assert_eq!(t("45000", "[$-1060401]dd/mm/yyyy"), "23/08/1444");
    assert_eq!(t("45480.5", "B2yyyy-mm-dd hh:mm"), "1446-01-01 12:00");
    // Month names in Arabic under an Arabic tag, as Windows shows them.
    assert_eq!(t("45000", "[$-1060401]d mmmm yyyy"), "23 شعبان 1444");
    assert_eq!(t("45000", "[$-401]B2d mmmm yyyy"), "23 شعبان 1444");
    // Names Excel's text for is not known are refused, not guessed:
    // months without an Arabic tag, abbreviated months, weekdays.
    for code in [
        "B2d mmmm yyyy",
        "[$-1060401]d mmm yyyy",
        "[$-1060401]dddd d/m/yyyy",
        "B2ddd",
    ] {
        assert_eq!(format_text(&num("45000"), code), None, "{code}");
    }
    assert_eq!(f("45000", "B2d mmmm yyyy"), "#######");
    assert_eq!(format_text(&num("45000"), "B2d/m/bbbb"), None);
    // Before 1900-03-01 Excel's day count is off by its 1900-02-29.
    assert_eq!(format_text(&num("60"), "B2d/m/yyyy"), None);
    assert_eq!(t("61", "B2d/m/yyyy"), "29/10/1317");
    // A time of day alone needs no calendar.
    assert_eq!(t("0.75", "B2hh:mm"), "18:00");
    // TEXT shows the same, and #VALUE! where a cell shows #######.
    use crate::formula::testing::eval_str;
    assert_eq!(
        eval_str("=TEXT(DATE(2024,7,7),\"B2yyyy-mm-dd\")"),
        Value::Text("1446-01-01".into())
    );
    assert_eq!(
        eval_str("=TEXT(DATE(2024,7,7),\"B2mmmm\")"),
        Value::Error(crate::model::ErrorKind::Value)
    );
}

#[test]
fn the_fill_repeats_to_the_column_width_and_text_drops_it() {
    let usd = "_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)";
    let cell = |v: &Value, code: &str| super::format_cell_in(v, code, DateSystem::Excel1900);
    let shown = cell(&num("1234.5"), usd);
    assert_eq!(shown.text, " $1,234.50 ");
    assert_eq!(shown.fill_to(16), " $     1,234.50 ");
    // No room: the text as it is.
    assert_eq!(shown.fill_to(3), " $1,234.50 ");
    assert_eq!(cell(&num("-7"), usd).fill_to(10), " $  (7.00)");
    assert_eq!(cell(&Value::Text("x".into()), usd).fill_to(4), " x ");
    // `**` fills with asterisks; only the first fill of a section counts.
    assert_eq!(cell(&num("7"), "**0").fill_to(5), "****7");
    assert_eq!(cell(&num("7"), "*-0*=").fill_to(4), "---7");
    assert_eq!(cell(&num("45000"), "d*.mmm").fill_to(8), "15...Mar");
    // TEXT has no column: the fill adds nothing.
    assert_eq!(t("1234.5", usd), " $1,234.50 ");
    assert_eq!(t("7", "**0"), "7");
}

proptest::proptest! {
    /// Any code from format characters renders any value without
    /// panicking (codes come from untrusted files).
    #[test]
    fn any_code_renders_any_value(
        code in "[0#?.,%E+\\-/@;\\[\\]\"\\\\_*hmsdyAPGeneral<>=$ 1-9]{0,24}",
        v in proptest::num::f64::ANY,
    ) {
        let value = Value::from_f64(v);
        let _ = format_value(&value, &code);
        let _ = format_text(&value, &code);
        let _ = format_value(&Value::Text("x".into()), &code);
    }
}
