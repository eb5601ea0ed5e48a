//! Argument groups that several commands flatten in, and value parsers
//! they share: one definition, so `--quiet`, the CSV reading options, the
//! reading limits and `--now` read and fail the same way in every command.

use sheetscript::io::read::{CsvOptions, ReadLimits};
use sheetscript::io::write::csv::CsvWriteOptions;
use sheetscript::{Error, Result};

/// Options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// No progress bars and no warnings on stderr (errors are still shown).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Threads one run may use (default: every core); `--threads 1`
    /// reads, computes and writes on one thread.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

/// How to read a CSV input when detection from the content is not enough
/// (flattened into the commands that read a workbook).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CsvArgs {
    /// CSV field delimiter (default: detected), such as `;` or `tab`.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// CSV decimal mark: `comma` (`1 234,56`) or `point` (default:
    /// detected).
    #[arg(long, value_name = "comma|point", conflicts_with = "decimal_comma")]
    pub decimal: Option<String>,
    /// CSV numbers use a decimal comma (the same as `--decimal comma`).
    #[arg(long)]
    pub decimal_comma: bool,
    /// CSV text encoding, such as `utf-8`, `windows-1250` (default: detected).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// The CSV line that holds the column headers, counted from 1; lines
    /// above it (a bank's title and account) are skipped (default:
    /// detected).
    #[arg(long, value_name = "N")]
    pub header_row: Option<u32>,
}

impl CsvArgs {
    /// The reader's CSV options; a delimiter or encoding that makes no
    /// sense is a usage error.
    pub fn to_options(&self) -> Result<CsvOptions> {
        let mut options = CsvOptions::default();
        let given = [
            ("delimiter", self.delimiter.clone()),
            ("decimal", self.decimal.clone()),
            ("encoding", self.encoding.clone()),
            ("header-row", self.header_row.map(|n| n.to_string())),
        ];
        for (key, value) in given {
            if let Some(v) = value {
                set_csv_option(&mut options, key, &v, &format!("--{key} {v}"))?;
            }
        }
        if self.decimal_comma {
            options.decimal_comma = Some(true);
        }
        Ok(options)
    }
}

/// How much one input file may make the reader hold (flattened into
/// every command that reads a workbook). A file past a limit is refused
/// with a message naming the limit; these raise or lower it.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Reading limits")]
pub struct ReadLimitArgs {
    /// Most cell slots a workbook may take, repeated ODS cells included
    /// (default 60000000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_cells: Option<u64>,
    /// Most text the cells may hold together, in MiB, a text counted for
    /// each cell that holds it; also the largest shared-string table or
    /// CSV file (default 1024).
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_text_mb: Option<u64>,
    /// Longest one string may be, in KiB: a cell's text or formula, a
    /// shared string, a CSV field (default 16384).
    #[arg(long, value_name = "KIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_string_kb: Option<u64>,
    /// Most entries an xlsx shared-string table may have (default
    /// 60000000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_shared_strings: Option<u64>,
}

impl ReadLimitArgs {
    /// The reader's limits: the defaults, with each option given over its
    /// own.
    pub fn to_limits(&self) -> ReadLimits {
        ReadLimits::from_options(
            self.max_cells,
            self.max_text_mb,
            self.max_string_kb,
            self.max_shared_strings,
        )
    }
}

/// Sets the CSV reading option `key` from its text `value`; `what` names
/// the option in the usage error as the user wrote it.
pub fn set_csv_option(options: &mut CsvOptions, key: &str, value: &str, what: &str) -> Result<()> {
    options
        .set(key, value)
        .map_err(|e| Error::Usage(format!("{what}: {e}")))
}

/// The language conventions of the output, and how a CSV output is
/// written (flattened into the commands that write).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LocaleArgs {
    /// Language conventions, as a tag such as `cs-CZ`: a CSV output gets
    /// Czech Excel's `;`, decimal comma, d.m.yyyy and UTF-8 with BOM, and
    /// a script's sort and group order is Czech (Ch after H).
    #[arg(long, value_name = "TAG")]
    pub locale: Option<String>,
    /// CSV output delimiter, such as `;` or `tab` (default `,`, or the
    /// locale's).
    #[arg(long, value_name = "CHAR")]
    pub csv_delimiter: Option<String>,
    /// CSV output decimal mark: `comma` or `point` (default point, or the
    /// locale's).
    #[arg(long, value_name = "comma|point")]
    pub csv_decimal: Option<String>,
    /// CSV output encoding: `utf-8`, `utf-8-bom` or `windows-1250`
    /// (default utf-8, or the locale's).
    #[arg(long, value_name = "NAME")]
    pub csv_encoding: Option<String>,
}

