//! `task.subflow`: runs another workflow (an id in the same folder, or a path
//! relative to this one) with this node's input; its output is the child run's
//! output, and the child's node records nest in this node's record. The
//! workflow comes from the run's [`WorkflowSource`](crate::engine::WorkflowSource),
//! which finds and prepares it once, not on every call.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::engine::{RunControl, RunOptions};
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::{ErrorInfo, LogLevel, RunEvent, RunStatus, SubflowRun};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SubflowConfig {
    /// A workflow id in the same folder, or a file path relative to this one.
    pub workflow: String,
    /// The child's input; default: this node's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub input: Option<Value>,
}

pub struct Subflow;

impl NodeType for Subflow {
    type Config = SubflowConfig;
    const TYPE: &'static str = "task.subflow";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Subflow";
    const DESCRIPTION: &'static str = "Runs another workflow.";

    fn run<'a>(ctx: &'a NodeCtx, config: &'a SubflowConfig) -> Outcome<'a> {
        Outcome::Later(Box::pin(run(ctx, config)))
    }
}

/// Subflows deeper than this are refused, so a workflow that calls itself ends.
const MAX_DEPTH: u32 = 8;

async fn run(ctx: &NodeCtx, config: &SubflowConfig) -> Result<Step, ErrorInfo> {
    let options = &ctx.shared.options;
    if options.depth >= MAX_DEPTH {
        return Err(error(
            Code::SubflowTooDeep,
            format!("subflows are nested more than {MAX_DEPTH} deep; does a workflow call itself?"),
        ));
    }
    let source = options.workflows.as_ref().ok_or_else(|| {
        error(
            Code::SubflowNotFound,
            "this run was given no folder of workflows to find subflows in",
        )
    })?;
    let (prepared, folder) = source
        .find(&options.base_dir, &config.workflow)
        .map_err(|m| error(Code::SubflowNotFound, m))?;
    let child_options = RunOptions {
        input: Some(config.input.clone().unwrap_or_else(|| (*ctx.input).clone())),
        base_dir: folder,
        depth: options.depth + 1,
        workflows: options.workflows.clone(),
        // The parent was given its subflows' secrets too (`secrets_read_with_subflows`).
        secrets: options.secrets.clone(),
        ..RunOptions::default()
    };
    let control = RunControl::new();
    let (cancel, watch) = (ctx.shared.cancel.clone(), control.clone());
    let forward_cancel = tokio::spawn(async move {
        cancel.cancelled().await;
        watch.cancel();
    });
    // The child's events reach the parent's listener, nested under this node.
    let events = ctx.shared.events.clone().map(|parent| {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let node = ctx.node().id.clone();
        tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                let _ = parent.send(RunEvent::Subflow {
                    node: node.clone(),
                    event: Box::new(event),
                });
            }
        });
        tx
    });
    let report = crate::engine::run_prepared(prepared, child_options, control, events).await;
    forward_cancel.abort();
    let report =
        report.map_err(|e| error(Code::SubflowError, format!("{}: {e}", config.workflow)))?;
    ctx.log(
        LogLevel::Info,
        format!(
            "subflow {} run {} {:?}",
            config.workflow, report.run_id, report.status
        ),
    );
    let why = report
        .errors
        .first()
        .map(|e| e.message.clone())
        .unwrap_or_default();
    let status = report.status;
    ctx.left.lock().expect("node lock").subflow = Some(SubflowRun {
        run_id: report.run_id,
        workflow_id: report.workflow_id,
        status,
        nodes: report.nodes,
    });
    match status {
        RunStatus::Succeeded => Ok(Step::out(report.output)),
        _ => Err(error(
            Code::SubflowFailed,
            format!("{} ended {:?}: {why}", config.workflow, status).to_lowercase(),
        )),
    }
}
