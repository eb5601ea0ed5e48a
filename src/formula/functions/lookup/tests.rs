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

/// Keys of every kind the exact match tells apart or not: case variants
/// (ASCII and not, the Kelvin sign folding to `k`), numbers at several
/// scales, floats equal to decimals, dates equal to numbers, numeric
/// text, blanks, errors, long text.
fn key_pool() -> Vec<Value> {
    use crate::model::{DateKind, DateValue, Number};
    let long = "x".repeat(70);
    vec![
        t("a"),
        t("A"),
        t("ä"),
        t("Ä"),
        t("k"),
        t("\u{212a}"),
        t("1"),
        t(""),
        t("a*"),
        t(&long),
        t(&long.to_uppercase()),
        num("1"),
        num("1.00"),
        num("-0"),
        num("0"),
        num("2.5"),
        num("2.50"),
        Value::Number(Number::float(1.0)),
        Value::Number(Number::float(2.5)),
        Value::Number(Number::float(1e300)),
        Value::Date(DateValue {
            serial: 2.0,
            kind: DateKind::Date,
        }),
        num("2"),
        Value::Bool(true),
        Value::Bool(false),
        Value::Empty,
        Value::Error(ErrorKind::NA),
        Value::Error(ErrorKind::Div0),
    ]
}

proptest::proptest! {
    #[test]
    fn the_index_finds_what_the_scan_finds(
        picks in proptest::collection::vec(0usize..27, 0..300),
        reverse in proptest::bool::ANY,
    ) {
        use super::index::KeyIndex;
        use super::matching::exact_search;
        let pool = key_pool();
        let keys: Vec<Value> = picks.iter().map(|i| pool[*i].clone()).collect();
        let index = KeyIndex::build(keys.len(), |i| &keys[i]);
        let mut answered = 0;
        for needle in &pool {
            if let Some(found) = index.find(needle, reverse, |i| &keys[i]) {
                answered += 1;
                proptest::prop_assert_eq!(
                    found,
                    exact_search(needle, &keys, false, reverse),
                    "needle {:?}", needle
                );
            }
        }
        // Only floats (3), blanks and errors (2) are left to the scan.
        proptest::prop_assert_eq!(answered, pool.len() - 6);
    }
}

/// A sheet of `n` keys in A (cycling through `keys`) with their row
/// number in B.
fn long_table(keys: &[&str], n: usize) -> Vec<(String, String)> {
    (1..=n)
        .flat_map(|r| {
            [
                (format!("A{r}"), keys[(r - 1) % keys.len()].to_string()),
                (format!("B{r}"), r.to_string()),
            ]
        })
        .collect()
}

fn eval_table(cells: &[(String, String)], formula: &str) -> Value {
    let cells: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, v)| (a.as_str(), v.as_str()))
        .collect();
    eval_with(&cells, formula)
}

#[test]
fn indexed_lookups_agree_with_the_scan() {
    // 40 rows: indexed. The same searches over an array constant are scanned.
    let cells = long_table(&["apple", "Banana", "7", "TRUE", "cherry", "BANANA"], 40);
    let cases = [
        ("=VLOOKUP(\"banana\",A1:B40,2,FALSE)", num("2")),
        ("=VLOOKUP(7,A1:B40,2,FALSE)", num("3")),
        (
            "=VLOOKUP(\"7\",A1:B40,2,FALSE)",
            Value::Error(ErrorKind::NA),
        ),
        ("=VLOOKUP(TRUE,A1:B40,2,FALSE)", num("4")),
        ("=VLOOKUP(\"b*\",A1:B40,2,FALSE)", num("2")),
        ("=MATCH(\"CHERRY\",A1:A40,0)", num("5")),
        ("=XMATCH(\"banana\",A1:A40,0,-1)", num("38")),
        ("=XLOOKUP(\"banana\",A1:A40,B1:B40,,0,-1)", num("38")),
        ("=XLOOKUP(\"kiwi\",A1:A40,B1:B40,\"none\")", t("none")),
        ("=XMATCH(\"ban*\",A1:A40,2,-1)", num("38")),
        ("=XMATCH(\"ban*\",A1:A40,0)", Value::Error(ErrorKind::NA)),
    ];
    let constant = |cols: &[char]| {
        let rows: Vec<String> = (1..=40)
            .map(|r| {
                let row: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        let v = &cells
                            .iter()
                            .find(|(a, _)| *a == format!("{c}{r}"))
                            .unwrap()
                            .1;
                        if v.parse::<f64>().is_ok() || v == "TRUE" {
                            v.clone()
                        } else {
                            format!("\"{v}\"")
                        }
                    })
                    .collect();
                row.join(",")
            })
            .collect();
        format!("{{{}}}", rows.join(";"))
    };
    for (formula, want) in cases {
        assert_eq!(eval_table(&cells, formula), want, "{formula}");
        let scanned = formula
            .replace("A1:B40", &constant(&['A', 'B']))
            .replace("A1:A40", &constant(&['A']))
            .replace("B1:B40", &constant(&['B']));
        assert_eq!(eval_str(&scanned), want, "{scanned}");
    }
}

