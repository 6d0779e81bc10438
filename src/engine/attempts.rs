//! One node's run: a mock, a disabled pass-through, `forEach` items one after
//! another, and each item's attempts (retry with backoff, `timeoutMs`).

use super::context::{error, NodeCtx, RunShared, Step};
use super::now_rfc3339;
use crate::expr::Limits;
use crate::model::catalogue::Category;
use crate::model::{ErrorInfo, HttpExchange, Iteration, LogLevel, LogLine, NodeStatus, SubflowRun};
use crate::nodes::{Outcome, ParsedConfig, Registered, Runs};
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What running a node (all its items and attempts) gave.
pub(crate) struct Finished {
    pub index: usize,
    pub result: Result<Step, ErrorInfo>,
    pub attempts: u32,
    pub iterations: Option<Vec<Iteration>>,
    pub logs: Vec<LogLine>,
    pub http: Option<Box<HttpExchange>>,
    pub subflow: Option<Box<SubflowRun>>,
}

impl Finished {
    pub(crate) fn new(index: usize, result: Result<Step, ErrorInfo>, attempts: u32) -> Finished {
        Finished {
            index,
            result,
            attempts,
            iterations: None,
            logs: Vec::new(),
            http: None,
            subflow: None,
        }
    }

    pub fn failed(index: usize, e: ErrorInfo) -> Finished {
        Finished::new(index, Err(e), 0)
    }
}

/// Everything a node needs from the run when it starts.
pub(crate) struct Launch {
    pub shared: Arc<RunShared>,
    pub index: usize,
    pub kind: &'static dyn Registered,
    pub input: Arc<Value>,
    pub vars: Arc<Map<String, Value>>,
    pub nodes: Arc<Value>,
    pub literal_config: Option<ParsedConfig>,
    /// When the node first started, for a node that runs again in a resumed run.
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Launch {
    /// The context of one `forEach` item.
    fn ctx(&self, item: Option<Value>, index: Option<usize>) -> NodeCtx {
        let node = &self.shared.workflow.nodes[self.index];
        NodeCtx {
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
            started_at: self.started_at,
            left: Mutex::new(Default::default()),
        }
    }

    /// The context of the node's one run: what the launch holds moves in.
    fn into_ctx(self) -> NodeCtx {
        let time = self.shared.workflow.nodes[self.index]
            .timeout_ms
            .unwrap_or(5_000);
        NodeCtx {
            shared: self.shared,
            node_index: self.index,
            kind: self.kind,
            input: self.input,
            vars: self.vars,
            nodes: self.nodes,
            item: None,
            index: None,
            limits: Limits {
                time: Duration::from_millis(time),
                ..Limits::default()
            },
            literal_config: self.literal_config,
            started_at: self.started_at,
            left: Mutex::new(Default::default()),
        }
    }
}

/// One item's attempts: retry with exponential backoff, and `timeoutMs` per
/// attempt (for `task.code` the sandbox enforces it, with its own message).
async fn attempts(ctx: &NodeCtx) -> (Result<Step, ErrorInfo>, u32) {
    let node = ctx.node();
    let max = node.retry.as_ref().map_or(1, |r| r.max_attempts.max(1));
    let backoff = node.retry.as_ref().map_or(0, |r| r.backoff_ms);
    let mut attempt = 1;
    loop {
        let run = execute(ctx);
        let result = match node.timeout_ms {
            // Blocking nodes (code) enforce the limit themselves, with their own message.
            // So do nodes that time each request (HTTP: each page).
            Some(ms) if ctx.kind.runs() != Runs::Blocking && !ctx.kind.times_itself() => {
                match tokio::time::timeout(Duration::from_millis(ms), run).await {
                    Ok(r) => r,
                    Err(_) => Err(error(
                        crate::error::Code::Timeout,
                        format!("the attempt took longer than its timeoutMs of {ms} ms"),
                    )),
                }
            }
            _ => run.await,
        };
        match result {
            Ok(step) => return (Ok(step), attempt),
            Err(e) if e.code == crate::error::Code::Cancelled || attempt >= max => {
                return (Err(e), attempt)
            }
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
                    _ = ctx.shared.cancel.cancelled() => return (Err(cancelled()), attempt),
                }
                attempt += 1;
            }
        }
    }
}

/// One attempt: the config resolved in the node's scope, then the type's run.
async fn execute(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let config = ctx.config()?;
    let result = match ctx.kind.execute(ctx, &config) {
        Outcome::Done(result) => result,
        Outcome::Later(future) => future.await,
    };
    result
}

pub(crate) fn cancelled() -> ErrorInfo {
    error(crate::error::Code::Cancelled, "the run was cancelled")
}

