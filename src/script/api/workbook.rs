//! Workbook, attached workbooks and the cell-level reads and writes they
//! share with sheets: one place that turns a reference into cells.

use super::sheet::Sheet;
use super::{
    cell_value, fail, flag_option, known_options, list_fits, ok, rows_array, rows_size,
    text_option, texts, Res,
};
use crate::model::{CellAddr, RangeAddr};
use crate::script::book::SharedBook;
use crate::script::errors::ScriptError;
use crate::script::table::{find_block, Table};
use crate::script::values::{describe, to_dynamic};
use rhai::{Array, Dynamic, Engine, FuncRegistration, ImmutableString, NativeCallContext};

/// A whole workbook: the one the script runs on, or one attached with
/// `--attach name=file` (read-only).
#[derive(Clone)]
pub struct WorkbookHandle {
    pub(super) book: SharedBook,
    pub(super) name: String,
}

/// Registers the functions on the script's own workbook.
pub(super) fn register_workbook(engine: &mut Engine, book: &SharedBook) {
    let b = book.clone();
    api!(
        engine,
        "sheet",
        ["name: String", "Sheet"],
        "The sheet with this name (case-insensitive).",
        move |name: &str| -> Res<Sheet> { Sheet::open(&b, name) }
    );
    let b = book.clone();
    api!(
        engine,
        "sheets",
        ["Array"],
        "Names of all sheets in tab order.",
        move || -> Array {
            b.borrow()
                .sheet_names()
                .into_iter()
                .map(Dynamic::from)
                .collect()
        }
    );
    let b = book.clone();
    api!(
        engine,
        "has_sheet",
        ["name: String", "bool"],
        "Whether a sheet with this name exists.",
        move |name: &str| -> bool { b.borrow().workbook().sheet(name).is_some() }
    );
    let b = book.clone();
    api!(
        engine,
        "add_sheet",
        ["name: String", "Sheet"],
        "Adds an empty sheet at the end and returns it.",
        move |name: &str| -> Res<Sheet> {
            let name = ok(b.borrow_mut().add_sheet(name))?;
            Sheet::open(&b, &name)
        }
    );
    let b = book.clone();
    api!(
        engine,
        "rename_sheet",
        ["old: String", "new: String", "()"],
        "Renames a sheet.",
        move |old: &str, new: &str| -> Res<()> { ok(b.borrow_mut().rename_sheet(old, new)) }
    );
    let b = book.clone();
    api!(
        engine,
        "remove_sheet",
        ["name: String", "()"],
        "Removes a sheet (a workbook keeps at least one).",
        move |name: &str| -> Res<()> { ok(b.borrow_mut().remove_sheet(name)) }
    );
    let b = book.clone();
    api!(
        engine,
        "value",
        ["reference: String", "Dynamic"],
        "The value of one cell: \"'Sales 2026'!B2\" or a defined name such as \"Principal\".",
        move |r: &str| -> Res<Dynamic> { value_at(&b, r) }
    );
    let b = book.clone();
    api!(
        engine,
        "values",
        ["reference: String", "Array"],
        "The values of a range as a list of rows: \"Invoices!A1:D20\", \"Data!C:C\" or a name.",
        move |ctx: NativeCallContext, r: &str| -> Res<Array> {
            let mut bk = b.borrow_mut();
            let (s, range) = ok(bk.resolve(r, None))?;
            let range = ok(bk.clip_bounded("values", &s, range))?;
            let size = rows_size(range.rows().into(), range.cols().into());
            list_fits(&ctx, || format!("values(\"{r}\") over {s}!{range}"), size)?;
            Ok(rows_array(ok(bk.block(&s, range))?))
        }
    );
    let b = book.clone();
    api!(engine, "set_value", ["reference: String", "value: Dynamic", "()"], "Writes a value (or a row list, or a list of rows) at a qualified reference or defined name.", move |r: &str, v: Dynamic| -> Res<()> {
        let (s, range) = ok(b.borrow().resolve(r, None))?;
        write_at(&b, &s, range.start, &v)
    });
    let b = book.clone();
    api!(engine, "table", ["name: String", "Table"], "An Excel table by name, or else the block under the first header row of the sheet with that name.", move |name: &str| -> Res<Table> {
        load_table(&b, name, &[])
    });
    let b = book.clone();
    api!(engine, "table", ["sheet: String", "headers: Array", "Table"], "The block on a sheet whose header row holds these headers (the header need not be in row 1).", move |sheet: &str, headers: Array| -> Res<Table> {
        let wanted = texts(&Dynamic::from(headers), "table headers")?;
        load_table(&b, sheet, &wanted)
    });
    let b = book.clone();
    api!(engine, "write_table", ["table: Table", "sheet: String", "()"], "Writes a table with a bold header at A1 of a sheet, adding the sheet if it does not exist.", move |t: Table, sheet: &str| -> Res<()> {
        write_table(&b, &t, sheet, "A1")
    });
    let b = book.clone();
    api!(
        engine,
        "write_table",
        ["table: Table", "sheet: String", "at: String", "()"],
        "Writes a table with its header at the given cell of a sheet (added if missing).",
        move |t: Table, sheet: &str, at: &str| -> Res<()> { write_table(&b, &t, sheet, at) }
    );
    let b = book.clone();
    api!(
        engine,
        "write_table",
        ["table: Table", "sheet: String", "at: String", "excel_table: String", "()"],
        "Writes a table at a cell of a sheet (added if missing) and makes it an Excel table with this name.",
        move |t: Table, sheet: &str, at: &str, name: &str| -> Res<()> {
            write_table_as(&b, &t, sheet, at, Some(name))
        }
    );
    let b = book.clone();
    api!(
        engine,
        "write_table",
        ["table: Table", "sheet: String", "options: Map", "()"],
        "Writes a table at A1 of a sheet (added if missing); options: at (the cell), excel_table (a name), freeze (header stays in view), filter (an autofilter on the header).",
        move |t: Table, sheet: &str, options: rhai::Map| -> Res<()> {
            write_table_with(&b, &t, sheet, &options)
        }
    );
    let b = book.clone();
    api!(
        engine,
        "tables",
        ["Array"],
        "Names of the workbook's Excel tables.",
        move || -> Array {
            b.borrow()
                .workbook()
                .table_names()
                .into_iter()
                .map(|t| Dynamic::from(t.to_string()))
                .collect()
        }
    );
    let b = book.clone();
    api!(
        engine,
        "remove_table",
        ["name: String", "()"],
        "Turns an Excel table back into plain cells, which keep their values and formats; refused while formulas use the table's name.",
        move |name: &str| -> Res<()> { ok(b.borrow_mut().remove_table(name)) }
    );
}

