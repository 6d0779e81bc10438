use super::history::HistoryArgs;
use super::{print_json, Outcome};
use anyhow::{bail, Context};
use flowbench::api::runs::{self, DebugControl, RunControl, RunError, RunOptions};
use flowbench::api::workflows as file;
use flowbench::model::{NodeStatus, RunEvent, RunReport, RunStatus};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct RunArgs {
    /// The workflow file to run.
    file: PathBuf,
    /// The run's input: JSON text, or @FILE to read it from a file.
    #[arg(long)]
    input: Option<String>,
    /// The trigger that fires, when the workflow has several.
    #[arg(long)]
    trigger: Option<String>,
    /// Override a variable: NAME=JSON (text that is not JSON is taken as a string).
    #[arg(long = "var", value_name = "NAME=JSON")]
    vars: Vec<String>,
    /// Print only the run report, as JSON, on standard output.
    #[arg(long)]
    json: bool,
    /// The debugger: pause before every node after the trigger.
    #[arg(long)]
    step: bool,
    /// The debugger: pause before this node (repeatable).
    #[arg(long = "break", value_name = "NODE")]
    breaks: Vec<String>,
    /// Use the pinned outputs in NAME.pins.json beside the workflow.
    #[arg(long)]
    pins: bool,
    /// Use the pinned outputs in this file.
    #[arg(long, value_name = "FILE", conflicts_with = "pins")]
    pins_file: Option<PathBuf>,
    /// Re-run from this node: the nodes before it reuse the outputs of `--reuse`.
    #[arg(long, value_name = "NODE", requires = "reuse")]
    from: Option<String>,
    /// The earlier run whose outputs are reused: a run id (or a prefix of one)
    /// in the history, or a run report saved as JSON (an existing file wins).
    #[arg(long, value_name = "RUN|REPORT.json", requires = "from")]
    reuse: Option<String>,
}

fn parse_input(text: &str) -> anyhow::Result<Value> {
    let (origin, body) = match text.strip_prefix('@') {
        Some(path) => (
            path.to_string(),
            std::fs::read_to_string(path)
                .with_context(|| format!("{path}: cannot read the input file"))?,
        ),
        None => ("--input".to_string(), text.to_string()),
    };
    serde_json::from_str(&body).map_err(|e| {
        anyhow::anyhow!(
            "{origin}:{}:{}: the input is not valid JSON: {e}",
            e.line(),
            e.column()
        )
    })
}

fn parse_vars(pairs: &[String]) -> anyhow::Result<Map<String, Value>> {
    let mut vars = Map::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            bail!("--var {pair}: write it as NAME=VALUE, for example --var threshold=5");
        };
        let value =
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
        vars.insert(name.to_string(), value);
    }
    Ok(vars)
}

fn status_word(s: NodeStatus) -> &'static str {
    match s {
        NodeStatus::Pending => "pending",
        NodeStatus::Running => "running",
        NodeStatus::Succeeded => "succeeded",
        NodeStatus::Failed => "failed",
        NodeStatus::Skipped => "skipped",
        NodeStatus::Waiting => "waiting",
        NodeStatus::Cancelled => "cancelled",
    }
}

