//! The xlsx/xlsm package as the reader opens it: the sheet parts in
//! workbook order, shared strings, defined names with their sheet scope,
//! tables and hyperlink targets, through the shared [`crate::io::ooxml`]
//! layer; and the document language.

use super::features::package_features;
use super::shared_strings::{read_shared_strings, SharedStrings, SharedStringsError};
use crate::io::ooxml::external_links::{parse_external_link, ExternalLinkPart};
use crate::io::ooxml::metadata::{dynamic_array_cell_metadata, REL_SHEET_METADATA};
use crate::io::ooxml::part_names::{part_key, rels_part_for, resolve_target};
use crate::io::ooxml::pivots::{
    parse_cache_definition, parse_cache_records, parse_pivot_table, PivotTablePart,
    REL_PIVOT_CACHE, REL_PIVOT_TABLE,
};
use crate::io::ooxml::relationships::{parse_rels, Relationship};
use crate::io::ooxml::tables::parse_table_part;
use crate::io::ooxml::{package, workbook, PackageError};
use crate::io::read::limits::ReadLimits;
use crate::model::pivot::{PivotCache, PivotDataField, ShownAs, Summary};
use crate::model::{
    DefinedName, ErrorKind, ExternalBook, ExternalName, ExternalSheet, PivotTable, Table, Value,
};
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::sync::Arc;
use zip::ZipArchive;

/// An open xlsx/xlsm package: the zip, its part names, and what the
/// workbook part says (sheet parts in order, defined names).
pub(crate) struct Package {
    zip: ZipArchive<BufReader<File>>,
    lookup: HashMap<String, String>,
    entries: Vec<String>,
    workbook_part: String,
    names: Vec<workbook::WbName>,
    sheet_parts: Vec<Option<String>>,
    shared_strings_part: Option<String>,
    /// The metadata part, which tells dynamic-array formulas from legacy
    /// ones.
    metadata_part: Option<String>,
    /// The external link parts in `[n]` order (`None` where the workbook's
    /// relationship is missing).
    external_parts: Vec<Option<String>>,
    iteration: Option<crate::model::Iteration>,
    /// Pivot caches read so far, by part name: pivot tables of one cache
    /// share it.
    pivot_caches: HashMap<String, Arc<PivotCache>>,
}

/// Sheets up to this size are unpacked into memory and parsed in place,
/// which is faster than streaming; bigger ones are streamed, so a big
/// sheet's XML is never held beside its model. Measured on a 100k x 10
/// write-back (read, change a column, patch): unpacking the whole sheet
/// took 0.99x the time and 1.78x the peak memory of a plain calamine read
/// plus rust_xlsxwriter write; streaming it took 1.10x and 1.29x.
const MAX_IN_MEMORY_SHEET: u64 = 8 << 20;

/// Bytes unpacked at a time from a streamed sheet part.
const STREAM_BUFFER: usize = 256 * 1024;

