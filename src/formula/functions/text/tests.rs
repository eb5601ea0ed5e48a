//! The text functions through formulas, Excel's results quoted.

use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
use crate::formula::CalcValue;
use crate::model::{ErrorKind, Value};

fn text(s: &str) -> Value {
    Value::text(s)
}

const VALUE: Value = Value::Error(ErrorKind::Value);

#[test]
fn len_counts_characters() {
    assert_eq!(eval_str("=LEN(\"héllo\")"), num("5"));
    assert_eq!(eval_str("=LEN(12.5)"), num("4"));
    assert_eq!(eval_str("=LEN(\"\")"), num("0"));
    assert_eq!(eval_str("=LEN(TRUE)"), num("4"));
    assert_eq!(eval_str("=LEN(1/0)"), Value::Error(ErrorKind::Div0));
    assert_eq!(eval_str("=LEN(0.1+0.2)"), num("3"));
}

#[test]
fn left_right_mid() {
    assert_eq!(eval_str("=LEFT(\"A wonderful world\")"), text("A"));
    assert_eq!(eval_str("=LEFT(\"A wonderful world\",3)"), text("A w"));
    assert_eq!(eval_str("=LEFT(\"abc\",-1)"), VALUE);
    assert_eq!(eval_str("=LEFT(\"abc\",3.7)"), text("abc"));
    assert_eq!(eval_str("=RIGHT(\"abc\",2)"), text("bc"));
    assert_eq!(eval_str("=RIGHT(\"abc\",-2)"), VALUE);
    assert_eq!(eval_str("=RIGHT(123)"), text("3"));
    assert_eq!(
        eval_str("=MID(\"A Wonderful World\",3,100)"),
        text("Wonderful World")
    );
    assert_eq!(
        eval_str("=MID(\"A Wonderful World\",1.3,7.3)"),
        text("A Wonde")
    );
    assert_eq!(eval_str("=MID(\"abc\",0,2)"), VALUE);
    assert_eq!(eval_str("=MID(\"abc\",2,-3)"), VALUE);
    assert_eq!(eval_str("=MID(\"abc\",10,0)"), text(""));
    assert_eq!(eval_with(&[("A1", "abc")], "=LEFT(A1,B1)"), text(""));
}

#[test]
fn case_and_cleanup() {
    assert_eq!(eval_str("=TRIM(\"  a   b  \")"), text("a b"));
    assert_eq!(eval_str("=UPPER(\"straße\")"), text("STRASSE"));
    assert_eq!(eval_str("=LOWER(\"ABC\")"), text("abc"));
    assert_eq!(
        eval_str("=PROPER(\"this is a TITLE\")"),
        text("This Is A Title")
    );
    assert_eq!(eval_str("=CLEAN(\"a\"&CHAR(7)&\"b\")"), text("ab"));
    assert_eq!(eval_str("=LOWER(\"#DIV/0!\")"), text("#div/0!"));
}

