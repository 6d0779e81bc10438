//! `task.code`: a JavaScript function body in the sandbox. `return` gives the
//! output; `console` goes to the node's logs; `$vars` changes persist on success.
//! It runs on a blocking thread, so a long script never stalls other branches;
//! the sandbox's time and memory limits end a runaway one.

use super::{error, NodeCtx, Step};
use crate::expr::with_sandbox;
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;
use std::sync::Arc;

pub async fn run(ctx: Arc<NodeCtx>) -> Result<Step, ErrorInfo> {
    let NodeConfig::Code(config) = ctx.config(&["code"])? else {
        unreachable!("kind checked")
    };
    let worker = ctx.clone();
    let evaluated = tokio::task::spawn_blocking(move || {
        let scope = worker.scope();
        with_sandbox(|sb| sb.run_code(&config.code, &scope, worker.limits))
    })
    .await
    .map_err(|e| error("code_error", format!("the script's thread stopped: {e}")))?;
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
