//! `condition.if`: its input, unchanged, on `true` or `false`.

use super::{NodeCtx, Step};
use crate::expr::eval::truthy;
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::If(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let port = if truthy(&config.condition) {
        "true"
    } else {
        "false"
    };
    Ok(Step::on((*ctx.input).clone(), port))
}
