//! Pivot table parts (`xl/pivotTables/pivotTableN.xml`) and the pivot
//! cache parts they point to (`xl/pivotCache/pivotCacheDefinitionN.xml`
//! with its fields and shared items, `pivotCacheRecordsN.xml` with the
//! records): what GETPIVOTDATA needs to compute a pivot table's values.
//! The patcher carries these parts untouched; only the reader reads them.

use super::xml::{attr, next_event, unescape_ooxml};
use super::PackageError;
use crate::model::pivot::{
    CacheCell, CacheField, FieldSource, GroupBy, PivotValue, RangeBase, RangeGroup,
};
use crate::model::value::serial_from_date;
use crate::model::{ErrorKind, Number, RangeAddr};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Relationship type of a pivot table part (from a worksheet).
pub(crate) const REL_PIVOT_TABLE: &str = "pivotTable";
/// Relationship type of a pivot cache definition (from a pivot table).
pub(crate) const REL_PIVOT_CACHE: &str = "pivotCacheDefinition";

/// What a pivot table part declares.
#[derive(Debug, Clone, Default)]
pub(crate) struct PivotTablePart {
    /// `name`.
    pub name: String,
    /// `location ref`.
    pub location: Option<RangeAddr>,
    /// `pivotField`s, one per cache field, in cache order.
    pub fields: Vec<PivotFieldPart>,
    /// `rowFields`: cache field positions (`-2` is the Values pseudo-field).
    pub row_fields: Vec<i64>,
    /// `colFields`, likewise.
    pub col_fields: Vec<i64>,
    /// `pageFields`: the field, and the item index shown when one only is.
    pub page_fields: Vec<(usize, Option<usize>)>,
    /// `dataFields`.
    pub data_fields: Vec<DataFieldPart>,
    /// `rowGrandTotals` (default on): the grand total column.
    pub row_grand_totals: bool,
    /// `colGrandTotals` (default on): the grand total row.
    pub col_grand_totals: bool,
    /// Whether it has label or value filters (`<filters>`: top 10, label
    /// contains...), which hide items without marking them hidden.
    pub filtered: bool,
}

/// A `pivotField`.
#[derive(Debug, Clone, Default)]
pub(crate) struct PivotFieldPart {
    /// `name`: a caption given in the pivot table.
    pub caption: Option<String>,
    /// Its `item`s that stand for cache items (subtotal items left out):
    /// the cache item index `x`, and whether it is hidden (`h="1"`).
    pub items: Vec<(u32, bool)>,
    /// `defaultSubtotal` (default on).
    pub default_subtotal: bool,
}

/// A `dataField`.
#[derive(Debug, Clone)]
pub(crate) struct DataFieldPart {
    /// `name` ("Sum of Amount"); empty when absent.
    pub name: String,
    /// `fld`: the cache field.
    pub field: usize,
    /// `subtotal` (absent means sum).
    pub subtotal: Option<String>,
    /// `showDataAs` (absent means `normal`: the summary as it is).
    pub show_as: Option<String>,
}

/// Whether an on/off attribute is on: absent means `default`.
fn flag(e: &BytesStart<'_>, name: &str, default: bool) -> bool {
    attr(e, name).map_or(default, |v| !matches!(v.trim(), "0" | "false"))
}

/// A numeric attribute.
fn num<T: std::str::FromStr>(e: &BytesStart<'_>, name: &str) -> Option<T> {
    attr(e, name).and_then(|v| v.trim().parse().ok())
}

