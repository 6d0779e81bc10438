//! Each n8n node type, as the Flowbench node that does the same. n8n's
//! parameters and their defaults differ across `typeVersion`s; each mapping
//! reads the shapes of the versions found in exports.

use super::conditions;
use super::expressions::{js, rewrite_js, rewrite_template, value, Lost, Scope};
use super::Source;
use crate::model::{Annotation, Position, Size};
use serde_json::{json, Map, Value};

mod code;
mod data;
mod flow;
mod http;
mod switch;
mod triggers;

use code::{code, wrapped_code};
use data::{merge, set};
use flow::{respond, subflow, wait};
use http::{http, json_text};
use switch::switch;
use triggers::{old_schedule, schedule, webhook};

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

fn number(v: Option<&Value>, default: i64) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(default),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(default),
        _ => default,
    }
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

fn number_f(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A workflow id from an n8n name.
pub(super) fn slug(name: &str) -> String {
    slug_with(name, '-').unwrap_or_else(|| "workflow".into())
}

/// A sticky note as an annotation.
pub(super) fn annotation(s: &Source, id: &str, position: Position) -> Annotation {
    let colors = [
        "yellow", "yellow", "orange", "red", "green", "blue", "purple", "gray",
    ];
    Annotation {
        id: id.to_string(),
        text: s.str_param("content", "").to_string(),
        position,
        size: Size {
            width: number(s.param("width"), 240) as f64,
            height: number(s.param("height"), 160) as f64,
        },
        color: s.param("color").and_then(Value::as_u64).map(|c| {
            colors
                .get(c as usize)
                .copied()
                .unwrap_or("yellow")
                .to_string()
        }),
    }
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
