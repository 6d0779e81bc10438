//! `trigger.webhook`: starts a run when an HTTP request arrives (the local service); on a manual run the given input stands in for the request.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::Category;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookTriggerConfig {
    /// The path the local service listens on, such as `/orders`.
    pub path: String,
    /// The HTTP method it accepts.
    #[serde(default = "crate::nodes::defaults::post")]
    pub method: String,
    /// The input of a manual run, standing in for a request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sample_input: Option<Value>,
}

pub struct WebhookTrigger;

impl NodeType for WebhookTrigger {
    type Config = WebhookTriggerConfig;
    const TYPE: &'static str = "trigger.webhook";
    const CATEGORY: Category = Category::Trigger;
    const LABEL: &'static str = "Webhook trigger";
    const DESCRIPTION: &'static str = "Starts a run when an HTTP request arrives.";
    const RUNS: super::Runs = super::Runs::Immediately;

    /// The run's input is the trigger's output.
    fn run<'a>(ctx: &'a NodeCtx, _config: &'a WebhookTriggerConfig) -> Outcome<'a> {
        Outcome::Done(Ok(Step::out((*ctx.input).clone())))
    }
}