/// A sheet part's XML: unpacked in memory, or streamed from the zip.
pub(crate) enum SheetXml<'a> {
    /// The whole part.
    Bytes(&'a [u8]),
    /// A reader over the part.
    Stream(&'a mut (dyn std::io::BufRead + Send)),
}

/// What stands in for a part calamine does not need to see.
const EMPTY_WORKSHEET: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"#;

/// Largest part read into memory for metadata (workbook, rels, tables);
/// a bigger one is a hostile file, not a workbook.
const MAX_META_PART: u64 = 64 << 20;

impl Package {
    /// Opens the package at `path`.
    pub fn open(path: &std::path::Path) -> Result<Package, PackageError> {
        let label = "workbook";
        let file = File::open(path).map_err(|e| PackageError::part(label, e))?;
        let mut zip =
            ZipArchive::new(BufReader::new(file)).map_err(|e| PackageError::part(label, e))?;
        let entries = package::zip_names(&zip);
        let lookup: HashMap<String, String> =
            entries.iter().map(|n| (part_key(n), n.clone())).collect();
        let (workbook_part, workbook_xml) = workbook_part(&mut zip, &lookup)?;
        let info = workbook::parse_workbook(&workbook_xml)?;
        let rels = read_rels(&mut zip, &lookup, &rels_part_for(&workbook_part))?;
        let target_of: HashMap<&str, String> = rels
            .iter()
            .map(|r| (r.id.as_str(), resolve_target(&workbook_part, &r.target)))
            .collect();
        let sheet_parts = info
            .sheets
            .iter()
            .map(|sheet| target_of.get(sheet.rid.as_str()).cloned())
            .collect();
        let external_parts = info
            .external_rids
            .iter()
            .map(|rid| target_of.get(rid.as_str()).cloned())
            .collect();
        let shared_strings_part = rels
            .iter()
            .find(|r| r.kind.ends_with("/sharedStrings"))
            .map(|r| resolve_target(&workbook_part, &r.target));
        let metadata_part = rels
            .iter()
            .find(|r| r.kind == REL_SHEET_METADATA)
            .map(|r| resolve_target(&workbook_part, &r.target));
        Ok(Package {
            zip,
            lookup,
            entries,
            workbook_part,
            names: info.names,
            sheet_parts,
            shared_strings_part,
            metadata_part,
            external_parts,
            iteration: info.iteration,
            pivot_caches: HashMap::new(),
        })
    }

    /// The language the document's core properties name
    /// (`<dc:language>cs-CZ</dc:language>` in `docProps/core.xml`), which
    /// decides a script's text order when no `--locale` is given. Only a
    /// hint: a missing or unreadable part means no language, never an
    /// unreadable workbook.
    pub fn language(&mut self) -> Option<String> {
        let xml = read_part(&mut self.zip, &self.lookup, "docProps/core.xml").ok()??;
        core_language(&String::from_utf8_lossy(&xml))
    }

    /// The defined names with their scope; `sheet_names` are the sheet
    /// names in workbook order (a name's `localSheetId` is a position in
    /// this list).
    pub fn take_names(&mut self, sheet_names: &[String]) -> Vec<DefinedName> {
        model_names(std::mem::take(&mut self.names), sheet_names)
    }

    /// Iterative calculation, when the workbook was saved with it on.
    pub fn iteration(&self) -> Option<crate::model::Iteration> {
        self.iteration
    }

    /// The external workbooks formulas refer to as `[1]`, `[2]`..., with
    /// the values Excel saved from them and the path each link points to.
    /// A missing part is an external book with nothing saved (formulas
    /// reading it get `#REF!`, as in Excel when the link is broken).
    pub fn external_books(&mut self) -> Result<Vec<ExternalBook>, PackageError> {
        let mut books = Vec::new();
        for part in self.external_parts.clone() {
            let Some(part) = part else {
                books.push(ExternalBook::default());
                continue;
            };
            let Some(xml) = read_part(&mut self.zip, &self.lookup, &part)? else {
                books.push(ExternalBook::default());
                continue;
            };
            let link = parse_external_link(&xml, &part)?;
            let target = match &link.rid {
                Some(rid) => read_rels(&mut self.zip, &self.lookup, &rels_part_for(&part))?
                    .into_iter()
                    .find(|r| &r.id == rid)
                    .map(|r| r.target)
                    .unwrap_or_default(),
                None => String::new(),
            };
            books.push(external_book(link, target));
        }
        Ok(books)
    }

    /// The `cm` values of the sheets' cells that mark a dynamic-array
    /// formula (none when the package has no metadata part: every array
    /// formula is then a legacy one, as Excel reads such a file).
    pub fn dynamic_array_cell_metadata(&mut self) -> Result<HashSet<u32>, PackageError> {
        let Some(part) = self.metadata_part.clone() else {
            return Ok(HashSet::new());
        };
        match read_part(&mut self.zip, &self.lookup, &part)? {
            Some(xml) => dynamic_array_cell_metadata(&xml, &part),
            None => Ok(HashSet::new()),
        }
    }

    /// The shared string table (empty when the package has none), held to
    /// the reading `limits`.
    pub fn shared_strings(
        &mut self,
        limits: &ReadLimits,
    ) -> Result<SharedStrings, SharedStringsError> {
        let Some(part) = &self.shared_strings_part else {
            return Ok(SharedStrings::default());
        };
        let Some(name) = self.lookup.get(&part_key(part)) else {
            return Ok(SharedStrings::default());
        };
        let entry = self
            .zip
            .by_name(name)
            .map_err(|e| SharedStringsError::Damaged(PackageError::part(part, e)))?;
        read_shared_strings(BufReader::with_capacity(1 << 16, entry), part, limits)
    }

    /// A copy of the package for calamine, which reads the sheet list, the
    /// date system and the cell formats from it: the package's content
    /// types and root relationships, the workbook part and its
    /// relationships, styles and theme; each sheet part (by the workbook's
    /// relationships, or by its name) as an empty worksheet; no
    /// shared-string table, no other part. calamine
    /// reads the shared strings whole when it opens a package, reserving
    /// whatever count the table claims, and parses the start of a sheet
    /// to hand out its formats: neither may meet a hostile part.
    ///
    /// Excel 4 macro sheets are declared worksheets in the copy (calamine
    /// refuses them); their part names come back beside the copy, so the
    /// reader can skip them ([`super::macro_sheets`]).
    pub fn metadata_copy(&mut self) -> Result<(Vec<u8>, HashSet<String>), PackageError> {
        let dir = self
            .workbook_part
            .rfind('/')
            .map_or("", |i| &self.workbook_part[..=i])
            .to_string();
        let copied: Vec<String> = [
            "[Content_Types].xml".to_string(),
            "_rels/.rels".to_string(),
            rels_part_for(&self.workbook_part),
            self.workbook_part.clone(),
            format!("{dir}styles.xml"),
            format!("{dir}theme/theme1.xml"),
        ]
        .iter()
        .map(|p| part_key(p))
        .collect();
        let sheets: Vec<String> = self
            .sheet_parts
            .iter()
            .flatten()
            .map(|p| part_key(p))
            .collect();
        let label = "workbook";
        let workbook_rels = part_key(&rels_part_for(&self.workbook_part));
        let mut macro_sheets = HashSet::new();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for name in &self.entries {
            let key = part_key(name);
            let content = if copied.contains(&key) {
                match read_part(&mut self.zip, &self.lookup, name)? {
                    Some(bytes) if key == workbook_rels => {
                        let (rels, macros) = super::macro_sheets::declared_as_worksheets(
                            bytes,
                            name,
                            &self.workbook_part,
                        )?;
                        macro_sheets = macros;
                        rels
                    }
                    Some(bytes) => bytes,
                    None => continue,
                }
            } else if sheets.contains(&key) || (key.contains("sheet") && key.ends_with(".xml")) {
                EMPTY_WORKSHEET.as_bytes().to_vec()
            } else {
                continue;
            };
            out.start_file(name.as_str(), options)
                .and_then(|()| out.write_all(&content).map_err(Into::into))
                .map_err(|e| PackageError::part(label, e))?;
        }
        out.finish()
            .map(|copy| (copy.into_inner(), macro_sheets))
            .map_err(|e| PackageError::part(label, e))
    }

    /// The tables on the `index`-th sheet, and its relationship targets
    /// by id (hyperlinks refer to them).
    pub fn sheet_relations(
        &mut self,
        index: usize,
        sheet_name: &str,
    ) -> Result<(Vec<Table>, HashMap<String, String>), PackageError> {
        let Some(Some(part)) = self.sheet_parts.get(index).cloned() else {
            return Ok((Vec::new(), HashMap::new()));
        };
        let mut tables = Vec::new();
        let mut targets = HashMap::new();
        for rel in read_rels(&mut self.zip, &self.lookup, &rels_part_for(&part))? {
            if rel.kind.ends_with("/table") && !rel.external {
                let table_part = resolve_target(&part, &rel.target);
                if let Some(xml) = read_part(&mut self.zip, &self.lookup, &table_part)? {
                    if let Some(t) = parse_table_part(&xml, &table_part)? {
                        tables.push(Table {
                            name: t.name,
                            sheet: sheet_name.to_string(),
                            range: t.range,
                            header_row: t.header_row,
                            totals_row: t.totals_row,
                            columns: t.columns,
                        });
                    }
                }
            }
            targets.insert(rel.id, rel.target);
        }
        Ok((tables, targets))
    }

    /// The pivot tables on the `index`-th sheet with the caches they
    /// summarise. A pivot table whose cache saved no records (or none
    /// that could be read) is left out, with the words why in the second
    /// list: GETPIVOTDATA over it is then `#REF!`, never a wrong number.
    pub fn sheet_pivot_tables(
        &mut self,
        index: usize,
        sheet_name: &str,
    ) -> Result<(Vec<PivotTable>, Vec<String>), PackageError> {
        let Some(Some(part)) = self.sheet_parts.get(index).cloned() else {
            return Ok((Vec::new(), Vec::new()));
        };
        let (mut tables, mut left_out) = (Vec::new(), Vec::new());
        for rel in read_rels(&mut self.zip, &self.lookup, &rels_part_for(&part))? {
            if !rel.is(REL_PIVOT_TABLE) || rel.external {
                continue;
            }
            let table_part = resolve_target(&part, &rel.target);
            let Some(xml) = read_part(&mut self.zip, &self.lookup, &table_part)? else {
                continue;
            };
            let table = parse_pivot_table(&xml, &table_part)?;
            let cache = read_rels(&mut self.zip, &self.lookup, &rels_part_for(&table_part))?
                .into_iter()
                .find(|r| r.is(REL_PIVOT_CACHE) && !r.external)
                .map(|r| resolve_target(&table_part, &r.target));
            let cache = match cache {
                Some(cache_part) => self.pivot_cache(&cache_part)?,
                None => None,
            };
            match (cache, table.location) {
                (Some(cache), Some(range)) => {
                    let pivot = model_pivot_table(table, sheet_name, range, cache);
                    for data in &pivot.data_fields {
                        if let ShownAs::Other(way) = &data.shown_as {
                            left_out.push(format!(
                                "pivot table \"{}\" on sheet \"{sheet_name}\" shows \"{}\" \
                                 as {way}, which sheetscript does not compute, so \
                                 GETPIVOTDATA of it gives #REF!",
                                pivot.name, data.name
                            ));
                        }
                    }
                    tables.push(pivot);
                }
                _ => left_out.push(format!(
                    "pivot table \"{}\" on sheet \"{sheet_name}\" was saved without the \
                     records of its data, so GETPIVOTDATA over it gives #REF!",
                    table.name
                )),
            }
        }
        Ok((tables, left_out))
    }

    /// The pivot cache whose definition is `part`, read once; `None` when
    /// the package lacks it or its records.
    fn pivot_cache(&mut self, part: &str) -> Result<Option<Arc<PivotCache>>, PackageError> {
        if let Some(cache) = self.pivot_caches.get(part) {
            return Ok(Some(cache.clone()));
        }
        let Some(xml) = read_part(&mut self.zip, &self.lookup, part)? else {
            return Ok(None);
        };
        let definition = parse_cache_definition(&xml, part, super::sheet::parse_number)?;
        let Some(rid) = definition.records_rid else {
            return Ok(None);
        };
        let Some(records_part) = read_rels(&mut self.zip, &self.lookup, &rels_part_for(part))?
            .into_iter()
            .find(|r| r.id == rid && !r.external)
            .map(|r| resolve_target(part, &r.target))
        else {
            return Ok(None);
        };
        let Some(xml) = read_part(&mut self.zip, &self.lookup, &records_part)? else {
            return Ok(None);
        };
        let records = parse_cache_records(&xml, &records_part, super::sheet::parse_number)?;
        let cache = Arc::new(PivotCache {
            fields: definition.fields,
            records,
            calculated_items: definition.calculated_items,
        });
        self.pivot_caches.insert(part.to_string(), cache.clone());
        Ok(Some(cache))
    }

    /// Runs `read` over the XML of the `index`-th sheet; `None` when the
    /// package has no such part.
    pub fn with_sheet<T>(
        &mut self,
        index: usize,
        read: impl FnOnce(SheetXml<'_>) -> T,
    ) -> Result<Option<T>, PackageError> {
        let Some(Some(part)) = self.sheet_parts.get(index) else {
            return Ok(None);
        };
        let Some(name) = self.lookup.get(&part_key(part)) else {
            return Ok(None);
        };
        let mut entry = self
            .zip
            .by_name(name)
            .map_err(|e| PackageError::part(part, e))?;
        if entry.size() <= MAX_IN_MEMORY_SHEET {
            let mut bytes = Vec::with_capacity(entry.size() as usize);
            entry.read_to_end(&mut bytes).map_err(|e| {
                PackageError::part(part, format!("the sheet part cannot be unpacked ({e})"))
            })?;
            return Ok(Some(read(SheetXml::Bytes(&bytes))));
        }
        // Unpacked by whoever cuts the XML into events: a helper thread
        // of the sheet reader's when more than one thread is allowed.
        let mut reader = std::io::BufReader::with_capacity(STREAM_BUFFER, entry);
        Ok(Some(read(SheetXml::Stream(&mut reader))))
    }

    /// The part of the `index`-th sheet, if the workbook names one.
    pub fn sheet_part(&self, index: usize) -> Option<&str> {
        self.sheet_parts.get(index)?.as_deref()
    }

    /// Plain-words list of what only the patcher carries.
    pub fn features(&self, conditional: usize, validation: usize) -> Vec<String> {
        package_features(&self.entries, conditional, validation)
    }
}

/// The workbook part's names as the model holds them: the scope as a
/// sheet name (`localSheetId` is a position in `sheet_names`), the formula
/// without a leading `=`; a name without a name is left out.
fn model_names(names: Vec<workbook::WbName>, sheet_names: &[String]) -> Vec<DefinedName> {
    names
        .into_iter()
        .filter(|n| !n.name.is_empty())
        .map(|n| DefinedName {
            scope: n.local_sheet_id.and_then(|i| sheet_names.get(i).cloned()),
            refers_to: n.text.trim_start_matches('=').to_string(),
            name: n.name,
        })
        .collect()
}

/// A pivot table part as the model holds it: fields by cache position,
/// hidden items (a report filter showing one item hides the others) and
/// data fields with their summaries (one OOXML does not define is left
/// out, so GETPIVOTDATA cannot name it).
fn model_pivot_table(
    part: PivotTablePart,
    sheet: &str,
    range: crate::model::RangeAddr,
    cache: Arc<PivotCache>,
) -> PivotTable {
    let count = cache.fields.len();
    let field_of = |x: i64| usize::try_from(x).ok().filter(|&f| f < count);
    // Only a field in the layout filters: hidden items a field kept from
    // an earlier layout hide nothing.
    let in_layout = |f: usize| {
        let f = f as i64;
        part.row_fields.contains(&f)
            || part.col_fields.contains(&f)
            || part.page_fields.iter().any(|p| p.0 as i64 == f)
    };
    let mut hidden: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (f, field) in part.fields.iter().enumerate().take(count) {
        if in_layout(f) {
            hidden[f] = field.items.iter().filter(|i| i.1).map(|i| i.0).collect();
        }
    }
    let mut page_fields = Vec::new();
    for &(f, item) in &part.page_fields {
        if f >= count {
            continue;
        }
        page_fields.push(f);
        let shown = item
            .and_then(|i| part.fields.get(f)?.items.get(i))
            .map(|i| i.0);
        if let Some(shown) = shown {
            let items = cache.fields[f].items.len() as u32;
            hidden[f] = (0..items).filter(|&i| i != shown).collect();
        }
    }
    for h in &mut hidden {
        h.sort_unstable();
        h.dedup();
    }
    let captions = cache
        .fields
        .iter()
        .enumerate()
        .map(|(f, c)| {
            part.fields
                .get(f)
                .and_then(|p| p.caption.clone())
                .unwrap_or_else(|| c.name.clone())
        })
        .collect();
    let data_fields = part
        .data_fields
        .iter()
        .filter(|d| d.field < count)
        .filter_map(|d| {
            Some(PivotDataField {
                name: if d.name.is_empty() {
                    cache.fields[d.field].name.clone()
                } else {
                    d.name.clone()
                },
                field: d.field,
                summary: Summary::from_ooxml(d.subtotal.as_deref())?,
                shown_as: ShownAs::from_ooxml(d.show_as.as_deref()),
            })
        })
        .collect();
    PivotTable {
        name: part.name,
        sheet: sheet.to_string(),
        range,
        captions,
        row_fields: part
            .row_fields
            .iter()
            .filter_map(|&x| field_of(x))
            .collect(),
        col_fields: part
            .col_fields
            .iter()
            .filter_map(|&x| field_of(x))
            .collect(),
        page_fields,
        hidden,
        subtotals: (0..count)
            .map(|f| part.fields.get(f).is_none_or(|p| p.default_subtotal))
            .collect(),
        data_fields,
        row_grand_totals: part.row_grand_totals,
        col_grand_totals: part.col_grand_totals,
        not_computed: if part.filtered {
            Some("label or value filters".to_string())
        } else if cache.calculated_items {
            Some("calculated items".to_string())
        } else {
            None
        },
        cache,
    }
}

/// An external link part as the model holds it: saved values typed as
/// the cell reader types them.
fn external_book(link: ExternalLinkPart, target: String) -> ExternalBook {
    let mut sheets: Vec<ExternalSheet> = link
        .sheet_names
        .into_iter()
        .map(|name| ExternalSheet {
            name,
            cells: Default::default(),
        })
        .collect();
    for cell in link.cells {
        let text = cell.text;
        let value = match cell.kind.as_str() {
            "s" | "str" | "inlineStr" => Value::text(text),
            "b" => Value::Bool(matches!(text.trim(), "1" | "true" | "TRUE")),
            "e" => ErrorKind::parse(text.trim()).map_or(Value::text(text), Value::Error),
            _ => match super::sheet::parse_number(text.trim()) {
                Some(n) => Value::Number(n),
                None if text.is_empty() => Value::Empty,
                None => Value::text(text),
            },
        };
        if let Some(sheet) = sheets.get_mut(cell.sheet) {
            sheet.cells.insert(cell.addr, value);
        }
    }
    ExternalBook {
        target,
        sheets,
        names: link
            .names
            .into_iter()
            .map(|n| ExternalName {
                name: n.name,
                sheet: n.sheet,
                refers_to: n.refers_to,
            })
            .collect(),
    }
}

/// The workbook part's path and XML.
fn workbook_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
) -> Result<(String, Vec<u8>), PackageError> {
    let root_rels = read_rels(zip, lookup, "_rels/.rels")?;
    let part = root_rels
        .iter()
        .find(|r| r.kind.ends_with("/officeDocument"))
        .map(|r| resolve_target("", &r.target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let xml = read_part(zip, lookup, &part)?.unwrap_or_default();
    Ok((part, xml))
}

/// A metadata part (workbook, rels, tables, properties) read whole;
/// `None` when the package has no such part.
fn read_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
    part: &str,
) -> Result<Option<Vec<u8>>, PackageError> {
    match lookup.get(&part_key(part.trim_start_matches('/'))) {
        Some(name) => package::read_bounded(zip, name, part, MAX_META_PART),
        None => Ok(None),
    }
}

/// The text of the `language` element of a core properties part.
fn core_language(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "language" => inside = true,
            Event::Text(t) if inside => {
                let text = t.xml10_content().trim().to_string();
                return (!text.is_empty()).then_some(text);
            }
            Event::End(_) if inside => return None,
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The relationships in a rels part (none when the part is missing).
fn read_rels<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    lookup: &HashMap<String, String>,
    part: &str,
) -> Result<Vec<Relationship>, PackageError> {
    match read_part(zip, lookup, part)? {
        Some(xml) => parse_rels(&xml, part),
        None => Ok(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_properties_name_the_language() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Faktury</dc:title><dc:language> cs-CZ </dc:language></cp:coreProperties>"#;
        assert_eq!(core_language(xml), Some("cs-CZ".to_string()));
        assert_eq!(
            core_language("<cp:coreProperties><dc:language/></cp:coreProperties>"),
            None
        );
        assert_eq!(
            core_language("<cp:coreProperties><dc:title>x</dc:title></cp:coreProperties>"),
            None
        );
        assert_eq!(core_language("<<not xml"), None);
    }

    #[test]
    fn names_keep_their_sheet_scope() {
        let xml = r#"<workbook><sheets><sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId2"/></sheets>
            <definedNames><definedName name="Rate">A!$B$2</definedName>
            <definedName name="Local" localSheetId="1">='R&amp;D'!$A$1:$A$3</definedName><definedName name="">A!$A$1</definedName></definedNames></workbook>"#;
        let info = workbook::parse_workbook(xml.as_bytes()).unwrap();
        let names = model_names(info.names, &["A".into(), "B".into()]);
        assert_eq!(names.len(), 2);
        assert_eq!(names[0].scope, None);
        assert_eq!(names[1].scope.as_deref(), Some("B"));
        assert_eq!(names[1].refers_to, "'R&D'!$A$1:$A$3");
    }

    #[test]
    fn pivot_tables_filter_by_fields_in_their_layout() {
        use crate::io::ooxml::pivots::{DataFieldPart, PivotFieldPart};
        use crate::model::pivot::{CacheField, FieldSource, PivotValue};
        let field = |name: &str, column| CacheField {
            name: name.into(),
            items: vec![PivotValue::Text("a".into()), PivotValue::Text("b".into())],
            source: FieldSource::Records(column),
        };
        let cache = Arc::new(PivotCache {
            fields: vec![
                field("Row", 0),
                field("Page", 1),
                field("Gone", 2),
                field("N", 3),
            ],
            records: Vec::new(),
            calculated_items: false,
        });
        let hiding = |hidden_b: bool| PivotFieldPart {
            caption: None,
            items: vec![(0, false), (1, hidden_b)],
            default_subtotal: true,
        };
        let part = PivotTablePart {
            name: "P".into(),
            fields: vec![hiding(true), hiding(false), hiding(true), hiding(false)],
            row_fields: vec![0, -2],
            page_fields: vec![(1, Some(1))],
            data_fields: vec![
                DataFieldPart {
                    name: "Sum of N".into(),
                    field: 3,
                    subtotal: None,
                    show_as: None,
                },
                DataFieldPart {
                    name: "% of N".into(),
                    field: 3,
                    subtotal: None,
                    show_as: Some("percentOfTotal".into()),
                },
                DataFieldPart {
                    name: "Median of N".into(),
                    field: 3,
                    subtotal: Some("median".into()),
                    show_as: None,
                },
            ],
            ..Default::default()
        };
        let range = crate::model::RangeAddr::parse("A1:B3").unwrap();
        let p = model_pivot_table(part, "S", range, cache);
        // The row field hides b, the report filter shows b only, the
        // field out of the layout hides nothing.
        assert_eq!(p.hidden, vec![vec![1], vec![0], vec![], vec![]]);
        assert_eq!((p.row_fields, p.page_fields), (vec![0], vec![1]));
        assert_eq!(p.data_fields.len(), 2, "median is no OOXML summary");
        assert_eq!(p.data_fields[0].shown_as, ShownAs::Normal);
        assert_eq!(p.data_fields[1].shown_as, ShownAs::PercentOfTotal);
        assert_eq!(p.not_computed, None);
    }
}
