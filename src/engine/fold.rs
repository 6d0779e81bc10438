//! The run report as a fold of the journal. The executor builds its report
//! this way, entry by entry, and a journal read back from anywhere folds to
//! the identical report. Each entry's move is checked against the state
//! machine's tables (`state.rs`).

use super::state::{run_move, IllegalMove, NodeState};
use crate::model::journal::Id;
use crate::model::{
    JournalEntry, NodeError, NodeRecord, NodeStatus, Response, RunReport, RunStatus,
};
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Why a journal does not fold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("the journal does not begin with the run's start")]
    NotStarted,
    #[error("the journal starts the run twice")]
    StartedTwice,
    #[error("the journal names node \"{0}\", which the run does not have")]
    UnknownNode(String),
    #[error("the journal goes on after the run finished")]
    AfterFinish,
    #[error("{0}")]
    Illegal(#[from] IllegalMove),
}

struct Header {
    run_id: String,
    workflow_id: String,
    trigger: String,
    started_at: String,
    input: Value,
}

/// A report being folded from journal entries.
#[derive(Default)]
pub struct ReportFold {
    header: Option<Header>,
    /// Node ids to indexes: built on the first look-up that has no index given
    /// (a replayed journal); the executor gives each entry's index.
    index_of: std::sync::OnceLock<FxHashMap<String, usize>>,
    states: Vec<NodeState>,
    records: Vec<NodeRecord>,
    /// The order nodes started in.
    started: Vec<Option<usize>>,
    next_seq: usize,
    status: Option<RunStatus>,
    finished_at: Option<String>,
    duration_ms: u64,
    vars: Map<String, Value>,
    output: Value,
    errors: Vec<NodeError>,
    response: Option<Response>,
    /// The index of the node the entry being applied is about, when the writer knows it.
    hint: Option<usize>,
}

impl ReportFold {
    pub fn new() -> Self {
        Self::default()
    }

    fn index(&self) -> &FxHashMap<String, usize> {
        self.index_of.get_or_init(|| {
            self.records
                .iter()
                .enumerate()
                .map(|(i, r)| (r.node.clone(), i))
                .collect()
        })
    }

    fn node(&self, id: &str) -> Result<usize, JournalError> {
        if let Some(i) = self
            .hint
            .filter(|&i| self.records.get(i).is_some_and(|r| r.node == id))
        {
            return Ok(i);
        }
        self.index()
            .get(id)
            .copied()
            .ok_or_else(|| JournalError::UnknownNode(id.to_string()))
    }

    fn move_node(&mut self, id: &str, to: NodeState) -> Result<usize, JournalError> {
        let i = self.node(id)?;
        self.states[i].move_to(to, id)?;
        self.records[i].status = self.states[i].status();
        Ok(i)
    }

    pub fn response(&self) -> Option<&Response> {
        self.response.as_ref()
    }

    /// Applies one entry.
    pub fn apply(&mut self, entry: JournalEntry) -> Result<(), JournalError> {
        self.apply_at(entry, None)
    }

