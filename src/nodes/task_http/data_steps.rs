//! The data-step modifiers of `task.http` (FORMAT.md): `pagination` fetches
//! page after page, `dataPath` picks each page's records, `fieldMapping`
//! reshapes every record. Their expressions see `$response` (the last page's
//! `{status, headers, body}`), `$page` (0-based) and `$record`.

use super::{check_status, parse_url, send, HttpConfig};
use crate::engine::context::{error, NodeCtx, Step};
use crate::error::Code;
use crate::expr::eval::resolve_string;
use crate::expr::{with_sandbox, Template};
use crate::model::{Diagnostic, ErrorInfo, HttpExchange, HttpPage};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

/// How to fetch the next page: one of `nextUrl`, `param`, `cursorParam`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    /// The next page's URL, from the response; done when it gives null or "".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub next_url: Option<String>,
    /// A query parameter counted up from `start` by `step`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub param: Option<String>,
    #[serde(default = "one")]
    pub start: i64,
    #[serde(default = "one")]
    pub step: i64,
    /// A query parameter that carries `cursor`, taken from each response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cursor_param: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cursor: Option<String>,
    /// Evaluated after each page (that page counts); done when truthy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stop_when: Option<String>,
    #[serde(default = "hundred")]
    pub max_pages: usize,
    /// `"stop"`: reaching `maxPages` ends paging instead of failing the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on_max_pages: Option<String>,
}

fn one() -> i64 {
    1
}
fn hundred() -> usize {
    100
}

/// Validation: one paging mode, and expressions that compile.
pub(super) fn check(config: &HttpConfig, checks: &mut crate::nodes::NodeChecks) {
    let node = checks.node.id.clone();
    let fail = |checks: &mut crate::nodes::NodeChecks, message: String| {
        checks.diagnostics.push(
            Diagnostic::error(Code::InvalidConfig, format!("Node \"{node}\": {message}"))
                .at_node(&node),
        );
    };
    let mut expressions: Vec<(String, &str)> = Vec::new();
    if let Some(p) = &config.pagination {
        let modes = [
            p.next_url.is_some(),
            p.param.is_some(),
            p.cursor_param.is_some(),
        ];
        match modes.iter().filter(|m| **m).count() {
            1 => {}
            0 => fail(
                checks,
                "config.pagination needs one of nextUrl, param or cursorParam".into(),
            ),
            _ => fail(
                checks,
                "config.pagination takes one of nextUrl, param or cursorParam, not several".into(),
            ),
        }
        if p.cursor_param.is_some() && p.cursor.is_none() {
            fail(
                checks,
                "config.pagination.cursorParam needs cursor: where the next cursor is in $response"
                    .into(),
            );
        }
        if p.max_pages == 0 {
            fail(
                checks,
                "config.pagination.maxPages must be at least 1".into(),
            );
        }
        if let Some(o) = p
            .on_max_pages
            .as_deref()
            .filter(|o| *o != "stop" && *o != "fail")
        {
            fail(
                checks,
                format!("config.pagination.onMaxPages is \"stop\" or \"fail\", not \"{o}\""),
            );
        }
        for (key, value) in [
            ("nextUrl", &p.next_url),
            ("cursor", &p.cursor),
            ("stopWhen", &p.stop_when),
        ] {
            if let Some(v) = value {
                expressions.push((format!("config.pagination.{key}"), v.as_str()));
            }
        }
    }
    if let Some(mapping) = &config.field_mapping {
        for (key, value) in mapping {
            match value {
                Value::String(s) => expressions.push((format!("config.fieldMapping.{key}"), s)),
                _ => fail(
                    checks,
                    format!("config.fieldMapping.{key} must be an expression or text"),
                ),
            }
        }
    }
    for (path, text) in expressions {
        if !Template::is_template(text) {
            continue;
        }
        match Template::parse(text) {
            Err(e) => fail(checks, format!("{path}: {e}")),
            Ok(t) => {
                for expr in t.expressions() {
                    if let Err(m) = crate::expr::check_expression_syntax(expr) {
                        fail(
                            checks,
                            format!(
                                "{path}: the expression {{{{ {expr} }}}} does not compile: {m}"
                            ),
                        );
                    }
                    checks.sources.push((path.clone(), expr.to_string()));
                }
            }
        }
    }
}

