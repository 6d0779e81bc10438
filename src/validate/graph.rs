//! Graph rules on petgraph: edges, ports, triggers, cycles, reachability.

use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::{Diagnostic, Node, OnError, Workflow};
use fixedbitset::FixedBitSet;
use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, Walker};
use petgraph::Direction;
use rustc_hash::FxHashMap as HashMap;
use std::cell::OnceCell;

/// The workflow as a graph: graph node weights are indexes into `wf.nodes`
/// (the first node of each id), edge weights indexes into `wf.edges`.
pub struct WorkflowGraph<'w> {
    pub graph: DiGraph<usize, usize>,
    pub index: HashMap<&'w str, NodeIndex>,
    ancestors: OnceCell<Option<Vec<FixedBitSet>>>,
}

/// The output ports a node has: its type's fixed ports, a switch's case ports,
/// and `error` when `onError` is `route`. None for an unknown type.
pub fn ports_of(node: &Node) -> Option<Vec<String>> {
    let kind = crate::nodes::find(&node.node_type)?;
    let empty = serde_json::Map::new();
    let mut ports = kind.ports(node.config.as_ref().unwrap_or(&empty));
    if node.on_error() == OnError::Route {
        ports.push("error".to_string());
    }
    Some(ports)
}

/// Whether a node has the port, building its port list only past the fixed ones.
fn has_port(node: &Node, port: &str) -> Option<bool> {
    let kind = crate::nodes::find(&node.node_type)?;
    Some(
        kind.fixed_ports().contains(&port)
            || (port == "error" && node.on_error() == OnError::Route)
            || ports_of(node).is_some_and(|ports| ports.iter().any(|p| p == port)),
    )
}

impl<'w> WorkflowGraph<'w> {
    pub fn build(wf: &'w Workflow) -> Self {
        let mut graph = DiGraph::with_capacity(wf.nodes.len(), wf.edges.len());
        let mut index = HashMap::with_capacity_and_hasher(wf.nodes.len(), Default::default());
        for (i, node) in wf.nodes.iter().enumerate() {
            if !node.id.is_empty() && !index.contains_key(node.id.as_str()) {
                index.insert(node.id.as_str(), graph.add_node(i));
            }
        }
        for (i, edge) in wf.edges.iter().enumerate() {
            if let (Some(&a), Some(&b)) =
                (index.get(edge.from.as_str()), index.get(edge.to.as_str()))
            {
                graph.add_edge(a, b, i);
            }
        }
        WorkflowGraph {
            graph,
            index,
            ancestors: OnceCell::new(),
        }
    }

