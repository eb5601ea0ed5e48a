//! Progress bars for long loads and writes: shown on a terminal, silent
//! when output is piped or `--quiet` is given.

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
