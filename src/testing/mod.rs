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
#[derive(Debug, Clone, Serialize, serde::Deserialize, TS)]
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
        // A decision mock takes one of the approval's outcomes.
        for (node, mock) in &case.mocks {
            let crate::model::Mock::Decision { decision, .. } = mock else {
                continue;
            };
            let Some(n) = workflow.node(node) else {
                continue;
            };
            let ports = crate::nodes::find(&n.node_type)
                .filter(|k| k.type_name() == "task.approval")
                .map(|k| k.ports(n.config.as_ref().unwrap_or(&Default::default())));
            let message = match ports {
                None => format!(
                    "case \"{}\": the decision mock on \"{node}\" needs a task.approval node, not {}",
                    case.name, n.node_type
                ),
                Some(outcomes) if !outcomes.contains(decision) => format!(
                    "case \"{}\": \"{decision}\" is not an outcome of \"{node}\"; its outcomes are: {}",
                    case.name,
                    outcomes.join(", ")
                ),
                Some(_) => continue,
            };
            return Err(TestFileError::Malformed {
                path: shown,
                message,
            });
        }
    }
    Ok((tests, workflow_path, workflow))
}

/// Runs every case of a test file, concurrently, each in a folder of its own.
pub async fn run_file(path: &Path) -> Result<Vec<CaseResult>, TestFileError> {
    run_file_with(path, &|_, _| None).await
}

/// Where a case's run writes its journal, besides the report: the history,
/// when `flowbench test --history` asks for it.
pub type CaseJournal<'a> =
    &'a (dyn Fn(&Arc<Workflow>, &RunOptions) -> Option<engine::JournalHandle> + Sync);

/// Runs every case of a test file, each run's journal going where `journal` says.
pub async fn run_file_with(
    path: &Path,
    journal: CaseJournal<'_>,
) -> Result<Vec<CaseResult>, TestFileError> {
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
            let mut options = RunOptions {
                input: case.input.clone(),
                trigger: case.trigger.clone(),
                vars: case.vars.clone(),
                base_dir: sandbox.path().to_path_buf(),
                mocks: case.mocks.clone(),
                workflows: Some(crate::workspace::FolderWorkflows::new()),
                ..RunOptions::default()
            };
            options.journal = journal(&prepared.workflow, &options);
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

/// The test file beside a workflow file: `NAME.flow.json` → `NAME.test.json`.
pub fn test_path_for(workflow: &Path) -> PathBuf {
    let name = workflow
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".flow.json").unwrap_or(&name);
    workflow.with_file_name(format!("{stem}.test.json"))
}

/// A new case from a run: its input, and every node's status and output (a
/// skipped node's status only) as expectations, ready to edit.
pub fn case_from_report(name: &str, report: &RunReport) -> TestCase {
    let status_of = |s: &crate::model::NodeStatus| status_text(s);
    let nodes = report
        .nodes
        .iter()
        .map(|n| {
            let skipped = n.status == crate::model::NodeStatus::Skipped;
            (
                n.node.clone(),
                NodeExpectation {
                    status: Some(status_of(&n.status)),
                    output: if skipped {
                        None
                    } else {
                        Some((*n.output).clone())
                    },
                },
            )
        })
        .collect();
    TestCase {
        name: name.to_string(),
        input: Some(report.input.clone()),
        vars: Default::default(),
        trigger: None,
        mocks: Default::default(),
        expect: Expectation {
            status: Some(status_text(&report.status)),
            output: Some(report.output.clone()),
            vars: None,
            nodes,
            order: Vec::new(),
        },
    }
}

/// Saves a test file atomically, pretty-printed with a final newline.
pub fn save(path: &Path, tests: &TestFile) -> std::io::Result<()> {
    let mut text = serde_json::to_string_pretty(tests).map_err(std::io::Error::other)?;
    text.push('\n');
    file::write_atomically(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_becomes_a_case_that_passes_against_it() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let wf = file::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows/lead-intake.flow.json"),
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let options = RunOptions {
            base_dir: dir.path().to_path_buf(),
            ..RunOptions::default()
        };
        let mut mocks = std::collections::BTreeMap::new();
        mocks.insert(
            "crm".to_string(),
            crate::model::Mock::Output {
                output: serde_json::json!({"status": 201}),
            },
        );
        let report = rt
            .block_on(engine::run(
                Arc::new(wf),
                RunOptions {
                    mocks: mocks.clone(),
                    ..options
                },
                RunControl::new(),
                None,
            ))
            .unwrap();
        let mut case = case_from_report("from a run", &report);
        assert_eq!(case.expect.status.as_deref(), Some("succeeded"));
        assert_eq!(
            case.expect.nodes["archive"].status.as_deref(),
            Some("skipped")
        );
        assert_eq!(case.expect.nodes["archive"].output, None);
        assert!(check(&case.expect, &report).is_empty());
        // A changed outcome no longer matches.
        case.expect.nodes.get_mut("score").unwrap().output =
            Some(serde_json::json!({"tier": "cold"}));
        assert_eq!(
            check(&case.expect, &report),
            vec!["nodes.score.output.tier: expected \"cold\", got \"hot\""]
        );
        assert_eq!(
            test_path_for(Path::new("w/a.flow.json")),
            Path::new("w/a.test.json")
        );
    }
}
