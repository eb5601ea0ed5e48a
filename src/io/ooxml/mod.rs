//! The OOXML package layer the xlsx reader and the xlsx patcher share.
//!
//! Both sides walk the same package: part names resolved from
//! relationship targets, `.rels` parts, `[Content_Types].xml`, the workbook
//! part's sheet list and defined names, and table parts. Reading them in
//! one place keeps the two sides from disagreeing about what a package
//! says (a target's `#fragment`, a prefixed attribute, an escaped column
//! name), which is what a round trip through the patcher depends on.

pub(crate) mod content_types;
pub(crate) mod external_links;
pub(crate) mod metadata;
pub(crate) mod package;
pub(crate) mod part_names;
pub(crate) mod pivots;
pub(crate) mod relationships;
pub(crate) mod tables;
pub(crate) mod workbook;
pub(crate) mod xml;

/// What is wrong with one part of a package, naming the part; callers add
/// the file path when they turn it into a [`crate::Error`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum PackageError {
    /// The part's XML does not parse.
    #[error("{part}: malformed XML: {detail}")]
    Xml {
        /// The part name (or a plain label such as `workbook part`).
        part: String,
        /// The parser's words.
        detail: String,
    },
    /// The part could not be unpacked, written, or is not what its kind
    /// requires.
    #[error("{part}: {detail}")]
    Part {
        /// The part name.
        part: String,
        /// What is wrong.
        detail: String,
    },
    /// The part is bigger than any real workbook's: a hostile file.
    #[error("{part} is implausibly large ({size} bytes)")]
    TooLarge {
        /// The part name.
        part: String,
        /// Its unpacked size.
        size: u64,
    },
}

impl PackageError {
    /// A [`PackageError::Xml`] for `part`.
    pub(crate) fn xml(part: &str, detail: impl std::fmt::Display) -> PackageError {
        PackageError::Xml {
            part: part.to_string(),
            detail: detail.to_string(),
        }
    }

    /// A [`PackageError::Part`] for `part`.
    pub(crate) fn part(part: &str, detail: impl std::fmt::Display) -> PackageError {
        PackageError::Part {
            part: part.to_string(),
            detail: detail.to_string(),
        }
    }
}
