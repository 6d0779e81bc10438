//! `task.set`: its values as output; with `target: "vars"` also into `$vars`.

use super::{NodeType, Outcome};
use crate::engine::context::{NodeCtx, Step};
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct SetConfig {
    /// Each value a literal or an expression.
    pub values: Map<String, Value>,
    #[serde(default)]
    pub target: SetTarget,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum SetTarget {
    /// The values are the node's output.
    #[default]
    Output,
    /// The values are also written into `$vars`.
    Vars,
}

pub struct Set;

impl NodeType for Set {
    type Config = SetConfig;
    const TYPE: &'static str = "task.set";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Set values";
    const DESCRIPTION: &'static str = "Sets values, optionally into the workflow variables.";
    const RUNS: super::Runs = super::Runs::Immediately;

    fn check(config: &SetConfig, checks: &mut super::NodeChecks) {
        if config.target == SetTarget::Vars {
            checks.var_writes.extend(config.values.keys().cloned());
        }
    }

    fn run<'a>(ctx: &'a NodeCtx, config: &'a SetConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(_ctx: &NodeCtx, config: &SetConfig) -> Result<Step, ErrorInfo> {
    let mut step = Step::out(Value::Null);
    if config.target == SetTarget::Vars {
        step.vars = Some(Box::new(config.values.clone()));
    }
    step.output = Value::Object(config.values.clone());
    Ok(step)
}
