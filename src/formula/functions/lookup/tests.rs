//! The lookup and reference functions through formulas.

use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
use crate::formula::{Array, CalcValue};
use crate::model::{ErrorKind, Value};

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

const PRICES: [(&str, &str); 8] = [
    ("A1", "apple"),
    ("B1", "1.5"),
    ("A2", "banana"),
    ("B2", "0.25"),
    ("A3", "cherry"),
    ("B3", "4"),
    ("D1", "10"),
    ("D2", "20"),
];

#[test]
fn vlookup_exact_and_approximate() {
    assert_eq!(
        eval_with(&PRICES, "=VLOOKUP(\"BANANA\",A1:B3,2,FALSE)"),
        num("0.25")
    );
    assert_eq!(
        eval_with(&PRICES, "=VLOOKUP(\"b*\",A1:B3,2,FALSE)"),
        num("0.25")
    );
    assert_eq!(
        eval_with(&PRICES, "=VLOOKUP(\"kiwi\",A1:B3,2,FALSE)"),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(eval_with(&PRICES, "=VLOOKUP(\"b\",A1:B3,2)"), num("1.5"));
    assert_eq!(
        eval_with(&PRICES, "=VLOOKUP(\"apple\",A1:B3,3,FALSE)"),
        Value::Error(ErrorKind::Ref)
    );
    assert_eq!(eval_str("=VLOOKUP(15,{10,\"a\";20,\"b\"},2)"), t("a"));
    assert_eq!(eval_str("=HLOOKUP(20,{10,20;\"a\",\"b\"},2,0)"), t("b"));
}

#[test]
fn xlookup_modes() {
    let dups = "{4;5;5;6},{\"a\";\"b\";\"c\";\"d\"}";
    assert_eq!(eval_str(&format!("=XLOOKUP(5,{dups},,0,2)")), t("b"));
    assert_eq!(eval_str(&format!("=XLOOKUP(5.5,{dups},,-1,2)")), t("c"));
    assert_eq!(eval_str(&format!("=XLOOKUP(5.5,{dups},,1,2)")), t("d"));
    assert_eq!(
        eval_str(&format!("=XLOOKUP(\"x*\",{dups},,2,2)")),
        Value::Error(ErrorKind::Value)
    );
    assert_eq!(
        eval_with(&PRICES, "=XLOOKUP(\"cherry\",A1:A3,B1:B3)"),
        num("4")
    );
    assert_eq!(
        eval_with(&PRICES, "=XLOOKUP(\"kiwi\",A1:A3,B1:B3,\"none\")"),
        t("none")
    );
    assert_eq!(eval_str("=XLOOKUP(15,{10;20;30},{1;2;3},,-1)"), num("1"));
    assert_eq!(eval_str("=XLOOKUP(15,{10;20;30},{1;2;3},,1)"), num("2"));
    assert_eq!(
        eval_str("=XLOOKUP(2,{1,2,2},{\"a\",\"b\",\"c\"},,0,-1)"),
        t("c")
    );
    assert_eq!(
        eval_with(&PRICES, "=SUM(XLOOKUP(\"banana\",A1:A3,B1:B3):B3)"),
        num("4.25")
    );
}

#[test]
fn match_and_index() {
    assert_eq!(eval_with(&PRICES, "=MATCH(\"cherry\",A1:A3,0)"), num("3"));
    assert_eq!(eval_str("=MATCH(25,{10,20,30})"), num("2"));
    assert_eq!(eval_str("=MATCH(25,{30,20,10},-1)"), num("1"));
    assert_eq!(
        eval_str("=MATCH(5,{10,20,30})"),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(eval_str("=XMATCH(20,{10,20,30})"), num("2"));
    assert_eq!(eval_with(&PRICES, "=INDEX(A1:B3,2,2)"), num("0.25"));
    assert_eq!(eval_with(&PRICES, "=SUM(INDEX(A1:B3,0,2))"), num("5.75"));
    assert_eq!(eval_with(&PRICES, "=INDEX(B1:B3,3)"), num("4"));
    assert_eq!(
        eval_with(&PRICES, "=INDEX(A1:B3,4,1)"),
        Value::Error(ErrorKind::Ref)
    );
    assert_eq!(eval_str("=INDEX({1,2;3,4},2,1)"), num("3"));
    assert_eq!(eval_str("=LOOKUP(2.5,{1,2,3},{\"a\",\"b\",\"c\"})"), t("b"));
}

#[test]
fn exact_match_on_text_takes_wildcards() {
    let cases = [
        ("=MATCH(\"A*C\",{\"xx\",\"abc\"},0)", "2"),
        ("=MATCH(\"a?c\",{\"abbc\",\"abc\"},0)", "2"),
        ("=MATCH(\"1*\",{10,\"1a\"},0)", "2"),
        ("=MATCH(\"*\",{1,TRUE,\"a\"},0)", "3"),
        ("=MATCH(\"~?\",{\"a\",\"?\"},0)", "2"),
        ("=MATCH(\"*~*\",{\"a\",\"b*\"},0)", "2"),
        ("=MATCH(\"*.xls\",{\"a.xlsx\",\"b.xls\"},0)", "2"),
        ("=MATCH(\"[a]*\",{\"x\",\"[a]b\"},0)", "2"),
    ];
    for (formula, want) in cases {
        assert_eq!(eval_str(formula), num(want), "{formula}");
    }
    assert_eq!(
        eval_str("=MATCH(\"b?\",{\"abc\",\"b\"},0)"),
        Value::Error(ErrorKind::NA)
    );
}

#[test]
fn addresses_sheets_and_formula_text() {
    assert_eq!(eval_str("=ADDRESS(2,3)"), t("$C$2"));
    assert_eq!(eval_str("=ADDRESS(2,3,2)"), t("C$2"));
    assert_eq!(eval_str("=ADDRESS(2,3,4,FALSE)"), t("R[2]C[3]"));
    assert_eq!(
        eval_str("=ADDRESS(1,1,1,TRUE,\"My Sheet\")"),
        t("'My Sheet'!$A$1")
    );
    // Another workbook's sheet is quoted only when its sheet part needs it.
    assert_eq!(
        eval_str("=ADDRESS(1,1,1,TRUE,\"[Book1]Sheet1\")"),
        t("[Book1]Sheet1!$A$1")
    );
    assert_eq!(
        eval_str("=ADDRESS(1,1,1,TRUE,\"[Book1]Q1 Sales\")"),
        t("'[Book1]Q1 Sales'!$A$1")
    );
    assert_eq!(eval_str("=ADDRESS(0,1)"), Value::Error(ErrorKind::Value));
    assert_eq!(eval_with(&[("A1", "=1+1")], "=FORMULATEXT(A1)"), t("=1+1"));
    assert_eq!(
        eval_with(&[("A1", "2")], "=FORMULATEXT(A1)"),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(eval_with(&[("Two!A1", "1")], "=SHEET(Two!A1)"), num("2"));
    assert_eq!(eval_with(&[("Two!A1", "1")], "=SHEETS()"), num("2"));
    assert_eq!(eval_str("=AREAS((A1,B2:C3))"), num("2"));
}

#[test]
fn references_move_and_measure() {
    assert_eq!(eval_with(&PRICES, "=SUM(OFFSET(A1,0,1,3,1))"), num("5.75"));
    assert_eq!(
        eval_with(&PRICES, "=OFFSET(A1,-1,0)"),
        Value::Error(ErrorKind::Ref)
    );
    assert_eq!(eval_with(&PRICES, "=INDIRECT(\"B\"&2)"), num("0.25"));
    assert_eq!(
        eval_with(&PRICES, "=SUM(INDIRECT(\"Sheet1!D1:D2\"))"),
        num("30")
    );
    assert_eq!(eval_with(&PRICES, "=INDIRECT(\"R3C2\",FALSE)"), num("4"));
    assert_eq!(eval_str("=ROW(C7)"), num("7"));
    assert_eq!(eval_str("=COLUMN(C7)"), num("3"));
    assert_eq!(eval_str("=ROWS(A1:C10)"), num("10"));
    assert_eq!(eval_str("=COLUMNS({1,2,3})"), num("3"));
    assert_eq!(eval_str("=SUM(ROW(A1:A4))"), num("10"));
    assert_eq!(
        eval_calc("=CHOOSECOLS({1,2,3;4,5,6},3,1)"),
        CalcValue::Array(
            Array::from_rows(vec![vec![num("3"), num("1")], vec![num("6"), num("4")]]).unwrap()
        )
    );
}

#[test]
fn match_mode_three_is_a_regular_expression() {
    let data = "{\"apple\",\"Banana\",\"b52\",7}";
    assert_eq!(eval_str(&format!("=XMATCH(\"^b\",{data},3)")), num("3"));
    assert_eq!(eval_str(&format!("=XMATCH(\"(?i)^b\",{data},3)")), num("2"));
    assert_eq!(eval_str(&format!("=XMATCH(\"\\d\",{data},3,-1)")), num("3"));
    assert_eq!(
        eval_str(&format!("=XMATCH(\"^z\",{data},3)")),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(
        eval_str(&format!("=XMATCH(\"^b\",{data},3,2)")),
        Value::Error(ErrorKind::Value)
    );
    assert_eq!(
        eval_str(&format!("=XMATCH(\"(\",{data},3)")),
        Value::Error(ErrorKind::Value)
    );
    assert_eq!(
        eval_str(&format!("=XLOOKUP(\"an+a$\",{data},{{1,2,3,4}},,3)")),
        num("2")
    );
}

#[test]
fn hyperlink_shows_its_friendly_name() {
    let cells = [("A1", "Report"), ("A2", "=1/0")];
    assert_eq!(
        eval_with(&cells, "=HYPERLINK(\"http://example.com/r.xlsx\",A1)"),
        t("Report")
    );
    assert_eq!(
        eval_str("=HYPERLINK(\"http://example.com/\")"),
        t("http://example.com/")
    );
    assert_eq!(eval_with(&cells, "=HYPERLINK(\"#Sheet1!A1\",B9)"), num("0"));
    assert_eq!(eval_str("=HYPERLINK(\"x\",23)"), num("23"));
    assert_eq!(
        eval_with(&cells, "=HYPERLINK(\"x\",A2)"),
        Value::Error(ErrorKind::Div0)
    );
}
