//! `condition.if`: its input, unchanged, on `true` or `false`.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::expr::eval::truthy;
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct IfConfig {
    /// An expression; its truthiness picks the `true` or `false` port.
    pub condition: Value,
}

pub struct If;

impl NodeType for If {
    type Config = IfConfig;
    const TYPE: &'static str = "condition.if";
    const CATEGORY: Category = Category::Condition;
    const LABEL: &'static str = "If";
    const DESCRIPTION: &'static str = "Goes on through `true` or `false`.";
    const PORTS: &'static [&'static str] = &["true", "false"];
    const RUNS: super::Runs = super::Runs::Immediately;
    const DISABLED_PORT: &'static str = "true";

    fn run<'a>(ctx: &'a NodeCtx, config: &'a IfConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &IfConfig) -> Result<Step, ErrorInfo> {
    let port = if truthy(&config.condition) {
        "true"
    } else {
        "false"
    };
    Ok(Step::on((*ctx.input).clone(), port))
}
