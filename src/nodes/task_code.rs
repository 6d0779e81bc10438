//! `task.code`: a JavaScript function body in the sandbox. `return` gives the
//! output; `console` goes to the node's logs; `$vars` changes persist on success.
//! It runs on the calling thread: the executor runs it in place when nothing
//! else is running, and on tokio's blocking pool otherwise, so a long script
//! never stalls other branches or runs; the sandbox's time and memory limits
//! end a runaway one, and the run's cancel stops it where it is.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::expr::with_sandbox;
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct CodeConfig {
    /// A JavaScript function body; `return` gives the output.
    pub code: String,
}

pub struct Code;

impl NodeType for Code {
    type Config = CodeConfig;
    const TYPE: &'static str = "task.code";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Code";
    const DESCRIPTION: &'static str = "Runs sandboxed JavaScript.";
    const RAW_KEYS: &'static [&'static str] = &["code"];
    const RUNS: super::Runs = super::Runs::Blocking;

    fn check(config: &CodeConfig, checks: &mut super::NodeChecks) {
        if let Err(message) = crate::expr::check_code_syntax(&config.code) {
            checks.diagnostics.push(
                crate::model::Diagnostic::error(
                    crate::error::Code::CodeSyntax,
                    format!(
                        "Node \"{}\": the code does not compile: {message}",
                        checks.node.id
                    ),
                )
                .at_node(&checks.node.id),
            );
        }
        checks
            .sources
            .push(("config.code".into(), config.code.clone()));
        checks
            .var_writes
            .extend(crate::validate::assigned_vars(&config.code));
    }

    fn run<'a>(ctx: &'a NodeCtx, config: &'a CodeConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

fn run(ctx: &NodeCtx, config: &CodeConfig) -> Result<Step, ErrorInfo> {
    let scope = ctx.scope();
    let evaluated = with_sandbox(|sb| {
        sb.watch_cancel(Some(ctx.shared.cancel.clone()));
        let result = sb.run_code(&config.code, &scope, ctx.limits);
        sb.watch_cancel(None);
        result
    });
    match evaluated {
        Ok(e) => Ok(Step::from_code(ctx, e)),
        Err(e) => {
            let message = e.to_string();
            // An imported placeholder (docs/import.md) fails with its own code.
            let code = if message.contains("unmapped_node: ") {
                crate::error::Code::UnmappedNode
            } else {
                e.code()
            };
            Err(error(code, message))
        }
    }
}
