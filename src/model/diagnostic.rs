use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding of validation. `code` is stable; `message` names the offending
/// id, port, type or key; `node` and `edge` say what to select on the canvas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: super::Code,
    pub message: String,
    pub node: Option<String>,
    pub edge: Option<String>,
}

impl Diagnostic {
    pub fn error(code: super::Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            node: None,
            edge: None,
        }
    }

    pub fn warning(code: super::Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at_node(mut self, node: &str) -> Self {
        self.node = Some(node.to_string());
        self
    }

    pub fn at_edge(mut self, edge: &str) -> Self {
        self.edge = Some(edge.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
