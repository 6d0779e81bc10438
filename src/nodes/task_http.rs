//! `task.http`: an HTTP request with reqwest (rustls). The request and the
//! response are recorded; a non-2xx status is an error unless `failOnStatus`
//! is false. The data-step modifiers (`dataPath`, `pagination`,
//! `fieldMapping`, FORMAT.md) make it fetch page after page and give the
//! records; they live in `task_http/data_steps.rs`.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::{ErrorInfo, HttpExchange, LogLevel};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpConfig {
    pub url: String,
    #[serde(default = "crate::nodes::defaults::get")]
    pub method: String,
    #[serde(default)]
    pub headers: Map<String, Value>,
    #[serde(default)]
    pub query: Map<String, Value>,
    /// An object or array is sent as JSON, a string as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub body: Option<Value>,
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
    /// A non-2xx status is an error.
    #[serde(default = "crate::nodes::defaults::yes")]
    pub fail_on_status: bool,
    /// A dotted path into each response's body that holds the records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub data_path: Option<String>,
    /// Fetch page after page until done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pagination: Option<data_steps::Pagination>,
    /// `{TARGET: EXPR}` applied to each record, with the record as `$record`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field_mapping: Option<Map<String, Value>>,
}

mod data_steps;

pub struct Http;

impl NodeType for Http {
    type Config = HttpConfig;
    const TYPE: &'static str = "task.http";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "HTTP request";
    const DESCRIPTION: &'static str = "Calls an HTTP service.";
    // Evaluated per page and per record, with `$response`, `$page`, `$record`.
    const RAW_KEYS: &'static [&'static str] = &["pagination", "fieldMapping"];
    const TIMES_ITSELF: bool = true;

    fn check(config: &HttpConfig, checks: &mut super::NodeChecks) {
        data_steps::check(config, checks);
    }

    fn run<'a>(ctx: &'a NodeCtx, config: &'a HttpConfig) -> Outcome<'a> {
        Outcome::Later(Box::pin(run(ctx, config)))
    }
}

/// Header values never written to a report or a log.
const REDACTED: [&str; 5] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
];

fn redact(headers: &Map<String, Value>) -> Value {
    Value::Object(
        headers
            .iter()
            .map(|(k, v)| {
                let shown = if REDACTED.contains(&k.to_ascii_lowercase().as_str()) {
                    json!("[redacted]")
                } else {
                    v.clone()
                };
                (k.clone(), shown)
            })
            .collect(),
    )
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn run(ctx: &NodeCtx, config: &HttpConfig) -> Result<Step, ErrorInfo> {
    if config.pagination.is_some() || config.data_path.is_some() || config.field_mapping.is_some() {
        return data_steps::run(ctx, config).await;
    }
    let url = parse_url(config)?;
    let sent = send(ctx, config, url, None).await;
    let sent = match sent {
        Ok(sent) => sent,
        Err((e, exchange)) => {
            ctx.left.lock().expect("node lock").exchange = Some(exchange);
            return Err(e);
        }
    };
    ctx.left.lock().expect("node lock").exchange = Some(sent.exchange);
    check_status(config, &sent.output, &sent.what)?;
    Ok(Step::out(sent.output))
}

/// The configured URL, with its query.
fn parse_url(config: &HttpConfig) -> Result<reqwest::Url, ErrorInfo> {
    let mut url = reqwest::Url::parse(&config.url).map_err(|e| {
        error(
            Code::InvalidConfig,
            format!("config.url \"{}\" is not a valid address: {e}", config.url),
        )
    })?;
    if !config.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in &config.query {
            pairs.append_pair(k, &text(v));
        }
    }
    Ok(url)
}

