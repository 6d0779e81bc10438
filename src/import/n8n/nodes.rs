//! Each n8n node type, as the Flowbench node that does the same. n8n's
//! parameters and their defaults differ across `typeVersion`s; each mapping
//! reads the shapes of the versions found in exports.

use super::conditions;
use super::expressions::{js, rewrite_js, rewrite_template, value, Lost, Scope};
use super::Source;
use crate::model::Position;
use serde_json::{json, Map, Value};

/// A mapped node: its type and config, and the port each n8n output leads to.
pub(super) struct Mapped {
    pub node_type: String,
    pub config: Map<String, Value>,
    /// Port names by n8n output index.
    pub ports: Vec<String>,
    /// Further configs of the same node (a schedule's further rules).
    pub copies: Vec<Map<String, Value>>,
    /// Added to the node's notes.
    pub note: Option<String>,
    /// A stand-in for a node that has no equivalent.
    pub placeholder: bool,
}

impl Mapped {
    fn new(node_type: &str, config: Value) -> Mapped {
        Mapped {
            node_type: node_type.into(),
            config: config.as_object().cloned().unwrap_or_default(),
            ports: vec!["out".into()],
            copies: Vec::new(),
            note: None,
            placeholder: false,
        }
    }
    fn ports(mut self, ports: &[&str]) -> Mapped {
        self.ports = ports.iter().map(|p| p.to_string()).collect();
        self
    }
}

/// What a mapping knows of the node's surroundings.
pub(super) struct Around<'a> {
    pub scope: &'a Scope<'a>,
    /// The nodes connected into this one: (n8n input index, Flowbench id).
    pub inputs: &'a [(usize, String)],
    /// Where n8n's item is in each of their outputs (`item_path`).
    pub input_paths: &'a std::collections::BTreeMap<String, &'static str>,
    pub timezone: Option<&'a str>,
}

/// Where n8n's item is in a node's Flowbench output: the output itself, its
/// `body` (an HTTP request), or its `records` (a paged HTTP request, whose
/// items are every page's).
pub(super) fn item_path(s: &Source) -> &'static str {
    if s.base_type() != Some("httpRequest") {
        return "";
    }
    let options = s.params.get("options");
    let full = |pointer: &str| {
        options
            .and_then(|o| o.pointer(pointer))
            .and_then(Value::as_bool)
            == Some(true)
    };
    if full("/response/response/fullResponse") || full("/fullResponse") {
        ""
    } else if options.and_then(|o| o.get("pagination")).is_some() {
        ".records"
    } else {
        ".body"
    }
}

pub(super) fn map(s: &Source, around: &Around, lost: &mut Lost) -> Mapped {
    let scope = around.scope;
    match s.base_type() {
        Some("manualTrigger" | "start" | "executeWorkflowTrigger") => {
            Mapped::new("trigger.manual", json!({}))
        }
        Some("webhook") => webhook(s, lost),
        Some("scheduleTrigger") => schedule(s, around.timezone, lost),
        Some("cron" | "interval") => old_schedule(s, around.timezone, lost),
        Some("httpRequest") => http(s, scope, lost),
        Some("if") => {
            let condition = if s.version < 2.0 {
                conditions::v1(&s.params, scope, lost)
            } else {
                conditions::filter(s.param("conditions").unwrap_or(&Value::Null), scope, lost)
            };
            Mapped::new(
                "condition.if",
                json!({ "condition": format!("{{{{ {condition} }}}}") }),
            )
            .ports(&["true", "false"])
        }
        Some("filter") => {
            let condition = if s.version < 2.0 {
                conditions::v1(&s.params, scope, lost)
            } else {
                conditions::filter(s.param("conditions").unwrap_or(&Value::Null), scope, lost)
            };
            lost.push((
                "filter".into(),
                "items that do not match stop at the condition's false port".into(),
            ));
            Mapped::new(
                "condition.if",
                json!({ "condition": format!("{{{{ {condition} }}}}") }),
            )
            .ports(&["true"])
        }
        Some("switch") => switch(s, scope, lost),
        Some("code") => code(s, scope, lost),
        Some("function") => {
            let body = s.str_param("functionCode", "return items;");
            wrapped_code(body, false, scope, lost)
        }
        Some("functionItem") => {
            let body = s.str_param("functionCode", "return item;");
            wrapped_code(body, true, scope, lost)
        }
        Some("set") => set(s, scope, lost),
        Some("merge") => merge(s, around, lost),
        Some("noOp") => Mapped::new("task.code", json!({ "code": "return $input;" })),
        Some("wait") => wait(s, scope, lost),
        Some("executeWorkflow") => subflow(s, scope, lost),
        Some("respondToWebhook") => respond(s, scope, lost),
        Some("splitInBatches") => {
            if s.version < 3.0 {
                lost.push((
                    "batches".into(),
                    "Split In Batches before version 3 is mapped as one pass over all items".into(),
                ));
            }
            Mapped::new(
                "task.code",
                json!({ "code": format!("return [].concat({} ?? []);", scope.json) }),
            )
            .ports(&["out", "out"])
        }
        _ if is_trigger(s) => {
            lost.push((
                s.full_type.clone(),
                "this trigger has no Flowbench equivalent; it is a manual trigger".into(),
            ));
            Mapped::new("trigger.manual", json!({}))
        }
        _ => unmapped(s, "this node type has no Flowbench equivalent", lost),
    }
}