/// Registers `workbook(...)` and the read-only functions on a workbook handle.
pub(super) fn register_attached(
    engine: &mut Engine,
    book: &SharedBook,
    attached: &[(String, SharedBook)],
) {
    let b = book.clone();
    api!(
        engine,
        "workbook",
        ["Workbook"],
        "The workbook the script runs on.",
        move || WorkbookHandle {
            book: b.clone(),
            name: "main".into()
        }
    );
    let list: Vec<(String, SharedBook)> = attached.to_vec();
    api!(
        engine,
        "workbook",
        ["name: String", "Workbook"],
        "A workbook attached with --attach name=file (read-only), such as a bank statement.",
        move |name: &str| -> Res<WorkbookHandle> {
            match list
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            {
                Some((n, b)) => Ok(WorkbookHandle {
                    book: b.clone(),
                    name: n.clone(),
                }),
                None => {
                    let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
                    if names.is_empty() {
                        fail(format!("no workbook named \"{name}\" is attached; attach one with --attach {name}=FILE"))
                    } else {
                        fail(crate::script::suggest::unknown(
                            "attached workbook",
                            name,
                            &names,
                        ))
                    }
                }
            }
        }
    );
    FuncRegistration::new_getter("name")
        .with_params_info(["workbook: Workbook", "String"])
        .with_comments([
            "/// The name the workbook was attached under (\"main\" for the script's own).",
        ])
        .register_into_engine(engine, |w: &mut WorkbookHandle| w.name.clone());
    api!(
        engine,
        "sheet",
        ["workbook: Workbook", "name: String", "Sheet"],
        "A sheet of this workbook.",
        |w: &mut WorkbookHandle, name: &str| -> Res<Sheet> { Sheet::open(&w.book, name) }
    );
    api!(
        engine,
        "sheets",
        ["workbook: Workbook", "Array"],
        "Names of this workbook's sheets.",
        |w: &mut WorkbookHandle| -> Array {
            w.book
                .borrow()
                .sheet_names()
                .into_iter()
                .map(Dynamic::from)
                .collect()
        }
    );
    api!(
        engine,
        "table",
        ["workbook: Workbook", "name: String", "Table"],
        "A table of this workbook: an Excel table, or the block on the sheet of that name.",
        |w: &mut WorkbookHandle, name: &str| -> Res<Table> { load_table(&w.book, name, &[]) }
    );
    api!(
        engine,
        "table",
        ["workbook: Workbook", "Table"],
        "The block on the first sheet (for a CSV file, its only sheet).",
        |w: &mut WorkbookHandle| -> Res<Table> {
            let first = w
                .book
                .borrow()
                .sheet_names()
                .into_iter()
                .next()
                .ok_or("the workbook has no sheets")?;
            load_table(&w.book, &first, &[])
        }
    );
    api!(
        engine,
        "table",
        [
            "workbook: Workbook",
            "sheet: String",
            "headers: Array",
            "Table"
        ],
        "The block on a sheet of this workbook whose header row holds these headers.",
        |w: &mut WorkbookHandle, sheet: &str, headers: Array| -> Res<Table> {
            let wanted = texts(&Dynamic::from(headers), "table headers")?;
            load_table(&w.book, sheet, &wanted)
        }
    );
    api!(
        engine,
        "value",
        ["workbook: Workbook", "reference: String", "Dynamic"],
        "The value of one cell of this workbook (qualified reference or defined name).",
        |w: &mut WorkbookHandle, r: &str| -> Res<Dynamic> { value_at(&w.book, r) }
    );
}

