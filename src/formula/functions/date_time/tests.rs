//! The date & time functions through formulas, including 1904 workbooks.

use crate::formula::testing::{eval_str, num};
use crate::model::{ErrorKind, Value};

/// A 1904 workbook computes with 1904 serials, as Excel does: day 0 is
/// 1904-01-01, 1462 days after the 1900 system's day 0.
#[test]
fn a_1904_workbook_computes_with_its_own_serials() {
    use crate::formula::testing::{eval_in, workbook_with};
    use crate::model::{DateSystem, DateValue};
    let eval = |formula: &str| {
        let mut wb = workbook_with(&[("A2", "44866")]);
        wb.date_system = DateSystem::Excel1904;
        // 2026-11-02, held as the model's 1900-system serial.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        wb.sheets[0].set_value(
            crate::model::CellAddr::parse("A1").unwrap(),
            Value::Date(DateValue::from_date(day)),
        );
        eval_in(wb, "Sheet1", formula)
    };
    let text = |s: &str| Value::Text(s.into());
    assert_eq!(eval("=A1+1"), num("44867"));
    assert_eq!(eval("=A1=A2"), Value::Bool(true));
    assert_eq!(eval("=DATE(2026,11,3)"), num("44867"));
    assert_eq!(eval("=DATE(1904,1,1)"), num("0"));
    assert_eq!(eval("=DATE(1903,12,31)"), Value::Error(ErrorKind::Num));
    assert_eq!(eval("=DATEVALUE(\"2026-11-03\")"), num("44867"));
    assert_eq!(eval("=\"2026-11-03\"+0"), num("44867"));
    assert_eq!(eval("=\"12:00\"+0"), num("0.5"));
    assert_eq!(eval("=TODAY()"), num("44891"));
    assert_eq!(eval("=NOW()"), num("44891.375"));
    assert_eq!(eval("=YEAR(A2)"), num("2026"));
    assert_eq!(eval("=DAY(A1)"), num("2"));
    assert_eq!(eval("=YEAR(0)"), num("1904"));
    assert_eq!(eval("=YEAR(-1)"), Value::Error(ErrorKind::Num));
    // 1904-01-01 was a Friday.
    assert_eq!(eval("=WEEKDAY(0)"), num("6"));
    assert_eq!(eval("=WEEKDAY(A1)"), num("2"));
    assert_eq!(eval("=EDATE(A1,1)"), num("44896"));
    assert_eq!(eval("=EOMONTH(A2,0)"), num("44894"));
    assert_eq!(eval("=WORKDAY(A1,5)"), num("44873"));
    assert_eq!(eval("=NETWORKDAYS(A1,A2+6)"), num("5"));
    assert_eq!(eval("=DAYS(A1,0)"), num("44866"));
    assert_eq!(eval("=TEXT(A2+1,\"yyyy-mm-dd\")"), text("2026-11-03"));
    assert_eq!(eval("=TEXT(A1,\"d.m.yyyy\")"), text("2.11.2026"));
    assert_eq!(eval("=TEXT(A1,\"0\")"), text("44866"));
    assert_eq!(eval("=TEXT(1.5,\"[h]\")"), text("36"));
    assert_eq!(eval("=COUNTIF(A1:A2,DATE(2026,11,2))"), num("2"));
    assert_eq!(eval("=COUNTIF(A1:A2,\">=\"&DATE(2026,11,2))"), num("2"));
    assert_eq!(eval("=MATCH(A2,A1:A1,0)"), num("1"));
    assert_eq!(eval("=N(A1)"), num("44866"));
    assert_eq!(eval("=SUM(A1,1)"), num("44867"));
    // Bond functions read and give dates in the workbook's system.
    assert_eq!(
        eval("=COUPNCD(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
        num("39216")
    );
    let price = "=PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0)";
    assert_eq!(eval(price), crate::formula::testing::eval_str(price));
}

#[test]
fn today_uses_the_fixed_test_clock() {
    // The test clock is 2026-11-27 09:00.
    assert_eq!(eval_str("=TODAY()"), num("46353"));
    assert_eq!(eval_str("=NOW()"), num("46353.375"));
}

#[test]
fn scalar_functions_lift_over_arrays() {
    use crate::formula::testing::eval_calc;
    use crate::formula::CalcValue;
    let CalcValue::Array(a) = eval_calc("=DATE({2026,2027},1,{1;2})") else {
        panic!("DATE over arrays should give an array");
    };
    assert_eq!((a.rows, a.cols), (2, 2));
    assert_eq!(a.get(0, 0), &num("46023"));
    assert_eq!(a.get(1, 1), &num("46389"));
    let CalcValue::Array(a) = eval_calc("=DATE({2026,2027,2028},1,{1,2})") else {
        panic!("DATE over arrays should give an array");
    };
    assert_eq!(a.get(0, 2), &Value::Error(ErrorKind::NA));
    let CalcValue::Array(a) = eval_calc("=YEAR({46023;-1})") else {
        panic!("YEAR over an array should give an array");
    };
    assert_eq!(a.get(0, 0), &num("2026"));
    assert_eq!(a.get(1, 0), &Value::Error(ErrorKind::Num));
}

#[test]
fn functions_through_the_evaluator() {
    assert_eq!(eval_str("=DATE(2026,1,31)"), num("46053"));
    assert_eq!(eval_str("=YEAR(DATE(2026,14,1))"), num("2027"));
    assert_eq!(eval_str("=DAY(60)"), num("29"));
    assert_eq!(eval_str("=DATEVALUE(\"31-Jan-2026\")"), num("46053"));
    assert_eq!(eval_str("=TIMEVALUE(\"12:00 PM\")"), num("0.5"));
    assert_eq!(eval_str("=EOMONTH(DATE(2026,1,31),1)"), num("46081"));
    assert_eq!(
        eval_str("=EOMONTH(DATE(2026,1,31),TRUE)"),
        Value::Error(ErrorKind::Value)
    );
    assert_eq!(
        eval_str("=NETWORKDAYS.INTL(DATE(2026,1,1),DATE(2026,1,31),\"0000011\",{46023})"),
        num("21")
    );
    assert_eq!(eval_str("=WORKDAY(DATE(2026,1,2),1)"), num("46027"));
    assert_eq!(
        eval_str("=DATEDIF(DATE(2001,6,1),DATE(2002,8,15),\"YM\")"),
        num("2")
    );
    assert_eq!(
        eval_str("=DAYS360(DATE(2025,1,1),DATE(2025,1,31),TRUE)"),
        num("29")
    );
    assert_eq!(eval_str("=WEEKDAY(DATE(2026,11,27),2)"), num("5"));
    assert_eq!(eval_str("=DATEVALUE(12)"), Value::Error(ErrorKind::Value));
}
