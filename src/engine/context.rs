//! What a node sees when it runs: [`NodeCtx`] (the node, its input, the scope
//! its expressions see, its config) and what it gives: a [`Step`] or an error.

use crate::error::Code;
use crate::expr::eval::{resolve_map, resolve_value};
use crate::expr::{with_sandbox, Limits, Scope};
use crate::model::{ErrorInfo, HttpExchange, LogLevel, LogLine, Node, Workflow};
use crate::nodes::{ParsedConfig, Registered};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// What every node of one run shares.
pub struct RunShared {
    pub workflow: Arc<Workflow>,
    /// `$trigger`: the output of the trigger that fired.
    pub trigger: Value,
    /// `$run`: `{id, workflowId, startedAt}`.
    pub run: Value,
    /// The run's options: the workflow's folder, the subflow depth.
    pub options: super::RunOptions,
    pub http: reqwest::Client,
    pub cancel: CancellationToken,
    /// The run's listener, for a subflow's events.
    pub events: super::EventSink,
    /// `$secrets`: the secrets the workflow reads, `{NAME: value}`.
    pub secrets: Value,
}

/// Everything one attempt of one node needs.
pub struct NodeCtx {
    pub shared: Arc<RunShared>,
    pub node_index: usize,
    pub kind: &'static dyn Registered,
    pub input: Arc<Value>,
    pub vars: Arc<Map<String, Value>>,
    /// `{id: {output, status}}` of the upstream nodes this node's expressions name.
    pub nodes: Arc<Value>,
    pub item: Option<Value>,
    pub index: Option<usize>,
    /// Limits for `task.code` and expressions.
    pub limits: Limits,
    /// The typed config, parsed once per run, when it holds no expressions.
    pub literal_config: Option<ParsedConfig>,
    /// When the node first started, in a resumed run that runs it again
    /// (a delay keeps its deadline); `None`: it starts now.
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What the attempt leaves beside its result: one lock for all of it.
    pub left: Mutex<Left>,
}

/// What an attempt leaves for the node's record besides its result.
#[derive(Default)]
pub struct Left {
    pub logs: Vec<LogLine>,
    /// A `task.http` node's request and response.
    pub exchange: Option<HttpExchange>,
    /// A `task.subflow`'s child run.
    pub subflow: Option<crate::model::SubflowRun>,
    /// A paged `task.http`'s pages so far: an attempt after a failed one
    /// goes on from the page that failed (retry applies to each page).
    pub paging: Option<Box<dyn std::any::Any + Send>>,
}

/// What a node gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub output: Value,
    /// The port whose edges are taken.
    pub port: Cow<'static, str>,
    /// `$vars` entries to write when the node succeeds (boxed: most nodes write none).
    pub vars: Option<Box<Map<String, Value>>>,
    /// The node waits for a person (`task.approval`): the task it waits on.
    pub waiting: Option<Box<crate::model::HumanTask>>,
    /// The run's response (`task.respond`).
    pub response: Option<Box<crate::model::Response>>,
    /// A condition run with `forEach`: each port some item chose, with those
    /// items' outputs. When set, it decides the taken edges instead of `port`.
    pub routes: Option<Vec<(Cow<'static, str>, Arc<Value>)>>,
}

impl Step {
    /// What a code node (`task.code`, `task.python`) gave: its value, with
    /// its console lines logged and its `$vars` writes kept.
    pub fn from_code(ctx: &NodeCtx, evaluated: crate::expr::Evaluated) -> Step {
        for (level, message) in evaluated.logs {
            ctx.log(level, message);
        }
        let mut step = Step::out(evaluated.value);
        step.vars = evaluated.vars.map(Box::new);
        step
    }

    pub fn out(output: Value) -> Step {
        Step::on(output, "out")
    }

    pub fn on(output: Value, port: impl Into<Cow<'static, str>>) -> Step {
        Step {
            output,
            port: port.into(),
            vars: None,
            waiting: None,
            response: None,
            routes: None,
        }
    }
}

pub fn error(code: Code, message: impl Into<String>) -> ErrorInfo {
    ErrorInfo {
        code,
        message: message.into(),
    }
}

impl NodeCtx {
    pub fn node(&self) -> &Node {
        &self.shared.workflow.nodes[self.node_index]
    }

    pub fn scope(&self) -> Scope<'_> {
        Scope {
            input: &self.input,
            trigger: &self.shared.trigger,
            vars: &self.vars,
            nodes: &self.nodes,
            item: self.item.as_ref(),
            index: self.index,
            run: &self.shared.run,
            secrets: &self.shared.secrets,
            response: None,
            page: None,
            record: None,
        }
    }

    pub fn log(&self, level: LogLevel, message: impl Into<String>) {
        self.left.lock().expect("node lock").logs.push(LogLine {
            at: super::now_rfc3339(),
            level,
            message: message.into(),
        });
    }

    /// The node's config with every expression evaluated (but the keys its
    /// type keeps raw, such as `task.code`'s `code`), parsed into its typed form.
    pub fn config(&self) -> Result<ParsedConfig, ErrorInfo> {
        if let Some(literal) = &self.literal_config {
            return Ok(literal.clone());
        }
        let empty = Map::new();
        let config = self.node().config.as_ref().unwrap_or(&empty);
        let scope = self.scope();
        let raw = self.kind.raw_keys();
        let resolved =
            with_sandbox(|sb| resolve_map(config, "config", raw, &scope, sb, self.limits))
                .map_err(|e| {
                    error(
                        Code::ExpressionError,
                        format!("{} failed: {}", e.path, e.error),
                    )
                })?;
        self.kind
            .parse(&resolved)
            .map_err(|m| error(Code::InvalidConfig, format!("config {m}")))
    }

    /// Evaluates a value from the config in this node's scope.
    pub fn resolve(&self, value: &Value, path: &str) -> Result<Value, ErrorInfo> {
        let scope = self.scope();
        with_sandbox(|sb| resolve_value(value, path, &scope, sb, self.limits)).map_err(|e| {
            error(
                Code::ExpressionError,
                format!("{} failed: {}", e.path, e.error),
            )
        })
    }
}

/// The typed config of a node whose config holds no expressions, so that it
/// can be parsed once per run instead of once per attempt.
/// `parsed` is the config as validation parsed it.
pub fn literal_config(
    node: &Node,
    kind: &'static dyn Registered,
    parsed: Option<ParsedConfig>,
) -> Option<ParsedConfig> {
    use crate::validate::has_template;
    let empty = Map::new();
    let config = node.config.as_ref().unwrap_or(&empty);
    let raw = kind.raw_keys();
    if config
        .iter()
        .any(|(k, v)| !raw.contains(&k.as_str()) && has_template(v))
    {
        return None;
    }
    parsed.or_else(|| kind.parse(config).ok())
}