/// What has been fetched so far; kept in the node's context so that the
/// next attempt goes on from the page that failed.
#[derive(Default)]
struct Progress {
    pages: Vec<HttpPage>,
    records: Vec<Value>,
    /// The URL and query of the next page, when paging goes on.
    next: Option<reqwest::Url>,
    last: Option<Value>,
    duration_ms: u64,
    done: bool,
}

pub(super) async fn run(ctx: &NodeCtx, config: &HttpConfig) -> Result<Step, ErrorInfo> {
    let mut progress: Progress = ctx
        .left
        .lock()
        .expect("node lock")
        .paging
        .take()
        .and_then(|p| p.downcast::<Progress>().ok())
        .map(|p| *p)
        .unwrap_or_default();
    let first = parse_url(config)?;
    let pagination = config.pagination.as_ref();
    while !progress.done {
        let page = progress.pages.len();
        if let Some(p) = pagination {
            if page >= p.max_pages {
                if p.on_max_pages.as_deref() == Some("stop") {
                    ctx.log(
                        crate::model::LogLevel::Info,
                        format!("paging stopped at maxPages ({})", p.max_pages),
                    );
                    break;
                }
                keep(ctx, progress);
                return Err(error(
                    Code::HttpError,
                    format!(
                        "paging reached maxPages ({}) and would fetch page {}; raise maxPages, or set onMaxPages to \"stop\"",
                        p.max_pages,
                        page + 1
                    ),
                ));
            }
        }
        let url = match (&progress.next, pagination) {
            (Some(next), _) => next.clone(),
            (None, Some(p)) if p.param.is_some() => with_param(
                &first,
                p.param.as_deref().unwrap_or(""),
                &p.start.to_string(),
            ),
            _ => first.clone(),
        };
        let sent = match send(ctx, config, url.clone(), pagination.map(|_| page)).await {
            Ok(s) => s,
            Err((e, exchange)) => {
                progress.pages.push(HttpPage {
                    request: exchange.request,
                    response: exchange.response,
                });
                record_pages(ctx, &progress);
                progress.pages.pop();
                keep(ctx, progress);
                return Err(e);
            }
        };
        progress.pages.push(HttpPage {
            request: sent.exchange.request.clone(),
            response: sent.exchange.response.clone(),
        });
        progress.duration_ms += sent.output["durationMs"].as_u64().unwrap_or(0);
        record_pages(ctx, &progress);
        if let Err(e) = check_status(config, &sent.output, &sent.what) {
            progress.pages.pop();
            keep(ctx, progress);
            return Err(e);
        }
        let response = json!({
            "status": sent.output["status"],
            "headers": sent.output["headers"],
            "body": sent.output["body"],
        });
        let records = match records_of(&response["body"], config.data_path.as_deref()) {
            Ok(r) => r,
            Err(m) => return Err(error(Code::HttpError, format!("{}: {m}", sent.what))),
        };
        let empty = records.is_empty();
        progress.records.extend(records);
        progress.last = Some(sent.output);
        let Some(p) = pagination else {
            break;
        };
        // Done: an empty page, stopWhen, or no next page.
        let eval = |text: &str, what: &str| -> Result<Value, ErrorInfo> {
            evaluate(ctx, text, &response, page, None).map_err(|m| {
                error(
                    Code::ExpressionError,
                    format!("config.pagination.{what} failed on page {}: {m}", page + 1),
                )
            })
        };
        if empty {
            break;
        }
        if let Some(stop) = &p.stop_when {
            if truthy(&eval(stop, "stopWhen")?) {
                break;
            }
        }
        progress.next = if let Some(next) = &p.next_url {
            match eval(next, "nextUrl")? {
                Value::String(s) if !s.is_empty() => Some(url.join(&s).map_err(|e| {
                    error(
                        Code::HttpError,
                        format!("config.pagination.nextUrl gave \"{s}\" on page {}, which is not an address: {e}", page + 1),
                    )
                })?),
                _ => None,
            }
        } else if let Some(param) = &p.param {
            let value = p.start + p.step * (page as i64 + 1);
            Some(with_param(&first, param, &value.to_string()))
        } else if let (Some(param), Some(cursor)) = (&p.cursor_param, &p.cursor) {
            match eval(cursor, "cursor")? {
                Value::Null => None,
                Value::String(s) if s.is_empty() => None,
                Value::String(s) => Some(with_param(&first, param, &s)),
                other => Some(with_param(&first, param, &other.to_string())),
            }
        } else {
            None
        };
        if progress.next.is_none() {
            progress.done = true;
        }
    }
    let mut records = std::mem::take(&mut progress.records);
    if let Some(mapping) = &config.field_mapping {
        records = map_fields(ctx, mapping, records)?;
    }
    let mut output = progress.last.take().unwrap_or(Value::Null);
    output["durationMs"] = json!(progress.duration_ms);
    output["records"] = Value::Array(records);
    output["pages"] = json!(progress.pages.len());
    Ok(Step::out(output))
}