fn is_trigger(s: &Source) -> bool {
    let t = s.full_type.to_ascii_lowercase();
    t.ends_with("trigger") || t.ends_with(".start")
}

/// A placeholder that keeps the graph's shape and fails when run.
fn unmapped(s: &Source, why: &str, lost: &mut Lost) -> Mapped {
    lost.push((
        s.full_type.clone(),
        format!("{why}; it is a placeholder that fails with unmapped_node"),
    ));
    let message = format!(
        "unmapped_node: the n8n node \"{}\" ({}) was not imported; replace this placeholder",
        s.name, s.full_type
    );
    let mut m = Mapped::new(
        "task.code",
        json!({ "code": format!("throw new Error({});", Value::String(message)) }),
    );
    m.note = Some(format!(
        "Imported from n8n: {} version {}\nparameters: {}",
        s.full_type,
        s.version,
        Value::Object(s.params.clone())
    ));
    // Every output of the original leads on, so the graph keeps its shape.
    m.ports = vec!["out".into(); 8];
    m.placeholder = true;
    m
}

fn webhook(s: &Source, lost: &mut Lost) -> Mapped {
    let path = s
        .param("path")
        .and_then(Value::as_str)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .or_else(|| {
            s.raw
                .get("webhookId")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "hook".into());
    let path = format!("/{}", path.trim_start_matches('/'));
    let method = s.str_param("httpMethod", "GET").to_ascii_uppercase();
    let mut config = json!({ "path": path, "method": method });
    match s.str_param("responseMode", "onReceived") {
        "onReceived" => config["respond"] = json!("immediately"),
        "lastNode" | "responseNode" => {}
        other => lost.push((
            format!("responseMode {other}"),
            "answers when the run is done".into(),
        )),
    }
    if s.param("authentication")
        .and_then(Value::as_str)
        .is_some_and(|a| a != "none")
    {
        lost.push((
            "authentication".into(),
            "Flowbench webhooks take their own token (docs/service.md)".into(),
        ));
    }
    Mapped::new("trigger.webhook", config)
}

fn number(v: Option<&Value>, default: i64) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(default),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(default),
        _ => default,
    }
}

fn schedule_config(cron: String, timezone: Option<&str>) -> Map<String, Value> {
    let mut c = Map::new();
    c.insert("cron".into(), Value::String(cron));
    if let Some(tz) = timezone {
        c.insert("timezone".into(), Value::String(tz.into()));
    }
    c
}

