//! `task.delay`: waits `ms`, then passes its input on. Cancellable.

use super::{error, NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;

pub async fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Delay(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let ms = config.ms.as_f64().filter(|ms| *ms >= 0.0).ok_or_else(|| {
        error(
            Code::InvalidConfig,
            format!(
                "config.ms must be a number of milliseconds, not {}",
                config.ms
            ),
        )
    })?;
    tokio::select! {
        _ = tokio::time::sleep(std::time::Duration::from_millis(ms as u64)) => Ok(Step::out((*ctx.input).clone())),
        _ = ctx.shared.cancel.cancelled() => Err(error(Code::Cancelled, "the run was cancelled")),
    }
}
