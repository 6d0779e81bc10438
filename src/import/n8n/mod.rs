//! n8n workflow exports, imported as Flowbench workflows (docs/import.md).
//!
//! An export is `{name, nodes, connections, pinData?, settings?}`; nodes are
//! named, and connections join names output by output. The import keeps the
//! graph's shape: every node becomes one node (a schedule with several rules
//! becomes one trigger per rule), positions, names and notes are kept, and a
//! node that has no equivalent stays as a `task.code` placeholder that fails
//! with `unmapped_node`. Whatever is not carried over is named in the report.

mod conditions;
mod expressions;
mod loops;
mod nodes;
mod read;

pub(crate) use read::{Connection, Source};

use crate::error::Code;
use crate::model::{Diagnostic, Edge, Node, OnError, Position, Retry, Workflow};
use expressions::Scope;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use ts_rs::TS;

/// What an import gives: the workflow, its pins (n8n's `pinData`), and what
/// could not be carried over.
#[derive(Debug, Clone)]
pub struct Imported {
    pub workflow: Workflow,
    /// `NAME.pins.json`'s content, when the export pinned data.
    pub pins: Option<Value>,
    pub report: Vec<NotMapped>,
    /// What validating the result found (warnings, and errors only when the
    /// export was not a valid n8n workflow).
    pub diagnostics: Vec<Diagnostic>,
}

/// One thing not carried over: printed as `NODE: what: why`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NotMapped {
    /// The n8n node's name, or `workflow`.
    pub node: String,
    pub what: String,
    pub why: String,
}

impl std::fmt::Display for NotMapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.node, self.what, self.why)
    }
}

/// Why nothing could be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{origin} is not JSON: {message} (line {line}, column {column})")]
    NotJson {
        origin: String,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{origin} is not an n8n workflow export: {what}")]
    NotN8n { origin: String, what: String },
    #[error("{origin}: a connection from \"{from}\" leads to \"{to}\", which is not a node of the workflow")]
    UnknownNode {
        origin: String,
        from: String,
        to: String,
    },
    #[error("{origin}: two nodes are named \"{name}\"; n8n connects nodes by name, so each name must be unique")]
    DuplicateName { origin: String, name: String },
    #[error("{origin}: the nodes {} form a loop; Flowbench's graph has no loops except the Loop Over Items pattern (Loop Over Items → a chain of nodes → back to it)", .nodes.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "))]
    Loop { origin: String, nodes: Vec<String> },
}

impl ImportError {
    pub fn code(&self) -> Code {
        match self {
            ImportError::NotJson { .. } => Code::FileNotJson,
            ImportError::NotN8n { .. } => Code::ImportNotRecognised,
            ImportError::UnknownNode { .. } => Code::ImportUnknownNode,
            ImportError::DuplicateName { .. } => Code::ImportDuplicateName,
            ImportError::Loop { .. } => Code::ImportLoop,
        }
    }
}

/// A workflow id (`[a-z0-9][a-z0-9-]*`) made from a name.
pub fn workflow_id(name: &str) -> String {
    nodes::slug(name)
}

/// Imports an n8n export's text. `origin` names it in errors; `id` is the
/// workflow id to give the result.
pub fn import(text: &str, origin: &str, id: &str) -> Result<Imported, ImportError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ImportError::NotJson {
        origin: origin.into(),
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    import_value(&value, origin, id)
}

