//! The Tests panel's commands: the test file beside the open workflow, run
//! through the engine's test runner.

use flowbench::model::{ErrorInfo, RunReport};
use flowbench::testing::{self, CaseResult, TestCase, TestFile};
use std::path::Path;

fn fail(code: flowbench::error::Code, message: impl ToString) -> ErrorInfo {
    ErrorInfo {
        code,
        message: message.to_string(),
    }
}

/// The workflow's test file, or a new empty one (not yet written) when there is none.
#[tauri::command]
pub fn load_tests(workflow_path: String) -> Result<TestFile, ErrorInfo> {
    let workflow = Path::new(&workflow_path);
    let path = testing::test_path_for(workflow);
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
        .map_err(|e| fail(flowbench::error::Code::TestFile, e))
}

/// Runs the saved test file's cases (one, when `case` is given).
#[tauri::command]
pub async fn run_tests(
    workflow_path: String,
    case: Option<String>,
) -> Result<Vec<CaseResult>, ErrorInfo> {
    let path = testing::test_path_for(Path::new(&workflow_path));
    let results = testing::run_file(&path)
        .await
        .map_err(|e| fail(flowbench::error::Code::TestFile, e))?;
    Ok(results
        .into_iter()
        .filter(|r| case.as_ref().is_none_or(|c| &r.case == c))
        .collect())
}

#[tauri::command]
pub fn save_tests(workflow_path: String, tests: TestFile) -> Result<(), ErrorInfo> {
    let path = testing::test_path_for(Path::new(&workflow_path));
    testing::save(&path, &tests).map_err(|e| {
        fail(
            flowbench::error::Code::FileIo,
            format!("{}: {e}", path.display()),
        )
    })
}

/// A new case from the last run: its input, and each node's status and output.
#[tauri::command]
pub fn case_from_report(name: String, report: RunReport) -> TestCase {
    testing::case_from_report(&name, &report)
}
