//! Tauri commands: each converts its arguments and forwards to `flowbench::api`,
//! which holds every rule (including that file paths stay in the workspace).
//! Files outside the workspace come and go only through native dialogs shown
//! here, never through a path the window names.

use flowbench::api::import::ImportAnswer;
use flowbench::api::workflows::{self as file, Inspection};
use flowbench::api::WorkspaceEntry;
use flowbench::api::{Answer, Opened, Workspace};
use flowbench::model::{Diagnostic, NodeTypeSpec, Workflow};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

pub type WorkspaceState<'a> = State<'a, std::sync::Arc<Workspace>>;

fn chosen(p: Option<tauri_plugin_dialog::FilePath>) -> Option<PathBuf> {
    p.and_then(|p| p.into_path().ok())
}

/// The open workspace folder.
#[tauri::command]
pub fn workspace_dir(ws: WorkspaceState<'_>) -> String {
    ws.root().display().to_string()
}

#[tauri::command]
pub fn list_workflows(ws: WorkspaceState<'_>) -> Answer<Vec<WorkspaceEntry>> {
    ws.list()
}

#[tauri::command]
pub fn open_workflow(ws: WorkspaceState<'_>, path: String) -> Answer<Workflow> {
    ws.open_workflow(Path::new(&path))
}

/// Saves, and records a revision in the history; answers its number (none without a history).
#[tauri::command]
pub fn save_workflow(
    ws: WorkspaceState<'_>,
    history: State<'_, crate::history::HistoryState>,
    path: String,
    workflow: Workflow,
) -> Answer<Option<i64>> {
    ws.save_workflow_recorded(Path::new(&path), &workflow, history.ok())
}

#[tauri::command]
pub fn create_workflow(ws: WorkspaceState<'_>, id: String) -> Answer<String> {
    ws.create_workflow(&id).map(|p| p.display().to_string())
}

#[tauri::command]
pub fn rename_workflow(ws: WorkspaceState<'_>, path: String, id: String) -> Answer<String> {
    ws.rename_workflow(Path::new(&path), &id)
        .map(|p| p.display().to_string())
}

#[tauri::command]
pub fn delete_workflow(ws: WorkspaceState<'_>, path: String) -> Answer<()> {
    ws.delete_workflow(Path::new(&path))
}

/// Open…: a native dialog; a file outside the workspace opens its folder as the workspace.
#[tauri::command]
pub async fn choose_and_open(app: AppHandle, ws: WorkspaceState<'_>) -> Answer<Option<Opened>> {
    let Some(path) = chosen(
        app.dialog()
            .file()
            .set_directory(ws.root())
            .add_filter("Workflows", &["json"])
            .blocking_pick_file(),
    ) else {
        return Ok(None);
    };
    if ws.confine(&path).is_err() {
        ws.switch(&file::folder_of(&path))?;
    }
    let workflow = ws.open_workflow(&path)?;
    Ok(Some(Opened {
        workspace: ws.root().display().to_string(),
        path: path.display().to_string(),
        workflow,
    }))
}

/// Save As…: a native dialog in the workspace; a file outside it is refused.
#[tauri::command]
pub async fn choose_and_save(
    app: AppHandle,
    ws: WorkspaceState<'_>,
    history: State<'_, crate::history::HistoryState>,
    workflow: Workflow,
) -> Answer<Option<String>> {
    let Some(path) = chosen(
        app.dialog()
            .file()
            .set_directory(ws.root())
            .set_file_name(format!("{}.flow.json", workflow.id))
            .add_filter("Workflows", &["json"])
            .blocking_save_file(),
    ) else {
        return Ok(None);
    };
    ws.save_workflow_recorded(&path, &workflow, history.ok())?;
    Ok(Some(path.display().to_string()))
}

/// Import: a workflow file from anywhere. A Flowbench workflow opens as a
/// new unsaved one; an n8n export is written into the workspace (docs/import.md).
#[tauri::command]
pub async fn import_workflow(
    app: AppHandle,
    ws: WorkspaceState<'_>,
) -> Answer<Option<ImportAnswer>> {
    let Some(path) = chosen(
        app.dialog()
            .file()
            .add_filter("Workflows (Flowbench or n8n)", &["json"])
            .blocking_pick_file(),
    ) else {
        return Ok(None);
    };
    flowbench::api::import::file_into_workspace(&ws, &path).map(Some)
}

/// Import from pasted text: an n8n workflow copied from n8n's editor, or a Flowbench one.
#[tauri::command]
pub fn import_text(ws: WorkspaceState<'_>, text: String) -> Answer<ImportAnswer> {
    flowbench::api::import::into_workspace(&ws, &text, "the pasted text", None)
}

/// Export JSON: a copy of the workflow, anywhere.
#[tauri::command]
pub async fn export_workflow(app: AppHandle, workflow: Workflow) -> Answer<Option<String>> {
    let Some(path) = chosen(
        app.dialog()
            .file()
            .set_file_name(format!("{}.flow.json", workflow.id))
            .add_filter("Workflows", &["json"])
            .blocking_save_file(),
    ) else {
        return Ok(None);
    };
    file::save(&workflow, &path)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub fn validate_workflow(workflow: Workflow) -> Vec<Diagnostic> {
    file::validate(&workflow)
}

/// Whether a new edge may be drawn: the first error it brings, if any.
#[tauri::command]
pub fn check_connection(workflow: Workflow, edge: String) -> Option<Diagnostic> {
    file::check_connection(&workflow, &edge)
}

/// Diagnostics and each node's ports, after every edit on the canvas.
#[tauri::command]
pub fn inspect_workflow(workflow: Workflow) -> Inspection {
    file::inspect(&workflow)
}

/// The nodes upstream of one node, for completing `$nodes.` in its expressions.
#[tauri::command]
pub fn upstream_nodes(workflow: Workflow, node: String) -> Vec<String> {
    file::upstream(&workflow, &node)
}

#[tauri::command]
pub fn catalogue() -> Vec<NodeTypeSpec> {
    file::catalogue()
}

/// The canonical text of a workflow (the unsaved-changes check).
#[tauri::command]
pub fn workflow_text(workflow: Workflow) -> String {
    file::to_text(&workflow)
}
