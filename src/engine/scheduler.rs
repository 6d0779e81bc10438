//! Scheduling: readiness by edges, dead-path skipping, each node's start and
//! finish. Every move goes through the journal; this keeps only what running
//! needs (edge payloads, outputs for `$nodes`, the ready queue).

use super::attempts::{Finished, Launch};
use super::context::RunShared;
use super::fold::JournalError;
use super::journal::Journal;
use super::prepared::Prepared;
use super::{now_rfc3339, now_shared};
use crate::model::journal::Id;
use crate::model::{JournalEntry, NodeStatus, OnError};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone)]
pub(crate) enum EdgeState {
    Open,
    /// Taken, with the payload the target's `$input` is made of.
    Taken(Arc<Value>),
    Dead,
}

pub(crate) struct Scheduler {
    pub p: Arc<Prepared>,
    pub journal: Journal,
    /// When each node started, for its duration.
    started: Vec<Option<Instant>>,
    /// Each node's incoming edges not resolved yet.
    pending_in: Vec<usize>,
    pub edges: Vec<EdgeState>,
    pub outputs: Vec<Arc<Value>>,
    /// Each started node's input, for the payload of its `error` port.
    inputs: Vec<Arc<Value>>,
    statuses: Vec<NodeStatus>,
    /// `$nodes` for nodes whose expressions name none.
    no_nodes: Arc<Value>,
    pub ready: VecDeque<usize>,
    pub vars: Arc<Map<String, Value>>,
    pub failed: bool,
    pub waiting: bool,
    /// The first move the journal refused: the engine's own bug, reported as the run's error.
    pub broken: Option<JournalError>,
    /// A node's task that panicked or was lost.
    pub broken_task: Option<String>,
    /// Reused by `finish` for the edges a node resolves.
    resolve_buffer: Vec<(usize, EdgeState)>,
    /// In a resumed run, when each node that was running first started: it
    /// runs again, and a delay keeps its original deadline.
    pub restarted: Vec<Option<(crate::model::Timestamp, chrono::DateTime<chrono::Utc>)>>,
    /// Edge ids to indexes, built when a journal is replayed.
    edge_index: Option<rustc_hash::FxHashMap<Id, usize>>,
}

impl Scheduler {
    pub fn new(p: Arc<Prepared>, journal: Journal, vars: Map<String, Value>) -> Self {
        let n = p.workflow.nodes.len();
        let null = Arc::new(Value::Null);
        Scheduler {
            started: vec![None; n],
            pending_in: p.incoming.iter().map(Vec::len).collect(),
            edges: vec![EdgeState::Open; p.workflow.edges.len()],
            inputs: std::iter::repeat_n(null.clone(), n).collect(),
            outputs: std::iter::repeat_n(null, n).collect(),
            statuses: vec![NodeStatus::Pending; n],
            no_nodes: Arc::new(Value::Object(Map::new())),
            ready: VecDeque::new(),
            vars: Arc::new(vars),
            failed: false,
            waiting: false,
            broken: None,
            broken_task: None,
            resolve_buffer: Vec::new(),
            restarted: Vec::new(),
            edge_index: None,
            journal,
            p,
        }
    }

    pub fn record(&mut self, entry: JournalEntry) {
        self.record_at(entry, None);
    }

    /// Sends the events and makes the journal durable; a journal that cannot
    /// be written fails the run, since it could not be resumed.
    pub fn commit(&mut self) {
        if let Err(e) = self.journal.commit() {
            self.failed = true;
            self.broken_task
                .get_or_insert(format!("the run history could not be written: {e}"));
        }
    }

    /// Records an entry about node (or edge) `i`: the fold finds the node
    /// without a lookup, and the journal keeps the entry compact.
    pub fn record_at(&mut self, entry: JournalEntry, node: Option<usize>) {
        if let Err(e) = self.journal.record(entry, node) {
            self.failed = true;
            self.broken.get_or_insert(e);
        }
    }

    fn node_id(&self, i: usize) -> Id {
        self.p.ids.nodes[i].clone()
    }

    /// The journal, once the run is over; the scheduler's own copies of the
    /// values are dropped here, so that the fold moves them into the report.
    pub fn into_journal(self) -> Journal {
        self.journal
    }

    pub fn status(&self, i: usize) -> NodeStatus {
        self.statuses[i]
    }

    /// Skips a node: it and what only it reaches.
    pub fn skip(&mut self, i: usize) {
        self.statuses[i] = NodeStatus::Skipped;
        self.record_at(
            JournalEntry::NodeSkipped {
                node: self.node_id(i),
            },
            Some(i),
        );
        for e in self.p.outgoing[i].clone() {
            self.resolve_edge(e, EdgeState::Dead);
        }
    }