/// Reads the pivot table part named `part`.
pub(crate) fn parse_pivot_table(xml: &[u8], part: &str) -> Result<PivotTablePart, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut table = PivotTablePart {
        row_grand_totals: true,
        col_grand_totals: true,
        ..Default::default()
    };
    // Which list a `<field>` belongs to: true for rows, false for columns.
    let mut in_rows: Option<bool> = None;
    let mut seen_root = false;
    loop {
        let (e, empty) = match next_event(&mut reader, &mut buf, part)? {
            Event::Eof => return Ok(table),
            Event::End(e) => {
                if matches!(e.local_name().into_inner(), "rowFields" | "colFields") {
                    in_rows = None;
                }
                continue;
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            _ => continue,
        };
        match e.local_name().into_inner() {
            // Only the root: extensions repeat the name (x14:...).
            "pivotTableDefinition" if !seen_root => {
                seen_root = true;
                table.name = attr(&e, "name").unwrap_or_default();
                table.row_grand_totals = flag(&e, "rowGrandTotals", true);
                table.col_grand_totals = flag(&e, "colGrandTotals", true);
            }
            "location" => table.location = attr(&e, "ref").and_then(|r| RangeAddr::parse(&r)),
            "pivotField" => table.fields.push(PivotFieldPart {
                caption: attr(&e, "name").map(|n| unescape_ooxml(&n).into_owned()),
                items: Vec::new(),
                default_subtotal: flag(&e, "defaultSubtotal", true),
            }),
            // Items of type `t` (default, sum, grand...) are subtotal
            // rows, not cache items.
            "item" if attr(&e, "t").is_none() => {
                if let (Some(field), Some(x)) = (table.fields.last_mut(), num(&e, "x")) {
                    field.items.push((x, flag(&e, "h", false)));
                }
            }
            "filter" => table.filtered = true,
            "rowFields" if !empty => in_rows = Some(true),
            "colFields" if !empty => in_rows = Some(false),
            "field" => match (in_rows, num::<i64>(&e, "x")) {
                (Some(true), Some(x)) => table.row_fields.push(x),
                (Some(false), Some(x)) => table.col_fields.push(x),
                _ => {}
            },
            "pageField" => {
                if let Some(field) = num(&e, "fld") {
                    table.page_fields.push((field, num(&e, "item")));
                }
            }
            // Excel 2010's ways (`percentOfParentRow`, ranks...) sit in
            // the data field's extension, an `x14:dataField` without `fld`.
            "dataField" if attr(&e, "fld").is_none() => {
                if let (Some(shown), Some(last)) =
                    (attr(&e, "pivotShowAs"), table.data_fields.last_mut())
                {
                    last.show_as = Some(shown);
                }
            }
            "dataField" => {
                if let Some(field) = num(&e, "fld") {
                    table.data_fields.push(DataFieldPart {
                        name: attr(&e, "name")
                            .map(|n| unescape_ooxml(&n).into_owned())
                            .unwrap_or_default(),
                        field,
                        subtotal: attr(&e, "subtotal"),
                        show_as: attr(&e, "showDataAs"),
                    });
                }
            }
            _ => {}
        }
    }
}

/// What a pivot cache definition declares.
#[derive(Debug, Clone, Default)]
pub(crate) struct CacheDefinitionPart {
    /// The cache fields in order.
    pub fields: Vec<CacheField>,
    /// `r:id` of the records part, when the cache saved its records.
    pub records_rid: Option<String>,
    /// Whether it defines calculated items (`<calculatedItem>`), items
    /// computed by formulas that totals include.
    pub calculated_items: bool,
}

