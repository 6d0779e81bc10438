//! The scheduler: readiness by edges, dead-path skipping, concurrency, retry,
//! timeouts, forEach, onError, cancellation, and the run report.

use super::nodes::{self, error, NodeCtx, Step};
use super::{now_rfc3339, EventSink, RunControl, RunError, RunOptions};
use crate::expr::Limits;
use crate::model::{
    ErrorInfo, Iteration, LogLevel, LogLine, NodeError, NodeKind, NodeRecord, NodeStatus, OnError,
    RunEvent, RunReport, RunStatus, Workflow,
};
use crate::validate::{has_errors, validate};
use futures::FutureExt;
use rustc_hash::FxHashMap;
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
    Taken(Value),
    Dead,
}

/// Everything a node needs from the run when it starts.
struct Launch {
    workflow: Arc<Workflow>,
    index: usize,
    kind: NodeKind,
    input: Value,
    trigger: Arc<Value>,
    vars: Arc<Map<String, Value>>,
    nodes: Arc<Value>,
    run: Arc<Value>,
    options: Arc<RunOptions>,
    http: reqwest::Client,
    control: RunControl,
}

impl Launch {
    fn ctx(&self, item: Option<Value>, index: Option<usize>) -> Arc<NodeCtx> {
        let node = &self.workflow.nodes[self.index];
        Arc::new(NodeCtx {
            workflow: self.workflow.clone(),
            node_index: self.index,
            kind: self.kind,
            input: self.input.clone(),
            trigger: self.trigger.clone(),
            vars: self.vars.clone(),
            nodes: self.nodes.clone(),
            run: self.run.clone(),
            item,
            index,
            base_dir: self.options.base_dir.clone(),
            http: self.http.clone(),
            cancel: self.control.token().clone(),
            depth: self.options.depth,
            limits: Limits {
                time: Duration::from_millis(node.timeout_ms.unwrap_or(5_000)),
                ..Limits::default()
            },
            logs: Mutex::new(Vec::new()),
            exchange: Mutex::new(None),
        })
    }
}

