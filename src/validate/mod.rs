//! Validation: every rule about a workflow, in one place. The canvas, the CLI
//! and the executor all call [`validate`]; it returns diagnostics and never panics.
//!
//! Codes are stable; each rule's code is listed in docs/validation.md.

mod fields;
mod graph;
pub use fields::{is_node_id, is_workflow_id};
pub use nodes::{assigned_vars, has_template, node_references};
mod nodes;

use crate::model::{Diagnostic, Workflow};
use crate::nodes::ParsedConfig;

/// All diagnostics of a workflow: errors first, then warnings, each in the
/// order the rules run and the nodes appear.
pub fn validate(wf: &Workflow) -> Vec<Diagnostic> {
    validate_parsed(wf).0
}

/// [`validate`], and each node's config as validation parsed it (None where
/// it does not parse): the executor's preparation reuses them.
pub fn validate_parsed(wf: &Workflow) -> (Vec<Diagnostic>, Vec<Option<ParsedConfig>>) {
    let mut out = Vec::new();
    fields::check(wf, &mut out);
    let graph = graph::WorkflowGraph::build(wf);
    graph.check(wf, &mut out);
    let parsed = nodes::check(wf, &graph, &mut out);
    out.sort_by_key(|d| d.severity);
    (out, parsed)
}

/// Whether any diagnostic is an error (a workflow with errors does not run).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Whether a new edge may be drawn: the first error the edge brings into
/// `candidate` (the workflow with the edge), if any. An error is the edge's
/// when it names the edge, or when the workflow without the edge lacks it
/// (same code, node and edge): a cycle the edge closes, a port it invents.
pub fn connection_error(candidate: &Workflow, edge_id: &str) -> Option<Diagnostic> {
    let after = validate(candidate);
    let mut without = candidate.clone();
    without.edges.retain(|e| e.id != edge_id);
    let before = validate(&without);
    let key = |d: &Diagnostic| (d.code, d.node.clone(), d.edge.clone());
    let known: std::collections::HashSet<_> =
        before.iter().filter(|d| d.is_error()).map(key).collect();
    after
        .into_iter()
        .find(|d| d.is_error() && (d.edge.as_deref() == Some(edge_id) || !known.contains(&key(d))))
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
            .find(|d| d.code.as_str() == code)
            .unwrap_or_else(|| panic!("no {code} in {d:#?}"))
    }
}

/// What the canvas needs after each edit: the diagnostics, and each node's
/// output ports (a switch's cases and an `error` port included).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Inspection {
    pub diagnostics: Vec<Diagnostic>,
    pub ports: std::collections::BTreeMap<String, Vec<String>>,
}

pub fn inspect(wf: &Workflow) -> Inspection {
    let ports = wf
        .nodes
        .iter()
        .filter(|n| !n.id.is_empty())
        .map(|n| (n.id.clone(), graph::ports_of(n).unwrap_or_default()))
        .collect();
    Inspection {
        diagnostics: validate(wf),
        ports,
    }
}

/// The ids of the nodes upstream of `node`, in file order (for completing
/// `$nodes.` in the node's expressions). Empty when the graph has a cycle.
pub fn upstream_of(wf: &Workflow, node: &str) -> Vec<String> {
    let graph = graph::WorkflowGraph::build(wf);
    wf.nodes
        .iter()
        .filter(|n| graph.is_upstream(&n.id, node) == Some(true))
        .map(|n| n.id.clone())
        .collect()
}

/// The nodes downstream of one node (reachable from it), in file order.
pub fn downstream_of(wf: &Workflow, node: &str) -> Vec<String> {
    let graph = graph::WorkflowGraph::build(wf);
    wf.nodes
        .iter()
        .filter(|n| graph.is_upstream(node, &n.id) == Some(true))
        .map(|n| n.id.clone())
        .collect()
}

#[cfg(test)]
mod inspect_tests {
    use super::test_support::wf;
    use serde_json::json;

    #[test]
    fn ports_and_upstream() {
        let w = wf(json!({"flowbench": 1, "id": "t", "nodes": [
            {"id": "s", "type": "trigger.manual"},
            {"id": "c", "type": "condition.switch", "onError": "route", "config": {"value": "{{ 1 }}", "cases": [{"port": "one", "equals": 1}]}},
            {"id": "x", "type": "task.log", "config": {"message": "m"}}],
            "edges": [{"id": "e1", "from": "s", "to": "c"}, {"id": "e2", "from": "c", "fromPort": "one", "to": "x"}]}));
        let i = super::inspect(&w);
        assert_eq!(i.ports["c"], vec!["default", "one", "error"]);
        assert_eq!(i.ports["x"], vec!["out"]);
        assert_eq!(super::upstream_of(&w, "x"), vec!["s", "c"]);
        assert!(super::upstream_of(&w, "s").is_empty());
    }

    #[test]
    fn a_connection_is_refused_only_for_the_errors_it_brings() {
        let base = json!({"flowbench": 1, "id": "t", "nodes": [
            {"id": "s", "type": "trigger.manual"},
            {"id": "a", "type": "task.log", "config": {"message": "m"}},
            {"id": "b", "type": "task.log", "config": {"message": "m"}},
            {"id": "bad", "type": "task.log"}],
            "edges": [{"id": "e1", "from": "s", "to": "a"}, {"id": "e2", "from": "a", "to": "b"}]});
        let with = |from: &str, to: &str| {
            let mut w = base.clone();
            w["edges"]
                .as_array_mut()
                .unwrap()
                .push(json!({"id": "new", "from": from, "to": to}));
            wf(w)
        };
        // Closing a cycle is the new edge's error.
        let cycle = super::connection_error(&with("b", "a"), "new").unwrap();
        assert_eq!(cycle.code, crate::error::Code::Cycle);
        // An error that was there before (bad's missing message) does not refuse the edge.
        assert_eq!(super::connection_error(&with("b", "bad"), "new"), None);
    }
}
