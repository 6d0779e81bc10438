//! Running a workflow from the canvas: `flowbench::api::runs` runs it; this
//! file spawns the run and forwards its messages as window events.

use crate::commands::WorkspaceState;
use flowbench::api::runs::{self, DebugRequest, RunRegistry, RunRequest};
use flowbench::api::Answer;
use flowbench::model::{RunReport, Workflow};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_dialog::DialogExt;

/// Starts a run; events and the end arrive as window events tagged `handle`.
#[tauri::command]
pub fn start_run(
    app: AppHandle,
    ws: WorkspaceState<'_>,
    runs: State<'_, Arc<RunRegistry>>,
    history: State<'_, crate::history::HistoryState>,
    handle: String,
    request: RunRequest,
) -> Answer<()> {
    let (events, end) = (app.clone(), app);
    let run = runs.start(
        &ws,
        history.ok(),
        handle,
        request,
        move |m| {
            let _ = events.emit("run-event", m);
        },
        move |m| {
            let _ = end.emit("run-finished", m);
        },
    )?;
    tauri::async_runtime::spawn(run);
    Ok(())
}

#[tauri::command]
pub fn stop_run(runs: State<'_, Arc<RunRegistry>>, handle: String) {
    runs.stop(&handle);
}

/// The pins kept beside a workflow of the workspace.
#[tauri::command]
pub fn load_pins(
    ws: WorkspaceState<'_>,
    path: String,
    workflow: Workflow,
) -> Answer<std::collections::BTreeMap<String, serde_json::Value>> {
    runs::workspace_pins(&ws, std::path::Path::new(&path), &workflow)
}

/// Pins a node's output (or unpins it, with no output); gives the pins now kept.
#[tauri::command]
pub fn set_pin(
    ws: WorkspaceState<'_>,
    path: String,
    workflow: Workflow,
    node: String,
    output: Option<serde_json::Value>,
) -> Answer<std::collections::BTreeMap<String, serde_json::Value>> {
    runs::set_pin(&ws, std::path::Path::new(&path), &workflow, &node, output)
}

/// An expression against the shown run, in a node's scope (or at its end).
#[tauri::command]
pub fn eval_report(
    report: RunReport,
    node: Option<String>,
    expr: String,
) -> Answer<serde_json::Value> {
    runs::eval_in_report(&report, node.as_deref(), &expr).map_err(|m| flowbench::model::ErrorInfo {
        code: flowbench::model::Code::ExpressionError,
        message: m,
    })
}

/// The debugger: step, continue, breakpoints, and questions to a paused run.
#[tauri::command]
pub async fn debug_run(
    runs: State<'_, Arc<RunRegistry>>,
    handle: String,
    request: DebugRequest,
) -> Answer<serde_json::Value> {
    runs.debug(&handle, request).await
}

/// Save report: a native dialog, then the report as JSON.
#[tauri::command]
pub async fn save_report(app: AppHandle, report: RunReport) -> Answer<Option<String>> {
    let Some(path) = app
        .dialog()
        .file()
        .set_file_name(format!("{}-run.json", report.workflow_id))
        .add_filter("JSON", &["json"])
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    runs::save_report(&path, &report).map(|p| Some(p.display().to_string()))
}
