//! The debugger on the command line, driven through a pipe as a script would:
//! `paused before NODE`, then one command a line, one answer a line.

mod common;
use common::*;
use serde_json::{json, Value};

fn flow(dir: &std::path::Path) -> std::path::PathBuf {
    let wf = json!({"flowbench": 1, "id": "dbg", "variables": {"rate": 2}, "nodes": [
        {"id": "start", "type": "trigger.manual", "config": {"sampleInput": {"n": 21}}},
        {"id": "double", "type": "task.set", "config": {"values": {"n": "{{ $input.n * $vars.rate }}"}}},
        {"id": "greet", "type": "task.log", "config": {"message": "n is {{ $input.n }}"}},
        {"id": "done", "type": "task.set", "config": {"values": {"ok": true}}}],
        "edges": [{"from": "start", "to": "double"}, {"from": "double", "to": "greet"}, {"from": "greet", "to": "done"}]});
    write(dir, "dbg.flow.json", &wf.to_string())
}

/// Runs `flowbench run` with `args`, writing `script` to its standard input.
fn debug(args: &[&str], script: &str) -> (Option<i32>, Value, Vec<String>) {
    let out = output_with_input(flowbench().args(args).arg("--json"), script);
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let lines = String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect();
    (out.status.code(), report, lines)
}

fn after<'a>(lines: &'a [String], marker: &str) -> &'a [String] {
    let at = lines
        .iter()
        .position(|l| l == marker)
        .unwrap_or_else(|| panic!("no {marker:?} in {lines:#?}"));
    &lines[at + 1..]
}

#[test]
fn a_breakpoint_pauses_and_answers_about_the_paused_node() {
    let dir = tempfile::tempdir().unwrap();
    let f = flow(dir.path());
    let script =
        "input\nconfig\np $input.n + 1\nvars\noutput double\noutput done\nnonsense\ncontinue\n";
    let (code, report, lines) = debug(&["run", f.to_str().unwrap(), "--break", "greet"], script);
    assert_eq!(code, Some(0), "{lines:#?}");
    let answers = after(&lines, "paused before greet");
    assert_eq!(answers[0], r#"{"n":42}"#);
    assert_eq!(answers[1], r#"{"message":"n is 42"}"#);
    assert_eq!(answers[2], "43");
    assert_eq!(answers[3], r#"{"rate":2}"#);
    assert_eq!(answers[4], r#"{"n":42}"#);
    assert_eq!(
        answers[5],
        "error: node \"done\" has not finished (it is pending)"
    );
    assert!(
        answers[6].starts_with("error: \"nonsense\""),
        "{}",
        answers[6]
    );
    // While paused, the paused node had not started; it runs after `continue`.
    let paused_at = lines
        .iter()
        .position(|l| l == "paused before greet")
        .unwrap();
    let greet_started = lines.iter().position(|l| l == "  ▶ greet").unwrap();
    assert!(greet_started > paused_at + 7);
    assert_eq!(report["status"], "succeeded");
    assert_eq!(report["output"], json!({"done": {"ok": true}}));
}

#[test]
fn step_pauses_before_every_node_after_the_trigger_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let f = flow(dir.path());
    let (code, report, lines) = debug(&["run", f.to_str().unwrap(), "--step"], "s\ns\ns\n");
    assert_eq!(code, Some(0), "{lines:#?}");
    let pauses: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("paused before "))
        .collect();
    assert_eq!(pauses, ["double", "greet", "done"]);
    assert_eq!(report["status"], "succeeded");
}

#[test]
fn end_of_input_continues_and_quit_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let f = flow(dir.path());
    // No commands at all: the run goes on to the end, pausing once.
    let (code, report, lines) = debug(&["run", f.to_str().unwrap(), "--step"], "");
    assert_eq!(code, Some(0), "{lines:#?}");
    assert_eq!(report["status"], "succeeded");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("paused before"))
            .count(),
        1
    );
    // `quit` cancels: the paused node never runs.
    let (code, report, _) = debug(&["run", f.to_str().unwrap(), "--break", "greet"], "quit\n");
    assert_eq!(code, Some(1));
    assert_eq!(report["status"], "cancelled");
    let greet = report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "greet")
        .unwrap();
    assert_eq!(greet["status"], "cancelled");
    assert_eq!(greet["startedAt"], Value::Null);
    // A breakpoint on a node the workflow lacks is bad usage.
    let o = run(&["run", f.to_str().unwrap(), "--break", "ghost"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no node \"ghost\""));
}

