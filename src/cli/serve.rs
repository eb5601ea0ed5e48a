//! `sheetscript serve`: the local web page (the server is the library's
//! `web` module; this only reads the options).

use super::args::ReadLimitArgs;
use sheetscript::web::Config;
use sheetscript::{Error, Result};
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `sheetscript serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = "EXAMPLES:
  sheetscript serve --scripts scripts/                 # then open http://127.0.0.1:8080
  sheetscript serve --scripts scripts/ --port 0        # any free port; the line says which
  sheetscript serve --scripts scripts/ --bind 0.0.0.0 --token \"$(openssl rand -hex 16)\"

It prints one line, `listening on http://HOST:PORT`, and serves until Ctrl-C.
Only the scripts in the --scripts folders run, with the sandbox and --timeout
of `run`. docs/WEB.md has the details.")]
pub struct ServeArgs {
    /// A folder whose .rhai scripts the page offers. Repeatable.
    #[arg(long = "scripts", value_name = "DIR", required = true)]
    pub scripts: Vec<PathBuf>,
    /// The port (0 takes a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on; other than loopback it needs --token.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The access token every request must show (`?token=` once, then a
    /// cookie; or `Authorization: Bearer TOKEN`).
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Largest upload, all files of one form together, in MB.
    #[arg(long, value_name = "MB", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_upload: u64,
    /// Runs at once; more wait their turn and their page says so.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_runs: u64,
    /// Stop a run after this many seconds (0 for no limit).
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,
    /// The date runs take as today (`today()` and "today" defaults), as
    /// 2026-11-30.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Minutes a run's result waits for download.
    #[arg(long, value_name = "MIN", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub keep_minutes: u64,
    /// How much an uploaded workbook may make the reader hold.
    #[command(flatten)]
    pub limits: ReadLimitArgs,
}

/// Runs `sheetscript serve` until Ctrl-C.
pub fn execute(args: &ServeArgs) -> Result<()> {
    let today = match &args.today {
        Some(t) => Some(
            chrono::NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .map_err(|_| Error::Usage(format!("--today {t}: write the date as 2026-11-30")))?,
        ),
        None => None,
    };
    let config = Config {
        addr: SocketAddr::new(args.bind, args.port),
        token: args.token.clone(),
        max_upload: args.max_upload * 1_000_000,
        max_runs: args.max_runs as usize,
        timeout: (args.timeout > 0).then(|| Duration::from_secs(args.timeout)),
        today,
        keep: Duration::from_secs(args.keep_minutes * 60),
        limits: args.limits.to_limits(),
        ..Config::new(args.scripts.clone())
    };
    sheetscript::web::serve(config, |addr| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    })
}