    /// Resolves an edge; a target whose edges are all resolved becomes ready
    /// (some taken) or skipped (all dead, and its own edges die in turn).
    pub fn resolve_edge(&mut self, edge: usize, state: EdgeState) {
        // The stack allocates only when a skip spreads to further edges.
        let mut work = Vec::new();
        let mut current = Some((edge, state));
        while let Some((e, state)) = current.take().or_else(|| work.pop()) {
            let (taken, payload) = match &state {
                EdgeState::Taken(v) => {
                    let source = &self.outputs[self.p.edge_source[e]];
                    // Kept only when it differs from the source's output.
                    let own = Arc::ptr_eq(v, source) || **v == **source;
                    (true, (!own).then(|| v.clone()))
                }
                _ => (false, None),
            };
            self.edges[e] = state;
            self.record_at(
                JournalEntry::EdgeResolved {
                    edge: self.p.ids.edges[e].clone(),
                    taken,
                    payload,
                },
                Some(e),
            );
            let target = self.p.edge_target[e];
            self.pending_in[target] -= 1;
            if self.pending_in[target] > 0 {
                continue;
            }
            if self.p.incoming[target]
                .iter()
                .any(|&i| matches!(self.edges[i], EdgeState::Taken(_)))
            {
                self.make_ready(target);
            } else {
                self.statuses[target] = NodeStatus::Skipped;
                self.record_at(
                    JournalEntry::NodeSkipped {
                        node: self.node_id(target),
                    },
                    Some(target),
                );
                for &out in &self.p.outgoing[target] {
                    work.push((out, EdgeState::Dead));
                }
            }
        }
    }

    pub fn make_ready(&mut self, i: usize) {
        self.record_at(
            JournalEntry::NodeReady {
                node: self.node_id(i),
            },
            Some(i),
        );
        self.ready.push_back(i);
    }

    /// `$input`: the one taken edge's payload, or an object keyed by the
    /// predecessors' ids when several were taken.
    pub fn input_of(&self, index: usize) -> Arc<Value> {
        let mut taken = self.p.incoming[index]
            .iter()
            .filter_map(|&e| match &self.edges[e] {
                EdgeState::Taken(v) => Some(v),
                _ => None,
            });
        let first = taken.next();
        match (first, taken.next()) {
            (Some(one), None) => one.clone(),
            _ => Arc::new(Value::Object(
                self.p.incoming[index]
                    .iter()
                    .filter_map(|&e| match &self.edges[e] {
                        EdgeState::Taken(v) => {
                            Some((self.p.workflow.edges[e].from.clone(), (**v).clone()))
                        }
                        _ => None,
                    })
                    .collect(),
            )),
        }
    }

    /// `$nodes` for node `i`: the upstream nodes its expressions name.
    fn nodes_scope(&self, i: usize) -> Arc<Value> {
        if self.p.refs[i].is_empty() {
            return self.no_nodes.clone();
        }
        let mut map = Map::new();
        for id in &self.p.refs[i] {
            if let Some(&j) = self.p.index_of.get(id) {
                map.insert(
                    id.clone(),
                    json!({"output": *self.outputs[j], "status": self.statuses[j]}),
                );
            }
        }
        Arc::new(Value::Object(map))
    }

    /// Starts node `i` with its input: records the move and gives what it runs with.
    pub fn start(&mut self, i: usize, input: Arc<Value>, shared: &Arc<RunShared>) -> Launch {
        let stand_in = super::stand_in::stand_in_for(
            &shared.options,
            &self.p.workflow.nodes[i].id,
            self.p.kinds[i],
        )
        .map(|s| s.kind());
        use super::stand_in::StandInKind;
        self.statuses[i] = NodeStatus::Running;
        self.started[i] = Some(Instant::now());
        self.inputs[i] = input.clone();
        let first = self.restarted.get_mut(i).and_then(Option::take);
        let started_at = first.as_ref().map(|(_, t)| *t);
        self.record_at(
            JournalEntry::NodeStarted {
                node: self.node_id(i),
                at: first.map_or_else(now_shared, |(at, _)| at),
                input: input.clone(),
                mocked: stand_in == Some(StandInKind::Mocked),
                pinned: stand_in == Some(StandInKind::Pinned),
                reused: stand_in == Some(StandInKind::Reused),
            },
            Some(i),
        );
        Launch {
            shared: shared.clone(),
            index: i,
            kind: self.p.kinds[i],
            input,
            vars: self.vars.clone(),
            nodes: self.nodes_scope(i),
            literal_config: self.p.literal[i].clone(),
            started_at,
        }
    }

