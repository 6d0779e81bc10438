//! A test mock: what a node gives instead of running (FORMAT.md, "Tests").

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// One of `{"output": …}`, `{"error": "message"}`, or
/// `{"decision": OUTCOME, "comment": …}` (OUTCOME one of the node's `outcomes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged, deny_unknown_fields)]
pub enum Mock {
    /// The node returns this output (for a `forEach` node, the whole array).
    Output { output: Value },
    /// The node fails with this message; its `onError` applies.
    Error { error: String },
    /// A `task.approval` takes this decision: one of its `outcomes`.
    Decision {
        decision: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        comment: Option<String>,
    },
}
