//! Charts, highlights, frozen panes and filters written back into the
//! user's package.
//!
//! The XML comes from rust_xlsxwriter, not from us: the sheets with
//! something to add are given the same charts and conditional formats on
//! a scratch workbook of the same sheet names (and column widths, and the
//! charted values for the charts' caches), saved in memory, and what it
//! produced is transplanted:
//! - its chart parts, verbatim, under part names free in the package;
//! - its drawing's anchors, with fresh relationship and shape ids, into
//!   the sheet's own drawing when it has one (the user's anchors stay
//!   byte for byte), else its drawing part as a new one;
//! - its `<conditionalFormatting>` elements, with `dxfId`s moved past the
//!   file's own, and its `<dxf>` styles appended to the file's `<dxfs>`;
//! - its `<pane>` and `<selection>` for frozen panes.
//!
//! A chart is replaced, not stacked, on a re-run: an anchor of the sheet's
//! drawing that holds a chart a script made (its alt text ends with
//! [`MADE_BY`]) and whose shape name is the name of a chart being added is
//! removed with its chart part. The user's own charts are never removed,
//! whatever their names.

use super::sheet_list::{NewPart, Slot};
use super::zip_io::SourcePackage;
use super::Action;
use crate::io::ooxml::content_types::{CT_CHART, CT_DRAWING};
use crate::io::ooxml::part_names::{relative_target, rels_part_for, resolve_target};
use crate::io::ooxml::relationships::{
    parse_rels, rewrite_rels, EMPTY_RELS, REL_CHART, REL_DRAWING,
};
use crate::io::ooxml::xml::attr;
use crate::io::ooxml::PackageError;
use crate::io::write::visuals::{place_visuals, MADE_BY};
use crate::model::{RangeAddr, Value, Workbook};
use quick_xml::events::Event;
use quick_xml::Reader;
use regex::bytes::Regex;
use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::ops::Range;

/// The SpreadsheetML namespace, declared on elements we insert into a part
/// that binds it to a prefix rather than as the default.
pub(crate) const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// What a worksheet part gets: elements to insert as the sheet rewriter
/// streams it. Each element is unprefixed XML in the main namespace.
#[derive(Debug, Default)]
pub(super) struct SheetVisualEdit {
    /// `<pane>` and `<selection>` for the first `<sheetView>`.
    pub(super) pane: Vec<Vec<u8>>,
    /// A new `<autoFilter>`, replacing the sheet's.
    pub(super) auto_filter: Option<RangeAddr>,
    /// `<conditionalFormatting>` elements, after the sheet's own.
    pub(super) conditional: Vec<Vec<u8>>,
    /// The relationship id of a new drawing part, for `<drawing r:id>`.
    pub(super) drawing_rid: Option<String>,
}

/// The package changes that carry the run's charts and highlights.
#[derive(Default)]
pub(super) struct VisualPlan {
    /// Content-type overrides to add, `(part, type)`.
    pub(super) content_types: Vec<(String, String)>,
    /// Parts to leave out: charts replaced by a re-run.
    pub(super) drop: Vec<String>,
    /// Worksheet edits by model sheet index.
    pub(super) sheet_edits: HashMap<usize, SheetVisualEdit>,
}

/// What the patcher knows when it adds visuals.
pub(super) struct VisualContext<'a> {
    /// The styles part, if the package has one.
    pub(super) styles_part: Option<String>,
    /// The worksheet part of each model sheet that has one.
    pub(super) sheet_parts: HashMap<usize, String>,
    /// Worksheet parts the run adds.
    pub(super) new_parts: &'a [NewPart],
}

fn err(part: &str, e: impl std::fmt::Display) -> PackageError {
    PackageError::part(part, e)
}

/// The byte ranges of the elements whose ancestors' local names are
/// `path` (the root first), with their local names.
fn children_at(
    xml: &[u8],
    part: &str,
    path: &[&str],
) -> Result<Vec<(String, Range<usize>)>, PackageError> {
    // The reader skips a byte order mark in its positions: parse without
    // it and count it back in.
    let bom = if xml.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let out = elements_at(&xml[bom..], part, path)?;
    Ok(out
        .into_iter()
        .map(|(n, r)| (n, r.start + bom..r.end + bom))
        .collect())
}

