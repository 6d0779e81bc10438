//! Per-node rules: type, config, expressions, `$nodes` references, `$vars` writes.

use super::graph::WorkflowGraph;
use crate::error::Code;
use crate::expr::{check_expression_syntax, Template};
use crate::model::{Diagnostic, Node, Workflow};
use crate::nodes::{NodeChecks, ParsedConfig, Registered};
use rustc_hash::FxHashMap as HashMap;
use serde_json::Value;
use std::collections::BTreeMap;

/// Expression syntax results within one validation: large workflows repeat
/// expressions, and compiling each distinct one once keeps validation fast.
type SyntaxCache = HashMap<String, Result<(), String>>;

/// Checks every node; gives each node's parsed config (None where it does
/// not parse), so that preparing a run need not parse it again.
pub fn check(
    wf: &Workflow,
    graph: &WorkflowGraph,
    out: &mut Vec<Diagnostic>,
) -> Vec<Option<ParsedConfig>> {
    let mut cache = SyntaxCache::default();
    let mut writers: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut parsed = Vec::with_capacity(wf.nodes.len());
    for node in &wf.nodes {
        if node.id.is_empty() {
            parsed.push(None);
            continue;
        }
        let Some(kind) = crate::nodes::find(&node.node_type) else {
            let message = if node.node_type.is_empty() && !node.extra.contains_key("type") {
                format!("Node \"{}\" has no \"type\".", node.id)
            } else {
                format!(
                    "Node \"{}\" has type \"{}\", which Flowbench does not know; pick one from the palette (such as task.http or condition.if).",
                    node.id, node.node_type
                )
            };
            out.push(Diagnostic::error(Code::UnknownNodeType, message).at_node(&node.id));
            parsed.push(None);
            continue;
        };
        let config = check_config(node, kind, out);
        let mut sources: Vec<(String, &str)> = Vec::new();
        if let Some(each) = &node.for_each {
            if Template::parse(each).map_or(true, |t| t.whole_expression().is_none())
                && !each.contains("{{")
            {
                out.push(
                    Diagnostic::error(
                        Code::BadForEach,
                        format!(
                            "Node \"{}\": forEach must be an expression giving an array, such as \"{{{{ $input.items }}}}\".",
                            node.id
                        ),
                    )
                    .at_node(&node.id),
                );
            } else {
                check_template(node, "forEach", each, &mut cache, &mut sources, out);
            }
        }
        if let Some(c) = &node.config {
            for (key, value) in c {
                // Most values hold no template: no path is built for them.
                if kind.raw_keys().contains(&key.as_str()) || !has_template(value) {
                    continue;
                }
                walk_strings(value, &format!("config.{key}"), &mut |path, s| {
                    check_template(node, &path, s, &mut cache, &mut sources, out);
                });
            }
        }
        // The type's own rules.
        let mut own = NodeChecks {
            node,
            diagnostics: Vec::new(),
            sources: Vec::new(),
            var_writes: Vec::new(),
        };
        if let Some(config) = &config {
            kind.check(config, &mut own);
        }
        out.append(&mut own.diagnostics);
        for var in own.var_writes {
            writers.entry(var).or_default().push(&node.id);
        }
        let sources: Vec<(String, &str)> = sources
            .into_iter()
            .chain(own.sources.iter().map(|(p, t)| (p.clone(), t.as_str())))
            .collect();
        check_node_references(node, &sources, graph, out);
        parsed.push(config);
    }
    check_concurrent_writes(&writers, graph, out);
    parsed
}

/// Whether a config value holds a `{{ }}` template anywhere.
pub fn has_template(v: &Value) -> bool {
    match v {
        Value::String(s) => Template::is_template(s),
        Value::Array(a) => a.iter().any(has_template),
        Value::Object(m) => m.values().any(has_template),
        _ => false,
    }
}

