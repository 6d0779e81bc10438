//! The served folder's workflows, read again whenever a file changes: added,
//! changed and removed files are picked up without a restart. Each file is
//! parsed and prepared once per modification time.

use crate::engine::{prepare, Prepared, RunError};
use crate::model::{Diagnostic, Workflow};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// A workflow file as served: prepared, or with the validation errors that
/// keep it from running.
pub(crate) struct Loaded {
    pub file: PathBuf,
    pub workflow: Arc<Workflow>,
    pub prepared: Result<Arc<Prepared>, Vec<Diagnostic>>,
}

impl Loaded {
    pub fn has_webhook(&self) -> bool {
        self.workflow
            .nodes
            .iter()
            .any(|n| n.node_type == "trigger.webhook")
    }
}

pub(crate) struct Folder {
    dir: PathBuf,
    cache: Mutex<HashMap<PathBuf, (SystemTime, Arc<Loaded>)>>,
}

impl Folder {
    pub fn new(dir: &Path) -> Folder {
        Folder {
            dir: dir.to_path_buf(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Every workflow file of the folder as it is now (files refused whole are left out).
    pub fn workflows(&self) -> Vec<Arc<Loaded>> {
        let files = crate::file::workflow_files(&self.dir).unwrap_or_default();
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|path, _| files.contains(path));
        let mut out = Vec::new();
        for file in files {
            let Ok(modified) = std::fs::metadata(&file).and_then(|m| m.modified()) else {
                continue;
            };
            if let Some((at, loaded)) = cache.get(&file) {
                if *at == modified {
                    out.push(loaded.clone());
                    continue;
                }
            }
            let Ok(workflow) = crate::file::load(&file) else {
                cache.remove(&file);
                continue;
            };
            let workflow = Arc::new(workflow);
            let prepared = match prepare(workflow.clone()) {
                Ok(p) => Ok(p),
                Err(RunError::Invalid(d)) => Err(d.into_iter().filter(|d| d.is_error()).collect()),
                Err(e) => Err(vec![Diagnostic::error(e.code(), e.to_string())]),
            };
            let loaded = Arc::new(Loaded {
                file: file.clone(),
                workflow,
                prepared,
            });
            cache.insert(file, (modified, loaded.clone()));
            out.push(loaded);
        }
        out
    }

    /// The workflow with this id, as it is now.
    pub fn find(&self, id: &str) -> Option<Arc<Loaded>> {
        self.workflows().into_iter().find(|w| w.workflow.id == id)
    }
}
