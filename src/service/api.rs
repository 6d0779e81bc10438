//! `/api`: list and read workflows, start runs, read runs and tasks, decide a
//! task. Guarded by the API token (secret `api`) as `Authorization: Bearer`.

use super::{bearer, failure, same_token, Service};
use crate::api::history::{RunFilter, TaskFilter};
use crate::engine::{self, RunControl, RunOptions};
use crate::model::{ErrorInfo, RunStatus};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The answer to a request without the API token; `None` when it has it.
fn guard(service: &Service, headers: &HeaderMap) -> Option<Response> {
    match bearer(headers) {
        Some(t) if same_token(t, &service.api_token) => None,
        _ => Some(failure(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send the API token as Authorization: Bearer (flowbench secrets get api)",
        )),
    }
}

/// An engine error as an answer: unknown things are 404, refusals 409.
fn refused(e: ErrorInfo) -> Response {
    use crate::error::Code;
    let status = match e.code {
        Code::UnknownRun | Code::AmbiguousRun => StatusCode::NOT_FOUND,
        Code::HistoryUnavailable | Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Code::RunNotWaiting | Code::TaskAlreadyDecided | Code::RunLive => StatusCode::CONFLICT,
        _ => StatusCode::BAD_REQUEST,
    };
    failure(status, e.code.as_str(), e.message)
}

pub(crate) async fn workflows(State(service): State<Arc<Service>>, headers: HeaderMap) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    let list: Vec<Value> = service
        .folder
        .workflows()
        .iter()
        .map(|w| {
            let triggers: Vec<Value> = w
                .workflow
                .nodes
                .iter()
                .filter(|n| n.node_type.starts_with("trigger."))
                .map(|n| json!({"node": n.id, "type": n.node_type}))
                .collect();
            json!({
                "id": w.workflow.id,
                "name": w.workflow.name,
                "description": w.workflow.description,
                "triggers": triggers,
                "valid": w.prepared.is_ok(),
            })
        })
        .collect();
    Json(list).into_response()
}

pub(crate) async fn workflow(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    match service.folder.find(&id) {
        Some(w) => Json(&*w.workflow).into_response(),
        None => failure(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no workflow \"{id}\""),
        ),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct StartBody {
    input: Option<Value>,
    #[serde(default)]
    vars: Map<String, Value>,
    trigger: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct StartQuery {
    #[serde(default)]
    wait: bool,
}

pub(crate) async fn start_run(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
    body: Option<Json<StartBody>>,
) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    let Some(loaded) = service.folder.find(&id) else {
        return failure(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no workflow \"{id}\""),
        );
    };
    let prepared = match &loaded.prepared {
        Ok(p) => p.clone(),
        Err(d) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"error": {"code": "workflow_invalid",
                    "message": format!("workflow \"{id}\" has validation errors"), "diagnostics": d}})),
            )
                .into_response()
        }
    };
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let mut options = RunOptions {
        input: body.input,
        vars: body.vars,
        trigger: body.trigger,
        ..crate::api::runs::options_for(&loaded.file)
    };
    let (started, _) = match service.watched(&loaded, &mut options) {
        Ok(signals) => signals,
        Err(e) => {
            return failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.code.as_str(),
                e.message,
            )
        }
    };
    let run = tokio::spawn(engine::run_prepared(
        prepared,
        options,
        RunControl::new(),
        None,
    ));
    let ended = |r: Result<Result<crate::model::RunReport, engine::RunError>, _>| match r {
        Ok(Ok(report)) => Json(report).into_response(),
        Ok(Err(e)) => refused(e.into()),
        Err(e) => failure(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", e),
    };
    if query.wait {
        return ended(run.await);
    }
    match started.await {
        Ok(run_id) => (StatusCode::CREATED, Json(json!({"runId": run_id}))).into_response(),
        // It did not start (a trigger that is not one, …): why.
        Err(_) => ended(run.await),
    }
}

#[derive(Deserialize)]
pub(crate) struct RunsQuery {
    workflow: Option<String>,
    status: Option<RunStatus>,
    limit: Option<u32>,
}

pub(crate) async fn runs(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<RunsQuery>,
) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    match service.history.list(&RunFilter {
        workflow: q.workflow,
        status: q.status,
        limit: q.limit,
        ..RunFilter::default()
    }) {
        Ok(list) => Json(list).into_response(),
        Err(e) => refused(e),
    }
}

pub(crate) async fn run(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path(run): Path<String>,
) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    match service.history.show(&run) {
        Ok(report) => Json(report).into_response(),
        Err(e) => refused(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct TasksQuery {
    assignee: Option<String>,
}

pub(crate) async fn tasks(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Query(q): Query<TasksQuery>,
) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    match service.history.tasks(&TaskFilter {
        assignee: q.assignee,
        ..TaskFilter::default()
    }) {
        Ok(list) => Json(list).into_response(),
        Err(e) => refused(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct DecideBody {
    outcome: String,
    comment: Option<String>,
    by: Option<String>,
}

pub(crate) async fn decide(
    State(service): State<Arc<Service>>,
    headers: HeaderMap,
    Path((run, node)): Path<(String, String)>,
    Json(body): Json<DecideBody>,
) -> Response {
    if let Some(r) = guard(&service, &headers) {
        return r;
    }
    let by = body.by.unwrap_or_else(|| "api".to_string());
    match service.history.decide(
        &run,
        &node,
        &body.outcome,
        body.comment.as_deref(),
        &by,
        RunControl::new(),
        None,
    ) {
        Ok(continued) => {
            // The decision is recorded; the run goes on here.
            tokio::spawn(continued);
            Json(json!({"runId": run, "node": node, "decision": body.outcome})).into_response()
        }
        Err(e) => refused(e),
    }
}
