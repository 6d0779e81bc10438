//! Validation: every rule about a workflow, in one place. The canvas, the CLI
//! and the executor all call [`validate`]; it returns diagnostics and never panics.
//!
//! Codes are stable; each rule's code is listed in docs/validation.md.

mod fields;
mod graph;
pub use nodes::node_references;
mod nodes;

use crate::model::{Diagnostic, Workflow};

/// All diagnostics of a workflow: errors first, then warnings, each in the
/// order the rules run and the nodes appear.
pub fn validate(wf: &Workflow) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    fields::check(wf, &mut out);
    let graph = graph::WorkflowGraph::build(wf);
    graph.check(wf, &mut out);
    nodes::check(wf, &graph, &mut out);
    out.sort_by_key(|d| d.severity);
    out
}

/// Whether any diagnostic is an error (a workflow with errors does not run).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::model::{Diagnostic, Workflow};

    /// A workflow from JSON text, through the real loader.
    pub fn wf(json: serde_json::Value) -> Workflow {
        match json {
            serde_json::Value::Object(m) => crate::file::from_value(m, "test").unwrap(),
            _ => panic!("test workflows are objects"),
        }
    }

    pub fn codes(d: &[Diagnostic]) -> Vec<&str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    pub fn find<'a>(d: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
        d.iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("no {code} in {d:#?}"))
    }
}