    /// Applies one entry about the node at `index` in the run's node list, if given.
    pub fn apply_at(
        &mut self,
        entry: JournalEntry,
        index: Option<usize>,
    ) -> Result<(), JournalError> {
        self.hint = index;
        // A waiting run goes on when a person decides; nothing else follows an end.
        let decides = matches!(entry, JournalEntry::TaskDecided { .. })
            && self.status == Some(RunStatus::Waiting);
        if self.finished_at.is_some() && !decides {
            return Err(JournalError::AfterFinish);
        }
        if self.header.is_none() && !matches!(entry, JournalEntry::RunStarted { .. }) {
            return Err(JournalError::NotStarted);
        }
        match entry {
            JournalEntry::RunStarted {
                run_id,
                workflow_id,
                trigger,
                at,
                input,
                vars,
                nodes,
            } => {
                if self.header.is_some() {
                    return Err(JournalError::StartedTwice);
                }
                let null = Arc::new(Value::Null);
                self.states = vec![NodeState::Pending; nodes.len()];
                self.started = vec![None; nodes.len()];
                self.index_of = Default::default();
                self.records = nodes
                    .into_iter()
                    .map(|n| pending_record(n, &null))
                    .collect();
                self.header = Some(Header {
                    run_id,
                    workflow_id,
                    trigger,
                    started_at: at,
                    input: *input,
                });
                self.vars = *vars;
                self.status = Some(RunStatus::Running);
            }
            JournalEntry::NodeReady { node } => {
                self.move_node(&node, NodeState::Ready)?;
            }
            JournalEntry::NodeSkipped { node } => {
                self.move_node(&node, NodeState::Skipped)?;
            }
            JournalEntry::NodeCancelled { node } => {
                self.move_node(&node, NodeState::Cancelled)?;
            }
            JournalEntry::NodeStarted {
                node,
                at,
                input,
                mocked,
                pinned,
                reused,
            } => {
                let i = self.move_node(&node, NodeState::Running)?;
                let rec = &mut self.records[i];
                rec.started_at = Some(at);
                rec.mocked = mocked;
                rec.pinned = pinned;
                rec.reused = reused;
                rec.input = input;
                self.started[i] = Some(self.next_seq);
                self.next_seq += 1;
            }
            JournalEntry::NodeFinished {
                node,
                status,
                attempts,
                duration_ms,
                output,
                error,
                logs,
                http,
                iterations,
                subflow,
            } => {
                let i = self.move_node(&node, NodeState::of_status(status))?;
                if status == NodeStatus::Failed {
                    if let Some(e) = &error {
                        self.errors.push(NodeError {
                            node: Some(node.to_string()),
                            code: e.code,
                            message: e.message.clone(),
                        });
                    }
                }
                let rec = &mut self.records[i];
                rec.attempts = attempts;
                rec.duration_ms = Some(duration_ms);
                rec.error = error;
                rec.logs = logs;
                rec.http = http;
                rec.iterations = iterations;
                rec.subflow = subflow;
                rec.output = output;
            }
            JournalEntry::EdgeResolved { .. } | JournalEntry::RunWaiting { .. } => {}
            JournalEntry::TaskDecided { node, decision } => {
                let i = self.move_node(&node, NodeState::Succeeded)?;
                self.records[i].output =
                    Arc::new(serde_json::to_value(&decision).expect("a decision is plain JSON"));
                self.status = Some(run_move(
                    self.status.unwrap_or(RunStatus::Waiting),
                    RunStatus::Running,
                )?);
                self.finished_at = None;
            }
            JournalEntry::RunRecovered { requeued, .. } => {
                if self.status == Some(RunStatus::Paused) {
                    self.status = Some(run_move(RunStatus::Paused, RunStatus::Running)?);
                }
                for node in requeued {
                    self.move_node(&node, NodeState::Ready)?;
                }
            }
            JournalEntry::RunPaused { node } => {
                self.node(&node)?;
                self.status = Some(run_move(
                    self.status.unwrap_or(RunStatus::Running),
                    RunStatus::Paused,
                )?);
            }
            JournalEntry::RunResumed { node } => {
                self.node(&node)?;
                self.status = Some(run_move(
                    self.status.unwrap_or(RunStatus::Paused),
                    RunStatus::Running,
                )?);
            }
            JournalEntry::VarsWritten { node, vars } => {
                self.node(&node)?;
                self.vars.extend(*vars);
            }
            JournalEntry::ResponseSet { node, status, body } => {
                self.node(&node)?;
                self.response = Some(Response { status, body });
            }
            JournalEntry::RunFinished {
                status,
                at,
                duration_ms,
                output,
                errors,
            } => {
                self.status = Some(run_move(self.status.unwrap_or(RunStatus::Running), status)?);
                self.finished_at = Some(at);
                self.duration_ms = duration_ms;
                self.output = *output;
                self.errors.extend(errors);
            }
        }
        Ok(())
    }

    /// The report: nodes in the order they started, then those that never
    /// did, skipped ones last. A journal without its end gives a `running` report.
    pub fn finish(self) -> Result<RunReport, JournalError> {
        let header = self.header.ok_or(JournalError::NotStarted)?;
        let n = self.records.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| match (self.records[i].status, self.started[i]) {
            (_, Some(seq)) => (0, seq),
            (NodeStatus::Skipped, None) => (2, i),
            (_, None) => (1, i),
        });
        // Records hold the run's values as shared `Arc`s: one value may be a
        // node's output and the next one's input, and neither is copied.
        let mut records: Vec<Option<NodeRecord>> = self.records.into_iter().map(Some).collect();
        let nodes = order
            .into_iter()
            .map(|i| records[i].take().expect("each once"))
            .collect();
        Ok(RunReport {
            run_id: header.run_id,
            workflow_id: header.workflow_id,
            status: self.status.unwrap_or(RunStatus::Running),
            started_at: header.started_at,
            finished_at: self.finished_at,
            duration_ms: self.duration_ms,
            trigger: header.trigger,
            input: header.input,
            vars: self.vars,
            output: self.output,
            errors: self.errors,
            response: self.response,
            nodes,
        })
    }
}

fn pending_record(node: Id, null: &Arc<Value>) -> NodeRecord {
    NodeRecord {
        node: node.to_string(),
        status: NodeStatus::Pending,
        attempts: 0,
        started_at: None,
        duration_ms: None,
        input: null.clone(),
        output: null.clone(),
        error: None,
        logs: Vec::new(),
        http: None,
        iterations: None,
        mocked: false,
        pinned: false,
        reused: false,
        subflow: None,
    }
}