/// Writes `t` with its header at `at` of `sheet` (added if missing).
pub(super) fn write_table(book: &SharedBook, t: &Table, sheet: &str, at: &str) -> Res<()> {
    write_table_as(book, t, sheet, at, None)
}

/// Writes `t` at `at` of `sheet` (added if missing) and, with a name,
/// makes the block an Excel table.
fn write_table_as(
    book: &SharedBook,
    t: &Table,
    sheet: &str,
    at: &str,
    excel_table: Option<&str>,
) -> Res<()> {
    let addr = CellAddr::parse(at).ok_or_else(|| format!("\"{at}\" is not a cell address"))?;
    let mut bk = book.borrow_mut();
    if bk.workbook().sheet(sheet).is_none() {
        ok(bk.add_sheet(sheet))?;
    }
    ok(bk.guard_overwrite("write_table", sheet, t.block_at(addr)))?;
    ok(t.write_to(&mut bk, sheet, addr))?;
    match excel_table {
        Some(name) => ok(bk.add_table(sheet, name, t.block_at(addr))),
        None => Ok(()),
    }
}

/// `write_table(t, sheet, #{ at, excel_table, freeze, filter })`.
fn write_table_with(book: &SharedBook, t: &Table, sheet: &str, options: &rhai::Map) -> Res<()> {
    const KEYS: [&str; 4] = ["at", "excel_table", "freeze", "filter"];
    const CALL: &str = "write_table";
    known_options(options, CALL, &KEYS)?;
    let text = |key: &str| text_option(options, CALL, key);
    let flag = |key: &str| flag_option(options, CALL, key);
    let at = text("at")?.unwrap_or_else(|| "A1".to_string());
    let excel_table = text("excel_table")?;
    let (freeze, filter) = (flag("freeze")?, flag("filter")?);
    write_table_as(book, t, sheet, &at, excel_table.as_deref())?;
    let addr = CellAddr::parse(&at).ok_or_else(|| format!("\"{at}\" is not a cell address"))?;
    let block = t.block_at(addr);
    let mut bk = book.borrow_mut();
    if freeze {
        let note = format!("froze the header of {sheet}!{}", block.to_a1());
        ok(bk.visuals_mut(sheet, note))?.freeze = Some(CellAddr::new(block.start.row + 1, 0));
    }
    // An Excel table filters itself.
    if filter && excel_table.is_none() {
        let note = format!("put a filter on {sheet}!{}", block.to_a1());
        ok(bk.visuals_mut(sheet, note))?.filter = Some(block);
        ok(bk.set_auto_filter(sheet, block))?;
    }
    Ok(())
}

