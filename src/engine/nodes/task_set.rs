//! `task.set`: its values as output; with `target: "vars"` also into `$vars`.

use super::{NodeCtx, Step};
use crate::model::catalogue::NodeConfig;
use crate::model::config::SetTarget;
use crate::model::ErrorInfo;
use serde_json::Value;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Set(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let mut step = Step::out(Value::Null);
    if config.target == SetTarget::Vars {
        step.vars = config.values.clone();
    }
    step.output = Value::Object(config.values.clone());
    Ok(step)
}