    fn node<'a>(&self, wf: &'a Workflow, ix: NodeIndex) -> &'a Node {
        &wf.nodes[self.graph[ix]]
    }

    /// Whether `ancestor` is upstream of `node`. None when the graph has a cycle
    /// (then the cycle is the error to fix first).
    pub fn is_upstream(&self, ancestor: &str, node: &str) -> Option<bool> {
        let sets = self
            .ancestors
            .get_or_init(|| self.all_ancestors())
            .as_ref()?;
        let (a, n) = (self.index.get(ancestor)?, self.index.get(node)?);
        Some(sets[n.index()].contains(a.index()))
    }

    /// Every node's set of ancestors, built in topological order: a node's set is
    /// the union of its predecessors' sets and the predecessors themselves.
    fn all_ancestors(&self) -> Option<Vec<FixedBitSet>> {
        let order = toposort(&self.graph, None).ok()?;
        let n = self.graph.node_count();
        let mut sets = vec![FixedBitSet::with_capacity(n); n];
        for ix in order {
            let mut set = FixedBitSet::with_capacity(n);
            for pred in self.graph.neighbors_directed(ix, Direction::Incoming) {
                set.union_with(&sets[pred.index()]);
                set.insert(pred.index());
            }
            sets[ix.index()] = set;
        }
        Some(sets)
    }

    pub fn check(&self, wf: &Workflow, out: &mut Vec<Diagnostic>) {
        self.check_edges(wf, out);
        let triggers = self.check_triggers(wf, out);
        self.check_cycles(wf, out);
        self.check_reachable(wf, &triggers, out);
        self.check_condition_ports(wf, out);
    }

    fn check_edges(&self, wf: &Workflow, out: &mut Vec<Diagnostic>) {
        for edge in &wf.edges {
            for (end, id) in [("from", &edge.from), ("to", &edge.to)] {
                if !self.index.contains_key(id.as_str()) {
                    let message = if id.is_empty() {
                        format!("Edge \"{}\" has no \"{end}\" node.", edge.id)
                    } else {
                        format!(
                            "Edge \"{}\" goes {end} node \"{id}\", which is not in this workflow.",
                            edge.id
                        )
                    };
                    out.push(Diagnostic::error(Code::EdgeUnknownNode, message).at_edge(&edge.id));
                }
            }
            let Some(&from) = self.index.get(edge.from.as_str()) else {
                continue;
            };
            let node = self.node(wf, from);
            if has_port(node, edge.port()) == Some(false) {
                if let Some(ports) = ports_of(node) {
                    let hint = if edge.port() == "error" {
                        " Set the node's onError to \"route\" to give it an error port.".to_string()
                    } else {
                        String::new()
                    };
                    out.push(
                        Diagnostic::error(
                            Code::EdgeUnknownPort,
                            format!(
                                "Edge \"{}\" leaves node \"{}\" by port \"{}\", but a {} node has only the ports {}.{hint}",
                                edge.id,
                                node.id,
                                edge.port(),
                                node.node_type,
                                ports.join(", ")
                            ),
                        )
                        .at_edge(&edge.id)
                        .at_node(&node.id),
                    );
                }
            }
        }
    }

    fn check_triggers(&self, wf: &Workflow, out: &mut Vec<Diagnostic>) -> Vec<NodeIndex> {
        let triggers: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&ix| {
                crate::nodes::find(&self.node(wf, ix).node_type)
                    .is_some_and(|k| k.category() == Category::Trigger)
            })
            .collect();
        if triggers.is_empty() {
            out.push(Diagnostic::error(
                Code::NoTrigger,
                "The workflow has no trigger: add a trigger.manual, trigger.webhook or trigger.schedule node to start it.",
            ));
        }
        for &t in &triggers {
            for e in self.graph.edges_directed(t, Direction::Incoming) {
                let edge = &wf.edges[*e.weight()];
                out.push(
                    Diagnostic::error(
                        Code::TriggerHasIncoming,
                        format!(
                            "Trigger \"{}\" has an incoming edge \"{}\" from \"{}\"; a trigger starts a run and cannot be reached from another node.",
                            self.node(wf, t).id, edge.id, edge.from
                        ),
                    )
                    .at_node(&self.node(wf, t).id)
                    .at_edge(&edge.id),
                );
            }
        }
        triggers
    }

    fn check_cycles(&self, wf: &Workflow, out: &mut Vec<Diagnostic>) {
        for mut scc in tarjan_scc(&self.graph) {
            let looped = scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]);
            if !looped {
                continue;
            }
            scc.sort_by_key(|ix| self.graph[*ix]);
            let ids: Vec<&str> = scc
                .iter()
                .map(|&ix| self.node(wf, ix).id.as_str())
                .collect();
            out.push(
                Diagnostic::error(
                    Code::Cycle,
                    format!(
                        "These nodes form a cycle: {}. A workflow runs each node once; use forEach to repeat work.",
                        ids.join(" → ")
                    ),
                )
                .at_node(ids[0]),
            );
        }
    }

    fn check_reachable(&self, wf: &Workflow, triggers: &[NodeIndex], out: &mut Vec<Diagnostic>) {
        if triggers.is_empty() {
            return;
        }
        let mut reached = FixedBitSet::with_capacity(self.graph.node_count());
        for &t in triggers {
            for ix in Bfs::new(&self.graph, t).iter(&self.graph) {
                reached.insert(ix.index());
            }
        }
        for ix in self.graph.node_indices() {
            if !reached.contains(ix.index()) {
                let id = &self.node(wf, ix).id;
                out.push(
                    Diagnostic::warning(
                        Code::UnreachableNode,
                        format!(
                            "Node \"{id}\" cannot be reached from any trigger, so it never runs."
                        ),
                    )
                    .at_node(id),
                );
            }
        }
    }

    fn check_condition_ports(&self, wf: &Workflow, out: &mut Vec<Diagnostic>) {
        for ix in self.graph.node_indices() {
            let node = self.node(wf, ix);
            let kind = crate::nodes::find(&node.node_type);
            if !kind.is_some_and(|k| k.category() == Category::Condition) {
                continue;
            }
            let Some(ports) = ports_of(node) else {
                continue;
            };
            for port in ports.iter().filter(|p| *p != "error") {
                let used = self
                    .graph
                    .edges_directed(ix, Direction::Outgoing)
                    .any(|e| wf.edges[*e.weight()].port() == port);
                if !used {
                    out.push(
                        Diagnostic::warning(
                            Code::PortUnconnected,
                            format!(
                                "Port \"{port}\" of condition \"{}\" has no edge: a run that takes it stops there.",
                                node.id
                            ),
                        )
                        .at_node(&node.id),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::*;
    use crate::validate::validate;
    use serde_json::json;

    fn flow(nodes: serde_json::Value, edges: serde_json::Value) -> crate::model::Workflow {
        wf(json!({"flowbench": 1, "id": "t", "nodes": nodes, "edges": edges}))
    }
    fn start() -> serde_json::Value {
        json!({"id": "start", "type": "trigger.manual"})
    }
    fn log(id: &str) -> serde_json::Value {
        json!({"id": id, "type": "task.log", "config": {"message": "hi"}})
    }

    #[test]
    fn clean_chain_has_no_diagnostics() {
        let d = validate(&flow(
            json!([start(), log("a")]),
            json!([{"id": "e1", "from": "start", "to": "a"}]),
        ));
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn edge_to_missing_node() {
        let d = validate(&flow(
            json!([start()]),
            json!([{"id": "e1", "from": "start", "to": "ghost"}]),
        ));
        let diag = find(&d, "edge_unknown_node");
        assert!(diag.message.contains("\"ghost\""));
        assert_eq!(diag.edge.as_deref(), Some("e1"));
    }

    #[test]
    fn edge_from_missing_node() {
        let d = validate(&flow(
            json!([start(), log("a")]),
            json!([{"id": "e1", "from": "nobody", "to": "a"}]),
        ));
        assert!(find(&d, "edge_unknown_node")
            .message
            .contains("from node \"nobody\""));
    }

    #[test]
    fn edge_from_port_the_node_lacks() {
        let d = validate(&flow(
            json!([start(), {"id": "c", "type": "condition.if", "config": {"condition": "{{ true }}"}}, log("a")]),
            json!([{"id": "e1", "from": "start", "to": "c"}, {"id": "e2", "from": "c", "fromPort": "maybe", "to": "a"}]),
        ));
        let diag = find(&d, "edge_unknown_port");
        assert!(
            diag.message.contains("\"maybe\"") && diag.message.contains("true, false"),
            "{}",
            diag.message
        );
    }

    #[test]
    fn error_port_needs_route() {
        let edges = json!([{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "a", "fromPort": "error", "to": "b"}]);
        let d = validate(&flow(json!([start(), log("a"), log("b")]), edges.clone()));
        assert!(find(&d, "edge_unknown_port").message.contains("onError"));
        let mut routed = log("a");
        routed["onError"] = json!("route");
        let d = validate(&flow(json!([start(), routed, log("b")]), edges));
        assert!(!codes(&d).contains(&"edge_unknown_port"), "{d:#?}");
    }

    #[test]
    fn switch_cases_are_ports() {
        let sw = json!({"id": "s", "type": "condition.switch", "config": {"value": "{{ $input.kind }}", "cases": [{"port": "big", "equals": "big"}]}});
        let d = validate(&flow(
            json!([start(), sw, log("a"), log("b")]),
            json!([{"id": "e1", "from": "start", "to": "s"}, {"id": "e2", "from": "s", "fromPort": "big", "to": "a"},
                   {"id": "e3", "from": "s", "fromPort": "default", "to": "b"}]),
        ));
        assert!(d.is_empty(), "{d:#?}");
    }

    #[test]
    fn no_trigger() {
        let d = validate(&flow(json!([log("a")]), json!([])));
        assert_eq!(codes(&d), vec!["no_trigger"]);
    }

    #[test]
    fn trigger_with_incoming_edge() {
        let d = validate(&flow(
            json!([start(), log("a")]),
            json!([{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "a", "to": "start"}]),
        ));
        let diag = find(&d, "trigger_has_incoming");
        assert_eq!(diag.node.as_deref(), Some("start"));
        assert_eq!(diag.edge.as_deref(), Some("e2"));
    }

    #[test]
    fn cycle_names_its_nodes() {
        let d = validate(&flow(
            json!([start(), log("a"), log("b"), log("c")]),
            json!([{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "a", "to": "b"},
                   {"id": "e3", "from": "b", "to": "c"}, {"id": "e4", "from": "c", "to": "a"}]),
        ));
        let diag = find(&d, "cycle");
        assert!(diag.message.contains("a → b → c"), "{}", diag.message);
    }

    #[test]
    fn self_loop_is_a_cycle() {
        let d = validate(&flow(
            json!([start(), log("a")]),
            json!([{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "a", "to": "a"}]),
        ));
        assert!(
            find(&d, "cycle").message.contains("\"a\"")
                || find(&d, "cycle").message.contains(": a.")
        );
    }

    #[test]
    fn unreachable_node_is_a_warning() {
        let d = validate(&flow(
            json!([start(), log("a"), log("island")]),
            json!([{"id": "e1", "from": "start", "to": "a"}]),
        ));
        let diag = find(&d, "unreachable_node");
        assert_eq!(diag.severity, crate::model::Severity::Warning);
        assert_eq!(diag.node.as_deref(), Some("island"));
    }

    #[test]
    fn condition_port_without_edge_is_a_warning() {
        let d = validate(&flow(
            json!([start(), {"id": "c", "type": "condition.if", "config": {"condition": "{{ true }}"}}, log("a")]),
            json!([{"id": "e1", "from": "start", "to": "c"}, {"id": "e2", "from": "c", "fromPort": "true", "to": "a"}]),
        ));
        let diag = find(&d, "port_unconnected");
        assert!(diag.message.contains("\"false\""));
        assert_eq!(diag.severity, crate::model::Severity::Warning);
    }
}
