//! The executor: runs a workflow locally on tokio and fills the run report.
//!
//! One executor serves the CLI, the app and the test runner. It refuses a
//! workflow with validation errors, starts at the trigger that fired, runs
//! independent branches concurrently, skips dead paths, and reports progress as
//! a stream of [`RunEvent`]s. [`RunControl`] is the handle on a running run.

mod attempts;
pub mod context;
pub mod debug;
pub mod entries;
mod executor;
pub mod fold;
pub mod journal;
mod paused;
mod prepared;
mod scheduler;
mod stand_in;
pub mod state;

pub use debug::{DebugCommand, DebugControl};
pub use executor::{continue_run, run, run_prepared};
pub use fold::{fold, JournalError, ReportFold};
pub use journal::{Entries, JournalHandle, MemoryJournal, RunJournal};
pub use prepared::{prepare, Prepared};

use crate::model::{Diagnostic, RunEvent};
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// How to run a workflow.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The run's input; default: the trigger's `sampleInput`, else `{}`.
    pub input: Option<Value>,
    /// The trigger that fired; default: the only one.
    pub trigger: Option<String>,
    /// Variable overrides, applied over the workflow's `variables`.
    pub vars: Map<String, Value>,
    /// The workflow's folder: `task.sql` databases and subflows are found from here.
    pub base_dir: PathBuf,
    /// How deep in subflows this run is (0 for a top-level run).
    pub depth: u32,
    /// Nodes replaced by test mocks: they do not run, and their records say `mocked`.
    pub mocks: std::collections::BTreeMap<String, crate::model::Mock>,
    /// Pinned outputs (`NAME.pins.json`): those nodes do not run; their records say `pinned`.
    pub pins: std::collections::BTreeMap<String, serde_json::Value>,
    /// Outputs reused from an earlier run (`--from NODE --reuse`): their records say `reused`.
    pub reuse: std::collections::BTreeMap<String, serde_json::Value>,
    /// Where the journal goes as it is written, besides the report's fold.
    pub journal: Option<JournalHandle>,
    /// The debugger's control, when the run is debugged.
    pub debug: Option<debug::DebugControl>,
    /// Where `task.subflow` finds the workflows it runs.
    pub workflows: Option<std::sync::Arc<dyn WorkflowSource>>,
    /// `$secrets`: the values of the secrets the workflow reads. Wherever one
    /// would be written (the journal, the report, logs, events, errors), the
    /// journal writes `[secret NAME]` instead.
    pub secrets: std::collections::BTreeMap<String, String>,
}

/// The names of the secrets a workflow reads (`$secrets.NAME` or
/// `$secrets["NAME"]` in any config): only those are given to its runs.
pub fn secrets_read_by(workflow: &crate::model::Workflow) -> std::collections::BTreeSet<String> {
    let text = serde_json::to_string(&workflow.nodes).unwrap_or_default();
    let mut names = std::collections::BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("$secrets") {
        rest = &rest[i + "$secrets".len()..];
        let name: String = if let Some(after) = rest.strip_prefix('.') {
            after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        } else if let Some(after) = rest
            .strip_prefix("[\\\"")
            .or_else(|| rest.strip_prefix("['"))
        {
            after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                .collect()
        } else {
            String::new()
        };
        if !name.is_empty() {
            names.insert(name);
        }
    }
    names
}

