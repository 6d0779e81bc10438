//! `task.subflow`: runs another workflow (an id in the same folder, or a path
//! relative to this one) with this node's input; its output is the child run's output.

use super::{error, NodeCtx, Step};
use crate::engine::{RunControl, RunOptions};
use crate::model::catalogue::NodeConfig;
use crate::model::{ErrorInfo, LogLevel, RunStatus};
use std::sync::Arc;

/// Subflows deeper than this are refused, so a workflow that calls itself ends.
const MAX_DEPTH: u32 = 8;

fn find(ctx: &NodeCtx, target: &str) -> Result<std::path::PathBuf, ErrorInfo> {
    if target.ends_with(".json") {
        return Ok(ctx.shared.options.base_dir.join(target));
    }
    let files = crate::file::workflow_files(&ctx.shared.options.base_dir).map_err(|e| {
        error(
            "subflow_not_found",
            format!("cannot list {}: {e}", ctx.shared.options.base_dir.display()),
        )
    })?;
    files
        .into_iter()
        .find(|p| crate::file::load(p).is_ok_and(|w| w.id == target))
        .ok_or_else(|| {
            error(
                "subflow_not_found",
                format!(
                    "no workflow with id \"{target}\" in {}",
                    ctx.shared.options.base_dir.display()
                ),
            )
        })
}

pub async fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Subflow(config) = &*resolved else {
        unreachable!("kind checked")
    };
    if ctx.shared.options.depth >= MAX_DEPTH {
        return Err(error(
            "subflow_too_deep",
            format!("subflows are nested more than {MAX_DEPTH} deep; does a workflow call itself?"),
        ));
    }
    let path = find(ctx, &config.workflow)?;
    let child = crate::file::load(&path).map_err(|e| error("subflow_not_found", e.to_string()))?;
    let options = RunOptions {
        input: Some(config.input.clone().unwrap_or_else(|| (*ctx.input).clone())),
        base_dir: path
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| ctx.shared.options.base_dir.clone()),
        depth: ctx.shared.options.depth + 1,
        ..RunOptions::default()
    };
    let control = RunControl::new();
    let cancel = ctx.shared.cancel.clone();
    let watch = control.clone();
    let forward = tokio::spawn(async move {
        cancel.cancelled().await;
        watch.cancel();
    });
    let report = crate::engine::run(Arc::new(child), options, control, None).await;
    forward.abort();
    let report = report.map_err(|e| error("subflow_error", format!("{}: {e}", config.workflow)))?;
    ctx.log(
        LogLevel::Info,
        format!(
            "subflow {} run {} {:?}",
            config.workflow, report.run_id, report.status
        ),
    );
    match report.status {
        RunStatus::Succeeded => Ok(Step::out(report.output)),
        _ => {
            let why = report
                .errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            Err(error(
                "subflow_failed",
                format!("{} ended {:?}: {why}", config.workflow, report.status).to_lowercase(),
            ))
        }
    }
}