/// Reads a pivot cache definition part; `number` reads a number as the
/// cell reader does.
pub(crate) fn parse_cache_definition(
    xml: &[u8],
    part: &str,
    number: fn(&str) -> Option<Number>,
) -> Result<CacheDefinitionPart, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = CacheDefinitionPart::default();
    let mut columns = 0usize;
    // Where the values being read go.
    #[derive(PartialEq)]
    enum Into {
        Nothing,
        SharedItems,
        GroupItems,
        Discrete,
    }
    let mut into = Into::Nothing;
    let mut seen_root = false;
    // The field group being read: its base field, its ranges (or the
    // unit no range group has), the discrete map, and its items.
    let mut group_base: Option<usize> = None;
    let mut range: Option<Result<RangeGroup, String>> = None;
    let mut discrete: Option<Vec<u32>> = None;
    let mut group_items: Vec<PivotValue> = Vec::new();
    loop {
        let (e, empty) = match next_event(&mut reader, &mut buf, part)? {
            Event::Eof => return Ok(out),
            Event::End(e) => {
                match e.local_name().into_inner() {
                    "sharedItems" | "discretePr" | "groupItems" => into = Into::Nothing,
                    "fieldGroup" => {
                        let index = out.fields.len().saturating_sub(1);
                        if let Some(f) = out.fields.last_mut() {
                            end_field_group(
                                f,
                                index,
                                group_base.take(),
                                range.take(),
                                discrete.take(),
                                std::mem::take(&mut group_items),
                            );
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            _ => continue,
        };
        let field = out.fields.last_mut();
        match (e.local_name().into_inner(), field) {
            // Only the root: extensions repeat the name (x14:...).
            ("pivotCacheDefinition", _) if !seen_root => {
                seen_root = true;
                out.records_rid = attr(&e, "id");
            }
            ("cacheField", _) => {
                let name = unescape_ooxml(&attr(&e, "name").unwrap_or_default()).into_owned();
                let source = if let Some(formula) = attr(&e, "formula") {
                    FieldSource::Formula(formula)
                } else if flag(&e, "databaseField", true) {
                    columns += 1;
                    FieldSource::Records(columns - 1)
                } else {
                    FieldSource::Unsupported("a field sheetscript cannot compute".into())
                };
                out.fields.push(CacheField {
                    name,
                    items: Vec::new(),
                    source,
                });
            }
            ("calculatedItem", _) => out.calculated_items = true,
            ("sharedItems", Some(_)) if !empty => into = Into::SharedItems,
            ("fieldGroup", Some(_)) if !empty => group_base = num(&e, "base"),
            ("discretePr", Some(_)) => {
                discrete = Some(Vec::new());
                if !empty {
                    into = Into::Discrete;
                }
            }
            ("rangePr", Some(_)) => range = Some(range_group(&e)),
            ("groupItems", Some(_)) if !empty => into = Into::GroupItems,
            ("x", Some(_)) if into == Into::Discrete => {
                if let Some(map) = discrete.as_mut() {
                    map.push(num(&e, "v").unwrap_or(u32::MAX));
                }
            }
            (name, Some(f)) => {
                if let Some(v) = cache_value(name, &e, number) {
                    match into {
                        Into::SharedItems => f.items.push(v),
                        Into::GroupItems => group_items.push(v),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// A `rangePr`'s ranges, or the words for a unit sheetscript does not
/// know.
fn range_group(e: &BytesStart<'_>) -> Result<RangeGroup, String> {
    let by_name = attr(e, "groupBy").unwrap_or_else(|| "range".into());
    let by = match by_name.as_str() {
        "range" => GroupBy::Numbers,
        "seconds" => GroupBy::Seconds,
        "minutes" => GroupBy::Minutes,
        "hours" => GroupBy::Hours,
        "days" => GroupBy::Days,
        "months" => GroupBy::Months,
        "quarters" => GroupBy::Quarters,
        "years" => GroupBy::Years,
        other => return Err(format!("a field grouped by {other}")),
    };
    let bound = |num_name: &str, date_name: &str, none: f64| {
        num::<f64>(e, num_name)
            .or_else(|| attr(e, date_name).and_then(|d| date_serial(d.trim())))
            .unwrap_or(none)
    };
    let interval = num::<f64>(e, "groupInterval").unwrap_or(1.0);
    if by == GroupBy::Days && interval != 1.0 {
        return Err(format!("a field grouped by {interval} days"));
    }
    Ok(RangeGroup {
        by,
        start: bound("startNum", "startDate", f64::NEG_INFINITY),
        end: bound("endNum", "endDate", f64::INFINITY),
        interval,
    })
}

/// Settles a field's source at the end of its `fieldGroup`: items put
/// into ranges or into groups by hand, the group items becoming the
/// field's items. A range group whose items are not the ones Excel saves
/// for its unit (a tool that wrote only some) is not computed.
fn end_field_group(
    f: &mut CacheField,
    index: usize,
    base: Option<usize>,
    range: Option<Result<RangeGroup, String>>,
    discrete: Option<Vec<u32>>,
    items: Vec<PivotValue>,
) {
    if items.is_empty() {
        // `<fieldGroup par="3"/>`: only says which field groups this one.
        return;
    }
    let unsupported = |what: String| FieldSource::Unsupported(what);
    f.source = match (range, discrete, base) {
        (Some(Ok(group)), _, _) => {
            let base = match (&f.source, base) {
                (_, Some(b)) if b != index => Some(RangeBase::Field(b)),
                (FieldSource::Records(column), _) => Some(RangeBase::Column {
                    column: *column,
                    items: std::mem::take(&mut f.items),
                }),
                _ => None,
            };
            match base {
                Some(base) if group.fits(items.len()) => FieldSource::Range { base, group },
                _ => unsupported(format!(
                    "a field grouped by {:?} into {} items",
                    group.by,
                    items.len()
                )),
            }
        }
        (Some(Err(words)), _, _) => unsupported(words),
        (None, Some(map), Some(base)) => FieldSource::Discrete { base, map },
        _ => unsupported("a grouped field sheetscript cannot compute".into()),
    };
    f.items = items;
}

/// Reads a pivot cache records part: one row of values per record.
pub(crate) fn parse_cache_records(
    xml: &[u8],
    part: &str,
    number: fn(&str) -> Option<Number>,
) -> Result<Vec<Vec<CacheCell>>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut records: Vec<Vec<CacheCell>> = Vec::new();
    loop {
        let e = match next_event(&mut reader, &mut buf, part)? {
            Event::Eof => return Ok(records),
            Event::Start(e) | Event::Empty(e) => e,
            _ => continue,
        };
        let name = e.local_name().into_inner();
        if name == "r" {
            records.push(Vec::new());
            continue;
        }
        let Some(record) = records.last_mut() else {
            continue;
        };
        // Indices and numbers, most of a records part, are read without
        // allocating; they hold no entities.
        if name == "x" {
            let index = with_v(&e, |v| v.trim().parse().ok());
            record.push(CacheCell::Shared(index.unwrap_or(u32::MAX)));
        } else if name == "n" {
            let n = with_v(&e, |v| number(v.trim()));
            record.push(CacheCell::Inline(
                n.map_or(PivotValue::Missing, PivotValue::Number),
            ));
        } else if let Some(v) = cache_value(name, &e, number) {
            record.push(CacheCell::Inline(v));
        }
    }
}

/// `read` of the `v` attribute's text as written.
fn with_v<T>(e: &BytesStart<'_>, read: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    let a = e
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "v")?;
    read(a.value.as_ref())
}

/// The value of a cache value element (`<n v="1.5"/>`, `<s>`, `<b>`,
/// `<e>`, `<d>`, `<m/>`); `None` for any other element.
fn cache_value(
    name: &str,
    e: &BytesStart<'_>,
    number: fn(&str) -> Option<Number>,
) -> Option<PivotValue> {
    let v = || attr(e, "v").unwrap_or_default();
    Some(match name {
        "m" => PivotValue::Missing,
        "n" => number(v().trim()).map_or(PivotValue::Missing, PivotValue::Number),
        "s" => PivotValue::Text(unescape_ooxml(&v()).into_owned()),
        "b" => PivotValue::Bool(matches!(v().trim(), "1" | "true")),
        "e" => PivotValue::Error(ErrorKind::parse(v().trim()).unwrap_or(ErrorKind::Value)),
        "d" => date_serial(v().trim()).map_or(PivotValue::Missing, PivotValue::Date),
        _ => return None,
    })
}

/// The 1900-system serial of an ISO date-time (`2024-11-01T00:00:00`).
fn date_serial(text: &str) -> Option<f64> {
    let dt = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })?;
    let day = serial_from_date(dt.date()) as f64;
    let seconds = f64::from(chrono::Timelike::num_seconds_from_midnight(&dt.time()))
        + f64::from(dt.and_utc().timestamp_subsec_millis()) / 1000.0;
    Some(day + seconds / 86_400.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(t: &str) -> Option<Number> {
        t.parse::<f64>().ok().map(Number::from_f64)
    }

    #[test]
    fn pivot_table_parts_read_fields_filters_and_data_fields() {
        let xml = br#"<pivotTableDefinition name="Sales" cacheId="3" colGrandTotals="0">
            <location ref="A3:D9" firstHeaderRow="1" firstDataRow="2" firstDataCol="1"/>
            <pivotFields count="3">
              <pivotField axis="axisRow" showAll="0" defaultSubtotal="0"><items count="3"><item x="1"/><item h="1" x="0"/><item t="default"/></items></pivotField>
              <pivotField axis="axisPage" name="Month name"><items count="2"><item x="0"/><item x="1"/></items></pivotField>
              <pivotField dataField="1"/>
            </pivotFields>
            <rowFields count="1"><field x="0"/></rowFields>
            <colFields count="1"><field x="-2"/></colFields>
            <pageFields count="1"><pageField fld="1" item="1" hier="-1"/></pageFields>
            <dataFields count="2"><dataField name="Sum of Amount" fld="2"/><dataField name="Average of &quot;Amount&quot;" fld="2" subtotal="average"><extLst><ext uri="{E15A36E0-9728-4e99-A89B-3F7291B0FE68}"><x14:dataField pivotShowAs="percentOfParentRow"/></ext></extLst></dataField></dataFields>
            <filters count="1"><filter fld="0" type="count" id="1"/></filters>
            <extLst><ext><x14:pivotTableDefinition hideValuesRow="1"/></ext></extLst></pivotTableDefinition>"#;
        let t = parse_pivot_table(xml, "p").unwrap();
        assert_eq!(t.name, "Sales");
        assert_eq!(t.location.unwrap().to_a1(), "A3:D9");
        assert!(t.row_grand_totals && !t.col_grand_totals);
        assert_eq!(t.fields.len(), 3);
        assert_eq!(t.fields[0].items, vec![(1, false), (0, true)]);
        assert!(!t.fields[0].default_subtotal && t.fields[1].default_subtotal);
        assert_eq!(t.fields[1].caption.as_deref(), Some("Month name"));
        assert_eq!(t.data_fields.len(), 2);
        assert_eq!(
            t.data_fields[1].show_as.as_deref(),
            Some("percentOfParentRow")
        );
        assert_eq!((t.row_fields, t.col_fields), (vec![0], vec![-2]));
        assert_eq!(t.page_fields, vec![(1, Some(1))]);
        assert_eq!(t.data_fields[1].name, "Average of \"Amount\"");
        assert_eq!(t.data_fields[1].subtotal.as_deref(), Some("average"));
        assert!(t.filtered && t.data_fields[0].show_as.is_none());
        assert!(parse_pivot_table(b"<pivotTableDefinition><x></y>", "xl/p.xml").is_err());
    }

    #[test]
    fn cache_definitions_read_items_groups_and_formulas() {
        let xml = br#"<pivotCacheDefinition r:id="rId1"><cacheFields count="5">
            <cacheField name="Region"><sharedItems count="2"><s v="North"/><s v="South"/></sharedItems></cacheField>
            <cacheField name="Amount"><sharedItems containsNumber="1" minValue="1" maxValue="9"/></cacheField>
            <cacheField name="Day"><sharedItems containsDate="1"><d v="2024-03-05T00:00:00"/><d v="1900-01-01T12:00:00"/><m/></sharedItems></cacheField>
            <cacheField name="Double" formula="Amount*2" databaseField="0"/>
            <cacheField name="Region2" databaseField="0"><fieldGroup base="0"><discretePr count="2"><x v="1"/><x v="0"/></discretePr><groupItems count="2"><s v="Group1"/><n v="5"/></groupItems></fieldGroup></cacheField>
            <cacheField name="Months" databaseField="0"><fieldGroup base="2"><rangePr groupBy="months"/><groupItems><s v="Jan"/></groupItems></fieldGroup></cacheField>
            </cacheFields><calculatedItems count="1"><calculatedItem formula="North*2"/></calculatedItems><extLst><ext><x14:pivotCacheDefinition/></ext></extLst></pivotCacheDefinition>"#;
        let d = parse_cache_definition(xml, "c", number).unwrap();
        assert_eq!(d.records_rid.as_deref(), Some("rId1"));
        assert!(d.calculated_items);
        let f = &d.fields;
        assert_eq!(f.len(), 6);
        assert_eq!(
            f[0].items,
            vec![
                PivotValue::Text("North".into()),
                PivotValue::Text("South".into())
            ]
        );
        assert_eq!(
            (&f[1].source, f[1].items.len()),
            (&FieldSource::Records(1), 0)
        );
        assert_eq!(f[2].items[0], PivotValue::Date(45356.0));
        assert_eq!(f[2].items[1], PivotValue::Date(1.5));
        assert_eq!(f[2].items[2], PivotValue::Missing);
        assert_eq!(f[3].source, FieldSource::Formula("Amount*2".into()));
        assert_eq!(
            f[4].source,
            FieldSource::Discrete {
                base: 0,
                map: vec![1, 0]
            }
        );
        assert_eq!(f[4].items[1], PivotValue::Number(Number::from_i64(5)));
        // A months group with one item is not one Excel saves.
        assert!(matches!(&f[5].source, FieldSource::Unsupported(w) if w.contains("Months")));
        let in_place = br#"<pivotCacheDefinition><cacheFields>
            <cacheField name="Day"><sharedItems containsDate="1"><d v="2024-03-05T00:00:00"/></sharedItems><fieldGroup par="1" base="0"><rangePr groupBy="quarters" startDate="2024-03-05T00:00:00" endDate="2024-03-06T00:00:00"/><groupItems count="6"><s v="&lt;3/5/2024"/><s v="Qtr1"/><s v="Qtr2"/><s v="Qtr3"/><s v="Qtr4"/><s v="&gt;3/6/2024"/></groupItems></fieldGroup></cacheField>
            <cacheField name="Amount"><sharedItems/><fieldGroup base="1"><rangePr startNum="0" endNum="30" groupInterval="10"/><groupItems><s v="&lt;0"/><s v="0-9"/><s v="10-19"/><s v="20-29"/><s v="30-39"/><s v="&gt;30"/></groupItems></fieldGroup></cacheField>
            <cacheField name="Hours" databaseField="0"><fieldGroup base="0"><rangePr groupBy="weeks"/><groupItems><s v="w"/></groupItems></fieldGroup></cacheField>
            </cacheFields></pivotCacheDefinition>"#;
        let f = parse_cache_definition(in_place, "c", number)
            .unwrap()
            .fields;
        assert_eq!(f[0].items.len(), 6);
        let FieldSource::Range { base, group } = &f[0].source else {
            panic!("{:?}", f[0].source)
        };
        assert_eq!(
            base,
            &RangeBase::Column {
                column: 0,
                items: vec![PivotValue::Date(45356.0)]
            }
        );
        assert_eq!(
            (group.by, group.start, group.end),
            (GroupBy::Quarters, 45356.0, 45357.0)
        );
        assert!(matches!(&f[1].source, FieldSource::Range { group, .. } if group.interval == 10.0));
        assert!(matches!(&f[2].source, FieldSource::Unsupported(w) if w.contains("weeks")));
    }

    #[test]
    fn cache_records_hold_indices_and_values() {
        let xml = br##"<pivotCacheRecords count="2"><r><x v="0"/><n v="2.5"/><m/><b v="1"/><e v="#DIV/0!"/></r><r><x v="1"/><s v="a &amp; b"/><d v="2024-01-01T00:00:00"/></r></pivotCacheRecords>"##;
        let r = parse_cache_records(xml, "r", number).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0][0], CacheCell::Shared(0));
        assert_eq!(
            r[0][1],
            CacheCell::Inline(PivotValue::Number(Number::from_f64(2.5)))
        );
        assert_eq!(r[0][2], CacheCell::Inline(PivotValue::Missing));
        assert_eq!(r[0][3], CacheCell::Inline(PivotValue::Bool(true)));
        assert_eq!(
            r[0][4],
            CacheCell::Inline(PivotValue::Error(ErrorKind::Div0))
        );
        assert_eq!(r[1][1], CacheCell::Inline(PivotValue::Text("a & b".into())));
        assert_eq!(r[1][2], CacheCell::Inline(PivotValue::Date(45292.0)));
    }
}
