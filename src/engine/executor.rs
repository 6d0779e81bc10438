//! The scheduler: readiness by edges, dead-path skipping, concurrency, retry,
//! timeouts, forEach, onError, cancellation, and the run report.

use super::nodes::{self, error, NodeCtx, RunShared, Step};
use super::prepared::{prepare, Prepared};
use super::{now_rfc3339, EventSink, RunControl, RunError, RunOptions};
use crate::expr::Limits;
use crate::model::catalogue::NodeConfig;
use crate::model::{Decision, Mock};
use crate::model::{
    ErrorInfo, Iteration, LogLevel, LogLine, NodeError, NodeKind, NodeRecord, NodeStatus, OnError,
    RunEvent, RunReport, RunStatus, Workflow,
};
use futures::FutureExt;
use serde_json::{json, Map, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::task::JoinSet;

/// What running a node (all its items and attempts) gave.
struct Finished {
    index: usize,
    result: Result<Step, ErrorInfo>,
    attempts: u32,
    iterations: Option<Vec<Iteration>>,
    logs: Vec<LogLine>,
    http: Option<crate::model::HttpExchange>,
}

#[derive(Clone)]
enum EdgeState {
    Open,
    /// Taken, with the payload the target's `$input` is made of.
    Taken(Arc<Value>),
    Dead,
}

/// Everything a node needs from the run when it starts.
struct Launch {
    shared: Arc<RunShared>,
    index: usize,
    kind: NodeKind,
    input: Arc<Value>,
    vars: Arc<Map<String, Value>>,
    nodes: Arc<Value>,
    literal_config: Option<Arc<NodeConfig>>,
}

impl Launch {
    fn ctx(&self, item: Option<Value>, index: Option<usize>) -> Arc<NodeCtx> {
        let node = &self.shared.workflow.nodes[self.index];
        Arc::new(NodeCtx {
            shared: self.shared.clone(),
            node_index: self.index,
            kind: self.kind,
            input: self.input.clone(),
            vars: self.vars.clone(),
            nodes: self.nodes.clone(),
            item,
            index,
            limits: Limits {
                time: Duration::from_millis(node.timeout_ms.unwrap_or(5_000)),
                ..Limits::default()
            },
            literal_config: self.literal_config.clone(),
            logs: Mutex::new(Vec::new()),
            exchange: Mutex::new(None),
        })
    }
}

/// One node's attempts: retry with exponential backoff, and `timeoutMs` per
/// attempt (for `task.code` the sandbox enforces it, with its own message).
async fn attempts(launch: &Launch, ctx: Arc<NodeCtx>) -> (Result<Step, ErrorInfo>, u32) {
    let node = &launch.shared.workflow.nodes[launch.index];
    let max = node.retry.as_ref().map_or(1, |r| r.max_attempts.max(1));
    let backoff = node.retry.as_ref().map_or(0, |r| r.backoff_ms);
    let mut attempt = 1;
    loop {
        let run = nodes::execute(ctx.clone());
        let result = match node.timeout_ms {
            Some(ms) if launch.kind != NodeKind::TaskCode => {
                match tokio::time::timeout(Duration::from_millis(ms), run).await {
                    Ok(r) => r,
                    Err(_) => Err(error(
                        "timeout",
                        format!("the attempt took longer than its timeoutMs of {ms} ms"),
                    )),
                }
            }
            _ => run.await,
        };
        match result {
            Ok(step) => return (Ok(step), attempt),
            Err(e) if e.code == "cancelled" || attempt >= max => return (Err(e), attempt),
            Err(e) => {
                let wait = backoff.saturating_mul(1u64 << (attempt - 1).min(20));
                ctx.log(
                    LogLevel::Warn,
                    format!(
                        "attempt {attempt} of {max} failed: {}; retrying in {wait} ms",
                        e.message
                    ),
                );
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
                    _ = launch.shared.cancel.cancelled() => return (Err(error("cancelled", "the run was cancelled")), attempt),
                }
                attempt += 1;
            }
        }
    }
}

