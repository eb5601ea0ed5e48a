//! For the patcher tests: an independent loader that builds the model
//! from calamine directly (values, formulas, style ids, sheet origins), so
//! the patcher is tested without our reader, and zip inspection.

use calamine::{open_workbook, DataRef, Reader, SheetType, SheetVisible, Xlsx};
use sheetscript::model::sheet::SheetOrigin;
use sheetscript::model::{
    Cell, CellAddr, DateKind, DateSystem, DateValue, DefinedName, ErrorKind, Number, Sheet, Style,
    StyleTable, Value, Visibility, Workbook,
};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Loads an xlsx/xlsm into the model the way the reader does (cells not
/// marked changed, style ids equal to the file's cellXfs indices).
pub fn load(path: &Path) -> Result<Workbook, String> {
    let mut xlsx: Xlsx<_> = open_workbook(path).map_err(|e: calamine::XlsxError| e.to_string())?;
    let offset = if xlsx.has_1904_epoch() { 1462.0 } else { 0.0 };
    let mut wb = Workbook::new();
    if offset > 0.0 {
        wb.date_system = DateSystem::Excel1904;
    }
    let metadata = xlsx.sheets_metadata().to_vec();
    for (index, meta) in metadata.iter().enumerate() {
        if meta.typ != SheetType::WorkSheet {
            continue;
        }
        let mut sheet = Sheet::new(meta.name.clone());
        sheet.visibility = match meta.visible {
            SheetVisible::Visible => Visibility::Visible,
            SheetVisible::Hidden => Visibility::Hidden,
            SheetVisible::VeryHidden => Visibility::VeryHidden,
        };
        sheet.origin = Some(SheetOrigin {
            name: meta.name.clone(),
            index,
        });
        let formulas = xlsx
            .worksheet_formula(&meta.name)
            .map_err(|e| e.to_string())?;
        let mut cells: BTreeMap<CellAddr, Cell> = BTreeMap::new();
        {
            let mut reader = xlsx
                .worksheet_cells_reader(&meta.name)
                .map_err(|e| e.to_string())?;
            while let Some((cell, style)) = reader
                .next_cell_with_style_id()
                .map_err(|e| e.to_string())?
            {
                let (r, c) = cell.get_position();
                let value = convert(cell.get_value(), offset);
                cells.insert(
                    CellAddr::new(r, c),
                    Cell {
                        value,
                        formula: None,
                        style: style as u32,
                    },
                );
            }
        }
        for (r, c, f) in formulas.used_cells() {
            if !f.is_empty() {
                let (r, c) = (
                    r as u32 + formulas.start().unwrap().0,
                    c as u32 + formulas.start().unwrap().1,
                );
                cells.entry(CellAddr::new(r, c)).or_default().formula = Some(f.as_str().into());
            }
        }
        for (addr, cell) in cells {
            sheet.load_cell(addr, cell);
        }
        wb.sheets.push(sheet);
    }
    let sheet_names: Vec<String> = metadata.iter().map(|m| m.name.clone()).collect();
    wb.names = defined_names(path, &sheet_names)?;
    wb.styles = StyleTable::from_palette(file_styles(path)?);
    Ok(wb)
}

fn part(path: &Path, name: &str) -> Result<Option<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    let Ok(mut f) = archive.by_name(name) else {
        return Ok(None);
    };
    let mut text = String::new();
    f.read_to_string(&mut text).map_err(|e| e.to_string())?;
    Ok(Some(text))
}

/// Defined names with their scopes (calamine drops `localSheetId`).
fn defined_names(path: &Path, sheets: &[String]) -> Result<Vec<DefinedName>, String> {
    let Some(xml) = part(path, "xl/workbook.xml")? else {
        return Ok(Vec::new());
    };
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut names = Vec::new();
    let mut current: Option<DefinedName> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) if e.local_name().as_ref() == "definedName" => {
                let mut name = DefinedName {
                    name: String::new(),
                    scope: None,
                    refers_to: String::new(),
                };
                for a in e.attributes().flatten() {
                    match a.key.as_ref() {
                        "name" => name.name = a.value.to_string(),
                        "localSheetId" => {
                            name.scope = a
                                .value
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| sheets.get(i).cloned())
                        }
                        _ => {}
                    }
                }
                current = Some(name);
            }
            quick_xml::events::Event::Text(t) => {
                if let Some(n) = &mut current {
                    n.refers_to.push_str(&t);
                }
            }
            quick_xml::events::Event::GeneralRef(r) => {
                if let Some(n) = &mut current {
                    n.refers_to
                        .push_str(&quick_xml::escape::unescape(&format!("&{};", &*r)).unwrap());
                }
            }
            quick_xml::events::Event::End(e) if e.local_name().as_ref() == "definedName" => {
                names.extend(current.take());
            }
            _ => {}
        }
    }
    Ok(names)
}