fn elements_at(
    xml: &[u8],
    part: &str,
    path: &[&str],
) -> Result<Vec<(String, Range<usize>)>, PackageError> {
    let mut reader = Reader::from_reader(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut open: Option<(String, usize)> = None;
    let mut out = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| PackageError::xml(part, e))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if open.is_none() && stack == path {
                    open = Some((name.clone(), before));
                }
                stack.push(name);
            }
            Event::Empty(e) if open.is_none() && stack == path => {
                let name = e.local_name().as_ref().to_string();
                out.push((name, before..reader.buffer_position() as usize));
            }
            Event::End(_) => {
                stack.pop();
                if stack.len() == path.len() {
                    if let Some((name, start)) = open.take() {
                        out.push((name, start..reader.buffer_position() as usize));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The root element's local name.
fn root_name(xml: &[u8], part: &str) -> Result<String, PackageError> {
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader
            .read_event()
            .map_err(|e| PackageError::xml(part, e))?
        {
            Event::Start(e) | Event::Empty(e) => return Ok(e.local_name().as_ref().to_string()),
            Event::Eof => return Err(err(part, "no root element")),
            _ => {}
        }
    }
}

/// The elements at `path` of `xml` whose local name is `name`, as bytes.
fn elements(
    xml: &[u8],
    part: &str,
    path: &[&str],
    name: &str,
) -> Result<Vec<Vec<u8>>, PackageError> {
    Ok(children_at(xml, part, path)?
        .into_iter()
        .filter(|(n, _)| n == name)
        .map(|(_, r)| xml[r].to_vec())
        .collect())
}

/// `element` (one element's XML) with `attrs` (` name="value"` text)
/// added to its start tag.
pub(super) fn with_attrs(element: &[u8], attrs: &str) -> Vec<u8> {
    let end = element
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(element.len());
    let mut out = element[..end].to_vec();
    out.extend_from_slice(attrs.as_bytes());
    out.extend_from_slice(&element[end..]);
    out
}

/// The scratch workbook: every sheet of `workbook` by name (with its
/// column widths, so anchors span the same columns), and on the sheets in
/// `with` their visuals and the values their charts show.
fn scratch_package(workbook: &Workbook, with: &[usize]) -> Result<Vec<u8>, String> {
    let mut book = rust_xlsxwriter::Workbook::new();
    // Values the charts refer to, by sheet: their caches hold them.
    let mut charted: HashMap<String, Vec<RangeAddr>> = HashMap::new();
    for &i in with {
        for chart in &workbook.sheets[i].visuals.charts {
            let ranges = chart
                .series
                .iter()
                .flat_map(|s| std::iter::once(&s.values).chain(s.name.as_ref()))
                .chain(chart.categories.as_ref());
            for r in ranges {
                charted
                    .entry(r.sheet.to_lowercase())
                    .or_default()
                    .push(r.range);
            }
        }
    }
    for (i, sheet) in workbook.sheets.iter().enumerate() {
        let ws = book.add_worksheet();
        let needed = with.contains(&i) || charted.contains_key(&sheet.name.to_lowercase());
        if let Err(e) = ws.set_name(&sheet.name) {
            // A name the file has but rust_xlsxwriter refuses matters only
            // to a sheet a chart shows or that gets visuals.
            if needed {
                return Err(format!("sheet \"{}\": {e}", sheet.name));
            }
            ws.set_name(format!("_scratch{i}"))
                .map_err(|e| e.to_string())?;
        }
        for (col, width) in &sheet.column_widths {
            if let Ok(c) = u16::try_from(*col) {
                let _ = ws.set_column_width(c, *width);
            }
        }
        for range in charted
            .get(&sheet.name.to_lowercase())
            .into_iter()
            .flatten()
        {
            let cells = (range.start.row..=range.end.row).flat_map(|r| {
                (range.start.col..=range.end.col).map(move |c| crate::model::CellAddr::new(r, c))
            });
            for addr in cells {
                let col = addr.col as u16;
                let _ = match sheet.value(addr) {
                    Value::Number(n) => ws.write_number(addr.row, col, n.to_f64()),
                    Value::Date(d) => {
                        ws.write_number(addr.row, col, workbook.date_system.number_of(d))
                    }
                    Value::Empty => continue,
                    v => ws.write_string(addr.row, col, v.to_string()),
                };
            }
        }
        if with.contains(&i) {
            place_visuals(ws, &sheet.visuals)
                .map_err(|e| format!("sheet \"{}\": {e}", sheet.name))?;
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// The parts of the scratch package, read whole.
struct Scratch {
    parts: HashMap<String, Vec<u8>>,
}

impl Scratch {
    fn open(bytes: Vec<u8>) -> Result<Scratch, PackageError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err("scratch", e))?;
        let mut parts = HashMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).map_err(|e| err("scratch", e))?;
            let mut data = Vec::new();
            f.read_to_end(&mut data).map_err(|e| err("scratch", e))?;
            parts.insert(f.name().map_err(|e| err("scratch", e))?.into_owned(), data);
        }
        Ok(Scratch { parts })
    }

    fn get(&self, part: &str) -> Result<&[u8], PackageError> {
        self.parts
            .get(part)
            .map(Vec::as_slice)
            .ok_or_else(|| err(part, "missing from the scratch workbook"))
    }
}

/// The bytes a part has after the changes planned so far: replaced, new,
/// or as in the source.
fn current(
    package: &mut SourcePackage,
    actions: &HashMap<String, Action>,
    entries: &[(String, Vec<u8>)],
    part: &str,
) -> Result<Option<Vec<u8>>, PackageError> {
    if let Some(Action::Replace(b)) = actions.get(part) {
        return Ok(Some(b.clone()));
    }
    if let Some((_, b)) = entries.iter().find(|(n, _)| n == part) {
        return Ok(Some(b.clone()));
    }
    package.read(part)
}

/// Stores the new bytes of a part: a source part is replaced, a new one
/// written after the source's entries.
fn store(
    package: &SourcePackage,
    actions: &mut HashMap<String, Action>,
    entries: &mut Vec<(String, Vec<u8>)>,
    part: &str,
    bytes: Vec<u8>,
) {
    if package.by_name.contains_key(part) {
        actions.insert(part.to_string(), Action::Replace(bytes));
    } else if let Some(e) = entries.iter_mut().find(|(n, _)| n == part) {
        e.1 = bytes;
    } else {
        entries.push((part.to_string(), bytes));
    }
}

/// A relationship id not in `taken`, which it joins.
fn free_rid(taken: &mut HashSet<String>) -> String {
    let mut n = 1usize;
    loop {
        let rid = format!("rId{n}");
        if taken.insert(rid.clone()) {
            return rid;
        }
        n += 1;
    }
}

/// A part name `{stem}{n}.xml` not in `taken`, which it joins.
fn free_part(taken: &mut HashSet<String>, stem: &str) -> String {
    let mut n = 1usize;
    loop {
        let part = format!("{stem}{n}.xml");
        if taken.insert(part.to_lowercase()) {
            return part;
        }
        n += 1;
    }
}

/// Plans the package changes for every sheet with visuals: new chart and
/// drawing parts (in `entries`), rewritten drawings, relationships and
/// styles (in `actions`), and the worksheet edits the sheet rewriter
/// makes. A sheet that only changes in its visuals is streamed too.
pub(super) fn plan_visuals(
    package: &mut SourcePackage,
    workbook: &Workbook,
    cx: &VisualContext<'_>,
    actions: &mut HashMap<String, Action>,
    entries: &mut Vec<(String, Vec<u8>)>,
    warnings: &mut Vec<String>,
) -> Result<VisualPlan, PackageError> {
    let mut plan = VisualPlan::default();
    let with: Vec<usize> = (0..workbook.sheets.len())
        .filter(|&i| !workbook.sheets[i].visuals.is_empty() && cx.sheet_parts.contains_key(&i))
        .collect();
    for (i, s) in workbook.sheets.iter().enumerate() {
        if !s.visuals.is_empty() && !cx.sheet_parts.contains_key(&i) {
            warnings.push(format!(
                "sheet \"{}\" is not a worksheet of the file: its charts and highlights were \
                 not written",
                s.name
            ));
        }
    }
    if with.is_empty() {
        return Ok(plan);
    }
    let scratch = scratch_package(workbook, &with).map_err(|e| err("scratch workbook", e))?;
    let scratch = Scratch::open(scratch)?;
    let mut taken: HashSet<String> = package
        .normalized
        .iter()
        .map(|n| n.to_lowercase())
        .chain(entries.iter().map(|(n, _)| n.to_lowercase()))
        .collect();

    // Highlight styles: a scratch dxf the file already has (from an earlier
    // run) is shared, the others go after the file's own.
    let scratch_dxfs = elements(
        scratch.get("xl/styles.xml")?,
        "xl/styles.xml",
        &["styleSheet", "dxfs"],
        "dxf",
    )?;
    let mut dxf_index: Vec<usize> = (0..scratch_dxfs.len()).collect();
    if !scratch_dxfs.is_empty() {
        match &cx.styles_part {
            Some(part) => {
                let xml = current(package, actions, entries, part)?
                    .ok_or_else(|| err(part, "the styles part is missing"))?;
                let root = root_name(&xml, part)?;
                let existing = elements(&xml, part, &[&root, "dxfs"], "dxf")?;
                let mut new = Vec::new();
                for (i, dxf) in scratch_dxfs.iter().enumerate() {
                    dxf_index[i] = match existing.iter().position(|e| e == dxf) {
                        Some(at) => at,
                        None => {
                            new.push(dxf.clone());
                            existing.len() + new.len() - 1
                        }
                    };
                }
                if !new.is_empty() {
                    let (patched, _) = append_dxfs(&xml, part, &new)?;
                    store(package, actions, entries, part, patched);
                }
            }
            None => warnings.push(
                "the file has no styles part, so the highlights' colours were not written"
                    .to_string(),
            ),
        }
    }
    let dxf_id = Regex::new(r#"dxfId="(\d+)""#).expect("valid pattern");

    for &mi in &with {
        let sheet = &workbook.sheets[mi];
        let sheet_part = &cx.sheet_parts[&mi];
        let scratch_part = format!("xl/worksheets/sheet{}.xml", mi + 1);
        let scratch_xml = scratch.get(&scratch_part)?;
        let mut edit = SheetVisualEdit {
            auto_filter: sheet.visuals.filter,
            ..SheetVisualEdit::default()
        };
        if sheet.visuals.freeze.is_some() {
            let view = ["worksheet", "sheetViews", "sheetView"];
            for (name, r) in children_at(scratch_xml, &scratch_part, &view)? {
                if name == "pane" || name == "selection" {
                    edit.pane.push(scratch_xml[r].to_vec());
                }
            }
        }
        for cf in elements(
            scratch_xml,
            &scratch_part,
            &["worksheet"],
            "conditionalFormatting",
        )? {
            let moved = dxf_id.replace_all(&cf, |c: &regex::bytes::Captures<'_>| {
                let n: usize = std::str::from_utf8(&c[1])
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                let id = dxf_index.get(n).copied().unwrap_or(n);
                format!("dxfId=\"{id}\"").into_bytes()
            });
            edit.conditional.push(moved.into_owned());
        }
        if !sheet.visuals.charts.is_empty() {
            add_charts(
                package,
                &scratch,
                &scratch_part,
                sheet_part,
                sheet,
                actions,
                entries,
                &mut taken,
                &mut plan,
                &mut edit,
            )?;
        }
        if !cx.new_parts.iter().any(|p| p.name == *sheet_part) {
            actions
                .entry(sheet_part.clone())
                .or_insert(Action::Sheet(mi));
        }
        plan.sheet_edits.insert(mi, edit);
    }
    Ok(plan)
}

/// Moves the scratch sheet's charts into the package: into the sheet's own
/// drawing when it has one, else as a new drawing part.
#[allow(clippy::too_many_arguments)]
fn add_charts(
    package: &mut SourcePackage,
    scratch: &Scratch,
    scratch_part: &str,
    sheet_part: &str,
    sheet: &crate::model::Sheet,
    actions: &mut HashMap<String, Action>,
    entries: &mut Vec<(String, Vec<u8>)>,
    taken: &mut HashSet<String>,
    plan: &mut VisualPlan,
    edit: &mut SheetVisualEdit,
) -> Result<(), PackageError> {
    // The scratch drawing, its anchors and the chart each points at.
    let scratch_rels_part = rels_part_for(scratch_part);
    let scratch_rels = parse_rels(scratch.get(&scratch_rels_part)?, &scratch_rels_part)?;
    let Some(drawing_rel) = scratch_rels.iter().find(|r| r.is("drawing")) else {
        return Err(err(scratch_part, "the scratch sheet has no drawing"));
    };
    let scratch_drawing = resolve_target(scratch_part, &drawing_rel.target);
    let drawing_xml = scratch.get(&scratch_drawing)?;
    let drawing_rels_part = rels_part_for(&scratch_drawing);
    let drawing_rels = parse_rels(scratch.get(&drawing_rels_part)?, &drawing_rels_part)?;
    // Each scratch chart gets a free part name in the package.
    let mut chart_of_rid: Vec<(String, String)> = Vec::new();
    for rel in drawing_rels.iter().filter(|r| r.is("chart")) {
        let source = resolve_target(&scratch_drawing, &rel.target);
        let part = free_part(taken, "xl/charts/chart");
        entries.push((part.clone(), scratch.get(&source)?.to_vec()));
        plan.content_types
            .push((part.clone(), CT_CHART.to_string()));
        chart_of_rid.push((rel.id.clone(), part));
    }

    let sheet_rels_part = rels_part_for(sheet_part);
    let sheet_rels_xml = current(package, actions, entries, &sheet_rels_part)?;
    let sheet_rels = match &sheet_rels_xml {
        Some(xml) => parse_rels(xml, &sheet_rels_part)?,
        None => Vec::new(),
    };
    let existing = sheet_rels
        .iter()
        .find(|r| r.is("drawing") && !r.external)
        .map(|r| resolve_target(sheet_part, &r.target));
    match existing {
        Some(drawing) => {
            let xml = package
                .read(&drawing)?
                .ok_or_else(|| err(&drawing, "the sheet's drawing part is missing"))?;
            let rels_part = rels_part_for(&drawing);
            let rels_xml = current(package, actions, entries, &rels_part)?;
            let rels = match &rels_xml {
                Some(x) => parse_rels(x, &rels_part)?,
                None => Vec::new(),
            };
            let names: Vec<String> = sheet
                .visuals
                .charts
                .iter()
                .map(|c| c.name.to_lowercase())
                .collect();
            let anchors = children_at(&xml, &drawing, &[&root_name(&xml, &drawing)?])?;
            let mut max_id = 0u32;
            let mut removed: Vec<Range<usize>> = Vec::new();
            let mut drop_rids: HashSet<String> = HashSet::new();
            for (_, range) in &anchors {
                let shape = shape_of(&xml[range.clone()], &drawing)?;
                max_id = max_id.max(shape.max_id);
                if let (Some(name), Some(rid)) = (&shape.name, &shape.chart_rid) {
                    let ours = shape.descr.as_deref().is_some_and(|d| d.ends_with(MADE_BY));
                    if ours && names.contains(&name.to_lowercase()) {
                        removed.push(range.clone());
                        drop_rids.insert(rid.clone());
                    }
                }
            }
            // Replaced charts go with their own parts.
            for rel in rels.iter().filter(|r| drop_rids.contains(&r.id)) {
                let chart = resolve_target(&drawing, &rel.target);
                let chart_rels = rels_part_for(&chart);
                if let Some(x) = package.read(&chart_rels)? {
                    for r in parse_rels(&x, &chart_rels)?.iter().filter(|r| !r.external) {
                        plan.drop.push(resolve_target(&chart, &r.target));
                    }
                    plan.drop.push(chart_rels);
                }
                plan.drop.push(chart);
            }
            let mut rids: HashSet<String> = rels.iter().map(|r| r.id.clone()).collect();
            let mut add_rels = Vec::new();
            let mut new_anchors = Vec::new();
            let rid_attr = Regex::new(r#"r:id="([^"]+)""#).expect("valid pattern");
            let cnvpr_id = Regex::new(r#"(<xdr:cNvPr id=")(\d+)""#).expect("valid pattern");
            for (_, range) in children_at(drawing_xml, &scratch_drawing, &["wsDr"])? {
                let anchor = &drawing_xml[range];
                let mut out = anchor.to_vec();
                if let Some(c) = rid_attr.captures(anchor) {
                    let old = String::from_utf8_lossy(&c[1]).into_owned();
                    if let Some((_, part)) = chart_of_rid.iter().find(|(r, _)| *r == old) {
                        let rid = free_rid(&mut rids);
                        add_rels.push((
                            rid.clone(),
                            REL_CHART.to_string(),
                            relative_target(&drawing, part),
                        ));
                        out = rid_attr
                            .replace(&out, format!("r:id=\"{rid}\"").as_bytes())
                            .into_owned();
                    }
                }
                max_id += 1;
                out = cnvpr_id
                    .replace(&out, format!("${{1}}{max_id}\"").as_bytes())
                    .into_owned();
                // The file's drawing may bind these prefixes differently.
                new_anchors.push(with_attrs(
                    &out,
                    " xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing\" \
                     xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"",
                ));
            }
            let patched = splice_drawing(&xml, &anchors, &removed, &new_anchors.concat());
            actions.insert(drawing.clone(), Action::Replace(patched));
            let base = rels_xml.unwrap_or_else(|| EMPTY_RELS.to_vec());
            let rels_out = rewrite_rels(&base, &rels_part, &drop_rids, &add_rels)?;
            store(package, actions, entries, &rels_part, rels_out);
        }
        None => {
            let drawing = free_part(taken, "xl/drawings/drawing");
            entries.push((drawing.clone(), drawing_xml.to_vec()));
            plan.content_types
                .push((drawing.clone(), CT_DRAWING.to_string()));
            let add: Vec<(String, String, String)> = chart_of_rid
                .iter()
                .map(|(rid, part)| {
                    (
                        rid.clone(),
                        REL_CHART.to_string(),
                        relative_target(&drawing, part),
                    )
                })
                .collect();
            let rels = rewrite_rels(EMPTY_RELS, "drawing rels", &HashSet::new(), &add)?;
            entries.push((rels_part_for(&drawing), rels));
            let mut rids: HashSet<String> = sheet_rels.iter().map(|r| r.id.clone()).collect();
            let rid = free_rid(&mut rids);
            let base = sheet_rels_xml.unwrap_or_else(|| EMPTY_RELS.to_vec());
            let patched = rewrite_rels(
                &base,
                &sheet_rels_part,
                &HashSet::new(),
                &[(
                    rid.clone(),
                    REL_DRAWING.to_string(),
                    relative_target(sheet_part, &drawing),
                )],
            )?;
            store(package, actions, entries, &sheet_rels_part, patched);
            edit.drawing_rid = Some(rid);
        }
    }
    Ok(())
}

/// What one anchor of a drawing holds: its shape's name, the chart it
/// shows, and the largest shape id in it.
struct Shape {
    name: Option<String>,
    /// Its alt text.
    descr: Option<String>,
    chart_rid: Option<String>,
    max_id: u32,
}

fn shape_of(anchor: &[u8], part: &str) -> Result<Shape, PackageError> {
    let mut reader = Reader::from_reader(anchor);
    let mut shape = Shape {
        name: None,
        descr: None,
        chart_rid: None,
        max_id: 0,
    };
    loop {
        match reader
            .read_event()
            .map_err(|e| PackageError::xml(part, e))?
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "cNvPr" => {
                    let id = attr(&e, "id").and_then(|i| i.parse::<u32>().ok());
                    shape.max_id = shape.max_id.max(id.unwrap_or(0));
                    if shape.name.is_none() {
                        shape.name = attr(&e, "name");
                        shape.descr = attr(&e, "descr");
                    }
                }
                "chart" if shape.chart_rid.is_none() => shape.chart_rid = attr(&e, "id"),
                _ => {}
            },
            _ => {}
        }
    }
    Ok(shape)
}

/// The drawing without the `removed` anchors and with `added` before the
/// root's end tag; the rest byte for byte.
fn splice_drawing(
    xml: &[u8],
    anchors: &[(String, Range<usize>)],
    removed: &[Range<usize>],
    added: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len() + added.len());
    let mut at = 0usize;
    for r in removed {
        out.extend_from_slice(&xml[at..r.start]);
        at = r.end;
    }
    // The root's end tag follows the last anchor (or is the last tag).
    let end = anchors
        .last()
        .map(|(_, r)| r.end)
        .unwrap_or_else(|| xml.iter().rposition(|b| *b == b'<').unwrap_or(xml.len()))
        .max(at);
    out.extend_from_slice(&xml[at..end]);
    out.extend_from_slice(added);
    out.extend_from_slice(&xml[end..]);
    out
}

