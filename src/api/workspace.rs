//! The open workspace folder. The app opens one at a time; every path a
//! command names must lie inside it (after resolving `..` and links), so
//! that the window can read and write workflow files there and nowhere else.
//! Files elsewhere come in and go out only through the native dialogs the
//! shell shows (Import, Export, Save report).

use super::{fail, Answer};
use crate::error::Code;
use crate::file;
use crate::model::Workflow;
use crate::workspace::{self, WorkspaceEntry};
use std::path::{Component, Path, PathBuf};
use std::sync::RwLock;

/// What Open… picked: a workflow file, and the workspace it is now in.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Opened {
    pub workspace: String,
    pub path: String,
    pub workflow: Workflow,
}

#[derive(Debug)]
pub struct Workspace {
    root: RwLock<PathBuf>,
}

impl Workspace {
    /// The workspace at `dir` (created if missing).
    pub fn open(dir: &Path) -> Answer<Workspace> {
        Ok(Workspace {
            root: RwLock::new(prepare(dir)?),
        })
    }

    /// The default folder: `FLOWBENCH_WORKSPACE`, else the project's
    /// `workflows/` when running from a source checkout, else `~/Flowbench`.
    pub fn default_dir() -> PathBuf {
        if let Some(d) = std::env::var_os("FLOWBENCH_WORKSPACE") {
            return PathBuf::from(d);
        }
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
        if source.is_dir() {
            return source;
        }
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
            .join("Flowbench")
    }

    pub fn root(&self) -> PathBuf {
        self.root.read().expect("workspace lock").clone()
    }

    /// Opens another folder as the workspace.
    pub fn switch(&self, dir: &Path) -> Answer<PathBuf> {
        let root = prepare(dir)?;
        *self.root.write().expect("workspace lock") = root.clone();
        Ok(root)
    }

    /// `path` resolved, when it lies inside the workspace; else a clear refusal.
    pub fn confine(&self, path: &Path) -> Answer<PathBuf> {
        let root = self.root();
        let resolved = resolve(path);
        if resolved.starts_with(&root) && resolved != root {
            Ok(resolved)
        } else {
            Err(fail(
                Code::OutsideWorkspace,
                format!(
                    "{} is outside the workspace folder {}; open its folder as the workspace, or use Import and Export",
                    path.display(),
                    root.display()
                ),
            ))
        }
    }

    pub fn list(&self) -> Answer<Vec<WorkspaceEntry>> {
        Ok(workspace::list(&self.root())?)
    }

    pub fn open_workflow(&self, path: &Path) -> Answer<Workflow> {
        let path = self.confine(path)?;
        file::load(&path).map_err(|e| fail(e.code(), e))
    }

    pub fn save_workflow(&self, path: &Path, workflow: &Workflow) -> Answer<()> {
        let path = self.confine(path)?;
        file::save(workflow, &path).map_err(|e| fail(Code::FileSave, e))
    }

    /// Saves, then records the text saved as a revision in the history (when
    /// there is one); gives the revision's number. A revision that cannot be
    /// recorded does not undo the save: the error says so.
    pub fn save_workflow_recorded(
        &self,
        path: &Path,
        workflow: &Workflow,
        history: Option<&super::history::History>,
    ) -> Answer<Option<i64>> {
        self.save_workflow(path, workflow)?;
        let Some(history) = history else {
            return Ok(None);
        };
        let path = self.confine(path)?;
        history
            .record_revision(&path, workflow, &file::to_text(workflow))
            .map(Some)
            .map_err(|e| {
                fail(
                    e.code,
                    format!("saved, but no revision was recorded: {}", e.message),
                )
            })
    }

    /// A workflow file's revisions, its diff and restore, confined to the workspace.
    pub fn revision_path(&self, path: &Path) -> Answer<PathBuf> {
        self.confine(path)
    }

    pub fn create_workflow(&self, id: &str) -> Answer<PathBuf> {
        Ok(workspace::create(&self.root(), id)?.0)
    }

    pub fn rename_workflow(&self, path: &Path, id: &str) -> Answer<PathBuf> {
        let path = self.confine(path)?;
        Ok(workspace::rename(&path, id)?)
    }

    pub fn delete_workflow(&self, path: &Path) -> Answer<()> {
        let path = self.confine(path)?;
        Ok(workspace::delete(&path)?)
    }
}

/// Creates the folder if missing and resolves it.
fn prepare(dir: &Path) -> Answer<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| {
        fail(
            Code::FileIo,
            format!("{}: cannot create the workspace folder: {e}", dir.display()),
        )
    })?;
    Ok(resolve(dir))
}

/// An absolute path with links and `..` resolved, for a path that may not
/// exist yet (a file about to be saved): its nearest existing ancestor is
/// resolved on disk, the rest is joined lexically.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    // What is left may still hold `..` (a missing folder's parent): fold it lexically.
    let mut clean = PathBuf::new();
    for c in resolved.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_workspace_are_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(&dir.path().join("ws")).unwrap();
        let root = ws.root();
        let (_, wf) = crate::workspace::create(&root, "a").unwrap();
        let inside = root.join("a.flow.json");
        assert_eq!(ws.open_workflow(&inside).unwrap(), wf);
        // A new file inside is fine, even through `..` that stays inside.
        ws.save_workflow(&root.join("sub/../b.flow.json"), &wf)
            .unwrap();
        assert!(root.join("b.flow.json").exists());
        for outside in [
            dir.path().join("elsewhere.flow.json"),
            root.join("../elsewhere.flow.json"),
            root.join("missing/../../elsewhere.flow.json"),
            PathBuf::from("/etc/passwd"),
            root.clone(),
        ] {
            let err = ws.save_workflow(&outside, &wf).unwrap_err();
            assert_eq!(err.code, Code::OutsideWorkspace, "{}", outside.display());
            assert!(
                err.message.contains("is outside the workspace folder"),
                "{}",
                err.message
            );
            assert!(ws.open_workflow(&outside).is_err());
            assert!(ws.delete_workflow(&outside).is_err());
        }
        assert!(!dir.path().join("elsewhere.flow.json").exists());
        // A link inside that points outside is outside.
        #[cfg(unix)]
        {
            std::fs::create_dir(dir.path().join("other")).unwrap();
            std::os::unix::fs::symlink(dir.path().join("other"), root.join("link")).unwrap();
            let err = ws
                .save_workflow(&root.join("link/c.flow.json"), &wf)
                .unwrap_err();
            assert_eq!(err.code, Code::OutsideWorkspace);
        }
        // Switching the workspace moves the fence.
        let other = ws.switch(&dir.path().join("other")).unwrap();
        ws.save_workflow(&other.join("c.flow.json"), &wf).unwrap();
        assert!(ws.open_workflow(&inside).is_err());
    }
}
