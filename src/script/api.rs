//! The script API: every function a script can call, registered with a
//! one-line doc so `sheetscript functions` prints the reference from what
//! is actually registered.

use super::book::{SharedBook, SheetId};
use super::errors;
use super::table::{
    arith, find_block, normalize, number_format, round_column, Column, Op, Operand, Rounding, Row,
    Table,
};
use super::values::{
    add_months, days_between, describe, dynamic_number, end_of_month, from_dynamic, parse_date,
    to_dynamic, value_date, working_days, CellError, Date,
};
use crate::formula::{shift_formula, CalcValue};
use crate::model::{CellAddr, Number, RangeAddr, Value};
use chrono::{Datelike, NaiveDate};
use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, ImmutableString, Map,
    NativeCallContext, INT,
};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Result of a registered function.
type Res<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(msg: impl Into<String>) -> Res<T> {
    Err(msg.into().into())
}

fn ok<T>(r: Result<T, String>) -> Res<T> {
    r.map_err(Into::into)
}

/// Registers a function with parameter names/types (the last entry is
/// the return type) and a one-line doc.
macro_rules! api {
    ($e:expr, $name:expr, [$($p:expr),* $(,)?], $doc:expr, $f:expr) => {
        FuncRegistration::new($name)
            .with_params_info([$($p),*])
            .with_comments([concat!("/// ", $doc)])
            .register_into_engine($e, $f);
    };
}

/// A sheet of the workbook.
#[derive(Clone)]
pub struct Sheet {
    book: SharedBook,
    id: SheetId,
}

impl Sheet {
    /// A handle on the sheet with this name.
    fn open(book: &SharedBook, name: &str) -> Res<Sheet> {
        let id = ok(book.borrow().sheet_id(name))?;
        Ok(Sheet {
            book: book.clone(),
            id,
        })
    }

    /// The sheet's name now (it follows renames).
    fn name(&self) -> Res<String> {
        ok(self.book.borrow().sheet_name_of(self.id))
    }

    fn range(&self, r: &str) -> Res<(String, RangeAddr)> {
        let name = self.name()?;
        ok(self.book.borrow().resolve(r, Some(&name)))
    }
}

/// A whole workbook: the one the script runs on, or one attached with
/// `--attach name=file` (read-only).
#[derive(Clone)]
pub struct WorkbookHandle {
    book: SharedBook,
    name: String,
}

/// The value a script passes where a number is needed.
fn number_arg(d: &Dynamic, what: &str) -> Res<Number> {
    dynamic_number(d)
        .ok_or_else(|| format!("{what}: expected a number, found {}", describe(d)).into())
}

fn texts(d: &Dynamic, what: &str) -> Res<Vec<String>> {
    if d.is_string() {
        return Ok(vec![d.to_string()]);
    }
    if let Some(arr) = d.clone().try_cast::<Array>() {
        return arr
            .iter()
            .map(|x| {
                if x.is_string() {
                    Ok(x.to_string())
                } else {
                    fail(format!("{what}: expected text, found {}", describe(x)))
                }
            })
            .collect();
    }
    fail(format!(
        "{what}: expected text or a list of texts, found {}",
        describe(d)
    ))
}

fn cell_value(d: &Dynamic) -> Res<Value> {
    ok(from_dynamic(d))
}

/// The workbook clock's date.
fn today_of(book: &SharedBook) -> Date {
    Date(book.borrow().now.date())
}

fn make_date(y: INT, m: INT, d: INT) -> Res<Date> {
    let date = i32::try_from(y)
        .ok()
        .zip(u32::try_from(m).ok())
        .zip(u32::try_from(d).ok())
        .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y, m, d));
    date.map(Date)
        .ok_or_else(|| format!("{y}-{m}-{d} is not a valid date").into())
}

fn column_from_dynamic(name: &str, d: &Dynamic, len: usize) -> Res<Column> {
    if let Some(c) = d.clone().try_cast::<Column>() {
        return Ok(c);
    }
    if let Some(arr) = d.clone().try_cast::<Array>() {
        let values = arr.iter().map(cell_value).collect::<Res<Vec<_>>>()?;
        return Ok(Column::new(name, values));
    }
    let v = cell_value(d)?;
    Ok(Column::new(name, vec![v; len]))
}

fn map_rows(ctx: &NativeCallContext, t: &Table, f: &FnPtr) -> Res<Vec<Dynamic>> {
    let mut out = Vec::with_capacity(t.len);
    let origin = t.columns.iter().find_map(|c| c.origin.clone());
    for row in t.rows() {
        let at = row.index;
        let r: Dynamic = f.call_within_context(ctx, (row,)).map_err(|e| {
            let place = match &origin {
                Some(o) => format!("{} row {}", o.sheet, o.rows[at] + 1),
                None => format!("row {} of table {}", at + 1, t.name),
            };
            Box::new(EvalAltResult::ErrorRuntime(
                format!("{place}: {}", errors::message(&e)).into(),
                e.position(),
            ))
        })?;
        out.push(r);
    }
    Ok(out)
}

/// An error's message without its position (the caller adds its own).
pub fn plain_error(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorRuntime(d, _) => d.to_string(),
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => plain_error(inner),
        other => {
            let s = other.to_string();
            match s.rfind(" (line ") {
                Some(p) => s[..p].to_string(),
                None => s,
            }
        }
    }
}

fn sort_keys(t: &Table, d: &Dynamic) -> Res<Vec<(usize, bool)>> {
    texts(d, "sort")?
        .iter()
        .map(|k| {
            let (name, desc) = match k.strip_prefix('-') {
                Some(rest) => (rest.trim(), true),
                None => (k.trim(), false),
            };
            ok(t.index(name)).map(|i| (i, desc))
        })
        .collect()
}

fn key_columns(t: &Table, d: &Dynamic) -> Res<Vec<usize>> {
    texts(d, "key")?.iter().map(|k| ok(t.index(k))).collect()
}

/// A join's table, its warning (if it matched far fewer rows than it
/// could) added to the run's warnings.
fn joined(book: &SharedBook, (t, warning): (Table, Option<String>)) -> Table {
    if let Some(w) = warning {
        book.borrow_mut().warn(w);
    }
    t
}

fn reconciliation_map(r: super::table::Reconciliation) -> Map {
    let mut m = Map::new();
    m.insert("matched".into(), Dynamic::from(r.matched));
    m.insert("mismatched".into(), Dynamic::from(r.mismatched));
    m.insert("only_left".into(), Dynamic::from(r.only_left));
    m.insert("only_right".into(), Dynamic::from(r.only_right));
    m
}

fn option<'a>(opts: &'a Map, key: &str) -> Option<&'a Dynamic> {
    opts.iter()
        .find(|(k, _)| normalize(k) == normalize(key))
        .map(|(_, v)| v)
}

fn table_to_string(t: &Table) -> String {
    let mut s = format!(
        "table {} ({} rows): {}",
        t.name,
        t.len,
        t.names().join(" | ")
    );
    for i in 0..t.len.min(5) {
        let row: Vec<String> = t.columns.iter().map(|c| c.values[i].to_string()).collect();
        s.push_str(&format!("\n  {}", row.join(" | ")));
    }
    if t.len > 5 {
        s.push_str("\n  ...");
    }
    s
}

/// Registers every API function and type on `engine`. `params` are the
/// `--set` values, `book` the workbook every handle shares.
pub fn register(
    engine: &mut Engine,
    book: &SharedBook,
    attached: &[(String, SharedBook)],
    params: Rc<BTreeMap<String, Dynamic>>,
) {
    engine
        .register_type_with_name::<WorkbookHandle>("Workbook")
        .register_type_with_name::<Sheet>("Sheet")
        .register_type_with_name::<Table>("Table")
        .register_type_with_name::<Row>("Row")
        .register_type_with_name::<Column>("Column")
        .register_type_with_name::<Date>("Date")
        .register_type_with_name::<CellError>("CellError")
        .register_iterator::<Table>();
    register_workbook(engine, book);
    register_attached(engine, book, attached);
    register_sheet(engine);
    register_table(engine, book);
    register_column(engine);
    register_dates(engine, book);
    register_money(engine);
    register_excel(engine, book);
    register_run(engine, params);
}

impl IntoIterator for Table {
    type Item = Row;
    type IntoIter = std::vec::IntoIter<Row>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows().into_iter()
    }
}

