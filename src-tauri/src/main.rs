//! The Flowbench desktop app: a thin Tauri shell. Every rule lives in the
//! engine library; the commands convert and forward to `flowbench::api`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod runs;
mod workflow_tests;

use flowbench::api::runs::RunRegistry;
use flowbench::api::Workspace;

fn main() {
    let workspace = match Workspace::open(&Workspace::default_dir()) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {}", e.message);
            std::process::exit(1);
        }
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(std::sync::Arc::new(workspace))
        .manage(RunRegistry::new())
        .invoke_handler(tauri::generate_handler![
            commands::workspace_dir,
            commands::list_workflows,
            commands::open_workflow,
            commands::save_workflow,
            commands::create_workflow,
            commands::rename_workflow,
            commands::delete_workflow,
            commands::choose_and_open,
            commands::choose_and_save,
            commands::import_workflow,
            commands::export_workflow,
            commands::validate_workflow,
            commands::check_connection,
            commands::inspect_workflow,
            commands::upstream_nodes,
            commands::catalogue,
            commands::workflow_text,
            runs::start_run,
            runs::stop_run,
            runs::debug_run,
            runs::load_pins,
            runs::set_pin,
            runs::eval_report,
            runs::save_report,
            workflow_tests::load_tests,
            workflow_tests::run_tests,
            workflow_tests::save_tests,
            workflow_tests::case_from_report,
        ])
        .run(tauri::generate_context!())
        .expect("the Flowbench window starts");
}
