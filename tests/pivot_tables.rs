//! GETPIVOTDATA over the pivot tables an xlsx carries: computed from the
//! pivot cache's records, it must give what Excel saved in the pivot
//! table's cells (the corpus workbook), and a formula calling it in a
//! hand-made workbook is recalculated and saved back with the pivot parts
//! intact.

mod support;

use sheetscript::formula::{CalcValue, Engine, EngineOptions};
use sheetscript::io::read::{read_workbook, ReadOptions};
use sheetscript::model::{CellAddr, ErrorKind, Value};
use support::{hand_made_xlsx_with, sheetscript, HandMade};

/// The number of a computed or saved value; `None` for an empty one.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Empty => None,
        other => Some(other.as_number().map_or(f64::NAN, |n| n.to_f64())),
    }
}

/// Every value cell of the five pivot tables of calamine's pivots.xlsx,
/// each as the GETPIVOTDATA call that names it: report filters hiding
/// dates, four data fields (sum, average, count, a calculated field),
/// a hand-made group (Value2) over Value, nested rows with subtotals,
/// columns with a grand total, and blank cells where a row and a column
/// never meet.
#[test]
fn getpivotdata_gives_what_excel_saved_in_the_pivot_cells() {
    let Some(path) = support::external::corpus("calamine/pivots.xlsx") else {
        return;
    };
    let wb = read_workbook(&path, &ReadOptions::default()).unwrap();
    assert_eq!(wb.pivot_tables.len(), 5, "{:?}", wb.read_notes);
    let mut cases: Vec<(&str, String, String)> = Vec::new();
    // PivotSheet1: Category rows (a Date filter shows two dates), four
    // data fields across.
    for (col, data) in [
        ("B", "Sum of Size"),
        ("C", "Average of Value"),
        ("D", "Count of Size"),
        ("E", "Sum of Value x 2"),
    ] {
        for (row, pairs) in [(4, ",\"Category\",\"yellow\""), (5, "")] {
            cases.push((
                "PivotSheet1",
                format!("{col}{row}"),
                format!("=GETPIVOTDATA(\"{data}\",$A$3{pairs})"),
            ));
        }
    }
    // PivotSheet2: Value2 then Value on rows, Category on columns.
    let rows = [
        (5, ",\"Value2\",5"),
        (6, ",\"Value2\",5,\"Value\",5"),
        (7, ",\"Value2\",\"Group1\""),
        (8, ",\"Value2\",\"Group1\",\"Value\",10"),
        (9, ",\"Value2\",\"Group1\",\"Value\",15"),
        (10, ",\"Value2\",\"Group1\",\"Value\",20"),
        (11, ""),
    ];
    let cols = [
        ("B", ",\"Category\",\"blue\""),
        ("C", ",\"Category\",\"yellow\""),
        ("D", ""),
    ];
    for (row, row_pairs) in rows {
        for (col, col_pairs) in cols {
            cases.push((
                "PivotSheet2",
                format!("{col}{row}"),
                format!("=GETPIVOTDATA(\"Sum of Size\",A3{row_pairs}{col_pairs})"),
            ));
        }
    }
    // PivotSheet3: a count of the grouped field, Name rows.
    for (row, pairs) in [
        (4, ",\"Name\",\"f\""),
        (5, ",\"Name\",\"h\""),
        (6, ",\"Name\",\"j\""),
        (7, ""),
    ] {
        cases.push((
            "PivotSheet3",
            format!("B{row}"),
            format!("=GETPIVOTDATA(\"Count of Value2\",B5{pairs})"),
        ));
    }
    // PivotSheet4: two tables of two caches, one above the other.
    for (top, first) in [("A1", 2), ("A6", 7)] {
        for (offset, pairs) in [
            (0, ",\"Category\",\"blue\""),
            (1, ",\"Category\",\"yellow\""),
            (2, ""),
        ] {
            cases.push((
                "PivotSheet4",
                format!("B{}", first + offset),
                format!("=GETPIVOTDATA(\"Value\",{top}{pairs})"),
            ));
        }
    }
    let saved: Vec<Value> = cases
        .iter()
        .map(|(sheet, cell, _)| {
            wb.sheet(sheet)
                .unwrap()
                .value(CellAddr::parse(cell).unwrap())
                .clone()
        })
        .collect();
    let mut engine = Engine::new(wb, EngineOptions::default());
    let mut blanks = 0;
    for ((sheet, cell, formula), excel) in cases.iter().zip(&saved) {
        let got = match engine.eval(Some(sheet), formula).unwrap() {
            CalcValue::Value(v) => v,
            other => panic!("{sheet}!{cell} {formula}: {other:?}"),
        };
        blanks += usize::from(excel.is_empty());
        match (number(&got), number(excel)) {
            (Some(g), Some(e)) => assert!(
                (g - e).abs() <= 1e-12 * e.abs().max(1.0),
                "{sheet}!{cell} {formula}: {g}, Excel {e}"
            ),
            (g, e) => assert_eq!(g, e, "{sheet}!{cell} {formula}: {got:?}"),
        }
    }
    assert_eq!((cases.len(), blanks), (39, 3));
    // Names the layout does not show: a Date filter showing two dates, an
    // inner row item without its outer one, a hidden date.
    for formula in [
        "=GETPIVOTDATA(\"Sum of Size\",A3,\"Date\",DATE(1999,1,1))",
        "=GETPIVOTDATA(\"Sum of Size\",PivotSheet2!A3,\"Value\",10)",
        "=GETPIVOTDATA(\"Sum of Size\",A3,\"Category\",\"blue\")",
    ] {
        let got = engine.eval(Some("PivotSheet1"), formula).unwrap();
        assert!(
            matches!(got, CalcValue::Value(Value::Error(ErrorKind::Ref))),
            "{formula}: {got:?}"
        );
    }
}

