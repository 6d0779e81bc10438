//! `import n8n FILE [-o OUT]`: an n8n export as a Flowbench workflow file
//! (docs/import.md). Prints what it wrote on standard output and one line per
//! thing it could not map on standard error, as `NODE: what: why`.

use super::{print_json, Outcome};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum ImportCommand {
    /// An n8n workflow export (JSON) as NAME.flow.json beside it, or OUT.
    N8n {
        file: PathBuf,
        /// The workflow file to write (default: NAME.flow.json beside FILE).
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
        /// Replace OUT when it exists.
        #[arg(long)]
        force: bool,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: ImportCommand) -> anyhow::Result<Outcome> {
    let ImportCommand::N8n {
        file,
        out,
        force,
        json,
    } = command;
    let outcome = match flowbench::api::import::n8n_file(&file, out.as_deref(), force) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error[{}]: {}", e.code, e.message);
            return Ok(Outcome::Refused);
        }
    };
    for line in &outcome.not_mapped {
        eprintln!("{line}");
    }
    for d in &outcome.diagnostics {
        eprintln!("{}", super::validate::diagnostic_line(&outcome.file, d));
    }
    if json {
        print_json(&outcome)?;
    } else {
        println!("wrote {}", outcome.file);
        if let Some(pins) = &outcome.pins_file {
            println!("wrote {pins}");
        }
        println!(
            "{} not mapped (listed on standard error)",
            match outcome.not_mapped.len() {
                1 => "1 thing".to_string(),
                n => format!("{n} things"),
            }
        );
    }
    Ok(Outcome::Success)
}