fn drain(ctx: &NodeCtx, logs: &mut Vec<LogLine>, http: &mut Option<crate::model::HttpExchange>) {
    logs.append(&mut ctx.logs.lock().expect("log lock"));
    if let Some(x) = ctx.exchange.lock().expect("exchange lock").take() {
        *http = Some(x);
    }
}

/// What a mocked node gives, without running it.
fn mocked(launch: &Launch, mock: &Mock) -> Finished {
    let result = match mock {
        Mock::Output { output } => Ok(Step::out(output.clone())),
        Mock::Error { error: message } => Err(error("mocked_error", message.clone())),
        Mock::Decision { decision, comment } => {
            let port = match decision {
                Decision::Approved => "approved",
                Decision::Rejected => "rejected",
            };
            Ok(Step::on(
                json!({"decision": port, "comment": comment, "by": "test", "at": now_rfc3339()}),
                port,
            ))
        }
    };
    Finished {
        index: launch.index,
        result,
        attempts: 0,
        iterations: None,
        logs: vec![LogLine {
            at: now_rfc3339(),
            level: LogLevel::Info,
            message: "mocked: the node did not run".into(),
        }],
        http: None,
    }
}

/// Runs a node: a mock, disabled pass-through, forEach items one after another, attempts.
async fn run_node(launch: Launch) -> Finished {
    let node = &launch.shared.workflow.nodes[launch.index];
    if let Some(mock) = launch.shared.options.mocks.get(&node.id) {
        return mocked(&launch, mock);
    }
    let (mut logs, mut http) = (Vec::new(), None);
    if node.is_disabled() {
        let port = match launch.kind {
            NodeKind::ConditionIf => "true",
            NodeKind::ConditionSwitch => "default",
            _ => "out",
        };
        return Finished {
            index: launch.index,
            result: Ok(Step::on((*launch.input).clone(), port)),
            attempts: 0,
            iterations: None,
            logs: vec![LogLine {
                at: now_rfc3339(),
                level: LogLevel::Info,
                message: "disabled: input passed through".into(),
            }],
            http: None,
        };
    }
    let Some(each) = &node.for_each else {
        let ctx = launch.ctx(None, None);
        let (result, attempts) = attempts(&launch, ctx.clone()).await;
        drain(&ctx, &mut logs, &mut http);
        return Finished {
            index: launch.index,
            result,
            attempts,
            iterations: None,
            logs,
            http,
        };
    };
    let probe = launch.ctx(None, None);
    let items = match probe.resolve(&Value::String(each.clone()), "forEach") {
        Ok(Value::Array(items)) => items,
        result => {
            let e = match result {
                Err(e) => e,
                Ok(other) => error(
                    "for_each_not_array",
                    format!(
                        "forEach gave {}, not an array",
                        crate::file::json_type_name(&other)
                    ),
                ),
            };
            return Finished {
                index: launch.index,
                result: Err(e),
                attempts: 1,
                iterations: Some(vec![]),
                logs,
                http,
            };
        }
    };
    let mut iterations = Vec::with_capacity(items.len());
    let mut outputs = Vec::with_capacity(items.len());
    let mut vars = Map::new();
    let (mut total_attempts, mut port) = (0, std::borrow::Cow::Borrowed("out"));
    for (i, item) in items.into_iter().enumerate() {
        let ctx = launch.ctx(Some(item), Some(i));
        let (result, attempts) = attempts(&launch, ctx.clone()).await;
        drain(&ctx, &mut logs, &mut http);
        total_attempts += attempts;
        match result {
            Ok(step) => {
                iterations.push(Iteration {
                    index: i,
                    status: NodeStatus::Succeeded,
                    attempts,
                    output: step.output.clone(),
                    error: None,
                });
                outputs.push(step.output);
                vars.extend(step.vars);
                port = step.port;
            }
            Err(e) => {
                iterations.push(Iteration {
                    index: i,
                    status: NodeStatus::Failed,
                    attempts,
                    output: Value::Null,
                    error: Some(e.clone()),
                });
                let e = ErrorInfo {
                    code: e.code,
                    message: format!("item {i}: {}", e.message),
                };
                return Finished {
                    index: launch.index,
                    result: Err(e),
                    attempts: total_attempts,
                    iterations: Some(iterations),
                    logs,
                    http,
                };
            }
        }
    }
    let mut step = Step::on(Value::Array(outputs), port);
    step.vars = vars;
    Finished {
        index: launch.index,
        result: Ok(step),
        attempts: total_attempts,
        iterations: Some(iterations),
        logs,
        http,
    }
}