/// Folds a whole journal into its report.
pub fn fold(entries: impl IntoIterator<Item = JournalEntry>) -> Result<RunReport, JournalError> {
    let mut f = ReportFold::new();
    for entry in entries {
        f.apply(entry)?;
    }
    f.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn started(nodes: &[&str]) -> JournalEntry {
        JournalEntry::RunStarted {
            run_id: "r1".into(),
            workflow_id: "w".into(),
            trigger: "t".into(),
            at: "2026-01-01T00:00:00.000Z".into(),
            input: Box::new(json!({"a": 1})),
            vars: Box::default(),
            nodes: nodes.iter().map(|s| Id::from(*s)).collect(),
        }
    }

    fn finished(node: &str, status: NodeStatus, output: Value) -> JournalEntry {
        JournalEntry::NodeFinished {
            node: node.into(),
            status,
            attempts: 1,
            duration_ms: 2,
            output: Arc::new(output),
            error: None,
            logs: vec![],
            http: None,
            iterations: None,
            subflow: None,
        }
    }

    fn start(node: &str) -> [JournalEntry; 2] {
        [
            JournalEntry::NodeReady { node: node.into() },
            JournalEntry::NodeStarted {
                node: node.into(),
                at: "2026-01-01T00:00:00.001Z".into(),
                input: Arc::new(json!(node)),
                mocked: false,
                pinned: false,
                reused: false,
            },
        ]
    }

    #[test]
    fn folds_a_run_in_start_order_with_vars_and_response() {
        let mut entries = vec![started(&["t", "skip", "b", "a"])];
        entries.extend(start("t"));
        entries.push(finished("t", NodeStatus::Succeeded, json!(1)));
        entries.push(JournalEntry::NodeSkipped {
            node: "skip".into(),
        });
        entries.extend(start("a"));
        entries.push(JournalEntry::VarsWritten {
            node: "a".into(),
            vars: Box::new(json!({"x": 2}).as_object().unwrap().clone()),
        });
        entries.push(finished("a", NodeStatus::Succeeded, json!("A")));
        entries.extend(start("b"));
        entries.push(JournalEntry::ResponseSet {
            node: "b".into(),
            status: 409,
            body: json!({"why": "no"}),
        });
        entries.push(finished("b", NodeStatus::Succeeded, json!("B")));
        entries.push(JournalEntry::RunFinished {
            status: RunStatus::Succeeded,
            at: "2026-01-01T00:00:01.000Z".into(),
            duration_ms: 1000,
            output: Box::new(json!({"why": "no"})),
            errors: vec![],
        });
        let report = fold(entries).unwrap();
        let order: Vec<_> = report.nodes.iter().map(|n| n.node.as_str()).collect();
        assert_eq!(order, ["t", "a", "b", "skip"]);
        assert_eq!(report.status, RunStatus::Succeeded);
        assert_eq!(report.vars, *json!({"x": 2}).as_object().unwrap());
        assert_eq!(report.response.unwrap().status, 409);
        assert_eq!(*report.nodes[1].input, json!("a"));
        assert_eq!(*report.nodes[1].output, json!("A"));
        assert_eq!(report.nodes[3].status, NodeStatus::Skipped);
    }

    #[test]
    fn refuses_illegal_and_unknown_moves() {
        // A node that finishes without starting.
        let entries = vec![
            started(&["a"]),
            finished("a", NodeStatus::Succeeded, json!(1)),
        ];
        assert_eq!(
            fold(entries).unwrap_err().to_string(),
            "node \"a\" cannot go from pending to succeeded"
        );
        let entries = vec![
            started(&["a"]),
            JournalEntry::NodeReady { node: "zz".into() },
        ];
        assert_eq!(
            fold(entries).unwrap_err(),
            JournalError::UnknownNode("zz".into())
        );
        assert_eq!(
            fold(vec![JournalEntry::NodeReady { node: "a".into() }]).unwrap_err(),
            JournalError::NotStarted
        );
        let end = JournalEntry::RunFinished {
            status: RunStatus::Succeeded,
            at: "x".into(),
            duration_ms: 0,
            output: Box::default(),
            errors: vec![],
        };
        assert_eq!(
            fold(vec![started(&["a"]), end.clone(), end]).unwrap_err(),
            JournalError::AfterFinish
        );
    }

    #[test]
    fn a_journal_without_its_end_is_a_running_report() {
        let mut entries = vec![started(&["a", "b"])];
        entries.extend(start("a"));
        let report = fold(entries).unwrap();
        assert_eq!(report.status, RunStatus::Running);
        assert_eq!(report.finished_at, None);
        assert_eq!(report.nodes[0].status, NodeStatus::Running);
        assert_eq!(report.nodes[1].status, NodeStatus::Pending);
    }
}
