//! `runs` and `tasks`: the run history on the command line
//! (CLI.md, "The run history"), and the global `--db` / `--no-history`.

use super::run::{summarize, watch};
use super::{print_json, Outcome};
use anyhow::Context;
use flowbench::api::history::{self, History, RunFilter, TaskFilter};
use flowbench::api::runs::{EventSink, RunControl, RunError};
use flowbench::api::Answer;
use flowbench::model::{RunReport, RunStatus};
use std::path::{Path, PathBuf};

/// The options every command that touches the history takes.
#[derive(clap::Args, Debug, Clone)]
pub struct HistoryArgs {
    /// The run history's database (default: $FLOWBENCH_DB, else flowbench.db in the user's data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Record nothing in the run history.
    #[arg(long, global = true)]
    pub no_history: bool,
}

impl HistoryArgs {
    /// The history to record runs in; `None` with `--no-history`.
    pub fn open(&self) -> Result<Option<History>, String> {
        if self.no_history {
            return Ok(None);
        }
        History::open(self.db.as_deref())
            .map(Some)
            .map_err(|e| e.message)
    }

    /// The history, for commands that read it: `--no-history` does not apply.
    pub fn require(&self) -> anyhow::Result<History> {
        History::open(self.db.as_deref()).map_err(|e| anyhow::anyhow!(e.message))
    }
}

/// An earlier run's report: a report file when one exists at that path, else
/// a run of the history.
pub fn report_of(earlier: &str, history: Option<&History>) -> anyhow::Result<RunReport> {
    let path = Path::new(earlier);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the earlier run's report", path.display()))?;
        return serde_json::from_str(&text)
            .with_context(|| format!("{}: not a run report", path.display()));
    }
    let Some(history) = history else {
        anyhow::bail!(
            "{earlier}: no such report file, and --no-history keeps runs by id out of reach"
        );
    };
    history
        .show(earlier)
        .map_err(|e| anyhow::anyhow!("{earlier}: no such report file, and {}", e.message))
}

#[derive(clap::Subcommand)]
pub enum RunsCommand {
    /// Recorded runs, newest first.
    List {
        /// Only runs of this workflow id.
        #[arg(long)]
        workflow: Option<String>,
        /// Only runs with this status (succeeded, failed, cancelled, waiting, running, interrupted).
        #[arg(long, value_parser = parse_status)]
        status: Option<RunStatus>,
        /// Only runs started at or after this time (RFC 3339, or a date such as 2026-12-01).
        #[arg(long)]
        since: Option<String>,
        /// At most this many runs.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// A run's report, identical to what `run --json` printed.
    Show {
        /// A run id, or an unambiguous prefix of one.
        run: String,
        #[arg(long)]
        json: bool,
    },
    /// Continue an interrupted run from its journal: finished nodes do not run again.
    Resume {
        run: String,
        /// Print the run report as JSON on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Keep runs N days, and at most N runs per workflow; applied now and after every run.
    Retention {
        #[arg(long)]
        days: Option<u32>,
        #[arg(long)]
        runs: Option<u32>,
        /// Keep every run.
        #[arg(long, conflicts_with_all = ["days", "runs"])]
        off: bool,
    },
}

#[derive(clap::Subcommand)]
pub enum TasksCommand {
    /// Open human tasks (approvals), the most urgent first.
    List {
        #[arg(long)]
        assignee: Option<String>,
        /// Only tasks past their due time.
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        json: bool,
    },
    /// Decide a task; the run goes on in this process.
    Decide {
        run: String,
        node: String,
        outcome: String,
        #[arg(long)]
        comment: Option<String>,
        /// Who decides (default: the operating-system user).
        #[arg(long)]
        by: Option<String>,
        /// Print the run report as JSON on standard output.
        #[arg(long)]
        json: bool,
    },
    /// Add a note to an open task.
    Note {
        run: String,
        node: String,
        text: String,
        #[arg(long)]
        by: Option<String>,
    },
}

fn parse_status(s: &str) -> Result<RunStatus, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|_| {
        "one of succeeded, failed, cancelled, waiting, running, interrupted".to_string()
    })
}

/// `2026-12-01` means the start of that day, UTC.
fn since_time(s: &str) -> String {
    if s.len() == 10 {
        format!("{s}T00:00:00.000Z")
    } else {
        s.to_string()
    }
}

/// A list as JSON on standard output, or one line per item and a count on standard error.
pub(super) fn print_list<T: serde::Serialize>(
    items: &[T],
    json: bool,
    what: &str,
    line: impl Fn(&T) -> String,
) -> anyhow::Result<()> {
    if json {
        return print_json(&items);
    }
    for item in items {
        println!("{}", line(item));
    }
    eprintln!("{} {what}", items.len());
    Ok(())
}

/// A run id as lists show it: its first 8 characters, enough to name it.
fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

fn status_word(s: RunStatus) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

