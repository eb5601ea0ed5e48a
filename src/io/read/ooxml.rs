//! What calamine does not expose from an xlsx/xlsm package, read from the
//! zip parts directly: defined names with their sheet scope, Excel tables
//! with header and totals rows, and the package features only the xlsx
//! patcher can carry (charts, pivots, macros...).

use crate::model::{DefinedName, RangeAddr, Table};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use zip::ZipArchive;

/// The parts of an OOXML package the model keeps beside the cells.
#[derive(Debug, Default)]
pub(crate) struct PackageInfo {
    /// Defined names with their scope.
    pub names: Vec<DefinedName>,
    /// Excel tables, with the sheet named as in the file.
    pub tables: Vec<Table>,
    /// Plain-words list of what only the patcher carries.
    pub features: Vec<String>,
    /// Column widths by sheet position in the file (sheets that set any).
    pub column_widths: Vec<(usize, BTreeMap<u32, f64>)>,
}

/// Largest part read into memory for metadata (workbook, rels, tables);
/// a bigger one is a hostile file, not a workbook.
const MAX_META_PART: u64 = 64 << 20;
/// Sheets up to this size are scanned for conditional formats and data
/// validation; bigger ones are skipped to keep reading fast.
const MAX_SCANNED_SHEET: u64 = 8 << 20;

/// Reads names, tables and features from the package at `path`.
/// `sheet_names` are the sheet names in workbook order, as calamine read
/// them (a name's `localSheetId` is a position in this list).
pub(crate) fn inspect(file: File, sheet_names: &[String]) -> Result<PackageInfo, String> {
    let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let entries: Vec<String> = zip_names(&zip);
    let lookup: HashMap<String, String> = entries
        .iter()
        .map(|n| (n.to_ascii_lowercase(), n.clone()))
        .collect();

    let (workbook_part, workbook_xml) = workbook_part(&mut zip, &lookup)?;
    let (sheet_rids, names) = parse_workbook(&workbook_xml, sheet_names)?;
    let rel_target = workbook_targets(&mut zip, &lookup, &workbook_part)?;

    let mut tables = Vec::new();
    let mut column_widths = Vec::new();
    let mut conditional = 0usize;
    let mut validation = 0usize;
    for (i, rid) in sheet_rids.iter().enumerate() {
        let (Some(sheet_name), Some(part)) = (sheet_names.get(i), rel_target.get(rid)) else {
            continue;
        };
        let sheet_dir = parent_dir(part);
        for (ty, _, target) in read_rels(&mut zip, &lookup, &rels_path(part))? {
            if ty.ends_with("/table") {
                let table_part = resolve(&sheet_dir, &target);
                if let Some(xml) = read_part(&mut zip, &lookup, &table_part)? {
                    if let Some(t) = parse_table(&xml, sheet_name)? {
                        tables.push(t);
                    }
                }
            }
        }
        if let Some(name) = lookup.get(&part.to_ascii_lowercase()) {
            if let Ok(entry) = zip.by_name(name) {
                let scan = entry.size() <= MAX_SCANNED_SHEET;
                let mut reader = Reader::from_reader(BufReader::new(entry));
                let widths = read_column_widths(&mut reader);
                if !widths.is_empty() {
                    column_widths.push((i, widths));
                }
                // The rest of the sheet, after its cells, holds conditional
                // formats and validation rules.
                let mut rest = Vec::new();
                if scan && reader.into_inner().read_to_end(&mut rest).is_ok() {
                    conditional += usize::from(contains(&rest, b"conditionalFormatting"));
                    validation += usize::from(contains(&rest, b"dataValidation"));
                }
            }
        }
    }

    let features = package_features(&entries, conditional, validation);
    Ok(PackageInfo {
        names,
        tables,
        features,
        column_widths,
    })
}

/// Column widths from a sheet's `<cols>`, which comes before its cells;
/// reading stops at `<sheetData>` so the cells are not parsed twice.
fn read_column_widths<R: std::io::BufRead>(reader: &mut Reader<R>) -> BTreeMap<u32, f64> {
    let mut widths = BTreeMap::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "col" => {
                    let num = |n: &str| attr(&e, n).and_then(|v| v.parse::<f64>().ok());
                    if let (Some(min), Some(max), Some(width)) =
                        (num("min"), num("max"), num("width"))
                    {
                        let (min, max) = (min.max(1.0) as u32, max.min(16_384.0) as u32);
                        // A span over most of the grid marks a column style,
                        // not a width anyone set; it is kept by the patcher
                        // and not worth 16k map entries (or a hostile loop).
                        if max >= min && max - min < 1024 && widths.len() < 16_384 {
                            for col in min..=max {
                                widths.insert(col - 1, width);
                            }
                        }
                    }
                }
                "sheetData" => break,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    widths
}

