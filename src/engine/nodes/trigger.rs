//! `trigger.manual`, `trigger.webhook`, `trigger.schedule`: the run's input is
//! the trigger's output (a webhook request or a schedule's `{firedAt}` when the
//! local service fires them; the given input on a manual run).

use super::{NodeCtx, Step};
use crate::model::ErrorInfo;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    Ok(Step::out((*ctx.input).clone()))
}
