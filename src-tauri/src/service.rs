//! The Service toggle: the same local service as `flowbench serve`, run in
//! the app over the workspace folder while it is on (off at start).

use crate::commands::WorkspaceState;
use crate::history::HistoryState;
use flowbench::api::service::{next_fires, serve, webhook_url, ServeOptions};
use flowbench::api::Answer;
use flowbench::model::{Code, ErrorInfo};
use std::sync::Mutex;
use tauri::State;

/// The running service: how to stop it, and its address.
#[derive(Default)]
pub struct ServiceState(Mutex<Option<(tokio::sync::oneshot::Sender<()>, String)>>);

fn fail(message: impl ToString) -> ErrorInfo {
    ErrorInfo {
        code: Code::Internal,
        message: message.to_string(),
    }
}

/// Starts the service (port `FLOWBENCH_SERVICE_PORT`, default 5678); answers its address.
#[tauri::command]
pub async fn service_start(
    ws: WorkspaceState<'_>,
    history: State<'_, HistoryState>,
    service: State<'_, ServiceState>,
) -> Answer<String> {
    if let Some((_, url)) = service.0.lock().expect("service lock").as_ref() {
        return Ok(url.clone());
    }
    let history = history.get()?.clone();
    let port = std::env::var("FLOWBENCH_SERVICE_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(5678);
    let options = ServeOptions {
        dir: ws.root(),
        port,
        max_body: 1024 * 1024,
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
    let served = tauri::async_runtime::spawn(async move {
        serve(
            options,
            history,
            |addr| {
                let _ = addr_tx.send(addr);
            },
            async move {
                let _ = stop_rx.await;
            },
        )
        .await
    });
    match addr_rx.await {
        Ok(addr) => {
            let url = format!("http://{addr}");
            *service.0.lock().expect("service lock") = Some((stop_tx, url.clone()));
            Ok(url)
        }
        // It ended before listening: why.
        Err(_) => Err(fail(match served.await {
            Ok(Err(e)) => format!("the service did not start: {e:#}"),
            _ => "the service did not start".to_string(),
        })),
    }
}

#[tauri::command]
pub fn service_stop(service: State<'_, ServiceState>) {
    if let Some((stop, _)) = service.0.lock().expect("service lock").take() {
        let _ = stop.send(());
    }
}

/// The service's address while it runs.
#[tauri::command]
pub fn service_status(service: State<'_, ServiceState>) -> Option<String> {
    service
        .0
        .lock()
        .expect("service lock")
        .as_ref()
        .map(|(_, url)| url.clone())
}

/// A webhook trigger's full address with its token, while the service runs.
#[tauri::command]
pub fn webhook_address(
    history: State<'_, HistoryState>,
    service: State<'_, ServiceState>,
    workflow_id: String,
    path: String,
) -> Answer<Option<String>> {
    let Some(base) = service_status(service) else {
        return Ok(None);
    };
    webhook_url(history.get()?, &base, &workflow_id, &path).map(Some)
}

/// A schedule trigger's next three fire times.
#[tauri::command]
pub fn schedule_next_fires(cron: String, timezone: Option<String>) -> Answer<Vec<String>> {
    next_fires(&cron, timezone.as_deref().unwrap_or("UTC"), 3)
}