fn trigger_names(p: &Prepared) -> String {
    let names: Vec<&str> = p
        .triggers
        .iter()
        .map(|&i| p.workflow.nodes[i].id.as_str())
        .collect();
    names.join(", ")
}

/// Sends an event, built only when somebody listens.
fn emit(events: &EventSink, event: impl FnOnce() -> RunEvent) {
    if let Some(tx) = events {
        let _ = tx.send(event());
    }
}

struct Run {
    p: Arc<Prepared>,
    events: EventSink,
    records: Vec<NodeRecord>,
    started: Vec<Option<(usize, Instant)>>,
    pending_in: Vec<usize>,
    edges: Vec<EdgeState>,
    /// Inputs and outputs, shared with edges and running nodes while the run
    /// goes on; written into the records once, at the end.
    inputs: Vec<Arc<Value>>,
    outputs: Vec<Arc<Value>>,
    /// Reused by `finish` for the edges a node resolves.
    resolve_buffer: Vec<(usize, EdgeState)>,
    /// `$nodes` for nodes whose expressions name none.
    no_nodes: Arc<Value>,
    ready: VecDeque<usize>,
    vars: Arc<Map<String, Value>>,
    errors: Vec<NodeError>,
    response: Option<Value>,
    failed: bool,
    waiting: bool,
    next_seq: usize,
}

impl Run {
    /// Resolves an edge; a target whose edges are all resolved becomes ready
    /// (some taken) or skipped (all dead, and its own edges die in turn).
    fn resolve_edge(&mut self, edge: usize, state: EdgeState) {
        // The stack allocates only when a skip spreads to further edges.
        let mut work = Vec::new();
        let mut current = Some((edge, state));
        while let Some((e, state)) = current.take().or_else(|| work.pop()) {
            let taken = matches!(state, EdgeState::Taken(_));
            self.edges[e] = state;
            emit(&self.events, || RunEvent::EdgeResolved {
                edge: self.p.workflow.edges[e].id.clone(),
                taken,
            });
            let target = self.p.edge_target[e];
            self.pending_in[target] -= 1;
            if self.pending_in[target] > 0 {
                continue;
            }
            if self.p.incoming[target]
                .iter()
                .any(|&i| matches!(self.edges[i], EdgeState::Taken(_)))
            {
                self.ready.push_back(target);
            } else {
                self.records[target].status = NodeStatus::Skipped;
                emit(&self.events, || RunEvent::NodeFinished {
                    node: self.records[target].node.clone(),
                    status: NodeStatus::Skipped,
                    duration_ms: 0,
                    error: None,
                });
                for &out in &self.p.outgoing[target] {
                    work.push((out, EdgeState::Dead));
                }
            }
        }
    }