/// The styles part with `dxfs` appended to its `<dxfs>` (created where
/// the schema puts it if missing), and how many the file had before.
fn append_dxfs(xml: &[u8], part: &str, dxfs: &[Vec<u8>]) -> Result<(Vec<u8>, usize), PackageError> {
    let root = root_name(xml, part)?;
    let top = children_at(xml, part, &[&root])?;
    let prefix = root_prefix(xml, part)?;
    let qualify = |e: &Vec<u8>| {
        if prefix.is_empty() {
            e.clone()
        } else {
            with_attrs(e, &format!(" xmlns=\"{MAIN_NS}\""))
        }
    };
    let added: Vec<u8> = dxfs.iter().flat_map(qualify).collect();
    if let Some((_, r)) = top.iter().find(|(n, _)| n == "dxfs") {
        let existing = children_at(xml, part, &[&root, "dxfs"])?
            .iter()
            .filter(|(n, _)| n == "dxf")
            .count();
        let element = &xml[r.clone()];
        let total = existing + dxfs.len();
        let count = Regex::new(r#"\scount="\d*""#).expect("valid pattern");
        let start_end = element.iter().position(|b| *b == b'>').unwrap_or(0);
        let self_closing = element[..start_end].ends_with(b"/");
        let mut head = count.replace(&element[..start_end], &b""[..]).into_owned();
        if self_closing {
            head.pop();
        }
        let head = with_attrs(&head, &format!(" count=\"{total}\""));
        let mut out = xml[..r.start].to_vec();
        out.extend_from_slice(&head);
        out.push(b'>');
        if self_closing {
            out.extend_from_slice(&added);
            out.extend_from_slice(format!("</{prefix}dxfs>").as_bytes());
        } else {
            let close = element
                .iter()
                .rposition(|b| *b == b'<')
                .unwrap_or(element.len());
            out.extend_from_slice(&element[start_end + 1..close]);
            out.extend_from_slice(&added);
            out.extend_from_slice(&element[close..]);
        }
        out.extend_from_slice(&xml[r.end..]);
        return Ok((out, existing));
    }
    // No <dxfs>: before the first element the schema puts after it.
    let after = ["tableStyles", "colors", "extLst"];
    let at = top
        .iter()
        .find(|(n, _)| after.contains(&n.as_str()))
        .map(|(_, r)| r.start)
        .or_else(|| xml.iter().rposition(|b| *b == b'<'))
        .unwrap_or(xml.len());
    let mut out = xml[..at].to_vec();
    out.extend_from_slice(format!("<{prefix}dxfs count=\"{}\">", dxfs.len()).as_bytes());
    out.extend_from_slice(&added);
    out.extend_from_slice(format!("</{prefix}dxfs>").as_bytes());
    out.extend_from_slice(&xml[at..]);
    Ok((out, 0))
}

/// The root element's prefix with its colon (`"x:"`), or `""`.
fn root_prefix(xml: &[u8], part: &str) -> Result<String, PackageError> {
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader
            .read_event()
            .map_err(|e| PackageError::xml(part, e))?
        {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                return Ok(name
                    .split_once(':')
                    .map(|(p, _)| format!("{p}:"))
                    .unwrap_or_default());
            }
            Event::Eof => return Ok(String::new()),
            _ => {}
        }
    }
}