pub fn import_value(value: &Value, origin: &str, id: &str) -> Result<Imported, ImportError> {
    let not_n8n = |what: &str| read::not_n8n(origin, what);
    let root = value
        .as_object()
        .ok_or_else(|| not_n8n("it is not a JSON object"))?;
    let raw_nodes = root
        .get("nodes")
        .ok_or_else(|| not_n8n("it has no \"nodes\" list"))?
        .as_array()
        .ok_or_else(|| not_n8n("\"nodes\" is not a list"))?;
    let raw_connections = match root.get("connections") {
        None => return Err(not_n8n("it has no \"connections\" object")),
        Some(Value::Object(c)) => c,
        Some(_) => return Err(not_n8n("\"connections\" is not an object")),
    };

    let (sources, by_name) = read::sources(raw_nodes, origin)?;
    let mut report = Vec::new();
    let mut connections = read::connections(raw_connections, &by_name, origin, &mut report)?;

    let is_note = |s: &Source| s.base_type() == Some("stickyNote");
    let ids = unique_ids(&sources);
    let loops = loops::loops(&sources, &mut connections, origin)?;

    // Which names read an HTTP response: their item is its body.
    let mut names = BTreeMap::new();
    for (i, s) in sources.iter().enumerate() {
        if !is_note(s) {
            names.insert(s.name.clone(), (ids[i].clone(), nodes::item_path(s)));
        }
    }
    let timezone = root
        .get("settings")
        .and_then(|s| s.get("timezone"))
        .and_then(Value::as_str)
        .filter(|t| *t != "DEFAULT")
        .map(str::to_string);

    let mut workflow_nodes: Vec<Node> = Vec::new();
    let mut ports: Vec<Vec<String>> = vec![Vec::new(); sources.len()];
    let mut copies: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut annotations = Vec::new();
    let mut vars = BTreeSet::new();
    let mut triggers = 0;
    for (i, s) in sources.iter().enumerate() {
        let position = s
            .raw
            .get("position")
            .and_then(Value::as_array)
            .map(|p| Position {
                x: p.first().and_then(Value::as_f64).unwrap_or(0.0),
                y: p.get(1).and_then(Value::as_f64).unwrap_or(0.0),
            });
        if is_note(s) {
            annotations.push(nodes::annotation(s, &ids[i], position.unwrap_or_default()));
            continue;
        }
        let mut lost = Vec::new();
        let incoming: Vec<&Connection> = connections.iter().filter(|c| c.to == i).collect();
        let single = match incoming.as_slice() {
            [c] => Some(c.from),
            _ => None,
        };
        let loop_body = loops.body.get(&i);
        let path_of = |from: Option<usize>| from.map_or("", |f| nodes::item_path(&sources[f]));
        let json = match loop_body {
            Some(previous) => format!("$item{}", path_of(*previous)),
            None => format!("$input{}", path_of(single)),
        };
        let scope = Scope {
            names: &names,
            json,
            in_loop: loop_body.is_some(),
        };
        let inputs: Vec<(usize, String)> = incoming
            .iter()
            .map(|c| (c.input, ids[c.from].clone()))
            .collect();
        let input_paths: BTreeMap<String, &'static str> = incoming
            .iter()
            .map(|c| (ids[c.from].clone(), nodes::item_path(&sources[c.from])))
            .collect();
        let mapped = nodes::map(
            s,
            &nodes::Around {
                scope: &scope,
                inputs: &inputs,
                input_paths: &input_paths,
                timezone: timezone.as_deref(),
            },
            &mut lost,
        );
        for text in s.params.values().chain(s.raw.get("parameters")) {
            vars.extend(expressions::vars_read(&text.to_string()));
        }
        ports[i] = mapped.ports.clone();
        let mut node = Node::new(&ids[i], &mapped.node_type, mapped.config.clone());
        node.name = Some(s.name.clone());
        node.notes = s
            .raw
            .get("notes")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        node.position = position;
        node.for_each = loop_body.map(|_| "{{ $input }}".to_string());
        if let Some(note) = &mapped.note {
            node.notes = Some(match node.notes.take() {
                Some(n) => format!("{n}\n\n{note}"),
                None => note.clone(),
            });
        }
        if mapped.placeholder
            && s.raw.get("onError").and_then(Value::as_str) == Some("continueErrorOutput")
        {
            // A placeholder's outputs are unknown; n8n's error output is its
            // last, after the regular ones used.
            let regular = connections
                .iter()
                .filter(|c| c.from == i)
                .map(|c| c.output)
                .max()
                .unwrap_or(0)
                .max(1);
            ports[i].truncate(regular);
        }
        settings(s, &mut node, &mut ports[i], &mut lost);
        if mapped.node_type.starts_with("trigger.") {
            triggers += 1;
        }
        for (what, why) in lost {
            report.push(NotMapped {
                node: s.name.clone(),
                what,
                why,
            });
        }
        // A schedule with several rules: one trigger each, connected alike.
        for (n, config) in mapped.copies.into_iter().enumerate() {
            let mut copy = node.clone();
            copy.id = format!("{}_{}", node.id, n + 2);
            copy.name = Some(format!("{} ({})", s.name, n + 2));
            copy.config = Some(config);
            if let Some(p) = &mut copy.position {
                p.y += 120.0 * (n + 1) as f64;
            }
            copies.entry(i).or_default().push(copy.id.clone());
            triggers += 1;
            workflow_nodes.push(copy);
        }
        workflow_nodes.push(node);
    }

    let mut edges = Vec::new();
    let mut seen = BTreeSet::new();
    for c in &connections {
        if is_note(&sources[c.from]) || is_note(&sources[c.to]) {
            continue;
        }
        let Some(port) = ports[c.from].get(c.output) else {
            report.push(NotMapped {
                node: sources[c.from].name.clone(),
                what: format!("output {} to \"{}\"", c.output, sources[c.to].name),
                why: "the Flowbench node has no such port".into(),
            });
            continue;
        };
        let froms = std::iter::once(ids[c.from].clone())
            .chain(copies.get(&c.from).cloned().unwrap_or_default());
        for from in froms {
            if !seen.insert((from.clone(), port.clone(), ids[c.to].clone())) {
                continue;
            }
            edges.push(Edge {
                id: format!("e{}", edges.len() + 1),
                from,
                from_port: (port != "out").then(|| port.clone()),
                to: ids[c.to].clone(),
                extra: Map::new(),
            });
        }
    }

    if triggers == 0 {
        // Before triggers were required, n8n ran a workflow from its first
        // nodes: a manual trigger starts them here.
        let start = unique(&ids, "start");
        let with_input: BTreeSet<&str> = edges.iter().map(|e| e.to.as_str()).collect();
        let roots: Vec<String> = workflow_nodes
            .iter()
            .filter(|n| !with_input.contains(n.id.as_str()))
            .map(|n| n.id.clone())
            .collect();
        for root in roots {
            edges.push(Edge {
                id: format!("e{}", edges.len() + 1),
                from: start.clone(),
                from_port: None,
                to: root,
                extra: Map::new(),
            });
        }
        let x = workflow_nodes
            .iter()
            .filter_map(|n| n.position.map(|p| p.x))
            .fold(f64::INFINITY, f64::min);
        workflow_nodes.insert(
            0,
            Node {
                name: Some("Start".into()),
                position: Some(Position {
                    x: if x.is_finite() { x - 240.0 } else { 0.0 },
                    y: 0.0,
                }),
                ..Node::new(&start, "trigger.manual", Map::new())
            },
        );
        report.push(NotMapped {
            node: "workflow".into(),
            what: "no trigger".into(),
            why: "a manual trigger was added before the first nodes".into(),
        });
    }

    let mut variables = Map::new();
    for name in &vars {
        variables.insert(name.clone(), Value::String(String::new()));
        report.push(NotMapped {
            node: "workflow".into(),
            what: format!("$vars.{name}"),
            why: "n8n variables belong to the instance; set it in the workflow's variables".into(),
        });
    }
    for key in [
        "settings",
        "staticData",
        "tags",
        "meta",
        "active",
        "versionId",
        "id",
    ] {
        let ignorable = match root.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(false)) => true,
            Some(Value::Object(m)) => m.is_empty() || key == "meta",
            Some(Value::Array(a)) => a.is_empty(),
            _ => matches!(key, "versionId" | "id"),
        };
        if !ignorable && key != "settings" {
            report.push(NotMapped {
                node: "workflow".into(),
                what: key.into(),
                why: "n8n's own bookkeeping; not carried over".into(),
            });
        }
    }
    if let Some(settings) = root.get("settings").and_then(Value::as_object) {
        for key in settings.keys() {
            if !matches!(
                key.as_str(),
                "timezone"
                    | "executionOrder"
                    | "callerPolicy"
                    | "saveManualExecutions"
                    | "saveExecutionProgress"
                    | "saveDataSuccessExecution"
                    | "saveDataErrorExecution"
            ) {
                report.push(NotMapped {
                    node: "workflow".into(),
                    what: format!("settings.{key}"),
                    why: "no Flowbench equivalent".into(),
                });
            }
        }
    }

    let workflow = Workflow {
        flowbench: crate::model::FORMAT_VERSION,
        id: id.to_string(),
        name: root.get("name").and_then(Value::as_str).map(str::to_string),
        description: Some(format!("Imported from n8n ({origin}).")),
        variables: (!variables.is_empty()).then_some(variables),
        nodes: workflow_nodes,
        edges,
        annotations,
        extra: Map::new(),
    };
    let pins = pins(root.get("pinData"), &by_name, &ids, &sources, &mut report);
    let diagnostics = crate::validate::validate(&workflow);
    Ok(Imported {
        workflow,
        pins,
        report,
        diagnostics,
    })
}