    /// `$input`: the one taken edge's payload, or an object keyed by the
    /// predecessors' ids when several were taken.
    fn input_of(&self, index: usize) -> Arc<Value> {
        let mut taken = self.p.incoming[index]
            .iter()
            .filter_map(|&e| match &self.edges[e] {
                EdgeState::Taken(v) => Some((e, v)),
                _ => None,
            });
        let first = taken.next();
        match (first, taken.next()) {
            (Some((_, one)), None) => one.clone(),
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
    fn nodes_scope(&self, i: usize) -> Value {
        let mut map = Map::new();
        for id in &self.p.refs[i] {
            if let Some(&j) = self.p.index_of.get(id) {
                map.insert(
                    id.clone(),
                    json!({"output": *self.outputs[j], "status": self.records[j].status}),
                );
            }
        }
        Value::Object(map)
    }

    fn finish(&mut self, f: Finished) {
        let i = f.index;
        let duration_ms = self.started[i].map_or(0, |(_, t)| t.elapsed().as_millis() as u64);
        let p = self.p.clone();
        let node = &p.workflow.nodes[i];
        let id = &node.id;
        for line in &f.logs {
            emit(&self.events, || RunEvent::Log {
                node: id.clone(),
                line: line.clone(),
            });
        }
        let rec = &mut self.records[i];
        rec.attempts = f.attempts;
        rec.duration_ms = Some(duration_ms);
        rec.logs = f.logs;
        rec.http = f.http;
        rec.iterations = f.iterations;
        let mut resolve = std::mem::take(&mut self.resolve_buffer);
        match f.result {
            Ok(step) if step.waiting => {
                rec.status = NodeStatus::Waiting;
                self.outputs[i] = Arc::new(step.output);
                self.waiting = true;
                emit(&self.events, || RunEvent::RunWaiting { node: id.clone() });
            }
            Ok(step) => {
                rec.status = NodeStatus::Succeeded;
                let output = Arc::new(step.output);
                self.outputs[i] = output.clone();
                if !step.vars.is_empty() {
                    Arc::make_mut(&mut self.vars).extend(step.vars);
                }
                if let Some(r) = step.response {
                    self.response = Some(r["body"].clone());
                }
                for &e in &self.p.outgoing[i] {
                    let taken = self.p.workflow.edges[e].port() == step.port;
                    resolve.push((
                        e,
                        if taken {
                            EdgeState::Taken(output.clone())
                        } else {
                            EdgeState::Dead
                        },
                    ));
                }
            }
            Err(e) if e.code == "cancelled" => {
                rec.status = NodeStatus::Cancelled;
                rec.error = Some(e);
            }
            Err(e) => {
                rec.status = NodeStatus::Failed;
                rec.error = Some(e.clone());
                self.errors.push(NodeError {
                    node: Some(id.clone()),
                    code: e.code.clone(),
                    message: e.message.clone(),
                });
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
                    for &edge in &self.p.outgoing[i] {
                        let taken = self.p.workflow.edges[edge].port() == port;
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
            }
        }
        let rec = &self.records[i];
        emit(&self.events, || RunEvent::NodeFinished {
            node: id.clone(),
            status: rec.status,
            duration_ms,
            error: rec.error.clone(),
        });
        if !self.failed {
            for (e, s) in resolve.drain(..) {
                self.resolve_edge(e, s);
            }
        }
        resolve.clear();
        self.resolve_buffer = resolve;
    }
}

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

async fn run_to_end(
    p: Arc<Prepared>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> Result<RunReport, RunError> {
    let workflow = p.workflow.clone();
    let triggers = &p.triggers;
    let fired = match &options.trigger {
        Some(t) => triggers
            .iter()
            .copied()
            .find(|&i| workflow.nodes[i].id == *t)
            .ok_or_else(|| {
                RunError::Trigger(format!(
                    "\"{t}\" is not a trigger of this workflow; its triggers are: {}",
                    trigger_names(&p)
                ))
            })?,
        None if triggers.len() == 1 => triggers[0],
        None => {
            return Err(RunError::Trigger(format!(
                "the workflow has several triggers ({}); choose one with --trigger",
                trigger_names(&p)
            )));
        }
    };
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
    let trigger_id = workflow.nodes[fired].id.clone();
    emit(&events, || RunEvent::RunStarted {
        run_id: run_id.clone(),
        workflow_id: workflow.id.clone(),
        trigger: trigger_id.clone(),
        at: started_at.clone(),
    });

    let n = workflow.nodes.len();
    let records = workflow
        .nodes
        .iter()
        .map(|node| NodeRecord {
            node: node.id.clone(),
            status: NodeStatus::Pending,
            attempts: 0,
            started_at: None,
            duration_ms: None,
            input: Value::Null,
            output: Value::Null,
            error: None,
            logs: Vec::new(),
            http: None,
            iterations: None,
            mocked: false,
        })
        .collect();
    let null = Arc::new(Value::Null);
    let mut run = Run {
        p: p.clone(),
        events: events.clone(),
        records,
        started: vec![None; n],
        pending_in: p.incoming.iter().map(Vec::len).collect(),
        edges: vec![EdgeState::Open; workflow.edges.len()],
        // One shared null until each node runs.
        inputs: std::iter::repeat_n(null.clone(), n).collect(),
        outputs: std::iter::repeat_n(null, n).collect(),
        resolve_buffer: Vec::new(),
        no_nodes: Arc::new(Value::Object(Map::new())),
        ready: VecDeque::new(),
        vars: Arc::new(vars),
        errors: Vec::new(),
        response: None,
        failed: false,
        waiting: false,
        next_seq: 0,
    };
    // Triggers that did not fire are skipped, and so is what only they reach.
    for &t in triggers {
        if t != fired {
            run.records[t].status = NodeStatus::Skipped;
            for e in p.outgoing[t].clone() {
                run.resolve_edge(e, EdgeState::Dead);
            }
        }
    }
    let shared = Arc::new(RunShared {
        workflow: workflow.clone(),
        trigger: input.clone(),
        run: run_info,
        options,
        http: http_client(),
        cancel: control.token().clone(),
    });
    let mut tasks: JoinSet<Finished> = JoinSet::new();
    let mut running = 0usize;
    let mut first_input = Some(Arc::new(input.clone()));
    run.ready.push_back(fired);
    let mut cancelled = false;

    loop {
        while !run.failed && !cancelled {
            let Some(i) = run.ready.pop_front() else {
                break;
            };
            let input = if i == fired {
                first_input.take().unwrap_or_default()
            } else {
                run.input_of(i)
            };
            let node = &workflow.nodes[i];
            let rec = &mut run.records[i];
            rec.status = NodeStatus::Running;
            rec.started_at = Some(now_rfc3339());
            run.inputs[i] = input.clone();
            run.started[i] = Some((run.next_seq, Instant::now()));
            run.next_seq += 1;
            emit(&events, || RunEvent::NodeStarted {
                node: node.id.clone(),
                at: rec.started_at.clone().unwrap_or_default(),
            });
            let kind = p.kinds[i];
            let launch = Launch {
                shared: shared.clone(),
                index: i,
                kind,
                input,
                vars: run.vars.clone(),
                nodes: if p.refs[i].is_empty() {
                    run.no_nodes.clone()
                } else {
                    Arc::new(run.nodes_scope(i))
                },
                literal_config: p.literal[i].clone(),
            };
            // In place when it cannot hold anything up: a pure node, or code
            // while nothing else runs (its own time limit still applies).
            let is_mocked = shared.options.mocks.contains_key(&node.id);
            run.records[i].mocked = is_mocked;
            let in_place = is_mocked
                || (node.retry.is_none()
                    && ((nodes::is_immediate(kind) && node.timeout_ms.is_none())
                        || (kind == NodeKind::TaskCode && running == 0 && run.ready.is_empty())));
            if in_place {
                // Nodes run in place never wait, so they finish on the first poll.
                let future = std::pin::pin!(run_node(launch));
                let finished = future.now_or_never().unwrap_or_else(|| Finished {
                    index: i,
                    result: Err(error(
                        "internal_error",
                        "a node run in place did not finish at once",
                    )),
                    attempts: 0,
                    iterations: None,
                    logs: Vec::new(),
                    http: None,
                });
                run.finish(finished);
                continue;
            }
            tasks.spawn(run_node(launch));
            running += 1;
        }
        if running == 0 {
            break;
        }
        if run.failed || cancelled {
            // A failure stops the run: what is still running is cancelled.
            tasks.abort_all();
            while let Some(done) = tasks.join_next().await {
                if let Ok(f) = done {
                    if !matches!(f.result, Err(ref e) if e.code == "cancelled")
                        || run.records[f.index].status == NodeStatus::Running
                    {
                        run.finish(f);
                    }
                }
            }
            break;
        }
        tokio::select! {
            done = tasks.join_next() => {
                running -= 1;
                match done {
                    Some(Ok(f)) => run.finish(f),
                    Some(Err(e)) => {
                        run.failed = true;
                        run.errors.push(NodeError { node: None, code: "internal_error".into(), message: format!("a node's task stopped: {e}") });
                    }
                    None => running = 0,
                }
            }
            _ = control.token().cancelled(), if !cancelled => {
                cancelled = true;
            }
        }
    }
    if control.is_cancelled() {
        cancelled = true;
    }

    // Nodes that were running or never started.
    let end_status = if cancelled || run.failed {
        NodeStatus::Cancelled
    } else {
        NodeStatus::Pending
    };
    for rec in run.records.iter_mut() {
        if matches!(rec.status, NodeStatus::Running | NodeStatus::Pending) {
            rec.status = end_status;
            if rec.status == NodeStatus::Cancelled && rec.started_at.is_some() {
                rec.error = Some(error(
                    "cancelled",
                    "the run stopped before this node finished",
                ));
            }
        }
    }
    let status = if cancelled {
        RunStatus::Cancelled
    } else if run.failed {
        RunStatus::Failed
    } else if run.waiting {
        RunStatus::Waiting
    } else {
        RunStatus::Succeeded
    };
    if cancelled {
        run.errors.push(NodeError {
            node: None,
            code: "cancelled".into(),
            message: "the run was cancelled".into(),
        });
    }
    let output = match run.response.take() {
        Some(body) => body,
        None => {
            let mut leaves = Map::new();
            for (i, rec) in run.records.iter().enumerate() {
                let ran = rec.status == NodeStatus::Succeeded
                    || (rec.status == NodeStatus::Failed
                        && workflow.nodes[i].on_error() == OnError::Continue);
                let goes_on = p.outgoing[i]
                    .iter()
                    .any(|&e| matches!(run.edges[e], EdgeState::Taken(_)));
                if ran && !goes_on {
                    leaves.insert(rec.node.clone(), (*run.outputs[i]).clone());
                }
            }
            Value::Object(leaves)
        }
    };
    // The edges let go of their payloads, so that most values move into the
    // records without a copy.
    run.edges.clear();
    for (i, rec) in run.records.iter_mut().enumerate() {
        rec.input = Arc::unwrap_or_clone(std::mem::take(&mut run.inputs[i]));
        rec.output = Arc::unwrap_or_clone(std::mem::take(&mut run.outputs[i]));
    }
    let duration_ms = clock.elapsed().as_millis() as u64;
    emit(&events, || RunEvent::RunFinished {
        status,
        duration_ms,
    });

    // Order: as they started; then those that never did; skipped last.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| match (run.records[i].status, run.started[i]) {
        (_, Some((seq, _))) => (0, seq),
        (NodeStatus::Skipped, None) => (2, i),
        (_, None) => (1, i),
    });
    let mut records: Vec<Option<NodeRecord>> = run.records.into_iter().map(Some).collect();
    let nodes = order
        .into_iter()
        .map(|i| records[i].take().expect("each once"))
        .collect();
    Ok(RunReport {
        run_id,
        workflow_id: workflow.id.clone(),
        status,
        started_at,
        finished_at: Some(now_rfc3339()),
        duration_ms,
        trigger: trigger_id,
        input,
        vars: Arc::try_unwrap(run.vars).unwrap_or_else(|a| (*a).clone()),
        output,
        errors: run.errors,
        nodes,
    })
}