/// Required keys first (each one named), then the types of the rest.
fn check_config(
    node: &Node,
    kind: &'static dyn Registered,
    out: &mut Vec<Diagnostic>,
) -> Option<ParsedConfig> {
    let empty = serde_json::Map::new();
    let config = node.config.as_ref().unwrap_or(&empty);
    let missing: Vec<String> = kind
        .required_keys()
        .iter()
        .filter(|k| !config.contains_key(k.as_str()))
        .cloned()
        .collect();
    for key in &missing {
        out.push(
            Diagnostic::error(
                Code::MissingConfig,
                format!(
                    "Node \"{}\" ({}) is missing the required config key \"{key}\".",
                    node.id,
                    kind.type_name()
                ),
            )
            .at_node(&node.id),
        );
    }
    if !missing.is_empty() {
        return None;
    }
    match kind.parse(config) {
        Ok(parsed) => Some(parsed),
        Err(message) => {
            out.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    format!(
                        "Node \"{}\" ({}): config {message}",
                        node.id,
                        kind.type_name()
                    ),
                )
                .at_node(&node.id),
            );
            None
        }
    }
}

/// Calls `f` on every string inside a JSON value, with its path.
fn walk_strings<'a>(value: &'a Value, path: &str, f: &mut dyn FnMut(String, &'a str)) {
    match value {
        Value::String(s) => f(path.to_string(), s),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_strings(v, &format!("{path}[{i}]"), f);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                walk_strings(v, &format!("{path}.{k}"), f);
            }
        }
        _ => {}
    }
}

fn check_template<'a>(
    node: &Node,
    path: &str,
    text: &'a str,
    cache: &mut SyntaxCache,
    sources: &mut Vec<(String, &'a str)>,
    out: &mut Vec<Diagnostic>,
) {
    if !Template::is_template(text) {
        return;
    }
    let template = match Template::parse(text) {
        Ok(t) => t,
        Err(e) => {
            out.push(
                Diagnostic::error(
                    Code::ExpressionSyntax,
                    format!("Node \"{}\", {path}: {e}.", node.id),
                )
                .at_node(&node.id),
            );
            return;
        }
    };
    for expr in template.expressions() {
        if !cache.contains_key(expr) {
            cache.insert(expr.to_string(), check_expression_syntax(expr));
        }
        let result = &cache[expr];
        if let Err(message) = result {
            out.push(
                Diagnostic::error(
                    Code::ExpressionSyntax,
                    format!("Node \"{}\", {path}: the expression {{{{ {expr} }}}} does not compile: {message}", node.id),
                )
                .at_node(&node.id),
            );
        }
    }
    sources.push((path.to_string(), text));
}

/// The node ids a piece of JavaScript reads through `$nodes.ID` or `$nodes["ID"]`.
pub fn node_references(js: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = js;
    while let Some(i) = rest.find("$nodes") {
        rest = &rest[i + "$nodes".len()..];
        let id: String = if let Some(after) = rest.strip_prefix('.') {
            after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
                .collect()
        } else if let Some(after) = rest.strip_prefix('[') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => after[1..].chars().take_while(|c| *c != q).collect(),
                _ => String::new(),
            }
        } else {
            String::new()
        };
        if !id.is_empty() && !found.contains(&id) {
            found.push(id);
        }
    }
    found
}

/// The variables a code body assigns through `$vars.NAME = …` or `$vars["NAME"] = …`.
pub fn assigned_vars(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("$vars") {
        rest = &rest[i + "$vars".len()..];
        let (name, after): (String, &str) = if let Some(a) = rest.strip_prefix('.') {
            let n: String = a
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
                .collect();
            let len = n.len();
            (n, &a[len..])
        } else if let Some(a) = rest.strip_prefix('[') {
            let a = a.trim_start();
            match a.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let n: String = a[1..].chars().take_while(|c| *c != q).collect();
                    let end = (1 + n.len() + 1).min(a.len());
                    (n, a[end..].trim_start().strip_prefix(']').unwrap_or(""))
                }
                _ => (String::new(), ""),
            }
        } else {
            (String::new(), "")
        };
        let after = after.trim_start();
        let assigns =
            after.starts_with('=') && !after.starts_with("==") && !after.starts_with("=>")
                || ["+=", "-=", "*=", "/=", "++", "--", "||=", "&&=", "??="]
                    .iter()
                    .any(|op| after.starts_with(op));
        if !name.is_empty() && assigns && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