/// Moves what an attempt left in its context (logs, HTTP exchange, child run) into the result.
fn drain(ctx: &NodeCtx, f: &mut Finished) {
    let mut left = ctx.left.lock().expect("node lock");
    f.logs.append(&mut left.logs);
    if let Some(x) = left.exchange.take() {
        f.http = Some(Box::new(x));
    }
    if let Some(x) = left.subflow.take() {
        f.subflow = Some(Box::new(x));
    }
}

/// An info line of the node's log, timestamped now.
pub(crate) fn line(message: &str) -> LogLine {
    LogLine {
        at: now_rfc3339(),
        level: LogLevel::Info,
        message: message.into(),
    }
}

/// Runs a node: a stand-in (mock, pin, reused output), disabled pass-through, forEach items one after another, attempts.
pub(crate) async fn run_node(launch: Launch) -> Finished {
    let node = &launch.shared.workflow.nodes[launch.index];
    if let Some(stand_in) =
        super::stand_in::stand_in_for(&launch.shared.options, &node.id, launch.kind)
    {
        return super::stand_in::finish(launch.index, &stand_in);
    }
    if node.is_disabled() {
        let port = launch.kind.disabled_port();
        let mut f = Finished::new(launch.index, Ok(Step::on((*launch.input).clone(), port)), 0);
        f.logs.push(line("disabled: input passed through"));
        return f;
    }
    let Some(each) = &node.for_each else {
        let index = launch.index;
        let ctx = launch.into_ctx();
        let (result, attempts) = attempts(&ctx).await;
        let mut f = Finished::new(index, result, attempts);
        drain(&ctx, &mut f);
        return f;
    };
    for_each(&launch, each).await
}

/// `forEach`: every item in order, each with its own attempts. A condition
/// routes each item by its own port: every port some item chose is taken, with
/// the array of the items that chose it; ports no item chose are dead
/// (docs/execution.md).
async fn for_each(launch: &Launch, each: &str) -> Finished {
    let mut f = Finished::new(launch.index, Ok(Step::out(Value::Null)), 0);
    f.iterations = Some(Vec::new());
    let probe = launch.ctx(None, None);
    let items = match probe.resolve(&Value::String(each.to_string()), "forEach") {
        Ok(Value::Array(items)) => items,
        Ok(other) => {
            f.result = Err(error(
                crate::error::Code::ForEachNotArray,
                format!(
                    "forEach gave {}, not an array",
                    crate::model::json_type_name(&other)
                ),
            ));
            f.attempts = 1;
            return f;
        }
        Err(e) => {
            f.result = Err(e);
            f.attempts = 1;
            return f;
        }
    };
    let is_condition = launch.kind.category() == Category::Condition;
    let mut iterations = Vec::with_capacity(items.len());
    let mut outputs = Vec::with_capacity(items.len());
    let mut routes: Vec<(std::borrow::Cow<'static, str>, Vec<Value>)> = Vec::new();
    let mut vars = Map::new();
    for (i, item) in items.into_iter().enumerate() {
        // A condition passes each item on (not its whole input), as it routes items.
        let routed = is_condition.then(|| item.clone());
        let ctx = launch.ctx(Some(item), Some(i));
        let (result, attempts) = attempts(&ctx).await;
        drain(&ctx, &mut f);
        f.attempts += attempts;
        match result {
            Ok(mut step) => {
                if let Some(item) = routed {
                    step.output = item;
                }
                iterations.push(Iteration {
                    index: i,
                    status: NodeStatus::Succeeded,
                    attempts,
                    output: step.output.clone(),
                    error: None,
                    port: is_condition.then(|| step.port.to_string()),
                });
                if is_condition {
                    match routes.iter_mut().find(|(p, _)| *p == step.port) {
                        Some((_, items)) => items.push(step.output.clone()),
                        None => routes.push((step.port.clone(), vec![step.output.clone()])),
                    }
                }
                outputs.push(step.output);
                vars.extend(step.vars.map(|v| *v).unwrap_or_default());
            }
            Err(e) => {
                iterations.push(Iteration {
                    index: i,
                    status: NodeStatus::Failed,
                    attempts,
                    output: Value::Null,
                    error: Some(e.clone()),
                    port: None,
                });
                f.result = Err(ErrorInfo {
                    code: e.code,
                    message: format!("item {i}: {}", e.message),
                });
                f.iterations = Some(iterations);
                return f;
            }
        }
    }
    let mut step = Step::out(Value::Array(outputs));
    step.vars = (!vars.is_empty()).then(|| Box::new(vars));
    if is_condition {
        step.routes = Some(
            routes
                .into_iter()
                .map(|(port, items)| (port, Arc::new(Value::Array(items))))
                .collect(),
        );
    }
    f.result = Ok(step);
    f.iterations = Some(iterations);
    f
}
