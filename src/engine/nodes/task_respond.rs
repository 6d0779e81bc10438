//! `task.respond`: sets the run's response (status and body); its output is the body.

use super::{error, NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::NodeConfig;
use crate::model::{ErrorInfo, Response};

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Respond(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let status = config
        .status
        .as_u64()
        .filter(|s| (100..=599).contains(s))
        .ok_or_else(|| {
            error(
                Code::InvalidConfig,
                format!(
                    "config.status must be an HTTP status from 100 to 599, not {}",
                    config.status
                ),
            )
        })?;
    let body = config.body.clone().unwrap_or_else(|| (*ctx.input).clone());
    let mut step = Step::out(body.clone());
    step.response = Some(Response {
        status: status as u16,
        body,
    });
    Ok(step)
}