    /// Records how a node ended and resolves its outgoing edges.
    pub fn finish(&mut self, f: Finished) {
        let i = f.index;
        let duration_ms = self.started[i].map_or(0, |t| t.elapsed().as_millis() as u64);
        let p = self.p.clone();
        let node = &p.workflow.nodes[i];
        let mut resolve = std::mem::take(&mut self.resolve_buffer);
        let mut waiting_on = None;
        let (status, output, error) = match f.result {
            Ok(step) if step.waiting.is_some() => {
                self.waiting = true;
                waiting_on = step.waiting;
                (NodeStatus::Waiting, Arc::new(step.output), None)
            }
            Ok(step) => {
                let output = Arc::new(step.output);
                if let Some(vars) = step.vars.filter(|v| !v.is_empty()) {
                    self.record(JournalEntry::VarsWritten {
                        node: p.ids.nodes[i].clone(),
                        vars: vars.clone(),
                    });
                    Arc::make_mut(&mut self.vars).extend(*vars);
                }
                if let Some(r) = step.response.map(|r| *r) {
                    self.record(JournalEntry::ResponseSet {
                        node: p.ids.nodes[i].clone(),
                        status: r.status,
                        body: r.body,
                    });
                }
                for &e in &p.outgoing[i] {
                    let port = p.workflow.edges[e].port();
                    let payload = match &step.routes {
                        Some(routes) => routes
                            .iter()
                            .find(|(p, _)| p == port)
                            .map(|(_, items)| items.clone()),
                        None => (port == step.port).then(|| output.clone()),
                    };
                    resolve.push((e, payload.map_or(EdgeState::Dead, EdgeState::Taken)));
                }
                (NodeStatus::Succeeded, output, None)
            }
            Err(e) if e.code == crate::error::Code::Cancelled => {
                (NodeStatus::Cancelled, Arc::new(Value::Null), Some(e))
            }
            Err(e) => {
                let (port, payload): (Option<&str>, Arc<Value>) = match node.on_error() {
                    OnError::Fail => {
                        self.failed = true;
                        (None, Arc::new(Value::Null))
                    }
                    OnError::Continue => (Some("out"), Arc::new(Value::Null)),
                    OnError::Route => (
                        Some("error"),
                        Arc::new(json!({"error": e, "input": *self.inputs[i]})),
                    ),
                };
                if let Some(port) = port {
                    for &edge in &p.outgoing[i] {
                        let taken = p.workflow.edges[edge].port() == port;
                        resolve.push((
                            edge,
                            if taken {
                                EdgeState::Taken(payload.clone())
                            } else {
                                EdgeState::Dead
                            },
                        ));
                    }
                }
                (NodeStatus::Failed, Arc::new(Value::Null), Some(e))
            }
        };
        self.statuses[i] = status;
        self.outputs[i] = output.clone();
        self.record_at(
            JournalEntry::NodeFinished {
                node: p.ids.nodes[i].clone(),
                status,
                attempts: f.attempts,
                duration_ms,
                output,
                error,
                logs: f.logs,
                http: f.http,
                iterations: f.iterations,
                subflow: f.subflow,
            },
            Some(i),
        );
        if let Some(task) = waiting_on {
            self.record(JournalEntry::RunWaiting {
                node: p.ids.nodes[i].clone(),
                task: *task,
            });
        }
        if !self.failed {
            for (e, s) in resolve.drain(..) {
                self.resolve_edge(e, s);
            }
        }
        resolve.clear();
        self.resolve_buffer = resolve;
    }
}