/// One placeholder style per cell format of the file, so that ids match
/// the file's cellXfs indices as the reader's do and new styles get ids
/// past them.
fn file_styles(path: &Path) -> Result<Vec<Style>, String> {
    let count = part(path, "xl/styles.xml")?
        .and_then(|xml| {
            let start = xml.find("<cellXfs")?;
            let end = xml[start..].find("</cellXfs>")? + start;
            Some(xml[start..end].matches("<xf").count())
        })
        .unwrap_or(1);
    Ok((0..count.max(1))
        .map(|i| {
            if i == 0 {
                Style::default()
            } else {
                Style::with_number_format(&format!("\\file style {i}"))
            }
        })
        .collect())
}

fn convert(data: &DataRef<'_>, offset: f64) -> Value {
    match data {
        DataRef::Int(i) => Value::Number(Number::from_i64(*i)),
        DataRef::Float(f) => Value::from_f64(*f),
        DataRef::String(s) => Value::text(s.as_str()),
        DataRef::SharedString(s) => Value::text(*s),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) => Value::Date(DateValue {
            serial: d.as_f64() + offset,
            kind: if d.is_duration() {
                DateKind::Duration
            } else {
                DateKind::DateTime
            },
        }),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::text(s.as_str()),
        DataRef::Error(e) => {
            Value::Error(ErrorKind::parse(&e.to_string()).unwrap_or(ErrorKind::Value))
        }
        DataRef::Empty => Value::Empty,
    }
}

/// Every entry of a zip: name, CRC, compressed size and uncompressed
/// bytes, in archive order.
pub struct Entry {
    /// The entry's name in the archive.
    pub name: String,
    /// Its CRC-32 as stored.
    pub crc: u32,
    /// Its compressed size.
    pub compressed: u64,
    /// Its uncompressed bytes.
    pub bytes: Vec<u8>,
}

/// Every entry of the zip at `path`, in archive order.
pub fn entries(path: &Path) -> Vec<Entry> {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            Entry {
                name: f.name().unwrap().to_string(),
                crc: f.crc32(),
                compressed: f.compressed_size(),
                bytes,
            }
        })
        .collect()
}

/// Reads one value back with calamine (an independent reader).
pub fn read_back(path: &Path, sheet: &str, a1: &str) -> calamine::Data {
    let mut xlsx: Xlsx<_> = open_workbook(path).unwrap();
    let range = xlsx.worksheet_range(sheet).unwrap();
    let addr = CellAddr::parse(a1).unwrap();
    range
        .get_value((addr.row, addr.col))
        .cloned()
        .unwrap_or(calamine::Data::Empty)
}

/// Reads a formula back with calamine.
pub fn formula_back(path: &Path, sheet: &str, a1: &str) -> String {
    let mut xlsx: Xlsx<_> = open_workbook(path).unwrap();
    let range = xlsx.worksheet_formula(sheet).unwrap();
    let addr = CellAddr::parse(a1).unwrap();
    range
        .get_value((addr.row, addr.col))
        .cloned()
        .unwrap_or_default()
}

/// The text of one entry of a zip.
pub fn entry_text(path: &Path, name: &str) -> String {
    let entry = entries(path)
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{} has no {name}", path.display()));
    String::from_utf8(entry.bytes).unwrap()
}

