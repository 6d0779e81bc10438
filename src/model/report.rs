//! The run report and the run events the executor emits.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Debug,
    #[default]
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum NodeStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Waiting,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Waiting,
    /// Stopped by the debugger before a node (live only: a report never ends paused).
    Paused,
    /// In the history only: the process running it ended before the run did
    /// (`flowbench runs resume` continues it).
    Interrupted,
}

/// An error with a stable code, as the report records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorInfo {
    pub code: super::Code,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LogLine {
    /// RFC 3339, UTC.
    pub at: String,
    pub level: LogLevel,
    pub message: String,
}

/// A `task.http` node's request and response, as sent and received.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct HttpExchange {
    pub request: Value,
    pub response: Value,
    /// With `pagination`: every page's request and response, in order
    /// (`request` and `response` above are the last page's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pages: Option<Vec<HttpPage>>,
}

/// One page of a paged `task.http`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HttpPage {
    pub request: Value,
    pub response: Value,
}

/// One item of a `forEach` node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Iteration {
    pub index: usize,
    pub status: NodeStatus,
    pub attempts: u32,
    pub output: Value,
    pub error: Option<ErrorInfo>,
    /// The port this item chose, for a condition run with `forEach`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub port: Option<String>,
}

/// A `task.subflow` node's child run, nested in the node's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SubflowRun {
    pub run_id: String,
    pub workflow_id: String,
    pub status: RunStatus,
    pub nodes: Vec<NodeRecord>,
}

/// What a `task.respond` set: the webhook caller gets exactly this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Response {
    pub status: u16,
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NodeRecord {
    pub node: String,
    pub status: NodeStatus,
    pub attempts: u32,
    pub started_at: Option<super::journal::Timestamp>,
    pub duration_ms: Option<u64>,
    /// Shared with the run (a node's output is the next node's input): the
    /// report holds the run's values without copying them.
    #[ts(as = "Value")]
    pub input: std::sync::Arc<Value>,
    #[ts(as = "Value")]
    pub output: std::sync::Arc<Value>,
    pub error: Option<ErrorInfo>,
    pub logs: Vec<LogLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub http: Option<Box<HttpExchange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub iterations: Option<Vec<Iteration>>,
    /// Replaced by a test mock.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub mocked: bool,
    /// Its pinned output stood in.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub pinned: bool,
    /// Its output from an earlier run stood in (`--from NODE --reuse`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub reused: bool,
    /// A `task.subflow`'s child run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub subflow: Option<Box<SubflowRun>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub run_id: String,
    pub workflow_id: String,
    pub status: RunStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: u64,
    /// The id of the trigger that started the run.
    pub trigger: String,
    pub input: Value,
    pub vars: serde_json::Map<String, Value>,
    pub output: Value,
    pub errors: Vec<NodeError>,
    /// Present when a `task.respond` ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub response: Option<Response>,
    pub nodes: Vec<NodeRecord>,
}

/// An error of the run, with the node it happened in (none for a run-level error).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NodeError {
    pub node: Option<String>,
    pub code: super::Code,
    pub message: String,
}

/// What the executor reports while a run goes on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum RunEvent {
    RunStarted {
        run_id: String,
        workflow_id: String,
        trigger: String,
        at: String,
    },
    NodeStarted {
        node: String,
        at: super::journal::Timestamp,
    },
    Log {
        node: String,
        line: LogLine,
    },
    NodeFinished {
        node: String,
        status: NodeStatus,
        duration_ms: u64,
        error: Option<ErrorInfo>,
    },
    /// An edge was taken (`taken`) or found dead.
    EdgeResolved {
        edge: String,
        taken: bool,
    },
    RunWaiting {
        node: String,
    },
    /// The debugger paused the run before this node.
    RunPaused {
        node: String,
    },
    /// The paused run goes on.
    RunResumed {
        node: String,
    },
    RunFinished {
        status: RunStatus,
        duration_ms: u64,
    },
    /// An event of a `task.subflow` node's child run.
    Subflow {
        node: String,
        event: Box<RunEvent>,
    },
}

impl std::fmt::Display for ErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorInfo {}
