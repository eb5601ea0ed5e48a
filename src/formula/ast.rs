//! The expression tree of a parsed formula.
//!
//! The tree keeps references exactly as written (relative or absolute,
//! sheet names as text) so that it can be printed back, shifted when a
//! formula is filled to another cell, and rewritten when a sheet is
//! renamed. Evaluation resolves names and sheets against the workbook at
//! run time.

use crate::model::{ErrorKind, Number};

/// One corner of a reference: a zero-based position plus `$` flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CellRef {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
    /// Whether the row was written with `$` (does not move on fill).
    pub row_abs: bool,
    /// Whether the column was written with `$`.
    pub col_abs: bool,
}

impl CellRef {
    /// A relative reference to `row`, `col`.
    pub fn relative(row: u32, col: u32) -> CellRef {
        CellRef {
            row,
            col,
            row_abs: false,
            col_abs: false,
        }
    }
}

/// Which kind of area a reference spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefShape {
    /// Cells: `A1` or `A1:C3` (columns and rows both given).
    Cells,
    /// Whole columns: `C:E` (rows in the corners are ignored).
    Columns,
    /// Whole rows: `2:5` (columns in the corners are ignored).
    Rows,
}

/// The sheet part of a reference: `Sheet1!`, `'Sales 2026'!` or the 3-D
/// span `Jan:Dec!`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SheetSpec {
    /// The (first) sheet name, unquoted.
    pub first: String,
    /// The last sheet of a 3-D span, unquoted.
    pub last: Option<String>,
}

/// A cell or area reference as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The sheet, when written; `None` means the formula's own sheet.
    pub sheet: Option<SheetSpec>,
    /// Top-left corner as written (for `Columns`/`Rows`, only the column
    /// or row part matters).
    pub start: CellRef,
    /// Bottom-right corner; `None` for a single cell.
    pub end: Option<CellRef>,
    /// Cells, whole columns or whole rows.
    pub shape: RefShape,
}

/// A special item of a structured reference (`[#Data]`, `[@]`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableItem {
    /// `[#All]`: headers, data and totals.
    All,
    /// `[#Data]`: the data rows (the default).
    Data,
    /// `[#Headers]`: the header row.
    Headers,
    /// `[#Totals]`: the totals row.
    Totals,
    /// `[#This Row]` or `@`: the data row of the formula cell.
    ThisRow,
}

/// A structured (table) reference: `Invoices[Net]`, `[@Net]`,
/// `Invoices[[#Totals],[Net]]`, `Invoices[[Net]:[Vat]]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableRef {
    /// The table name; `None` inside the table itself (`[@Net]`).
    pub table: Option<String>,
    /// Special items; empty means `#Data`.
    pub items: Vec<TableItem>,
    /// The first (or only) column, unescaped; `None` means every column.
    pub first_column: Option<String>,
    /// The last column of a column span.
    pub last_column: Option<String>,
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x` (no effect on the value; kept so the text prints back).
    Plus,
    /// `@x`: implicit intersection.
    ImplicitIntersection,
}

/// Infix operators, in Excel's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^`
    Pow,
    /// `&`
    Concat,
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `:` between two references (`A1:INDEX(...)`).
    Range,
    /// `,` inside parentheses: a multi-area reference.
    Union,
    /// ` ` (space): the intersection of two references.
    Intersect,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
            BinaryOp::Concat => "&",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "<>",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Range => ":",
            BinaryOp::Union => ",",
            BinaryOp::Intersect => " ",
        }
    }

    /// Binding strength: higher binds tighter (Excel's precedence).
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Range => 90,
            BinaryOp::Intersect => 85,
            BinaryOp::Union => 80,
            BinaryOp::Pow => 50,
            BinaryOp::Mul | BinaryOp::Div => 40,
            BinaryOp::Add | BinaryOp::Sub => 30,
            BinaryOp::Concat => 20,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => 10,
        }
    }
}

