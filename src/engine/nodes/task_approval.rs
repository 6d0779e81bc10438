//! `task.approval`: the run waits for a person's decision. Continuing a waiting
//! run (`runs decide`) needs the run history; until then the run ends `waiting`.

use super::{NodeCtx, Step};
use crate::model::catalogue::NodeConfig;
use crate::model::{ErrorInfo, LogLevel};
use serde_json::json;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Approval(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let title = config
        .title
        .clone()
        .unwrap_or_else(|| "Approval".to_string());
    ctx.log(LogLevel::Info, format!("waiting for a decision: {title}"));
    let mut step = Step::on(
        json!({"title": title, "assignee": config.assignee, "instructions": config.instructions}),
        "approved",
    );
    step.waiting = true;
    Ok(step)
}