/// The workbook part's path and XML.
fn workbook_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
) -> Result<(String, String), String> {
    let root_rels = read_rels(zip, lookup, "_rels/.rels")?;
    let part = root_rels
        .iter()
        .find(|(ty, _, _)| ty.ends_with("/officeDocument"))
        .map(|(_, _, target)| resolve("", target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let xml = read_part(zip, lookup, &part)?.unwrap_or_default();
    Ok((part, xml))
}

/// Relationship id to resolved part path, for the workbook's relationships.
fn workbook_targets<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
    workbook_part: &str,
) -> Result<HashMap<String, String>, String> {
    let wb_dir = parent_dir(workbook_part);
    Ok(read_rels(zip, lookup, &rels_path(workbook_part))?
        .into_iter()
        .map(|(_, id, target)| (id, resolve(&wb_dir, &target)))
        .collect())
}

/// A cell found by [`error_cells`]: row, column, error text (`None` when
/// the value is not an error) and formula.
pub(crate) type ErrorCell = (u32, u32, Option<String>, Option<String>);

/// Every cell with an error value (`t="e"`) or a shared formula in the
/// `index`-th sheet of the package, with its formula (shared formulas
/// expanded). Used for the error kinds calamine does not know, which also
/// hide the shared formula templates they anchor.
pub(crate) fn error_cells(path: &std::path::Path, index: usize) -> Result<Vec<ErrorCell>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|e| e.to_string())?;
    let lookup: HashMap<String, String> = zip_names(&zip)
        .into_iter()
        .map(|n| (n.to_ascii_lowercase(), n))
        .collect();
    let (wb_part, wb_xml) = workbook_part(&mut zip, &lookup)?;
    let (rids, _) = parse_workbook(&wb_xml, &[])?;
    let targets = workbook_targets(&mut zip, &lookup, &wb_part)?;
    let Some(part) = rids.get(index).and_then(|rid| targets.get(rid)) else {
        return Ok(Vec::new());
    };
    let Some(name) = lookup.get(&part.to_ascii_lowercase()) else {
        return Ok(Vec::new());
    };
    let entry = zip.by_name(name).map_err(|e| e.to_string())?;
    let mut reader = Reader::from_reader(BufReader::new(entry));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut templates: HashMap<String, (String, (u32, u32))> = HashMap::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut cell: Option<((u32, u32), bool)> = None;
    let mut formula: Option<String> = None;
    let mut value = String::new();
    let mut in_tag: Option<&'static str> = None;
    let mut shared: Option<(String, Option<String>)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "row" => {
                    if let Some(r) = attr(&e, "r").and_then(|r| r.parse::<u32>().ok()) {
                        row = r.saturating_sub(1);
                    }
                    col = 0;
                }
                "c" => {
                    if let Some(a) = attr(&e, "r").and_then(|r| crate::model::CellAddr::parse(&r)) {
                        row = a.row;
                        col = a.col;
                    }
                    let is_error = attr(&e, "t").is_some_and(|t| t == "e");
                    cell = Some(((row, col), is_error));
                    formula = None;
                    value.clear();
                    col += 1;
                }
                "f" => {
                    shared = (attr(&e, "t").is_some_and(|t| t == "shared"))
                        .then(|| (attr(&e, "si").unwrap_or_default(), attr(&e, "ref")));
                    formula = Some(String::new());
                    in_tag = Some("f");
                }
                "v" => in_tag = Some("v"),
                _ => {}
            },
            Event::Text(t) => match in_tag {
                Some("f") => formula
                    .get_or_insert_with(String::new)
                    .push_str(&t.xml10_content()),
                Some("v") => value.push_str(&t.xml10_content()),
                _ => {}
            },
            Event::GeneralRef(r) => {
                let text = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .map(String::from)
                    .or_else(|| quick_xml::escape::resolve_predefined_entity(&r).map(String::from))
                    .unwrap_or_default();
                match in_tag {
                    Some("f") => formula.get_or_insert_with(String::new).push_str(&text),
                    Some("v") => value.push_str(&text),
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "f" | "v" => in_tag = None,
                "c" => {
                    if let Some((pos, is_error)) = cell.take() {
                        let mut text = formula.take().filter(|f| !f.is_empty());
                        let is_shared = shared.is_some();
                        if let Some((si, range)) = shared.take() {
                            match &text {
                                Some(f) => {
                                    let start = range
                                        .and_then(|r| RangeAddr::parse(&r))
                                        .map_or(pos, |r| (r.start.row, r.start.col));
                                    templates.insert(si, (f.clone(), start));
                                }
                                None => {
                                    text = templates.get(&si).and_then(|(f, start)| {
                                        calamine::expand_shared_formula(f, *start, pos).ok()
                                    });
                                }
                            }
                        }
                        if is_error || is_shared {
                            let error = is_error.then(|| value.trim().to_string());
                            out.push((pos.0, pos.1, error, text));
                        }
                    }
                }
                "sheetData" => break,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// The entry names of a zip (names that fail to decode are skipped).
pub(crate) fn zip_names<R: Read + Seek>(zip: &ZipArchive<R>) -> Vec<String> {
    zip.file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The package features of any OOXML zip (xlsb too) from its entry names
/// alone; empty when the zip cannot be listed.
pub(crate) fn zip_features(path: &std::path::Path) -> Vec<String> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let Ok(zip) = ZipArchive::new(BufReader::new(file)) else {
        return Vec::new();
    };
    let entries: Vec<String> = zip_names(&zip);
    package_features(&entries, 0, 0)
}

/// Counts package parts by kind and names them in plain words.
fn package_features(entries: &[String], conditional: usize, validation: usize) -> Vec<String> {
    let lower: Vec<String> = entries.iter().map(|e| e.to_ascii_lowercase()).collect();
    let count = |dir: &str, ext: &str| {
        lower
            .iter()
            .filter(|e| e.contains(dir) && e.ends_with(ext) && !e.contains("/_rels/"))
            .count()
    };
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut out = Vec::new();
    let charts = count("/charts/chart", ".xml");
    if charts > 0 {
        out.push(plural(charts, "chart", "charts"));
    }
    let chartsheets = count("/chartsheets/", ".xml");
    if chartsheets > 0 {
        out.push(plural(chartsheets, "chart sheet", "chart sheets"));
    }
    let pictures = lower.iter().filter(|e| e.contains("/media/")).count();
    if pictures > 0 {
        out.push(plural(pictures, "picture", "pictures"));
    } else if count("/drawings/", ".xml") > 0 && charts == 0 {
        out.push("drawings (shapes)".to_string());
    }
    let pivots = count("/pivottables/", ".xml");
    if pivots > 0 {
        out.push(plural(pivots, "pivot table", "pivot tables"));
    }
    let comments = lower
        .iter()
        .filter(|e| {
            e.rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with("comments"))
        })
        .count();
    if comments > 0 {
        out.push(plural(
            comments,
            "sheet with comments",
            "sheets with comments",
        ));
    }
    if lower.iter().any(|e| e.contains("threadedcomments")) {
        out.push("threaded comments".to_string());
    }
    if lower.iter().any(|e| e.ends_with("vbaproject.bin")) {
        out.push("VBA macros".to_string());
    }
    if conditional > 0 {
        out.push(plural(
            conditional,
            "sheet with conditional formatting",
            "sheets with conditional formatting",
        ));
    }
    if validation > 0 {
        out.push(plural(
            validation,
            "sheet with data validation",
            "sheets with data validation",
        ));
    }
    if count("/externallinks/", ".xml") > 0 {
        out.push("external workbook links".to_string());
    }
    if count("/slicers/", ".xml") > 0 || count("/timelines/", ".xml") > 0 {
        out.push("slicers".to_string());
    }
    if lower.iter().any(|e| e.ends_with("connections.xml")) || count("/querytables/", ".xml") > 0 {
        out.push("data connections".to_string());
    }
    out
}

fn read_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
    part: &str,
) -> Result<Option<String>, String> {
    let Some(name) = lookup.get(&part.trim_start_matches('/').to_ascii_lowercase()) else {
        return Ok(None);
    };
    let entry = zip.by_name(name).map_err(|e| format!("{part}: {e}"))?;
    if entry.size() > MAX_META_PART {
        return Err(format!("{part} is implausibly large"));
    }
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry
        .take(MAX_META_PART)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{part}: {e}"))?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// `(type, id, target)` of each relationship in a rels part.
fn read_rels<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
    part: &str,
) -> Result<Vec<(String, String, String)>, String> {
    let Some(xml) = read_part(zip, lookup, part)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut reader = Reader::from_str(&xml);
    loop {
        match reader.read_event().map_err(|e| format!("{part}: {e}"))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                if !external {
                    out.push((
                        attr(&e, "Type").unwrap_or_default(),
                        attr(&e, "Id").unwrap_or_default(),
                        attr(&e, "Target").unwrap_or_default(),
                    ));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn parent_dir(part: &str) -> String {
    match part.rfind('/') {
        Some(i) => part[..i].to_string(),
        None => String::new(),
    }
}

fn rels_path(part: &str) -> String {
    let (dir, file) = match part.rfind('/') {
        Some(i) => (&part[..i], &part[i + 1..]),
        None => ("", part),
    };
    if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    }
}

/// Resolves a relationship target against the directory of its source
/// part (absolute targets start at the package root).
fn resolve(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Reads element text, resolving entity and character references.
fn element_text(reader: &mut Reader<&[u8]>, end: &str) -> Result<String, String> {
    let mut text = String::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    text.push_str(s);
                }
            }
            Event::End(e) if e.local_name().as_ref() == end => break,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(text)
}

/// The sheets' relationship ids in order, and the defined names.
fn parse_workbook(
    xml: &str,
    sheet_names: &[String],
) -> Result<(Vec<String>, Vec<DefinedName>), String> {
    let mut rids = Vec::new();
    let mut names = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(|e| format!("workbook: {e}"))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                rids.push(attr(&e, "id").unwrap_or_default());
            }
            Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                let name = attr(&e, "name").unwrap_or_default();
                let scope = attr(&e, "localSheetId")
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| sheet_names.get(i).cloned());
                let refers_to = element_text(&mut reader, "definedName")?;
                if !name.is_empty() {
                    names.push(DefinedName {
                        name,
                        scope,
                        refers_to: refers_to.trim_start_matches('=').to_string(),
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((rids, names))
}

/// One table part.
fn parse_table(xml: &str, sheet: &str) -> Result<Option<Table>, String> {
    let mut reader = Reader::from_str(xml);
    let mut table: Option<Table> = None;
    loop {
        match reader.read_event().map_err(|e| format!("table: {e}"))? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "table" => {
                let name = attr(&e, "displayName")
                    .or_else(|| attr(&e, "name"))
                    .unwrap_or_default();
                let Some(range) = attr(&e, "ref").and_then(|r| RangeAddr::parse(&r)) else {
                    return Ok(None);
                };
                let header = attr(&e, "headerRowCount").is_none_or(|c| c != "0");
                let totals = attr(&e, "totalsRowCount").is_some_and(|c| c != "0");
                table = Some(Table {
                    name,
                    sheet: sheet.to_string(),
                    range,
                    header_row: header,
                    totals_row: totals,
                    columns: Vec::new(),
                });
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "tableColumn" => {
                if let Some(t) = table.as_mut() {
                    t.columns.push(attr(&e, "name").unwrap_or_default());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_relative_and_absolute() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "../tables/table1.xml"),
            "xl/tables/table1.xml"
        );
        assert_eq!(
            resolve("xl/worksheets", "/xl/tables/table1.xml"),
            "xl/tables/table1.xml"
        );
        assert_eq!(rels_path("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
    }

    #[test]
    fn names_keep_their_sheet_scope() {
        let xml = r#"<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId2"/></sheets>
            <definedNames><definedName name="Rate">A!$B$2</definedName>
            <definedName name="Local" localSheetId="1">'R&amp;D'!$A$1:$A$3</definedName></definedNames></workbook>"#;
        let (rids, names) = parse_workbook(xml, &["A".into(), "B".into()]).unwrap();
        assert_eq!(rids, vec!["rId1", "rId2"]);
        assert_eq!(names[0].scope, None);
        assert_eq!(names[1].scope.as_deref(), Some("B"));
        assert_eq!(names[1].refers_to, "'R&D'!$A$1:$A$3");
    }

    #[test]
    fn tables_read_header_totals_and_columns() {
        let xml = r#"<table id="1" name="T" displayName="Sales" ref="A1:C5" totalsRowCount="1">
            <tableColumns count="3"><tableColumn id="1" name="Item"/><tableColumn id="2" name="Qty"/><tableColumn id="3" name="Price"/></tableColumns></table>"#;
        let t = parse_table(xml, "Data").unwrap().unwrap();
        assert_eq!(t.name, "Sales");
        assert!(t.header_row && t.totals_row);
        assert_eq!(t.columns, vec!["Item", "Qty", "Price"]);
        assert_eq!(t.data_range().to_a1(), "A2:C4");
    }
}
