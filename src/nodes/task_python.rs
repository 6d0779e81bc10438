//! `task.python`: a Python function body, run by Monty (pydantic's sandboxed
//! interpreter, written in Rust; `expr::python`). The scope's names come
//! without `$`, as plain dicts and lists; `return` gives the output; `print`
//! goes to the node's logs; writes to `vars[...]` persist on success. It runs
//! like `task.code`: in place when nothing else runs, else on tokio's
//! blocking pool, ended by its own time and memory limits.

use super::{NodeType, Outcome};
use crate::engine::context::{error, NodeCtx, Step};
use crate::model::catalogue::Category;
use crate::model::ErrorInfo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct PythonConfig {
    /// A Python function body; `return` gives the output. It sees input,
    /// trigger, vars, nodes, item, index, run and secrets.
    pub code: String,
}

pub struct Python;

impl NodeType for Python {
    type Config = PythonConfig;
    const TYPE: &'static str = "task.python";
    const CATEGORY: Category = Category::Task;
    const LABEL: &'static str = "Python";
    const DESCRIPTION: &'static str = "Runs sandboxed Python.";
    const RAW_KEYS: &'static [&'static str] = &["code"];
    const RUNS: super::Runs = super::Runs::Blocking;

    fn check(config: &PythonConfig, checks: &mut super::NodeChecks) {
        if let Err(message) = crate::expr::python::check_syntax(&config.code) {
            checks.diagnostics.push(
                crate::model::Diagnostic::error(
                    crate::error::Code::CodeSyntax,
                    format!(
                        "Node \"{}\": the Python code does not compile: {message}",
                        checks.node.id
                    ),
                )
                .at_node(&checks.node.id),
            );
        }
        // `nodes['id']` and `nodes["id"]` name upstream nodes as `$nodes.id` does.
        let named = python_node_references(&config.code);
        checks.sources.push(("config.code".into(), named));
    }

    fn references(config: &serde_json::Map<String, serde_json::Value>) -> String {
        config
            .get("code")
            .and_then(|c| c.as_str())
            .map(python_node_references)
            .unwrap_or_default()
    }

    fn run<'a>(ctx: &'a NodeCtx, config: &'a PythonConfig) -> Outcome<'a> {
        Outcome::Done(run(ctx, config))
    }
}

/// The code's `nodes['id']` and `nodes.get('id')` references, written as
/// `$nodes.id` for the validator's upstream check and the scope's `nodes`.
fn python_node_references(code: &str) -> String {
    let mut out = String::new();
    for opener in ["nodes[", "nodes.get("] {
        let mut rest = code;
        while let Some(i) = rest.find(opener) {
            rest = rest[i + opener.len()..].trim_start();
            if let Some(q @ ('\'' | '"')) = rest.chars().next() {
                if let Some(end) = rest[1..].find(q) {
                    let id = &rest[1..1 + end];
                    if !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        out.push_str(&format!("$nodes.{id};\n"));
                    }
                }
            }
        }
    }
    out
}

fn run(ctx: &NodeCtx, config: &PythonConfig) -> Result<Step, ErrorInfo> {
    let scope = ctx.scope();
    crate::expr::python::run(&config.code, &scope, ctx.limits)
        .map(|e| Step::from_code(ctx, e))
        .map_err(|e| error(e.code(), e.to_string()))
}