/// A formula expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Number(Number),
    /// A string literal (quotes removed, `""` unescaped).
    Text(String),
    /// `TRUE` / `FALSE`.
    Bool(bool),
    /// An error literal such as `#N/A`.
    Error(ErrorKind),
    /// A cell or area reference.
    Ref(Reference),
    /// A defined name, a LET variable, or an unknown identifier (the
    /// name as written; an optional sheet for `Sheet1!Name`).
    Name {
        /// The sheet qualifier, for sheet-scoped names.
        sheet: Option<String>,
        /// The name as written.
        name: String,
    },
    /// A structured table reference.
    Table(TableRef),
    /// A prefix operator.
    Unary(UnaryOp, Box<Expr>),
    /// A postfix `%`.
    Percent(Box<Expr>),
    /// An infix operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// An array constant `{1,2;3,4}`: rows of literal expressions.
    Array(Vec<Vec<Expr>>),
    /// A function call; the name is upper-case without `_xlfn.`/`_xlws.`.
    Call {
        /// Normalised function name (`XLOOKUP`, `STDEV.S`).
        name: String,
        /// Arguments in order; an omitted one is [`Expr::Missing`].
        args: Vec<Expr>,
    },
    /// An omitted argument: `IF(A1,,2)`.
    Missing,
    /// A parenthesised expression (kept so the text prints back).
    Paren(Box<Expr>),
    /// A call of a function value: `LAMBDA(x,x+1)(2)`.
    Invoke {
        /// What gives the function (a LAMBDA call, a parenthesis).
        callee: Box<Expr>,
        /// Arguments in order; an omitted one is [`Expr::Missing`].
        args: Vec<Expr>,
    },
    /// A value bound by the evaluator (arguments passed to
    /// `Engine::call`); never produced by the parser.
    Bound(usize),
}

/// The function name files store `A1.:B10` (trim leading empty rows and
/// columns) under, prefixed `_xlfn.`.
pub const TRIM_LEADING: &str = "_TRO_LEADING";
/// The stored function name of `A1:.B10` (trim trailing empties).
pub const TRIM_TRAILING: &str = "_TRO_TRAILING";
/// The stored function name of `A1.:.B10` (trim both ends).
pub const TRIM_ALL: &str = "_TRO_ALL";

/// Normalises a function name as written: upper-case, without the
/// `_xlfn.`, `_xlws.` and `_xludf.` storage prefixes.
pub fn normalize_function_name(name: &str) -> String {
    let mut n = name.trim().to_ascii_uppercase();
    loop {
        let stripped = ["_XLFN.", "_XLWS.", "_XLUDF."]
            .iter()
            .find_map(|p| n.strip_prefix(p).map(str::to_string));
        match stripped {
            Some(s) => n = s,
            None => return n,
        }
    }
}

/// The prefix files store a function name with: `_xlfn.` for every
/// function Excel added after the 2007 file format (ECMA-376) was fixed,
/// `_xlfn._xlws.` for FILTER and SORT, none for the others. Excel reads a
/// newer function written without its prefix as an unknown name
/// (`#NAME?`). Functions of the 2007 format that later got dotted names
/// (ISO.CEILING, NETWORKDAYS.INTL, WORKDAY.INTL, ECMA.CEILING) take none.
pub fn storage_prefix(name: &str) -> &'static str {
    match name {
        "FILTER" | "SORT" => "_xlfn._xlws.",
        _ if NEWER_THAN_2007.binary_search(&name).is_ok() => "_xlfn.",
        _ => "",
    }
}

