//! What the model refuses, as values: a sheet or table that does not
//! exist, a name Excel would not accept, a table overlapping another. The
//! script API and the readers turn these into their own errors with the
//! file or script line; the words are written here once.

/// A change the workbook model refuses, or a lookup that found nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// No sheet has this name.
    #[error("there is no sheet named \"{0}\"")]
    NoSheet(String),
    /// No table has this name.
    #[error("there is no table named \"{0}\"")]
    NoTable(String),
    /// A sheet of this name is already there.
    #[error("a sheet named \"{0}\" already exists")]
    SheetExists(String),
    /// The only sheet cannot be removed: Excel needs one.
    #[error("a workbook must keep at least one sheet")]
    LastSheet,
    /// A table of this name is already there.
    #[error("a table named \"{0}\" already exists")]
    TableExists(String),
    /// The run removed a table of this name; reusing the name would make
    /// the patcher's part bookkeeping ambiguous.
    #[error("a table named \"{0}\" was removed in this run; give the new table another name")]
    TableRemovedThisRun(String),
    /// A table with a header row needs a row of data under it.
    #[error("table \"{0}\" needs a header row and at least one row under it")]
    TableNeedsRows(String),
    /// Excel allows letters, digits, `_` and `.` in table names, and no
    /// name that reads as a cell reference.
    #[error(
        "\"{0}\" is not a name Excel accepts for a table (letters, digits, _ and ., not a cell reference)"
    )]
    BadTableName(String),
    /// Tables and defined names share one namespace in Excel.
    #[error("table \"{0}\" has the name of a defined name, which Excel does not allow")]
    TableNamedLikeAName(String),
    /// Two tables on one sheet may not share a cell.
    #[error("table \"{table}\" ({range}) overlaps table \"{other}\" ({other_range}) on sheet \"{sheet}\"")]
    TablesOverlap {
        /// The table being added.
        table: String,
        /// Its range in A1 notation.
        range: String,
        /// The table already there.
        other: String,
        /// Its range in A1 notation.
        other_range: String,
        /// The sheet both are on.
        sheet: String,
    },
    /// Excel needs at least one character.
    #[error("a sheet name cannot be empty")]
    EmptySheetName,
    /// Excel allows 31 characters.
    #[error("sheet name \"{0}\" is longer than Excel's 31 characters")]
    SheetNameTooLong(String),
    /// One of `: \ / ? * [ ]`.
    #[error("sheet name \"{name}\" contains '{character}', which Excel does not allow")]
    SheetNameCharacter {
        /// The name asked for.
        name: String,
        /// The character Excel refuses.
        character: char,
    },
    /// Excel quotes sheet names in formulas with apostrophes.
    #[error("sheet name \"{0}\" cannot start or end with an apostrophe")]
    SheetNameApostrophe(String),
    /// Excel keeps `History` for its change tracking.
    #[error("\"History\" is reserved by Excel")]
    ReservedSheetName,
    /// A locale for text order that is not a BCP 47 tag.
    #[error("\"{0}\" is not a language tag; write e.g. cs-CZ")]
    NotALanguageTag(String),
    /// The collation data has no order for this language.
    #[error("no sort order for \"{locale}\": {detail}")]
    NoSortOrder {
        /// The tag asked for.
        locale: String,
        /// What ICU said.
        detail: String,
    },
}