#[test]
fn a_lookup_over_its_own_cell_is_a_cycle() {
    use crate::formula::{Engine, EngineOptions};
    for formula in [
        "VLOOKUP(\"zz\",A1:B40,2,FALSE)",
        "MATCH(\"zz\",A1:A40,0)",
        "XLOOKUP(\"zz\",A1:A40,B1:B40)",
    ] {
        let mut cells = long_table(&["a", "b"], 40);
        cells.push(("A40".into(), format!("={formula}")));
        let cells: Vec<(&str, &str)> = cells
            .iter()
            .map(|(a, v)| (a.as_str(), v.as_str()))
            .collect();
        let mut engine = Engine::new(
            crate::formula::testing::workbook_with(&cells),
            EngineOptions::default(),
        );
        let report = engine.recalc_all();
        assert!(!report.cycles.is_empty(), "{formula}");
    }
}

#[test]
fn an_index_follows_changes_to_its_keys() {
    use crate::formula::{Engine, EngineOptions};
    use crate::model::CellAddr;
    let cells = long_table(&["a", "b", "c", "d"], 64);
    let cells: Vec<(&str, &str)> = cells
        .iter()
        .map(|(a, v)| (a.as_str(), v.as_str()))
        .collect();
    let mut wb = crate::formula::testing::workbook_with(&cells);
    wb.sheets[0].set_formula(
        CellAddr::parse("D1").unwrap(),
        "VLOOKUP(\"c\",A1:B64,2,FALSE)",
        Value::Empty,
    );
    wb.sheets[0].set_formula(
        CellAddr::parse("D2").unwrap(),
        "XMATCH(\"c\",A1:A64,0,-1)",
        Value::Empty,
    );
    let mut engine = Engine::new(wb, EngineOptions::default());
    engine.recalc_all();
    let d = |engine: &Engine, cell: &str| {
        engine.workbook().sheets[0]
            .value(CellAddr::parse(cell).unwrap())
            .clone()
    };
    assert_eq!((d(&engine, "D1"), d(&engine, "D2")), (num("3"), num("63")));
    engine
        .set_value("Sheet1", CellAddr::parse("A2").unwrap(), t("C"))
        .unwrap();
    engine
        .set_value("Sheet1", CellAddr::parse("A63").unwrap(), Value::Empty)
        .unwrap();
    engine.recalc_dirty();
    assert_eq!((d(&engine, "D1"), d(&engine, "D2")), (num("2"), num("59")));
}

#[test]
fn approximate_match_stays_a_binary_search_on_unsorted_keys() {
    // Excel's approximate match halves the range: with 9 in the middle of
    // the keys, 5 is never reached and the 3 before it is the answer, in
    // a sheet range (read in place) as in an array.
    let keys = ["1", "2", "3", "9", "5", "6", "7"];
    let cells = long_table(&keys, 7);
    assert_eq!(eval_table(&cells, "=VLOOKUP(5,A1:B7,2,TRUE)"), num("3"));
    assert_eq!(eval_table(&cells, "=MATCH(5,A1:A7,1)"), num("3"));
    assert_eq!(eval_str("=MATCH(5,{1,2,3,9,5,6,7},1)"), num("3"));
    // Descending: the last key >= the needle, by halves too.
    let desc = long_table(&["9", "8", "2", "7", "6"], 5);
    assert_eq!(
        eval_table(&desc, "=MATCH(7,A1:A5,-1)"),
        eval_str("=MATCH(7,{9,8,2,7,6},-1)")
    );
    // Other kinds are stepped over; a whole column stops at the data.
    let mixed = long_table(&["1", "x", "3", "TRUE", "5"], 5);
    assert_eq!(eval_table(&mixed, "=VLOOKUP(4,A:B,2)"), num("3"));
    assert_eq!(eval_table(&mixed, "=MATCH(\"z\",A:A)"), num("2"));
}