/// One node's attempts: retry with exponential backoff, and `timeoutMs` per
/// attempt (for `task.code` the sandbox enforces it, with its own message).
async fn attempts(launch: &Launch, ctx: Arc<NodeCtx>) -> (Result<Step, ErrorInfo>, u32) {
    let node = &launch.workflow.nodes[launch.index];
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
                    _ = launch.control.token().cancelled() => return (Err(error("cancelled", "the run was cancelled")), attempt),
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

/// Runs a node: disabled pass-through, forEach items one after another, attempts.
async fn run_node(launch: Launch) -> Finished {
    let node = &launch.workflow.nodes[launch.index];
    let (mut logs, mut http) = (Vec::new(), None);
    if node.is_disabled() {
        let port = match launch.kind {
            NodeKind::ConditionIf => "true",
            NodeKind::ConditionSwitch => "default",
            _ => "out",
        };
        return Finished {
            index: launch.index,
            result: Ok(Step::on(launch.input.clone(), port)),
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
        Ok(other) => {
            let e = error(
                "for_each_not_array",
                format!(
                    "forEach gave {}, not an array",
                    crate::file::json_type_name(&other)
                ),
            );
            return Finished {
                index: launch.index,
                result: Err(e),
                attempts: 1,
                iterations: Some(vec![]),
                logs,
                http,
            };
        }
        Err(e) => {
            return Finished {
                index: launch.index,
                result: Err(e),
                attempts: 1,
                iterations: Some(vec![]),
                logs,
                http,
            }
        }
    };
    let mut iterations = Vec::with_capacity(items.len());
    let mut outputs = Vec::with_capacity(items.len());
    let mut vars = Map::new();
    let (mut total_attempts, mut port) = (0, "out".to_string());
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
    let mut step = Step::on(Value::Array(outputs), &port);
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

/// The `$nodes` ids a node's config, code and forEach name.
fn referenced_nodes(node: &crate::model::Node) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if s.contains("$nodes") => {
                for id in crate::validate::node_references(s) {
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
    }
    if let Some(each) = &node.for_each {
        walk(&Value::String(each.clone()), &mut out);
    }
    out
}

fn emit(events: &EventSink, event: RunEvent) {
    if let Some(tx) = events {
        let _ = tx.send(event);
    }
}

struct Run {
    workflow: Arc<Workflow>,
    events: EventSink,
    records: Vec<NodeRecord>,
    kinds: Vec<NodeKind>,
    started: Vec<Option<(usize, Instant)>>,
    pending_in: Vec<usize>,
    incoming: Vec<Vec<usize>>,
    outgoing: Vec<Vec<usize>>,
    /// Each edge's target node, by index.
    edge_target: Vec<usize>,
    edges: Vec<EdgeState>,
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
        let mut work = vec![(edge, state)];
        while let Some((e, state)) = work.pop() {
            let taken = matches!(state, EdgeState::Taken(_));
            self.edges[e] = state;
            emit(
                &self.events,
                RunEvent::EdgeResolved {
                    edge: self.workflow.edges[e].id.clone(),
                    taken,
                },
            );
            let target = self.edge_target[e];
            self.pending_in[target] -= 1;
            if self.pending_in[target] > 0 {
                continue;
            }
            if self.incoming[target]
                .iter()
                .any(|&i| matches!(self.edges[i], EdgeState::Taken(_)))
            {
                self.ready.push_back(target);
            } else {
                self.records[target].status = NodeStatus::Skipped;
                emit(
                    &self.events,
                    RunEvent::NodeFinished {
                        node: self.records[target].node.clone(),
                        status: NodeStatus::Skipped,
                        duration_ms: 0,
                        error: None,
                    },
                );
                for &out in &self.outgoing[target] {
                    work.push((out, EdgeState::Dead));
                }
            }
        }
    }

    /// `$input`: the one taken edge's payload, or an object keyed by the
    /// predecessors' ids when several were taken.
    fn input_of(&self, index: usize) -> Value {
        let taken: Vec<usize> = self.incoming[index]
            .iter()
            .copied()
            .filter(|&e| matches!(self.edges[e], EdgeState::Taken(_)))
            .collect();
        let payload = |e: usize| match &self.edges[e] {
            EdgeState::Taken(v) => v.clone(),
            _ => Value::Null,
        };
        match taken.as_slice() {
            [one] => payload(*one),
            many => Value::Object(
                many.iter()
                    .map(|&e| (self.workflow.edges[e].from.clone(), payload(e)))
                    .collect(),
            ),
        }
    }

    fn nodes_scope(&self, ids: &[String], index_of: &FxHashMap<&str, usize>) -> Value {
        let mut map = Map::new();
        for id in ids {
            if let Some(&i) = index_of.get(id.as_str()) {
                let r = &self.records[i];
                map.insert(id.clone(), json!({"output": r.output, "status": r.status}));
            }
        }
        Value::Object(map)
    }

    fn finish(&mut self, f: Finished) {
        let i = f.index;
        let duration_ms = self.started[i].map_or(0, |(_, t)| t.elapsed().as_millis() as u64);
        let node = &self.workflow.nodes[i];
        let id = node.id.clone();
        for line in &f.logs {
            emit(
                &self.events,
                RunEvent::Log {
                    node: id.clone(),
                    line: line.clone(),
                },
            );
        }
        let rec = &mut self.records[i];
        rec.attempts = f.attempts;
        rec.duration_ms = Some(duration_ms);
        rec.logs = f.logs;
        rec.http = f.http;
        rec.iterations = f.iterations;
        let mut resolve: Vec<(usize, EdgeState)> = Vec::new();
        match f.result {
            Ok(step) if step.waiting => {
                rec.status = NodeStatus::Waiting;
                rec.output = step.output;
                self.waiting = true;
                emit(&self.events, RunEvent::RunWaiting { node: id.clone() });
            }
            Ok(step) => {
                rec.status = NodeStatus::Succeeded;
                rec.output = step.output.clone();
                if !step.vars.is_empty() {
                    Arc::make_mut(&mut self.vars).extend(step.vars);
                }
                if let Some(r) = step.response {
                    self.response = Some(r["body"].clone());
                }
                for &e in &self.outgoing[i] {
                    let taken = self.workflow.edges[e].port() == step.port;
                    resolve.push((
                        e,
                        if taken {
                            EdgeState::Taken(step.output.clone())
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
                rec.output = Value::Null;
                self.errors.push(NodeError {
                    node: Some(id.clone()),
                    code: e.code.clone(),
                    message: e.message.clone(),
                });
                let (port, payload) = match node.on_error() {
                    OnError::Fail => {
                        self.failed = true;
                        (None, Value::Null)
                    }
                    OnError::Continue => (Some("out"), Value::Null),
                    OnError::Route => (Some("error"), json!({"error": e, "input": rec.input})),
                };
                if let Some(port) = port {
                    for &edge in &self.outgoing[i] {
                        let taken = self.workflow.edges[edge].port() == port;
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
        emit(
            &self.events,
            RunEvent::NodeFinished {
                node: id,
                status: rec.status,
                duration_ms,
                error: rec.error.clone(),
            },
        );
        if !self.failed {
            for (e, s) in resolve {
                self.resolve_edge(e, s);
            }
        }
    }
}

/// Runs a workflow to its end (or until it waits, fails or is cancelled).
///
/// Boxed, and declared `Send`, because `task.subflow` calls it recursively.
pub fn run(
    workflow: Arc<Workflow>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> futures::future::BoxFuture<'static, Result<RunReport, RunError>> {
    Box::pin(run_to_end(workflow, options, control, events))
}

async fn run_to_end(
    workflow: Arc<Workflow>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> Result<RunReport, RunError> {
    let diagnostics = validate(&workflow);
    if has_errors(&diagnostics) {
        return Err(RunError::Invalid(diagnostics));
    }
    let kinds: Vec<NodeKind> = workflow
        .nodes
        .iter()
        .map(|n| NodeKind::from_type(&n.node_type).expect("validated"))
        .collect();
    let triggers: Vec<usize> = (0..kinds.len())
        .filter(|&i| kinds[i].is_trigger())
        .collect();
    let fired = match &options.trigger {
        Some(t) => triggers
            .iter()
            .copied()
            .find(|&i| workflow.nodes[i].id == *t)
            .ok_or_else(|| {
                let names: Vec<&str> = triggers
                    .iter()
                    .map(|&i| workflow.nodes[i].id.as_str())
                    .collect();
                RunError::Trigger(format!(
                    "\"{t}\" is not a trigger of this workflow; its triggers are: {}",
                    names.join(", ")
                ))
            })?,
        None if triggers.len() == 1 => triggers[0],
        None => {
            let names: Vec<&str> = triggers
                .iter()
                .map(|&i| workflow.nodes[i].id.as_str())
                .collect();
            return Err(RunError::Trigger(format!(
                "the workflow has several triggers ({}); choose one with --trigger",
                names.join(", ")
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
    let run_info =
        Arc::new(json!({"id": run_id, "workflowId": workflow.id, "startedAt": started_at}));
    let trigger_id = workflow.nodes[fired].id.clone();
    emit(
        &events,
        RunEvent::RunStarted {
            run_id: run_id.clone(),
            workflow_id: workflow.id.clone(),
            trigger: trigger_id.clone(),
            at: started_at.clone(),
        },
    );

    let index_of: FxHashMap<&str, usize> = workflow
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let n = workflow.nodes.len();
    let (mut incoming, mut outgoing) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for (e, edge) in workflow.edges.iter().enumerate() {
        outgoing[index_of[edge.from.as_str()]].push(e);
        incoming[index_of[edge.to.as_str()]].push(e);
    }
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
    let mut run = Run {
        workflow: workflow.clone(),
        events: events.clone(),
        records,
        kinds,
        started: vec![None; n],
        pending_in: incoming.iter().map(Vec::len).collect(),
        incoming,
        outgoing,
        edge_target: workflow
            .edges
            .iter()
            .map(|e| index_of[e.to.as_str()])
            .collect(),
        edges: vec![EdgeState::Open; workflow.edges.len()],
        ready: VecDeque::new(),
        vars: Arc::new(vars),
        errors: Vec::new(),
        response: None,
        failed: false,
        waiting: false,
        next_seq: 0,
    };
    // Triggers that did not fire are skipped, and so is what only they reach.
    for &t in &triggers {
        if t != fired {
            run.records[t].status = NodeStatus::Skipped;
            for e in run.outgoing[t].clone() {
                run.resolve_edge(e, EdgeState::Dead);
            }
        }
    }
    let trigger_output = Arc::new(input.clone());
    let options = Arc::new(options);
    let http = reqwest::Client::new();
    let mut tasks: JoinSet<Finished> = JoinSet::new();
    let mut running = 0usize;
    let mut first_input = Some(input.clone());
    run.ready.push_back(fired);
    let mut cancelled = false;

    loop {
        while !run.failed && !cancelled {
            let Some(i) = run.ready.pop_front() else {
                break;
            };
            let input = if i == fired {
                first_input.take().unwrap_or(Value::Null)
            } else {
                run.input_of(i)
            };
            let node = &workflow.nodes[i];
            let rec = &mut run.records[i];
            rec.status = NodeStatus::Running;
            rec.started_at = Some(now_rfc3339());
            rec.input = input.clone();
            run.started[i] = Some((run.next_seq, Instant::now()));
            run.next_seq += 1;
            emit(
                &events,
                RunEvent::NodeStarted {
                    node: node.id.clone(),
                    at: rec.started_at.clone().unwrap_or_default(),
                },
            );
            let refs = referenced_nodes(node);
            let launch = Launch {
                workflow: workflow.clone(),
                index: i,
                kind: run.kinds[i],
                input,
                trigger: trigger_output.clone(),
                vars: run.vars.clone(),
                nodes: Arc::new(run.nodes_scope(&refs, &index_of)),
                run: run_info.clone(),
                options: options.clone(),
                http: http.clone(),
                control: control.clone(),
            };
            let mut future = Box::pin(run_node(launch));
            if nodes::is_immediate(run.kinds[i])
                && node.retry.is_none()
                && node.timeout_ms.is_none()
            {
                if let Some(finished) = (&mut future).now_or_never() {
                    run.finish(finished);
                    continue;
                }
            }
            tasks.spawn(future);
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
                let goes_on = run.outgoing[i]
                    .iter()
                    .any(|&e| matches!(run.edges[e], EdgeState::Taken(_)));
                if ran && !goes_on {
                    leaves.insert(rec.node.clone(), rec.output.clone());
                }
            }
            Value::Object(leaves)
        }
    };
    let duration_ms = clock.elapsed().as_millis() as u64;
    emit(
        &events,
        RunEvent::RunFinished {
            status,
            duration_ms,
        },
    );

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
