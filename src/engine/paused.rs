//! A run paused by the debugger, before node `i`: it answers questions about
//! the node it would start, lets nodes already running finish, and goes on at
//! `step` or `continue`. Pausing and resuming are journal entries.

use super::attempts::Finished;
use super::context::RunShared;
use super::debug::{DebugCommand, DebugControl};
use super::scheduler::Scheduler;
use super::RunControl;
use crate::expr::eval::resolve_map;
use crate::expr::{with_sandbox, Limits, Scope};
use crate::model::JournalEntry;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinSet;

/// How a pause ended.
pub(crate) enum Resumed {
    /// Start the node.
    Go,
    /// The run was cancelled while paused.
    Cancelled,
}

/// Pauses before node `i` until the debugger says go on.
pub(crate) async fn pause(
    s: &mut Scheduler,
    i: usize,
    shared: &Arc<RunShared>,
    tasks: &mut JoinSet<Finished>,
    running: &mut usize,
    control: &RunControl,
    (debug, commands): (&DebugControl, &mut UnboundedReceiver<DebugCommand>),
) -> Resumed {
    let node = s.p.ids.nodes[i].clone();
    s.record(JournalEntry::RunPaused { node: node.clone() });
    s.commit();
    loop {
        tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else {
                    // Nobody can answer any more: no further pauses.
                    debug.detach();
                    break;
                };
                match command {
                    DebugCommand::Step => { debug.set_step(true); break; }
                    DebugCommand::Continue => { debug.set_step(false); break; }
                    DebugCommand::Detach => { debug.detach(); break; }
                    // Every answer shows `[secret NAME]` where a secret's value would be.
                    DebugCommand::Input(a) => { let _ = a.send(Ok(s.journal.redacted((*s.input_of(i)).clone()))); }
                    DebugCommand::Vars(a) => { let _ = a.send(Ok(s.journal.redacted(Value::Object((*s.vars).clone())))); }
                    DebugCommand::Output(id, a) => { let _ = a.send(output_of(s, &id).map(|v| s.journal.redacted(v))); }
                    DebugCommand::Config(a) => { let _ = a.send(config_of(s, i, shared).map(|v| s.journal.redacted(v))); }
                    DebugCommand::Eval(expr, a) => { let _ = a.send(eval_at(s, i, shared, &expr).map(|v| s.journal.redacted(v)).map_err(|e| s.journal.redacted_text(e))); }
                }
            }
            // Nodes already running finish; what they make ready waits.
            done = tasks.join_next(), if *running > 0 => {
                *running -= 1;
                if let Some(Ok(f)) = done {
                    s.finish(f);
                    s.commit();
                }
            }
            _ = control.token().cancelled() => return Resumed::Cancelled,
        }
    }
    s.record(JournalEntry::RunResumed { node });
    Resumed::Go
}

fn output_of(s: &Scheduler, id: &str) -> Result<Value, String> {
    let Some(&j) = s.p.index_of.get(id) else {
        return Err(format!("no node \"{id}\" in this workflow"));
    };
    use crate::model::NodeStatus::*;
    match s.status(j) {
        Succeeded | Failed | Waiting => Ok((*s.outputs[j]).clone()),
        other => Err(format!(
            "node \"{id}\" has not finished (it is {})",
            serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        )),
    }
}

/// `$nodes` as the paused node sees it: every node that has finished.
fn nodes_so_far(s: &Scheduler) -> Value {
    let mut map = Map::new();
    for (j, id) in s.p.ids.nodes.iter().enumerate() {
        use crate::model::NodeStatus::*;
        if matches!(s.status(j), Succeeded | Failed | Waiting | Skipped) {
            map.insert(
                id.to_string(),
                json!({"output": *s.outputs[j], "status": s.status(j)}),
            );
        }
    }
    Value::Object(map)
}

fn with_scope<R>(s: &Scheduler, i: usize, shared: &RunShared, f: impl FnOnce(&Scope) -> R) -> R {
    let input = s.input_of(i);
    let nodes = nodes_so_far(s);
    let mut scope = Scope::of(&input, &shared.trigger, &s.vars, &nodes, &shared.run);
    scope.secrets = &shared.secrets;
    f(&scope)
}

fn limits(s: &Scheduler, i: usize) -> Limits {
    Limits {
        time: std::time::Duration::from_millis(s.p.workflow.nodes[i].timeout_ms.unwrap_or(5_000)),
        ..Limits::default()
    }
}

fn config_of(s: &Scheduler, i: usize, shared: &RunShared) -> Result<Value, String> {
    let node = &s.p.workflow.nodes[i];
    let empty = Map::new();
    let config = node.config.as_ref().unwrap_or(&empty);
    let raw = s.p.kinds[i].raw_keys();
    let limits = limits(s, i);
    with_scope(s, i, shared, |scope| {
        with_sandbox(|sb| resolve_map(config, "config", raw, scope, sb, limits))
            .map(Value::Object)
            .map_err(|e| format!("{} failed: {}", e.path, e.error))
    })
}

fn eval_at(s: &Scheduler, i: usize, shared: &RunShared, expr: &str) -> Result<Value, String> {
    let limits = limits(s, i);
    with_scope(s, i, shared, |scope| {
        with_sandbox(|sb| sb.eval_expression(expr, scope, limits)).map_err(|e| e.to_string())
    })
}
