//! Tables and rows in scripts: reading columns, adding and reshaping them,
//! and saving them back where they came from.

use super::{cell_value, column_from_dynamic, fail, ok, texts, Res};
use crate::model::Value;
use crate::script::book::SharedBook;
use crate::script::errors;
use crate::script::table::{Column, Row, Table};
use crate::script::values::{describe, to_dynamic};
use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, Map, NativeCallContext, INT,
};
use std::rc::Rc;

/// Calls `f` on every row, naming the row (and its cell) when it fails.
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

/// Sort keys from a header or a list of them; `-Net` sorts descending.
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

/// The key columns a script names: one header or a list of them.
pub(super) fn key_columns(t: &Table, d: &Dynamic) -> Res<Vec<usize>> {
    texts(d, "key")?.iter().map(|k| ok(t.index(k))).collect()
}

/// The table's name, size, headers and first rows, for printing.
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

impl IntoIterator for Table {
    type Item = Row;
    type IntoIter = std::vec::IntoIter<Row>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows().into_iter()
    }
}

/// Sets column `name` of `t`, noting in the run's summary when empty
/// cells were counted as 0 to compute it (Excel does the same, but a
/// blank amount is often a missing one).
fn set_column_noted(book: &SharedBook, t: &mut Table, name: &str, col: Column) -> Res<()> {
    let counted = col.lineage.empty_as_zero.clone();
    ok(t.set_column(name, col))?;
    // Named as the table now spells it (`inv["vat"]` sets "VAT").
    let column = ok(t.column(name))?;
    if let Some(n) = crate::script::table::empty_note(&t.name, &column.name, &counted) {
        book.borrow_mut().add_note(n);
    }
    Ok(())
}

/// Registers the functions on tables and rows.
pub(super) fn register_table(engine: &mut Engine, book: &SharedBook) {
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
        .with_params_info(["table: Table", "column: String", "values: Dynamic", "()"])
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
    api!(engine, "add_column", ["table: Table", "name: String", "values: Dynamic", "()"], "Adds (or replaces) a column from a Column, a list, one value for every row, or a closure |row| ... called per row.", move |ctx: NativeCallContext, t: &mut Table, name: &str, v: Dynamic| -> Res<()> {
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
        |ctx: NativeCallContext, t: &mut Table| -> Res<Array> {
            let what = || format!("rows() of table {}", t.name);
            super::list_fits(&ctx, what, t.len as u64)?;
            Ok(t.rows().into_iter().map(Dynamic::from).collect())
        }
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
        ["table: Table", "column: String", "value: Dynamic", "Table"],
        "The rows whose column equals the value (as keys match: text case-insensitive, numeric text equals the number), without a per-row closure: t.filter(\"Currency\", \"EUR\").",
        |t: &mut Table, col: &str, v: Dynamic| -> Res<Table> {
            let c = ok(t.index(col))?;
            let picks = t.positions(c, &cell_value(&v)?);
            Ok(t.pick(&picks))
        }
    );
    api!(engine, "sort", ["table: Table", "by: Dynamic", "Table"], "Sorted by a column or a list of columns; \"-Net\" sorts descending. Text sorts case-insensitively.", |t: &mut Table, by: Dynamic| -> Res<Table> {
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
    api!(engine, "group_by", ["table: Table", "keys: Dynamic", "summaries: Dynamic", "Table"], "One row per distinct key (sorted), with summaries such as [\"sum Net\", \"count\", \"average Net\", \"min Due Date\", \"max Net as Largest\"].", |t: &mut Table, keys: Dynamic, aggs: Dynamic| -> Res<Table> {
        let k = key_columns(t, &keys)?;
        let specs = texts(&aggs, "group_by summaries")?;
        let aggs = specs.iter().map(|s| ok(t.aggregate(s))).collect::<Res<Vec<_>>>()?;
        ok(t.group(&k, &aggs))
    });
    api!(
        engine,
        "pivot",
        ["table: Table", "rows: Dynamic", "across: String", "summary: String", "Table"],
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
        ["table: Table", "rows: Dynamic", "across: String", "summary: String", "columns: Array", "Table"],
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
            Ok(crate::script::values::number_to_dynamic(ok(c.sum())?))
        }
    );
    api!(
        engine,
        "add_row",
        ["table: Table", "values: Dynamic", "()"],
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
        .with_params_info(["row: Row", "field: String", "Dynamic"])
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
