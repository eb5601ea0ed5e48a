//! `sheetscript run SCRIPT --help`: what a script says about itself in
//! its header (title, description, parameters, workbooks to attach),
//! with the command that runs it. `run --help` without a script is
//! clap's own help of `run`.

use sheetscript::script::{ParamKind, ParamSpec, ScriptHeader, TODAY};
use sheetscript::{Error, Result};
use std::io::Write;
use std::path::Path;

/// A script's text; a script that cannot be read is unreadable input.
pub fn read_script(script: &Path) -> Result<String> {
    std::fs::read_to_string(script)
        .map_err(|e| Error::unreadable(script, format!("cannot read the script: {e}")))
}

/// Prints the help of `script`, read from its header; a header that
/// cannot be read is a usage error naming its line.
pub fn print(script: &Path) -> Result<()> {
    let name = script.display().to_string();
    let source = read_script(script)?;
    let header = ScriptHeader::parse(&source, &name).map_err(|e| Error::Usage(e.to_string()))?;
    // A closed pipe (`| head`) just ends the help.
    let _ = std::io::stdout()
        .lock()
        .write_all(help_text(&name, &header).as_bytes());
    Ok(())
}

/// Prints clap's help of `run`, as `run --help` printed it before a
/// script could have its own.
pub fn print_run_help() {
    use clap::CommandFactory;
    let mut cli = super::Cli::command();
    cli.build();
    if let Some(run) = cli.find_subcommand_mut("run") {
        // A closed pipe (`| head`) just ends the help.
        let _ = run.print_long_help();
    }
}

/// How wide the description is wrapped.
const WIDTH: usize = 76;

/// The help of the script `name` with this header.
fn help_text(name: &str, header: &ScriptHeader) -> String {
    let mut out = String::new();
    let title = if header.title.is_empty() {
        name.to_string()
    } else {
        format!("{} ({name})", header.title)
    };
    out.push_str(&title);
    out.push('\n');
    if header == &ScriptHeader::default() {
        out.push_str(
            "\nThis script has no header (`//!` lines at its top), so it does not say which \
             parameters\nand workbooks it takes; `sheetscript functions header` shows how to \
             write one.\n",
        );
    }
    if !header.description.is_empty() {
        out.push('\n');
        for line in wrap(&header.description, WIDTH) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !header.params.is_empty() {
        out.push_str("\nParameters (--set NAME=VALUE):\n");
        let rows: Vec<[String; 3]> = header
            .params
            .iter()
            .map(|p| {
                let label = if p.label == p.name {
                    String::new()
                } else {
                    p.label.clone()
                };
                [p.name.clone(), kind_and_default(p), label]
            })
            .collect();
        out.push_str(&columns(&rows));
    }
    if !header.attachments.is_empty() {
        out.push_str("\nWorkbooks to attach (--attach NAME=FILE), each required:\n");
        let rows: Vec<[String; 3]> = header
            .attachments
            .iter()
            .map(|a| [a.name.clone(), a.label.clone(), String::new()])
            .collect();
        out.push_str(&columns(&rows));
    }
    out.push_str("\nUsage:\n");
    let mut required = vec![
        "sheetscript run".to_string(),
        shell_word(name),
        "INPUT.xlsx".to_string(),
        "-o".to_string(),
        "OUTPUT.xlsx".to_string(),
    ];
    for p in header.params.iter().filter(|p| p.default.is_none()) {
        required.push(format!(
            "--set {}",
            shell_word(&format!("{}={}", p.name, placeholder(p)))
        ));
    }
    for a in &header.attachments {
        required.push(format!("--attach {}=FILE", a.name));
    }
    out.push_str(&format!("  {}\n", required.join(" ")));
    let defaults: Vec<String> = header
        .params
        .iter()
        .filter_map(|p| {
            let value = match p.default.as_deref() {
                Some(TODAY) if p.kind == ParamKind::Date => "2026-11-30",
                Some(d) => d,
                None => return None,
            };
            Some(format!(
                "--set {}",
                shell_word(&format!("{}={value}", p.name))
            ))
        })
        .collect();
    if !defaults.is_empty() {
        out.push_str(&format!(
            "  (a parameter with a default takes another value with --set: {})\n",
            defaults.join(" ")
        ));
    }
    out.push_str(
        "  --dry-run shows what would change and writes nothing; `sheetscript run --help` \
         lists every option.\n",
    );
    out
}

/// `number, default 0.02`, `date, default today (the run's day or
/// --today)`, `text, required`.
fn kind_and_default(p: &ParamSpec) -> String {
    match p.default.as_deref() {
        Some(TODAY) if p.kind == ParamKind::Date => {
            format!("{}, default today (the run's day, or --today)", p.kind)
        }
        Some(d) => format!("{}, default {d}", p.kind),
        None => format!("{}, required", p.kind),
    }
}

/// What a required parameter's value looks like in the usage line.
fn placeholder(p: &ParamSpec) -> String {
    match &p.kind {
        ParamKind::Number => "NUMBER".into(),
        ParamKind::Date => "YYYY-MM-DD".into(),
        ParamKind::Text => "TEXT".into(),
        ParamKind::Choice(c) => c.join("|"),
    }
}

/// `text` as one shell word: quoted when a shell would split or expand
/// it.
fn shell_word(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || "._,:/=+-@%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Rows of three columns, the first two padded to their widest, each
/// line indented by two.
fn columns(rows: &[[String; 3]]) -> String {
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1) = (width(0), width(1));
    rows.iter()
        .map(|r| {
            let line = format!("  {:<w0$}  {:<w1$}  {}", r[0], r[1], r[2]);
            format!("{}\n", line.trim_end())
        })
        .collect()
}

/// `text` in lines of at most `width` characters, broken between words
/// (a longer word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parameters_attachments_and_the_command() {
        let header = ScriptHeader::parse(
            "//! # Ageing\n//! Buckets per customer.\n//! param asof: date = today \"As of\"\n\
             //! param note: text \"Footer text\"\n//! param method: choice(fifo, lifo) = fifo\n\
             //! attach bank \"Bank statement\"\n",
            "ageing.rhai",
        )
        .unwrap();
        let text = help_text("scripts/ageing.rhai", &header);
        assert!(text.starts_with("Ageing (scripts/ageing.rhai)\n\nBuckets per customer.\n"));
        assert!(
            text.contains("  asof    date, default today (the run's day, or --today)  As of\n"),
            "{text}"
        );
        assert!(text.contains("  note    text, required"), "{text}");
        assert!(
            text.contains("  method  one of fifo, lifo, default fifo\n"),
            "{text}"
        );
        assert!(text.contains("  bank  Bank statement\n"), "{text}");
        assert!(
            text.contains("sheetscript run scripts/ageing.rhai INPUT.xlsx -o OUTPUT.xlsx --set note=TEXT --attach bank=FILE\n"),
            "{text}"
        );
        assert!(
            text.contains("--set asof=2026-11-30 --set method=fifo)"),
            "{text}"
        );
    }

    #[test]
    fn a_script_without_header_says_so() {
        let text = help_text("x.rhai", &ScriptHeader::default());
        assert!(text.contains("has no header"), "{text}");
        assert!(
            text.contains("sheetscript run x.rhai INPUT.xlsx -o OUTPUT.xlsx\n"),
            "{text}"
        );
    }

    #[test]
    fn wraps_between_words_and_quotes_for_the_shell() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
        assert_eq!(shell_word("note=0042"), "note=0042");
        assert_eq!(shell_word("note=a b"), "'note=a b'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
