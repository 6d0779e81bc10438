//! n8n's HTTP Request (versions 1–2 and 3–4.2), its pagination, and the
//! JSON texts and key-value lists its parameters are written in.

use super::*;

/// `{name, value}` pairs (n8n's key-value lists) as an object of values.
pub(super) fn pairs(list: Option<&Value>, scope: &Scope, lost: &mut Lost) -> Map<String, Value> {
    let mut out = Map::new();
    for p in list.and_then(Value::as_array).into_iter().flatten() {
        if let Some(name) = p.get("name").and_then(Value::as_str) {
            out.insert(
                name.into(),
                value(p.get("value").unwrap_or(&Value::Null), scope, lost),
            );
        }
    }
    out
}

/// A JSON text, literal or with `{{ … }}` inside (`={"a": "{{ $json.x }}"}`),
/// as a config value.
pub(super) fn json_text(text: &Value, scope: &Scope, lost: &mut Lost) -> Value {
    let Some(s) = text.as_str() else {
        return value(text, scope, lost);
    };
    let Some(template) = s.strip_prefix('=') else {
        return serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.into()));
    };
    let trimmed = template.trim();
    if trimmed.starts_with("{{") && trimmed.ends_with("}}") && trimmed.matches("{{").count() == 1 {
        return Value::String(rewrite_template(trimmed, scope, lost));
    }
    // Each expression stands in as a placeholder string while the JSON parses.
    let mut text = String::new();
    let mut exprs = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        let before = &rest[..open];
        text.push_str(before);
        let inside_string =
            text.chars().filter(|c| *c == '"').count() - text.matches("\\\"").count();
        let mark = format!("@@flowbench-expression-{}@@", exprs.len());
        let expr = &rest[open..open + close + 2];
        if inside_string % 2 == 1 {
            // Inside quotes n8n writes text, even for a number.
            exprs.push(format!(
                "{{{{ String({}) }}}}",
                &expr[2..expr.len() - 2].trim()
            ));
            text.push_str(&mark);
        } else {
            exprs.push(expr.to_string());
            text.push('"');
            text.push_str(&mark);
            text.push('"');
        }
        rest = &rest[open + close + 2..];
    }
    text.push_str(rest);
    match serde_json::from_str::<Value>(&text) {
        Ok(parsed) => {
            fn fill(v: &mut Value, exprs: &[String], scope: &Scope, lost: &mut Lost) {
                match v {
                    Value::String(s) if s.contains("@@flowbench-expression-") => {
                        let mut out = s.clone();
                        for (i, e) in exprs.iter().enumerate() {
                            out = out.replace(&format!("@@flowbench-expression-{i}@@"), e);
                        }
                        *s = rewrite_template(&out, scope, lost);
                    }
                    Value::Array(items) => {
                        items.iter_mut().for_each(|i| fill(i, exprs, scope, lost))
                    }
                    Value::Object(m) => m.values_mut().for_each(|i| fill(i, exprs, scope, lost)),
                    _ => {}
                }
            }
            let mut parsed = parsed;
            fill(&mut parsed, &exprs, scope, lost);
            parsed
        }
        Err(_) => {
            lost.push((
                "JSON body".into(),
                "not JSON with expressions inside; sent as text".into(),
            ));
            Value::String(rewrite_template(template, scope, lost))
        }
    }
}

pub(super) fn http(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let options = s.param("options").cloned().unwrap_or_else(|| json!({}));
    let mut config = Map::new();
    config.insert(
        "url".into(),
        value(s.param("url").unwrap_or(&json!("")), scope, lost),
    );
    let (method, query, headers, body);
    if s.version < 3.0 {
        method = s.str_param("requestMethod", "GET").to_string();
        let json_params = s
            .param("jsonParameters")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if json_params {
            query = s
                .param("queryParametersJson")
                .map(|q| json_text(q, scope, lost));
            headers = s
                .param("headerParametersJson")
                .map(|h| json_text(h, scope, lost));
            body = s
                .param("bodyParametersJson")
                .map(|b| json_text(b, scope, lost));
        } else {
            let list = |key: &str, lost: &mut Lost| {
                let m = pairs(s.param(key).and_then(|p| p.get("parameter")), scope, lost);
                (!m.is_empty()).then_some(Value::Object(m))
            };
            query = list("queryParametersUi", lost);
            headers = list("headerParametersUi", lost);
            body = list("bodyParametersUi", lost);
        }
    } else {
        method = s.str_param("method", "GET").to_string();
        let on = |key: &str| s.param(key).and_then(Value::as_bool).unwrap_or(false);
        let part = |send: &str, specify: &str, list: &str, json_key: &str, lost: &mut Lost| {
            if !on(send) {
                return None;
            }
            if s.str_param(specify, "keypair") == "json" {
                return s.param(json_key).map(|j| json_text(j, scope, lost));
            }
            let m = pairs(s.param(list).and_then(|p| p.get("parameters")), scope, lost);
            Some(Value::Object(m))
        };
        query = part(
            "sendQuery",
            "specifyQuery",
            "queryParameters",
            "jsonQuery",
            lost,
        );
        headers = part(
            "sendHeaders",
            "specifyHeaders",
            "headerParameters",
            "jsonHeaders",
            lost,
        );
        body = if on("sendBody") {
            match s.str_param("contentType", "json") {
                "raw" => s.param("body").map(|b| value(b, scope, lost)),
                "binaryData" => {
                    lost.push(("binary body".into(), "Flowbench sends JSON or text".into()));
                    None
                }
                kind => {
                    if kind != "json" {
                        lost.push((
                            format!("{kind} body"),
                            "Flowbench sends an object body as JSON".into(),
                        ));
                    }
                    part(
                        "sendBody",
                        "specifyBody",
                        "bodyParameters",
                        "jsonBody",
                        lost,
                    )
                }
            }
        } else {
            None
        };
    }
    config.insert("method".into(), Value::String(method.to_ascii_uppercase()));
    if let Some(q) = query.filter(|q| q.as_object().is_some_and(|m| !m.is_empty())) {
        config.insert("query".into(), q);
    }
    if let Some(h) = headers.filter(|h| h.as_object().is_some_and(|m| !m.is_empty())) {
        config.insert("headers".into(), h);
    }
    if let Some(b) = body {
        config.insert("body".into(), b);
    }
    if let Some(t) = options.get("timeout").and_then(Value::as_u64) {
        config.insert("timeoutMs".into(), json!(t));
    }
    let never_error = options
        .pointer("/response/response/neverError")
        .or_else(|| options.get("neverError"))
        .and_then(Value::as_bool)
        == Some(true);
    if never_error {
        config.insert("failOnStatus".into(), json!(false));
    }
    if item_path(s).is_empty() {
        lost.push((
            "fullResponse".into(),
            "the output is {status, headers, body}: read status, not statusCode".into(),
        ));
    }
    if let Some(p) = options.pointer("/pagination/pagination") {
        if let Some(p) = pagination(p, &config, scope, lost) {
            config.insert("pagination".into(), p);
        }
    }
    for key in [
        "batching",
        "proxy",
        "allowUnauthorizedCerts",
        "lowercaseHeaders",
    ] {
        if options.get(key).is_some() {
            lost.push((format!("options.{key}"), "no Flowbench equivalent".into()));
        }
    }
    if s.param("authentication")
        .and_then(Value::as_str)
        .is_some_and(|a| a != "none")
    {
        lost.push((
            "authentication".into(),
            "credentials are not imported; put the key in a header from $secrets.NAME".into(),
        ));
    }
    Mapped::new("task.http", Value::Object(config))
}