#[test]
fn eval_against_a_saved_report() {
    let dir = tempfile::tempdir().unwrap();
    let f = flow(dir.path());
    let o = run(&["run", f.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let report = write(dir.path(), "report.json", &stdout(&o));
    let r = report.to_str().unwrap();
    let eval = |args: &[&str]| {
        let mut all = vec!["eval"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--run", r]);
        run(&all)
    };
    // In a node's scope: its input, and only the nodes that had finished.
    let o = eval(&["$input.n", "--node", "greet"]);
    assert_eq!((o.status.code(), stdout(&o).trim()), (Some(0), "42"));
    let o = eval(&[
        "[typeof $nodes.double, typeof $nodes.done]",
        "--node",
        "greet",
    ]);
    assert_eq!(stdout(&o).trim(), r#"["object","undefined"]"#);
    // At the end of the run: every node, the final $vars, the trigger.
    let o = eval(&["$nodes.done.output.ok && $vars.rate + $trigger.n"]);
    assert_eq!(stdout(&o).trim(), "23");
    // A throwing expression: error on standard error, exit 1.
    let o = eval(&["$nodes.nothing.output"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: "), "{}", stderr(&o));
    let o = eval(&["1", "--node", "ghost"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no node \"ghost\""));
    // A run id needs the history: bad usage for now, saying so.
    let o = run(&["eval", "1", "--run", "3f2a"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("run history"));
}

/// The issue's session on the command line: run inventory-reorder against a
/// local server, edit the notify step's message, and re-run from it: the SQL
/// and code nodes do not run again (no second set of reorder rows), notify
/// does, with the new message.
#[test]
fn rerun_from_a_node_reuses_what_comes_before_it() {
    let peer = start_peer(0, 10, 201, 0);
    let (dir, wf) = example_in_tempdir("inventory-reorder.flow.json");
    let w = wf.to_str().unwrap();
    let base = format!("baseUrl=\"{}\"", peer.base);
    let o = run(&["run", w, "--json", "--var", &base]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let earlier = write(dir.path(), "earlier.json", &stdout(&o));
    let db = dir.path().join("inventory.sqlite");
    let rows = |db: &std::path::Path| -> i64 {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM reorders", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(rows(&db), 2);
    // Edit the message.
    let text = std::fs::read_to_string(&wf)
        .unwrap()
        .replace("\"Reorder {{", "\"Please reorder {{");
    std::fs::write(&wf, text).unwrap();
    let o = run(&[
        "run",
        w,
        "--json",
        "--var",
        &base,
        "--from",
        "notify",
        "--reuse",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for id in ["prepare", "low", "reorder"] {
        assert_eq!(record(&report, id)["reused"], true, "{id}");
        assert_eq!(record(&report, id)["status"], "succeeded", "{id}");
    }
    assert_eq!(
        record(&report, "any_low")["reused"],
        Value::Null,
        "a condition runs again"
    );
    assert_eq!(record(&report, "notify")["reused"], Value::Null);
    // The SQL did not run again; the server got the edited message.
    assert_eq!(rows(&db), 2);
    let received = peer.received.lock().unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].1["text"], "Please reorder A1, C3");
    // Re-running from a node the workflow lacks is bad usage.
    let o = run(&[
        "run",
        w,
        "--from",
        "ghost",
        "--reuse",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no node \"ghost\""), "{}", stderr(&o));
}

/// A pinned node does not run: the local server receives nothing.
#[test]
fn pins_stand_in_for_nodes_and_are_checked() {
    let peer = start_peer(0, 10, 201, 0);
    let (dir, wf) = example_in_tempdir("inventory-reorder.flow.json");
    let w = wf.to_str().unwrap();
    let base = format!("baseUrl=\"{}\"", peer.base);
    write(
        dir.path(),
        "inventory-reorder.pins.json",
        &json!({"flowbench": 1, "pins": {"notify": {"output": {"status": 201, "body": {"ok": true}}}}})
            .to_string(),
    );
    // Without --pins the file is not used.
    let o = run(&["run", w, "--json", "--var", &base]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(peer.received.lock().unwrap().len(), 1);
    let o = run(&["run", w, "--json", "--var", &base, "--pins"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(record(&report, "notify")["pinned"], true);
    assert_eq!(record(&report, "notify")["output"]["body"]["ok"], true);
    assert_eq!(
        peer.received.lock().unwrap().len(),
        1,
        "the pinned node called the server"
    );
    // A pin on a condition, or on a node the workflow lacks, is refused by name.
    let bad = write(
        dir.path(),
        "bad.pins.json",
        &json!({"flowbench": 1, "pins": {"any_low": {"output": true}}}).to_string(),
    );
    let o = run(&["run", w, "--pins-file", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"any_low\" is a condition"),
        "{}",
        stderr(&o)
    );
    let bad = write(
        dir.path(),
        "bad.pins.json",
        &json!({"flowbench": 1, "pins": {"ghost": {"output": 1}}}).to_string(),
    );
    let o = run(&["run", w, "--pins-file", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"ghost\""), "{}", stderr(&o));
}
