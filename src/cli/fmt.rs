use super::Outcome;
use anyhow::Context;
use flowbench::api::workflows as file;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct FmtArgs {
    /// Workflow files, or folders searched for *.flow.json.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing; exit 1 when a file is not in canonical form.
    #[arg(long)]
    check: bool,
}

/// Rewrites workflow files in the canonical form that saving produces.
pub fn run(args: FmtArgs) -> anyhow::Result<Outcome> {
    let mut outcome = Outcome::Success;
    for path in &args.paths {
        for f in file::workflow_files(path)
            .with_context(|| format!("{}: cannot list the folder", path.display()))?
        {
            let before = match std::fs::read_to_string(&f) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{}: cannot read the file: {e}", f.display());
                    outcome = Outcome::Refused;
                    continue;
                }
            };
            let wf = match file::parse(&before, &f.display().to_string()) {
                Ok(wf) => wf,
                Err(e) => {
                    eprintln!("{e}");
                    outcome = Outcome::Refused;
                    continue;
                }
            };
            if file::to_text(&wf) == before {
                continue;
            }
            if args.check {
                println!("{}", f.display());
                outcome = outcome.max(Outcome::Failed);
            } else {
                file::save(&wf, &f)?;
                eprintln!("formatted {}", f.display());
            }
        }
    }
    Ok(outcome)
}
