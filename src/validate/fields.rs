//! Ids and the types of known keys.

use crate::error::Code;
use crate::file::json_type_name;
use crate::model::{Diagnostic, Workflow, FORMAT_VERSION};
use rustc_hash::FxHashSet as HashSet;
use serde::Deserialize;
use serde_json::{Map, Value};

const WORKFLOW_KEYS: [&str; 8] = [
    "flowbench",
    "id",
    "name",
    "description",
    "variables",
    "nodes",
    "edges",
    "annotations",
];
const NODE_KEYS: [&str; 11] = [
    "id",
    "type",
    "name",
    "notes",
    "position",
    "config",
    "forEach",
    "retry",
    "timeoutMs",
    "onError",
    "disabled",
];
const EDGE_KEYS: [&str; 4] = ["id", "from", "fromPort", "to"];

pub fn is_workflow_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub fn is_node_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn expected(key: &str) -> &'static str {
    match key {
        "flowbench" => "the integer 1",
        "id" | "name" | "description" | "notes" | "type" | "from" | "to" | "fromPort"
        | "forEach" => "a string",
        "variables" | "config" => "an object",
        "nodes" => "an array of node objects",
        "edges" => "an array of edge objects",
        "annotations" => {
            "an array of notes {id, text, position: {x, y}, size: {width, height}, color?}"
        }
        "position" => "an object {x, y} of numbers",
        "retry" => "an object {maxAttempts, backoffMs} of whole numbers",
        "timeoutMs" => "a whole number of milliseconds",
        "onError" => "one of \"fail\", \"continue\", \"route\"",
        "disabled" => "true or false",
        _ => "another type",
    }
}

/// What is wrong with a kept-aside value: its type, or, for a list of the
/// right type, which item breaks the shape and how.
fn found(key: &str, value: &Value) -> String {
    if let (Value::Array(items), "annotations") = (value, key) {
        for (i, item) in items.iter().enumerate() {
            if let Err(e) = crate::model::Annotation::deserialize(item) {
                return format!("note #{} does not fit: {e}", i + 1);
            }
        }
    }
    format!("it is {}", json_type_name(value))
}

/// Known keys that loading kept aside because their value had the wrong type.
fn wrong_types(
    owner: &dyn Fn() -> String,
    extra: &Map<String, Value>,
    known: &[&str],
    at: impl Fn(Diagnostic) -> Diagnostic,
    out: &mut Vec<Diagnostic>,
) {
    for key in known {
        if let Some(value) = extra.get(*key) {
            out.push(at(Diagnostic::error(
                Code::InvalidField,
                format!(
                    "{}: \"{key}\" must be {}, but {}.",
                    owner(),
                    expected(key),
                    found(key, value)
                ),
            )));
        }
    }
}

