//! Running a workflow from the canvas: the engine runs it; this file only
//! starts it, forwards its events to the window, and keeps the handle to stop it.

use flowbench::engine::{self, RunControl, RunOptions};
use flowbench::model::{ErrorInfo, RunEvent, RunReport, Workflow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Emitter, State};

/// The runs going on, by the id the UI gave them.
#[derive(Default)]
pub struct Runs(Mutex<HashMap<String, RunControl>>);

/// One event of a run, as the window receives it (`run-event`).
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct RunEventMessage {
    handle: String,
    event: RunEvent,
}

/// The end of a run (`run-finished`): its report, or why it did not start.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct RunFinishedMessage {
    handle: String,
    report: Option<RunReport>,
    error: Option<ErrorInfo>,
}

/// What the Run dialog asks for.
#[derive(Deserialize)]
pub struct RunRequest {
    workflow: Workflow,
    /// The workflow's file, whose folder holds its SQLite files and subflows.
    path: Option<String>,
    input: Option<Value>,
    trigger: Option<String>,
    vars: Map<String, Value>,
}

/// Starts a run; events and the end arrive as window events tagged `handle`.
#[tauri::command]
pub fn start_run(app: AppHandle, runs: State<'_, Arc<Runs>>, handle: String, request: RunRequest) {
    let RunRequest {
        workflow,
        path,
        input,
        trigger,
        vars,
    } = request;
    let control = RunControl::new();
    runs.0
        .lock()
        .expect("runs lock")
        .insert(handle.clone(), control.clone());
    let runs = runs.inner().clone();
    let options = RunOptions {
        input,
        trigger,
        vars,
        base_dir: path
            .map(|p| engine::folder_of(&PathBuf::from(p)))
            .unwrap_or_else(|| PathBuf::from(".")),
        workflows: Some(flowbench::workspace::FolderWorkflows::new()),
        ..RunOptions::default()
    };
    tauri::async_runtime::spawn(async move {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let forward_app = app.clone();
        let forward_handle = handle.clone();
        let forward = tauri::async_runtime::spawn(async move {
            while let Some(event) = rx.recv().await {
                let _ = forward_app.emit(
                    "run-event",
                    RunEventMessage {
                        handle: forward_handle.clone(),
                        event,
                    },
                );
            }
        });
        let result = engine::run(Arc::new(workflow), options, control, Some(tx)).await;
        let _ = forward.await;
        runs.0.lock().expect("runs lock").remove(&handle);
        let message = match result {
            Ok(report) => RunFinishedMessage {
                handle,
                report: Some(report),
                error: None,
            },
            Err(e) => RunFinishedMessage {
                handle,
                report: None,
                error: Some(ErrorInfo {
                    code: e.code(),
                    message: e.to_string(),
                }),
            },
        };
        let _ = app.emit("run-finished", message);
    });
}

/// Stops a run: running nodes are cancelled, the rest never start.
#[tauri::command]
pub fn stop_run(runs: State<'_, Arc<Runs>>, handle: String) {
    if let Some(control) = runs.0.lock().expect("runs lock").get(&handle) {
        control.cancel();
    }
}

/// Writes a run report as JSON (Save report).
#[tauri::command]
pub fn save_report(path: String, report: RunReport) -> Result<(), ErrorInfo> {
    let text = serde_json::to_string_pretty(&report).expect("a report serializes") + "\n";
    flowbench::file::write_atomically(std::path::Path::new(&path), text.as_bytes()).map_err(|e| {
        ErrorInfo {
            code: flowbench::error::Code::FileIo,
            message: format!("{path}: cannot save the report: {e}"),
        }
    })
}
