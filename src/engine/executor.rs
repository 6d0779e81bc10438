//! The executor's loop: starts at the trigger that fired, starts ready nodes
//! (in place when they cannot hold anything up, else as tasks), takes their
//! results, and ends the run. The moves themselves are the scheduler's; the
//! report is the journal's fold.

use super::attempts::{cancelled, run_node, Finished, Launch};
use super::context::{error, RunShared};
use super::journal::Journal;
use super::paused;
use super::prepared::{prepare, Prepared};
use super::scheduler::{EdgeState, Scheduler};
use super::{now_rfc3339, EventSink, RunControl, RunError, RunOptions};
use crate::error::Code;
use crate::model::{JournalEntry, NodeError, NodeStatus, OnError, RunReport, RunStatus, Workflow};
use crate::nodes::Runs;
use futures::FutureExt;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Instant;
use tokio::task::JoinSet;

/// Runs a workflow to its end (or until it waits, fails or is cancelled).
pub fn run(
    workflow: Arc<Workflow>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> futures::future::BoxFuture<'static, Result<RunReport, RunError>> {
    match prepare(workflow) {
        Ok(prepared) => run_prepared(prepared, options, control, events),
        Err(e) => Box::pin(async move { Err(e) }),
    }
}

/// Runs a prepared workflow. Boxed, and declared `Send`, because
/// `task.subflow` runs workflows from inside a run.
pub fn run_prepared(
    prepared: Arc<Prepared>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> futures::future::BoxFuture<'static, Result<RunReport, RunError>> {
    Box::pin(run_to_end(prepared, options, control, events))
}

/// One HTTP client for the process: it pools connections, and building one
/// (TLS roots included) is far too slow to repeat for every run.
fn http_client() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(reqwest::Client::new).clone()
}

fn trigger_names(p: &Prepared) -> String {
    let names: Vec<&str> = p
        .triggers
        .iter()
        .map(|&i| p.workflow.nodes[i].id.as_str())
        .collect();
    names.join(", ")
}

/// The trigger that fired: the one named, or the only one.
fn fired_trigger(p: &Prepared, options: &RunOptions) -> Result<usize, RunError> {
    match &options.trigger {
        Some(t) => p
            .triggers
            .iter()
            .copied()
            .find(|&i| p.workflow.nodes[i].id == *t)
            .ok_or_else(|| {
                RunError::Trigger(format!(
                    "\"{t}\" is not a trigger of this workflow; its triggers are: {}",
                    trigger_names(p)
                ))
            }),
        None if p.triggers.len() == 1 => Ok(p.triggers[0]),
        None => Err(RunError::Trigger(format!(
            "the workflow has several triggers ({}); choose one with --trigger",
            trigger_names(p)
        ))),
    }
}

/// Whether a node can run on the executor's own thread: it finishes without
/// waiting on anything, so spawning a task would only add overhead.
fn runs_in_place(s: &Scheduler, i: usize, shared: &RunShared, running: usize) -> bool {
    let node = &s.p.workflow.nodes[i];
    let kind = s.p.kinds[i];
    super::stand_in::stand_in_for(&shared.options, &node.id, kind).is_some()
        || (node.retry.is_none()
            && match kind.runs() {
                Runs::Immediately => node.timeout_ms.is_none(),
                // Code while nothing else runs holds nothing up; its own
                // time limit and the run's cancel still reach it.
                Runs::Blocking => running == 0 && s.ready.is_empty(),
                Runs::Async => false,
            })
}

/// A run ready to be driven: fresh, or rebuilt from its journal.
struct Begun {
    s: Scheduler,
    shared: Arc<RunShared>,
    /// The trigger that fired: never paused before.
    fired: usize,
    /// The fired trigger's input, for a fresh run.
    first_input: Option<Arc<Value>>,
    /// When the run started, for its duration.
    clock: Instant,
}