/// Keeps what was fetched for the next attempt.
fn keep(ctx: &NodeCtx, progress: Progress) {
    ctx.left.lock().expect("node lock").paging = Some(Box::new(progress));
}

/// The node's HTTP record: every page, the last one as its request and response.
fn record_pages(ctx: &NodeCtx, progress: &Progress) {
    let last = progress.pages.last().cloned().unwrap_or(HttpPage {
        request: Value::Null,
        response: Value::Null,
    });
    ctx.left.lock().expect("node lock").exchange = Some(HttpExchange {
        request: last.request,
        response: last.response,
        pages: Some(progress.pages.clone()),
    });
}

/// The URL with one query parameter set (replaced when present).
fn with_param(url: &reqwest::Url, name: &str, value: &str) -> reqwest::Url {
    let mut url = url.clone();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut pairs = url.query_pairs_mut();
        pairs.clear();
        for (k, v) in &kept {
            pairs.append_pair(k, v);
        }
        pairs.append_pair(name, value);
    }
    url
}

/// A page's records: the array at `dataPath`; without one, the body's.
fn records_of(body: &Value, data_path: Option<&str>) -> Result<Vec<Value>, String> {
    let Some(path) = data_path.filter(|p| !p.is_empty()) else {
        // Without dataPath: a list's elements; an empty body none; any other
        // body is one record (as n8n makes each page's body an item).
        return Ok(match body {
            Value::Array(items) => items.clone(),
            Value::Null => Vec::new(),
            Value::String(s) if s.is_empty() => Vec::new(),
            other => vec![other.clone()],
        });
    };
    let mut at = body;
    for key in path.split('.') {
        at = match at {
            Value::Object(m) => m.get(key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
        .ok_or_else(|| format!("the body has nothing at dataPath \"{path}\" (no \"{key}\")"))?;
    }
    match at {
        Value::Array(items) => Ok(items.clone()),
        Value::Null => Ok(Vec::new()),
        other => Err(format!(
            "dataPath \"{path}\" holds {}, not a list of records",
            kind(other)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Each record becomes exactly the mapping's keys.
fn map_fields(
    ctx: &NodeCtx,
    mapping: &Map<String, Value>,
    records: Vec<Value>,
) -> Result<Vec<Value>, ErrorInfo> {
    let mut out = Vec::with_capacity(records.len());
    for (index, record) in records.iter().enumerate() {
        let mut mapped = Map::new();
        for (key, expr) in mapping {
            let value = match expr {
                Value::String(text) => {
                    evaluate(ctx, text, &Value::Null, 0, Some(record)).map_err(|m| {
                        error(
                            Code::ExpressionError,
                            format!("config.fieldMapping.{key} failed on record {index}: {m}"),
                        )
                    })?
                }
                other => other.clone(),
            };
            mapped.insert(key.clone(), value);
        }
        out.push(Value::Object(mapped));
    }
    Ok(out)
}

/// An expression of a data step, in the node's scope with `$response`,
/// `$page` and `$record`.
fn evaluate(
    ctx: &NodeCtx,
    text: &str,
    response: &Value,
    page: usize,
    record: Option<&Value>,
) -> Result<Value, String> {
    let mut scope = ctx.scope();
    scope.response = Some(response);
    scope.page = Some(page);
    scope.record = record;
    with_sandbox(|sb| resolve_string(text, &scope, sb, ctx.limits)).map_err(|e| e.to_string())
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}
