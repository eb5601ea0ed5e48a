//! Errors as values with context: which file, sheet and cell, in words a
//! person can act on. The CLI maps each kind to an exit code.

use std::path::PathBuf;

/// Everything that can go wrong in sheetscript.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read or is not a workbook we can read.
    #[error("{}: {message}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong, in plain words.
        message: String,
    },
    /// The output could not be written; nothing was left behind.
    #[error("cannot write {}: {message}", path.display())]
    Write {
        /// The target file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A value in the workbook is not what the operation needs.
    #[error("{sheet}!{cell}: {message}")]
    Data {
        /// Sheet name.
        sheet: String,
        /// Cell address such as `C17`.
        cell: String,
        /// What is wrong, such as `expected a number, found text "n/a"`.
        message: String,
    },
    /// A script failed to parse or stopped with an error; the message is
    /// already rendered with file, line, column and a caret.
    #[error("{0}")]
    Script(String),
    /// A formula could not be parsed or evaluated.
    #[error("{location}: {message}")]
    Formula {
        /// Where: `Sheet1!B7` or the formula text.
        location: String,
        /// What is wrong.
        message: String,
    },
    /// The request itself is wrong (unknown sheet, bad range, bad option).
    #[error("{0}")]
    Usage(String),
    /// Something the chosen output cannot carry, refused under `--strict`.
    #[error("{0}")]
    Strict(String),
}

impl Error {
    /// An [`Error::Unreadable`] for `path`.
    pub fn unreadable(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Unreadable {
            path: path.into(),
            message: message.into(),
        }
    }

    /// An [`Error::Write`] for `path`.
    pub fn write(path: impl Into<PathBuf>, message: impl Into<String>) -> Error {
        Error::Write {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The words of a caught panic, for a message that names it; public
    /// so that the binary's last guard words a panic as the library's do.
    pub fn panic_detail(panic: &(dyn std::any::Any + Send)) -> String {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_string())
    }

    /// The process exit code: 2 for bad usage or unreadable input, 1 for a
    /// run that failed.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Unreadable { .. } | Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl From<crate::model::ModelError> for Error {
    /// What the model refuses is a request it cannot carry out: a usage
    /// error in the model's words.
    fn from(e: crate::model::ModelError) -> Error {
        Error::Usage(e.to_string())
    }
}

/// Result with sheetscript's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
