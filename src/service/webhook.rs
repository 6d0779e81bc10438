//! `M /hooks/WORKFLOW_ID/PATH`: finds the workflow's webhook trigger, checks
//! the token and the body, starts a recorded run, and answers as SERVICE.md
//! says: the `task.respond` status and body as soon as that node runs, else
//! the run's output, its failure, or 202 with its id.

use super::watch::GoesOn;
use super::{bearer, failure, same_token, Service};
use crate::engine::{self, RunControl, RunError, RunOptions};
use crate::model::{RunReport, RunStatus};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How long a caller waits for a run that has not answered.
const WAIT: Duration = Duration::from_secs(30);

/// The secret holding a workflow's webhook token.
pub(crate) fn token_name(workflow_id: &str) -> String {
    format!("webhook.{workflow_id}")
}

/// Matches a trigger's `path` against the request's segments; gives `params`.
fn matches(pattern: &str, segments: &[&str]) -> Option<Map<String, Value>> {
    let wanted: Vec<&str> = pattern
        .trim_start_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if wanted.len() != segments.len() {
        return None;
    }
    let mut params = Map::new();
    for (w, s) in wanted.iter().zip(segments) {
        match w.strip_prefix(':') {
            Some(name) => {
                params.insert(name.to_string(), Value::String(s.to_string()));
            }
            None if w == s => {}
            None => return None,
        }
    }
    Some(params)
}