#[test]
fn scalar_functions_lift_over_arrays() {
    match eval_calc("=LEN({\"a\",\"bc\";\"def\",\"\"})") {
        CalcValue::Array(a) => {
            assert_eq!((a.rows, a.cols), (2, 2));
            assert_eq!(a.values, vec![num("1"), num("2"), num("3"), num("0")]);
        }
        other => panic!("{other:?}"),
    }
    match eval_calc("=LEFT(\"abcdef\",{1,2,3})") {
        CalcValue::Array(a) => assert_eq!(a.values, vec![text("a"), text("ab"), text("abc")]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn ranges_lift_in_array_mode() {
    let cells = [("A1", "a"), ("A2", "bb"), ("A3", "ccc")];
    assert_eq!(eval_with(&cells, "=SUM(LEN(A1:A3))"), num("6"));
    assert_eq!(eval_with(&cells, "=SUM(--(LEFT(A1:A3)=\"b\"))"), num("1"));
}

#[test]
fn joining() {
    assert_eq!(eval_str("=CONCAT(\"a\",1,TRUE)"), text("a1TRUE"));
    assert_eq!(
        eval_with(&[("A1", "123"), ("C1", "NEXT")], "=CONCAT(A1:C1)"),
        text("123NEXT")
    );
    assert_eq!(eval_str("=CONCAT({\"a\",\"b\";\"c\",\"d\"})"), text("abcd"));
    assert_eq!(
        eval_str("=CONCAT(\"a\",1/0)"),
        Value::Error(ErrorKind::Div0)
    );
    assert_eq!(
        eval_str("=CONCATENATE(\"Hello\",\" \",\"World\")"),
        text("Hello World")
    );
    assert_eq!(eval_str("=CONCATENATE(0.1+0.2,\"\")"), text("0.3"));
    assert_eq!(
        eval_str("=CONCAT(REPT(\"a\",20000),REPT(\"b\",20000))"),
        VALUE
    );
    let days = [
        ("A1", ","),
        ("C1", "Monday"),
        ("E1", "Wednesday"),
        ("A2", "0"),
    ];
    assert_eq!(
        eval_with(&days, "=TEXTJOIN(A1,TRUE,C1:F1)"),
        text("Monday,Wednesday")
    );
    assert_eq!(
        eval_with(&days, "=TEXTJOIN(A1,FALSE,C1:F1)"),
        text("Monday,,Wednesday,")
    );
    assert_eq!(
        eval_with(&days, "=TEXTJOIN(A2,TRUE,C1:F1)"),
        text("Monday0Wednesday")
    );
    assert_eq!(
        eval_with(&days, "=TEXTJOIN(B1,TRUE,C1:F1)"),
        text("MondayWednesday")
    );
    assert_eq!(
        eval_str("=TEXTJOIN({\"-\",\"+\"},TRUE,1,2,3,4)"),
        text("1-2+3-4")
    );
    assert_eq!(
        eval_str("=TEXTJOIN(#N/A,TRUE,\"a\")"),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(
        eval_str("=TEXTJOIN(\",\",TRUE,\"a\",1/0)"),
        Value::Error(ErrorKind::Div0)
    );
}

#[test]
fn joins_count_empty_positions_without_visiting_them() {
    let cells = [("A1", "a"), ("A4", "b"), ("B2", "c"), ("C5", "d")];
    // Empty pieces take their turn in the delimiters, as in Excel.
    assert_eq!(
        eval_str("=TEXTJOIN({\"-\",\"+\"},FALSE,\"a\",\"\",\"b\",\"c\")"),
        text("a-+b-c")
    );
    assert_eq!(
        eval_with(&cells, "=TEXTJOIN({\"-\",\"+\",\"\"},FALSE,A1:A5)"),
        text("a-+b-")
    );
    assert_eq!(
        eval_with(&cells, "=TEXTJOIN(\",\",FALSE,A1:A5,C4:C5)"),
        text("a,,,b,,,d")
    );
    assert_eq!(
        eval_with(&cells, "=TEXTJOIN(\",\",FALSE,A1:C2)"),
        text("a,,,,c,")
    );
    assert_eq!(
        eval_with(&cells, "=TEXTJOIN(\",\",FALSE,,A1,)"),
        text(",a,")
    );
    assert_eq!(eval_with(&cells, "=CONCAT(A1:C5,\"!\")"), text("acbd!"));
    // The empty positions of a thousand rows are a thousand delimiters,
    // and of forty thousand more than a cell holds, as in Excel.
    assert_eq!(
        eval_with(&cells, "=LEN(TEXTJOIN(\",\",FALSE,A1:A1000))"),
        num("1001")
    );
    assert_eq!(eval_with(&cells, "=TEXTJOIN(\",\",FALSE,A1:A40000)"), VALUE);
    assert_eq!(
        eval_with(&cells, "=TEXTJOIN(\"\",FALSE,A1:A40000)"),
        text("ab")
    );
}

#[test]
fn joins_stop_at_a_cells_length() {
    assert_eq!(
        eval_str("=LEN(TEXTJOIN(\"\",TRUE,REPT(\"a\",32766),\"b\"))"),
        num("32767")
    );
    assert_eq!(
        eval_str("=TEXTJOIN(\",\",TRUE,REPT(\"a\",32766),\"b\")"),
        VALUE
    );
    assert_eq!(eval_str("=CONCAT(REPT(\"é\",32767),\"b\")"), VALUE);
    assert_eq!(eval_str("=LEN(CONCAT(REPT(\"é\",32767)))"), num("32767"));
}

#[test]
fn substitute_replace_find_search() {
    let t = "\"My old, very old fears\"";
    assert_eq!(
        eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\")")),
        text("My new, very new fears")
    );
    assert_eq!(
        eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\",2)")),
        text("My old, very new fears")
    );
    assert_eq!(
        eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\",0)")),
        VALUE
    );
    assert_eq!(
        eval_str(&format!("=SUBSTITUTE({t},\"old\",\"new\",\"x\")")),
        VALUE
    );
    assert_eq!(
        eval_str("=SUBSTITUTE(123,2,\"qwerty\",1)"),
        text("1qwerty3")
    );
    assert_eq!(
        eval_str("=REPLACE(\"abcdefghijk\",6,5,\"*\")"),
        text("abcde*k")
    );
    assert_eq!(eval_str("=REPLACE(\"abc\",0,1,\"x\")"), VALUE);
    assert_eq!(eval_str("=FIND(\"ana\",\"Banana\")"), num("2"));
    assert_eq!(eval_str("=FIND(\"Ana\",\"Banana\")"), VALUE);
    assert_eq!(eval_str("=FIND(TRUE,TRUE)"), num("1"));
    assert_eq!(eval_str("=FIND(2,123)"), num("2"));
    assert_eq!(eval_str("=FIND(\"Hey\",\"Hey Jude\",0)"), VALUE);
    assert_eq!(eval_str("=SEARCH(\"ns*i\",\"Einstein\")"), num("3"));
    assert_eq!(eval_str("=SEARCH(\"~?\",\"Late?\")"), num("5"));
    assert_eq!(eval_str("=SEARCH(\"Y\",\"Y not Y yes\",3)"), num("7"));
    assert_eq!(eval_str("=SEARCHB(\"b\",\"ABC\")"), num("2"));
}

