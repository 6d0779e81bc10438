//! The Tests panel: the test file beside a workflow of the workspace, run
//! through the engine's test runner.

use super::{fail, Answer, Workspace};
use crate::error::Code;
use crate::model::RunReport;
use crate::testing;
pub use crate::testing::{run_file, test_files, CaseResult, TestCase, TestFile};

/// Runs a test file's cases; with a history, each case's run is recorded in it
/// (`flowbench test --history`).
pub async fn run_file_recorded(
    path: &Path,
    history: Option<&super::history::History>,
) -> Result<Vec<CaseResult>, testing::TestFileError> {
    match history {
        Some(h) => {
            testing::run_file_with(path, &|workflow, options| {
                Some(h.recorder(workflow, None, options))
            })
            .await
        }
        None => testing::run_file(path).await,
    }
}
use std::path::Path;

/// The workflow's test file, or a new empty one (not yet written) when there is none.
pub fn load(workspace: &Workspace, workflow_path: &Path) -> Answer<TestFile> {
    let workflow = workspace.confine(workflow_path)?;
    let path = testing::test_path_for(&workflow);
    if !path.exists() {
        let name = workflow
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(TestFile {
            flowbench: 1,
            workflow: name,
            cases: Vec::new(),
        });
    }
    testing::load(&path)
        .map(|(tests, _, _)| tests)
        .map_err(|e| fail(Code::TestFile, e))
}

/// Runs the saved test file's cases (one, when `case` is given).
pub async fn run(
    workspace: &Workspace,
    workflow_path: &Path,
    case: Option<&str>,
) -> Answer<Vec<CaseResult>> {
    let path = testing::test_path_for(&workspace.confine(workflow_path)?);
    let results = testing::run_file(&path)
        .await
        .map_err(|e| fail(Code::TestFile, e))?;
    Ok(results
        .into_iter()
        .filter(|r| case.is_none_or(|c| r.case == c))
        .collect())
}

pub fn save(workspace: &Workspace, workflow_path: &Path, tests: &TestFile) -> Answer<()> {
    let path = testing::test_path_for(&workspace.confine(workflow_path)?);
    testing::save(&path, tests).map_err(|e| fail(Code::FileIo, format!("{}: {e}", path.display())))
}

/// A new case from the last run: its input, and each node's status and output.
pub fn case_from_report(name: &str, report: &RunReport) -> TestCase {
    testing::case_from_report(name, report)
}