fn check_node_references(
    node: &Node,
    sources: &[(String, &str)],
    graph: &WorkflowGraph,
    out: &mut Vec<Diagnostic>,
) {
    for (path, js) in sources {
        for target in node_references(js) {
            let message = if !graph.index.contains_key(target.as_str()) {
                format!(
                    "Node \"{}\", {path}: $nodes.{target} names no node of this workflow.",
                    node.id
                )
            } else if target == node.id {
                format!("Node \"{}\", {path}: $nodes.{target} is the node itself; use $input or a variable.", node.id)
            } else {
                match graph.is_upstream(&target, &node.id) {
                    Some(false) => format!(
                        "Node \"{}\", {path}: $nodes.{target} is not upstream of \"{}\", so it has not run when \"{}\" runs; connect it before, or read another node.",
                        node.id, node.id, node.id
                    ),
                    _ => continue,
                }
            };
            out.push(Diagnostic::error(Code::NodeNotUpstream, message).at_node(&node.id));
        }
    }
}

fn check_concurrent_writes(
    writers: &BTreeMap<String, Vec<&str>>,
    graph: &WorkflowGraph,
    out: &mut Vec<Diagnostic>,
) {
    for (var, nodes) in writers {
        for (i, a) in nodes.iter().enumerate() {
            for b in &nodes[i + 1..] {
                let ordered = graph.is_upstream(a, b) != Some(false)
                    || graph.is_upstream(b, a) != Some(false);
                if !ordered {
                    out.push(
                        Diagnostic::warning(
                            Code::ConcurrentVarWrite,
                            format!(
                                "Variable \"{var}\" is written by \"{a}\" and \"{b}\", which can run at the same time; the last to finish wins. Connect one after the other, or use two variables."
                            ),
                        )
                        .at_node(b),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{assigned_vars, node_references};
    use crate::model::Severity;
    use crate::validate::test_support::*;
    use crate::validate::validate;
    use serde_json::json;

    fn flow(nodes: serde_json::Value, edges: serde_json::Value) -> crate::model::Workflow {
        wf(json!({"flowbench": 1, "id": "t", "nodes": nodes, "edges": edges}))
    }
    fn start() -> serde_json::Value {
        json!({"id": "start", "type": "trigger.manual"})
    }
    fn chain(ids: &[&str]) -> serde_json::Value {
        let edges: Vec<_> = ids
            .windows(2)
            .enumerate()
            .map(|(i, w)| json!({"id": format!("e{i}"), "from": w[0], "to": w[1]}))
            .collect();
        json!(edges)
    }

    #[test]
    fn unknown_type() {
        let d = validate(&flow(
            json!([start(), {"id": "a", "type": "task.teleport"}]),
            chain(&["start", "a"]),
        ));
        let diag = find(&d, "unknown_node_type");
        assert!(diag.message.contains("\"task.teleport\""));
        assert_eq!(diag.node.as_deref(), Some("a"));
    }

    #[test]
    fn missing_required_config_names_each_key() {
        let d = validate(&flow(
            json!([start(), {"id": "q", "type": "task.sql", "config": {}}]),
            chain(&["start", "q"]),
        ));
        let missing: Vec<_> = d
            .iter()
            .filter(|d| d.code == crate::error::Code::MissingConfig)
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0].contains("\"database\"") && missing[1].contains("\"query\""));
    }

    #[test]
    fn config_of_wrong_type_names_the_key() {
        let d = validate(&flow(
            json!([start(), {"id": "h", "type": "task.http", "config": {"url": "http://x", "timeoutMs": "long"}}]),
            chain(&["start", "h"]),
        ));
        assert!(
            find(&d, "invalid_config").message.contains("timeoutMs"),
            "{d:#?}"
        );
    }

    #[test]
    fn bad_cron() {
        let d = validate(&flow(
            json!([{"id": "tick", "type": "trigger.schedule", "config": {"cron": "every day"}}]),
            json!([]),
        ));
        assert!(find(&d, "bad_cron").message.contains("\"every day\""));
    }

    #[test]
    fn expression_syntax_error_names_the_key() {
        let d = validate(&flow(
            json!([start(), {"id": "c", "type": "condition.if", "config": {"condition": "{{ $input.( }}"}}]),
            chain(&["start", "c"]),
        ));
        let diag = find(&d, "expression_syntax");
        assert!(
            diag.message.contains("config.condition"),
            "{}",
            diag.message
        );
    }

    #[test]
    fn unclosed_template_is_a_syntax_error() {
        let d = validate(&flow(
            json!([start(), {"id": "l", "type": "task.log", "config": {"message": "total {{ $input.n"}}]),
            chain(&["start", "l"]),
        ));
        assert!(find(&d, "expression_syntax").message.contains("no closing"));
    }

    #[test]
    fn code_syntax_error() {
        let d = validate(&flow(
            json!([start(), {"id": "c", "type": "task.code", "config": {"code": "return {;"}}]),
            chain(&["start", "c"]),
        ));
        assert_eq!(find(&d, "code_syntax").node.as_deref(), Some("c"));
    }

    #[test]
    fn nodes_reference_must_be_upstream() {
        let log =
            |id: &str, msg: &str| json!({"id": id, "type": "task.log", "config": {"message": msg}});
        let nodes = json!([
            start(),
            log("a", "{{ $nodes.b.output }}"),
            log("b", "{{ $nodes.start.output }}"),
            log("c", "{{ $nodes.ghost.output }}")
        ]);
        let d = validate(&flow(nodes, chain(&["start", "a", "b", "c"])));
        let msgs: Vec<_> = d
            .iter()
            .filter(|d| d.code == crate::error::Code::NodeNotUpstream)
            .collect();
        assert_eq!(msgs.len(), 2, "{d:#?}");
        assert_eq!(msgs[0].node.as_deref(), Some("a"));
        assert!(msgs[0].message.contains("$nodes.b is not upstream"));
        assert!(msgs[1].message.contains("$nodes.ghost names no node"));
    }

    #[test]
    fn nodes_reference_in_code() {
        let nodes = json!([start(), {"id": "a", "type": "task.code", "config": {"code": "return $nodes['b'].output;"}},
                           {"id": "b", "type": "task.log", "config": {"message": "x"}}]);
        let d = validate(&flow(nodes, chain(&["start", "a", "b"])));
        assert_eq!(find(&d, "node_not_upstream").node.as_deref(), Some("a"));
    }

    #[test]
    fn concurrent_variable_writes_warn() {
        let set = |id: &str| json!({"id": id, "type": "task.set", "config": {"values": {"total": 1}, "target": "vars"}});
        let edges = json!([{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "start", "to": "b"}]);
        let d = validate(&flow(json!([start(), set("a"), set("b")]), edges));
        let diag = find(&d, "concurrent_var_write");
        assert_eq!(diag.severity, Severity::Warning);
        assert!(diag.message.contains("\"total\""));
        // One after the other is fine.
        let d = validate(&flow(
            json!([start(), set("a"), set("b")]),
            chain(&["start", "a", "b"]),
        ));
        assert!(!codes(&d).contains(&"concurrent_var_write"), "{d:#?}");
    }

    #[test]
    fn code_assignments_count_as_writes() {
        let code = |id: &str| json!({"id": id, "type": "task.code", "config": {"code": "$vars.count = 2; return null;"}});
        let edges = json!([{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "start", "to": "b"}]);
        let d = validate(&flow(json!([start(), code("a"), code("b")]), edges));
        assert!(find(&d, "concurrent_var_write")
            .message
            .contains("\"count\""));
    }

    #[test]
    fn for_each_must_be_an_expression() {
        let mut n = json!({"id": "a", "type": "task.log", "config": {"message": "x"}});
        n["forEach"] = json!("items");
        let d = validate(&flow(json!([start(), n]), chain(&["start", "a"])));
        assert_eq!(find(&d, "bad_for_each").node.as_deref(), Some("a"));
    }

    #[test]
    fn scanners() {
        assert_eq!(
            node_references("$nodes.a.output + $nodes['b-c'].x + $nodes.a"),
            vec!["a", "b-c"]
        );
        assert_eq!(
            assigned_vars("$vars.a = 1; if ($vars.b == 2) {} $vars['c'] += 1; $vars.d++"),
            vec!["a", "c", "d"]
        );
    }
}
