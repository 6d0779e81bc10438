//! `task.code`: a JavaScript function body in the sandbox. `return` gives the
//! output; `console` goes to the node's logs; `$vars` changes persist on success.
//! It runs on the calling thread: the executor runs it in place when nothing
//! else is running, and on tokio's blocking pool otherwise, so a long script
//! never stalls other branches or runs; the sandbox's time and memory limits
//! end a runaway one, and the run's cancel stops it where it is.

use super::{error, NodeCtx, Step};
use crate::expr::with_sandbox;
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;

pub fn run(ctx: &NodeCtx) -> Result<Step, ErrorInfo> {
    let resolved = ctx.config()?;
    let NodeConfig::Code(config) = &*resolved else {
        unreachable!("kind checked")
    };
    let scope = ctx.scope();
    let evaluated = with_sandbox(|sb| {
        sb.watch_cancel(Some(ctx.shared.cancel.clone()));
        let result = sb.run_code(&config.code, &scope, ctx.limits);
        sb.watch_cancel(None);
        result
    });
    match evaluated {
        Ok(e) => {
            for (level, message) in e.logs {
                ctx.log(level, message);
            }
            let mut step = Step::out(e.value);
            if let Some(vars) = e.vars {
                step.vars = vars;
            }
            Ok(step)
        }
        Err(e) => Err(error(e.code(), e.to_string())),
    }
}