#[test]
fn exact_and_rept() {
    assert_eq!(eval_str("=EXACT(\"Hwy\",\"HWY\")"), Value::Bool(false));
    assert_eq!(eval_str("=EXACT(1,\"1\")"), Value::Bool(true));
    assert_eq!(eval_str("=EXACT(TRUE,\"TRUE\")"), Value::Bool(true));
    assert_eq!(eval_str("=EXACT(TRUE,1)"), Value::Bool(false));
    assert_eq!(eval_str("=EXACT(\"e \",\"e\")"), Value::Bool(false));
    assert_eq!(eval_str("=REPT(\"ab\",2.9)"), text("abab"));
    assert_eq!(eval_str("=REPT(\"ab\",-1)"), VALUE);
    assert_eq!(eval_str("=REPT(\"ab\",TRUE)"), text("ab"));
    assert_eq!(eval_str("=REPT(\"ab\",\"x\")"), VALUE);
    assert_eq!(eval_str("=REPT(#N/A,\"x\")"), Value::Error(ErrorKind::NA));
    assert_eq!(eval_str("=REPT(\"Hwllo\",123456789)"), VALUE);
}

#[test]
fn text_formats_values() {
    assert_eq!(eval_str("=TEXT(1234.567,\"#,##0.00\")"), text("1,234.57"));
    assert_eq!(eval_str("=TEXT(2.675,\"0.00\")"), text("2.68"));
    assert_eq!(eval_str("=TEXT(0.256,\"0.0%\")"), text("25.6%"));
    assert_eq!(eval_str("=TEXT(46353,\"yyyy-mm-dd\")"), text("2026-11-27"));
    assert_eq!(
        eval_str("=TEXT(46353,\"dddd, mmmm d\")"),
        text("Friday, November 27")
    );
    assert_eq!(eval_str("=TEXT(\"12.5\",\"0.00\")"), text("12.50"));
    assert_eq!(eval_str("=TEXT(\"abc\",\"0.00\")"), text("abc"));
    assert_eq!(
        eval_str("=TEXT(\"abc\",\"\"\"<\"\"@\"\">\"\"\")"),
        text("<abc>")
    );
    assert_eq!(eval_str("=TEXT(TRUE,\"0\")"), text("TRUE"));
    assert_eq!(eval_str("=TEXT(-1,\"yyyy\")"), VALUE);
    // General within the 11 characters of a standard cell, as Excel's
    // TEXT gives it (poi's GeneralFormatTests.xlsx).
    assert_eq!(eval_str("=TEXT(1/3,\"General\")"), text("0.333333333"));
    assert_eq!(
        eval_str("=TEXT(123456789012,\"General\")"),
        text("1.23457E+11")
    );
    // An empty code gives empty text; a boolean meets the text section.
    assert_eq!(eval_str("=TEXT(5,\"\")"), text(""));
    assert_eq!(eval_str("=TEXT(TRUE,\";;;-@-\")"), text("-TRUE-"));
    assert_eq!(eval_str("=TEXT(1/0,\"0\")"), Value::Error(ErrorKind::Div0));
    assert_eq!(eval_str("=TEXT(B9,\"0.00\")"), text("0.00"));
}

