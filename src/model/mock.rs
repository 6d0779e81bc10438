//! A test mock: what a node gives instead of running (FORMAT.md, "Tests").

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// One of `{"output": …}`, `{"error": "message"}`, or
/// `{"decision": "approved" | "rejected", "comment": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged, deny_unknown_fields)]
pub enum Mock {
    /// The node returns this output (for a `forEach` node, the whole array).
    Output { output: Value },
    /// The node fails with this message; its `onError` applies.
    Error { error: String },
    /// A `task.approval` takes this decision.
    Decision {
        decision: Decision,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        comment: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approved,
    Rejected,
}