/// Functions newer than the 2007 file format, sorted for binary search.
const NEWER_THAN_2007: &[&str] = &[
    "ACOT",
    "ACOTH",
    "AGGREGATE",
    "ANCHORARRAY",
    "ARABIC",
    "ARRAYTOTEXT",
    "BASE",
    "BETA.DIST",
    "BETA.INV",
    "BINOM.DIST",
    "BINOM.DIST.RANGE",
    "BINOM.INV",
    "BITAND",
    "BITLSHIFT",
    "BITOR",
    "BITRSHIFT",
    "BITXOR",
    "BYCOL",
    "BYROW",
    "CEILING.MATH",
    "CEILING.PRECISE",
    "CHISQ.DIST",
    "CHISQ.DIST.RT",
    "CHISQ.INV",
    "CHISQ.INV.RT",
    "CHISQ.TEST",
    "CHOOSECOLS",
    "CHOOSEROWS",
    "COMBINA",
    "CONCAT",
    "CONFIDENCE.NORM",
    "CONFIDENCE.T",
    "COT",
    "COTH",
    "COVARIANCE.P",
    "COVARIANCE.S",
    "CSC",
    "CSCH",
    "DAYS",
    "DECIMAL",
    "DROP",
    "ENCODEURL",
    "ERF.PRECISE",
    "ERFC.PRECISE",
    "EXPAND",
    "EXPON.DIST",
    "F.DIST",
    "F.DIST.RT",
    "F.INV",
    "F.INV.RT",
    "F.TEST",
    "FIELDVALUE",
    "FILTERXML",
    "FLOOR.MATH",
    "FLOOR.PRECISE",
    "FORECAST.ETS",
    "FORECAST.ETS.CONFINT",
    "FORECAST.ETS.SEASONALITY",
    "FORECAST.ETS.STAT",
    "FORECAST.LINEAR",
    "FORMULATEXT",
    "GAMMA",
    "GAMMA.DIST",
    "GAMMA.INV",
    "GAMMALN.PRECISE",
    "GAUSS",
    "GROUPBY",
    "HSTACK",
    "HYPGEOM.DIST",
    "IFNA",
    "IFS",
    "IMAGE",
    "IMCOSH",
    "IMCOT",
    "IMCSC",
    "IMCSCH",
    "IMSEC",
    "IMSECH",
    "IMSINH",
    "IMTAN",
    "ISFORMULA",
    "ISOMITTED",
    "ISOWEEKNUM",
    "LAMBDA",
    "LET",
    "LOGNORM.DIST",
    "LOGNORM.INV",
    "MAKEARRAY",
    "MAP",
    "MAXIFS",
    "MINIFS",
    "MODE.MULT",
    "MODE.SNGL",
    "MUNIT",
    "NEGBINOM.DIST",
    "NORM.DIST",
    "NORM.INV",
    "NORM.S.DIST",
    "NORM.S.INV",
    "NUMBERVALUE",
    "PDURATION",
    "PERCENTILE.EXC",
    "PERCENTILE.INC",
    "PERCENTOF",
    "PERCENTRANK.EXC",
    "PERCENTRANK.INC",
    "PERMUTATIONA",
    "PHI",
    "PIVOTBY",
    "POISSON.DIST",
    "QUARTILE.EXC",
    "QUARTILE.INC",
    "RANDARRAY",
    "RANK.AVG",
    "RANK.EQ",
    "REDUCE",
    "REGEXEXTRACT",
    "REGEXREPLACE",
    "REGEXTEST",
    "RRI",
    "SCAN",
    "SEC",
    "SECH",
    "SEQUENCE",
    "SHEET",
    "SHEETS",
    "SINGLE",
    "SKEW.P",
    "SORTBY",
    "STDEV.P",
    "STDEV.S",
    "STOCKHISTORY",
    "SWITCH",
    "T.DIST",
    "T.DIST.2T",
    "T.DIST.RT",
    "T.INV",
    "T.INV.2T",
    "T.TEST",
    "TAKE",
    "TEXTAFTER",
    "TEXTBEFORE",
    "TEXTJOIN",
    "TEXTSPLIT",
    "TOCOL",
    "TOROW",
    "TRIMRANGE",
    "UNICHAR",
    "UNICODE",
    "UNIQUE",
    "VALUETOTEXT",
    "VAR.P",
    "VAR.S",
    "VSTACK",
    "WEBSERVICE",
    "WEIBULL.DIST",
    "WRAPCOLS",
    "WRAPROWS",
    "XLOOKUP",
    "XMATCH",
    "XOR",
    "Z.TEST",
    "_TRO_ALL",
    "_TRO_LEADING",
    "_TRO_TRAILING",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_lose_storage_prefixes() {
        assert_eq!(normalize_function_name("_xlfn.xlookup"), "XLOOKUP");
        assert_eq!(normalize_function_name("_xlfn._xlws.SORT"), "SORT");
        assert_eq!(normalize_function_name("Sum"), "SUM");
    }

    #[test]
    fn newer_functions_take_their_storage_prefix() {
        assert!(NEWER_THAN_2007.windows(2).all(|w| w[0] < w[1]), "sorted");
        for name in [
            "XLOOKUP",
            "STDEV.S",
            "IMCOSH",
            "T.DIST.2T",
            "LAMBDA",
            "ENCODEURL",
        ] {
            assert_eq!(storage_prefix(name), "_xlfn.", "{name}");
        }
        assert_eq!(storage_prefix("FILTER"), "_xlfn._xlws.");
        assert_eq!(storage_prefix("SORT"), "_xlfn._xlws.");
        for name in [
            "SUM",
            "IMCOS",
            "STDEV",
            "WORKDAY.INTL",
            "ISO.CEILING",
            "SORTX",
        ] {
            assert_eq!(storage_prefix(name), "", "{name}");
        }
    }
}