/// A non-2xx status fails the node unless `failOnStatus` is false.
fn check_status(config: &HttpConfig, output: &Value, what: &str) -> Result<(), ErrorInfo> {
    let status = output["status"].as_u64().unwrap_or(0);
    if config.fail_on_status && !(200..300).contains(&status) {
        let body = match &output["body"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let excerpt: String = body.chars().take(300).collect();
        return Err(error(
            Code::HttpStatus,
            format!(
                "{what} answered {status}{}: {excerpt}",
                reqwest::StatusCode::from_u16(status as u16)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(())
}

/// A request's answer.
struct Sent {
    /// `{status, headers, body, durationMs}`.
    output: Value,
    exchange: HttpExchange,
    /// The method, the URL and the page, for messages.
    what: String,
}

/// One request: its answer, or the error with what was sent. `page` names
/// the page in messages.
async fn send(
    ctx: &NodeCtx,
    config: &HttpConfig,
    url: reqwest::Url,
    page: Option<usize>,
) -> Result<Sent, (ErrorInfo, HttpExchange)> {
    let method = reqwest::Method::from_bytes(config.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| {
            (
                error(
                    Code::InvalidConfig,
                    format!("config.method \"{}\" is not an HTTP method", config.method),
                ),
                HttpExchange::default(),
            )
        })?;
    // The node's timeoutMs bounds each request (each page), as does the config's.
    let node_limit = ctx.node().timeout_ms;
    let limit = node_limit.map_or(config.timeout_ms, |n| n.min(config.timeout_ms));
    let mut request = ctx
        .shared
        .http
        .request(method.clone(), url.clone())
        .timeout(Duration::from_millis(limit));
    for (k, v) in &config.headers {
        request = request.header(k.as_str(), text(v));
    }
    match &config.body {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => request = request.body(s.clone()),
        Some(other) => request = request.json(other),
    }
    let recorded_request = json!({
        "method": method.as_str(), "url": url.as_str(), "headers": redact(&config.headers), "body": config.body,
    });
    let which = page
        .map(|p| format!(" (page {})", p + 1))
        .unwrap_or_default();
    let started = Instant::now();
    let sent = tokio::select! {
        r = request.send() => r,
        _ = ctx.shared.cancel.cancelled() => return Err((error(Code::Cancelled, "the run was cancelled"), HttpExchange::default())),
    };
    let failed = |code, message: String, request: &Value| {
        (
            error(code, message),
            HttpExchange {
                request: request.clone(),
                response: Value::Null,
                pages: None,
            },
        )
    };
    let response = match sent {
        Ok(r) => r,
        Err(e) => {
            let (code, what) = if e.is_timeout() {
                if node_limit.is_some_and(|n| n < config.timeout_ms) {
                    (
                        Code::Timeout,
                        format!("the request took longer than its timeoutMs of {limit} ms"),
                    )
                } else {
                    (Code::HttpTimeout, format!("no answer within {limit} ms"))
                }
            } else if e.is_connect() {
                (Code::HttpUnreachable, "could not connect".to_string())
            } else {
                (Code::HttpError, e.to_string())
            };
            return Err(failed(
                code,
                format!("{method} {url}{which}: {what}"),
                &recorded_request,
            ));
        }
    };
    let status = response.status();
    let mut headers = Map::new();
    for (k, v) in response.headers() {
        headers.insert(k.as_str().to_string(), json!(v.to_str().unwrap_or("")));
    }
    let is_json = headers
        .get("content-type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.contains("json"));
    let bytes = match response.bytes().await {
        Ok(b) => b,
        Err(e) => {
            return Err(failed(
                Code::HttpError,
                format!("{method} {url}{which}: reading the body failed: {e}"),
                &recorded_request,
            ))
        }
    };
    let body_text = String::from_utf8_lossy(&bytes).into_owned();
    let body = if is_json {
        serde_json::from_str(&body_text).unwrap_or(Value::String(body_text.clone()))
    } else {
        Value::String(body_text)
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    let exchange = HttpExchange {
        request: recorded_request,
        response: json!({"status": status.as_u16(), "headers": redact(&headers), "body": body}),
        pages: None,
    };
    ctx.log(
        LogLevel::Debug,
        format!(
            "{method} {url}{which} → {} in {duration_ms} ms",
            status.as_u16()
        ),
    );
    let output = json!({"status": status.as_u16(), "headers": headers, "body": body, "durationMs": duration_ms});
    Ok(Sent {
        output,
        exchange,
        what: format!("{method} {url}{which}"),
    })
}

fn default_timeout() -> u64 {
    30_000
}
