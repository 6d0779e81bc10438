//! Workflow files and the engine's rules about a workflow, as the shells use
//! them: loading (lenient, lossless), canonical text and atomic saving,
//! validation, the canvas's questions (ports, upstream nodes, a new edge),
//! the catalogue and the format's schema.

use super::{fail, Answer};
use crate::error::Code;
use crate::model::{Diagnostic, NodeTypeSpec, Workflow};
use std::path::{Path, PathBuf};

pub use crate::file::{parse, to_text, workflow_files, LoadError};
pub use crate::validate::{validate, Inspection};

/// Loads a workflow file; a file refused whole says why, with its path.
pub fn load(path: &Path) -> Result<Workflow, LoadError> {
    crate::file::load(path)
}

/// Saves a workflow in canonical form, atomically (a failed save leaves the old file).
pub fn save(workflow: &Workflow, path: &Path) -> Answer<()> {
    crate::file::save(workflow, path).map_err(|e| fail(Code::FileSave, e))
}

/// Writes bytes atomically: a temporary file beside the target, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::file::write_atomically(path, bytes)
}

/// The folder a workflow file's relative paths (SQLite files, subflows) start from.
pub fn folder_of(path: &Path) -> PathBuf {
    crate::engine::folder_of(path)
}

/// Diagnostics and each node's ports, after every edit on the canvas.
pub fn inspect(workflow: &Workflow) -> Inspection {
    crate::validate::inspect(workflow)
}

/// The nodes upstream of one node, for completing `$nodes.` in its expressions.
pub fn upstream(workflow: &Workflow, node: &str) -> Vec<String> {
    crate::validate::upstream_of(workflow, node)
}

/// Whether a new edge may be drawn: the first error it brings, if any.
pub fn check_connection(workflow: &Workflow, edge: &str) -> Option<Diagnostic> {
    crate::validate::connection_error(workflow, edge)
}

/// Every node type, in the palette's order.
pub fn catalogue() -> Vec<NodeTypeSpec> {
    crate::nodes::catalogue()
}

/// The JSON Schema of the workflow format.
pub fn schema() -> serde_json::Value {
    crate::schema::workflow_schema()
}
