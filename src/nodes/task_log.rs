//! `task.log`: writes its message to the node's logs; passes its input on.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct LogConfig {
    pub message: String,
    #[serde(default)]
    pub level: crate::model::LogLevel,
}

pub struct Log;

impl NodeType for Log {
    type Config = LogConfig;
    const TYPE: &'static str = "task.log";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Log";
    const DESCRIPTION: &'static str = "Writes a line to the run's logs.";
    const RUNS: super::Runs = super::Runs::Immediately;

    fn run<'a>(ctx: &'a NodeCtx, config: &'a LogConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &LogConfig) -> Result<Step, ErrorInfo> {
    ctx.log(config.level, config.message.clone());
    Ok(Step::out((*ctx.input).clone()))
}
