//! `task.approval`: a human task. The run waits, durably, for a person's
//! decision (`tasks decide`, the app's Tasks inbox); the decision continues
//! the run on the port its outcome names.

use super::{NodeChecks, NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::{Diagnostic, ErrorInfo, HumanTask, LogLevel};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
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
    /// The decisions a person can take, one output port each (default: approved, rejected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub outcomes: Option<Vec<String>>,
}

/// The outcomes when the config names none.
pub const DEFAULT_OUTCOMES: [&str; 2] = ["approved", "rejected"];

impl ApprovalConfig {
    pub fn outcomes(&self) -> Vec<String> {
        match &self.outcomes {
            Some(o) => o.clone(),
            None => DEFAULT_OUTCOMES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

pub struct Approval;

impl NodeType for Approval {
    type Config = ApprovalConfig;
    const TYPE: &'static str = "task.approval";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Approval";
    const DESCRIPTION: &'static str = "Waits for a person's decision.";
    const PORTS: &'static [&'static str] = &[];
    const RUNS: super::Runs = super::Runs::Immediately;
    const DISABLED_PORT: &'static str = "approved";

    fn config_ports(config: &Map<String, Value>) -> Vec<String> {
        match config.get("outcomes").and_then(Value::as_array) {
            Some(outcomes) => outcomes
                .iter()
                .filter_map(|o| o.as_str().map(str::to_string))
                .collect(),
            None => DEFAULT_OUTCOMES.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn check(config: &ApprovalConfig, checks: &mut NodeChecks) {
        let id = &checks.node.id;
        if let Some(outcomes) = &config.outcomes {
            if outcomes.is_empty() {
                checks.diagnostics.push(Diagnostic::error(
                    Code::InvalidConfig,
                    format!("Node \"{id}\": config.outcomes is empty; name at least one decision, such as \"approved\""),
                ).at_node(id));
            }
            for (i, o) in outcomes.iter().enumerate() {
                if o.trim().is_empty() || outcomes[..i].contains(o) {
                    checks.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidConfig,
                            format!("Node \"{id}\": config.outcomes[{i}] \"{o}\" is empty or named twice"),
                        )
                        .at_node(id),
                    );
                }
            }
        }
        if config
            .due_in_hours
            .is_some_and(|h| !(h >= 0.0 && h.is_finite()))
        {
            checks.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidConfig,
                    format!(
                        "Node \"{id}\": config.dueInHours must be a number of hours, 0 or more"
                    ),
                )
                .at_node(id),
            );
        }
    }

    fn run<'a>(ctx: &'a NodeCtx, config: &'a ApprovalConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &ApprovalConfig) -> Result<Step, ErrorInfo> {
    let title = config
        .title
        .clone()
        .unwrap_or_else(|| ctx.node().id.clone());
    ctx.log(LogLevel::Info, format!("waiting for a decision: {title}"));
    let due_at = config.due_in_hours.map(|h| {
        let due = chrono::Utc::now() + chrono::Duration::milliseconds((h * 3_600_000.0) as i64);
        due.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    });
    let mut step = Step::on(Value::Null, "waiting");
    step.waiting = Some(Box::new(HumanTask {
        title,
        instructions: config.instructions.clone(),
        assignee: config.assignee.clone(),
        due_at,
        outcomes: config.outcomes(),
    }));
    Ok(step)
}