pub(crate) async fn handle(
    State(service): State<Arc<Service>>,
    Path(rest): Path<String>,
    method: Method,
    Query(mut query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    let Some(workflow_id) = segments.next() else {
        return failure(
            StatusCode::NOT_FOUND,
            "not_found",
            "no workflow named in the address",
        );
    };
    let segments: Vec<&str> = segments.collect();
    let Some(loaded) = service.folder.find(workflow_id) else {
        return failure(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no workflow \"{workflow_id}\" is served"),
        );
    };
    // The webhook triggers whose path matches; then the one with this method.
    let mut path_matched = false;
    let mut found = None;
    for node in loaded
        .workflow
        .nodes
        .iter()
        .filter(|n| n.node_type == "trigger.webhook")
    {
        let pattern = node
            .config_value("path")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(params) = matches(pattern, &segments) else {
            continue;
        };
        path_matched = true;
        let wanted = node
            .config_value("method")
            .and_then(Value::as_str)
            .unwrap_or("POST");
        if wanted.eq_ignore_ascii_case(method.as_str()) {
            found = Some((node, params));
            break;
        }
    }
    let Some((trigger, params)) = found else {
        return if path_matched {
            failure(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{method} is not the method of this webhook"),
            )
        } else {
            failure(
                StatusCode::NOT_FOUND,
                "not_found",
                format!(
                    "workflow \"{workflow_id}\" has no webhook at /{}",
                    segments.join("/")
                ),
            )
        };
    };
    // The token: `?token=` or `Authorization: Bearer`, compared in constant time.
    let expected = match service.history.token(&token_name(workflow_id)) {
        Ok(t) => t,
        Err(e) => {
            return failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.code.as_str(),
                e.message,
            )
        }
    };
    let given = query
        .get("token")
        .map(String::as_str)
        .or_else(|| bearer(&headers));
    if !given.is_some_and(|g| same_token(g, &expected)) {
        return failure(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "no token, or a wrong one: send the webhook's token as ?token= or Authorization: Bearer",
        );
    }
    // The body: refused over the limit before it is read whole.
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let too_big = || {
        failure(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is over {} bytes", service.max_body),
        )
    };
    if declared.is_some_and(|n| n > service.max_body) {
        // Read and drop up to 8 MiB of it first, so that the caller, still
        // sending, gets the answer instead of a closed connection.
        use futures::StreamExt;
        let mut stream = body.into_data_stream();
        let mut drained = 0usize;
        while drained < 8 * 1024 * 1024 {
            match stream.next().await {
                Some(Ok(chunk)) => drained += chunk.len(),
                _ => break,
            }
        }
        return too_big();
    }
    let Ok(bytes) = axum::body::to_bytes(body, service.max_body).await else {
        return too_big();
    };
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    let body = if bytes.is_empty() {
        Value::Null
    } else if is_json {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return failure(
                    StatusCode::BAD_REQUEST,
                    "bad_json",
                    format!("the body is not valid JSON: {e}"),
                )
            }
        }
    } else {
        Value::String(String::from_utf8_lossy(&bytes).into_owned())
    };
    let prepared = match &loaded.prepared {
        Ok(p) => p.clone(),
        Err(diagnostics) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"error": {
                    "code": "workflow_invalid",
                    "message": format!("workflow \"{workflow_id}\" has validation errors; fix them to serve it"),
                    "diagnostics": diagnostics,
                }})),
            )
                .into_response()
        }
    };
    // What the run sees: never the token, nor credentials.
    query.remove("token");
    let seen_headers: Map<String, Value> = headers
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "authorization" | "cookie"))
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                Value::String(v.to_str().unwrap_or_default().to_string()),
            )
        })
        .collect();
    let input = json!({
        "method": method.as_str(),
        "path": format!("/{}", segments.join("/")),
        "params": params,
        "query": query,
        "headers": seen_headers,
        "body": body,
    });
    let immediately =
        trigger.config_value("respond").and_then(Value::as_str) == Some("immediately");
    let mut options = RunOptions {
        input: Some(input),
        trigger: Some(trigger.id.clone()),
        ..crate::api::runs::options_for(&loaded.file)
    };
    let (started, responded) = match service.watched(&loaded, &mut options) {
        Ok(signals) => signals,
        Err(e) => {
            return failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.code.as_str(),
                e.message,
            )
        }
    };
    // The run is driven here, in the caller's own task, until it answers: a
    // quick workflow answers without being handed to another worker and back.
    // What is left of it goes on in a task of its own once the caller stops
    // waiting, answered or gone.
    let mut run = GoesOn::new(engine::run_prepared(
        prepared,
        options,
        RunControl::new(),
        None,
    ));
    let mut started = started;
    let mut ended = None;
    let run_id = tokio::select! {
        biased;
        id = &mut started => id.ok(),
        report = &mut run => {
            ended = Some(report);
            started.await.ok()
        }
    };
    let Some(run_id) = run_id else {
        return failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the run did not start",
        );
    };
    let with_id = |mut r: Response| {
        if let Ok(v) = HeaderValue::from_str(&run_id) {
            r.headers_mut().insert("flowbench-run-id", v);
        }
        r
    };
    let accepted = || (StatusCode::ACCEPTED, Json(json!({"runId": run_id}))).into_response();
    if immediately {
        return with_id(accepted());
    }
    let answer = match ended {
        Some(report) => answer_of(report, &run_id),
        None => {
            let mut responded = responded;
            let answer = tokio::select! {
                biased;
                Ok((status, body)) = &mut responded => {
                    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                    Some((status, Json(body)).into_response())
                }
                report = &mut run => Some(answer_of(report, &run_id)),
                _ = tokio::time::sleep(WAIT) => None,
            };
            answer.unwrap_or_else(accepted)
        }
    };
    with_id(answer)
}

/// The answer to a caller from the run's end: the `task.respond` it set, else
/// its output; a waiting run's id; a failure's first error.
fn answer_of(ended: Result<RunReport, RunError>, run_id: &str) -> Response {
    let respond = |r: crate::model::Response| {
        let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
        (status, Json(r.body)).into_response()
    };
    match ended {
        Ok(report) => match (report.status, report.response) {
            (RunStatus::Succeeded, Some(r)) => respond(r),
            (RunStatus::Succeeded, None) => (StatusCode::OK, Json(report.output)).into_response(),
            (RunStatus::Waiting, _) => {
                (StatusCode::ACCEPTED, Json(json!({"runId": run_id}))).into_response()
            }
            (_, Some(r)) => respond(r),
            (_, None) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"runId": run_id, "error": report.errors.first()})),
            )
                .into_response(),
        },
        Err(e) => failure(StatusCode::INTERNAL_SERVER_ERROR, e.code().as_str(), e),
    }
}
