//! `revisions list|diff|restore`: the revisions of a workflow file that the
//! app recorded at each save (docs/history.md).

use super::history::{print_list, HistoryArgs};
use super::{print_json, Outcome};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum RevisionsCommand {
    /// The revisions of a workflow file, newest first.
    List {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// What changed from revision REV to REV2 (default: the file as it is now).
    Diff {
        file: PathBuf,
        rev: i64,
        rev2: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Write revision REV back to the file; recorded as a new revision.
    Restore { file: PathBuf, rev: i64 },
}

pub fn run(command: RevisionsCommand, args: &HistoryArgs) -> anyhow::Result<Outcome> {
    let history = args.require()?;
    let err = |e: flowbench::model::ErrorInfo| anyhow::anyhow!(e.message);
    match command {
        RevisionsCommand::List { file, json } => {
            let revs = history.revisions(&file).map_err(err)?;
            print_list(&revs, json, "revision(s)", |r| {
                format!(
                    "{:>4}  {}  {}{}",
                    r.rev,
                    r.saved_at,
                    r.workflow_id,
                    r.note
                        .as_deref()
                        .map(|n| format!("  ({n})"))
                        .unwrap_or_default()
                )
            })?;
            Ok(Outcome::Success)
        }
        RevisionsCommand::Diff {
            file,
            rev,
            rev2,
            json,
        } => {
            let d = history.diff_revisions(&file, rev, rev2).map_err(err)?;
            if json {
                print_json(&d)?;
                return Ok(Outcome::Success);
            }
            let to = rev2.map_or("the file".to_string(), |r| format!("revision {r}"));
            if d.is_empty() {
                println!("revision {rev} and {to} hold the same workflow");
            }
            for n in &d.nodes_added {
                println!("+ node {n}");
            }
            for n in &d.nodes_removed {
                println!("- node {n}");
            }
            for n in &d.nodes_moved {
                println!("~ node {n} moved");
            }
            for c in &d.nodes_changed {
                println!("~ node {}: {}", c.node, c.keys.join(", "));
            }
            for e in &d.edges_added {
                println!("+ edge {e}");
            }
            for e in &d.edges_removed {
                println!("- edge {e}");
            }
            for k in &d.workflow_changed {
                println!("~ workflow {k}");
            }
            Ok(Outcome::Success)
        }
        RevisionsCommand::Restore { file, rev } => {
            let new = history.restore_revision(&file, rev).map_err(err)?;
            eprintln!(
                "{}: revision {rev} restored, recorded as revision {new}",
                file.display()
            );
            Ok(Outcome::Success)
        }
    }
}
