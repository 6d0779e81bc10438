//! `task.approval`: the run waits for a person's decision. Continuing a waiting
//! run (`runs decide`) needs the run history; until then the run ends `waiting`.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::Category;
use crate::model::{ErrorInfo, LogLevel};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub instructions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub assignee: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub due_in_hours: Option<f64>,
}

pub struct Approval;

impl NodeType for Approval {
    type Config = ApprovalConfig;
    const TYPE: &'static str = "task.approval";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Approval";
    const DESCRIPTION: &'static str = "Waits for a person's decision.";
    const PORTS: &'static [&'static str] = &["approved", "rejected"];
    const RUNS: super::Runs = super::Runs::Immediately;

    fn run<'a>(ctx: &'a NodeCtx, config: &'a ApprovalConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &ApprovalConfig) -> Result<Step, ErrorInfo> {
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
