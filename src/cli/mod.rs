//! The command line: argument parsing and printing only; all work is done
//! by the library. One module per subcommand.

pub mod convert;
pub mod eval;
pub mod functions;
pub mod recalc;
pub mod run;
pub mod show;

use clap::{Parser, Subcommand};

/// Options every subcommand takes.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// No progress bars and no warnings on stderr (errors are still shown).
    #[arg(short, long, global = true)]
    pub quiet: bool,
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
    pub fn to_options(&self) -> crate::Result<crate::io::read::CsvOptions> {
        let mut options = crate::io::read::CsvOptions::default();
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

/// The CSV reading options one can give: on the command line as
/// `--delimiter` and so on, and per attachment as `;delimiter=...`.
pub const CSV_OPTION_KEYS: [&str; 4] = ["delimiter", "decimal", "encoding", "header-row"];

/// Sets the CSV reading option `key` from its text `value`; `what` names
/// the option in errors as the user wrote it.
pub fn set_csv_option(
    options: &mut crate::io::read::CsvOptions,
    key: &str,
    value: &str,
    what: &str,
) -> crate::Result<()> {
    let usage = |m: String| Err(crate::Error::Usage(format!("{what}: {m}")));
    match key {
        "delimiter" => {
            options.delimiter = Some(match value {
                "tab" | "\\t" => b'\t',
                "semicolon" => b';',
                "comma" => b',',
                d if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
                _ => return usage("give one character such as ';' or ',', or `tab`".into()),
            })
        }
        "decimal" => {
            options.decimal_comma = Some(match value.trim().to_ascii_lowercase().as_str() {
                "comma" | "," => true,
                "point" | "." => false,
                _ => return usage("write `comma` (1 234,56) or `point` (1234.56)".into()),
            })
        }
        "encoding" => {
            options.encoding = Some(
                encoding_rs::Encoding::for_label(value.trim().as_bytes()).ok_or_else(|| {
                    crate::Error::Usage(format!(
                        "{what}: unknown encoding; try utf-8, windows-1250 or windows-1252"
                    ))
                })?,
            )
        }
        "header-row" => {
            options.header_row = Some(match value.trim().parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => return usage("give the line of the header row, counted from 1".into()),
            })
        }
        _ => {
            return usage(format!(
                "unknown CSV option \"{key}\"; the options are {}",
                CSV_OPTION_KEYS.join(", ")
            ))
        }
    }
    Ok(())
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
    pub fn locale(&self) -> crate::Result<Option<String>> {
        match &self.locale {
            None => Ok(None),
            Some(tag) => match tag
                .trim()
                .replace('_', "-")
                .parse::<icu_locale_core::Locale>()
            {
                Ok(l) => Ok(Some(l.to_string())),
                Err(_) => Err(crate::Error::Usage(format!(
                    "--locale {tag}: not a language tag; write e.g. cs-CZ or en-GB"
                ))),
            },
        }
    }

    /// How to write a CSV output: the locale's preset (if it has one),
    /// then each `--csv-...` option over it.
    pub fn csv_write_options(&self) -> crate::Result<crate::io::write::csv::CsvWriteOptions> {
        use crate::io::write::csv::CsvWriteOptions;
        let mut o = self
            .locale()?
            .and_then(|l| CsvWriteOptions::for_locale(&l))
            .unwrap_or_default();
        if let Some(d) = &self.csv_delimiter {
            let mut read = crate::io::read::CsvOptions::default();
            set_csv_option(&mut read, "delimiter", d, &format!("--csv-delimiter {d}"))?;
            o.delimiter = read.delimiter.unwrap_or(b',');
        }
        if let Some(d) = &self.csv_decimal {
            let mut read = crate::io::read::CsvOptions::default();
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
                    return Err(crate::Error::Usage(format!(
                        "--csv-encoding {e}: write utf-8, utf-8-bom, windows-1250 or windows-1252"
                    )))
                }
            };
            o.encoding = encoding;
            o.bom = bom;
        }
        if o.delimiter == b',' && o.decimal_comma {
            return Err(crate::Error::Usage(
                "a decimal comma needs another CSV delimiter: add --csv-delimiter ';'".into(),
            ));
        }
        Ok(o)
    }
}

/// sheetscript: run finance rules written as scripts on your workbooks.
#[derive(Debug, Parser)]
#[command(
    name = "sheetscript",
    version,
    about,
    long_about = None,
    after_help = "EXAMPLES:
  sheetscript show samples/invoices.xlsx
  sheetscript convert report.xls -o report.xlsx
  sheetscript run scripts/vat.rhai samples/invoices.xlsx -o out.xlsx

Exit codes: 0 success, 1 the run failed, 2 bad usage or unreadable input.
Run `sheetscript <COMMAND> --help` for each command's options and examples."
)]
pub struct Cli {
    /// Options shared by all commands.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a workbook's cells as a table, with a summary per sheet.
    Show(show::ShowArgs),
    /// Convert any readable workbook to xlsx or CSV.
    Convert(convert::ConvertArgs),
    /// Run a script on a workbook.
    Run(run::RunArgs),
    /// Evaluate every formula and write the values as cached results.
    Recalc(recalc::RecalcArgs),
    /// Print one cell's computed value, or evaluate a formula.
    Eval(eval::EvalArgs),
    /// Print the script API reference.
    Functions(functions::FunctionsArgs),
}

/// Prints write or run warnings to stderr, unless `--quiet`.
pub fn print_warnings(warnings: &[String], global: &GlobalArgs) {
    if global.quiet {
        return;
    }
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

/// Prints what the reader of `path` left out (a CSV's title lines), one
/// line each, unless `--quiet`.
pub fn print_read_notes(
    workbook: &crate::model::Workbook,
    path: &std::path::Path,
    global: &GlobalArgs,
) {
    if global.quiet {
        return;
    }
    for n in &workbook.read_notes {
        eprintln!("note: {}: {n}", path.display());
    }
}

/// Runs the parsed command; returns the process exit code.
pub fn execute(cli: Cli) -> i32 {
    let result = match &cli.command {
        Command::Show(a) => show::execute(a, &cli.global),
        Command::Convert(a) => convert::execute(a, &cli.global),
        Command::Run(a) => run::execute(a, &cli.global),
        Command::Recalc(a) => recalc::execute(a, &cli.global),
        Command::Eval(a) => eval::execute(a, &cli.global),
        Command::Functions(a) => functions::execute(a, &cli.global),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