/// The names of the secrets a run of `workflow` with these options can read:
/// its own, and those of every subflow it runs, found as `task.subflow` finds
/// them. The parent redacts them all, since a child's output becomes its node's.
pub fn secrets_read_with_subflows(
    workflow: &crate::model::Workflow,
    options: &RunOptions,
) -> std::collections::BTreeSet<String> {
    let mut names = secrets_read_by(workflow);
    let Some(source) = &options.workflows else {
        return names;
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut calls: Vec<(PathBuf, String, u32)> = subflows_of(workflow)
        .map(|target| (options.base_dir.clone(), target, 1))
        .collect();
    while let Some((folder, target, depth)) = calls.pop() {
        if depth > 8 || !seen.insert((folder.clone(), target.clone())) {
            continue;
        }
        // A subflow that cannot be found fails when it runs, with its own error.
        if let Ok((prepared, child_folder)) = source.find(&folder, &target) {
            names.extend(secrets_read_by(&prepared.workflow));
            calls.extend(
                subflows_of(&prepared.workflow).map(|t| (child_folder.clone(), t, depth + 1)),
            );
        }
    }
    names
}

/// The workflows a workflow's `task.subflow` nodes name.
fn subflows_of(workflow: &crate::model::Workflow) -> impl Iterator<Item = String> + '_ {
    workflow
        .nodes
        .iter()
        .filter(|n| n.node_type == "task.subflow")
        .filter_map(|n| {
            n.config
                .as_ref()?
                .get("workflow")?
                .as_str()
                .map(str::to_string)
        })
}

/// Finds the workflows a `task.subflow` runs: the engine reads no files of its
/// own; the shells give it a source (`file::FolderWorkflows`).
pub trait WorkflowSource: Send + Sync + std::fmt::Debug {
    /// The workflow a subflow names (an id in `folder`, or a file path relative
    /// to it), prepared, with the folder its own subflows start from.
    fn find(
        &self,
        folder: &std::path::Path,
        target: &str,
    ) -> Result<(Arc<Prepared>, PathBuf), String>;
}

/// The handle on a run: cancel it from anywhere. Pausing and stepping attach here.
#[derive(Debug, Clone, Default)]
pub struct RunControl {
    cancel: CancellationToken,
}

impl RunControl {
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops the run: running nodes are cancelled, nodes not started never start.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub(crate) fn token(&self) -> &CancellationToken {
        &self.cancel
    }
}

/// Where run events go; `None` when nobody listens.
pub type EventSink = Option<tokio::sync::mpsc::UnboundedSender<RunEvent>>;

/// Why a run did not start.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RunError {
    #[error("the workflow has {}; fix {} before running: {}", errors_counted(.0), if errors_counted(.0) == "1 validation error" { "it" } else { "them" }, first_error(.0))]
    Invalid(Vec<Diagnostic>),
    #[error("{0}")]
    Trigger(String),
    #[error("{0}")]
    Internal(String),
}

/// "1 validation error", "2 validation errors".
fn errors_counted(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.iter().filter(|d| d.is_error()).count() {
        1 => "1 validation error".into(),
        n => format!("{n} validation errors"),
    }
}

fn first_error(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .find(|d| d.is_error())
        .map(|d| format!("[{}] {}", d.code, d.message))
        .unwrap_or_default()
}

impl RunError {
    pub fn code(&self) -> crate::error::Code {
        match self {
            RunError::Invalid(_) => crate::error::Code::WorkflowInvalid,
            RunError::Trigger(_) => crate::error::Code::BadTrigger,
            RunError::Internal(_) => crate::error::Code::Internal,
        }
    }
}

/// The folder a workflow file's relative paths (SQLite files, subflows) start from.
pub fn folder_of(file: &std::path::Path) -> PathBuf {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The current time as the report writes it: RFC 3339, UTC, milliseconds.
pub fn now_rfc3339() -> String {
    now_shared().to_string()
}

/// The current time as [`now_rfc3339`] writes it, shared. Quick nodes start
/// many times a millisecond: the text of the last millisecond is kept per
/// thread and shared, not formatted again.
pub fn now_shared() -> crate::model::Timestamp {
    thread_local! {
        static LAST: std::cell::RefCell<(i64, crate::model::Timestamp)> =
            std::cell::RefCell::new((i64::MIN, std::sync::Arc::from("")));
    }
    let now = chrono::Utc::now();
    let ms = now.timestamp_millis();
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != ms {
            *last = (
                ms,
                now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
                    .into(),
            );
        }
        last.1.clone()
    })
}
