//! One file per node type. Each takes a [`NodeCtx`] (the node, its input and
//! the scope its expressions see) and gives a [`Step`] or an error.

mod condition_if;
mod condition_switch;
mod task_approval;
mod task_code;
mod task_delay;
mod task_http;
mod task_log;
mod task_respond;
mod task_set;
mod task_sql;
mod task_subflow;
mod trigger;

use crate::expr::eval::{resolve_map, resolve_value};
use crate::expr::{with_sandbox, Limits, Scope};
use crate::model::catalogue::NodeConfig;
use crate::model::{ErrorInfo, HttpExchange, LogLevel, LogLine, Node, NodeKind, Workflow};
use serde_json::{Map, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// Everything one attempt of one node needs.
pub struct NodeCtx {
    pub workflow: Arc<Workflow>,
    pub node_index: usize,
    pub kind: NodeKind,
    pub input: Value,
    pub trigger: Arc<Value>,
    pub vars: Arc<Map<String, Value>>,
    /// `{id: {output, status}}` of the upstream nodes this node's expressions name.
    pub nodes: Arc<Value>,
    pub run: Arc<Value>,
    pub item: Option<Value>,
    pub index: Option<usize>,
    pub base_dir: PathBuf,
    pub http: reqwest::Client,
    pub cancel: CancellationToken,
    pub depth: u32,
    /// Limits for `task.code` and expressions.
    pub limits: Limits,
    pub logs: Mutex<Vec<LogLine>>,
    pub exchange: Mutex<Option<HttpExchange>>,
}

/// What a node gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub output: Value,
    /// The port whose edges are taken.
    pub port: String,
    /// `$vars` entries to write when the node succeeds.
    pub vars: Map<String, Value>,
    /// The node waits for a person (`task.approval`).
    pub waiting: bool,
    /// The run's response (`task.respond`).
    pub response: Option<Value>,
}

impl Step {
    pub fn out(output: Value) -> Step {
        Step::on(output, "out")
    }

    pub fn on(output: Value, port: &str) -> Step {
        Step {
            output,
            port: port.to_string(),
            vars: Map::new(),
            waiting: false,
            response: None,
        }
    }
}

pub fn error(code: &str, message: impl Into<String>) -> ErrorInfo {
    ErrorInfo {
        code: code.to_string(),
        message: message.into(),
    }
}

impl NodeCtx {
    pub fn node(&self) -> &Node {
        &self.workflow.nodes[self.node_index]
    }

    pub fn scope(&self) -> Scope<'_> {
        Scope {
            input: &self.input,
            trigger: &self.trigger,
            vars: &self.vars,
            nodes: &self.nodes,
            item: self.item.as_ref(),
            index: self.index,
            run: &self.run,
        }
    }

    pub fn log(&self, level: LogLevel, message: impl Into<String>) {
        self.logs.lock().expect("log lock").push(LogLine {
            at: super::now_rfc3339(),
            level,
            message: message.into(),
        });
    }

    /// The node's config with every expression evaluated (but the keys in
    /// `raw`), parsed into its typed form.
    pub fn config(&self, raw: &[&str]) -> Result<NodeConfig, ErrorInfo> {
        let empty = Map::new();
        let config = self.node().config.as_ref().unwrap_or(&empty);
        let scope = self.scope();
        let resolved =
            with_sandbox(|sb| resolve_map(config, "config", raw, &scope, sb, self.limits))
                .map_err(|e| {
                    error(
                        "expression_error",
                        format!("{} failed: {}", e.path, e.error),
                    )
                })?;
        self.kind
            .parse_config(&resolved)
            .map_err(|m| error("invalid_config", format!("config {m}")))
    }

    /// Evaluates a value from the config in this node's scope.
    pub fn resolve(&self, value: &Value, path: &str) -> Result<Value, ErrorInfo> {
        let scope = self.scope();
        with_sandbox(|sb| resolve_value(value, path, &scope, sb, self.limits)).map_err(|e| {
            error(
                "expression_error",
                format!("{} failed: {}", e.path, e.error),
            )
        })
    }
}

/// Node types that finish without waiting on anything: the executor runs them
/// in place instead of spawning a task, which keeps per-node overhead small.
pub fn is_immediate(kind: NodeKind) -> bool {
    matches!(
        kind,
        NodeKind::TriggerManual
            | NodeKind::TriggerWebhook
            | NodeKind::TriggerSchedule
            | NodeKind::ConditionIf
            | NodeKind::ConditionSwitch
            | NodeKind::TaskSet
            | NodeKind::TaskLog
            | NodeKind::TaskRespond
            | NodeKind::TaskApproval
    )
}

/// Runs one attempt of a node.
pub async fn execute(ctx: Arc<NodeCtx>) -> Result<Step, ErrorInfo> {
    match ctx.kind {
        NodeKind::TriggerManual | NodeKind::TriggerWebhook | NodeKind::TriggerSchedule => {
            trigger::run(&ctx)
        }
        NodeKind::ConditionIf => condition_if::run(&ctx),
        NodeKind::ConditionSwitch => condition_switch::run(&ctx),
        NodeKind::TaskSet => task_set::run(&ctx),
        NodeKind::TaskLog => task_log::run(&ctx),
        NodeKind::TaskRespond => task_respond::run(&ctx),
        NodeKind::TaskApproval => task_approval::run(&ctx),
        NodeKind::TaskDelay => task_delay::run(&ctx).await,
        NodeKind::TaskHttp => task_http::run(&ctx).await,
        NodeKind::TaskSql => task_sql::run(ctx.clone()).await,
        NodeKind::TaskCode => task_code::run(ctx.clone()).await,
        NodeKind::TaskSubflow => task_subflow::run(&ctx).await,
    }
}
