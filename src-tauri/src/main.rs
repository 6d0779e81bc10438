//! The Flowbench desktop app: a thin Tauri shell. Every rule (loading, saving,
//! validation, the catalogue, workspace files) lives in the engine library;
//! the commands in `commands.rs` convert and forward.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod runs;
mod workflow_tests;

fn main() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(std::sync::Arc::new(runs::Runs::default()))
        .invoke_handler(tauri::generate_handler![
            commands::workspace_dir,
            commands::list_workflows,
            commands::open_workflow,
            commands::save_workflow,
            commands::create_workflow,
            commands::rename_workflow,
            commands::delete_workflow,
            commands::validate_workflow,
            commands::check_connection,
            commands::inspect_workflow,
            commands::upstream_nodes,
            commands::catalogue,
            commands::parse_workflow,
            commands::workflow_text,
            runs::start_run,
            runs::stop_run,
            runs::save_report,
            workflow_tests::load_tests,
            workflow_tests::run_tests,
            workflow_tests::save_tests,
            workflow_tests::case_from_report,
        ])
        .run(tauri::generate_context!())
        .expect("the Flowbench window starts");
}