/// Asserts that two packages hold the same entries, in the same order,
/// byte for byte (and, for raw copies, with the same compressed data).
pub fn assert_same_entries(before: &Path, after: &Path) {
    let before_entries = entries(before);
    let after_entries = entries(after);
    assert_eq!(
        before_entries.len(),
        after_entries.len(),
        "{}",
        before.display()
    );
    for (b, a) in before_entries.iter().zip(&after_entries) {
        assert_eq!(b.name, a.name, "{}", before.display());
        assert_eq!(
            (b.crc, b.compressed),
            (a.crc, a.compressed),
            "{}: {}",
            before.display(),
            b.name
        );
        assert!(
            b.bytes == a.bytes,
            "{}: {} changed",
            before.display(),
            b.name
        );
    }
}

/// The xlsx/xlsm files of the calamine corpus, or `None` (after
/// [`super::external::skip`]) when the corpus is absent.
pub fn corpus_files() -> Option<Vec<std::path::PathBuf>> {
    super::external::corpus_files("calamine", &["xlsx", "xlsm"])
}

/// Asserts that the package at `path` is consistent: every relationship
/// of every `.rels` part points at an entry that exists (external ones
/// aside), and every entry has a content type (an override, or a default
/// for its extension). Excel repairs a file that breaks either.
pub fn assert_consistent_package(path: &Path) {
    let problems = package_problems(path);
    assert!(
        problems.is_empty(),
        "{}: {}",
        path.display(),
        problems.join("; ")
    );
}

/// What [`assert_consistent_package`] finds wrong with the package at
/// `path`: relationships to missing parts, parts without a content type.
pub fn package_problems(path: &Path) -> Vec<String> {
    use quick_xml::events::Event;
    let mut problems = Vec::new();
    let all = entries(path);
    let names: std::collections::HashSet<String> =
        all.iter().map(|e| e.name.to_lowercase()).collect();
    let attrs_of = |xml: &[u8], element: &str| -> Vec<BTreeMap<String, String>> {
        let mut reader = quick_xml::Reader::from_reader(xml);
        let mut out = Vec::new();
        loop {
            match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == element => {
                    out.push(
                        e.attributes()
                            .flatten()
                            .map(|a| {
                                (
                                    a.key.local_name().as_ref().to_string(),
                                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                        .unwrap()
                                        .to_string(),
                                )
                            })
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        out
    };
    let types = all
        .iter()
        .find(|e| e.name == "[Content_Types].xml")
        .expect("a [Content_Types].xml");
    let defaults: Vec<String> = attrs_of(&types.bytes, "Default")
        .iter()
        .map(|a| a["Extension"].to_lowercase())
        .collect();
    let overrides: Vec<String> = attrs_of(&types.bytes, "Override")
        .iter()
        .map(|a| a["PartName"].trim_start_matches('/').to_lowercase())
        .collect();
    for o in overrides.iter().filter(|o| !names.contains(*o)) {
        problems.push(format!("override for missing part {o}"));
    }
    for e in all.iter().filter(|e| !e.name.ends_with('/')) {
        if e.name == "[Content_Types].xml" {
            continue;
        }
        let ext = e.name.rsplit('.').next().unwrap_or_default().to_lowercase();
        if !(overrides.contains(&e.name.to_lowercase()) || defaults.contains(&ext)) {
            problems.push(format!("{} has no content type", e.name));
        }
        if !e.name.ends_with(".rels") {
            continue;
        }
        // `dir/_rels/part.rels` holds the relationships of `dir/part`.
        let Some((dir, _)) = e.name.rsplit_once("_rels/") else {
            problems.push(format!("{} is outside a _rels folder", e.name));
            continue;
        };
        for rel in attrs_of(&e.bytes, "Relationship") {
            if rel.get("TargetMode").is_some_and(|m| m == "External") {
                continue;
            }
            let Some(target) = rel.get("Target") else {
                problems.push(format!("{} has a relationship without a target", e.name));
                continue;
            };
            let mut parts: Vec<&str> = match target.strip_prefix('/') {
                Some(_) => Vec::new(),
                None => dir
                    .trim_end_matches('/')
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .collect(),
            };
            for seg in target.trim_start_matches('/').split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            let resolved = parts.join("/").to_lowercase();
            if !names.contains(&resolved) {
                problems.push(format!(
                    "{} points at missing {resolved} ({})",
                    e.name,
                    rel.get("Id").map_or("", String::as_str)
                ));
            }
        }
    }
    problems
}
