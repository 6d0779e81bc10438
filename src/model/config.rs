//! The typed config of every node type in the catalogue.
//!
//! Required keys have no serde default; optional keys carry their default, which
//! the JSON Schema, the catalogue and the UI's forms all read from here. Any
//! string may hold a `{{ }}` expression, so keys whose value may be computed are
//! typed as JSON values and checked when the node runs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualTriggerConfig {
    /// The input when a run is given none.
    #[serde(default = "empty_object")]
    pub sample_input: Value,
    /// An optional JSON Schema the input should meet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub input_schema: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookTriggerConfig {
    /// The path the local service listens on, such as `/orders`.
    pub path: String,
    /// The HTTP method it accepts.
    #[serde(default = "default_post")]
    pub method: String,
    /// The input of a manual run, standing in for a request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sample_input: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleTriggerConfig {
    /// A cron expression of 5 or 6 fields.
    pub cron: String,
    /// An IANA time zone name.
    #[serde(default = "default_utc")]
    pub timezone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sample_input: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct IfConfig {
    /// An expression; its truthiness picks the `true` or `false` port.
    pub condition: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SwitchConfig {
    /// An expression whose value is compared with each case.
    pub value: Value,
    /// The first case whose `equals` equals the value takes its port; else `default`.
    pub cases: Vec<SwitchCase>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SwitchCase {
    pub port: String,
    pub equals: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpConfig {
    pub url: String,
    #[serde(default = "default_get")]
    pub method: String,
    #[serde(default)]
    pub headers: Map<String, Value>,
    #[serde(default)]
    pub query: Map<String, Value>,
    /// An object or array is sent as JSON, a string as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub body: Option<Value>,
    #[serde(default = "default_http_timeout")]
    pub timeout_ms: u64,
    /// A non-2xx status is an error.
    #[serde(default = "default_true")]
    pub fail_on_status: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct CodeConfig {
    /// A JavaScript function body; `return` gives the output.
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SqlConfig {
    /// A SQLite file, relative to the workflow's folder; created if missing.
    pub database: String,
    pub query: String,
    /// An array for `?` placeholders, or an object for `:name` placeholders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub params: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SetConfig {
    /// Each value a literal or an expression.
    pub values: Map<String, Value>,
    #[serde(default)]
    pub target: SetTarget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum SetTarget {
    /// The values are the node's output.
    #[default]
    Output,
    /// The values are also written into `$vars`.
    Vars,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct DelayConfig {
    /// Milliseconds to wait (a number or an expression).
    pub ms: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub due_in_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct LogConfig {
    pub message: String,
    #[serde(default)]
    pub level: super::report::LogLevel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SubflowConfig {
    /// A workflow id in the same folder, or a file path relative to this one.
    pub workflow: String,
    /// The child's input; default: this node's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub input: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct RespondConfig {
    /// The status code (a number or an expression).
    #[serde(default = "default_status")]
    pub status: Value,
    /// The body; default: this node's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub body: Option<Value>,
}

fn empty_object() -> Value {
    Value::Object(Map::new())
}
fn default_post() -> String {
    "POST".into()
}
fn default_get() -> String {
    "GET".into()
}
fn default_utc() -> String {
    "UTC".into()
}
fn default_http_timeout() -> u64 {
    30_000
}
fn default_true() -> bool {
    true
}
fn default_status() -> Value {
    Value::from(200)
}
