//! `condition.switch`: its input, on the first case whose `equals` equals the value, else `default`.

use super::{NodeCtx, Step};
use crate::expr::eval::json_equal;
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Switch(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let port = config
        .cases
        .iter()
        .find(|c| json_equal(&c.equals, &config.value))
        .map_or("default", |c| c.port.as_str());
    Ok(Step::on((*ctx.input).clone(), port.to_string()))
}
