//! A sheet handle's functions: cells, ranges, formulas and formats, each
//! addressed relative to the sheet so scripts never spell its name twice.

use super::workbook::{load_table, write_at, write_table};
use super::{list_fits, number_arg, ok, rows_array, rows_size, texts, Res};
use crate::formula::shift_formula;
use crate::model::{CellAddr, RangeAddr};
use crate::script::book::{SharedBook, SheetId};
use crate::script::table::{number_format, Table};
use crate::script::values::to_dynamic;
use rhai::{Array, Dynamic, Engine, FuncRegistration, NativeCallContext, INT};

/// A sheet of the workbook.
#[derive(Clone)]
pub struct Sheet {
    pub(super) book: SharedBook,
    pub(super) id: SheetId,
}

impl Sheet {
    /// A handle on the sheet with this name.
    pub(super) fn open(book: &SharedBook, name: &str) -> Res<Sheet> {
        let id = ok(book.borrow().sheet_id(name))?;
        Ok(Sheet {
            book: book.clone(),
            id,
        })
    }

    /// The sheet's name now (it follows renames).
    pub(super) fn name(&self) -> Res<String> {
        ok(self.book.borrow().sheet_name_of(self.id))
    }

    /// The value of one cell of the sheet.
    fn value(&self, cell: &str) -> Res<Dynamic> {
        let (sheet, range) = self.range(cell)?;
        let value = ok(self.book.borrow_mut().value(&sheet, range.start))?;
        Ok(to_dynamic(&value))
    }

    /// Writes a value, a row, a block or a formula at a cell of the sheet.
    fn write(&self, cell: &str, v: &Dynamic) -> Res<()> {
        let (sheet, range) = self.range(cell)?;
        write_at(&self.book, &sheet, range.start, v)
    }

    /// A reference on this sheet (unqualified addresses are its own),
    /// resolved to the sheet it names and the range.
    pub(super) fn range(&self, r: &str) -> Res<(String, RangeAddr)> {
        let name = self.name()?;
        ok(self.book.borrow().resolve(r, Some(&name)))
    }
}

/// Registers the functions on a sheet handle.
pub(super) fn register_sheet(engine: &mut Engine) {
    FuncRegistration::new_getter("name")
        .with_params_info(["sheet: Sheet", "String"])
        .with_comments(["/// The sheet's name."])
        .register_into_engine(engine, |s: &mut Sheet| s.name());
    api!(
        engine,
        "get",
        ["sheet: Sheet", "cell: String", "Dynamic"],
        "The value of one cell: sheet.get(\"B2\").",
        |s: &mut Sheet, r: &str| -> Res<Dynamic> { s.value(r) }
    );
    FuncRegistration::new_index_getter()
        .with_params_info(["sheet: Sheet", "cell: String", "Dynamic"])
        .with_comments(["/// sheet[\"B2\"]: the value of one cell."])
        .register_into_engine(engine, |s: &mut Sheet, r: &str| -> Res<Dynamic> {
            s.value(r)
        });
    FuncRegistration::new_index_setter()
        .with_params_info(["sheet: Sheet", "cell: String", "value: Dynamic", "()"])
        .with_comments([
            "/// sheet[\"B2\"] = value: writes a value, or a formula when the text starts with =.",
        ])
        .register_into_engine(engine, |s: &mut Sheet, r: &str, v: Dynamic| -> Res<()> {
            s.write(r, &v)
        });
    api!(engine, "set", ["sheet: Sheet", "cell: String", "value: Dynamic", "()"], "Writes a value at a cell; a list fills a row, a list of lists a block; text starting with = is a formula.", |s: &mut Sheet, r: &str, v: Dynamic| -> Res<()> {
        s.write(r, &v)
    });
    api!(
        engine,
        "values",
        ["sheet: Sheet", "range: String", "Array"],
        "The values of a range as a list of rows (\"A1:D20\", \"C:C\").",
        |ctx: NativeCallContext, s: &mut Sheet, r: &str| -> Res<Array> {
            let (sh, range) = s.range(r)?;
            let mut bk = s.book.borrow_mut();
            let range = ok(bk.clip_bounded("values", &sh, range))?;
            let size = rows_size(range.rows().into(), range.cols().into());
            list_fits(&ctx, || format!("values(\"{r}\") over {sh}!{range}"), size)?;
            Ok(rows_array(ok(bk.block(&sh, range))?))
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
            // Only stored cells hold anything to empty: the rest of a
            // large area (a whole sheet) is not visited.
            for addr in ok(bk.stored_cells_in(&sh, range))? {
                ok(bk.clear(&sh, addr))?;
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
        let range = ok(bk.clip_bounded("fill_formula", &sh, range))?;
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
        ["sheet: Sheet", "columns: String", "width: Dynamic", "()"],
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
