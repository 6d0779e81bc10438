//! Loading and saving workflow files.
//!
//! A file that cannot be read, is not JSON, is not a JSON object, or declares a
//! newer format version is refused whole ([`LoadError`]). Everything else loads:
//! what is wrong inside comes back from validation as diagnostics. Saving writes
//! the canonical form (two-space indent, keys in the model's order, unknown keys
//! after the known ones, a final newline) to a temporary file and renames it over
//! the target, so a failed save never truncates the file.

use crate::error::Code;
use crate::model::{Edge, Node, Workflow, FORMAT_VERSION};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was refused whole. The CLI exits 2 on any of these.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: cannot read the file: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not valid JSON: {message}")]
    NotJson {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: a workflow file must hold a JSON object, but this one holds {found}")]
    NotObject { path: String, found: &'static str },
    #[error("{path}: format version {found} is newer than this Flowbench reads (up to {FORMAT_VERSION}); update Flowbench to open it")]
    NewerVersion { path: String, found: u64 },
}

impl LoadError {
    /// A stable code for the error.
    pub fn code(&self) -> Code {
        match self {
            LoadError::Unreadable { .. } => Code::FileUnreadable,
            LoadError::NotJson { .. } => Code::FileNotJson,
            LoadError::NotObject { .. } => Code::FileNotObject,
            LoadError::NewerVersion { .. } => Code::FileNewerVersion,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot save the workflow: {source}")]
pub struct SaveError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Reads and loads a workflow file.
pub fn load(path: &Path) -> Result<Workflow, LoadError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Unreadable {
        path: shown.clone(),
        source,
    })?;
    parse(&text, &shown)
}

/// Loads a workflow from text; `origin` names it in errors (a path, or "input").
pub fn parse(text: &str, origin: &str) -> Result<Workflow, LoadError> {
    let value = parse_json_object(text, origin)?;
    from_value(value, origin)
}

/// Parses text that must be a JSON object, with line and column on failure.
pub fn parse_json_object(text: &str, origin: &str) -> Result<Map<String, Value>, LoadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LoadError::NotJson {
        path: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: json_error_message(&e),
    })?;
    match value {
        Value::Object(map) => Ok(map),
        other => Err(LoadError::NotObject {
            path: origin.to_string(),
            found: json_type_name(&other),
        }),
    }
}

/// serde_json appends " at line L column C"; we print those in front instead.
fn json_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

pub use crate::model::json_type_name;

/// Builds a workflow from a JSON object, refusing only a newer format version.
/// Known keys holding the wrong type stay in `extra`, untouched, for validation
/// to report and for saving to write back.
pub fn from_value(map: Map<String, Value>, origin: &str) -> Result<Workflow, LoadError> {
    if let Some(found) = map.get("flowbench").and_then(Value::as_u64) {
        if found > FORMAT_VERSION {
            return Err(LoadError::NewerVersion {
                path: origin.to_string(),
                found,
            });
        }
    }
    let mut wf = Workflow::new("");
    wf.flowbench = 0;
    for (key, value) in map {
        let kept = match key.as_str() {
            "flowbench" => take(value, &mut wf.flowbench),
            "id" => take_string(value, &mut wf.id),
            "name" => take_some(value, &mut wf.name),
            "description" => take_some(value, &mut wf.description),
            "variables" => take_object(value, &mut wf.variables),
            "nodes" => take_list(value, &mut wf.nodes, node_from_map),
            "edges" => take_list(value, &mut wf.edges, edge_from_map),
            "annotations" => take(value, &mut wf.annotations),
            _ => Some(value),
        };
        if let Some(value) = kept {
            wf.extra.insert(key, value);
        }
    }
    name_unnamed_edges(&mut wf.edges);
    Ok(wf)
}

/// Sets `field` from `value`, or hands the value back when its type is wrong.
fn take<T: DeserializeOwned>(value: Value, field: &mut T) -> Option<Value> {
    match T::deserialize(&value) {
        Ok(v) => {
            *field = v;
            None
        }
        Err(_) => Some(value),
    }
}

/// A string moves into `field` (no copy); anything else is handed back.
fn take_string(value: Value, field: &mut String) -> Option<Value> {
    match value {
        Value::String(s) => {
            *field = s;
            None
        }
        other => Some(other),
    }
}

/// An object moves into `field` (no copy); anything else is handed back.
fn take_object(value: Value, field: &mut Option<Map<String, Value>>) -> Option<Value> {
    match value {
        Value::Object(m) => {
            *field = Some(m);
            None
        }
        other => Some(other),
    }
}

