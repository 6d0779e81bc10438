//! `task.respond`: sets the run's response (status and body); its output is the body.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::{ErrorInfo, Response};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct RespondConfig {
    /// The status code (a number or an expression).
    #[serde(default = "default_status")]
    pub status: Value,
    /// The body; default: this node's input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub body: Option<Value>,
}

pub struct Respond;

impl NodeType for Respond {
    type Config = RespondConfig;
    const TYPE: &'static str = "task.respond";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Respond";
    const DESCRIPTION: &'static str = "Sets the run's response.";
    const RUNS: super::Runs = super::Runs::Immediately;

    fn run<'a>(ctx: &'a NodeCtx, config: &'a RespondConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &RespondConfig) -> Result<Step, ErrorInfo> {
    let status = config
        .status
        .as_u64()
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| {
            error(
                Code::InvalidConfig,
                format!(
                    "config.status must be an HTTP status from 100 to 599, not {}",
                    config.status
                ),
            )
        })?;
    let body = config.body.clone().unwrap_or_else(|| (*ctx.input).clone());
    let mut step = Step::out(body.clone());
    step.response = Some(Box::new(Response {
        status: status as u16,
        body,
    }));
    Ok(step)
}

fn default_status() -> serde_json::Value {
    serde_json::Value::from(200)
}
