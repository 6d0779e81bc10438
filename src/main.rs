//! The `flowbench` command line: a thin shell over the engine library.
//! Exit codes: 0 success; 1 a failed run, validation errors or a failing test;
//! 2 bad usage or a file refused whole.

mod cli;

// A run allocates many small JSON values; mimalloc keeps that fast where the
// system allocator slows down as the heap grows. Measuring counts what Python
// code allocates, for task.python's memory limit.
#[global_allocator]
static ALLOCATOR: flowbench::api::sandbox_alloc::Measuring<mimalloc::MiMalloc> =
    flowbench::api::sandbox_alloc::Measuring(mimalloc::MiMalloc);

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "flowbench",
    version,
    about = "Validate, run and test Flowbench workflows from the command line."
)]
struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    history: cli::history::HistoryArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Check workflow files (or folders of *.flow.json): one diagnostic a line.
    Validate(cli::validate::ValidateArgs),
    /// Run a workflow once, locally, with live progress on standard error.
    Run(cli::run::RunArgs),
    /// Evaluate an expression against a past run (a run id, or a saved run report).
    Eval(cli::eval::EvalArgs),
    /// Run workflow tests (*.test.json); ends with "N passed, N failed".
    Test(cli::test::TestArgs),
    /// Print the JSON Schema of the workflow format.
    Schema,
    /// Rewrite workflow files in canonical form (what saving writes).
    Fmt(cli::fmt::FmtArgs),
    /// The run history: list, show and resume recorded runs.
    #[command(subcommand)]
    Runs(cli::history::RunsCommand),
    /// Human tasks (approvals): list, decide, add notes.
    #[command(subcommand)]
    Tasks(cli::history::TasksCommand),
    /// Revisions of workflow files saved from the app: list, diff, restore.
    #[command(subcommand)]
    Revisions(cli::revisions::RevisionsCommand),
    /// Import another tool's workflow: `import n8n FILE [-o OUT]`.
    #[command(subcommand)]
    Import(cli::import::ImportCommand),
    /// Serve a folder's workflows: webhooks and the HTTP API on 127.0.0.1.
    Serve(cli::serve::ServeArgs),
    /// Secrets, encrypted at rest: set (from standard input), get, list, rm.
    #[command(subcommand)]
    Secrets(cli::secrets::SecretsCommand),
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            // clap's --help and --version are successes; usage errors exit 2.
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match args.command {
        Command::Validate(a) => cli::validate::run(a),
        Command::Fmt(a) => cli::fmt::run(a),
        Command::Run(a) => cli::run::run(a, &args.history),
        Command::Test(a) => cli::test::run(a, &args.history),
        Command::Eval(a) => cli::eval::run(a, &args.history),
        Command::Runs(c) => cli::history::runs(c, &args.history),
        Command::Tasks(c) => cli::history::tasks(c, &args.history),
        Command::Revisions(c) => cli::revisions::run(c, &args.history),
        Command::Secrets(c) => cli::secrets::run(c, &args.history),
        Command::Import(c) => cli::import::run(c),
        Command::Serve(a) => cli::serve::run(a, &args.history),
        Command::Schema => {
            cli::print_json(&flowbench::api::workflows::schema()).map(|_| cli::Outcome::Success)
        }
    };
    // Runs end without waiting for their end to be written to the history.
    if let Err(e) = flowbench::api::history::History::settle_all() {
        eprintln!("error: {}", e.message);
        return ExitCode::from(2);
    }
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
