//! Progress bars for long loads and writes, and for a batch of files:
//! shown on a terminal, silent when output is piped or `--quiet` is
//! given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress reporter that is either an indicatif bar on stderr or
/// nothing at all. Cheap to clone; every step of the data path takes one.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A reporter that shows nothing (tests, `--quiet`, piped output).
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// A bar on stderr when stderr is a terminal and `quiet` is false.
    pub fn for_terminal(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} {human_pos}/{human_len} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Progress { bar: Some(bar) }
    }

    /// A bar for a batch of `total` files on stderr (files done, the
    /// file last started, time taken and left), under the same rule as
    /// [`Progress::for_terminal`].
    pub fn for_files(quiet: bool, total: u64) -> Progress {
        let progress = Progress::for_terminal(quiet);
        if let Some(bar) = &progress.bar {
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {human_pos}/{human_len} files [{elapsed}, {eta} left] {wide_msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_length(total);
        }
        progress
    }

    /// Shows `message` beside the bar (the file being worked on).
    pub fn set_message(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    /// Prints a line on stderr above the bar, so neither garbles the
    /// other.
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Starts a new phase with a message and an expected count (0 when
    /// unknown).
    pub fn start(&self, message: &str, total: u64) {
        if let Some(bar) = &self.bar {
            bar.reset();
            bar.set_message(message.to_string());
            bar.set_length(total);
            bar.set_position(0);
        }
    }

    /// Advances by `n` steps.
    pub fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Clears the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
