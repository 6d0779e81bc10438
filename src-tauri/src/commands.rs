//! Tauri commands: each one converts its arguments, calls the engine, and
//! returns the result or an error `{code, message}` the UI shows as it is.

use flowbench::model::{Diagnostic, ErrorInfo, NodeTypeSpec, Workflow};
use flowbench::nodes::catalogue as all_types;
use flowbench::workspace::{self, WorkspaceEntry, WorkspaceError};
use flowbench::{file, validate};
use std::path::{Path, PathBuf};

type Answer<T> = Result<T, ErrorInfo>;

fn fail(e: WorkspaceError) -> ErrorInfo {
    ErrorInfo {
        code: e.code(),
        message: e.to_string(),
    }
}

/// The workspace folder: `FLOWBENCH_WORKSPACE`, else the project's `workflows/`
/// when the app runs from a source checkout, else `~/Flowbench`.
#[tauri::command]
pub fn workspace_dir() -> Answer<String> {
    let dir = if let Some(d) = std::env::var_os("FLOWBENCH_WORKSPACE") {
        PathBuf::from(d)
    } else {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows");
        if source.is_dir() {
            source.canonicalize().unwrap_or(source)
        } else {
            let home = std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("."));
            home.join("Flowbench")
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| ErrorInfo {
        code: flowbench::error::Code::FileIo,
        message: format!("{}: cannot create the workspace folder: {e}", dir.display()),
    })?;
    Ok(dir.display().to_string())
}

#[tauri::command]
pub fn list_workflows(dir: String) -> Answer<Vec<WorkspaceEntry>> {
    workspace::list(Path::new(&dir)).map_err(fail)
}

#[tauri::command]
pub fn open_workflow(path: String) -> Answer<Workflow> {
    file::load(Path::new(&path)).map_err(|e| fail(e.into()))
}

#[tauri::command]
pub fn save_workflow(path: String, workflow: Workflow) -> Answer<()> {
    file::save(&workflow, Path::new(&path)).map_err(|e| fail(e.into()))
}

#[tauri::command]
pub fn create_workflow(dir: String, id: String) -> Answer<String> {
    workspace::create(Path::new(&dir), &id)
        .map(|(p, _)| p.display().to_string())
        .map_err(fail)
}

#[tauri::command]
pub fn rename_workflow(path: String, id: String) -> Answer<String> {
    workspace::rename(Path::new(&path), &id)
        .map(|p| p.display().to_string())
        .map_err(fail)
}

#[tauri::command]
pub fn delete_workflow(path: String) -> Answer<()> {
    workspace::delete(Path::new(&path)).map_err(fail)
}

#[tauri::command]
pub fn validate_workflow(workflow: Workflow) -> Vec<Diagnostic> {
    validate::validate(&workflow)
}

/// Whether a new edge may be drawn: the first error it brings, if any.
#[tauri::command]
pub fn check_connection(workflow: Workflow, edge: String) -> Option<Diagnostic> {
    validate::connection_error(&workflow, &edge)
}

/// Diagnostics and each node's ports, after every edit on the canvas.
#[tauri::command]
pub fn inspect_workflow(workflow: Workflow) -> validate::Inspection {
    validate::inspect(&workflow)
}

/// The nodes upstream of one node, for completing `$nodes.` in its expressions.
#[tauri::command]
pub fn upstream_nodes(workflow: Workflow, node: String) -> Vec<String> {
    validate::upstream_of(&workflow, &node)
}

#[tauri::command]
pub fn catalogue() -> Vec<NodeTypeSpec> {
    all_types()
}

/// Loads a workflow from text (Import JSON); refused text says why.
#[tauri::command]
pub fn parse_workflow(text: String, origin: String) -> Answer<Workflow> {
    file::parse(&text, &origin).map_err(|e| fail(e.into()))
}

/// The canonical text of a workflow (Export JSON, and the unsaved-changes check).
#[tauri::command]
pub fn workflow_text(workflow: Workflow) -> String {
    file::to_text(&workflow)
}
