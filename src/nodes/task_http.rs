//! `task.http`: one HTTP request with reqwest (rustls). The request and the
//! response are recorded; a non-2xx status is an error unless `failOnStatus` is false.

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
}

pub struct Http;

impl NodeType for Http {
    type Config = HttpConfig;
    const TYPE: &'static str = "task.http";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "HTTP request";
    const DESCRIPTION: &'static str = "Calls an HTTP service.";

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
    let method = reqwest::Method::from_bytes(config.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| {
            error(
                Code::InvalidConfig,
                format!("config.method \"{}\" is not an HTTP method", config.method),
            )
        })?;
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
    let mut request = ctx
        .shared
        .http
        .request(method.clone(), url.clone())
        .timeout(Duration::from_millis(config.timeout_ms));
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
    let started = Instant::now();
    let sent = tokio::select! {
        r = request.send() => r,
        _ = ctx.shared.cancel.cancelled() => return Err(error(Code::Cancelled, "the run was cancelled")),
    };
    let response = match sent {
        Ok(r) => r,
        Err(e) => {
            ctx.left.lock().expect("node lock").exchange = Some(HttpExchange {
                request: recorded_request,
                response: Value::Null,
            });
            let (code, what) = if e.is_timeout() {
                (
                    Code::HttpTimeout,
                    format!("no answer within {} ms", config.timeout_ms),
                )
            } else if e.is_connect() {
                (Code::HttpUnreachable, "could not connect".to_string())
            } else {
                (Code::HttpError, e.to_string())
            };
            return Err(error(code, format!("{method} {url}: {what}")));
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
    let bytes = response.bytes().await.map_err(|e| {
        error(
            Code::HttpError,
            format!("{method} {url}: reading the body failed: {e}"),
        )
    })?;
    let body_text = String::from_utf8_lossy(&bytes).into_owned();
    let body = if is_json {
        serde_json::from_str(&body_text).unwrap_or(Value::String(body_text.clone()))
    } else {
        Value::String(body_text.clone())
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    let output = json!({"status": status.as_u16(), "headers": headers.clone(), "body": body, "durationMs": duration_ms});
    ctx.left.lock().expect("node lock").exchange = Some(HttpExchange {
        request: recorded_request,
        response: json!({"status": status.as_u16(), "headers": redact(&headers), "body": output["body"]}),
    });
    ctx.log(
        LogLevel::Debug,
        format!("{method} {url} → {} in {duration_ms} ms", status.as_u16()),
    );
    if config.fail_on_status && !status.is_success() {
        let excerpt: String = body_text.chars().take(300).collect();
        return Err(error(
            Code::HttpStatus,
            format!("{method} {url} answered {status}: {excerpt}"),
        ));
    }
    Ok(Step::out(output))
}

fn default_timeout() -> u64 {
    30_000
}
