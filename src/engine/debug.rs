//! The debugger's control on a run: breakpoints, step mode, and the commands
//! a paused run answers. Pausing is a state of the one executor (the run moves
//! `running → paused → running`, each a journal entry), not a second code path:
//! while paused no new node starts, and nodes already running finish.

use serde_json::Value;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// What a paused run is asked.
#[derive(Debug)]
pub enum DebugCommand {
    /// Run the paused node, then pause before the next node that starts.
    Step,
    /// Run to the next breakpoint, or to the end.
    Continue,
    /// Run to the end: no further pauses (the controller went away).
    Detach,
    /// The paused node's input.
    Input(Answer),
    /// The paused node's config with every expression evaluated.
    Config(Answer),
    /// `$vars` as they are now.
    Vars(Answer),
    /// A finished node's output.
    Output(String, Answer),
    /// A JavaScript expression (no braces) in the paused node's scope.
    Eval(String, Answer),
}

/// Where an answer goes: a value, or an error a person can act on.
pub type Answer = oneshot::Sender<Result<Value, String>>;

#[derive(Debug, Default)]
struct Settings {
    breakpoints: HashSet<String>,
    step: bool,
}

/// The handle on a run's debugger. Clone it: the run keeps one, the shell
/// (CLI or app) the other.
#[derive(Debug, Clone)]
pub struct DebugControl {
    settings: Arc<Mutex<Settings>>,
    commands: mpsc::UnboundedSender<DebugCommand>,
    receiver: Arc<Mutex<Option<mpsc::UnboundedReceiver<DebugCommand>>>>,
}

impl DebugControl {
    /// A control with breakpoints on `breakpoints`, pausing before every node in step mode.
    pub fn new(breakpoints: impl IntoIterator<Item = String>, step: bool) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        DebugControl {
            settings: Arc::new(Mutex::new(Settings {
                breakpoints: breakpoints.into_iter().collect(),
                step,
            })),
            commands: tx,
            receiver: Arc::new(Mutex::new(Some(rx))),
        }
    }

    pub fn set_breakpoint(&self, node: &str) {
        self.settings
            .lock()
            .expect("debug lock")
            .breakpoints
            .insert(node.to_string());
    }

    pub fn clear_breakpoint(&self, node: &str) {
        self.settings
            .lock()
            .expect("debug lock")
            .breakpoints
            .remove(node);
    }

    pub fn breakpoints(&self) -> Vec<String> {
        let mut b: Vec<String> = self
            .settings
            .lock()
            .expect("debug lock")
            .breakpoints
            .iter()
            .cloned()
            .collect();
        b.sort();
        b
    }

    /// Sends a command to the run; it is taken when the run is paused.
    pub fn send(&self, command: DebugCommand) {
        let _ = self.commands.send(command);
    }

    /// Asks the paused run a question and waits for its answer.
    pub async fn ask(
        &self,
        question: impl FnOnce(Answer) -> DebugCommand,
    ) -> Result<Value, String> {
        let (tx, rx) = oneshot::channel();
        self.send(question(tx));
        rx.await
            .unwrap_or_else(|_| Err("the run is not paused any more".into()))
    }

    /// Whether the run pauses before `node`.
    pub(crate) fn pauses_before(&self, node: &str) -> bool {
        let s = self.settings.lock().expect("debug lock");
        s.step || s.breakpoints.contains(node)
    }

    pub(crate) fn set_step(&self, step: bool) {
        self.settings.lock().expect("debug lock").step = step;
    }

    /// Detached: no further pauses.
    pub(crate) fn detach(&self) {
        let mut s = self.settings.lock().expect("debug lock");
        s.step = false;
        s.breakpoints.clear();
    }

    /// The run's end of the command channel (taken once, by the executor).
    pub(crate) fn take_receiver(&self) -> Option<mpsc::UnboundedReceiver<DebugCommand>> {
        self.receiver.lock().expect("debug lock").take()
    }
}

/// Evaluates an expression against a finished run's report. With `node`, in
/// that node's scope: its `$input`, the `$nodes` that had finished before it
/// started (those earlier in the report's start order), and the run's final
/// `$vars` (a report keeps no others). Without, at the end of the run: every
/// node that ran, the final `$vars`, and the run's output as `$input`.
pub fn eval_in_report(
    report: &crate::model::RunReport,
    node: Option<&str>,
    expr: &str,
) -> Result<Value, String> {
    use crate::model::NodeStatus::{Failed, Succeeded, Waiting};
    let finished = |r: &&crate::model::NodeRecord| matches!(r.status, Succeeded | Failed | Waiting);
    let (input, records): (Value, Vec<&crate::model::NodeRecord>) = match node {
        Some(id) => {
            let at = report
                .nodes
                .iter()
                .position(|r| r.node == id)
                .ok_or_else(|| format!("the run has no node \"{id}\""))?;
            let rec = &report.nodes[at];
            if rec.started_at.is_none() {
                return Err(format!(
                    "node \"{id}\" did not run in this run (it is {})",
                    serde_json::to_value(rec.status)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                ));
            }
            (
                (*rec.input).clone(),
                report.nodes[..at].iter().filter(finished).collect(),
            )
        }
        None => (
            report.output.clone(),
            report.nodes.iter().filter(finished).collect(),
        ),
    };
    let nodes: serde_json::Map<String, Value> = records
        .into_iter()
        .map(|r| {
            (
                r.node.clone(),
                serde_json::json!({"output": *r.output, "status": r.status}),
            )
        })
        .collect();
    let nodes = Value::Object(nodes);
    let run = serde_json::json!({"id": report.run_id, "workflowId": report.workflow_id, "startedAt": report.started_at});
    let scope = crate::expr::Scope::of(&input, &report.input, &report.vars, &nodes, &run);
    crate::expr::with_sandbox(|sb| sb.eval_expression(expr, &scope, crate::expr::Limits::default()))
        .map_err(|e| e.to_string())
}
