use super::history::HistoryArgs;
use super::Outcome;
use anyhow::Context;
use flowbench::api::runs;
use flowbench::model::RunReport;
use std::path::Path;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// A JavaScript expression, without braces, such as `$nodes.low.output.length`.
    expr: String,
    /// The run: a run id (or a prefix of one) in the history, or a run report
    /// saved as JSON (`flowbench run --json`, or Save report in the app); an
    /// existing file wins.
    #[arg(long = "run", value_name = "RUN|REPORT.json")]
    run: String,
    /// Evaluate in this node's scope in that run (default: the end of the run).
    #[arg(long)]
    node: Option<String>,
}

/// Prints the value as compact JSON on one line of standard output.
pub fn run(args: EvalArgs, history: &HistoryArgs) -> anyhow::Result<Outcome> {
    let path = Path::new(&args.run);
    let result = if path.is_file() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the report", path.display()))?;
        let report: RunReport = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a run report", path.display()))?;
        runs::eval_in_report(&report, args.node.as_deref(), &args.expr)
    } else {
        let history = history.require()?;
        history
            .eval(&args.run, args.node.as_deref(), &args.expr)
            .map_err(|e| anyhow::anyhow!("{}: no such report file, and {}", args.run, e.message))?
    };
    match result {
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