/// A `<conditionalFormatting>` element without its rules' priorities: two
/// that agree on this show the same cells in the same styles, so the run
/// does not add one the sheet already has (a re-run).
pub(super) fn rule_identity(element: &[u8]) -> Vec<u8> {
    let priority = Regex::new(r#"\spriority="\d*""#).expect("valid pattern");
    priority.replace_all(element, &b""[..]).into_owned()
}

/// The children of `<worksheet>` after `<sheetData>`, in the schema's
/// order (CT_Worksheet); `AlternateContent` wraps `oleObjects` or
/// `controls`.
const TAIL_ORDER: [&str; 33] = [
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// The place of a worksheet child (by local name) in [`TAIL_ORDER`];
/// `None` for one the schema does not name.
pub(super) fn tail_rank(local: &str) -> Option<usize> {
    let local = if local == "AlternateContent" {
        "oleObjects"
    } else {
        local
    };
    TAIL_ORDER.iter().position(|n| *n == local)
}

/// `element` ready for a worksheet whose SpreadsheetML elements carry
/// `prefix`: with a prefix, the main namespace is declared on it.
pub(super) fn qualified(element: &[u8], prefix: &str) -> Vec<u8> {
    if prefix.is_empty() {
        element.to_vec()
    } else {
        with_attrs(element, &format!(" xmlns=\"{MAIN_NS}\""))
    }
}

/// A `<sheetViews>` holding one view with the `pane` elements, for a
/// worksheet that has none.
pub(super) fn sheet_views(pane: &[Vec<u8>], prefix: &str) -> Vec<u8> {
    let mut out =
        format!("<{prefix}sheetViews><{prefix}sheetView workbookViewId=\"0\">").into_bytes();
    for element in pane {
        out.extend_from_slice(&qualified(element, prefix));
    }
    out.extend_from_slice(format!("</{prefix}sheetView></{prefix}sheetViews>").as_bytes());
    out
}

/// The elements `edit` adds after `<sheetData>`, each with its place in
/// [`TAIL_ORDER`]; `rel_prefix` is the prefix the worksheet binds to the
/// relationships namespace, if any.
pub(super) fn tail_elements(
    edit: &SheetVisualEdit,
    prefix: &str,
    rel_prefix: Option<&str>,
) -> Vec<(usize, Vec<u8>)> {
    let rank = |n: &str| tail_rank(n).expect("a schema element");
    let mut out = Vec::new();
    if let Some(range) = edit.auto_filter {
        let element = format!("<{prefix}autoFilter ref=\"{}\"/>", range.to_a1());
        out.push((rank("autoFilter"), element.into_bytes()));
    }
    for cf in &edit.conditional {
        out.push((rank("conditionalFormatting"), qualified(cf, prefix)));
    }
    if let Some(rid) = &edit.drawing_rid {
        let (r, declare) = match rel_prefix {
            Some(r) => (r.to_string(), String::new()),
            None => (
                "r".to_string(),
                " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
                    .to_string(),
            ),
        };
        let element = format!("<{prefix}drawing{declare} {r}:id=\"{rid}\"/>");
        out.push((rank("drawing"), element.into_bytes()));
    }
    out
}

/// The slots' model sheets and the worksheet part each continues.
pub(super) fn model_sheet_parts(
    slots: &[Slot],
    part_of_entry: &dyn Fn(usize) -> Option<(String, bool)>,
    new_parts: &[NewPart],
) -> HashMap<usize, String> {
    let mut out: HashMap<usize, String> = HashMap::new();
    for slot in slots {
        if let Slot::Model(mi, Some(e)) = slot {
            if let Some((part, true)) = part_of_entry(*e) {
                out.insert(*mi, part);
            }
        }
    }
    for p in new_parts {
        out.insert(p.model_index, p.name.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dxfs_are_appended_with_their_count() {
        let dxf = vec![b"<dxf><font><b/></font></dxf>".to_vec()];
        let xml = br#"<styleSheet xmlns="m"><cellXfs count="1"><xf/></cellXfs><dxfs count="1"><dxf><fill/></dxf></dxfs><tableStyles count="0"/></styleSheet>"#;
        let (out, base) = append_dxfs(xml, "s", &dxf).unwrap();
        assert_eq!(base, 1);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<styleSheet xmlns="m"><cellXfs count="1"><xf/></cellXfs><dxfs count="2"><dxf><fill/></dxf><dxf><font><b/></font></dxf></dxfs><tableStyles count="0"/></styleSheet>"#
        );
        let xml = br#"<x:styleSheet xmlns:x="m"><x:dxfs count="0"/></x:styleSheet>"#;
        let (out, base) = append_dxfs(xml, "s", &dxf).unwrap();
        assert_eq!(base, 0);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(
                r#"<x:styleSheet xmlns:x="m"><x:dxfs count="1"><dxf xmlns="{MAIN_NS}"><font><b/></font></dxf></x:dxfs></x:styleSheet>"#
            )
        );
        let xml =
            br#"<styleSheet xmlns="m"><cellXfs count="1"><xf/></cellXfs><extLst/></styleSheet>"#;
        let (out, _) = append_dxfs(xml, "s", &dxf).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains(r#"</cellXfs><dxfs count="1"><dxf><font><b/></font></dxf></dxfs><extLst/>"#));
    }

    #[test]
    fn a_drawing_loses_replaced_anchors_and_gains_new_ones() {
        let xml = br#"<xdr:wsDr xmlns:xdr="d"><xdr:oneCellAnchor><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="4" name="Logo"/></xdr:nvPicPr></xdr:pic></xdr:oneCellAnchor><xdr:twoCellAnchor><xdr:graphicFrame><xdr:nvGraphicFramePr><xdr:cNvPr id="7" name="Ageing"/></xdr:nvGraphicFramePr><c:chart xmlns:c="c" xmlns:r="r" r:id="rId2"/></xdr:graphicFrame></xdr:twoCellAnchor></xdr:wsDr>"#;
        let anchors = children_at(xml, "d", &["wsDr"]).unwrap();
        assert_eq!(anchors.len(), 2);
        let logo = shape_of(&xml[anchors[0].1.clone()], "d").unwrap();
        assert_eq!(
            (logo.name.as_deref(), logo.chart_rid, logo.max_id),
            (Some("Logo"), None, 4)
        );
        let chart = shape_of(&xml[anchors[1].1.clone()], "d").unwrap();
        assert_eq!(chart.chart_rid.as_deref(), Some("rId2"));
        let out = splice_drawing(xml, &anchors, &[anchors[1].1.clone()], b"<new/>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<xdr:wsDr xmlns:xdr="d"><xdr:oneCellAnchor><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="4" name="Logo"/></xdr:nvPicPr></xdr:pic></xdr:oneCellAnchor><new/></xdr:wsDr>"#
        );
    }
}
