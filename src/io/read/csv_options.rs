//! The CSV reading options as a user writes them (`delimiter=;`,
//! `decimal=comma`...): one vocabulary for the command line and for the
//! per-file options of an attached workbook, so both accept and refuse
//! the same values with the same words.

use super::CsvOptions;

/// Why a CSV reading option's value was refused; the caller says where
/// the option was written (`--delimiter x`, `--attach bank: ...`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvOptionError {
    /// The delimiter is neither one ASCII character nor a known name.
    #[error("give one character such as ';' or ',', or `tab`")]
    Delimiter,
    /// The decimal mark is neither comma nor point.
    #[error("write `comma` (1 234,56) or `point` (1234.56)")]
    Decimal,
    /// No text encoding has that label.
    #[error("unknown encoding; try utf-8, windows-1250 or windows-1252")]
    Encoding,
    /// The header row is not a line number from 1.
    #[error("give the line of the header row, counted from 1")]
    HeaderRow,
    /// The option name itself is unknown.
    #[error("unknown CSV option \"{0}\"; the options are {keys}", keys = CsvOptions::KEYS.join(", "))]
    UnknownKey(String),
}

impl CsvOptions {
    /// The names of the options [`CsvOptions::set`] takes.
    pub const KEYS: [&'static str; 4] = ["delimiter", "decimal", "encoding", "header-row"];

    /// Sets the option `key` (one of [`CsvOptions::KEYS`]) from its text
    /// `value`, such as `delimiter` = `tab` or `decimal` = `comma`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), CsvOptionError> {
        match key {
            "delimiter" => {
                self.delimiter = Some(match value {
                    "tab" | "\\t" => b'\t',
                    "semicolon" => b';',
                    "comma" => b',',
                    d if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
                    _ => return Err(CsvOptionError::Delimiter),
                })
            }
            "decimal" => {
                self.decimal_comma = Some(match value.trim().to_ascii_lowercase().as_str() {
                    "comma" | "," => true,
                    "point" | "." => false,
                    _ => return Err(CsvOptionError::Decimal),
                })
            }
            "encoding" => {
                self.encoding = Some(
                    encoding_rs::Encoding::for_label(value.trim().as_bytes())
                        .ok_or(CsvOptionError::Encoding)?,
                )
            }
            "header-row" => {
                self.header_row = Some(match value.trim().parse::<u32>() {
                    Ok(n) if n >= 1 => n,
                    _ => return Err(CsvOptionError::HeaderRow),
                })
            }
            _ => return Err(CsvOptionError::UnknownKey(key.to_string())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_as_a_user_writes_them() {
        let mut o = CsvOptions::default();
        o.set("delimiter", "tab").unwrap();
        o.set("decimal", " Comma ").unwrap();
        o.set("encoding", "windows-1250").unwrap();
        o.set("header-row", "4").unwrap();
        assert_eq!(o.delimiter, Some(b'\t'));
        assert_eq!(o.decimal_comma, Some(true));
        assert_eq!(o.encoding, Some(encoding_rs::WINDOWS_1250));
        assert_eq!(o.header_row, Some(4));
        o.set("delimiter", ";").unwrap();
        assert_eq!(o.delimiter, Some(b';'));
    }

    #[test]
    fn nonsense_is_refused_with_the_valid_forms() {
        let mut o = CsvOptions::default();
        assert_eq!(o.set("delimiter", ";;"), Err(CsvOptionError::Delimiter));
        assert_eq!(o.set("decimal", "dot"), Err(CsvOptionError::Decimal));
        assert_eq!(o.set("encoding", "klingon"), Err(CsvOptionError::Encoding));
        assert_eq!(o.set("header-row", "0"), Err(CsvOptionError::HeaderRow));
        let unknown = o.set("quote", "'").unwrap_err().to_string();
        assert_eq!(
            unknown,
            "unknown CSV option \"quote\"; the options are delimiter, decimal, encoding, header-row"
        );
    }
}
