//! Looking values up across tables: keyed and as-of lookups, joins and
//! reconciliation, which all match keys the way an accountant means them.

use super::tables::key_columns;
use super::{cell_value, column_from_dynamic, fail, number_arg, ok, Res};
use crate::model::{Number, Value};
use crate::script::book::SharedBook;
use crate::script::table::{normalize, Column, Table};
use crate::script::values::{to_dynamic, value_date, Date};
use chrono::NaiveDate;
use rhai::{Dynamic, Engine, Map};

/// A join's table, its warning (if it matched far fewer rows than it
/// could) added to the run's warnings.
fn joined(book: &SharedBook, (t, warning): (Table, Option<String>)) -> Table {
    if let Some(w) = warning {
        book.borrow_mut().warn(w);
    }
    t
}

/// The four tables of a reconciliation as a script map.
fn reconciliation_map(r: crate::script::table::Reconciliation) -> Map {
    let mut m = Map::new();
    m.insert("matched".into(), Dynamic::from(r.matched));
    m.insert("mismatched".into(), Dynamic::from(r.mismatched));
    m.insert("only_left".into(), Dynamic::from(r.only_left));
    m.insert("only_right".into(), Dynamic::from(r.only_right));
    m
}

/// An option of a map by key, spelled as loosely as a header.
fn option<'a>(opts: &'a Map, key: &str) -> Option<&'a Dynamic> {
    opts.iter()
        .find(|(k, _)| normalize(k) == normalize(key))
        .map(|(_, v)| v)
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

/// Registers lookups, as-of lookups, joins and reconciliation on tables.
pub(super) fn register_lookups(engine: &mut Engine, book: &SharedBook) {
    api!(engine, "lookup", ["table: Table", "key_column: String", "key: Dynamic", "result_column: String", "Dynamic"], "XLOOKUP: the result column of the first row whose key column equals key (text case-insensitive, numeric text equals the number); an error saying what was not found otherwise.", |t: &mut Table, kc: &str, key: Dynamic, rc: &str| -> Res<Dynamic> {
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
            "key: Dynamic",
            "result_column: String",
            "if_missing: Dynamic",
            "Dynamic"
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
    api!(engine, "as_of", ["table: Table", "date_column: String", "date: Dynamic", "result_column: String", "Dynamic"], "As-of lookup: the result column of the last row dated on or before the date (the rate of the day, or the last before it); give a column (or list) of dates for a whole column of results. Sorted or not; an error when there is no earlier date.", |t: &mut Table, dc: &str, when: Dynamic, rc: &str| -> Res<Dynamic> {
        as_of(t, dc, &when, rc, None)
    });
    api!(
        engine,
        "as_of",
        [
            "table: Table",
            "date_column: String",
            "date: Dynamic",
            "result_column: String",
            "if_missing: Dynamic",
            "Dynamic"
        ],
        "As-of lookup with a value for dates before the table's first date.",
        |t: &mut Table, dc: &str, when: Dynamic, rc: &str, missing: Dynamic| -> Res<Dynamic> {
            as_of(t, dc, &when, rc, Some(&missing))
        }
    );
    api!(
        engine,
        "find",
        [
            "table: Table",
            "key_column: String",
            "key: Dynamic",
            "Dynamic"
        ],
        "The first row whose key column equals key, or () when there is none.",
        |t: &mut Table, kc: &str, key: Dynamic| -> Res<Dynamic> {
            let k = ok(t.index(kc))?;
            let kv = cell_value(&key)?;
            Ok(t.find(k, &kv)
                .map_or(Dynamic::UNIT, |i| Dynamic::from(t.row(i))))
        }
    );
    let b = book.clone();
    api!(engine, "join", ["table: Table", "other: Table", "key: Dynamic", "Table"], "Left join: adds the other table's columns to each row with the same key (a column name or a list); unmatched rows get empty cells. Keys match as an accountant means them: numeric text equals the number, case and surrounding spaces do not count.", move |t: &mut Table, other: Table, key: Dynamic| -> Res<Table> {
        let (l, r) = (key_columns(t, &key)?, key_columns(&other, &key)?);
        Ok(joined(&b, t.join_checked(&other, &l, &r, true)))
    });
    api!(
        engine,
        "join",
        [
            "table: Table",
            "other: Table",
            "key: Dynamic",
            "other_key: Dynamic",
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
        ["table: Table", "other: Table", "key: Dynamic", "Table"],
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
}
