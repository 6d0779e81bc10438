//! `trigger.schedule`: starts a run on a cron schedule (the local service); on a manual run the given input stands in for `{firedAt}`.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::Category;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleTriggerConfig {
    /// A cron expression of 5 or 6 fields.
    pub cron: String,
    /// An IANA time zone name.
    #[serde(default = "crate::nodes::defaults::utc")]
    pub timezone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sample_input: Option<Value>,
}

pub struct ScheduleTrigger;

impl NodeType for ScheduleTrigger {
    type Config = ScheduleTriggerConfig;
    const TYPE: &'static str = "trigger.schedule";
    const CATEGORY: Category = Category::Trigger;
    const LABEL: &'static str = "Schedule trigger";
    const DESCRIPTION: &'static str = "Starts a run on a cron schedule.";
    const RUNS: super::Runs = super::Runs::Immediately;

    fn check(config: &ScheduleTriggerConfig, checks: &mut super::NodeChecks) {
        if config.timezone.parse::<chrono_tz::Tz>().is_err() {
            checks.diagnostics.push(
                crate::model::Diagnostic::error(
                    crate::error::Code::BadCron,
                    format!(
                        "Node \"{}\": time zone \"{}\" is not an IANA name such as Europe/Paris or UTC",
                        checks.node.id, config.timezone
                    ),
                )
                .at_node(&checks.node.id),
            );
        }
        if let Err(e) = croner::Cron::new(&config.cron)
            .with_seconds_optional()
            .parse()
        {
            checks.diagnostics.push(
                crate::model::Diagnostic::error(
                    crate::error::Code::BadCron,
                    format!(
                        "Node \"{}\": cron \"{}\" is not valid: {e}",
                        checks.node.id, config.cron
                    ),
                )
                .at_node(&checks.node.id),
            );
        }
    }

    /// The run's input is the trigger's output.
    fn run<'a>(ctx: &'a NodeCtx, _config: &'a ScheduleTriggerConfig) -> Outcome<'a> {
        Outcome::Done(Ok(Step::out((*ctx.input).clone())))
    }
}
