//! `trigger.manual`: starts a run by hand; its output is the run's input.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::Category;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManualTriggerConfig {
    /// The input when a run is given none.
    #[serde(default = "crate::nodes::defaults::empty_object")]
    pub sample_input: Value,
    /// An optional JSON Schema the input should meet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub input_schema: Option<Value>,
}

pub struct ManualTrigger;

impl NodeType for ManualTrigger {
    type Config = ManualTriggerConfig;
    const TYPE: &'static str = "trigger.manual";
    const CATEGORY: Category = Category::Trigger;
    const LABEL: &'static str = "Manual trigger";
    const DESCRIPTION: &'static str = "Starts a run by hand, with a given input.";
    const RUNS: super::Runs = super::Runs::Immediately;

    /// The run's input is the trigger's output.
    fn run<'a>(ctx: &'a NodeCtx, _config: &'a ManualTriggerConfig) -> Outcome<'a> {
        Outcome::Done(Ok(Step::out((*ctx.input).clone())))
    }
}
