//! A workflow file: `NAME.flow.json`.
//!
//! Field order here is the order keys are written in. Unknown keys are kept in
//! `extra` and written back after the known ones. A known key whose value has the
//! wrong JSON type is kept in `extra` too (so nothing is lost), its field holds
//! the default, and validation reports it (`invalid_field`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// The newest format version this build reads and writes.
pub const FORMAT_VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[schemars(
    title = "Flowbench workflow",
    description = "A Flowbench workflow file (NAME.flow.json), format version 1."
)]
pub struct Workflow {
    /// The format version: the integer 1.
    #[schemars(range(min = 1, max = 1))]
    pub flowbench: u64,
    /// A slug, `[a-z0-9][a-z0-9-]*`, unique in a workspace folder.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: String,
    /// Shown in the app; defaults to the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// The workflow context, `$vars`, shared by every node of a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub variables: Option<Map<String, Value>>,
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    /// Sticky notes on the canvas; they never run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Annotation>>", optional)]
    pub annotations: Vec<Annotation>,
    /// Keys this version does not know; written back untouched.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// `[A-Za-z_][A-Za-z0-9_]*`, unique in the workflow; expressions name nodes by it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    pub id: String,
    /// One of the catalogue's types, such as `task.http`.
    #[serde(default, rename = "type", skip_serializing_if = "String::is_empty")]
    pub node_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub position: Option<Position>,
    /// The type's own settings; see the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub config: Option<Map<String, Value>>,
    /// An expression giving an array: the node runs once per item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub for_each: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry: Option<Retry>,
    /// A limit for one attempt, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub timeout_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on_error: Option<OnError>,
    /// A disabled node passes its input through untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub disabled: Option<bool>,
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Map<String, Value>,
}

/// A sticky note beside the workflow: Markdown text in a box on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    pub id: String,
    /// Markdown.
    #[serde(default)]
    pub text: String,
    pub position: Position,
    pub size: Size,
    /// A named colour: yellow, orange, red, green, blue, purple or gray.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub color: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Size {
    #[serde(serialize_with = "whole_as_integer")]
    pub width: f64,
    #[serde(serialize_with = "whole_as_integer")]
    pub height: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS, JsonSchema, Default)]
pub struct Position {
    #[serde(serialize_with = "whole_as_integer")]
    pub x: f64,
    #[serde(serialize_with = "whole_as_integer")]
    pub y: f64,
}

/// Writes 240.0 as `240`, so that a file's `240` survives a load and save.
fn whole_as_integer<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Retry {
    /// Attempts in all, the first included.
    #[serde(default = "default_max_attempts")]
    #[schemars(range(min = 1))]
    pub max_attempts: u32,
    /// The wait before the second attempt; it doubles for each further one.
    #[serde(default = "default_backoff_ms")]
    pub backoff_ms: u64,
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Map<String, Value>,
}

fn default_max_attempts() -> u32 {
    3
}
fn default_backoff_ms() -> u64 {
    500
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// The run fails.
    #[default]
    Fail,
    /// Record the error and go on through `out` with output `null`.
    Continue,
    /// Go on through the node's `error` port only.
    Route,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Edge {
    /// Generated on load when missing, and kept on save.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub from: String,
    /// Defaults to `out`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_port: Option<String>,
    #[serde(default)]
    pub to: String,
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Map<String, Value>,
}

impl Workflow {
    /// A new, empty workflow with the given id.
    pub fn new(id: &str) -> Self {
        Workflow {
            flowbench: FORMAT_VERSION,
            id: id.to_string(),
            name: None,
            description: None,
            variables: None,
            nodes: Vec::new(),
            edges: Vec::new(),
            annotations: Vec::new(),
            extra: Map::new(),
        }
    }

    /// The display name: `name`, else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

impl Node {
    pub fn new(id: &str, node_type: &str, config: Map<String, Value>) -> Self {
        Node {
            id: id.to_string(),
            node_type: node_type.to_string(),
            name: None,
            notes: None,
            position: None,
            config: Some(config),
            for_each: None,
            retry: None,
            timeout_ms: None,
            on_error: None,
            disabled: None,
            extra: Map::new(),
        }
    }

    pub fn on_error(&self) -> OnError {
        self.on_error.unwrap_or_default()
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled.unwrap_or(false)
    }

    /// The config key's value, if present.
    pub fn config_value(&self, key: &str) -> Option<&Value> {
        self.config.as_ref().and_then(|c| c.get(key))
    }
}

impl Edge {
    pub fn new(id: &str, from: &str, from_port: Option<&str>, to: &str) -> Self {
        Edge {
            id: id.to_string(),
            from: from.to_string(),
            from_port: from_port.map(str::to_string),
            to: to.to_string(),
            extra: Map::new(),
        }
    }

    /// The port the edge leaves from: `fromPort`, else `out`.
    pub fn port(&self) -> &str {
        self.from_port.as_deref().unwrap_or("out")
    }
}
