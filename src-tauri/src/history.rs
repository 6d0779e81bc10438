//! The run history in the app: forwards to `flowbench::api::history`. The
//! history is opened once, at start; when it cannot be used, every command
//! here answers why, and runs go on unrecorded.

use crate::commands::WorkspaceState;
use flowbench::api::history::{
    History, HistoryInfo, OpenTask, RunFilter, RunSummary, ShownRun, TaskFilter, WorkflowStats,
};
use flowbench::api::revisions::{RevisionSummary, WorkflowDiff};
use flowbench::api::runs::RunControl;
use flowbench::api::Answer;
use flowbench::model::{ErrorInfo, RunReport, TaskNote, Workflow};
use std::path::Path;
use tauri::State;

/// The history, or why it could not be opened.
pub struct HistoryState(pub Result<History, ErrorInfo>);

impl HistoryState {
    pub fn get(&self) -> Answer<&History> {
        self.0.as_ref().map_err(Clone::clone)
    }

    pub fn ok(&self) -> Option<&History> {
        self.0.as_ref().ok()
    }
}

type Hist<'a> = State<'a, HistoryState>;

#[tauri::command]
pub fn history_info(history: Hist<'_>) -> HistoryInfo {
    HistoryInfo::of(&history.0)
}

#[tauri::command]
pub fn list_runs(history: Hist<'_>, filter: RunFilter) -> Answer<Vec<RunSummary>> {
    history.get()?.list(&filter)
}

#[tauri::command]
pub fn show_run(history: Hist<'_>, run: String) -> Answer<ShownRun> {
    history.get()?.show_on_canvas(&run)
}

#[tauri::command]
pub fn run_stats(history: Hist<'_>, workflow: String, since: String) -> Answer<WorkflowStats> {
    history.get()?.stats(&workflow, &since)
}

/// Continues an interrupted run in the app; answers its report once it ends.
#[tauri::command]
pub async fn resume_run(history: Hist<'_>, run: String) -> Answer<RunReport> {
    let continued = history.get()?.resume(&run, RunControl::new(), None)?;
    continued.await.map_err(ErrorInfo::from)
}

#[tauri::command]
pub fn list_tasks(history: Hist<'_>, filter: TaskFilter) -> Answer<Vec<OpenTask>> {
    history.get()?.tasks(&filter)
}

/// Decides a task; its run goes on in the app; answers its report once it ends.
#[tauri::command]
pub async fn decide_task(
    history: Hist<'_>,
    run: String,
    node: String,
    outcome: String,
    comment: Option<String>,
    by: Option<String>,
) -> Answer<RunReport> {
    let by = by
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(flowbench::api::history::current_user);
    let continued = history.get()?.decide(
        &run,
        &node,
        &outcome,
        comment.as_deref().filter(|c| !c.trim().is_empty()),
        &by,
        RunControl::new(),
        None,
    )?;
    continued.await.map_err(ErrorInfo::from)
}

#[tauri::command]
pub fn note_task(
    history: Hist<'_>,
    run: String,
    node: String,
    text: String,
    by: Option<String>,
) -> Answer<Vec<TaskNote>> {
    let by = by
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(flowbench::api::history::current_user);
    history.get()?.note(&run, &node, &text, &by)
}

#[tauri::command]
pub fn list_revisions(
    ws: WorkspaceState<'_>,
    history: Hist<'_>,
    path: String,
) -> Answer<Vec<RevisionSummary>> {
    history
        .get()?
        .revisions(&ws.revision_path(Path::new(&path))?)
}

#[tauri::command]
pub fn diff_revision(
    ws: WorkspaceState<'_>,
    history: Hist<'_>,
    path: String,
    rev: i64,
    to: Option<i64>,
) -> Answer<WorkflowDiff> {
    history
        .get()?
        .diff_revisions(&ws.revision_path(Path::new(&path))?, rev, to)
}

/// Restores a revision (a new revision itself) and answers the workflow now in the file.
#[tauri::command]
pub fn restore_revision(
    ws: WorkspaceState<'_>,
    history: Hist<'_>,
    path: String,
    rev: i64,
) -> Answer<Workflow> {
    let file = ws.revision_path(Path::new(&path))?;
    history.get()?.restore_revision(&file, rev)?;
    ws.open_workflow(&file)
}