const PIVOT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="Sales" cacheId="1" dataCaption="Values"><location ref="E1:F4" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/><pivotFields count="3"><pivotField axis="axisRow" showAll="0"><items count="3"><item x="0"/><item x="1"/><item t="default"/></items></pivotField><pivotField showAll="0"/><pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1"><field x="0"/></rowFields><rowItems count="3"><i><x/></i><i><x v="1"/></i><i t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems><dataFields count="1"><dataField name="Sum of Amount" fld="2" baseField="0" baseItem="0"/></dataFields><extLst><ext uri="{962EF5D1-5CA2-4c93-8EF4-DBF5C05439D2}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:pivotTableDefinition hideValuesRow="1"/></ext></extLst></pivotTableDefinition>"#;

const CACHE_DEFINITION: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1" recordCount="4"><cacheSource type="worksheet"><worksheetSource ref="A1:C5" sheet="Sales"/></cacheSource><cacheFields count="3"><cacheField name="Region" numFmtId="0"><sharedItems count="2"><s v="North"/><s v="South"/></sharedItems></cacheField><cacheField name="Day" numFmtId="14"><sharedItems containsDate="1" containsNonDate="0" containsSemiMixedTypes="0" containsString="0"/></cacheField><cacheField name="Amount" numFmtId="0"><sharedItems containsNumber="1" minValue="0.1" maxValue="100"/></cacheField></cacheFields></pivotCacheDefinition>"#;

const CACHE_RECORDS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4"><r><x v="0"/><d v="2024-03-05T00:00:00"/><n v="0.1"/></r><r><x v="1"/><d v="2024-03-06T00:00:00"/><n v="100"/></r><r><x v="0"/><d v="2024-03-07T00:00:00"/><n v="0.2"/></r><r><x v="1"/><d v="2024-03-08T00:00:00"/><n v="50.5"/></r></pivotCacheRecords>"#;

