//! The workflow format and everything that crosses to the UI.
//!
//! Every type here derives serde, ts-rs `TS` (exported to `ui/src/bindings/`)
//! and, for the file format, schemars `JsonSchema` (`flowbench schema`).

pub mod catalogue;
pub mod code;
pub mod diagnostic;
pub mod journal;
pub mod mock;
pub mod report;
pub mod workflow;

pub use catalogue::{Category, ConfigField, NodeTypeSpec};
pub use code::Code;
pub use diagnostic::{Diagnostic, Severity};
pub use journal::{Decision, HumanTask, JournalEntry, TaskNote, Timestamp};
pub use mock::Mock;
pub use report::*;
pub use workflow::{
    Annotation, Edge, Node, OnError, Position, Retry, Size, Workflow, FORMAT_VERSION,
};

/// How a message names a JSON value's type: "an array", "null".
pub fn json_type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
