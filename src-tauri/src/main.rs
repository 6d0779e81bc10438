//! The Flowbench desktop app: a thin Tauri shell. Every rule lives in the
//! engine library; the commands convert and forward to `flowbench::api`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod history;
mod runs;
mod service;
mod window;
mod workflow_tests;

use flowbench::api::runs::RunRegistry;

// Counts what Python code allocates, for task.python's memory limit.
#[global_allocator]
static ALLOCATOR: flowbench::api::sandbox_alloc::Measuring<std::alloc::System> =
    flowbench::api::sandbox_alloc::Measuring(std::alloc::System);
use flowbench::api::Workspace;

fn main() {
    let workspace = match Workspace::open(&Workspace::default_dir()) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("error: {}", e.message);
            std::process::exit(1);
        }
    };
    // The run history: FLOWBENCH_DB, else the user's data folder. When it
    // cannot be used, the app still edits and runs; the History says why.
    let history = flowbench::api::history::History::open(None);
    if let Ok(h) = &history {
        keep_retention(h.clone());
        if let Err(e) = h.checkpoint_in_background() {
            eprintln!("history: {}", e.message);
        }
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(window::remembered())
        .setup(|app| {
            window::maximize_the_first_time(app);
            Ok(())
        })
        .manage(history::HistoryState(history))
        .manage(service::ServiceState::default())
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
            commands::import_text,
            commands::export_workflow,
            commands::validate_workflow,
            commands::check_connection,
            commands::inspect_workflow,
            commands::upstream_nodes,
            commands::catalogue,
            commands::workflow_text,
            history::history_info,
            history::list_runs,
            history::show_run,
            history::run_stats,
            history::resume_run,
            history::list_tasks,
            history::decide_task,
            history::note_task,
            history::list_revisions,
            history::diff_revision,
            history::restore_revision,
            service::service_start,
            service::service_stop,
            service::service_status,
            service::webhook_address,
            service::schedule_next_fires,
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
        .on_window_event(|window, event| {
            import_dropped(window, event);
            window::remember_soon(window, event);
        })
        .build(tauri::generate_context!())
        .expect("the Flowbench window starts")
        .run(|_, event| {
            // Runs end without waiting for their end to be written to the history.
            if let tauri::RunEvent::Exit = event {
                if let Err(e) = flowbench::api::history::History::settle_all() {
                    eprintln!("history: {}", e.message);
                }
            }
        });
}

/// A JSON file dropped on the window is imported as Import would; the window
/// hears of it through the `workflow-imported` event. The path never comes
/// from the web view.
fn import_dropped(window: &tauri::Window, event: &tauri::WindowEvent) {
    use tauri::{Emitter, Manager};
    let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event else {
        return;
    };
    let workspace = window.state::<std::sync::Arc<Workspace>>();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let answer = flowbench::api::import::file_into_workspace(&workspace, path);
        let _ = window.emit(
            "workflow-imported",
            match answer {
                Ok(a) => serde_json::json!({ "answer": a }),
                Err(e) => serde_json::json!({ "error": e }),
            },
        );
    }
}

/// Applies the history's retention setting now and every hour, in the background.
fn keep_retention(history: flowbench::api::history::History) {
    std::thread::spawn(move || loop {
        if let Err(e) = history.apply_retention() {
            eprintln!("retention: {}", e.message);
        }
        std::thread::sleep(std::time::Duration::from_secs(3600));
    });
}