#[test]
fn value_and_numbervalue() {
    assert_eq!(eval_str("=VALUE(\"123\")"), num("123"));
    assert_eq!(eval_str("=VALUE(\"40%\")"), num("0.4"));
    assert_eq!(eval_str("=VALUE(\"23€\")"), num("23"));
    assert_eq!(eval_str("=VALUE(\"$1,234.50\")"), num("1234.5"));
    assert_eq!(eval_str("=VALUE(\"123,456.67\")"), num("123456.67"));
    assert_eq!(eval_str("=VALUE(\"12,34\")"), VALUE);
    assert_eq!(eval_str("=VALUE(\"qwerty\")"), VALUE);
    assert_eq!(eval_str("=VALUE(\"\")"), VALUE);
    assert_eq!(eval_str("=VALUE(TRUE)"), VALUE);
    assert_eq!(eval_str("=VALUE(B2)"), num("0"));
    assert_eq!(eval_str("=VALUE(12)"), num("12"));
    assert_eq!(eval_str("=VALUE(\"12:00\")"), num("0.5"));
    assert_eq!(
        eval_str("=NUMBERVALUE(\"2.500,27\",\",\",\".\")"),
        num("2500.27")
    );
    assert_eq!(eval_str("=NUMBERVALUE(\"3.5%\")"), num("0.035"));
    assert_eq!(eval_str("=NUMBERVALUE(\"\")"), num("0"));
    assert_eq!(eval_str("=NUMBERVALUE(\"1.2.3\")"), VALUE);
    assert_eq!(eval_str("=NUMBERVALUE(\"1\",\"\")"), VALUE);
}

#[test]
fn fixed_dollar_char_code() {
    assert_eq!(eval_str("=FIXED(1234.567,1)"), text("1,234.6"));
    assert_eq!(eval_str("=FIXED(1234.567,-1)"), text("1,230"));
    assert_eq!(eval_str("=FIXED(-1234.567,-1,TRUE)"), text("-1230"));
    assert_eq!(eval_str("=FIXED(44.332)"), text("44.33"));
    assert_eq!(eval_str("=DOLLAR(1234.567)"), text("$1,234.57"));
    assert_eq!(eval_str("=DOLLAR(-1234.567,1)"), text("($1,234.6)"));
    assert_eq!(eval_str("=CHAR(65)"), text("A"));
    assert_eq!(eval_str("=CHAR(128)"), text("€"));
    assert_eq!(eval_str("=CHAR(0)"), VALUE);
    assert_eq!(eval_str("=CODE(\"A\")"), num("65"));
    assert_eq!(eval_str("=CODE(\"\")"), VALUE);
    assert_eq!(eval_str("=UNICHAR(12398)"), text("の"));
    assert_eq!(eval_str("=UNICODE(TRUE)"), num("84"));
    assert_eq!(eval_str("=UNICODE(B1)"), VALUE);
}

#[test]
fn textbefore_and_textafter() {
    let t = "\"123 the 456 the 891\"";
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"the\")")),
        text(" 456 the 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"the\",2)")),
        text(" 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTBEFORE({t},\"the\",-1)")),
        text("123 the 456 ")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"the\",-2)")),
        text(" 456 the 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"THE\")")),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"THE\",2,1,0,1/0)")),
        text(" 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"THE\",2,0,0,\"@\")")),
        text("@")
    );
    assert_eq!(eval_str(&format!("=TEXTAFTER({t},\"the\",0)")), VALUE);
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"the\",-1.2)")),
        text(" 456 the 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTBEFORE({t},\"the\",1.6)")),
        text("123 ")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"the\",5,1,0,\"x\")")),
        text("x")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"Hello\",1,1,1)")),
        text("")
    );
    assert_eq!(
        eval_str(&format!("=TEXTBEFORE({t},\"Hello\",1,1,1)")),
        text("123 the 456 the 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"Hello\",-1,1,1)")),
        text("123 the 456 the 891")
    );
    assert_eq!(
        eval_str(&format!("=TEXTAFTER({t},\"Hello\",-1,1,2)")),
        VALUE
    );
    assert_eq!(
        eval_str("=TEXTAFTER(\"del\",\"deli\")"),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(eval_str("=TEXTAFTER(\"del\",\"deli\",1)"), VALUE);
    assert_eq!(eval_str("=TEXTAFTER(TRUE,\"r\",1,1)"), text("UE"));
    assert_eq!(eval_str("=TEXTBEFORE(123,1)"), text(""));
    assert_eq!(
        eval_str("=TEXTAFTER(\"Email - me@x.com\",\"- \",-1,,1)"),
        text("me@x.com")
    );
    assert_eq!(
        eval_str("=TEXTBEFORE(\"you@x.com\",\"- \",-1,,1)"),
        text("")
    );
    assert_eq!(eval_str("=TEXTAFTER(\"a;b,c\",{\",\",\";\"})"), text("b,c"));
    assert_eq!(
        eval_with(&[("A1", "x")], "=TEXTAFTER(A1,\"y\",1,0,0,B1)"),
        text("")
    );
}