fn register_workbook(engine: &mut Engine, book: &SharedBook) {
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
        ["reference: String", "?"],
        "The value of one cell: \"'Sales 2026'!B2\" or a defined name such as \"Principal\".",
        move |r: &str| -> Res<Dynamic> {
            let mut bk = b.borrow_mut();
            let (s, range) = ok(bk.resolve(r, None))?;
            Ok(to_dynamic(&bk.value(&s, range.start)))
        }
    );
    let b = book.clone();
    api!(
        engine,
        "values",
        ["reference: String", "Array"],
        "The values of a range as a list of rows: \"Invoices!A1:D20\", \"Data!C:C\" or a name.",
        move |r: &str| -> Res<Array> {
            let mut bk = b.borrow_mut();
            let (s, range) = ok(bk.resolve(r, None))?;
            let range = bk.clip(&s, range);
            Ok(rows_array(bk.block(&s, range)))
        }
    );
    let b = book.clone();
    api!(engine, "set_value", ["reference: String", "value: ?", "()"], "Writes a value (or a row list, or a list of rows) at a qualified reference or defined name.", move |r: &str, v: Dynamic| -> Res<()> {
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

fn register_attached(engine: &mut Engine, book: &SharedBook, attached: &[(String, SharedBook)]) {
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
                        fail(super::suggest::unknown("attached workbook", name, &names))
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
        ["workbook: Workbook", "reference: String", "Any"],
        "The value of one cell of this workbook (qualified reference or defined name).",
        |w: &mut WorkbookHandle, r: &str| -> Res<Dynamic> {
            let mut bk = w.book.borrow_mut();
            let (s, range) = ok(bk.resolve(r, None))?;
            Ok(to_dynamic(&bk.value(&s, range.start)))
        }
    );
}

fn rows_array(block: Vec<Vec<Value>>) -> Array {
    block
        .into_iter()
        .map(|row| Dynamic::from_array(row.iter().map(to_dynamic).collect()))
        .collect()
}

fn write_table(book: &SharedBook, t: &Table, sheet: &str, at: &str) -> Res<()> {
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

fn load_table(book: &SharedBook, name: &str, wanted: &[String]) -> Res<Table> {
    let mut bk = book.borrow_mut();
    bk.refresh();
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
        Err(e) => {
            let tables = bk.workbook().table_names();
            if !wanted.is_empty() {
                return fail(e);
            }
            let e = e.replacen("no sheet named", "no table or sheet named", 1);
            if tables.is_empty() {
                return fail(e);
            }
            return fail(format!("{e}; the tables are: {}", tables.join(", ")));
        }
    };
    let range = ok(find_block(&bk, &sheet, wanted))?;
    let id = ok(bk.sheet_id(&sheet))?;
    let s = ok(bk.sheet(&sheet))?;
    let mut table = Table::from_sheet(&sheet, s, id, range);
    table.read_formats(s, &bk.workbook().styles);
    Ok(table)
}

/// Sets column `name` of `t`, noting in the run's summary when empty
/// cells were counted as 0 to compute it (Excel does the same, but a
/// blank amount is often a missing one).
fn set_column_noted(book: &SharedBook, t: &mut Table, name: &str, col: Column) -> Res<()> {
    let counted = col.lineage.empty_as_zero.clone();
    ok(t.set_column(name, col))?;
    // Named as the table now spells it (`inv["vat"]` sets "VAT").
    let column = ok(t.column(name))?;
    if let Some(n) = super::table::empty_note(&t.name, &column.name, &counted) {
        book.borrow_mut().add_note(n);
    }
    Ok(())
}

/// A date given to an as-of lookup: a date, or a cell value that is one
/// (an Excel serial, or text such as 2026-11-30 or 30.11.2026).
fn date_arg(d: &Dynamic, what: &str) -> Res<NaiveDate> {
    if let Some(date) = d.clone().try_cast::<Date>() {
        return Ok(date.0);
    }
    let v = cell_value(d)?;
    value_date(&v).map_err(|e| format!("{what}: {e}").into())
}

/// `table.as_of(date_column, date or column of dates, result_column)`:
/// the result of the last date on or before each date. `if_missing`
/// stands in where there is no such date; without it that is an error
/// naming the date (and the cell it came from).
fn as_of(
    t: &Table,
    date_col: &str,
    when: &Dynamic,
    result_col: &str,
    if_missing: Option<&Dynamic>,
) -> Res<Dynamic> {
    let (dc, rc) = (ok(t.index(date_col))?, ok(t.index(result_col))?);
    let index = ok(t.date_index(dc))?;
    let results = &t.columns[rc];
    let fallback = if_missing.map(cell_value).transpose()?;
    let missing = |d: NaiveDate| -> String {
        let name = &t.columns[dc].name;
        match index.first() {
            Some((first, _)) => format!(
                "as_of: table {} has no {name} on or before {d} (its earliest is {first})",
                t.name
            ),
            None => format!("as_of: table {} has no dates in column {name}", t.name),
        }
    };
    let pick = |d: NaiveDate| -> Option<Value> {
        let n = index.partition_point(|&(x, _)| x <= d);
        n.checked_sub(1).map(|k| results.values[index[k].1].clone())
    };
    let dates = match when.clone().try_cast::<Column>() {
        Some(c) => Some(c),
        None if when.is_array() => Some(column_from_dynamic("Date", when, 0)?),
        None => None,
    };
    if let Some(dates) = dates {
        let mut out = Vec::with_capacity(dates.len());
        for (i, v) in dates.values.iter().enumerate() {
            if v.is_empty() {
                out.push(Value::Empty);
                continue;
            }
            let d = value_date(v).map_err(|e| format!("as_of: {}: {e}", dates.locate(i)))?;
            match (pick(d), &fallback) {
                (Some(r), _) => out.push(r),
                (None, Some(f)) => out.push(f.clone()),
                (None, None) => return fail(format!("{}: {}", dates.locate(i), missing(d))),
            }
        }
        let mut col = Column::new(results.name.clone(), out);
        col.inherit_format(results);
        return Ok(Dynamic::from(col));
    }
    let d = date_arg(when, "as_of")?;
    match (pick(d), fallback) {
        (Some(r), _) => Ok(to_dynamic(&r)),
        (None, Some(f)) => Ok(to_dynamic(&f)),
        (None, None) => fail(missing(d)),
    }
}

fn write_at(book: &SharedBook, sheet: &str, at: CellAddr, v: &Dynamic) -> Res<()> {
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

fn register_sheet(engine: &mut Engine) {
    FuncRegistration::new_getter("name")
        .with_params_info(["sheet: Sheet", "String"])
        .with_comments(["/// The sheet's name."])
        .register_into_engine(engine, |s: &mut Sheet| s.name());
    api!(
        engine,
        "get",
        ["sheet: Sheet", "cell: String", "?"],
        "The value of one cell: sheet.get(\"B2\").",
        |s: &mut Sheet, r: &str| -> Res<Dynamic> {
            let (sh, range) = s.range(r)?;
            Ok(to_dynamic(&s.book.borrow_mut().value(&sh, range.start)))
        }
    );
    FuncRegistration::new_index_getter()
        .with_params_info(["sheet: Sheet", "cell: String", "?"])
        .with_comments(["/// sheet[\"B2\"]: the value of one cell."])
        .register_into_engine(engine, |s: &mut Sheet, r: &str| -> Res<Dynamic> {
            let (sh, range) = s.range(r)?;
            Ok(to_dynamic(&s.book.borrow_mut().value(&sh, range.start)))
        });
    FuncRegistration::new_index_setter()
        .with_params_info(["sheet: Sheet", "cell: String", "value: ?", "()"])
        .with_comments([
            "/// sheet[\"B2\"] = value: writes a value, or a formula when the text starts with =.",
        ])
        .register_into_engine(engine, |s: &mut Sheet, r: &str, v: Dynamic| -> Res<()> {
            let (sh, range) = s.range(r)?;
            write_at(&s.book, &sh, range.start, &v)
        });
    api!(engine, "set", ["sheet: Sheet", "cell: String", "value: ?", "()"], "Writes a value at a cell; a list fills a row, a list of lists a block; text starting with = is a formula.", |s: &mut Sheet, r: &str, v: Dynamic| -> Res<()> {
        let (sh, range) = s.range(r)?;
        write_at(&s.book, &sh, range.start, &v)
    });
    api!(
        engine,
        "values",
        ["sheet: Sheet", "range: String", "Array"],
        "The values of a range as a list of rows (\"A1:D20\", \"C:C\").",
        |s: &mut Sheet, r: &str| -> Res<Array> {
            let (sh, range) = s.range(r)?;
            let mut bk = s.book.borrow_mut();
            let range = bk.clip(&sh, range);
            Ok(rows_array(bk.block(&sh, range)))
        }
    );
    api!(
        engine,
        "clear",
        ["sheet: Sheet", "range: String", "()"],
        "Empties every cell of a range (value, formula and format).",
        |s: &mut Sheet, r: &str| -> Res<()> {
            let (sh, range) = s.range(r)?;
            let mut bk = s.book.borrow_mut();
            let range = bk.clip(&sh, range);
            for row in range.start.row..=range.end.row {
                for col in range.start.col..=range.end.col {
                    ok(bk.clear(&sh, CellAddr::new(row, col)))?;
                }
            }
            Ok(())
        }
    );
    api!(
        engine,
        "formula",
        ["sheet: Sheet", "cell: String", "formula: String", "()"],
        "Writes an Excel formula into one cell: sheet.formula(\"E2\", \"=C2*D2\").",
        |s: &mut Sheet, r: &str, f: &str| -> Res<()> {
            let (sh, range) = s.range(r)?;
            ok(s.book.borrow_mut().set_formula(&sh, range.start, f))
        }
    );
    api!(engine, "fill_formula", ["sheet: Sheet", "range: String", "formula: String", "()"], "Writes the formula into the first cell of the range and fills it over the rest, moving relative references (=C2*D2 becomes =C3*D3 one row down).", |s: &mut Sheet, r: &str, f: &str| -> Res<()> {
        let (sh, range) = s.range(r)?;
        let mut bk = s.book.borrow_mut();
        let range = bk.clip(&sh, range);
        let text = if f.trim().starts_with('=') { f.trim().to_string() } else { format!("={}", f.trim()) };
        for row in range.start.row..=range.end.row {
            for col in range.start.col..=range.end.col {
                let shifted = shift_formula(
                    &text,
                    (row - range.start.row) as i64,
                    (col - range.start.col) as i64,
                );
                ok(bk.set_formula(&sh, CellAddr::new(row, col), &shifted))?;
            }
        }
        Ok(())
    });
    api!(engine, "format", ["sheet: Sheet", "range: String", "format: String", "()"], "Sets the number format of a range: \"currency\", \"percent\", \"date\", \"integer\" or an Excel code such as \"#,##0.00 [$EUR]\".", |s: &mut Sheet, r: &str, f: &str| -> Res<()> {
        let (sh, range) = s.range(r)?;
        let code = number_format(f);
        ok(s.book.borrow_mut().restyle(&sh, range, |st| st.number_format = code.clone()))
    });
    api!(
        engine,
        "bold",
        ["sheet: Sheet", "range: String", "()"],
        "Makes a range bold (for a header row).",
        |s: &mut Sheet, r: &str| -> Res<()> {
            let (sh, range) = s.range(r)?;
            ok(s.book
                .borrow_mut()
                .restyle(&sh, range, |st| st.font.bold = true))
        }
    );
    api!(
        engine,
        "width",
        ["sheet: Sheet", "columns: String", "width: ?", "()"],
        "Sets the width of columns in characters: sheet.width(\"A:C\", 14).",
        |s: &mut Sheet, cols: &str, w: Dynamic| -> Res<()> {
            let range = RangeAddr::parse(cols)
                .or_else(|| RangeAddr::parse(&format!("{cols}:{cols}")))
                .ok_or_else(|| {
                    format!("\"{cols}\" is not a column or columns such as \"A\" or \"A:C\"")
                })?;
            let width = number_arg(&w, "width")?.to_f64();
            let name = s.name()?;
            ok(s.book
                .borrow_mut()
                .set_width(&name, range.start.col, range.end.col, width))
        }
    );
    api!(
        engine,
        "table",
        ["sheet: Sheet", "Table"],
        "The block under the sheet's first non-empty row, taken as the header.",
        |s: &mut Sheet| -> Res<Table> { load_table(&s.book, &s.name()?, &[]) }
    );
    api!(
        engine,
        "table",
        ["sheet: Sheet", "headers: Array", "Table"],
        "The block whose header row holds these headers (found anywhere in the first 200 rows).",
        |s: &mut Sheet, headers: Array| -> Res<Table> {
            let wanted = texts(&Dynamic::from(headers), "table headers")?;
            load_table(&s.book, &s.name()?, &wanted)
        }
    );
    api!(
        engine,
        "write_table",
        ["sheet: Sheet", "table: Table", "at: String", "()"],
        "Writes a table with a bold header at a cell of this sheet.",
        |s: &mut Sheet, t: Table, at: &str| -> Res<()> { write_table(&s.book, &t, &s.name()?, at) }
    );
    api!(
        engine,
        "add_table",
        ["sheet: Sheet", "name: String", "range: String", "()"],
        "Makes a block of this sheet, header row first, an Excel table: sheet.add_table(\"Totals\", \"A1:C20\").",
        |s: &mut Sheet, name: &str, range: &str| -> Res<()> {
            let (sheet, r) = s.range(range)?;
            let mut bk = s.book.borrow_mut();
            let r = bk.clip(&sheet, r);
            ok(bk.add_table(&sheet, name, r))
        }
    );
    api!(
        engine,
        "rename",
        ["sheet: Sheet", "new_name: String", "()"],
        "Renames the sheet; this handle, and tables read from the sheet, follow it.",
        |s: &mut Sheet, new: &str| -> Res<()> {
            let old = s.name()?;
            ok(s.book.borrow_mut().rename_sheet(&old, new))
        }
    );
    FuncRegistration::new_getter("last_row")
        .with_params_info(["sheet: Sheet", "INT"])
        .with_comments(["/// Number of the last row holding anything (0 for an empty sheet)."])
        .register_into_engine(engine, |s: &mut Sheet| -> Res<INT> {
            let name = s.name()?;
            let bk = s.book.borrow();
            Ok(bk
                .workbook()
                .sheet(&name)
                .and_then(|x| x.used_range())
                .map_or(0, |r| r.end.row as INT + 1))
        });
    api!(
        engine,
        "to_string",
        ["sheet: Sheet", "String"],
        "The sheet's name, for printing.",
        |s: &mut Sheet| -> Res<String> { Ok(format!("sheet {}", s.name()?)) }
    );
}

fn register_table(engine: &mut Engine, book: &SharedBook) {
    FuncRegistration::new_getter("name")
        .with_params_info(["table: Table", "String"])
        .with_comments(["/// The table's name."])
        .register_into_engine(engine, |t: &mut Table| t.name.clone());
    FuncRegistration::new_getter("len")
        .with_params_info(["table: Table", "INT"])
        .with_comments(["/// Number of data rows."])
        .register_into_engine(engine, |t: &mut Table| t.len as INT);
    FuncRegistration::new_getter("columns")
        .with_params_info(["table: Table", "Array"])
        .with_comments(["/// The column headers in order."])
        .register_into_engine(engine, |t: &mut Table| -> Array {
            t.names().into_iter().map(Dynamic::from).collect()
        });
    api!(
        engine,
        "to_string",
        ["table: Table", "String"],
        "The name, size, headers and first rows, for printing.",
        |t: &mut Table| table_to_string(t)
    );
    api!(
        engine,
        "col",
        ["table: Table", "name: String", "Column"],
        "A column by header (case and spaces ignored; an unknown name lists the columns).",
        |t: &mut Table, name: &str| -> Res<Column> { ok(t.column(name).cloned()) }
    );
    FuncRegistration::new_index_getter()
        .with_params_info(["table: Table", "column: String", "Column"])
        .with_comments(["/// table[\"Net\"]: a column by header."])
        .register_into_engine(engine, |t: &mut Table, name: &str| -> Res<Column> {
            ok(t.column(name).cloned())
        });
    FuncRegistration::new_index_getter()
        .with_params_info(["table: Table", "row: INT", "Row"])
        .with_comments(["/// table[0]: a row by position (from 0; negative counts from the end)."])
        .register_into_engine(engine, |t: &mut Table, i: INT| -> Res<Row> {
            let idx = if i < 0 { t.len as INT + i } else { i };
            if idx < 0 || idx as usize >= t.len {
                return fail(format!(
                    "row {i} is outside table {} ({} rows)",
                    t.name, t.len
                ));
            }
            Ok(t.row(idx as usize))
        });
    FuncRegistration::new_index_setter()
        .with_params_info(["table: Table", "column: String", "values: ?", "()"])
        .with_comments([
            "/// table[\"VAT\"] = column, list or single value: sets or adds a column.",
        ])
        .register_into_engine(engine, {
            let b = book.clone();
            move |t: &mut Table, name: &str, v: Dynamic| -> Res<()> {
                let col = column_from_dynamic(name, &v, t.len)?;
                set_column_noted(&b, t, name, col)
            }
        });
    let b = book.clone();
    api!(engine, "add_column", ["table: Table", "name: String", "values: ?", "()"], "Adds (or replaces) a column from a Column, a list, one value for every row, or a closure |row| ... called per row.", move |ctx: NativeCallContext, t: &mut Table, name: &str, v: Dynamic| -> Res<()> {
        let col = if let Some(f) = v.clone().try_cast::<FnPtr>() {
            let vals = map_rows(&ctx, t, &f)?;
            Column::new(name, vals.iter().map(cell_value).collect::<Res<Vec<_>>>()?)
        } else {
            column_from_dynamic(name, &v, t.len)?
        };
        set_column_noted(&b, t, name, col)
    });
    api!(
        engine,
        "rows",
        ["table: Table", "Array"],
        "The rows as a list; each row has fields by header: row.Net, row[\"VAT Rate\"].",
        |t: &mut Table| -> Array { t.rows().into_iter().map(Dynamic::from).collect() }
    );
    api!(
        engine,
        "filter",
        ["table: Table", "keep: FnPtr", "Table"],
        "The rows for which the closure returns true: t.filter(|r| r.Currency == \"EUR\").",
        |ctx: NativeCallContext, t: &mut Table, f: FnPtr| -> Res<Table> {
            let keep = map_rows(&ctx, t, &f)?;
            let mut picks = Vec::new();
            for (i, k) in keep.iter().enumerate() {
                match k.as_bool() {
                    Ok(true) => picks.push(i),
                    Ok(false) => {}
                    Err(_) => {
                        return fail(format!(
                            "filter: the closure must return true or false, returned {} for row {}",
                            describe(k),
                            i + 1
                        ))
                    }
                }
            }
            Ok(t.pick(&picks))
        }
    );
    api!(
        engine,
        "filter",
        ["table: Table", "column: String", "value: Any", "Table"],
        "The rows whose column equals the value (as keys match: text case-insensitive, numeric text equals the number), without a per-row closure: t.filter(\"Currency\", \"EUR\").",
        |t: &mut Table, col: &str, v: Dynamic| -> Res<Table> {
            let c = ok(t.index(col))?;
            let picks = t.positions(c, &cell_value(&v)?);
            Ok(t.pick(&picks))
        }
    );
    api!(engine, "sort", ["table: Table", "by: ?", "Table"], "Sorted by a column or a list of columns; \"-Net\" sorts descending. Text sorts case-insensitively.", |t: &mut Table, by: Dynamic| -> Res<Table> {
        let keys = sort_keys(t, &by)?;
        Ok(t.sorted(&keys))
    });
    api!(
        engine,
        "select",
        ["table: Table", "columns: Array", "Table"],
        "Only these columns, in this order.",
        |t: &mut Table, cols: Array| -> Res<Table> {
            let names = texts(&Dynamic::from(cols), "select")?;
            ok(t.select(&names))
        }
    );
    api!(
        engine,
        "rename_column",
        ["table: Table", "old: String", "new: String", "()"],
        "Renames a column (its cells stay where they are).",
        |t: &mut Table, old: &str, new: &str| -> Res<()> {
            let i = ok(t.index(old))?;
            t.columns[i].name = new.to_string();
            Ok(())
        }
    );
    api!(engine, "format", ["table: Table", "column: String", "format: String", "()"], "The number format used when the column is written: \"currency\", \"percent\", \"date\" or an Excel code.", |t: &mut Table, col: &str, f: &str| -> Res<()> {
        let i = ok(t.index(col))?;
        t.columns[i].format = Some(f.to_string());
        Ok(())
    });
    api!(engine, "group_by", ["table: Table", "keys: ?", "summaries: ?", "Table"], "One row per distinct key (sorted), with summaries such as [\"sum Net\", \"count\", \"average Net\", \"min Due Date\", \"max Net as Largest\"].", |t: &mut Table, keys: Dynamic, aggs: Dynamic| -> Res<Table> {
        let k = key_columns(t, &keys)?;
        let specs = texts(&aggs, "group_by summaries")?;
        let aggs = specs.iter().map(|s| ok(t.aggregate(s))).collect::<Res<Vec<_>>>()?;
        ok(t.group(&k, &aggs))
    });
    api!(
        engine,
        "pivot",
        ["table: Table", "rows: ?", "across: String", "summary: String", "Table"],
        "A cross table: one row per rows key, one column per value of `across` (sorted), each cell the summary, e.g. t.pivot(\"Customer\", \"Bucket\", \"sum Gross\").",
        |t: &mut Table, rows: Dynamic, across: &str, summary: &str| -> Res<Table> {
            let (r, a) = (key_columns(t, &rows)?, ok(t.index(across))?);
            let agg = ok(t.aggregate(summary))?;
            ok(t.pivot(&r, a, &agg, None))
        }
    );
    api!(
        engine,
        "pivot",
        ["table: Table", "rows: ?", "across: String", "summary: String", "columns: Array", "Table"],
        "A cross table with its columns in the given order (every value of `across` must be listed).",
        |t: &mut Table, rows: Dynamic, across: &str, summary: &str, order: Array| -> Res<Table> {
            let (r, a) = (key_columns(t, &rows)?, ok(t.index(across))?);
            let agg = ok(t.aggregate(summary))?;
            let order = order.iter().map(cell_value).collect::<Res<Vec<_>>>()?;
            ok(t.pivot(&r, a, &agg, Some(&order)))
        }
    );
    api!(
        engine,
        "sum",
        ["table: Table", "column: String", "Decimal"],
        "Sum of a column (text in it is an error naming the cell).",
        |t: &mut Table, col: &str| -> Res<Dynamic> {
            let c = ok(t.column(col))?;
            Ok(super::values::number_to_dynamic(ok(c.sum())?))
        }
    );
    api!(engine, "lookup", ["table: Table", "key_column: String", "key: ?", "result_column: String", "?"], "XLOOKUP: the result column of the first row whose key column equals key (text case-insensitive, numeric text equals the number); an error saying what was not found otherwise.", |t: &mut Table, kc: &str, key: Dynamic, rc: &str| -> Res<Dynamic> {
        let (k, r) = (ok(t.index(kc))?, ok(t.index(rc))?);
        let kv = cell_value(&key)?;
        match t.find(k, &kv) {
            Some(i) => Ok(to_dynamic(&t.columns[r].values[i])),
            None => fail(format!("lookup: {} \"{}\" is not in column {} of table {}", t.columns[k].name, kv, t.columns[k].name, t.name)),
        }
    });
    api!(
        engine,
        "lookup",
        [
            "table: Table",
            "key_column: String",
            "key: ?",
            "result_column: String",
            "if_missing: ?",
            "?"
        ],
        "XLOOKUP with a value to return when the key is not found.",
        |t: &mut Table, kc: &str, key: Dynamic, rc: &str, missing: Dynamic| -> Res<Dynamic> {
            let (k, r) = (ok(t.index(kc))?, ok(t.index(rc))?);
            let kv = cell_value(&key)?;
            Ok(match t.find(k, &kv) {
                Some(i) => to_dynamic(&t.columns[r].values[i]),
                None => missing,
            })
        }
    );
    api!(engine, "as_of", ["table: Table", "date_column: String", "date: ?", "result_column: String", "?"], "As-of lookup: the result column of the last row dated on or before the date (the rate of the day, or the last before it); give a column (or list) of dates for a whole column of results. Sorted or not; an error when there is no earlier date.", |t: &mut Table, dc: &str, when: Dynamic, rc: &str| -> Res<Dynamic> {
        as_of(t, dc, &when, rc, None)
    });
    api!(
        engine,
        "as_of",
        [
            "table: Table",
            "date_column: String",
            "date: ?",
            "result_column: String",
            "if_missing: ?",
            "?"
        ],
        "As-of lookup with a value for dates before the table's first date.",
        |t: &mut Table, dc: &str, when: Dynamic, rc: &str, missing: Dynamic| -> Res<Dynamic> {
            as_of(t, dc, &when, rc, Some(&missing))
        }
    );
    api!(
        engine,
        "find",
        ["table: Table", "key_column: String", "key: ?", "?"],
        "The first row whose key column equals key, or () when there is none.",
        |t: &mut Table, kc: &str, key: Dynamic| -> Res<Dynamic> {
            let k = ok(t.index(kc))?;
            let kv = cell_value(&key)?;
            Ok(t.find(k, &kv)
                .map_or(Dynamic::UNIT, |i| Dynamic::from(t.row(i))))
        }
    );
    let b = book.clone();
    api!(engine, "join", ["table: Table", "other: Table", "key: ?", "Table"], "Left join: adds the other table's columns to each row with the same key (a column name or a list); unmatched rows get empty cells. Keys match as an accountant means them: numeric text equals the number, case and surrounding spaces do not count.", move |t: &mut Table, other: Table, key: Dynamic| -> Res<Table> {
        let (l, r) = (key_columns(t, &key)?, key_columns(&other, &key)?);
        Ok(joined(&b, t.join_checked(&other, &l, &r, true)))
    });
    api!(
        engine,
        "join",
        [
            "table: Table",
            "other: Table",
            "key: ?",
            "other_key: ?",
            "Table"
        ],
        "Left join on differently named keys.",
        {
            let b = book.clone();
            move |t: &mut Table, other: Table, key: Dynamic, okey: Dynamic| -> Res<Table> {
                let (l, r) = (key_columns(t, &key)?, key_columns(&other, &okey)?);
                if l.len() != r.len() {
                    return fail("join: both sides need the same number of key columns");
                }
                Ok(joined(&b, t.join_checked(&other, &l, &r, true)))
            }
        }
    );
    api!(
        engine,
        "inner_join",
        ["table: Table", "other: Table", "key: ?", "Table"],
        "Like join, but keeps only rows that have a match.",
        {
            let b = book.clone();
            move |t: &mut Table, other: Table, key: Dynamic| -> Res<Table> {
                let (l, r) = (key_columns(t, &key)?, key_columns(&other, &key)?);
                Ok(joined(&b, t.join_checked(&other, &l, &r, false)))
            }
        }
    );
    let b = book.clone();
    api!(engine, "reconcile", ["table: Table", "other: Table", "options: Map", "Map"], "Matches two tables: options #{ key, other_key, amount, other_amount, tolerance }. Returns #{ matched, mismatched, only_left, only_right } tables; amounts are summed per key.", move |t: &mut Table, other: Table, opts: Map| -> Res<Map> {
        let get = |k: &str| option(&opts, k).map(|d| d.to_string());
        let key = get("key").ok_or("reconcile: options need key: \"column\"")?;
        let okey = get("other_key").unwrap_or_else(|| key.clone());
        let amt = get("amount").ok_or("reconcile: options need amount: \"column\"")?;
        let oamt = get("other_amount").unwrap_or_else(|| amt.clone());
        let tol = match option(&opts, "tolerance") {
            Some(d) => number_arg(d, "reconcile tolerance")?,
            None => Number::ZERO,
        };
        let cols = ((ok(t.index(&key))?, ok(other.index(&okey))?), (ok(t.index(&amt))?, ok(other.index(&oamt))?));
        let r = ok(t.reconcile(&other, cols.0, cols.1, tol))?;
        if let Some(w) = &r.warning {
            b.borrow_mut().warn(w.clone());
        }
        Ok(reconciliation_map(r))
    });
    api!(
        engine,
        "add_row",
        ["table: Table", "values: ?", "()"],
        "Appends a row from a list (in column order) or a map by header.",
        |t: &mut Table, v: Dynamic| -> Res<()> {
            let values: Vec<Value> = if let Some(arr) = v.clone().try_cast::<Array>() {
                arr.iter().map(cell_value).collect::<Res<_>>()?
            } else if let Some(m) = v.clone().try_cast::<Map>() {
                let mut vals = vec![Value::Empty; t.columns.len()];
                for (k, x) in m.iter() {
                    vals[ok(t.index(k))?] = cell_value(x)?;
                }
                vals
            } else {
                return fail(format!(
                    "add_row: expected a list or a map, found {}",
                    describe(&v)
                ));
            };
            if values.len() > t.columns.len() {
                return fail(format!(
                    "add_row: {} values for {} columns",
                    values.len(),
                    t.columns.len()
                ));
            }
            for (j, c) in t.columns.iter_mut().enumerate() {
                Rc::make_mut(&mut c.values).push(values.get(j).cloned().unwrap_or_default());
                c.origin = None;
            }
            t.len += 1;
            Ok(())
        }
    );
    let b = book.clone();
    api!(engine, "save", ["table: Table", "()"], "Writes changed and new columns back to the sheet the table was read from (new columns to its right, with a bold header).", move |t: &mut Table| -> Res<()> {
        ok(t.save(&mut b.borrow_mut()))
    });
    api!(
        engine,
        "new_table",
        ["name: String", "headers: Array", "rows: Array", "Table"],
        "A new table from headers and a list of rows.",
        |name: &str, headers: Array, rows: Array| -> Res<Table> {
            let names = texts(&Dynamic::from(headers), "new_table headers")?;
            let mut data = Vec::with_capacity(rows.len());
            for (i, r) in rows.iter().enumerate() {
                let cells = r.clone().try_cast::<Array>().ok_or_else(|| {
                    format!("new_table: row {} is {}, not a list", i + 1, describe(r))
                })?;
                data.push(cells.iter().map(cell_value).collect::<Res<Vec<_>>>()?);
            }
            Ok(Table::from_rows(name, names, data))
        }
    );
    FuncRegistration::new_index_getter()
        .with_params_info(["row: Row", "field: String", "?"])
        .with_comments([
            "/// row[\"VAT Rate\"] or row.Net: a field by header (case and spaces ignored).",
        ])
        .register_into_engine(engine, |r: &mut Row, name: &str| -> Res<Dynamic> {
            let i = ok(r.field(name))?;
            Ok(to_dynamic(r.get(i)))
        });
    api!(
        engine,
        "to_map",
        ["row: Row", "Map"],
        "The row as a map from header to value.",
        |r: &mut Row| -> Map {
            r.names
                .iter()
                .zip(r.values())
                .map(|(n, v)| (n.as_str().into(), to_dynamic(v)))
                .collect()
        }
    );
    api!(
        engine,
        "to_string",
        ["row: Row", "String"],
        "The row as header: value pairs, for printing.",
        |r: &mut Row| -> String {
            r.names
                .iter()
                .zip(r.values())
                .map(|(n, v)| format!("{n}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
}

fn register_column(engine: &mut Engine) {
    fn op_reg(engine: &mut Engine, sym: &'static str, op: Op) {
        FuncRegistration::new(sym)
            .with_params_info(["a: Column", "b: Column", "Column"])
            .with_comments(["/// Value by value, in Rust (no per-row script)."])
            .register_into_engine(engine, move |a: Column, b: Column| -> Res<Column> {
                ok(arith(Operand::Col(&a), op, Operand::Col(&b)))
            });
        FuncRegistration::new(sym)
            .with_params_info(["a: Column", "b: number", "Column"])
            .with_comments(["/// Every value with one number."])
            .register_into_engine(engine, move |a: Column, b: Dynamic| -> Res<Column> {
                let n = number_arg(&b, sym)?;
                ok(arith(Operand::Col(&a), op, Operand::Scalar(n)))
            });
        FuncRegistration::new(sym)
            .with_params_info(["a: number", "b: Column", "Column"])
            .with_comments(["/// One number with every value."])
            .register_into_engine(engine, move |a: Dynamic, b: Column| -> Res<Column> {
                let n = number_arg(&a, sym)?;
                ok(arith(Operand::Scalar(n), op, Operand::Col(&b)))
            });
    }
    op_reg(engine, "+", Op::Add);
    op_reg(engine, "-", Op::Sub);
    op_reg(engine, "*", Op::Mul);
    op_reg(engine, "/", Op::Div);
    api!(
        engine,
        "-",
        ["a: Column", "Column"],
        "Every value negated.",
        |a: Column| -> Res<Column> {
            ok(arith(
                Operand::Scalar(Number::ZERO),
                Op::Sub,
                Operand::Col(&a),
            ))
        }
    );
    api!(
        engine,
        "abs",
        ["column: Column", "Column"],
        "Every value without its sign.",
        |c: Column| -> Res<Column> {
            let mut out = Vec::with_capacity(c.len());
            for (i, v) in c.values.iter().enumerate() {
                out.push(match v {
                    Value::Empty => Value::Empty,
                    _ => Value::Number(ok(c.number(i))?.abs()),
                });
            }
            Ok(Column::new(c.name.clone(), out))
        }
    );
    FuncRegistration::new_getter("len")
        .with_params_info(["column: Column", "INT"])
        .with_comments(["/// Number of values."])
        .register_into_engine(engine, |c: &mut Column| c.len() as INT);
    FuncRegistration::new_getter("name")
        .with_params_info(["column: Column", "String"])
        .with_comments(["/// The column's header."])
        .register_into_engine(engine, |c: &mut Column| c.name.clone());
    api!(
        engine,
        "sum",
        ["column: Column", "Decimal"],
        "Sum of the values (empty counts as 0; text is an error naming the cell).",
        |c: Column| -> Res<Dynamic> { Ok(super::values::number_to_dynamic(ok(c.sum())?)) }
    );
    api!(
        engine,
        "count",
        ["column: Column", "INT"],
        "Number of non-empty values.",
        |c: Column| c.count() as INT
    );
    api!(
        engine,
        "average",
        ["column: Column", "Decimal"],
        "Mean of the non-empty values.",
        |c: Column| -> Res<Dynamic> { Ok(super::values::number_to_dynamic(ok(c.average())?)) }
    );
    api!(
        engine,
        "min",
        ["column: Column", "?"],
        "Smallest value (dates stay dates).",
        |c: Column| -> Res<Dynamic> { Ok(to_dynamic(&ok(c.extreme(false))?)) }
    );
    api!(
        engine,
        "max",
        ["column: Column", "?"],
        "Largest value (dates stay dates).",
        |c: Column| -> Res<Dynamic> { Ok(to_dynamic(&ok(c.extreme(true))?)) }
    );
    FuncRegistration::new_index_getter()
        .with_params_info(["column: Column", "index: INT", "?"])
        .with_comments(["/// column[0]: one value by position."])
        .register_into_engine(engine, |c: &mut Column, i: INT| -> Res<Dynamic> {
            let idx = if i < 0 { c.len() as INT + i } else { i };
            match c.values.get(idx.max(0) as usize) {
                Some(v) if idx >= 0 => Ok(to_dynamic(v)),
                _ => fail(format!(
                    "index {i} is outside column \"{}\" ({} values)",
                    c.name,
                    c.len()
                )),
            }
        });
    api!(
        engine,
        "to_array",
        ["column: Column", "Array"],
        "The values as a list.",
        |c: Column| -> Array { c.values.iter().map(to_dynamic).collect() }
    );
    api!(
        engine,
        "map",
        ["column: Column", "f: FnPtr", "Column"],
        "A column of f(value) for each value (runs the closure per value).",
        |ctx: NativeCallContext, c: Column, f: FnPtr| -> Res<Column> {
            let mut out = Vec::with_capacity(c.len());
            for (i, v) in c.values.iter().enumerate() {
                let r: Dynamic = f
                    .call_within_context(&ctx, (to_dynamic(v),))
                    .map_err(|e| format!("{}: {}", c.locate(i), plain_error(&e)))?;
                out.push(cell_value(&r)?);
            }
            Ok(c.with_values(out))
        }
    );
    api!(engine, "days_until", ["column: Column", "date: Date", "Column"], "Whole days from each date in the column to the given date (positive when the date is later).", |c: Column, d: Date| -> Res<Column> {
        let mut out = Vec::with_capacity(c.len());
        for (i, v) in c.values.iter().enumerate() {
            if v.is_empty() {
                out.push(Value::Empty);
                continue;
            }
            let from = value_date(v).map_err(|e| format!("{}: {e}", c.locate(i)))?;
            out.push(Value::Number(Number::from_i64(days_between(from, d.0))));
        }
        Ok(Column::new(c.name.clone(), out))
    });
    api!(
        engine,
        "with_format",
        ["column: Column", "format: String", "Column"],
        "The same column, written with this number format.",
        |c: Column, f: &str| -> Column {
            Column {
                format: Some(f.to_string()),
                ..c
            }
        }
    );
    api!(
        engine,
        "to_string",
        ["column: Column", "String"],
        "The header and first values, for printing.",
        |c: &mut Column| -> String {
            let vals: Vec<String> = c.values.iter().take(8).map(|v| v.to_string()).collect();
            format!(
                "column {} ({} values): {}{}",
                c.name,
                c.len(),
                vals.join(", "),
                if c.len() > 8 { ", ..." } else { "" }
            )
        }
    );
}

fn register_dates(engine: &mut Engine, book: &SharedBook) {
    let b = book.clone();
    api!(
        engine,
        "today",
        ["Date"],
        "Today's date (fixed by --today for repeatable runs).",
        move || today_of(&b)
    );
    api!(
        engine,
        "date",
        ["year: INT", "month: INT", "day: INT", "Date"],
        "A date from year, month and day.",
        make_date
    );
    api!(
        engine,
        "date",
        ["text: String", "Date"],
        "A date from \"2026-11-30\" (or \"30.11.2026\", \"30/11/2026\").",
        |t: &str| -> Res<Date> {
            parse_date(t)
                .map(Date)
                .ok_or_else(|| format!("\"{t}\" is not a date; write it as 2026-11-30").into())
        }
    );
    api!(
        engine,
        "year_month",
        ["date: Date", "String"],
        "The month of a date as text that sorts and groups: year_month(date(2026, 11, 30)) is \"2026-11\".",
        |d: Date| d.0.format("%Y-%m").to_string()
    );
    api!(
        engine,
        "year_month",
        ["date: String", "String"],
        "The month of a date written as text (\"30.11.2026\", \"2026-11-30\") as \"2026-11\".",
        |t: &str| -> Res<String> {
            parse_date(t)
                .map(|d| d.format("%Y-%m").to_string())
                .ok_or_else(|| {
                    format!("year_month: \"{t}\" is not a date; write it as 2026-11-30").into()
                })
        }
    );
    api!(
        engine,
        "year_month",
        ["dates: Column", "Column"],
        "The month of every date in a column as \"2026-11\" (empty stays empty), for group_by.",
        |c: Column| -> Res<Column> {
            let mut out = Vec::with_capacity(c.len());
            for (i, v) in c.values.iter().enumerate() {
                out.push(match v {
                    Value::Empty => Value::Empty,
                    _ => {
                        let d = value_date(v)
                            .map_err(|e| format!("year_month: {}: {e}", c.locate(i)))?;
                        Value::Text(d.format("%Y-%m").to_string())
                    }
                });
            }
            Ok(Column::new(c.name.clone(), out))
        }
    );
    api!(
        engine,
        "date_from_serial",
        ["serial: INT", "Date"],
        "The date of an Excel serial number of the workbook's date system (1900, or 1904 for a 1904 workbook).",
        |n: INT| -> Res<Date> {
            crate::formula::calc::date_system()
                .serial_of(n as f64)
                .and_then(|serial| crate::model::value::date_from_serial(serial as i64))
                .map(Date)
                .ok_or_else(|| format!("{n} is not an Excel date serial").into())
        }
    );
    for (prop, doc, f) in [
        (
            "year",
            "/// The year.",
            (|d: &mut Date| d.0.year() as INT) as fn(&mut Date) -> INT,
        ),
        ("month", "/// The month, 1 to 12.", |d: &mut Date| {
            d.0.month() as INT
        }),
        ("day", "/// The day of the month.", |d: &mut Date| {
            d.0.day() as INT
        }),
        (
            "weekday",
            "/// 1 for Monday to 7 for Sunday.",
            |d: &mut Date| d.0.weekday().number_from_monday() as INT,
        ),
        (
            "serial",
            "/// The Excel serial number in the workbook's date system (1900, or 1904 for a 1904 workbook).",
            |d: &mut Date| d.serial(),
        ),
    ] {
        FuncRegistration::new_getter(prop)
            .with_params_info(["date: Date", "INT"])
            .with_comments([doc])
            .register_into_engine(engine, f);
    }
    api!(
        engine,
        "+",
        ["date: Date", "days: INT", "Date"],
        "The date so many days later.",
        |d: Date, n: INT| -> Res<Date> { shift_days(d, n) }
    );
    api!(
        engine,
        "-",
        ["date: Date", "days: INT", "Date"],
        "The date so many days earlier.",
        |d: Date, n: INT| -> Res<Date> { shift_days(d, -n) }
    );
    api!(
        engine,
        "-",
        ["a: Date", "b: Date", "INT"],
        "Days from b to a.",
        |a: Date, b: Date| days_between(b.0, a.0)
    );
    api!(
        engine,
        "add_days",
        ["date: Date", "days: INT", "Date"],
        "The date so many days later (negative for earlier).",
        |d: Date, n: INT| -> Res<Date> { shift_days(d, n) }
    );
    api!(
        engine,
        "days_between",
        ["from: Date", "to: Date", "INT"],
        "Days from one date to another (negative when `to` is earlier).",
        |a: Date, b: Date| days_between(a.0, b.0)
    );
    api!(
        engine,
        "add_months",
        ["date: Date", "months: INT", "Date"],
        "The same day so many months later, clamped to the month's end (EDATE).",
        |d: Date, n: INT| -> Res<Date> {
            add_months(d.0, n)
                .map(Date)
                .ok_or_else(|| "add_months: the date is out of range".into())
        }
    );
    api!(
        engine,
        "end_of_month",
        ["date: Date", "Date"],
        "The last day of the date's month (EOMONTH(date, 0)).",
        |d: Date| -> Res<Date> {
            end_of_month(d.0, 0)
                .map(Date)
                .ok_or_else(|| "end_of_month: out of range".into())
        }
    );
    api!(
        engine,
        "end_of_month",
        ["date: Date", "months: INT", "Date"],
        "The last day of the month so many months later (EOMONTH).",
        |d: Date, n: INT| -> Res<Date> {
            end_of_month(d.0, n)
                .map(Date)
                .ok_or_else(|| "end_of_month: out of range".into())
        }
    );
    api!(
        engine,
        "working_days",
        ["from: Date", "to: Date", "INT"],
        "Monday-to-Friday days between two dates, both included (NETWORKDAYS).",
        |a: Date, b: Date| working_days(a.0, b.0, &[])
    );
    api!(
        engine,
        "working_days",
        ["from: Date", "to: Date", "holidays: Array", "INT"],
        "NETWORKDAYS with a list of holiday dates.",
        |a: Date, b: Date, h: Array| -> Res<INT> {
            let hol = h
                .iter()
                .map(|x| {
                    x.clone().try_cast::<Date>().map(|d| d.0).ok_or_else(|| {
                        format!(
                            "working_days: holidays must be dates, found {}",
                            describe(x)
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(working_days(a.0, b.0, &hol))
        }
    );
    for (sym, f) in [
        ("==", (|a: Date, b: Date| a == b) as fn(Date, Date) -> bool),
        ("!=", |a: Date, b: Date| a != b),
        ("<", |a: Date, b: Date| a < b),
        ("<=", |a: Date, b: Date| a <= b),
        (">", |a: Date, b: Date| a > b),
        (">=", |a: Date, b: Date| a >= b),
    ] {
        FuncRegistration::new(sym)
            .with_params_info(["a: Date", "b: Date", "bool"])
            .with_comments(["/// Compares two dates."])
            .register_into_engine(engine, f);
    }
    api!(
        engine,
        "to_string",
        ["date: Date", "String"],
        "The date as 2026-11-30.",
        |d: &mut Date| d.to_string()
    );
    api!(
        engine,
        "to_debug",
        ["date: Date", "String"],
        "The date as 2026-11-30.",
        |d: &mut Date| d.to_string()
    );
    api!(
        engine,
        "to_string",
        ["error: CellError", "String"],
        "The Excel error text such as #N/A.",
        |e: &mut CellError| e.0.as_str().to_string()
    );
    api!(
        engine,
        "is_error",
        ["value: ?", "bool"],
        "Whether a cell value is an Excel error such as #N/A.",
        |v: Dynamic| v.is::<CellError>()
    );
}

fn shift_days(d: Date, n: INT) -> Res<Date> {
    d.0.checked_add_signed(chrono::Duration::days(n))
        .map(Date)
        .ok_or_else(|| "the date is out of range".into())
}

/// A script value as a formula argument: lists of lists become arrays,
/// a column a one-column array.
fn calc_arg(d: &Dynamic) -> Res<CalcValue> {
    if let Some(c) = d.clone().try_cast::<Column>() {
        return Ok(CalcValue::Array(crate::formula::Array::column(
            c.values.to_vec(),
        )));
    }
    if let Some(arr) = d.clone().try_cast::<Array>() {
        let rows: Vec<Vec<Value>> = if arr.iter().any(|x| x.is_array()) {
            arr.iter()
                .map(|r| {
                    r.clone()
                        .try_cast::<Array>()
                        .unwrap_or_else(|| vec![r.clone()])
                        .iter()
                        .map(cell_value)
                        .collect::<Res<Vec<_>>>()
                })
                .collect::<Res<_>>()?
        } else {
            vec![arr.iter().map(cell_value).collect::<Res<Vec<_>>>()?]
        };
        return crate::formula::Array::from_rows(rows)
            .map(CalcValue::Array)
            .ok_or_else(|| {
                "a list passed to an Excel function must be non-empty and rectangular".into()
            });
    }
    Ok(CalcValue::Value(cell_value(d)?))
}

/// A formula result as a script value: a single value, or a list of rows
/// for an array or range.
fn calc_result(book: &SharedBook, v: CalcValue) -> Dynamic {
    let rows = match v {
        CalcValue::Value(v) => return to_dynamic(&v),
        CalcValue::Array(a) => (0..a.rows)
            .map(|r| a.row_slice(r).to_vec())
            .collect::<Vec<_>>(),
        CalcValue::Ref(area) => {
            let mut bk = book.borrow_mut();
            let name = bk
                .workbook()
                .sheets
                .get(area.sheet)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let block = bk.block(&name, area.range);
            if area.is_cell() {
                return to_dynamic(&block[0][0]);
            }
            block
        }
        CalcValue::Refs(_) => {
            return Dynamic::from(crate::model::ErrorKind::Value.as_str().to_string())
        }
    };
    Dynamic::from_array(rows_array(rows))
}

fn excel_call(book: &SharedBook, name: &str, args: &[Dynamic]) -> Res<Dynamic> {
    let args = args.iter().map(calc_arg).collect::<Res<Vec<_>>>()?;
    let r = ok(book.borrow_mut().call(name, args))?;
    Ok(calc_result(book, r))
}

fn register_excel(engine: &mut Engine, book: &SharedBook) {
    macro_rules! excel_n {
        ($($a:ident),*) => {{
            let b = book.clone();
            let params = ["name: String" $(, concat!(stringify!($a), ": Any"))*, "Any"];
            FuncRegistration::new("excel")
                .with_params_info(params)
                .with_comments(["/// Calls an Excel function by name through the formula engine: excel(\"PMT\", rate, n, pv). Lists and columns are passed as ranges."])
                .register_into_engine(engine, move |name: &str $(, $a: Dynamic)*| -> Res<Dynamic> {
                    excel_call(&b, name, &[$($a),*])
                });
        }};
    }
    excel_n!();
    excel_n!(a);
    excel_n!(a, b);
    excel_n!(a, b, c);
    excel_n!(a, b, c, d);
    excel_n!(a, b, c, d, e);
    excel_n!(a, b, c, d, e, f);
    let b = book.clone();
    api!(engine, "calc", ["formula: String", "Any"], "Evaluates an Excel formula against the workbook as it is now: calc(\"=SUM(Invoices!E2:E41)\").", move |f: &str| -> Res<Dynamic> {
        let r = ok(b.borrow_mut().eval(None, f))?;
        Ok(calc_result(&b, r))
    });
    api!(
        engine,
        "calc",
        ["sheet: Sheet", "formula: String", "Any"],
        "Evaluates an Excel formula on this sheet: sheet.calc(\"=SUM(E2:E41)\").",
        |s: &mut Sheet, f: &str| -> Res<Dynamic> {
            let name = s.name()?;
            let r = ok(s.book.borrow_mut().eval(Some(&name), f))?;
            Ok(calc_result(&s.book, r))
        }
    );
    let b = book.clone();
    api!(
        engine,
        "allow_overwrite",
        ["()"],
        "Lets the table writes after it (write_table) replace cells that held data before the run; without it such a write stops the run naming the cells.",
        move || {
            b.borrow_mut().overwrite_allowed = true;
        }
    );
    let b = book.clone();
    api!(
        engine,
        "excel_functions",
        ["List"],
        "Names of every Excel function the formula engine knows.",
        move || -> Array {
            b.borrow()
                .function_names()
                .into_iter()
                .map(|n| Dynamic::from(n.to_string()))
                .collect()
        }
    );
}

/// `round`, `round_up`, `round_down` and `round_bankers` on numbers, whole
/// numbers and columns, each through [`Rounding::apply`] (the formula
/// engine's ROUND, ROUNDUP and ROUNDDOWN).
fn register_rounding(engine: &mut Engine) {
    let digits_of = |digits: INT| digits.clamp(-400, 400) as i32;
    for (name, rounding, what) in [
        ("round", Rounding::HalfAway, "half away from zero like Excel's ROUND: round(2.345, 2) is 2.35, round(1250, -2) is 1300"),
        ("round_up", Rounding::Up, "away from zero, like Excel's ROUNDUP: round_up(2.341, 2) is 2.35"),
        ("round_down", Rounding::Down, "toward zero, like Excel's ROUNDDOWN: round_down(2.349, 2) is 2.34"),
        ("round_bankers", Rounding::Bankers, "half to even (banker's rounding): round_bankers(2.345, 2) is 2.34"),
    ] {
        let decimal = move |x: Decimal, digits: INT| -> Res<Decimal> {
            let rounded = rounding.apply(Number::Exact(x), digits_of(digits));
            ok(super::values::to_decimal(rounded))
        };
        let whole = move |x: INT, digits: INT| -> Res<INT> {
            let rounded = rounding.apply(Number::from_i64(x), digits_of(digits));
            rounded
                .to_i64()
                .ok_or_else(|| format!("{name}: {x} rounded is beyond a whole number").into())
        };
        let doc = format!("/// Rounds {what}; negative digits round to tens, hundreds, ...");
        FuncRegistration::new(name)
            .with_params_info(["x: Decimal", "digits: INT", "Decimal"])
            .with_comments([doc.as_str()])
            .register_into_engine(engine, decimal);
        FuncRegistration::new(name)
            .with_params_info(["x: Decimal", "Decimal"])
            .with_comments(["/// Rounds to a whole number (digits 0)."])
            .register_into_engine(engine, move |x: Decimal| decimal(x, 0));
        FuncRegistration::new(name)
            .with_params_info(["x: INT", "digits: INT", "INT"])
            .with_comments([doc.as_str()])
            .register_into_engine(engine, whole);
        FuncRegistration::new(name)
            .with_params_info(["column: Column", "digits: INT", "Column"])
            .with_comments([format!("/// Every value rounded {what}.").as_str()])
            .register_into_engine(engine, move |c: Column, digits: INT| -> Res<Column> {
                ok(round_column(&c, digits_of(digits), rounding))
            });
    }
}

fn register_money(engine: &mut Engine) {
    register_rounding(engine);
    api!(
        engine,
        "num",
        ["value: ?", "Decimal"],
        "A number from a number or from text such as \"1234.50\", \"1234,50\" or \"-1 234,50\"; \"1,234\" (1234 or 1.234?) and anything else is an error.",
        |v: Dynamic| -> Res<Decimal> {
            if let Some(n) = dynamic_number(&v) {
                return ok(super::values::to_decimal(n));
            }
            if v.is_string() {
                // One reading for `1234.50`, `1234,50` and `1 234,50`;
                // `1,234` is refused rather than guessed.
                use crate::model::number_text::{parse_number_text, NumberTextError};
                let s = v.to_string();
                return parse_number_text(&s).map_err(|e| match e {
                    NumberTextError::Ambiguous(why) => format!("num: {why}").into(),
                    NumberTextError::NotANumber => format!("num: \"{s}\" is not a number").into(),
                });
            }
            if v.is_unit() {
                return Ok(Decimal::ZERO);
            }
            fail(format!("num: expected a number, found {}", describe(&v)))
        }
    );
    api!(
        engine,
        "sum",
        ["values: Array", "Decimal"],
        "Sum of a list of numbers (() counts as 0).",
        |a: Array| -> Res<Dynamic> {
            let mut total = Number::ZERO;
            for (i, x) in a.iter().enumerate() {
                if x.is_unit() {
                    continue;
                }
                total = total + number_arg(x, &format!("sum: item {}", i + 1))?;
            }
            Ok(super::values::number_to_dynamic(total))
        }
    );
}

fn register_run(engine: &mut Engine, params: Rc<BTreeMap<String, Dynamic>>) {
    let p = params.clone();
    api!(engine, "param", ["name: String", "?"], "A value given with --set name=value (number, date or text); an error when it was not given.", move |name: &str| -> Res<Dynamic> {
        match p.get(name) {
            Some(v) => Ok(v.clone()),
            None => {
                let given: Vec<&str> = p.keys().map(String::as_str).collect();
                fail(format!(
                    "this script needs --set {name}=...{}",
                    if given.is_empty() { String::new() } else { format!(" (given: {})", given.join(", ")) }
                ))
            }
        }
    });
    let p = params;
    api!(
        engine,
        "param",
        ["name: String", "default: ?", "?"],
        "A --set value, or the default when it was not given.",
        move |name: &str, default: Dynamic| -> Dynamic { p.get(name).cloned().unwrap_or(default) }
    );
    api!(
        engine,
        "assert",
        ["condition: bool", "message: String", "()"],
        "Stops the run with the message (and writes nothing) when the condition is false.",
        |c: bool, msg: &str| -> Res<()> {
            if c {
                Ok(())
            } else {
                fail(format!("assertion failed: {msg}"))
            }
        }
    );
    api!(
        engine,
        "fail",
        ["message: String", "()"],
        "Stops the run with the message; nothing is written.",
        |msg: &str| -> Res<()> { fail(msg.to_string()) }
    );
    api!(
        engine,
        "log",
        ["message: ?", "()"],
        "Prints a line to stderr (like print).",
        |msg: Dynamic| {
            eprintln!("{msg}");
        }
    );
}

/// Parses a `--set` value: a whole number, a decimal (`1234.50`,
/// `1234,50`, `1 234,50`: see [`parse_number_text`]), a date (`2026-11-30`,
/// `30.11.2026`, read by DATEVALUE's parser), true/false, or else text
/// (quotes force text). A number or date whose reading is ambiguous
/// (`1,234`, `1/2/2026`) is an error, never a guess.
pub fn parse_param(text: &str) -> Result<Dynamic, String> {
    use crate::model::number_text::{parse_number_text, NumberTextError};
    let t = text.trim();
    if t.len() >= 2
        && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\''))
    {
        return Ok(Dynamic::from(t[1..t.len() - 1].to_string()));
    }
    if let Ok(i) = t.parse::<INT>() {
        return Ok(Dynamic::from_int(i));
    }
    match parse_number_text(t) {
        Ok(d) => return Ok(Dynamic::from_decimal(d)),
        Err(NumberTextError::Ambiguous(why)) => return Err(why),
        Err(NumberTextError::NotANumber) => {}
    }
    if let Some(d) = param_date(t)? {
        return Ok(Dynamic::from(Date(d)));
    }
    Ok(match t {
        "true" | "TRUE" => Dynamic::from_bool(true),
        "false" | "FALSE" => Dynamic::from_bool(false),
        _ => Dynamic::from(t.to_string()),
    })
}

/// A date typed as a parameter, with its year written out (a date
/// without one would depend on the day of the run) and no time of day.
/// `1/2/2026` is refused: DATEVALUE reads it as January 2nd, a Czech
/// reader as February 1st (and `13/1/2026`, which DATEVALUE does not read
/// at all, would silently become text).
fn param_date(t: &str) -> Result<Option<NaiveDate>, String> {
    let has_year = t
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() == 4);
    if !has_year || t.contains(':') {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split('/').map(str::trim).collect();
    if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!(
            "\"{t}\" could be day/month or month/day: write the date as 2026-11-30 or 30.11.2026"
        ));
    }
    // A 1900-system serial, read back by date_from_serial below.
    let Some(serial) = crate::formula::functions::date_time::parse_date_time_serial(
        t,
        2000,
        crate::model::DateSystem::Excel1900,
    ) else {
        return Ok(None);
    };
    if serial.fract() != 0.0 || serial < 1.0 {
        return Ok(None);
    }
    Ok(crate::model::value::date_from_serial(serial as i64))
}