impl LocaleArgs {
    /// The `--locale` tag, checked: a tag that is not BCP 47 is a usage
    /// error, not a silent fall back to plain order.
    pub fn locale(&self) -> Result<Option<String>> {
        match &self.locale {
            None => Ok(None),
            Some(tag) => match tag
                .trim()
                .replace('_', "-")
                .parse::<icu_locale_core::Locale>()
            {
                Ok(l) => Ok(Some(l.to_string())),
                Err(_) => Err(Error::Usage(format!(
                    "--locale {tag}: not a language tag; write e.g. cs-CZ or en-GB"
                ))),
            },
        }
    }

    /// How to write a CSV output: the locale's preset (if it has one),
    /// then each `--csv-...` option over it.
    pub fn csv_write_options(&self) -> Result<CsvWriteOptions> {
        let mut o = self
            .locale()?
            .and_then(|l| CsvWriteOptions::for_locale(&l))
            .unwrap_or_default();
        // The output's delimiter and decimal mark are spelled as the
        // input's are, so they go through the reader's vocabulary.
        if let Some(d) = &self.csv_delimiter {
            let mut read = CsvOptions::default();
            set_csv_option(&mut read, "delimiter", d, &format!("--csv-delimiter {d}"))?;
            o.delimiter = read.delimiter.unwrap_or(b',');
        }
        if let Some(d) = &self.csv_decimal {
            let mut read = CsvOptions::default();
            set_csv_option(&mut read, "decimal", d, &format!("--csv-decimal {d}"))?;
            o.decimal_comma = read.decimal_comma.unwrap_or(false);
        }
        if let Some(e) = &self.csv_encoding {
            let (encoding, bom) = match e.trim().to_ascii_lowercase().as_str() {
                "utf-8" | "utf8" => (encoding_rs::UTF_8, false),
                "utf-8-bom" | "utf-8-sig" | "utf8-bom" => (encoding_rs::UTF_8, true),
                "windows-1250" | "cp1250" => (encoding_rs::WINDOWS_1250, false),
                "windows-1252" | "cp1252" => (encoding_rs::WINDOWS_1252, false),
                _ => {
                    return Err(Error::Usage(format!(
                        "--csv-encoding {e}: write utf-8, utf-8-bom, windows-1250 or windows-1252"
                    )))
                }
            };
            o.encoding = encoding;
            o.bom = bom;
        }
        if o.delimiter == b',' && o.decimal_comma {
            return Err(Error::Usage(
                "a decimal comma needs another CSV delimiter: add --csv-delimiter ';'".into(),
            ));
        }
        Ok(o)
    }
}

/// Why a `--now` value was refused.
#[derive(Debug, thiserror::Error)]
#[error("\"{0}\" is not a date-time like 2026-11-27T09:00:00")]
pub struct NotADateTime(String);

/// Parses `--now`: `2026-11-27T09:00:00`, `2026-11-27 09:00` or a date.
pub fn parse_now(text: &str) -> std::result::Result<chrono::NaiveDateTime, NotADateTime> {
    let t = text.trim();
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt);
        }
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(|| NotADateTime(t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_are_the_readers() {
        let defaults = ReadLimits::default();
        assert_eq!(ReadLimitArgs::default().to_limits(), defaults);
        // The documented defaults are the reader's, in the options' units.
        assert_eq!(defaults.max_cells, 60_000_000);
        assert_eq!(defaults.max_text_bytes >> 20, 1024);
        assert_eq!(defaults.max_string_bytes >> 10, 16384);
        assert_eq!(defaults.max_shared_strings, 60_000_000);
    }

    #[test]
    fn now_accepts_date_times_and_dates() {
        assert_eq!(
            parse_now("2026-11-27T09:00:00").unwrap().to_string(),
            "2026-11-27 09:00:00"
        );
        assert_eq!(
            parse_now("2026-11-27").unwrap().to_string(),
            "2026-11-27 00:00:00"
        );
        assert!(parse_now("27/11/2026").is_err());
    }
}
