//! Workflow tests: `NAME.test.json` beside `NAME.flow.json`, run through the
//! one executor with mocks applied in the engine.
//!
//! Each case runs in a folder of its own (with copies of the folder's workflow
//! files only), so that no case sees another's SQLite files, nor those of earlier
//! runs; the cases of a file run concurrently.

pub mod format;
pub mod matching;

pub use format::{Expectation, NodeExpectation, TestCase, TestFile};

use crate::engine::{self, RunControl, RunError, RunOptions};
use crate::file::{self, LoadError};
use crate::model::{RunReport, Workflow};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;

/// Why a test file cannot be run at all.
#[derive(Debug, thiserror::Error)]
pub enum TestFileError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("{path}: {message}")]
    Malformed { path: String, message: String },
    #[error("{path}: case \"{case}\" {what} node \"{node}\", which {workflow} does not have")]
    UnknownNode {
        path: String,
        case: String,
        what: &'static str,
        node: String,
        workflow: String,
    },
    #[error("{path}: the workflow {workflow} cannot run: {error}")]
    Workflow {
        path: String,
        workflow: String,
        error: RunError,
    },
}

/// The outcome of one case.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CaseResult {
    pub file: String,
    pub case: String,
    pub passed: bool,
    /// What differed, one line each (`path: expected X, got Y`).
    pub failures: Vec<String>,
    pub duration_ms: u64,
    /// The run the case made; none when it could not start.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<RunReport>,
}

/// Every `*.test.json` under a path (the file itself, or a folder searched deeply).
pub fn test_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    file::files_with_suffix(path, ".test.json")
}

/// Reads a test file and the workflow it names; checks that every mock and
/// expectation names a node the workflow has.
pub fn load(path: &Path) -> Result<(TestFile, PathBuf, Workflow), TestFileError> {
    let shown = path.display().to_string();
    let map = file::parse_json_object(
        &std::fs::read_to_string(path).map_err(|source| LoadError::Unreadable {
            path: shown.clone(),
            source,
        })?,
        &shown,
    )?;
    let tests: TestFile = serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
        TestFileError::Malformed {
            path: shown.clone(),
            message: if e.path().to_string() == "." {
                e.inner().to_string()
            } else {
                format!("\"{}\": {}", e.path(), e.inner())
            },
        }
    })?;
    if tests.flowbench != 1 {
        return Err(TestFileError::Malformed {
            path: shown,
            message: format!("\"flowbench\" must be 1, not {}", tests.flowbench),
        });
    }
    let workflow_path = engine::folder_of(path).join(&tests.workflow);
    let workflow = file::load(&workflow_path)?;
    for case in &tests.cases {
        let named = case
            .mocks
            .keys()
            .map(|n| ("mocks", n))
            .chain(case.expect.nodes.keys().map(|n| ("expects", n)))
            .chain(case.expect.order.iter().map(|n| ("orders", n)))
            .chain(case.trigger.iter().map(|n| ("fires", n)));
        for (what, node) in named {
            if workflow.node(node).is_none() {
                return Err(TestFileError::UnknownNode {
                    path: shown,
                    case: case.name.clone(),
                    what,
                    node: node.clone(),
                    workflow: tests.workflow.clone(),
                });
            }
        }
    }
    Ok((tests, workflow_path, workflow))
}

