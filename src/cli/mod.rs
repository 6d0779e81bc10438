pub mod debugger;
pub mod eval;
pub mod fmt;
pub mod history;
pub mod import;
pub mod revisions;
pub mod run;
pub mod secrets;
pub mod serve;
pub mod test;
pub mod validate;

use std::process::ExitCode;

/// How a command ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Success = 0,
    /// A failed run, a workflow with validation errors, a failing test.
    Failed = 1,
    /// Bad usage, or a file refused whole.
    Refused = 2,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }
}

/// Prints JSON on standard output, pretty, with a final newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    // Streamed through a buffer: a large report is never held whole as text.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}
