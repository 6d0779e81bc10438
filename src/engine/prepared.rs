//! A workflow checked and indexed once, ready for any number of runs: the test
//! runner runs many cases of one workflow, and the app runs one many times.

use super::context::literal_config;
use super::journal::JournalIds;
use super::RunError;
use crate::model::catalogue::Category;
use crate::model::{Diagnostic, Workflow};
use crate::nodes::{ParsedConfig, Registered};
use crate::validate::{has_errors, node_references, validate_parsed};
use rustc_hash::FxHashMap;
use serde_json::Value;
use std::sync::Arc;

pub struct Prepared {
    pub workflow: Arc<Workflow>,
    /// The warnings validation found (a prepared workflow has no errors).
    pub warnings: Vec<Diagnostic>,
    pub(crate) kinds: Vec<&'static dyn Registered>,
    /// Each node's and each edge's id, as the journal writes them.
    pub(crate) ids: Arc<JournalIds>,
    pub(crate) index_of: FxHashMap<String, usize>,
    pub(crate) incoming: Vec<Vec<usize>>,
    pub(crate) outgoing: Vec<Vec<usize>>,
    /// Each edge's source and target node, by index.
    pub(crate) edge_source: Vec<usize>,
    pub(crate) edge_target: Vec<usize>,
    pub(crate) triggers: Vec<usize>,
    /// The `$nodes` ids each node's config and forEach name.
    pub(crate) refs: Vec<Vec<String>>,
    /// Each node's typed config, when it holds no expressions.
    pub(crate) literal: Vec<Option<ParsedConfig>>,
}

/// Validates a workflow and indexes it for running; refuses one with errors.
pub fn prepare(workflow: Arc<Workflow>) -> Result<Arc<Prepared>, RunError> {
    let (diagnostics, parsed) = validate_parsed(&workflow);
    if has_errors(&diagnostics) {
        return Err(RunError::Invalid(diagnostics));
    }
    let kinds: Vec<&'static dyn Registered> = workflow
        .nodes
        .iter()
        .map(|n| crate::nodes::find(&n.node_type).expect("validated"))
        .collect();
    let index_of: FxHashMap<String, usize> = workflow
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect();
    let n = workflow.nodes.len();
    let (mut incoming, mut outgoing) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    let mut edge_target = Vec::with_capacity(workflow.edges.len());
    let mut edge_source = Vec::with_capacity(workflow.edges.len());
    for (e, edge) in workflow.edges.iter().enumerate() {
        outgoing[index_of[&edge.from]].push(e);
        edge_source.push(index_of[&edge.from]);
        let to = index_of[&edge.to];
        incoming[to].push(e);
        edge_target.push(to);
    }
    let triggers = (0..n)
        .filter(|&i| kinds[i].category() == Category::Trigger)
        .collect();
    let refs = workflow.nodes.iter().map(referenced_nodes).collect();
    let literal = workflow
        .nodes
        .iter()
        .zip(&kinds)
        .zip(parsed)
        .map(|((node, &kind), parsed)| literal_config(node, kind, parsed))
        .collect();
    let ids = Arc::new(JournalIds {
        nodes: workflow
            .nodes
            .iter()
            .map(|n| n.id.as_str().into())
            .collect(),
        edges: workflow
            .edges
            .iter()
            .map(|e| e.id.as_str().into())
            .collect(),
    });
    Ok(Arc::new(Prepared {
        workflow,
        warnings: diagnostics,
        kinds,
        ids,
        index_of,
        incoming,
        outgoing,
        edge_source,
        edge_target,
        triggers,
        refs,
        literal,
    }))
}

/// The `$nodes` ids a node's config, code and forEach name.
fn referenced_nodes(node: &crate::model::Node) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.contains("$nodes") => {
                for id in node_references(s) {
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            Value::Object(m) => m.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(c) = &node.config {
        c.values().for_each(|v| walk(v, &mut out));
        if let Some(kind) = crate::nodes::find(&node.node_type) {
            walk(&Value::String(kind.references(c)), &mut out);
        }
    }
    if let Some(each) = &node.for_each {
        walk(&Value::String(each.clone()), &mut out);
    }
    out
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prepared({})", self.workflow.id)
    }
}
