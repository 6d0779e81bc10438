//! `flowbench serve [DIR]`: webhooks and the HTTP API on 127.0.0.1 (SERVICE.md).

use super::history::HistoryArgs;
use super::Outcome;
use flowbench::api::service::{serve, ServeOptions};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The folder whose *.flow.json files are served.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 5678)]
    port: u16,
    /// The largest webhook body accepted, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    max_body: usize,
}

pub fn run(args: ServeArgs, history: &HistoryArgs) -> anyhow::Result<Outcome> {
    if !args.dir.is_dir() {
        eprintln!("error: {}: not a folder", args.dir.display());
        return Ok(Outcome::Refused);
    }
    let history = history.require()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // The handlers are in place before the service says it listens: a
        // signal sent right after that line stops it cleanly.
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        let stop = async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = term.recv() => {}
            }
            eprintln!("stopping");
        };
        serve(
            ServeOptions {
                dir: args.dir,
                port: args.port,
                max_body: args.max_body,
            },
            history,
            |addr| {
                // A line for other programs: flushed at once.
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "listening on http://{addr}");
                let _ = err.flush();
            },
            stop,
        )
        .await
    })?;
    Ok(Outcome::Success)
}