/// n8n's pagination option as Flowbench's `pagination`: a next URL, a page
/// number counted with `$pageCount`, or a cursor read from `$response`.
pub(super) fn pagination(
    p: &Value,
    config: &Map<String, Value>,
    scope: &Scope,
    lost: &mut Lost,
) -> Option<Value> {
    let mut out = Map::new();
    let mode = p
        .get("paginationMode")
        .and_then(Value::as_str)
        .unwrap_or("updateAParameterInEachRequest");
    if mode == "responseContainsNextURL" {
        out.insert(
            "nextUrl".into(),
            value(p.get("nextURL").unwrap_or(&json!("")), scope, lost),
        );
    } else {
        let params: Vec<&Value> = p
            .pointer("/parameters/parameters")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let is_query = |q: &&Value| q.get("type").and_then(Value::as_str).unwrap_or("qs") == "qs";
        let Some(param) = params.iter().copied().find(is_query) else {
            lost.push((
                "pagination".into(),
                "only a query parameter or a next URL can page here; this node fetches the first page only".into(),
            ));
            return None;
        };
        for other in params.iter().filter(|q| !std::ptr::eq(**q, param)) {
            lost.push((
                format!(
                    "pagination parameter {}",
                    other.get("name").and_then(Value::as_str).unwrap_or("?")
                ),
                "only one parameter changes from page to page".into(),
            ));
        }
        let name = param.get("name").and_then(Value::as_str).unwrap_or("page");
        let text = param.get("value").and_then(Value::as_str).unwrap_or("");
        if text.contains("$pageCount") {
            let offset = regex::Regex::new(r"\$pageCount\s*\+\s*(\d+)")
                .ok()
                .and_then(|r| r.captures(text).and_then(|c| c[1].parse::<i64>().ok()))
                .unwrap_or(0);
            // n8n's first request sends the query as it is; the ones after it
            // send the formula, $pageCount being the pages fetched so far.
            let first = config
                .get("query")
                .and_then(|q| q.get(name))
                .and_then(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                })
                .unwrap_or(offset);
            out.insert("param".into(), json!(name));
            out.insert("start".into(), json!(first));
            if first != offset {
                lost.push((
                    format!("pagination parameter {name}"),
                    format!("starts at {first} and counts up by 1"),
                ));
            }
        } else {
            out.insert("cursorParam".into(), json!(name));
            out.insert("cursor".into(), value(&json!(text), scope, lost));
        }
    }
    match p
        .get("paginationCompleteWhen")
        .and_then(Value::as_str)
        .unwrap_or("responseIsEmpty")
    {
        "other" => {
            out.insert(
                "stopWhen".into(),
                value(
                    p.get("completeExpression").unwrap_or(&json!("")),
                    scope,
                    lost,
                ),
            );
        }
        "receiveSpecificStatusCodes" => lost.push((
            "paginationCompleteWhen".into(),
            "paging ends on an empty page or an error status, not on chosen status codes".into(),
        )),
        _ => {}
    }
    if p.get("limitPagesFetched").and_then(Value::as_bool) == Some(true) {
        out.insert(
            "maxPages".into(),
            json!(number(p.get("maxRequests"), 100).max(1)),
        );
        out.insert("onMaxPages".into(), json!("stop"));
    } else {
        // n8n pages without a limit.
        out.insert("maxPages".into(), json!(10_000));
    }
    if number(p.get("requestInterval"), 0) > 0 {
        lost.push((
            "requestInterval".into(),
            "pages are fetched one after another without a pause".into(),
        ));
    }
    Some(Value::Object(out))
}