pub fn runs(command: RunsCommand, args: &HistoryArgs) -> anyhow::Result<Outcome> {
    let history = args.require()?;
    match command {
        RunsCommand::List {
            workflow,
            status,
            since,
            limit,
            json,
        } => {
            let runs = history
                .list(&RunFilter {
                    workflow,
                    status,
                    since: since.as_deref().map(since_time),
                    until: None,
                    limit: Some(limit),
                })
                .map_err(|e| anyhow::anyhow!(e.message))?;
            print_list(&runs, json, "run(s)", |r| {
                format!(
                    "{}  {:<12} {:<24} {}  {}",
                    short(&r.run_id),
                    status_word(r.status),
                    r.workflow_id,
                    r.started_at,
                    r.duration_ms
                        .map(|d| format!("{d} ms"))
                        .unwrap_or_else(|| "-".into())
                )
            })?;
            Ok(Outcome::Success)
        }
        RunsCommand::Show { run, json } => {
            let report = history.show(&run).map_err(|e| anyhow::anyhow!(e.message))?;
            if json {
                print_json(&report)?;
            } else {
                summarize(&report, true);
                print_json(&report.output)?;
            }
            Ok(Outcome::Success)
        }
        RunsCommand::Resume { run, json } => {
            let result = watch_continued(|control, events| history.resume(&run, control, events))?;
            match result {
                Ok(r) => finish_continued(r, json, false),
                Err(e) => Ok(refused(e)),
            }
        }
        RunsCommand::Retention { days, runs, off } => {
            let (days, runs) = if off { (None, None) } else { (days, runs) };
            if !off && days.is_none() && runs.is_none() {
                let (d, r) = history
                    .retention()
                    .map_err(|e| anyhow::anyhow!(e.message))?;
                println!(
                    "keep runs: {}; per workflow: {}",
                    d.map_or("forever".into(), |d| format!("{d} days")),
                    r.map_or("all".into(), |r| format!("the last {r}"))
                );
                return Ok(Outcome::Success);
            }
            history
                .set_retention(days, runs)
                .map_err(|e| anyhow::anyhow!(e.message))?;
            let gone = history
                .apply_retention()
                .map_err(|e| anyhow::anyhow!(e.message))?;
            eprintln!("{gone} run(s) deleted");
            Ok(Outcome::Success)
        }
    }
}

/// Continues a recorded run with live progress: the claim (`start`) may be
/// refused before anything runs.
fn watch_continued(
    start: impl FnOnce(RunControl, EventSink) -> Answer<history::Continued>,
) -> anyhow::Result<Answer<Result<RunReport, RunError>>> {
    watch(None, |control, events| {
        let started = start(control, events);
        async move {
            match started {
                Ok(continued) => Ok(continued.await),
                Err(e) => Err(e),
            }
        }
    })
}

/// A refused resume or decision: exit 1, or 2 when the history cannot be used.
fn refused(e: flowbench::model::ErrorInfo) -> Outcome {
    eprintln!("error: {}", e.message);
    if e.code == flowbench::model::Code::HistoryUnavailable {
        Outcome::Refused
    } else {
        Outcome::Failed
    }
}

/// A continued run's end, as `run` prints it; exit 0 when it went as far as it could.
fn finish_continued(
    result: Result<RunReport, RunError>,
    json: bool,
    decided: bool,
) -> anyhow::Result<Outcome> {
    let report = result.map_err(|e| anyhow::anyhow!("{e}"))?;
    summarize(&report, true);
    if json {
        print_json(&report)?;
    } else {
        print_json(&report.output)?;
    }
    // A decision was taken even when the run then fails: that is a success of `decide`.
    Ok(match report.status {
        RunStatus::Succeeded | RunStatus::Waiting => Outcome::Success,
        _ if decided => Outcome::Success,
        _ => Outcome::Failed,
    })
}

pub fn tasks(command: TasksCommand, args: &HistoryArgs) -> anyhow::Result<Outcome> {
    let history = args.require()?;
    match command {
        TasksCommand::List {
            assignee,
            overdue,
            json,
        } => {
            let tasks = history
                .tasks(&TaskFilter {
                    assignee,
                    overdue,
                    workflow: None,
                })
                .map_err(|e| anyhow::anyhow!(e.message))?;
            print_list(&tasks, json, "open task(s)", |t| {
                format!(
                    "{}  {}  {:<20} {}  assignee: {}  due: {}{}  outcomes: {}",
                    short(&t.run_id),
                    t.workflow_id,
                    t.node,
                    t.title,
                    t.assignee.as_deref().unwrap_or("-"),
                    t.due_at.as_deref().unwrap_or("-"),
                    if t.overdue { " (overdue)" } else { "" },
                    t.outcomes.join("|")
                )
            })?;
            Ok(Outcome::Success)
        }
        TasksCommand::Decide {
            run,
            node,
            outcome,
            comment,
            by,
            json,
        } => {
            let by = by.unwrap_or_else(history::current_user);
            let result = watch_continued(|control, events| {
                history.decide(
                    &run,
                    &node,
                    &outcome,
                    comment.as_deref(),
                    &by,
                    control,
                    events,
                )
            })?;
            match result {
                Ok(r) => {
                    eprintln!("decided {node}: {outcome} (by {by})");
                    finish_continued(r, json, true)
                }
                Err(e) => Ok(refused(e)),
            }
        }
        TasksCommand::Note {
            run,
            node,
            text,
            by,
        } => {
            let by = by.unwrap_or_else(history::current_user);
            let notes = history
                .note(&run, &node, &text, &by)
                .map_err(|e| anyhow::anyhow!(e.message))?;
            eprintln!("{} note(s) on {node}", notes.len());
            Ok(Outcome::Success)
        }
    }
}