/// Runs every case of a test file, concurrently, each in a folder of its own.
pub async fn run_file(path: &Path) -> Result<Vec<CaseResult>, TestFileError> {
    let (tests, workflow_path, workflow) = load(path)?;
    let shown = path.display().to_string();
    let prepared =
        engine::prepare(Arc::new(workflow)).map_err(|error| TestFileError::Workflow {
            path: shown.clone(),
            workflow: tests.workflow.clone(),
            error,
        })?;
    let folder = engine::folder_of(&workflow_path);
    let runs = tests.cases.iter().map(|case| {
        let prepared = prepared.clone();
        let folder = folder.clone();
        let shown = shown.clone();
        async move {
            let started = std::time::Instant::now();
            let mut result = CaseResult {
                file: shown,
                case: case.name.clone(),
                passed: false,
                failures: Vec::new(),
                duration_ms: 0,
                report: None,
            };
            let sandbox = match isolated_copy(&folder) {
                Ok(dir) => dir,
                Err(e) => {
                    result.failures.push(format!(
                        "cannot copy {} for the case: {e}",
                        folder.display()
                    ));
                    return result;
                }
            };
            let options = RunOptions {
                input: case.input.clone(),
                trigger: case.trigger.clone(),
                vars: case.vars.clone(),
                base_dir: sandbox.path().to_path_buf(),
                mocks: case.mocks.clone(),
                ..RunOptions::default()
            };
            match engine::run_prepared(prepared, options, RunControl::new(), None).await {
                Ok(report) => {
                    result.failures = check(&case.expect, &report);
                    result.report = Some(report);
                }
                Err(e) => result.failures.push(format!("the run did not start: {e}")),
            }
            result.passed = result.failures.is_empty();
            result.duration_ms = started.elapsed().as_millis() as u64;
            result
        }
    });
    Ok(futures::future::join_all(runs).await)
}

/// A temporary folder holding copies of the workflow files of the workflow's
/// folder (for subflows) and nothing else: every case starts with no SQLite
/// files, whatever earlier runs left beside the workflow.
fn isolated_copy(folder: &Path) -> std::io::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix("flowbench-case-")
        .tempdir()?;
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_file() && path.to_string_lossy().ends_with(".flow.json") {
            if let Some(name) = path.file_name() {
                std::fs::copy(&path, dir.path().join(name))?;
            }
        }
    }
    Ok(dir)
}

fn status_text<T: Serialize>(status: &T) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Every way the run differs from the expectation.
pub fn check(expect: &Expectation, report: &RunReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(status) = &expect.status {
        let actual = status_text(&report.status);
        if *status != actual {
            let why = report
                .errors
                .first()
                .map(|e| format!(" ({}: {})", e.code, e.message))
                .unwrap_or_default();
            out.push(format!(
                "status: expected \"{status}\", got \"{actual}\"{why}"
            ));
        }
    }
    if let Some(output) = &expect.output {
        out.extend(matching::differences("output", output, &report.output));
    }
    if let Some(vars) = &expect.vars {
        out.extend(matching::differences(
            "vars",
            vars,
            &Value::Object(report.vars.clone()),
        ));
    }
    for (id, want) in &expect.nodes {
        let Some(record) = report.nodes.iter().find(|n| &n.node == id) else {
            out.push(format!("nodes.{id}: not in the run report"));
            continue;
        };
        if let Some(status) = &want.status {
            let actual = status_text(&record.status);
            if *status != actual {
                let why = record
                    .error
                    .as_ref()
                    .map(|e| format!(" ({}: {})", e.code, e.message))
                    .unwrap_or_default();
                out.push(format!(
                    "nodes.{id}.status: expected \"{status}\", got \"{actual}\"{why}"
                ));
            }
        }
        if let Some(output) = &want.output {
            out.extend(matching::differences(
                &format!("nodes.{id}.output"),
                output,
                &record.output,
            ));
        }
    }
    // Records come in the order nodes started; skipped ones never did.
    let started: Vec<&str> = report
        .nodes
        .iter()
        .filter(|n| n.started_at.is_some())
        .map(|n| n.node.as_str())
        .collect();
    let mut last: Option<(usize, &str)> = None;
    for id in &expect.order {
        match started.iter().position(|n| n == id) {
            None => out.push(format!("order: \"{id}\" did not run")),
            Some(at) => {
                if let Some((before, prev)) = last {
                    if at < before {
                        out.push(format!(
                            "order: \"{id}\" started before \"{prev}\", expected after"
                        ));
                    }
                }
                last = Some((at, id));
            }
        }
    }
    out
}