/// n8n's node settings: retries, what an error does, disabled.
fn settings(s: &Source, node: &mut Node, ports: &mut Vec<String>, lost: &mut expressions::Lost) {
    let flag = |key: &str| s.raw.get(key).and_then(Value::as_bool).unwrap_or(false);
    if flag("retryOnFail") {
        node.retry = Some(Retry {
            max_attempts: s
                .raw
                .get("maxTries")
                .and_then(Value::as_u64)
                .unwrap_or(3)
                .clamp(1, 100) as u32,
            backoff_ms: s
                .raw
                .get("waitBetweenTries")
                .and_then(Value::as_u64)
                .unwrap_or(1000),
            extra: Map::new(),
        });
    }
    match s.raw.get("onError").and_then(Value::as_str) {
        Some("continueRegularOutput") => node.on_error = Some(OnError::Continue),
        Some("continueErrorOutput") => {
            node.on_error = Some(OnError::Route);
            ports.push("error".into());
        }
        _ if flag("continueOnFail") => node.on_error = Some(OnError::Continue),
        _ => {}
    }
    if flag("disabled") {
        node.disabled = Some(true);
    }
    for key in ["alwaysOutputData", "executeOnce"] {
        if flag(key) {
            lost.push((key.into(), "no Flowbench equivalent".into()));
        }
    }
    if s.raw
        .get("credentials")
        .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
    {
        lost.push((
            "credentials".into(),
            "credentials are not imported; keep keys in Flowbench's secrets and read $secrets.NAME"
                .into(),
        ));
    }
}