/// Rebuilding a run's state from its journal, to continue it (`runs resume`,
/// `tasks decide`).
impl Scheduler {
    /// Applies one recorded entry: the state moves as it did when the entry
    /// was written, and the fold takes it (the observer has it already).
    pub fn replay(&mut self, entry: JournalEntry) -> Result<(), JournalError> {
        let index = |id: &str| {
            self.p
                .index_of
                .get(id)
                .copied()
                .ok_or_else(|| JournalError::UnknownNode(id.to_string()))
        };
        match &entry {
            JournalEntry::RunStarted { vars, .. } => {
                self.vars = Arc::new((**vars).clone());
                self.restarted = vec![None; self.p.workflow.nodes.len()];
            }
            JournalEntry::NodeReady { node } => {
                let i = index(node)?;
                self.ready.push_back(i);
            }
            JournalEntry::NodeSkipped { node } => {
                self.statuses[index(node)?] = NodeStatus::Skipped;
            }
            JournalEntry::NodeCancelled { node } => {
                let i = index(node)?;
                self.statuses[i] = NodeStatus::Cancelled;
                self.ready.retain(|&r| r != i);
            }
            JournalEntry::NodeStarted {
                node, at, input, ..
            } => {
                let i = index(node)?;
                self.statuses[i] = NodeStatus::Running;
                self.inputs[i] = input.clone();
                self.ready.retain(|&r| r != i);
                let t = chrono::DateTime::parse_from_rfc3339(at)
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .unwrap_or_else(|_| chrono::Utc::now());
                self.restarted[i] = Some((at.clone(), t));
            }
            JournalEntry::NodeFinished {
                node,
                status,
                output,
                ..
            } => {
                let i = index(node)?;
                self.statuses[i] = *status;
                self.outputs[i] = output.clone();
                self.restarted[i] = None;
            }
            JournalEntry::EdgeResolved {
                edge,
                taken,
                payload,
            } => {
                let p = self.p.clone();
                let by_id = self.edge_index.get_or_insert_with(|| {
                    p.ids
                        .edges
                        .iter()
                        .enumerate()
                        .map(|(e, id)| (id.clone(), e))
                        .collect()
                });
                let e = *by_id
                    .get(edge)
                    .ok_or_else(|| JournalError::UnknownNode(edge.to_string()))?;
                self.edges[e] = match (taken, payload) {
                    (false, _) => EdgeState::Dead,
                    (true, Some(v)) => EdgeState::Taken(v.clone()),
                    (true, None) => EdgeState::Taken(self.outputs[self.p.edge_source[e]].clone()),
                };
                self.pending_in[self.p.edge_target[e]] -= 1;
            }
            JournalEntry::VarsWritten { vars, .. } => {
                Arc::make_mut(&mut self.vars).extend((**vars).clone());
            }
            JournalEntry::TaskDecided { node, decision } => {
                let i = index(node)?;
                let output = Arc::new(serde_json::to_value(decision).unwrap_or(Value::Null));
                self.statuses[i] = NodeStatus::Succeeded;
                self.outputs[i] = output.clone();
                // Its edges follow at once when the decision was taken in a
                // run that went on; else `resolve_decided` resolves them.
            }
            JournalEntry::RunRecovered { requeued, .. } => {
                for node in requeued {
                    let i = index(node)?;
                    self.statuses[i] = NodeStatus::Pending;
                    self.ready.push_back(i);
                }
            }
            JournalEntry::ResponseSet { .. }
            | JournalEntry::RunWaiting { .. }
            | JournalEntry::RunPaused { .. }
            | JournalEntry::RunResumed { .. }
            | JournalEntry::RunFinished { .. } => {}
        }
        self.journal.replay(entry)
    }

    /// After replaying: nodes that were running when the process ended go
    /// back to the queue (recorded as `RunRecovered`), decided human tasks
    /// resolve their edges, and the run knows whether it still waits.
    pub fn go_on_after_replay(&mut self) {
        let n = self.p.workflow.nodes.len();
        let mut running: Vec<usize> = (0..n)
            .filter(|&i| self.statuses[i] == NodeStatus::Running)
            .collect();
        // In the order they started.
        running.sort_by(|&a, &b| self.restarted[a].cmp(&self.restarted[b]));
        if !running.is_empty() {
            self.record(JournalEntry::RunRecovered {
                at: now_rfc3339(),
                requeued: running.iter().map(|&i| self.node_id(i)).collect(),
            });
            for &i in running.iter().rev() {
                self.statuses[i] = NodeStatus::Pending;
                self.ready.push_front(i);
            }
        }
        for i in 0..n {
            if self.statuses[i] != NodeStatus::Succeeded
                || self.p.kinds[i].type_name() != "task.approval"
                || !self.p.outgoing[i]
                    .iter()
                    .any(|&e| matches!(self.edges[e], EdgeState::Open))
            {
                continue;
            }
            let output = self.outputs[i].clone();
            let port = output
                .get("decision")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            for e in self.p.outgoing[i].clone() {
                if matches!(self.edges[e], EdgeState::Open) {
                    let state = if self.p.workflow.edges[e].port() == port {
                        EdgeState::Taken(output.clone())
                    } else {
                        EdgeState::Dead
                    };
                    self.resolve_edge(e, state);
                }
            }
        }
        self.waiting = self.statuses.contains(&NodeStatus::Waiting);
    }
}
