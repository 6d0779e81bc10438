//! The Tests panel's commands: forwarded to `flowbench::api::tests`.

use crate::commands::WorkspaceState;
use flowbench::api::tests::{CaseResult, TestCase, TestFile};
use flowbench::api::{self, Answer};
use flowbench::model::RunReport;
use std::path::Path;

#[tauri::command]
pub fn load_tests(ws: WorkspaceState<'_>, workflow_path: String) -> Answer<TestFile> {
    api::tests::load(&ws, Path::new(&workflow_path))
}

#[tauri::command]
pub async fn run_tests(
    ws: WorkspaceState<'_>,
    workflow_path: String,
    case: Option<String>,
) -> Answer<Vec<CaseResult>> {
    api::tests::run(&ws, Path::new(&workflow_path), case.as_deref()).await
}

#[tauri::command]
pub fn save_tests(ws: WorkspaceState<'_>, workflow_path: String, tests: TestFile) -> Answer<()> {
    api::tests::save(&ws, Path::new(&workflow_path), &tests)
}

#[tauri::command]
pub fn case_from_report(name: String, report: RunReport) -> TestCase {
    api::tests::case_from_report(&name, &report)
}