/// A one-sheet workbook: the data in A1:C5, its pivot table (Sum of
/// Amount by Region) in E1:F4 as Excel saves it, and GETPIVOTDATA
/// formulas in H1:H4 saved without results.
fn pivot_book(path: &std::path::Path) {
    let data = [
        ("North", 45356, "0.1"),
        ("South", 45357, "100"),
        ("North", 45358, "0.2"),
        ("South", 45359, "50.5"),
    ];
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Region</t></is></c><c r="B1" t="inlineStr"><is><t>Day</t></is></c><c r="C1" t="inlineStr"><is><t>Amount</t></is></c><c r="E1" t="inlineStr"><is><t>Row Labels</t></is></c><c r="F1" t="inlineStr"><is><t>Sum of Amount</t></is></c><c r="H1"><f>GETPIVOTDATA("Sum of Amount",$E$1)</f></c></row>"#,
    );
    let pivot_rows = [
        ("North", "0.3"),
        ("South", "150.5"),
        ("Grand Total", "150.8"),
    ];
    let formulas = [
        r#"GETPIVOTDATA("Amount",$E$1,"Region","north")"#,
        r#"GETPIVOTDATA("Sum of Amount",$E$1,"Region",A3)*2"#,
        r#"GETPIVOTDATA("Sum of Amount",$E$1,"Region","West")"#,
    ];
    for (i, (region, day, amount)) in data.iter().enumerate() {
        let r = i + 2;
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{region}</t></is></c><c r="B{r}"><v>{day}</v></c><c r="C{r}"><v>{amount}</v></c>"#
        ));
        if let Some((label, value)) = pivot_rows.get(i) {
            rows.push_str(&format!(
                r#"<c r="E{r}" t="inlineStr"><is><t>{label}</t></is></c><c r="F{r}"><v>{value}</v></c>"#
            ));
        }
        if let Some(f) = formulas.get(i) {
            rows.push_str(&format!(
                r#"<c r="H{r}"><f>{}</f></c>"#,
                f.replace('"', "&quot;")
            ));
        }
        rows.push_str("</row>");
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let rel = |id: &str, kind: &str, target: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/></Relationships>"#
        )
    };
    let sheet_rels = rel("rId1", "pivotTable", "../pivotTables/pivotTable1.xml");
    let table_rels = rel(
        "rId1",
        "pivotCacheDefinition",
        "../pivotCache/pivotCacheDefinition1.xml",
    );
    let cache_rels = rel("rId1", "pivotCacheRecords", "pivotCacheRecords1.xml");
    let book = HandMade {
        sheet: "Sales",
        before_sheets: "",
        after_sheets: r#"<pivotCaches><pivotCache cacheId="1" r:id="rId9"/></pivotCaches>"#,
        date_style: false,
        shared_strings: None,
    };
    hand_made_xlsx_with(
        path,
        &book,
        &sheet,
        &[
            ("xl/worksheets/_rels/sheet1.xml.rels", &sheet_rels),
            ("xl/pivotTables/pivotTable1.xml", PIVOT_TABLE),
            ("xl/pivotTables/_rels/pivotTable1.xml.rels", &table_rels),
            ("xl/pivotCache/pivotCacheDefinition1.xml", CACHE_DEFINITION),
            (
                "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
                &cache_rels,
            ),
            ("xl/pivotCache/pivotCacheRecords1.xml", CACHE_RECORDS),
        ],
        r#"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotCacheDefinition" Target="pivotCache/pivotCacheDefinition1.xml"/>"#,
    );
}

#[test]
fn getpivotdata_formulas_recalculate_and_the_pivot_survives() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pivot.xlsx");
    let output = dir.path().join("out.xlsx");
    pivot_book(&input);
    support::ok(&[
        "recalc",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    let grid = support::grid(&output, "Sales");
    // Sums of 0.1 + 0.2 are exact, as the pivot cell Excel saved says.
    assert_eq!(grid.at("H1").to_string(), "150.8");
    assert_eq!(grid.at("H2").to_string(), "0.3");
    assert_eq!(grid.at("H3").to_string(), "301");
    // calamine reads an error cell it knows as its text.
    assert_eq!(grid.at("H4").to_string(), "#REF!");
    // The pivot parts are carried byte for byte.
    let before = support::package::entries(&input);
    let after = support::package::entries(&output);
    for part in [
        "xl/pivotTables/pivotTable1.xml",
        "xl/pivotCache/pivotCacheDefinition1.xml",
        "xl/pivotCache/pivotCacheRecords1.xml",
    ] {
        let bytes = |entries: &[support::package::Entry]| {
            entries
                .iter()
                .find(|e| e.name == part)
                .map(|e| e.bytes.clone())
        };
        assert!(
            bytes(&after).is_some() && bytes(&after) == bytes(&before),
            "{part}"
        );
    }
    // The same workbook converted to CSV and read back has no pivot
    // table: GETPIVOTDATA is #REF! there, as in Excel.
    let csv = dir.path().join("pivot.csv");
    let out = sheetscript(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sheetscript(&[
        "eval",
        csv.to_str().unwrap(),
        "=GETPIVOTDATA(\"Amount\",E1)",
    ]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "#REF!");
}
