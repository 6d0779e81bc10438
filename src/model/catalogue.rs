//! The catalogue's types: a node type's category and its entry as the UI's
//! palette and inspector show it. The entries themselves are built from the
//! node types (`crate::nodes`), one file each.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Trigger,
    Condition,
    Task,
}

/// One config key of a node type, as the UI's form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConfigField {
    pub key: String,
    pub required: bool,
    /// The JSON Schema of the key's value.
    pub schema: Value,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    pub description: String,
}

/// A node type in the catalogue, as the UI's palette and inspector use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NodeTypeSpec {
    #[serde(rename = "type")]
    pub node_type: String,
    pub category: Category,
    pub label: String,
    pub description: String,
    /// The fixed output ports; a switch adds one per case, and `onError: "route"` adds `error`.
    pub ports: Vec<String>,
    pub fields: Vec<ConfigField>,
    /// The JSON Schema of the whole config object.
    pub config_schema: Value,
}
