//! `task.log`: writes its message to the node's logs; passes its input on.

use super::{NodeCtx, Step};
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Log(config) = &*resolved else {
        unreachable!("kind checked")
    };
    ctx.log(config.level, config.message.clone());
    Ok(Step::out((*ctx.input).clone()))
}