/// Live progress on standard error, one line per node start and end.
fn print_event(out: &mut impl Write, event: &RunEvent) -> std::io::Result<()> {
    match event {
        RunEvent::RunStarted {
            run_id,
            workflow_id,
            trigger,
            ..
        } => writeln!(out, "run {run_id} of {workflow_id} (trigger {trigger})"),
        RunEvent::NodeStarted { node, .. } => writeln!(out, "  ▶ {node}"),
        RunEvent::NodeFinished {
            node,
            status: NodeStatus::Skipped,
            ..
        } => writeln!(out, "  · {node} skipped"),
        RunEvent::NodeFinished {
            node,
            status,
            duration_ms,
            error,
        } => {
            let mark = match status {
                NodeStatus::Succeeded => "✔",
                NodeStatus::Waiting => "⏸",
                _ => "✘",
            };
            let why = error
                .as_ref()
                .map(|e| format!(": [{}] {}", e.code, e.message))
                .unwrap_or_default();
            writeln!(
                out,
                "  {mark} {node} {} in {duration_ms} ms{why}",
                status_word(*status)
            )
        }
        RunEvent::RunPaused { node } => writeln!(out, "paused before {node}"),
        RunEvent::Log { node, line } => {
            let level = serde_json::to_value(line.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            writeln!(out, "    {node} {level}: {}", line.message)
        }
        _ => Ok(()),
    }
}

pub fn run(args: RunArgs, history_args: &HistoryArgs) -> anyhow::Result<Outcome> {
    let workflow = match file::load(&args.file) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Outcome::Refused);
        }
    };
    let history = match history_args.open() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Outcome::Refused);
        }
    };
    let history = history.as_ref();
    for b in &args.breaks {
        if workflow.node(b).is_none() {
            eprintln!("error: --break {b}: the workflow has no node \"{b}\"");
            return Ok(Outcome::Refused);
        }
    }
    let debug = (args.step || !args.breaks.is_empty())
        .then(|| DebugControl::new(args.breaks.iter().cloned(), args.step));
    let pins_file = args
        .pins_file
        .clone()
        .or_else(|| args.pins.then(|| runs::pins_path_for(&args.file)));
    let pins = match &pins_file {
        Some(p) => match runs::load_pins(p, &workflow) {
            Ok(pins) => pins,
            Err(e) => {
                eprintln!("error: {e}");
                return Ok(Outcome::Refused);
            }
        },
        None => Default::default(),
    };
    let reuse = match (&args.from, &args.reuse) {
        (Some(from), Some(earlier)) => {
            let earlier = match super::history::report_of(earlier, history) {
                Ok(report) => report,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    return Ok(Outcome::Refused);
                }
            };
            match runs::reuse_from(&workflow, &earlier, from) {
                Ok(reuse) => reuse,
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ok(Outcome::Refused);
                }
            }
        }
        _ => Default::default(),
    };
    let mut options = RunOptions {
        input: args.input.as_deref().map(parse_input).transpose()?,
        trigger: args.trigger.clone(),
        vars: parse_vars(&args.vars)?,
        debug: debug.clone(),
        pins,
        reuse,
        ..runs::options_for(&args.file)
    };
    let workflow = std::sync::Arc::new(workflow);
    // Secrets are read even with --no-history, which records nothing: the
    // history (where they are kept) is then opened only if the run reads
    // one, so that a run with --no-history creates no database.
    let secrets_from = match history {
        Some(h) => Some(h.clone()),
        None if !runs::reads_secrets(&workflow, &options) => None,
        None => flowbench::api::history::History::open(history_args.db.as_deref()).ok(),
    };
    if let Some(h) = &secrets_from {
        match h.secrets_for(&workflow, &options) {
            Ok(s) => options.secrets = s,
            Err(e) => {
                eprintln!("error: {}", e.message);
                return Ok(Outcome::Refused);
            }
        }
    }
    if let Some(h) = history {
        options.journal = Some(h.recorder(&workflow, Some(&args.file), &options));
    }
    let result = watch(debug, move |control, events| {
        runs::run(workflow, options, control, events)
    })?;
    let report = match result {
        Ok(r) => r,
        Err(e @ RunError::Invalid(_)) => {
            if let RunError::Invalid(diagnostics) = &e {
                for d in diagnostics.iter().filter(|d| d.is_error()) {
                    eprintln!("{}: error[{}]: {}", args.file.display(), d.code, d.message);
                }
            }
            eprintln!("error: {e}");
            return Ok(Outcome::Failed);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(Outcome::Refused);
        }
    };
    summarize(&report, history.is_some());
    if args.json {
        print_json(&report)?;
    } else {
        print_json(&report.output)?;
    }
    Ok(match report.status {
        RunStatus::Succeeded | RunStatus::Waiting => Outcome::Success,
        _ => Outcome::Failed,
    })
}

/// Runs what `start` gives with live progress on standard error, Ctrl-C to
/// cancel, and the debugger on standard input when `debug` is given.
pub(super) fn watch<F, T>(
    debug: Option<DebugControl>,
    start: impl FnOnce(RunControl, runs::EventSink) -> F,
) -> anyhow::Result<T>
where
    F: std::future::Future<Output = T>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let control = RunControl::new();
        let on_interrupt = control.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("cancelling…");
                on_interrupt.cancel();
            }
        });
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        // The debugger's reader: told of each pause by the printer.
        let (pauses_tx, pauses_rx) = std::sync::mpsc::channel::<String>();
        if let Some(debug) = debug.clone() {
            let (control, handle) = (control.clone(), tokio::runtime::Handle::current());
            std::thread::spawn(move || super::debugger::drive(debug, control, pauses_rx, handle));
        }
        // Progress goes through a buffer, flushed whenever no event is waiting:
        // every line still shows live on a terminal, in a few writes, not one per line.
        let printer = tokio::spawn(async move {
            let mut err = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
            let mut paused = None;
            while let Some(event) = rx.recv().await {
                let mut next = Some(event);
                while let Some(event) = next {
                    let _ = print_event(&mut err, &event);
                    if let RunEvent::RunPaused { node } = event {
                        paused = Some(node);
                    }
                    next = rx.try_recv().ok();
                }
                let _ = err.flush();
                // `paused before …` is out: now the reader may ask.
                if let Some(node) = paused.take() {
                    let _ = pauses_tx.send(node);
                }
            }
        });
        let result = start(control, Some(tx)).await;
        let _ = printer.await;
        Ok(result)
    })
}

/// The line that ends a run's progress: its status, counts, and what it waits on.
pub(super) fn summarize(report: &RunReport, recorded: bool) {
    let count = |s: NodeStatus| report.nodes.iter().filter(|n| n.status == s).count();
    eprintln!(
        "{:?} in {} ms: {} succeeded, {} failed, {} skipped{}",
        report.status,
        report.duration_ms,
        count(NodeStatus::Succeeded),
        count(NodeStatus::Failed),
        count(NodeStatus::Skipped),
        match report.status {
            RunStatus::Waiting => format!(
                ", waiting on {}",
                report
                    .nodes
                    .iter()
                    .filter(|n| n.status == NodeStatus::Waiting)
                    .map(|n| n.node.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            RunStatus::Cancelled => format!(", {} cancelled", count(NodeStatus::Cancelled)),
            _ => String::new(),
        }
    );
    if report.status == RunStatus::Waiting {
        if recorded {
            for n in report
                .nodes
                .iter()
                .filter(|n| n.status == NodeStatus::Waiting)
            {
                eprintln!(
                    "run {} waits for a decision: flowbench tasks decide {} {} OUTCOME",
                    report.run_id, report.run_id, n.node
                );
            }
        } else {
            eprintln!(
                "run {} waits for a decision, but --no-history kept no record of it to decide",
                report.run_id
            );
        }
    }
}
