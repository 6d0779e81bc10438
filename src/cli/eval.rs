use super::Outcome;
use anyhow::Context;
use flowbench::api::runs;
use flowbench::model::RunReport;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// A JavaScript expression, without braces, such as `$nodes.low.output.length`.
    expr: String,
    /// The run: a run report saved as JSON (`flowbench run --json`, or Save report in the app).
    #[arg(long = "run", value_name = "REPORT.json")]
    run: String,
    /// Evaluate in this node's scope in that run (default: the end of the run).
    #[arg(long)]
    node: Option<String>,
}

/// Prints the value as compact JSON on one line of standard output.
pub fn run(args: EvalArgs) -> anyhow::Result<Outcome> {
    let path = PathBuf::from(&args.run);
    if !path.exists() {
        anyhow::bail!(
            "{}: no such report file (runs by id need the run history, which is not built yet)",
            args.run
        );
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read the report", path.display()))?;
    let report: RunReport = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a run report", path.display()))?;
    match runs::eval_in_report(&report, args.node.as_deref(), &args.expr) {
        Ok(v) => {
            println!("{}", serde_json::to_string(&v)?);
            Ok(Outcome::Success)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(Outcome::Failed)
        }
    }
}
