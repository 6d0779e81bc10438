//! A workspace folder of workflow files: list, create, rename, delete.
//! The app's sidebar calls these; the rules (file names, id checks) live here.

use crate::engine::{Prepared, WorkflowSource};
use crate::error::Code;
use crate::file::{self, LoadError};
use crate::model::Workflow;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;

/// One file of the workspace, as the sidebar lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkspaceEntry {
    pub path: String,
    /// The file's name without `.flow.json`.
    pub file: String,
    /// The workflow's id and name, when the file loads.
    pub id: Option<String>,
    pub name: Option<String>,
    /// Why the file does not load.
    pub error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("\"{0}\" is not a valid workflow id: use lowercase letters, digits and '-', starting with a letter or digit")]
    BadId(String),
    #[error("{0} already exists; choose another id")]
    Exists(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Save(#[from] file::SaveError),
}

impl WorkspaceError {
    pub fn code(&self) -> Code {
        match self {
            WorkspaceError::BadId(_) => Code::BadWorkflowId,
            WorkspaceError::Exists(_) => Code::FileExists,
            WorkspaceError::Io { .. } => Code::FileIo,
            WorkspaceError::Load(e) => e.code(),
            WorkspaceError::Save(_) => Code::FileSave,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WorkspaceError + '_ {
    move |source| WorkspaceError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The file a workflow id is saved in.
pub fn path_for(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.flow.json"))
}

/// Every `*.flow.json` in the folder (not its subfolders), sorted by file name.
pub fn list(dir: &Path) -> Result<Vec<WorkspaceEntry>, WorkspaceError> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Some(stem) = name.strip_suffix(".flow.json") else {
            continue;
        };
        let (id, title, error) = match file::load(&path) {
            Ok(wf) => (
                Some(wf.id.clone()),
                Some(wf.display_name().to_string()),
                None,
            ),
            Err(e) => (None, None, Some(e.to_string())),
        };
        entries.push(WorkspaceEntry {
            path: path.display().to_string(),
            file: stem.to_string(),
            id,
            name: title,
            error,
        });
    }
    entries.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(entries)
}

/// Creates `ID.flow.json` with a new workflow holding one manual trigger.
pub fn create(dir: &Path, id: &str) -> Result<(PathBuf, Workflow), WorkspaceError> {
    if !crate::validate::is_workflow_id(id) {
        return Err(WorkspaceError::BadId(id.to_string()));
    }
    let path = path_for(dir, id);
    if path.exists() {
        return Err(WorkspaceError::Exists(path.display().to_string()));
    }
    let mut wf = Workflow::new(id);
    let mut start = crate::model::Node::new("start", "trigger.manual", serde_json::Map::new());
    start.position = Some(crate::model::Position { x: 0.0, y: 0.0 });
    wf.nodes.push(start);
    file::save(&wf, &path)?;
    Ok((path, wf))
}

/// Gives a workflow a new id and moves its file to match; refuses to overwrite.
pub fn rename(path: &Path, new_id: &str) -> Result<PathBuf, WorkspaceError> {
    if !crate::validate::is_workflow_id(new_id) {
        return Err(WorkspaceError::BadId(new_id.to_string()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let target = path_for(dir, new_id);
    if target != path && target.exists() {
        return Err(WorkspaceError::Exists(target.display().to_string()));
    }
    let mut wf = file::load(path)?;
    wf.id = new_id.to_string();
    // Write the new file first: a failure leaves the old one as it was.
    file::save(&wf, &target)?;
    if target != path {
        std::fs::remove_file(path).map_err(io(path))?;
    }
    Ok(target)
}

pub fn delete(path: &Path) -> Result<(), WorkspaceError> {
    std::fs::remove_file(path).map_err(io(path))
}

/// The workflows of the folders runs start in, as `task.subflow` finds them.
/// Each folder is indexed (id → file) on first use and each workflow loaded
/// and prepared once, so a subflow called in a loop reads no files again.
#[derive(Debug, Default)]
pub struct FolderWorkflows {
    ids: std::sync::Mutex<
        std::collections::HashMap<PathBuf, std::collections::HashMap<String, PathBuf>>,
    >,
    prepared: std::sync::Mutex<std::collections::HashMap<PathBuf, Arc<Prepared>>>,
}

impl FolderWorkflows {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    fn path_of(&self, folder: &Path, target: &str) -> Result<PathBuf, String> {
        if target.ends_with(".json") {
            return Ok(folder.join(target));
        }
        let mut ids = self.ids.lock().expect("index lock");
        if !ids.contains_key(folder) {
            let files = file::workflow_files(folder)
                .map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
            let index = files
                .into_iter()
                .filter_map(|p| file::load(&p).ok().map(|w| (w.id, p)))
                .collect();
            ids.insert(folder.to_path_buf(), index);
        }
        ids[folder]
            .get(target)
            .cloned()
            .ok_or_else(|| format!("no workflow with id \"{target}\" in {}", folder.display()))
    }
}

impl WorkflowSource for FolderWorkflows {
    fn find(&self, folder: &Path, target: &str) -> Result<(Arc<Prepared>, PathBuf), String> {
        let path = self.path_of(folder, target)?;
        let child_folder = crate::engine::folder_of(&path);
        if let Some(p) = self.prepared.lock().expect("cache lock").get(&path) {
            return Ok((p.clone(), child_folder));
        }
        let workflow = file::load(&path).map_err(|e| e.to_string())?;
        let prepared = crate::engine::prepare(Arc::new(workflow))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        self.prepared
            .lock()
            .expect("cache lock")
            .insert(path, prepared.clone());
        Ok((prepared, child_folder))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_list_rename_delete() {
        let dir = tempfile::tempdir().unwrap();
        let (path, wf) = create(dir.path(), "orders").unwrap();
        assert_eq!(wf.nodes[0].node_type, "trigger.manual");
        assert!(matches!(
            create(dir.path(), "orders"),
            Err(WorkspaceError::Exists(_))
        ));
        assert!(matches!(
            create(dir.path(), "Bad Id"),
            Err(WorkspaceError::BadId(_))
        ));
        std::fs::write(dir.path().join("broken.flow.json"), "{").unwrap();
        let listed = list(dir.path()).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].file, "broken");
        assert!(listed[0]
            .error
            .as_deref()
            .unwrap()
            .contains("not valid JSON"));
        assert_eq!(listed[1].id.as_deref(), Some("orders"));
        let moved = rename(&path, "sales-orders").unwrap();
        assert!(!path.exists());
        assert_eq!(file::load(&moved).unwrap().id, "sales-orders");
        delete(&moved).unwrap();
        assert_eq!(list(dir.path()).unwrap().len(), 1);
    }
}
