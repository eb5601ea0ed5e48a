//! Inputs the fuzzers in `fuzz/` found (see the README's "Fuzzing"
//! paragraph), minimised, each with the fault it showed. Every test here
//! failed before its fix.

use sheetscript::formula::{parse, print};

/// A formula printed from its parse reads back to the same formula, as
/// the writers rely on when they save a formula they changed.
fn assert_prints_back(formula: &str) {
    let expr = parse(formula).unwrap_or_else(|e| panic!("{formula:?} does not parse: {e}"));
    let printed = print(&expr);
    let again = parse(&printed)
        .unwrap_or_else(|e| panic!("{formula:?} prints as {printed:?}, which does not parse: {e}"));
    assert_eq!(print(&again), printed, "{formula:?}");
}

/// formula fuzzer, finding 1: a sheet name starting with `.` was printed
/// unquoted (`.da_INA.KyT!C3`), which reads as a number.
#[test]
fn a_sheet_name_starting_with_a_dot_stays_quoted() {
    assert_prints_back("aD/'.da_INA.KyT'!C3");
    assert_prints_back("SUM('.5'!A1:B2)");
    assert_prints_back("'²x'!A1");
}

/// formula fuzzer, finding 2: a name spelled as column letters, ranged
/// with a call across a space (`N :B(N :B6)`), printed as `N:B(N:B6)`,
/// which reads as the columns `N:B` followed by a stray `(`.
#[test]
fn a_column_like_name_ranged_with_a_call_prints_back() {
    assert_prints_back("=M(N\n:B(N\n:B6))");
    assert_prints_back("Sheet1!N :INDEX(A1:A3,2)");
}

/// formula fuzzer, finding 3: a table column whose name starts with `#`
/// is written escaped (`['#Items]`, as Excel writes it) but was read back
/// as an unknown special item (`[#Items]`), so the printed formula did not
/// parse.
#[test]
fn a_table_column_starting_with_an_escaped_hash_reads_back_as_a_column() {
    assert_prints_back("In2oice-s2oice-s[@[@#[This R\0\0wT\0\0\0\0\0\0\t#,\"dDF\u{777}U]]");
    assert_prints_back("Sales['#Items]");
    assert_prints_back("Sales[[#Totals],['#Items]]");
    let expr = parse("Sales['#Items]").unwrap();
    let sheetscript::formula::Expr::Table(table) = expr else {
        panic!("not a table reference: {expr:?}");
    };
    assert_eq!(table.first_column.as_deref(), Some("#Items"));
    assert!(table.items.is_empty(), "{:?}", table.items);
}

/// formula fuzzer, finding 4 (a timeout): `A9:A4=Dat4=Data!A1:XF8576` in a
/// cell spills 5.4 million values, and writing the spill never looked at
/// the deadline, so `--timeout` could not stop it. Under a deadline that
/// has already passed, the spill now stops at once and the run reports the
/// timeout; without one, the same cell spills in full afterwards, over the
/// cells the stopped run had claimed.
#[test]
fn a_large_spill_keeps_to_the_deadline() {
    use sheetscript::formula::{Deadline, Engine, EngineOptions};
    use sheetscript::model::{CellAddr, Value, Workbook};
    let mut workbook = Workbook::new();
    workbook.add_sheet("Data").unwrap();
    let mut engine = Engine::new(workbook, EngineOptions::default());
    let anchor = CellAddr::new(0, 200);
    engine.set_formula("Data", anchor, "A1:CV2000=1").unwrap();
    engine.set_deadline(Some(Deadline::after(std::time::Duration::ZERO)));
    let report = engine.recalc_all();
    let err = report
        .check_time()
        .expect_err("the spill ignored the deadline");
    assert!(err.to_string().contains("Data!GS1"), "{err}");
    engine.set_deadline(None);
    engine.recalc_all().check_time().unwrap();
    assert_eq!(engine.value("Data", anchor).unwrap(), Value::Bool(false));
    let last = CellAddr::new(1999, 200 + 99);
    assert_eq!(engine.value("Data", last).unwrap(), Value::Bool(false));
}

/// formula fuzzer, finding 5: a storage prefix before a name that is no
/// name (`_xlfn.2AO(`) parsed, and printed without its prefix as `2AO(`,
/// which reads as a number; such a call is now refused when read.
#[test]
fn a_prefixed_call_whose_name_is_no_name_is_refused() {
    let err = parse("=SUM(_xlfn.2AO(RWBY:A4,_xlmta.SUM))").unwrap_err();
    assert!(err.to_string().contains("is not a function name"), "{err}");
    assert_prints_back("_xlfn.XLOOKUP(1,A1:A3,B1:B3)");
    assert_prints_back("_xlfn.LAMBDA(_xlpm.x,_xlpm.x*2)(3)");
}

/// xlsx_sheet fuzzer, finding 6: a sheet dimension `+0:B4` made the
/// range reader compute row `0 - 1` (a panic in debug builds, row
/// 4294967295 in release); rows are digits from 1 on.
#[test]
fn a_range_with_row_zero_or_a_signed_row_is_no_range() {
    use sheetscript::model::RangeAddr;
    assert_eq!(RangeAddr::parse("+0:B4"), None);
    assert_eq!(RangeAddr::parse("0:4"), None);
    assert_eq!(RangeAddr::parse("+1:4"), None);
    assert!(RangeAddr::parse("1:4").is_some());
}
