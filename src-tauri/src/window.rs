//! The window's size and place: it opens maximized the first time, then as
//! it was last (tauri-plugin-window-state keeps them in the app's config
//! folder). The plugin saves when the app exits; they are also saved a moment
//! after each resize or move, so that a crash or a killed process keeps them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tauri::{Manager, Runtime};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

const KEPT: StateFlags = StateFlags::SIZE
    .union(StateFlags::POSITION)
    .union(StateFlags::MAXIMIZED);

/// How long the window must stay still before its state is written: a drag
/// resizes it many times a second.
const QUIET: Duration = Duration::from_millis(400);

pub fn remembered<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(KEPT)
        .build()
}

/// With nothing remembered yet (the first start), the window opens maximized.
pub fn maximize_the_first_time<R: Runtime>(app: &tauri::App<R>) {
    let remembered = app
        .path()
        .app_config_dir()
        .is_ok_and(|d| d.join(tauri_plugin_window_state::DEFAULT_FILENAME).exists());
    if !remembered {
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.maximize();
        }
    }
}

/// Writes the window's state once it has been still for a moment after a resize or move.
pub fn remember_soon<R: Runtime>(window: &tauri::Window<R>, event: &tauri::WindowEvent) {
    static CHANGES: AtomicU64 = AtomicU64::new(0);
    if !matches!(
        event,
        tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)
    ) {
        return;
    }
    let change = CHANGES.fetch_add(1, Ordering::SeqCst) + 1;
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(QUIET).await;
        if CHANGES.load(Ordering::SeqCst) == change {
            if let Err(e) = app.save_window_state(KEPT) {
                eprintln!("the window's size could not be saved: {e}");
            }
        }
    });
}
