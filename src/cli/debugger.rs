//! The debugger on the command line (CLI.md): `paused before NODE` on standard
//! error, then one command a line from standard input; each answer is compact
//! JSON (or `error: …`) on one line of standard error, flushed at once. A
//! prompt is written only when standard input is a terminal. End of input
//! means `continue` with no further pauses.

use flowbench::api::runs::{DebugCommand, DebugControl, RunControl};
use serde_json::Value;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::mpsc::Receiver;

const HELP: &str = "commands: step (s), continue (c), input (i), config, eval EXPR (p EXPR), vars, output NODE, break NODE, clear NODE, quit (q)";

fn say(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
    let _ = err.flush();
}

fn answer(result: Result<Value, String>) {
    match result {
        Ok(v) => say(&serde_json::to_string(&v).unwrap_or_default()),
        Err(e) => say(&format!("error: {e}")),
    }
}

/// Reads commands while the run is paused; `pauses` says when it pauses, and
/// closes when the run ends. Runs on a thread of its own.
pub fn drive(
    debug: DebugControl,
    control: RunControl,
    pauses: Receiver<String>,
    runtime: tokio::runtime::Handle,
) {
    let stdin = std::io::stdin();
    let prompt = stdin.is_terminal();
    let mut lines = stdin.lock().lines();
    while let Ok(node) = pauses.recv() {
        loop {
            if prompt {
                eprint!("({node}) ");
                let _ = std::io::stderr().flush();
            }
            let Some(Ok(line)) = lines.next() else {
                // End of input: go on, with no further pauses.
                debug.send(DebugCommand::Detach);
                return;
            };
            let line = line.trim();
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            let rest = rest.trim().to_string();
            let ask = |q: fn(flowbench::api::runs::DebugAnswer) -> DebugCommand| {
                answer(runtime.block_on(debug.ask(q)))
            };
            match word {
                "" => {}
                "step" | "s" => {
                    debug.send(DebugCommand::Step);
                    break;
                }
                "continue" | "c" => {
                    debug.send(DebugCommand::Continue);
                    break;
                }
                "quit" | "q" => {
                    control.cancel();
                    return;
                }
                "input" | "i" => ask(DebugCommand::Input),
                "config" => ask(DebugCommand::Config),
                "vars" => ask(DebugCommand::Vars),
                "eval" | "p" if !rest.is_empty() => {
                    answer(runtime.block_on(debug.ask(|a| DebugCommand::Eval(rest, a))))
                }
                "output" if !rest.is_empty() => {
                    answer(runtime.block_on(debug.ask(|a| DebugCommand::Output(rest, a))))
                }
                "break" if !rest.is_empty() => {
                    debug.set_breakpoint(&rest);
                    answer(Ok(serde_json::json!(debug.breakpoints())));
                }
                "clear" if !rest.is_empty() => {
                    debug.clear_breakpoint(&rest);
                    answer(Ok(serde_json::json!(debug.breakpoints())));
                }
                other => say(&format!(
                    "error: \"{other}\" needs an argument or is not a command; {HELP}"
                )),
            }
        }
    }
}
