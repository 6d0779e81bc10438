//! Revisions of workflow files: recorded at every save from the app, listed,
//! compared structurally (nodes added, removed, moved; config keys changed)
//! and restored (a restore is itself a new revision).

use super::history::History;
use super::{fail, Answer};
use crate::error::Code;
use crate::model::Workflow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use ts_rs::TS;

pub use crate::store::RevisionSummary;

/// How two revisions of a workflow differ, node by node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowDiff {
    pub nodes_added: Vec<String>,
    pub nodes_removed: Vec<String>,
    pub nodes_moved: Vec<String>,
    /// Nodes whose config, type, name or settings changed, with the keys that did.
    pub nodes_changed: Vec<NodeChange>,
    pub edges_added: Vec<String>,
    pub edges_removed: Vec<String>,
    /// Workflow-level keys that changed (name, variables, …).
    pub workflow_changed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NodeChange {
    pub node: String,
    /// `config.url`, `type`, `retry`, …
    pub keys: Vec<String>,
}

impl WorkflowDiff {
    pub fn is_empty(&self) -> bool {
        *self == WorkflowDiff::default()
    }
}

/// The keys of two JSON objects whose values differ, prefixed.
fn changed_keys(prefix: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    let empty = serde_json::Map::new();
    let (a, b) = (
        old.as_object().unwrap_or(&empty),
        new.as_object().unwrap_or(&empty),
    );
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        if a.get(k) != b.get(k) {
            out.push(format!("{prefix}{k}"));
        }
    }
}

/// The structural difference from `old` to `new`.
pub fn diff(old: &Workflow, new: &Workflow) -> WorkflowDiff {
    let as_value = |w: &Workflow| serde_json::to_value(w).unwrap_or(Value::Null);
    let (ov, nv) = (as_value(old), as_value(new));
    let by_id = |v: &Value, list: &str| -> BTreeMap<String, Value> {
        v.get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|n| Some((n.get("id")?.as_str()?.to_string(), n.clone())))
            .collect()
    };
    let (on, nn) = (by_id(&ov, "nodes"), by_id(&nv, "nodes"));
    let (oe, ne) = (by_id(&ov, "edges"), by_id(&nv, "edges"));
    let mut d = WorkflowDiff::default();
    for (id, node) in &nn {
        let Some(before) = on.get(id) else {
            d.nodes_added.push(id.clone());
            continue;
        };
        if before.get("position") != node.get("position") {
            d.nodes_moved.push(id.clone());
        }
        let mut keys = Vec::new();
        changed_keys(
            "config.",
            before.get("config").unwrap_or(&Value::Null),
            node.get("config").unwrap_or(&Value::Null),
            &mut keys,
        );
        let mut rest = Vec::new();
        let strip = |v: &Value| {
            let mut v = v.clone();
            if let Some(o) = v.as_object_mut() {
                o.remove("config");
                o.remove("position");
            }
            v
        };
        changed_keys("", &strip(before), &strip(node), &mut rest);
        keys.extend(rest);
        if !keys.is_empty() {
            d.nodes_changed.push(NodeChange {
                node: id.clone(),
                keys,
            });
        }
    }
    d.nodes_removed = on
        .keys()
        .filter(|k| !nn.contains_key(*k))
        .cloned()
        .collect();
    // An edge is the same edge when its ends and port are: ids may be renumbered.
    let shape = |e: &Value| {
        format!(
            "{} → {}{}",
            e.get("from").and_then(Value::as_str).unwrap_or_default(),
            e.get("to").and_then(Value::as_str).unwrap_or_default(),
            e.get("fromPort")
                .and_then(Value::as_str)
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        )
    };
    let old_edges: BTreeSet<String> = oe.values().map(shape).collect();
    let new_edges: BTreeSet<String> = ne.values().map(shape).collect();
    d.edges_added = new_edges.difference(&old_edges).cloned().collect();
    d.edges_removed = old_edges.difference(&new_edges).cloned().collect();
    let top = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("nodes");
            o.remove("edges");
        }
        v
    };
    changed_keys("", &top(&ov), &top(&nv), &mut d.workflow_changed);
    d
}