pub fn check(wf: &Workflow, out: &mut Vec<Diagnostic>) {
    wrong_types(
        &|| "The workflow".to_string(),
        &wf.extra,
        &WORKFLOW_KEYS,
        |d| d,
        out,
    );
    if wf.flowbench != FORMAT_VERSION && !wf.extra.contains_key("flowbench") {
        out.push(Diagnostic::error(
            Code::MissingField,
            "The workflow has no \"flowbench\": 1 format version; add it as the first key.",
        ));
    }
    if wf.id.is_empty() && !wf.extra.contains_key("id") {
        out.push(Diagnostic::error(
            Code::MissingField,
            "The workflow has no \"id\"; give it a slug such as \"order-intake\".",
        ));
    } else if !wf.id.is_empty() && !is_workflow_id(&wf.id) {
        out.push(Diagnostic::error(
            Code::BadWorkflowId,
            format!(
                "Workflow id \"{}\" is not a slug: use lowercase letters, digits and '-', starting with a letter or digit.",
                wf.id
            ),
        ));
    }

    let mut seen = HashSet::default();
    for (i, node) in wf.nodes.iter().enumerate() {
        let label = || {
            if node.id.is_empty() {
                format!("Node #{}", i + 1)
            } else {
                format!("Node \"{}\"", node.id)
            }
        };
        wrong_types(
            &label,
            &node.extra,
            &NODE_KEYS,
            |d| d.at_node(&node.id),
            out,
        );
        if node.id.is_empty() {
            if !node.extra.contains_key("id") {
                out.push(Diagnostic::error(
                    Code::BadNodeId,
                    format!("{} has no \"id\".", label()),
                ));
            }
        } else if !is_node_id(&node.id) {
            out.push(
                Diagnostic::error(
                    Code::BadNodeId,
                    format!(
                        "Node id \"{}\" is not valid: use letters, digits and '_', not starting with a digit (expressions name nodes by it).",
                        node.id
                    ),
                )
                .at_node(&node.id),
            );
        } else if !seen.insert(node.id.as_str()) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateNodeId,
                    format!(
                        "Node id \"{}\" is used by more than one node; ids must be unique.",
                        node.id
                    ),
                )
                .at_node(&node.id),
            );
        }
        if let Some(retry) = &node.retry {
            if retry.max_attempts == 0 {
                out.push(
                    Diagnostic::error(
                        Code::InvalidField,
                        format!("{}: retry.maxAttempts must be at least 1.", label()),
                    )
                    .at_node(&node.id),
                );
            }
        }
    }

    let mut seen = HashSet::default();
    for (i, edge) in wf.edges.iter().enumerate() {
        let label = || {
            if edge.id.is_empty() {
                format!("Edge #{}", i + 1)
            } else {
                format!("Edge \"{}\"", edge.id)
            }
        };
        wrong_types(
            &label,
            &edge.extra,
            &EDGE_KEYS,
            |d| d.at_edge(&edge.id),
            out,
        );
        if !edge.id.is_empty() && !seen.insert(edge.id.as_str()) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateEdgeId,
                    format!(
                        "Edge id \"{}\" is used by more than one edge; ids must be unique.",
                        edge.id
                    ),
                )
                .at_edge(&edge.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::*;
    use crate::validate::validate;
    use serde_json::json;

    fn base(nodes: serde_json::Value) -> serde_json::Value {
        json!({"flowbench": 1, "id": "t", "nodes": nodes, "edges": []})
    }

    #[test]
    fn malformed_node_id() {
        let d = validate(&wf(base(json!([{"id": "1bad", "type": "trigger.manual"}]))));
        let diag = find(&d, "bad_node_id");
        assert!(diag.message.contains("\"1bad\""));
        assert_eq!(diag.node.as_deref(), Some("1bad"));
    }

    #[test]
    fn missing_node_id() {
        let d = validate(&wf(base(json!([{"type": "trigger.manual"}]))));
        assert!(find(&d, "bad_node_id")
            .message
            .contains("Node #1 has no \"id\""));
    }

    #[test]
    fn duplicate_node_id() {
        let d = validate(&wf(base(json!([
            {"id": "a", "type": "trigger.manual"},
            {"id": "a", "type": "task.log", "config": {"message": "x"}}
        ]))));
        assert_eq!(find(&d, "duplicate_node_id").node.as_deref(), Some("a"));
    }

    #[test]
    fn duplicate_edge_id() {
        let d = validate(&wf(json!({"flowbench": 1, "id": "t",
            "nodes": [{"id": "a", "type": "trigger.manual"}, {"id": "b", "type": "task.log", "config": {"message": "x"}}],
            "edges": [{"id": "e", "from": "a", "to": "b"}, {"id": "e", "from": "a", "to": "b"}]})));
        assert_eq!(find(&d, "duplicate_edge_id").edge.as_deref(), Some("e"));
    }

    #[test]
    fn malformed_workflow_id() {
        let mut w = base(json!([{"id": "a", "type": "trigger.manual"}]));
        w["id"] = json!("Order Intake");
        let d = validate(&wf(w));
        assert!(find(&d, "bad_workflow_id")
            .message
            .contains("\"Order Intake\""));
    }

    #[test]
    fn wrong_type_of_known_key_is_reported_and_kept() {
        let w = wf(base(
            json!([{"id": "a", "type": "trigger.manual", "timeoutMs": "soon"}]),
        ));
        let d = validate(&w);
        let diag = find(&d, "invalid_field");
        assert!(diag.message.contains("\"timeoutMs\""), "{}", diag.message);
        assert_eq!(w.nodes[0].extra["timeoutMs"], json!("soon"));
    }

    #[test]
    fn missing_version_and_id() {
        let d = validate(&wf(json!({"nodes": [], "edges": []})));
        assert_eq!(
            codes(&d).iter().filter(|c| **c == "missing_field").count(),
            2
        );
    }
}
