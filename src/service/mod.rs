//! The local service (SERVICE.md): webhooks with per-workflow tokens and the
//! HTTP API, on 127.0.0.1, over the workflow files of one folder. Every run it
//! starts is recorded in the history.

mod api;
mod folder;
pub(crate) mod schedules;
mod watch;
mod webhook;

pub(crate) use webhook::token_name;

use crate::api::history::History;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde_json::json;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder whose `*.flow.json` files are served.
    pub dir: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    /// The largest webhook body accepted, in bytes.
    pub max_body: usize,
}

/// What every request handler shares.
pub(crate) struct Service {
    pub history: History,
    pub folder: folder::Folder,
    pub max_body: usize,
    /// The API token (secret `api`).
    pub api_token: String,
}

impl Service {
    /// Gives a run of a served workflow the secrets it reads; answers the
    /// journal that records it in the history.
    pub(crate) fn recorded(
        &self,
        loaded: &folder::Loaded,
        options: &mut crate::engine::RunOptions,
    ) -> Result<crate::engine::JournalHandle, crate::model::ErrorInfo> {
        options.secrets = self.history.secrets_for(&loaded.workflow, options)?;
        Ok(self
            .history
            .recorder(&loaded.workflow, Some(&loaded.file), options))
    }

    /// As `recorded`, and sets the run's journal to one that tells, once
    /// recorded, the run's id, and its response when a `task.respond` sets it.
    pub(crate) fn watched(
        &self,
        loaded: &folder::Loaded,
        options: &mut crate::engine::RunOptions,
    ) -> Result<watch::Signals, crate::model::ErrorInfo> {
        let recorder = self.recorded(loaded, options)?;
        let (watch, signals) = watch::Watch::new(recorder);
        options.journal = Some(crate::engine::JournalHandle(Arc::new(watch)));
        Ok(signals)
    }
}

/// Serves until `stop` resolves; `listening` is told the address once
/// connections are accepted and every token exists.
pub async fn serve(
    options: ServeOptions,
    history: History,
    listening: impl FnOnce(SocketAddr),
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let folder = folder::Folder::new(&options.dir);
    // Tokens are made before the service says it listens: a caller that reads
    // them with `secrets get` right after finds them.
    for loaded in folder.workflows() {
        if loaded.has_webhook() {
            history
                .token(&webhook::token_name(&loaded.workflow.id))
                .map_err(|e| anyhow::anyhow!(e.message))?;
        }
    }
    // A caller never waits on a checkpoint's sync to disk.
    history
        .checkpoint_in_background()
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let api_token = history
        .token("api")
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let service = Arc::new(Service {
        history,
        folder,
        max_body: options.max_body,
        api_token,
    });
    let app = Router::new()
        .route("/hooks/{*rest}", any(webhook::handle))
        .route("/api/workflows", get(api::workflows))
        .route("/api/workflows/{id}", get(api::workflow))
        .route("/api/workflows/{id}/runs", post(api::start_run))
        .route("/api/runs", get(api::runs))
        .route("/api/runs/{run}", get(api::run))
        .route("/api/tasks", get(api::tasks))
        .route("/api/runs/{run}/tasks/{node}", post(api::decide))
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "not_found", "no such address") })
        .with_state(service.clone());
    let schedules = tokio::spawn(schedules::keep(service.clone()));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await?;
    listening(listener.local_addr()?);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await;
    schedules.abort();
    served?;
    Ok(())
}

/// An error answer: `{"error": {"code", "message"}}`.
pub(crate) fn failure(status: StatusCode, code: &str, message: impl ToString) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message.to_string()}})),
    )
        .into_response()
}

/// A bearer token from `Authorization`.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// Compares a token in constant time.
pub(crate) fn same_token(given: &str, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}