async fn run_to_end(
    p: Arc<Prepared>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> Result<RunReport, RunError> {
    let workflow = p.workflow.clone();
    let fired = fired_trigger(&p, &options)?;
    let input = options
        .input
        .clone()
        .or_else(|| workflow.nodes[fired].config_value("sampleInput").cloned())
        .unwrap_or_else(|| json!({}));
    let mut vars = workflow.variables.clone().unwrap_or_default();
    vars.extend(options.vars.clone());

    let run_id = uuid::Uuid::new_v4().to_string();
    let started_at = now_rfc3339();
    let clock = Instant::now();
    let run_info = json!({"id": run_id, "workflowId": workflow.id, "startedAt": started_at});
    let shared_secrets = options.secrets.clone();
    let journal = Journal::new(
        options.journal.as_ref().map(|j| j.0.clone()),
        events.clone(),
        p.ids.clone(),
    )
    .redacting(&shared_secrets);
    let mut s = Scheduler::new(p.clone(), journal, vars.clone());
    s.record(JournalEntry::RunStarted {
        run_id,
        workflow_id: workflow.id.clone(),
        trigger: workflow.nodes[fired].id.clone(),
        at: started_at,
        input: Box::new(input.clone()),
        vars: Box::new(vars),
        nodes: p.ids.nodes.clone(),
    });
    // Triggers that did not fire are skipped, and so is what only they reach.
    for &t in &p.triggers {
        if t != fired {
            s.skip(t);
        }
    }
    let shared = Arc::new(RunShared {
        workflow: workflow.clone(),
        trigger: input.clone(),
        run: run_info,
        options,
        http: http_client(),
        // A child token: a failure stops the run's nodes without marking
        // the run itself cancelled.
        cancel: control.token().child_token(),
        events,
        secrets: secrets_scope(&shared_secrets),
    });
    s.make_ready(fired);
    let begun = Begun {
        s,
        shared,
        fired,
        first_input: Some(Arc::new(input)),
        clock,
    };
    drive(begun, control).await
}

/// Continues a run from its recorded journal (`runs resume`, `tasks decide`):
/// the state is rebuilt entry by entry, nodes that were running when its
/// process ended run again, a decided human task takes its port, and the run
/// goes on. New entries go to `options.journal`; the recorded ones are there already.
pub fn continue_run(
    prepared: Arc<Prepared>,
    recorded: Vec<JournalEntry>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> futures::future::BoxFuture<'static, Result<RunReport, RunError>> {
    Box::pin(async move {
        let begun = rebuild(prepared, recorded, options, &control, events)?;
        drive(begun, control).await
    })
}

fn rebuild(
    p: Arc<Prepared>,
    recorded: Vec<JournalEntry>,
    options: RunOptions,
    control: &RunControl,
    events: EventSink,
) -> Result<Begun, RunError> {
    let Some(JournalEntry::RunStarted {
        run_id,
        workflow_id,
        trigger,
        at,
        input,
        nodes,
        ..
    }) = recorded.first().cloned()
    else {
        return Err(RunError::Internal(
            "the recorded journal does not begin with the run's start".into(),
        ));
    };
    if nodes != p.ids.nodes {
        return Err(RunError::Internal(format!(
            "the recorded run {run_id} was of another version of workflow \"{workflow_id}\""
        )));
    }
    let fired = p.index_of.get(&trigger).copied().ok_or_else(|| {
        RunError::Internal(format!(
            "the recorded trigger \"{trigger}\" is not in the workflow"
        ))
    })?;
    let journal = Journal::new(
        options.journal.as_ref().map(|j| j.0.clone()),
        events.clone(),
        p.ids.clone(),
    )
    .redacting(&options.secrets);
    let mut s = Scheduler::new(p.clone(), journal, Map::new());
    for entry in recorded {
        s.replay(entry).map_err(|e| {
            RunError::Internal(format!(
                "the recorded journal of run {run_id} does not replay: {e}"
            ))
        })?;
    }
    if s.status(fired) == NodeStatus::Pending && !s.ready.contains(&fired) {
        // Cut off before its trigger was reached: it begins as a fresh run does.
        for &t in &p.triggers {
            if t != fired && s.status(t) == NodeStatus::Pending {
                s.skip(t);
            }
        }
        s.make_ready(fired);
    }
    s.go_on_after_replay();
    // The run's duration counts from its first start, across processes.
    let clock = chrono::DateTime::parse_from_rfc3339(&at)
        .ok()
        .and_then(|t| {
            (chrono::Utc::now() - t.with_timezone(&chrono::Utc))
                .to_std()
                .ok()
        })
        .and_then(|since| Instant::now().checked_sub(since))
        .unwrap_or_else(Instant::now);
    let input = *input;
    let first_input = Some(Arc::new(input.clone()));
    let secrets = secrets_scope(&options.secrets);
    let shared = Arc::new(RunShared {
        workflow: p.workflow.clone(),
        trigger: input,
        run: json!({"id": run_id, "workflowId": workflow_id, "startedAt": at}),
        options,
        http: http_client(),
        cancel: control.token().child_token(),
        secrets,
        events,
    });
    Ok(Begun {
        s,
        shared,
        fired,
        first_input,
        clock,
    })
}

/// `$secrets` as the scope shows it.
fn secrets_scope(secrets: &std::collections::BTreeMap<String, String>) -> Value {
    Value::Object(
        secrets
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// Runs the ready nodes until nothing more can run.
async fn drive(begun: Begun, control: RunControl) -> Result<RunReport, RunError> {
    let Begun {
        mut s,
        shared,
        fired,
        mut first_input,
        clock,
    } = begun;
    let workflow = shared.workflow.clone();
    let mut tasks: JoinSet<Finished> = JoinSet::new();
    let mut running = 0usize;
    // Nodes started on tasks since the journal was last committed: they are
    // spawned once it is, so that their start is durable before they act.
    let mut to_spawn: Vec<Launch> = Vec::new();
    let mut is_cancelled = false;
    let debug = shared.options.debug.clone();
    let mut commands = debug.as_ref().and_then(|d| d.take_receiver());

    loop {
        while !s.failed && !is_cancelled {
            let Some(i) = s.ready.pop_front() else {
                break;
            };
            // The debugger pauses before a node (never the trigger that fired).
            if let (Some(d), Some(rx)) = (&debug, commands.as_mut()) {
                if i != fired && d.pauses_before(&workflow.nodes[i].id) {
                    spawn_started(&mut s, &mut tasks, &mut to_spawn);
                    let resumed = paused::pause(
                        &mut s,
                        i,
                        &shared,
                        &mut tasks,
                        &mut running,
                        &control,
                        (d, rx),
                    )
                    .await;
                    if let paused::Resumed::Cancelled = resumed {
                        is_cancelled = true;
                        s.ready.push_front(i);
                        break;
                    }
                    if s.failed {
                        s.ready.push_front(i);
                        break;
                    }
                }
            }
            let input = match first_input.take() {
                Some(input) if i == fired => input,
                _ => s.input_of(i),
            };
            let in_place = runs_in_place(&s, i, &shared, running);
            let launch = s.start(i, input, &shared);
            if in_place {
                if s.p.kinds[i].runs() == Runs::Blocking {
                    // Code can take a while: show what ran so far first.
                    s.journal.send_events();
                }
                // Nodes run in place never wait, so they finish on the first poll.
                let future = std::pin::pin!(run_node(launch));
                let finished = future.now_or_never().unwrap_or_else(|| {
                    let e = error(Code::Internal, "a node run in place did not finish at once");
                    Finished::failed(i, e)
                });
                s.finish(finished);
                continue;
            }
            to_spawn.push(launch);
            running += 1;
        }
        spawn_started(&mut s, &mut tasks, &mut to_spawn);
        if running == 0 {
            // The end of the run commits in `end_run`.
            break;
        }
        // The executor is about to wait: what happened so far is durable,
        // and the listener gets it.
        s.commit();
        if s.failed || is_cancelled {
            // A failure stops the run: what is still running is cancelled.
            // Code on the blocking pool sees the cancel through its sandbox.
            shared.cancel.cancel();
            tasks.abort_all();
            while let Some(done) = tasks.join_next().await {
                if let Ok(f) = done {
                    if s.status(f.index) == NodeStatus::Running {
                        s.finish(f);
                    }
                }
            }
            break;
        }
        tokio::select! {
            done = tasks.join_next() => {
                running -= 1;
                match done {
                    Some(Ok(f)) => s.finish(f),
                    Some(Err(e)) => {
                        s.failed = true;
                        s.broken_task = Some(format!("a node's task stopped: {e}"));
                    }
                    None => running = 0,
                }
            }
            _ = control.token().cancelled(), if !is_cancelled => {
                is_cancelled = true;
            }
        }
    }
    if control.is_cancelled() {
        is_cancelled = true;
    }
    end_run(s, is_cancelled, clock)
}

/// Commits the journal, then spawns the nodes started since: a node that
/// acts outside the run (HTTP, SQL, a delay) does so only once its start is
/// recorded. Code runs on the blocking pool, so the async workers keep
/// serving other branches and runs.
fn spawn_started(s: &mut Scheduler, tasks: &mut JoinSet<Finished>, to_spawn: &mut Vec<Launch>) {
    if to_spawn.is_empty() {
        return;
    }
    s.commit();
    if s.failed {
        // Not recorded: they never start; the run's end cancels them.
        to_spawn.clear();
        return;
    }
    for launch in to_spawn.drain(..) {
        let i = launch.index;
        if launch.kind.runs() == Runs::Blocking {
            let handle = tokio::runtime::Handle::current();
            tasks.spawn(async move {
                tokio::task::spawn_blocking(move || handle.block_on(run_node(launch)))
                    .await
                    .unwrap_or_else(|e| {
                        Finished::failed(
                            i,
                            error(Code::Internal, format!("the code node stopped: {e}")),
                        )
                    })
            });
        } else {
            tasks.spawn(run_node(launch));
        }
    }
}

/// Ends the run: nodes still running or never started are cancelled (or stay
/// pending in a waiting run), the output is computed, and the journal folds.
fn end_run(mut s: Scheduler, is_cancelled: bool, clock: Instant) -> Result<RunReport, RunError> {
    let p = s.p.clone();
    let stopped = is_cancelled || s.failed;
    if stopped {
        for i in 0..p.workflow.nodes.len() {
            match s.status(i) {
                NodeStatus::Running => s.finish(Finished::failed(
                    i,
                    error(Code::Cancelled, "the run stopped before this node finished"),
                )),
                NodeStatus::Pending => s.record_at(
                    JournalEntry::NodeCancelled {
                        node: p.ids.nodes[i].clone(),
                    },
                    Some(i),
                ),
                _ => {}
            }
        }
    }
    let status = if is_cancelled {
        RunStatus::Cancelled
    } else if s.failed {
        RunStatus::Failed
    } else if s.waiting {
        RunStatus::Waiting
    } else {
        RunStatus::Succeeded
    };
    let mut errors = Vec::new();
    if let Some(message) = s.broken_task.take() {
        errors.push(NodeError {
            node: None,
            code: Code::Internal,
            message,
        });
    }
    if let Some(e) = &s.broken {
        errors.push(NodeError {
            node: None,
            code: Code::Internal,
            message: format!("the engine made an illegal move: {e}"),
        });
    }
    if is_cancelled {
        let e = cancelled();
        errors.push(NodeError {
            node: None,
            code: e.code,
            message: e.message,
        });
    }
    let output = match s.journal.response_body() {
        Some(body) => body,
        None => {
            let mut leaves = Map::new();
            for (i, node) in p.workflow.nodes.iter().enumerate() {
                let status = s.status(i);
                let ran = status == NodeStatus::Succeeded
                    || (status == NodeStatus::Failed && node.on_error() == OnError::Continue);
                let goes_on = p.outgoing[i]
                    .iter()
                    .any(|&e| matches!(s.edges[e], EdgeState::Taken(_)));
                if ran && !goes_on {
                    leaves.insert(node.id.clone(), (*s.outputs[i]).clone());
                }
            }
            Value::Object(leaves)
        }
    };
    s.record(JournalEntry::RunFinished {
        status,
        at: now_rfc3339(),
        duration_ms: clock.elapsed().as_millis() as u64,
        output: Box::new(output),
        errors,
    });
    // The scheduler lets go of its payloads first, so that the fold moves
    // values into the report instead of copying them.
    let (report, committed) = s.into_journal().end();
    committed.map_err(|e| {
        RunError::Internal(format!(
            "the run's end could not be written to the run history: {e}"
        ))
    })?;
    report.map_err(|e| RunError::Internal(format!("the run's journal does not fold: {e}")))
}
