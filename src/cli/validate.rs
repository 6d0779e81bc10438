use super::{print_json, Outcome};
use anyhow::Context;
use flowbench::api::workflows::{self as file, validate};
use flowbench::model::{Diagnostic, Severity};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// Workflow files, or folders searched for *.flow.json.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the diagnostics as a JSON list on standard output.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct FileDiagnostic {
    file: String,
    #[serde(flatten)]
    diagnostic: Diagnostic,
}

pub fn run(args: ValidateArgs) -> anyhow::Result<Outcome> {
    let mut files = Vec::new();
    for path in &args.paths {
        let found = file::workflow_files(path)
            .with_context(|| format!("{}: cannot list the folder", path.display()))?;
        if found.is_empty() {
            anyhow::bail!("{}: no *.flow.json files in this folder", path.display());
        }
        files.extend(found);
    }
    let mut outcome = Outcome::Success;
    let mut all = Vec::new();
    let (mut errors, mut warnings) = (0, 0);
    for path in &files {
        let shown = path.display().to_string();
        let diagnostics = match file::load(path) {
            Ok(wf) => validate(&wf),
            Err(e) => {
                outcome = Outcome::Refused;
                vec![Diagnostic::error(e.code(), e.to_string())]
            }
        };
        for d in diagnostics {
            match d.severity {
                Severity::Error => {
                    errors += 1;
                    outcome = outcome.max(Outcome::Failed);
                }
                Severity::Warning => warnings += 1,
            }
            if !args.json {
                println!("{}", diagnostic_line(&shown, &d));
            }
            all.push(FileDiagnostic {
                file: shown.clone(),
                diagnostic: d,
            });
        }
    }
    if args.json {
        print_json(&all)?;
    }
    eprintln!(
        "{} file{} checked: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    Ok(outcome)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `FILE: error[code] node ID, edge ID: message`
pub fn diagnostic_line(file: &str, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut at = Vec::new();
    if let Some(n) = &d.node {
        at.push(format!("node {n}"));
    }
    if let Some(e) = &d.edge {
        at.push(format!("edge {e}"));
    }
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" {}", at.join(", "))
    };
    format!("{file}: {severity}[{}]{at}: {}", d.code, d.message)
}
