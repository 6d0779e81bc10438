//! Importing other tools' workflows into files: the CLI's `import n8n` and
//! the app's Import call this; the mapping itself is `crate::import`.

use super::{fail, Answer};
use crate::error::Code;
use crate::import::n8n::{self, NotMapped};
use crate::model::Diagnostic;
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// What an import wrote and what it could not carry over.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportOutcome {
    /// The workflow file written.
    pub file: String,
    pub workflow_id: String,
    /// `NAME.pins.json`, when the export pinned data.
    pub pins_file: Option<String>,
    /// One line each: `NODE: what: why`.
    pub not_mapped: Vec<NotMapped>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The file an import of `source` writes by default: `NAME.flow.json` beside
/// it, NAME being the source's file name without `.json`.
pub fn default_output(source: &Path) -> PathBuf {
    let name = source
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "imported".into());
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    source.with_file_name(format!("{stem}.flow.json"))
}

/// Imports the n8n export at `source` into `out` (default: beside it).
/// Nothing is written when the export cannot be imported, nor over an
/// existing file unless `replace`.
pub fn n8n_file(source: &Path, out: Option<&Path>, replace: bool) -> Answer<ImportOutcome> {
    let text = std::fs::read_to_string(source).map_err(|e| {
        fail(
            Code::FileUnreadable,
            format!("{}: cannot be read: {e}", source.display()),
        )
    })?;
    let out = out.map_or_else(|| default_output(source), Path::to_path_buf);
    n8n_text(&text, &source.display().to_string(), &out, replace)
}

/// Imports an n8n export's text into `out`.
pub fn n8n_text(text: &str, origin: &str, out: &Path, replace: bool) -> Answer<ImportOutcome> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".flow.json")
        .or_else(|| name.strip_suffix(".json"))
        .unwrap_or(&name)
        .to_string();
    let id = crate::import::n8n::workflow_id(&stem);
    let imported = n8n::import(text, origin, &id).map_err(|e| fail(e.code(), e))?;
    if out.exists() && !replace {
        return Err(fail(
            Code::FileExists,
            format!(
                "{} exists already; choose another file with -o, or replace it with --force",
                out.display()
            ),
        ));
    }
    crate::file::save(&imported.workflow, out).map_err(|e| fail(Code::FileSave, e))?;
    let pins_file = match &imported.pins {
        Some(pins) => {
            let path = out.with_file_name(format!("{stem}.pins.json"));
            let mut text = serde_json::to_string_pretty(pins).unwrap_or_default();
            text.push('\n');
            crate::file::write_atomically(&path, text.as_bytes())
                .map_err(|e| fail(Code::FileSave, format!("{}: {e}", path.display())))?;
            Some(path.display().to_string())
        }
        None => None,
    };
    Ok(ImportOutcome {
        file: out.display().to_string(),
        workflow_id: id,
        pins_file,
        not_mapped: imported.report,
        diagnostics: imported.diagnostics,
    })
}

/// Whether a JSON text is an n8n export rather than a Flowbench workflow.
pub fn is_n8n(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| {
        v.get("flowbench").is_none() && v.get("nodes").is_some() && v.get("connections").is_some()
    })
}

/// Imports an n8n export's text into `folder` as `ID.flow.json`, ID made
/// from `name` (a file name) or else the workflow's own name; `ID-2`, `ID-3`…
/// when taken, so nothing there is replaced.
pub fn n8n_into_folder(
    text: &str,
    origin: &str,
    folder: &Path,
    name: Option<&str>,
) -> Answer<ImportOutcome> {
    let own_name = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_string));
    let base = name
        .map(|n| n.strip_suffix(".json").unwrap_or(n).to_string())
        .or(own_name)
        .unwrap_or_else(|| "imported".into());
    let id = crate::import::n8n::workflow_id(&base);
    let mut out = folder.join(format!("{id}.flow.json"));
    let mut n = 2;
    while out.exists() {
        out = folder.join(format!("{id}-{n}.flow.json"));
        n += 1;
    }
    n8n_text(text, origin, &out, false)
}

/// What the app's Import gives: a Flowbench workflow to open unsaved, or an
/// n8n export written into the workspace (`path`) with its report.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportAnswer {
    pub workflow: crate::model::Workflow,
    /// `"flowbench"` or `"n8n"`.
    pub format: String,
    /// The file written, for an n8n export; a Flowbench workflow stays unsaved.
    pub path: Option<String>,
    pub pins_file: Option<String>,
    pub not_mapped: Vec<NotMapped>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Imports a JSON text of either kind into the workspace. `name` is the
/// file's name, when it came from a file.
pub fn into_workspace(
    workspace: &super::Workspace,
    text: &str,
    origin: &str,
    name: Option<&str>,
) -> Answer<ImportAnswer> {
    if is_n8n(text) {
        let outcome = n8n_into_folder(text, origin, &workspace.root(), name)?;
        let workflow = workspace.open_workflow(Path::new(&outcome.file))?;
        return Ok(ImportAnswer {
            workflow,
            format: "n8n".into(),
            path: Some(outcome.file),
            pins_file: outcome.pins_file,
            not_mapped: outcome.not_mapped,
            diagnostics: outcome.diagnostics,
        });
    }
    let workflow = crate::file::parse(text, origin).map_err(|e| fail(e.code(), e))?;
    let diagnostics = crate::validate::validate(&workflow);
    Ok(ImportAnswer {
        workflow,
        format: "flowbench".into(),
        path: None,
        pins_file: None,
        not_mapped: Vec::new(),
        diagnostics,
    })
}

/// Imports the file at a path the person chose or dropped on the window.
pub fn file_into_workspace(workspace: &super::Workspace, path: &Path) -> Answer<ImportAnswer> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(
            Code::FileUnreadable,
            format!("{}: cannot be read: {e}", path.display()),
        )
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string());
    into_workspace(
        workspace,
        &text,
        &path.display().to_string(),
        name.as_deref(),
    )
}