/// Reads a table: an Excel table by `name`, or else the block on the sheet
/// of that name whose header row holds the `wanted` headers (the first
/// header-like row when none are wanted).
pub(crate) fn load_table(book: &SharedBook, name: &str, wanted: &[String]) -> Res<Table> {
    let mut bk = book.borrow_mut();
    ok(bk.refresh())?;
    if wanted.is_empty() {
        if let Some(t) = bk.workbook().table(name).cloned() {
            let range = if t.totals_row {
                RangeAddr::new(
                    t.range.start,
                    CellAddr::new(t.range.end.row - 1, t.range.end.col),
                )
            } else {
                t.range
            };
            let sheet = ok(bk.sheet(&t.sheet))?;
            let id = ok(bk.sheet_id(&t.sheet))?;
            let mut table = Table::from_sheet(&t.name, sheet, id, range);
            table.read_formats(sheet, &bk.workbook().styles);
            if !t.columns.is_empty() && t.columns.len() == table.columns.len() {
                for (c, n) in table.columns.iter_mut().zip(&t.columns) {
                    c.name = n.clone();
                }
            }
            return Ok(table);
        }
    }
    let sheet = match bk.sheet_name(name) {
        Ok(s) => s,
        // Without headers the name may have meant a table: say so.
        Err(ScriptError::Unknown {
            what: "sheet",
            name,
            candidates,
        }) if wanted.is_empty() => {
            return Err(ScriptError::NoTableOrSheet {
                name,
                sheets: candidates,
                tables: bk
                    .workbook()
                    .table_names()
                    .iter()
                    .map(|t| t.to_string())
                    .collect(),
            }
            .into())
        }
        Err(e) => return ok(Err(e)),
    };
    let range = ok(find_block(&bk, &sheet, wanted))?;
    let id = ok(bk.sheet_id(&sheet))?;
    let s = ok(bk.sheet(&sheet))?;
    let mut table = Table::from_sheet(&sheet, s, id, range);
    table.read_formats(s, &bk.workbook().styles);
    Ok(table)
}

/// Writes a value, a row (a list), a block (a list of rows) or a formula
/// (text starting with =) at `at` of `sheet`.
pub(super) fn write_at(book: &SharedBook, sheet: &str, at: CellAddr, v: &Dynamic) -> Res<()> {
    let mut bk = book.borrow_mut();
    if let Some(rows) = v.clone().try_cast::<Array>() {
        let block = rows.iter().any(|r| r.is_array());
        for (i, r) in rows.iter().enumerate() {
            if block {
                let cells = r.clone().try_cast::<Array>().ok_or_else(|| {
                    format!(
                        "a block is a list of rows; row {} is {}",
                        i + 1,
                        describe(r)
                    )
                })?;
                for (j, c) in cells.iter().enumerate() {
                    let addr = CellAddr::new(at.row + i as u32, at.col + j as u32);
                    ok(bk.set_value(sheet, addr, cell_value(c)?))?;
                }
            } else {
                let addr = CellAddr::new(at.row, at.col + i as u32);
                ok(bk.set_value(sheet, addr, cell_value(r)?))?;
            }
        }
        return Ok(());
    }
    if let Some(s) = v.clone().try_cast::<ImmutableString>() {
        if s.starts_with('=') && s.len() > 1 {
            return ok(bk.set_formula(sheet, at, &s));
        }
    }
    ok(bk.set_value(sheet, at, cell_value(v)?))
}

/// The value of the cell a qualified reference or defined name points at.
fn value_at(book: &SharedBook, reference: &str) -> Res<Dynamic> {
    let mut bk = book.borrow_mut();
    let (s, range) = ok(bk.resolve(reference, None))?;
    Ok(to_dynamic(&ok(bk.value(&s, range.start))?))
}
