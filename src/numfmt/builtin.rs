//! Excel's built-in number formats: the ids 0-49 a style may name without
//! a `<numFmt>` entry of its own, and the codes English (United States)
//! Excel shows them with. Readers turn an id into its code here, writers
//! a code back into its id, so a workbook read and written keeps its ids.
//!
//! The Office Open XML standard lists codes of its own for some ids
//! (`mm-dd-yy` for 14, `#,##0 ;(#,##0)` for 37, `mmss.0` for 47) and none
//! for the currency ids 5-8; Excel displays others, and Excel is the
//! reference. Those standard codes are kept as aliases: other tools write
//! them, and a style holding one still maps to its id. Ids 23-36 and
//! 50-81 are left to the locale (Chinese, Japanese, Korean, Thai dates
//! and the like) and have no code here.

/// One built-in format: its id, the code Excel (en-US) shows, and the
/// standard's code where that differs.
struct Builtin {
    id: u32,
    excel: &'static str,
    standard: Option<&'static str>,
}

const fn same(id: u32, excel: &'static str) -> Builtin {
    Builtin {
        id,
        excel,
        standard: None,
    }
}

const fn differs(id: u32, excel: &'static str, standard: &'static str) -> Builtin {
    Builtin {
        id,
        excel,
        standard: Some(standard),
    }
}

const BUILTINS: &[Builtin] = &[
    same(0, "General"),
    same(1, "0"),
    same(2, "0.00"),
    same(3, "#,##0"),
    same(4, "#,##0.00"),
    same(5, r##""$"#,##0_);("$"#,##0)"##),
    same(6, r##""$"#,##0_);[Red]("$"#,##0)"##),
    same(7, r##""$"#,##0.00_);("$"#,##0.00)"##),
    same(8, r##""$"#,##0.00_);[Red]("$"#,##0.00)"##),
    same(9, "0%"),
    same(10, "0.00%"),
    same(11, "0.00E+00"),
    same(12, "# ?/?"),
    same(13, "# ??/??"),
    differs(14, "m/d/yyyy", "mm-dd-yy"),
    same(15, "d-mmm-yy"),
    same(16, "d-mmm"),
    same(17, "mmm-yy"),
    same(18, "h:mm AM/PM"),
    same(19, "h:mm:ss AM/PM"),
    same(20, "h:mm"),
    same(21, "h:mm:ss"),
    differs(22, "m/d/yyyy h:mm", "m/d/yy h:mm"),
    differs(37, "#,##0_);(#,##0)", "#,##0 ;(#,##0)"),
    differs(38, "#,##0_);[Red](#,##0)", "#,##0 ;[Red](#,##0)"),
    differs(39, "#,##0.00_);(#,##0.00)", "#,##0.00;(#,##0.00)"),
    differs(40, "#,##0.00_);[Red](#,##0.00)", "#,##0.00;[Red](#,##0.00)"),
    same(41, r##"_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)"##),
    differs(
        42,
        r##"_("$"* #,##0_);_("$"* (#,##0);_("$"* "-"_);_(@_)"##,
        r##"_($* #,##0_);_($* (#,##0);_($* "-"_);_(@_)"##,
    ),
    same(43, r##"_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)"##),
    differs(
        44,
        r##"_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)"##,
        r##"_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)"##,
    ),
    same(45, "mm:ss"),
    same(46, "[h]:mm:ss"),
    differs(47, "mm:ss.0", "mmss.0"),
    same(48, "##0.0E+0"),
    same(49, "@"),
];

/// The code Excel shows for built-in format `id`, or `None` for an id
/// that is not built in (or is left to the locale).
pub fn builtin_format(id: u32) -> Option<&'static str> {
    BUILTINS.iter().find(|b| b.id == id).map(|b| b.excel)
}

/// The built-in id of format `code`: Excel's own code or the standard's
/// spelling of it (`General` in any case is 0).
pub fn builtin_format_id(code: &str) -> Option<u32> {
    if code.eq_ignore_ascii_case("general") {
        return Some(0);
    }
    BUILTINS
        .iter()
        .find(|b| b.excel == code || b.standard == Some(code))
        .map(|b| b.id)
}

/// The code a cell format shows when it names format `id` and the
/// workbook's reader gave `code` for it. A code that is only a stand-in
/// for the id (`General` where the reader knew no code, or the
/// standard's spelling) becomes Excel's; a workbook's own code for the id
/// is kept.
pub fn resolve_builtin(id: u32, code: &str) -> Option<&'static str> {
    let builtin = BUILTINS.iter().find(|b| b.id == id)?;
    let stand_in = code.eq_ignore_ascii_case("general")
        || code == builtin.excel
        || builtin.standard == Some(code);
    stand_in.then_some(builtin.excel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateValue, Number, Value};
    use crate::numfmt::format_value;

    #[test]
    fn ids_and_codes_map_both_ways() {
        for b in BUILTINS {
            assert_eq!(builtin_format_id(b.excel), Some(b.id), "{}", b.excel);
            assert_eq!(builtin_format(b.id), Some(b.excel));
            if let Some(standard) = b.standard {
                assert_eq!(builtin_format_id(standard), Some(b.id), "{standard}");
            }
        }
        assert_eq!(builtin_format(14), Some("m/d/yyyy"));
        assert_eq!(builtin_format(27), None);
        assert_eq!(builtin_format(164), None);
        assert_eq!(builtin_format_id("dd.mm.yyyy"), None);
    }

    #[test]
    fn only_stand_in_codes_give_way_to_excels() {
        assert_eq!(resolve_builtin(14, "mm-dd-yy"), Some("m/d/yyyy"));
        assert_eq!(
            resolve_builtin(5, "General"),
            Some(r##""$"#,##0_);("$"#,##0)"##)
        );
        assert_eq!(resolve_builtin(47, "mmss.0"), Some("mm:ss.0"));
        // A workbook that gives id 14 a code of its own keeps it.
        assert_eq!(resolve_builtin(14, "dd.mm.yyyy"), None);
        assert_eq!(resolve_builtin(30, "General"), None);
    }

    #[test]
    fn builtin_formats_show_as_excel_shows_them() {
        let n = |text: &str| Value::Number(Number::Exact(text.parse().unwrap()));
        let code = |id| builtin_format(id).unwrap();
        let noon = chrono::NaiveDate::from_ymd_opt(2026, 3, 3)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let date = Value::Date(DateValue::from_datetime(noon));
        assert_eq!(format_value(&date, code(14)), "3/3/2026");
        assert_eq!(format_value(&date, code(22)), "3/3/2026 12:00");
        assert_eq!(format_value(&n("1234.5"), code(5)), "$1,235 ");
        assert_eq!(format_value(&n("-1234.5"), code(5)), "($1,235)");
        assert_eq!(format_value(&n("-1234.5"), code(8)), "($1,234.50)");
        assert_eq!(format_value(&n("1234.5"), code(7)), "$1,234.50 ");
        assert_eq!(format_value(&n("-1234"), code(37)), "(1,234)");
        assert_eq!(format_value(&n("1234"), code(37)), "1,234 ");
        assert_eq!(format_value(&n("0"), code(41)), " - ");
        assert_eq!(format_value(&n("12345"), code(48)), "12.3E+3");
        assert_eq!(format_value(&n("0.5"), code(46)), "12:00:00");
        assert_eq!(format_value(&n("0.00123"), code(47)), "01:46.3");
        assert_eq!(format_value(&n("0.75"), code(18)), "6:00 PM");
    }
}