#[test]
fn textsplit_spills() {
    match eval_calc("=TEXTSPLIT(\"1,2,3;2,3;4,5,6,7\",\",\",\";\")") {
        CalcValue::Array(a) => {
            assert_eq!((a.rows, a.cols), (3, 4));
            assert_eq!(a.get(0, 3), &Value::Error(ErrorKind::NA));
            assert_eq!(a.get(2, 3), &text("7"));
        }
        other => panic!("{other:?}"),
    }
    match eval_calc("=TEXTSPLIT(\"1,,2\",\",\",,TRUE)") {
        CalcValue::Array(a) => assert_eq!(a.values, vec![text("1"), text("2")]),
        other => panic!("{other:?}"),
    }
    match eval_calc("=TEXTSPLIT(\"a,b;c\",\",\",\";\",FALSE,0,\"-\")") {
        CalcValue::Array(a) => assert_eq!(a.get(1, 1), &text("-")),
        other => panic!("{other:?}"),
    }
    assert_eq!(eval_str("=TEXTSPLIT(\"Hello\",\"\")"), VALUE);
    assert_eq!(eval_str("=TEXTSPLIT(\"Hello\",)"), VALUE);
}

#[test]
fn t_valuetotext_arraytotext() {
    assert_eq!(eval_str("=T(\"abc\")"), text("abc"));
    assert_eq!(eval_str("=T(123)"), text(""));
    assert_eq!(eval_str("=T(1/0)"), Value::Error(ErrorKind::Div0));
    assert_eq!(eval_str("=VALUETOTEXT(1/0)"), text("#DIV/0!"));
    assert_eq!(eval_str("=ARRAYTOTEXT({1,#N/A})"), text("1, #N/A"));
    assert_eq!(eval_str("=VALUETOTEXT(\"a\",1)"), text("\"a\""));
    assert_eq!(eval_str("=VALUETOTEXT(1.2345)"), text("1.2345"));
    assert_eq!(
        eval_str("=ARRAYTOTEXT({12,0.1;\"x\",FALSE})"),
        text("12, 0.1, x, FALSE")
    );
    assert_eq!(
        eval_str("=ARRAYTOTEXT({12,0.1;\"x\",FALSE},1)"),
        text("{12,0.1;\"x\",FALSE}")
    );
}

#[test]
fn regex_functions() {
    assert_eq!(
        eval_str("=REGEXEXTRACT(\"LonelyPlanet\",\"[A-Z][a-z]+\")"),
        text("Lonely")
    );
    match eval_calc("=REGEXEXTRACT(\"LonelyPlanet\",\"[A-Z][a-z]+\",1)") {
        CalcValue::Array(a) => assert_eq!(a.values, vec![text("Lonely"), text("Planet")]),
        other => panic!("{other:?}"),
    }
    match eval_calc("=REGEXEXTRACT(\"ab-12\",\"([a-z]+)-([0-9]+)\",2)") {
        CalcValue::Array(a) => assert_eq!(a.values, vec![text("ab"), text("12")]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        eval_str("=REGEXEXTRACT(\"abc\",\"[0-9]\")"),
        Value::Error(ErrorKind::NA)
    );
    assert_eq!(
        eval_str("=REGEXREPLACE(\"JamesBond\",\"([A-Z][a-z]+)([A-Z][a-z]+)\",\"$2, $1 $2\")"),
        text("Bond, James Bond")
    );
    assert_eq!(
        eval_str("=REGEXTEST(\"Mr. Sherlock Holmes\",\"[A-Z]her\")"),
        Value::Bool(true)
    );
    assert_eq!(
        eval_str("=REGEXTEST(\"Mr. Sherlock Holmes\",\"[0-9]+\")"),
        Value::Bool(false)
    );
    assert_eq!(eval_str("=REGEXTEST(\"ABC\",\"abc\",1)"), Value::Bool(true));
    assert_eq!(eval_str("=REGEXTEST(\"ABC\",\"(\")"), VALUE);
}
