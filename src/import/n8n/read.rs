//! The export as read: its nodes (by name) and its connections (by index),
//! each checked as far as the import needs; anything else is the mapping's.

use super::{ImportError, NotMapped};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One n8n node as the export has it.
pub(crate) struct Source {
    pub name: String,
    /// The full type, such as `n8n-nodes-base.httpRequest`.
    pub full_type: String,
    pub version: f64,
    pub params: Map<String, Value>,
    pub raw: Map<String, Value>,
}

impl Source {
    /// The type without its package, for n8n's own nodes only.
    pub fn base_type(&self) -> Option<&str> {
        self.full_type.strip_prefix("n8n-nodes-base.")
    }
    pub fn param(&self, key: &str) -> Option<&Value> {
        self.params.get(key)
    }
    pub fn str_param<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.params
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(default)
    }
}

/// A main connection, by node index: `from`'s output `output` to `to`'s input `input`.
pub(crate) struct Connection {
    pub from: usize,
    pub output: usize,
    pub to: usize,
    pub input: usize,
}

/// The export is not what n8n writes: what gives it away.
pub(super) fn not_n8n(origin: &str, what: &str) -> ImportError {
    ImportError::NotN8n {
        origin: origin.into(),
        what: what.into(),
    }
}

/// The export's nodes in order, and each name's index. Names must be unique:
/// n8n connects nodes by name.
pub(super) fn sources(
    raw_nodes: &[Value],
    origin: &str,
) -> Result<(Vec<Source>, BTreeMap<String, usize>), ImportError> {
    let not_n8n = |what: &str| not_n8n(origin, what);
    let mut sources = Vec::new();
    let mut by_name = BTreeMap::new();
    for (i, raw) in raw_nodes.iter().enumerate() {
        let node = raw
            .as_object()
            .ok_or_else(|| not_n8n(&format!("node {} is not an object", i + 1)))?;
        let name = node
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| not_n8n(&format!("node {} has no \"name\"", i + 1)))?;
        let full_type = node
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| not_n8n(&format!("node \"{name}\" has no \"type\"")))?;
        if by_name.insert(name.to_string(), sources.len()).is_some() {
            return Err(ImportError::DuplicateName {
                origin: origin.into(),
                name: name.into(),
            });
        }
        sources.push(Source {
            name: name.into(),
            full_type: full_type.into(),
            version: node
                .get("typeVersion")
                .and_then(Value::as_f64)
                .unwrap_or(1.0),
            params: node
                .get("parameters")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            raw: node.clone(),
        });
    }
    Ok((sources, by_name))
}

/// The main connections between known nodes; other kinds are reported as not
/// carried over.
pub(super) fn connections(
    raw_connections: &Map<String, Value>,
    by_name: &BTreeMap<String, usize>,
    origin: &str,
    report: &mut Vec<NotMapped>,
) -> Result<Vec<Connection>, ImportError> {
    let not_n8n = |what: &str| not_n8n(origin, what);
    let mut connections = Vec::new();
    for (from_name, by_kind) in raw_connections {
        let Some(&from) = by_name.get(from_name) else {
            return Err(ImportError::UnknownNode {
                origin: origin.into(),
                from: from_name.clone(),
                to: from_name.clone(),
            });
        };
        let Some(by_kind) = by_kind.as_object() else {
            return Err(not_n8n(&format!(
                "the connections of \"{from_name}\" are not an object"
            )));
        };
        for (kind, outputs) in by_kind {
            for (output, targets) in outputs.as_array().into_iter().flatten().enumerate() {
                for target in targets.as_array().into_iter().flatten() {
                    let Some(to_name) = target.get("node").and_then(Value::as_str) else {
                        return Err(not_n8n(&format!(
                            "a connection of \"{from_name}\" names no node"
                        )));
                    };
                    let Some(&to) = by_name.get(to_name) else {
                        return Err(ImportError::UnknownNode {
                            origin: origin.into(),
                            from: from_name.clone(),
                            to: to_name.into(),
                        });
                    };
                    if kind != "main" {
                        report.push(NotMapped {
                            node: from_name.clone(),
                            what: format!("{kind} connection to \"{to_name}\""),
                            why: "only main connections carry data in Flowbench".into(),
                        });
                        continue;
                    }
                    let input = target.get("index").and_then(Value::as_u64).unwrap_or(0) as usize;
                    connections.push(Connection {
                        from,
                        output,
                        to,
                        input,
                    });
                }
            }
        }
    }
    Ok(connections)
}