/// The workflow a revision's text holds.
fn parse(file: &Path, rev: i64, content: &str) -> Answer<Workflow> {
    let origin = format!("{} (revision {rev})", file.display());
    crate::file::parse(content, &origin).map_err(|e| {
        fail(
            Code::HistoryUnavailable,
            format!("{}: revision {rev} does not read back: {e}", file.display()),
        )
    })
}

impl History {
    /// Records a revision of a workflow file with the text just saved.
    pub fn record_revision(&self, file: &Path, workflow: &Workflow, text: &str) -> Answer<i64> {
        Ok(self
            .store()
            .record_revision(file, &workflow.id, text, None)?)
    }

    pub fn revisions(&self, file: &Path) -> Answer<Vec<RevisionSummary>> {
        Ok(self.store().revisions(file)?)
    }

    /// How revision `from` differs from `to` (default: the file as it is now).
    pub fn diff_revisions(&self, file: &Path, from: i64, to: Option<i64>) -> Answer<WorkflowDiff> {
        let old = self.store().revision(file, from)?;
        let old = parse(file, from, &old.content)?;
        let new = match to {
            Some(rev) => {
                let r = self.store().revision(file, rev)?;
                parse(file, rev, &r.content)?
            }
            None => crate::file::load(file).map_err(|e| fail(e.code(), e))?,
        };
        Ok(diff(&old, &new))
    }

    /// Writes revision `rev` back to the file (atomically) and records it as
    /// a new revision; gives that revision's number.
    pub fn restore_revision(&self, file: &Path, rev: i64) -> Answer<i64> {
        let r = self.store().revision(file, rev)?;
        let workflow = parse(file, rev, &r.content)?;
        crate::file::write_atomically(file, r.content.as_bytes()).map_err(|e| {
            fail(
                Code::FileSave,
                format!("{}: cannot restore revision {rev}: {e}", file.display()),
            )
        })?;
        Ok(self.store().record_revision(
            file,
            &workflow.id,
            &r.content,
            Some(&format!("restored from revision {rev}")),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wf(v: Value) -> Workflow {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn the_diff_names_nodes_added_removed_moved_and_config_keys_changed() {
        let old = wf(json!({"flowbench": 1, "id": "w", "name": "W",
            "nodes": [
                {"id": "t", "type": "trigger.manual", "position": {"x": 0, "y": 0}},
                {"id": "a", "type": "task.http", "position": {"x": 1, "y": 0}, "config": {"url": "http://x", "method": "GET"}},
                {"id": "gone", "type": "task.log", "position": {"x": 2, "y": 0}, "config": {"message": "m"}}
            ],
            "edges": [{"id": "e1", "from": "t", "to": "a"}, {"id": "e2", "from": "a", "to": "gone"}]}));
        let new = wf(json!({"flowbench": 1, "id": "w", "name": "W2",
            "nodes": [
                {"id": "t", "type": "trigger.manual", "position": {"x": 0, "y": 50}},
                {"id": "a", "type": "task.http", "position": {"x": 1, "y": 0}, "config": {"url": "http://y", "method": "GET"}, "retry": {"maxAttempts": 2}},
                {"id": "new", "type": "task.log", "position": {"x": 2, "y": 0}, "config": {"message": "m"}}
            ],
            "edges": [{"id": "e1", "from": "t", "to": "a"}, {"id": "e9", "from": "a", "to": "new"}]}));
        let d = diff(&old, &new);
        assert_eq!(d.nodes_added, ["new"]);
        assert_eq!(d.nodes_removed, ["gone"]);
        assert_eq!(d.nodes_moved, ["t"]);
        assert_eq!(
            d.nodes_changed,
            [NodeChange {
                node: "a".into(),
                keys: vec!["config.url".into(), "retry".into()]
            }]
        );
        assert_eq!(d.edges_added, ["a → new"]);
        assert_eq!(d.edges_removed, ["a → gone"]);
        assert_eq!(d.workflow_changed, ["name"]);
        assert!(diff(&old, &old).is_empty());
    }
}
