//! `task.delay`: waits `ms`, then passes its input on. Cancellable; in a
//! resumed run it ends at its original deadline.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::error::Code;
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct DelayConfig {
    /// Milliseconds to wait (a number or an expression).
    pub ms: Value,
}

pub struct Delay;

impl NodeType for Delay {
    type Config = DelayConfig;
    const TYPE: &'static str = "task.delay";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Delay";
    const DESCRIPTION: &'static str = "Waits, then passes its input on.";

    fn run<'a>(ctx: &'a NodeCtx, config: &'a DelayConfig) -> Outcome<'a> {
        Outcome::Later(Box::pin(run(ctx, config)))
    }
}

async fn run(ctx: &NodeCtx, config: &DelayConfig) -> Result<Step, ErrorInfo> {
    let ms = config.ms.as_f64().filter(|ms| *ms >= 0.0).ok_or_else(|| {
        error(
            Code::InvalidConfig,
            format!(
                "config.ms must be a number of milliseconds, not {}",
                config.ms
            ),
        )
    })?;
    // In a resumed run the delay ends at its original deadline.
    let wait = match ctx.started_at {
        Some(first) => {
            let deadline = first + chrono::Duration::milliseconds(ms as i64);
            (deadline - chrono::Utc::now()).to_std().unwrap_or_default()
        }
        None => std::time::Duration::from_millis(ms as u64),
    };
    tokio::select! {
        _ = tokio::time::sleep(wait) => Ok(Step::out((*ctx.input).clone())),
        _ = ctx.shared.cancel.cancelled() => Err(error(Code::Cancelled, "the run was cancelled")),
    }
}
