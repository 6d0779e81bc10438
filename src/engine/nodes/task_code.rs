//! `task.code`: a JavaScript function body in the sandbox. `return` gives the
//! output; `console` goes to the node's logs; `$vars` changes persist on success.
//! On a multi-threaded runtime it runs in place through `block_in_place`, so a
//! long script never stalls other branches and a short one costs no thread
//! hop; the sandbox's time and memory limits end a runaway one.

use super::{error, NodeCtx, Step};
use crate::expr::with_sandbox;
use crate::model::catalogue::NodeConfig;
use crate::model::ErrorInfo;
use std::sync::Arc;

pub async fn run(ctx: Arc<NodeCtx>) -> Result<Step, ErrorInfo> {
    let NodeConfig::Code(config) = ctx.config(&["code"])? else {
        unreachable!("kind checked")
    };
    let evaluate = || {
        let scope = ctx.scope();
        with_sandbox(|sb| sb.run_code(&config.code, &scope, ctx.limits))
    };
    let evaluated = evaluate();
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
