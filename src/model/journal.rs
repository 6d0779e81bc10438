//! The run journal: every move of a run, in order. The run report is a fold of
//! it (`engine::fold`), the events the CLI and the app show are read from it,
//! and a recorded journal replays to the identical report.

use super::report::{
    ErrorInfo, HttpExchange, Iteration, LogLine, NodeError, NodeStatus, RunStatus, SubflowRun,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::Arc;
use ts_rs::TS;

/// A node's or an edge's id in the journal: shared, so that writing an entry
/// copies no text.
pub type Id = Arc<str>;

/// A time as the report writes it (RFC 3339, UTC, milliseconds): shared, so
/// that the many nodes starting in one millisecond share one text.
pub type Timestamp = Arc<str>;

/// One move of a run. Entries carry everything the report needs, so that a
/// journal read back from storage folds to the same report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum JournalEntry {
    /// The run began: its input, its variables, and every node of the workflow in file order.
    RunStarted {
        run_id: String,
        workflow_id: String,
        trigger: String,
        at: String,
        // Boxed, as `vars`: every entry is as large as the largest kind,
        // and a run writes thousands of small ones.
        #[ts(as = "Value")]
        input: Box<Value>,
        vars: Box<Map<String, Value>>,
        nodes: Vec<Id>,
    },
    /// Every incoming edge of the node is resolved and one was taken.
    NodeReady { node: Id },
    /// Every incoming edge is dead (or the node is a trigger that did not fire).
    NodeSkipped { node: Id },
    NodeStarted {
        node: Id,
        at: Timestamp,
        #[ts(as = "Value")]
        input: Arc<Value>,
        /// Replaced by a test mock: it does not run.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        #[ts(as = "Option<bool>", optional)]
        mocked: bool,
        /// Its pinned output stands in: it does not run.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        #[ts(as = "Option<bool>", optional)]
        pinned: bool,
        /// Its output from an earlier run stands in: it does not run.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        #[ts(as = "Option<bool>", optional)]
        reused: bool,
    },
    /// A node ended: succeeded, failed, waiting, or cancelled while it ran.
    NodeFinished {
        node: Id,
        status: NodeStatus,
        attempts: u32,
        duration_ms: u64,
        #[ts(as = "Value")]
        output: Arc<Value>,
        error: Option<ErrorInfo>,
        logs: Vec<LogLine>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        http: Option<Box<HttpExchange>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        iterations: Option<Vec<Iteration>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        subflow: Option<Box<SubflowRun>>,
    },
    /// A node that never started, in a run that stopped.
    NodeCancelled { node: Id },
    /// An edge was taken or found dead. `payload` is what the target's
    /// `$input` is made of, kept only when it is not the source's output (an
    /// `error` port's, a `forEach` condition's items), so that a continued run
    /// rebuilds every input.
    EdgeResolved {
        edge: Id,
        taken: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(as = "Option<Value>", optional)]
        payload: Option<Arc<Value>>,
    },
    /// A node that succeeded wrote these `$vars` entries.
    VarsWritten {
        node: Id,
        vars: Box<Map<String, Value>>,
    },
    /// A `task.respond` set the run's response.
    ResponseSet { node: Id, status: u16, body: Value },
    /// A node waits for a person: the run will end `waiting`.
    RunWaiting { node: Id, task: HumanTask },
    /// A person decided a waiting node's task: the node succeeds with the
    /// decision as its output, on the port the outcome names, and the run goes on.
    TaskDecided { node: Id, decision: Decision },
    /// The process running the run ended before the run did; it goes on in
    /// another. `requeued`: the nodes that were running then, which run again.
    RunRecovered { at: String, requeued: Vec<Id> },
    /// The debugger paused the run before this node (it has not started).
    RunPaused { node: Id },
    /// The paused run goes on.
    RunResumed { node: Id },
    /// The run ended. `output` is the run's output; `errors` the run-level
    /// errors (a node's own error is in its `NodeFinished`).
    RunFinished {
        status: RunStatus,
        at: String,
        duration_ms: u64,
        #[ts(as = "Value")]
        output: Box<Value>,
        errors: Vec<NodeError>,
    },
}

/// A human task (`task.approval`) as the run waits on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HumanTask {
    pub title: String,
    pub instructions: Option<String>,
    pub assignee: Option<String>,
    /// When it is due: its start plus `dueInHours` (RFC 3339, UTC).
    pub due_at: Option<String>,
    /// The decisions a person can take; one port each.
    pub outcomes: Vec<String>,
}

/// A person's decision on a human task: the approval node's output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// The outcome taken: one of the task's `outcomes`.
    pub decision: String,
    pub comment: Option<String>,
    pub by: String,
    pub at: String,
    pub notes: Vec<TaskNote>,
}

/// A note added to an open human task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskNote {
    pub at: String,
    pub by: String,
    pub text: String,
}
