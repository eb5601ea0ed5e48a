//! The script API: every function a script can call, registered with a
//! one-line doc so `sheetscript functions` prints the reference from what
//! is actually registered.

use super::book::SharedBook;
use super::errors::ScriptResult;
use crate::model::{Number, Value};
use crate::script::table::{Column, Row, Table};
use crate::script::values::{describe, dynamic_number, from_dynamic, to_dynamic, CellError, Date};
use rhai::{Array, Dynamic, Engine, EvalAltResult, NativeCallContext};
use std::collections::BTreeMap;
use std::rc::Rc;

/// Result of a registered function.
type Res<T> = Result<T, Box<EvalAltResult>>;

fn fail<T>(msg: impl Into<String>) -> Res<T> {
    Err(msg.into().into())
}

/// A book, table or value result as a registered function's, through
/// the one conversion of [`ScriptError`] into the script's error.
fn ok<T>(r: ScriptResult<T>) -> Res<T> {
    r.map_err(Into::into)
}

/// Registers a function with parameter names/types (the last entry is
/// the return type) and a one-line doc.
macro_rules! api {
    ($e:expr, $name:expr, [$($p:expr),* $(,)?], $doc:expr, $f:expr) => {
        rhai::FuncRegistration::new($name)
            .with_params_info([$($p),*])
            .with_comments([concat!("/// ", $doc)])
            .register_into_engine($e, $f);
    };
}

mod charts;
mod columns;
mod dates;
mod excel;
mod lookups;
mod money;
mod run;
mod sheet;
mod tables;
mod workbook;

pub use run::parse_param;
pub use sheet::Sheet;
pub use workbook::WorkbookHandle;

/// The value a script passes where a number is needed.
fn number_arg(d: &Dynamic, what: &str) -> Res<Number> {
    dynamic_number(d)
        .ok_or_else(|| format!("{what}: expected a number, found {}", describe(d)).into())
}

/// Refuses an option of `call` not in `known`, naming the known ones.
fn known_options(options: &rhai::Map, call: &str, known: &[&str]) -> Res<()> {
    match options.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => fail(format!(
            "{call}: unknown option \"{k}\"; the options are {}",
            known.join(", ")
        )),
        None => Ok(()),
    }
}

/// A text option of `call`, if given.
fn text_option(options: &rhai::Map, call: &str, key: &str) -> Res<Option<String>> {
    match options.get(key) {
        None => Ok(None),
        Some(v) if v.is_string() => Ok(Some(v.to_string())),
        Some(v) => fail(format!(
            "{call} option {key}: expected text, found {}",
            v.type_name()
        )),
    }
}

/// A true/false option of `call`; `false` when not given.
fn flag_option(options: &rhai::Map, call: &str, key: &str) -> Res<bool> {
    match options.get(key) {
        None => Ok(false),
        Some(v) => v
            .as_bool()
            .map_err(|_| format!("{call} option {key}: expected true or false").into()),
    }
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

/// What the run-control functions answer from: the `--set` values, the
/// input's file name and how its lines are told apart.
#[derive(Default)]
pub struct RunContext {
    /// The `--set` values, typed.
    pub params: Rc<BTreeMap<String, Dynamic>>,
    /// The file the script runs on, for `input_name()`.
    pub input_name: Option<String>,
    /// Where `log` lines go, as `print`'s do (with the batch's file-name
    /// prefix, [`crate::script::ScriptOptions::print_prefix`]).
    pub printer: crate::script::Printer,
}

/// Registers every API function and type on `engine`. `run` holds the
/// `--set` values and the input's name, `book` the workbook every handle
/// shares.
pub fn register(
    engine: &mut Engine,
    book: &SharedBook,
    attached: &[(String, SharedBook)],
    run: RunContext,
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
    workbook::register_workbook(engine, book);
    workbook::register_attached(engine, book, attached);
    sheet::register_sheet(engine);
    charts::register_charts(engine);
    tables::register_table(engine, book);
    lookups::register_lookups(engine, book);
    columns::register_column(engine);
    dates::register_dates(engine, book);
    money::register_money(engine);
    excel::register_excel(engine, book);
    run::register_run(engine, run);
}

/// Refuses, before it is built, a list of `values` values that the
/// script's list limit would refuse once built (after the memory for it
/// was taken); `what` names the call for the message.
fn list_fits(ctx: &NativeCallContext, what: impl FnOnce() -> String, values: u64) -> Res<()> {
    let limit = ctx.engine().max_array_size();
    if limit > 0 && values > limit as u64 {
        return Err(super::errors::list_too_large(&what(), values, limit));
    }
    Ok(())
}

/// How many values the script engine counts in a list of `rows` rows of
/// `cols` values: each row is a value too.
fn rows_size(rows: u64, cols: u64) -> u64 {
    rows.saturating_mul(cols).saturating_add(rows)
}

fn rows_array(block: Vec<Vec<Value>>) -> Array {
    block
        .into_iter()
        .map(|row| Dynamic::from_array(row.iter().map(to_dynamic).collect()))
        .collect()
}
