//! `condition.switch`: its input, on the first case whose `equals` equals the value, else `default`.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::expr::eval::json_equal;
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SwitchConfig {
    /// An expression whose value is compared with each case.
    pub value: Value,
    /// The first case whose `equals` equals the value takes its port; else `default`.
    pub cases: Vec<SwitchCase>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SwitchCase {
    pub port: String,
    pub equals: Value,
}

pub struct Switch;

impl NodeType for Switch {
    type Config = SwitchConfig;
    const TYPE: &'static str = "condition.switch";
    const CATEGORY: Category = Category::Condition;
    const LABEL: &'static str = "Switch";
    const DESCRIPTION: &'static str = "Goes on through the first matching case, else `default`.";
    const PORTS: &'static [&'static str] = &["default"];
    const RUNS: super::Runs = super::Runs::Immediately;
    const DISABLED_PORT: &'static str = "default";

    fn config_ports(config: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
        config
            .get("cases")
            .and_then(|c| c.as_array())
            .map(|cases| {
                cases
                    .iter()
                    .filter_map(|c| c.get("port").and_then(|p| p.as_str()).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn run<'a>(ctx: &'a NodeCtx, config: &'a SwitchConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &SwitchConfig) -> Result<Step, ErrorInfo> {
    let port = config
        .cases
        .iter()
        .find(|c| json_equal(&c.equals, &config.value))
        .map_or("default", |c| c.port.as_str());
    Ok(Step::on((*ctx.input).clone(), port.to_string()))
}