fn schedule(s: &Source, timezone: Option<&str>, lost: &mut Lost) -> Mapped {
    let rules: Vec<Value> = s
        .param("rule")
        .and_then(|r| r.get("interval"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_else(|| vec![json!({})]);
    let mut crons = Vec::new();
    for rule in &rules {
        let n = |key: &str, default: i64| number(rule.get(key), default);
        let every = |k: i64| {
            if k <= 1 {
                "*".to_string()
            } else {
                format!("*/{k}")
            }
        };
        let cron = match rule.get("field").and_then(Value::as_str).unwrap_or("days") {
            "cronExpression" => rule
                .get("expression")
                .and_then(Value::as_str)
                .unwrap_or("0 0 * * *")
                .trim()
                .to_string(),
            "seconds" => format!("{} * * * * *", every(n("secondsInterval", 30))),
            "minutes" => format!("{} * * * *", every(n("minutesInterval", 5))),
            "hours" => format!(
                "{} {} * * *",
                n("triggerAtMinute", 0),
                every(n("hoursInterval", 1))
            ),
            "weeks" => {
                if n("weeksInterval", 1) > 1 {
                    lost.push((
                        "weeksInterval".into(),
                        "a cron fires every week; every N weeks cannot be written".into(),
                    ));
                }
                let days: Vec<String> = rule
                    .get("triggerAtDay")
                    .and_then(Value::as_array)
                    .map(|d| d.iter().map(|v| number(Some(v), 0).to_string()).collect())
                    .filter(|d: &Vec<String>| !d.is_empty())
                    .unwrap_or_else(|| vec!["0".into()]);
                format!(
                    "{} {} * * {}",
                    n("triggerAtMinute", 0),
                    n("triggerAtHour", 0),
                    days.join(",")
                )
            }
            "months" => format!(
                "{} {} {} {} *",
                n("triggerAtMinute", 0),
                n("triggerAtHour", 0),
                n("triggerAtDayOfMonth", 1),
                every(n("monthsInterval", 1))
            ),
            _ => format!(
                "{} {} {} * *",
                n("triggerAtMinute", 0),
                n("triggerAtHour", 0),
                every(n("daysInterval", 1))
            ),
        };
        crons.push(cron);
    }
    schedules(crons, timezone)
}

fn schedules(crons: Vec<String>, timezone: Option<&str>) -> Mapped {
    let mut crons = crons.into_iter();
    let first = crons.next().unwrap_or_else(|| "0 0 * * *".into());
    let mut m = Mapped::new(
        "trigger.schedule",
        Value::Object(schedule_config(first, timezone)),
    );
    m.copies = crons.map(|c| schedule_config(c, timezone)).collect();
    m
}

/// The Cron and Interval nodes of n8n before the Schedule Trigger.
fn old_schedule(s: &Source, timezone: Option<&str>, lost: &mut Lost) -> Mapped {
    if s.base_type() == Some("interval") {
        let k = number(s.param("interval"), 1).max(1);
        let cron = match s.str_param("unit", "seconds") {
            "minutes" => format!("*/{k} * * * *"),
            "hours" => format!("0 */{k} * * *"),
            _ => format!("*/{k} * * * * *"),
        };
        return schedules(vec![cron], timezone);
    }
    let mut crons = Vec::new();
    for item in s
        .param("triggerTimes")
        .and_then(|t| t.get("item"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let n = |key: &str, default: i64| number(item.get(key), default);
        crons.push(
            match item
                .get("mode")
                .and_then(Value::as_str)
                .unwrap_or("everyDay")
            {
                "everyMinute" => "* * * * *".to_string(),
                "everyHour" => format!("{} * * * *", n("minute", 0)),
                "everyWeek" => format!(
                    "{} {} * * {}",
                    n("minute", 0),
                    n("hour", 14),
                    n("weekday", 1)
                ),
                "everyMonth" => format!(
                    "{} {} {} * *",
                    n("minute", 0),
                    n("hour", 14),
                    n("dayOfMonth", 1)
                ),
                "everyX" => {
                    let k = n("value", 2).max(1);
                    match item.get("unit").and_then(Value::as_str).unwrap_or("hours") {
                        "minutes" => format!("*/{k} * * * *"),
                        _ => format!("0 */{k} * * *"),
                    }
                }
                "custom" => item
                    .get("cronExpression")
                    .and_then(Value::as_str)
                    .unwrap_or("* * * * *")
                    .to_string(),
                _ => format!("{} {} * * *", n("minute", 0), n("hour", 14)),
            },
        );
    }
    if crons.is_empty() {
        lost.push((
            "triggerTimes".into(),
            "none set; it fires daily at midnight".into(),
        ));
    }
    schedules(crons, timezone)
}

/// `{name, value}` pairs (n8n's key-value lists) as an object of values.
fn pairs(list: Option<&Value>, scope: &Scope, lost: &mut Lost) -> Map<String, Value> {
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
fn json_text(text: &Value, scope: &Scope, lost: &mut Lost) -> Value {
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

fn http(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
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
fn pagination(
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

fn switch(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let mut tests: Vec<(String, usize)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut fallback: Option<usize> = None;
    let mode = s.str_param("mode", "rules");
    let options = s.param("options").cloned().unwrap_or_else(|| json!({}));
    if mode == "expression" {
        let outputs =
            number(s.param("numberOutputs").or(s.param("outputsAmount")), 4).clamp(1, 64) as usize;
        let index = js(s.param("output").unwrap_or(&json!(0)), scope, lost);
        names = (0..outputs).map(|i| format!("output_{i}")).collect();
        let cases: Vec<Value> = (0..outputs)
            .map(|i| json!({"port": names[i], "equals": i}))
            .collect();
        let mut m = Mapped::new(
            "condition.switch",
            json!({ "value": format!("{{{{ Number({index}) }}}}"), "cases": cases }),
        );
        m.ports = names;
        return m;
    }
    if s.version < 3.0 {
        let kind = s.str_param("dataType", "number");
        let left = js(s.param("value1").unwrap_or(&Value::Null), scope, lost);
        let mut max = 0;
        for rule in s
            .param("rules")
            .and_then(|r| r.get("rules"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let operation = rule
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("equal");
            let mut params = Map::new();
            params.insert(
                "conditions".into(),
                json!({ kind: [{"value1": s.param("value1").cloned().unwrap_or(Value::Null), "operation": operation, "value2": rule.get("value2").cloned().unwrap_or(Value::Null)}] }),
            );
            let _ = &left;
            let output = number(rule.get("output"), 0).max(0) as usize;
            max = max.max(output);
            tests.push((conditions::v1(&params, scope, lost), output));
        }
        let fb = number(s.param("fallbackOutput"), -1);
        if fb >= 0 {
            fallback = Some(fb as usize);
            max = max.max(fb as usize);
        }
        names = (0..=max).map(|i| format!("output_{i}")).collect();
    } else {
        let rules = s
            .param("rules")
            .and_then(|r| r.get("values").or_else(|| r.get("rules")))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, rule) in rules.iter().enumerate() {
            let condition =
                conditions::filter(rule.get("conditions").unwrap_or(&Value::Null), scope, lost);
            tests.push((condition, i));
            let renamed = rule.get("renameOutput").and_then(Value::as_bool) == Some(true);
            let key = rule
                .get("outputKey")
                .and_then(Value::as_str)
                .filter(|_| renamed);
            let mut name = key.map_or_else(|| format!("output_{i}"), port_name);
            if names.contains(&name) {
                name = format!("{name}_{i}");
            }
            names.push(name);
        }
        match options.get("fallbackOutput") {
            Some(Value::String(e)) if e == "extra" => {
                fallback = Some(names.len());
                names.push(
                    options
                        .get("renameFallbackOutput")
                        .and_then(Value::as_str)
                        .map_or_else(|| "fallback".into(), port_name),
                );
            }
            Some(v) => {
                let k = number(Some(v), -1);
                if k >= 0 && (k as usize) < names.len() {
                    fallback = Some(k as usize);
                }
            }
            None => {}
        }
        if options.get("allMatchingOutputs").and_then(Value::as_bool) == Some(true) {
            lost.push((
                "allMatchingOutputs".into(),
                "a Flowbench switch takes the first matching case only".into(),
            ));
        }
    }
    let mut value = String::new();
    for (test, output) in &tests {
        value.push_str(&format!("({test}) ? {output} : "));
    }
    value.push_str(&fallback.map_or("-1".to_string(), |f| f.to_string()));
    let cases: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, port)| json!({"port": port, "equals": i}))
        .collect();
    let mut m = Mapped::new(
        "condition.switch",
        json!({ "value": format!("{{{{ {value} }}}}"), "cases": cases }),
    );
    m.ports = names;
    m
}

/// A name n8n shows as an output, as a port name.
fn port_name(key: &str) -> String {
    slug_with(key, '_').unwrap_or_else(|| "output".into())
}

/// A name in lowercase ASCII letters and digits, runs of anything else
/// made one `separator`; none when nothing is left.
pub(super) fn slug_with(name: &str, separator: char) -> Option<String> {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = mapped.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(&separator.to_string()))
}

fn code(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let language = s.str_param("language", "javaScript");
    if language != "javaScript" {
        return unmapped(s, "Python code nodes are not imported yet", lost);
    }
    let per_item = s.str_param("mode", "runOnceForAllItems") == "runOnceForEachItem";
    let default = if per_item {
        "return $input.item;"
    } else {
        "return $input.all();"
    };
    let body = s.str_param("jsCode", default);
    wrapped_code(body, per_item, scope, lost)
}

/// n8n code inside a wrapper that gives it n8n's item model: `$input.all()`,
/// `$input.first()`, `$input.item`, `$json`, `items`, `item`; what it
/// returns (items, or plain objects) becomes the output: one item as the
/// object itself, several as an array.
fn wrapped_code(body: &str, per_item: bool, scope: &Scope, lost: &mut Lost) -> Mapped {
    let mut body = rewrite_js(body, scope, true, lost);
    if body.contains("await ") {
        body = body.replace("await ", "");
        lost.push((
            "await".into(),
            "removed: Flowbench code runs synchronously".into(),
        ));
    }
    for (needle, what) in [
        ("this.helpers", "this.helpers"),
        ("require(", "require()"),
        ("$getWorkflowStaticData", "$getWorkflowStaticData"),
    ] {
        if body.contains(needle) {
            lost.push((
                what.into(),
                "the sandbox has no such thing; the code fails where it is used".into(),
            ));
        }
    }
    let input = &scope.json;
    let unwrap = "const __out = [].concat(__result ?? []).map((i) => (i && typeof i === 'object' && 'json' in i ? i.json : i));\nreturn __out.length === 1 ? __out[0] : __out;";
    let indented: String = body.lines().map(|l| format!("  {l}\n")).collect();
    let code = if per_item {
        format!(
            "// n8n code, once per item; its items are this node's input.\nconst __result = [].concat({input} ?? []).map((__json, __index) => (function ($input, $json, item, $itemIndex) {{\n{indented}}})({{ item: {{ json: __json }} }}, __json, __json, __index));\n{unwrap}"
        )
    } else {
        format!(
            "// n8n code, once for all items; its items are this node's input.\nconst __items = [].concat({input} ?? []).map((json) => ({{ json }}));\nconst __result = (function ($input, $json, items) {{\n{indented}}})({{ all: () => __items, first: () => __items[0], last: () => __items[__items.length - 1], item: __items[0] }}, __items[0] && __items[0].json, __items);\n{unwrap}"
        )
    };
    Mapped::new("task.code", json!({ "code": code }))
}

/// A Set assignment's value, typed as n8n's field type says.
fn typed(v: &Value, kind: &str, scope: &Scope, lost: &mut Lost) -> Value {
    if let Some(s) = v.as_str().filter(|s| !s.starts_with('=')) {
        let parsed = match kind {
            "number" | "numberValue" => s.trim().parse::<f64>().ok().map(|n| json!(n)),
            "boolean" | "booleanValue" => s.trim().parse::<bool>().ok().map(Value::Bool),
            "array" | "object" | "arrayValue" | "objectValue" => serde_json::from_str(s).ok(),
            _ => None,
        };
        if let Some(p) = parsed {
            return match p.as_f64() {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => json!(n as i64),
                _ => p,
            };
        }
    }
    value(v, scope, lost)
}

fn set(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let mut values = Map::new();
    let keep_input;
    if s.version < 3.0 {
        for (kind, list) in s
            .param("values")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for field in list.as_array().into_iter().flatten() {
                if let Some(name) = field.get("name").and_then(Value::as_str) {
                    let v = field.get("value").cloned().unwrap_or(match kind.as_str() {
                        "number" => json!(0),
                        "boolean" => json!(false),
                        _ => json!(""),
                    });
                    values.insert(name.into(), typed(&v, kind, scope, lost));
                }
            }
        }
        keep_input = !s
            .param("keepOnlySet")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    } else {
        if s.str_param("mode", "manual") == "raw" {
            let output = json_text(s.param("jsonOutput").unwrap_or(&json!("{}")), scope, lost);
            let keep = s
                .param("includeOtherFields")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let code = if keep {
                format!(
                    "return Object.assign({{}}, {}, {});",
                    scope.json,
                    js_of(&output)
                )
            } else {
                format!("return {};", js_of(&output))
            };
            return Mapped::new("task.code", json!({ "code": code }));
        }
        if let Some(list) = s
            .param("assignments")
            .and_then(|a| a.get("assignments"))
            .and_then(Value::as_array)
        {
            for a in list {
                if let Some(name) = a.get("name").and_then(Value::as_str) {
                    let kind = a.get("type").and_then(Value::as_str).unwrap_or("string");
                    values.insert(
                        name.into(),
                        typed(a.get("value").unwrap_or(&Value::Null), kind, scope, lost),
                    );
                }
            }
        }
        for field in s
            .param("fields")
            .and_then(|f| f.get("values"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = field.get("name").and_then(Value::as_str) {
                let kind = field
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("stringValue");
                let v = field.get(kind).cloned().unwrap_or(Value::Null);
                values.insert(name.into(), typed(&v, kind, scope, lost));
            }
        }
        let include = s
            .param("includeOtherFields")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        keep_input = include && s.str_param("include", "all") != "none";
        if include && matches!(s.str_param("include", "all"), "selected" | "except") {
            lost.push((
                format!("include {}", s.str_param("include", "all")),
                "every input field is kept".into(),
            ));
        }
    }
    if !keep_input {
        return Mapped::new("task.set", json!({ "values": values }));
    }
    // The input's fields, then the ones set: task.set gives only its values.
    let assigned: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), js_of(v)))
        .collect();
    Mapped::new(
        "task.code",
        json!({ "code": format!("return Object.assign({{}}, {}, {{ {} }});", scope.json, assigned.join(", ")) }),
    )
}

/// A Flowbench config value (literals and `{{ }}` templates) as JavaScript.
fn js_of(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let t = s.trim();
            if t.starts_with("{{") && t.ends_with("}}") && t.matches("{{").count() == 1 {
                format!("({})", &t[2..t.len() - 2].trim())
            } else if s.contains("{{") {
                let mut out = String::from("`");
                let mut rest = s.as_str();
                while let Some(open) = rest.find("{{") {
                    let Some(close) = rest[open..].find("}}") else {
                        break;
                    };
                    out.push_str(&rest[..open].replace('`', "\\`").replace("${", "\\${"));
                    out.push_str(&format!("${{{}}}", rest[open + 2..open + close].trim()));
                    rest = &rest[open + close + 2..];
                }
                out.push_str(&rest.replace('`', "\\`").replace("${", "\\${"));
                out.push('`');
                out
            } else {
                v.to_string()
            }
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(js_of).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), js_of(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn merge(s: &Source, around: &Around, lost: &mut Lost) -> Mapped {
    // Each input's items, read from the node connected to it: a branch that
    // did not run gives none.
    let list = |index: usize| -> String {
        let sources: Vec<String> = around
            .inputs
            .iter()
            .filter(|(i, _)| *i == index)
            .map(|(_, id)| {
                let body = around.input_paths.get(id).copied().unwrap_or("");
                format!("...($nodes.{id}?.status === 'succeeded' ? [].concat($nodes.{id}.output{body} ?? []) : [])")
            })
            .collect();
        format!("[{}]", sources.join(", "))
    };
    let (a, b) = (list(0), list(1));
    let mode = s.str_param("mode", "append");
    let by_fields = |f1: &str, f2: &str| {
        format!(
            "a.flatMap((x) => b.filter((y) => y[{f2}] === x[{f1}]).map((y) => Object.assign({{}}, x, y)))",
            f1 = Value::String(f1.into()),
            f2 = Value::String(f2.into())
        )
    };
    let fields = || -> (String, String) {
        let pair = s
            .param("mergeByFields")
            .or(s.param("fields"))
            .and_then(|f| f.get("values"))
            .and_then(Value::as_array)
            .and_then(|v| v.first())
            .map(|p| {
                (
                    p.get("field1")
                        .and_then(Value::as_str)
                        .unwrap_or("id")
                        .to_string(),
                    p.get("field2")
                        .and_then(Value::as_str)
                        .unwrap_or("id")
                        .to_string(),
                )
            });
        pair.unwrap_or_else(|| {
            let f = s
                .param("fieldsToMatchString")
                .and_then(Value::as_str)
                .unwrap_or("id")
                .split(',')
                .next()
                .unwrap_or("id")
                .trim()
                .to_string();
            (f.clone(), f)
        })
    };
    let combined = match mode {
        "append" => "[...a, ...b]".to_string(),
        "mergeByIndex" | "combineByPosition" => {
            "Array.from({ length: Math.min(a.length, b.length) }, (_, i) => Object.assign({}, a[i], b[i]))".into()
        }
        "multiplex" | "combineAll" => "a.flatMap((x) => b.map((y) => Object.assign({}, x, y)))".into(),
        "mergeByKey" => by_fields(
            s.str_param("propertyName1", "id"),
            s.str_param("propertyName2", "id"),
        ),
        "combine" => match (
            s.str_param("combinationMode", ""),
            s.str_param("combineBy", "combineByFields"),
        ) {
            ("mergeByPosition", _) | ("", "combineByPosition") => {
                "Array.from({ length: Math.min(a.length, b.length) }, (_, i) => Object.assign({}, a[i], b[i]))".into()
            }
            ("multiplex", _) | ("", "combineAll") => "a.flatMap((x) => b.map((y) => Object.assign({}, x, y)))".into(),
            _ => {
                let join = s.str_param("joinMode", "keepMatches");
                if join != "keepMatches" {
                    lost.push((format!("joinMode {join}"), "only matches are kept".into()));
                }
                let (f1, f2) = fields();
                by_fields(&f1, &f2)
            }
        },
        "chooseBranch" | "passThrough" | "wait" => {
            let second = s.str_param("output", "input1") == "input2"
                || number(s.param("useDataOfInput"), 1) == 2;
            if s.str_param("output", "") == "empty" || s.str_param("chooseBranchMode", "") == "waitForBothInputs" && s.str_param("output", "") == "empty" {
                "[{}]".into()
            } else if second {
                "b".into()
            } else {
                "a".into()
            }
        }
        other => {
            lost.push((
                format!("mode {other}"),
                "not mapped; the inputs are appended".into(),
            ));
            "[...a, ...b]".into()
        }
    };
    let code = format!(
        "// n8n Merge ({mode}): input 1 and input 2 are the outputs of the nodes connected to each.\nconst a = {a};\nconst b = {b};\nconst out = {combined};\nreturn out.length === 1 ? out[0] : out;"
    );
    Mapped::new("task.code", json!({ "code": code }))
}

fn wait(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    match s.str_param("resume", "timeInterval") {
        "timeInterval" => {
            let factor: u64 = match s.str_param("unit", "hours") {
                "seconds" => 1_000,
                "minutes" => 60_000,
                "days" => 86_400_000,
                _ => 3_600_000,
            };
            let ms = match s.param("amount") {
                Some(Value::String(e)) if e.starts_with('=') => {
                    json!(format!(
                        "{{{{ Math.round({} * {factor}) }}}}",
                        js(&Value::String(e.clone()), scope, lost)
                    ))
                }
                Some(v) => json!((number_f(v).unwrap_or(1.0) * factor as f64).round() as u64),
                None => json!(factor),
            };
            Mapped::new("task.delay", json!({ "ms": ms }))
        }
        "specificTime" => {
            let at = js(s.param("dateTime").unwrap_or(&json!("")), scope, lost);
            Mapped::new(
                "task.delay",
                json!({ "ms": format!("{{{{ Math.max(0, new Date({at}).getTime() - Date.now()) }}}}") }),
            )
        }
        other => {
            lost.push((
                format!("resume on {other}"),
                "the run waits for a person's decision instead (a human task)".into(),
            ));
            Mapped::new(
                "task.approval",
                json!({ "title": format!("Resume \"{}\"", s.name), "outcomes": ["resumed"] }),
            )
            .ports(&["resumed"])
        }
    }
}

fn number_f(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn subflow(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let target = match s.str_param("source", "database") {
        "localFile" => s.str_param("workflowPath", "").to_string(),
        "database" => {
            let id = s.param("workflowId");
            let cached = id
                .and_then(|w| w.get("cachedResultName"))
                .and_then(Value::as_str);
            let raw = id
                .and_then(|w| w.get("value").or(Some(w)))
                .and_then(Value::as_str)
                .unwrap_or("");
            match cached {
                Some(name) => slug(name),
                None => slug(raw.trim_start_matches('=')),
            }
        }
        other => {
            return unmapped(
                s,
                &format!("a subworkflow given by {other} cannot be found"),
                lost,
            );
        }
    };
    lost.push((
        "workflow".into(),
        format!("runs the Flowbench workflow \"{target}\" of the same folder; import that n8n workflow too, with this id"),
    ));
    let mut config = json!({ "workflow": target });
    if let Some(inputs) = s
        .param("workflowInputs")
        .and_then(|w| w.get("value"))
        .and_then(Value::as_object)
    {
        if !inputs.is_empty() {
            config["input"] = value(&Value::Object(inputs.clone()), scope, lost);
        }
    }
    Mapped::new("task.subflow", config)
}

/// A workflow id from an n8n name.
pub(super) fn slug(name: &str) -> String {
    slug_with(name, '-').unwrap_or_else(|| "workflow".into())
}

fn respond(s: &Source, scope: &Scope, lost: &mut Lost) -> Mapped {
    let status = s
        .param("options")
        .and_then(|o| o.get("responseCode"))
        .map(|c| number(Some(c), 200))
        .unwrap_or(200);
    let mut config = json!({ "status": status });
    match s.str_param("respondWith", "firstIncomingItem") {
        "json" => {
            config["body"] = json_text(s.param("responseBody").unwrap_or(&json!("{}")), scope, lost)
        }
        "text" => {
            config["body"] = value(s.param("responseBody").unwrap_or(&json!("")), scope, lost)
        }
        "noData" => config["body"] = json!(""),
        "firstIncomingItem" | "allIncomingItems" => {
            if scope.json != "$input" {
                config["body"] = json!(format!("{{{{ {} }}}}", scope.json));
            }
        }
        other => lost.push((
            format!("respond with {other}"),
            "answers with the node's input".into(),
        )),
    }
    if s.param("options")
        .and_then(|o| o.get("responseHeaders"))
        .is_some()
    {
        lost.push((
            "responseHeaders".into(),
            "a Flowbench answer is JSON with its own headers".into(),
        ));
    }
    Mapped::new("task.respond", config)
}

/// A sticky note as an annotation.
pub(super) fn annotation(s: &Source, id: &str, position: Position) -> Value {
    let colors = [
        "yellow", "yellow", "orange", "red", "green", "blue", "purple", "gray",
    ];
    let mut a = json!({
        "id": id,
        "text": s.str_param("content", ""),
        "position": serde_json::to_value(position).unwrap_or_default(),
        "size": {"width": number(s.param("width"), 240), "height": number(s.param("height"), 160)},
    });
    if let Some(c) = s.param("color").and_then(Value::as_u64) {
        a["color"] = json!(colors.get(c as usize).copied().unwrap_or("yellow"));
    }
    a
}

/// n8n's items (`[{json}]`) as one output: one item is the object, several an array.
pub(super) fn unwrap_items(items: &Value) -> Value {
    let list: Vec<Value> = items
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i.get("json").cloned().unwrap_or_else(|| i.clone()))
                .collect()
        })
        .unwrap_or_else(|| vec![items.clone()]);
    match <[Value; 1]>::try_from(list) {
        Ok([one]) => one,
        Err(list) => Value::Array(list),
    }
}