/// Ids for n8n names: `[A-Za-z_][A-Za-z0-9_]*`, unique.
fn unique_ids(sources: &[Source]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for s in sources {
        let mut base = nodes::slug_with(&s.name, '_').unwrap_or_else(|| "node".into());
        if base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("n_{base}");
        }
        let id = unique(&ids, &base);
        ids.push(id);
    }
    ids
}

fn unique(taken: &[String], base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    id
}

/// n8n's `pinData` (`{NAME: [{json}]}`) as `NAME.pins.json`.
fn pins(
    pin_data: Option<&Value>,
    by_name: &BTreeMap<String, usize>,
    ids: &[String],
    sources: &[Source],
    report: &mut Vec<NotMapped>,
) -> Option<Value> {
    let pin_data = pin_data?.as_object()?;
    let mut pins = Map::new();
    for (name, items) in pin_data {
        let Some(&i) = by_name.get(name) else {
            report.push(NotMapped {
                node: name.clone(),
                what: "pinned data".into(),
                why: "no node has this name".into(),
            });
            continue;
        };
        let output = nodes::unwrap_items(items);
        let output = match nodes::item_path(&sources[i]) {
            ".body" => json!({"status": 200, "headers": {}, "body": output}),
            ".records" => {
                let records = match &output {
                    Value::Array(items) => items.clone(),
                    one => vec![one.clone()],
                };
                json!({"status": 200, "headers": {}, "body": output, "records": records, "pages": 1})
            }
            _ => output,
        };
        pins.insert(ids[i].clone(), json!({ "output": output }));
    }
    (!pins.is_empty()).then(|| json!({"flowbench": 1, "pins": pins}))
}