fn take_some<T: DeserializeOwned>(value: Value, field: &mut Option<T>) -> Option<Value> {
    let mut parsed = None;
    let kept = take(value, &mut parsed);
    if parsed.is_some() {
        *field = parsed;
    }
    kept
}

/// A list whose items are all objects loads item by item; anything else stays whole.
fn take_list<T>(
    value: Value,
    field: &mut Vec<T>,
    item: fn(Map<String, Value>) -> T,
) -> Option<Value> {
    match value {
        Value::Array(items) if items.iter().all(Value::is_object) => {
            *field = items
                .into_iter()
                .map(|v| match v {
                    Value::Object(m) => item(m),
                    _ => unreachable!("checked above"),
                })
                .collect();
            None
        }
        other => Some(other),
    }
}

fn node_from_map(map: Map<String, Value>) -> Node {
    let mut node = Node::new("", "", Map::new());
    node.config = None;
    for (key, value) in map {
        let kept = match key.as_str() {
            "id" => take_string(value, &mut node.id),
            "type" => take_string(value, &mut node.node_type),
            "name" => take_some(value, &mut node.name),
            "notes" => take_some(value, &mut node.notes),
            "position" => take_some(value, &mut node.position),
            "config" => take_object(value, &mut node.config),
            "forEach" => take_some(value, &mut node.for_each),
            "retry" => take_some(value, &mut node.retry),
            "timeoutMs" => take_some(value, &mut node.timeout_ms),
            "onError" => take_some(value, &mut node.on_error),
            "disabled" => take_some(value, &mut node.disabled),
            _ => Some(value),
        };
        if let Some(value) = kept {
            node.extra.insert(key, value);
        }
    }
    node
}

fn edge_from_map(map: Map<String, Value>) -> Edge {
    let mut edge = Edge::new("", "", None, "");
    for (key, value) in map {
        let kept = match key.as_str() {
            "id" => take(value, &mut edge.id),
            "from" => take(value, &mut edge.from),
            "fromPort" => take_some(value, &mut edge.from_port),
            "to" => take(value, &mut edge.to),
            _ => Some(value),
        };
        if let Some(value) = kept {
            edge.extra.insert(key, value);
        }
    }
    edge
}

/// Gives every edge without an id a deterministic one (`e1`, `e2`, … not yet
/// taken), so that loading the same file twice gives the same ids.
fn name_unnamed_edges(edges: &mut [Edge]) {
    if edges
        .iter()
        .all(|e| !e.id.is_empty() || e.extra.contains_key("id"))
    {
        return;
    }
    let mut taken: HashSet<String> = edges.iter().map(|e| e.id.clone()).collect();
    let mut n = 0;
    for edge in edges.iter_mut() {
        if edge.id.is_empty() && !edge.extra.contains_key("id") {
            loop {
                n += 1;
                let candidate = format!("e{n}");
                if taken.insert(candidate.clone()) {
                    edge.id = candidate;
                    break;
                }
            }
        }
    }
}

/// The canonical text of a workflow: what `save` writes.
pub fn to_text(wf: &Workflow) -> String {
    // Through a Value: a known key kept in `extra` (it had the wrong type)
    // replaces the field's default in place instead of being written twice.
    let value = serde_json::to_value(wf).expect("a workflow always serializes");
    let mut text = serde_json::to_string_pretty(&value).expect("a value always serializes");
    text.push('\n');
    text
}

/// Saves atomically: a temporary file beside the target, flushed, then renamed.
pub fn save(wf: &Workflow, path: &Path) -> Result<(), SaveError> {
    write_atomically(path, to_text(wf).as_bytes()).map_err(|source| SaveError {
        path: path.display().to_string(),
        source,
    })
}

/// Writes bytes to `path` through a temporary file in the same folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The workflow files under `path`: the file itself, or every `*.flow.json` in
/// the folder and its subfolders, sorted.
pub fn workflow_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    files_with_suffix(path, ".flow.json")
}

/// The file itself, or every file under the folder (deeply) whose name ends
/// with `suffix`, sorted.
pub fn files_with_suffix(path: &Path, suffix: &str) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut found = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            if p.is_dir() {
                folders.push(p);
            } else if p.to_string_lossy().ends_with(suffix) {
                found.push(p);
            }
        }
    }
    found.sort();
    Ok(found)
}
