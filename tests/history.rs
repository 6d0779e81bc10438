//! The run history through the real CLI: runs recorded and shown as they
//! printed, a process killed with SIGKILL mid-run and resumed in another,
//! human tasks decided once, revisions.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A local server that counts calls per path. `/hold` never answers its
/// first call (a request in flight when the CLI is killed); later calls answer.
struct Counter {
    base: String,
    calls: Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

impl Counter {
    fn start() -> Counter {
        use axum::extract::{Path as AxPath, State};
        use axum::routing::post;
        use axum::{Json, Router};
        type Calls = Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>;
        let calls: Calls = Default::default();
        let held = Arc::new(AtomicUsize::new(0));
        async fn count(
            State((calls, held)): State<(Calls, Arc<AtomicUsize>)>,
            AxPath(name): AxPath<String>,
        ) -> Json<Value> {
            let n = {
                let mut c = calls.lock().unwrap();
                let n = c.entry(name.clone()).or_default();
                *n += 1;
                *n
            };
            if name == "hold" && held.fetch_add(1, Ordering::SeqCst) == 0 {
                std::future::pending::<()>().await;
            }
            Json(json!({"call": n}))
        }
        let app = Router::new()
            .route("/{name}", post(count))
            .with_state((calls.clone(), held));
        let addr = serve(app);
        Counter {
            base: format!("http://{addr}"),
            calls,
        }
    }

    fn calls(&self, name: &str) -> usize {
        self.calls.lock().unwrap().get(name).copied().unwrap_or(0)
    }

    /// Waits until `name` has been called `n` times (the server's own signal).
    fn wait_for(&self, name: &str, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.calls(name) < n {
            assert!(
                Instant::now() < deadline,
                "{name} was never called {n} times"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn node(id: &str, kind: &str, config: Value) -> Value {
    json!({"id": id, "type": kind, "position": {"x": 0, "y": 0}, "config": config})
}

fn edge(id: &str, from: &str, to: &str, port: Option<&str>) -> Value {
    match port {
        Some(p) => json!({"id": id, "from": from, "to": to, "fromPort": p}),
        None => json!({"id": id, "from": from, "to": to}),
    }
}

fn workflow_file(dir: &Path, id: &str, nodes: Vec<Value>, edges: Vec<Value>) -> PathBuf {
    let w = json!({"flowbench": 1, "id": id, "name": id, "nodes": nodes, "edges": edges});
    write(dir, &format!("{id}.flow.json"), &w.to_string())
}

/// `flowbench` with its history in `db`.
fn cli(db: &Path) -> Command {
    let mut c = flowbench();
    c.env("FLOWBENCH_DB", db);
    c
}

fn output(db: &Path, args: &[&str]) -> std::process::Output {
    cli(db).args(args).output().unwrap()
}

fn json_out(db: &Path, args: &[&str]) -> Value {
    let o = output(db, args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", stdout(&o)))
}

/// Starts `flowbench run` and reads its progress until `line` appears; then
/// kills it with SIGKILL. Gives the run id it printed.
fn run_and_kill_at(db: &Path, file: &Path, line: &str) -> String {
    let mut child = cli(db)
        .args(["run", file.to_str().unwrap()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut run_id = String::new();
    let reader = BufReader::new(child.stderr.take().unwrap());
    for l in reader.lines() {
        let l = l.unwrap();
        if let Some(rest) = l.strip_prefix("run ") {
            run_id = rest.split_whitespace().next().unwrap().to_string();
        }
        if l.contains(line) {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(!run_id.is_empty(), "the run printed its id");
    run_id
}

#[test]
fn runs_are_recorded_and_shown_as_run_printed_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let file = workflow_file(
        dir.path(),
        "greet",
        vec![
            node("start", "trigger.manual", json!({})),
            node(
                "hello",
                "task.set",
                json!({"values": {"msg": "{{ 'hi ' + $input.name }}"}}),
            ),
        ],
        vec![edge("e1", "start", "hello", None)],
    );
    let mut printed = Vec::new();
    for name in ["ann", "bob", "cy"] {
        let input = json!({"name": name}).to_string();
        printed.push(json_out(
            &db,
            &["run", file.to_str().unwrap(), "--input", &input, "--json"],
        ));
    }
    let list = json_out(&db, &["runs", "list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    // Newest first, with the keys CLI.md names.
    assert_eq!(list[0]["runId"], printed[2]["runId"]);
    for key in [
        "runId",
        "workflowId",
        "status",
        "trigger",
        "startedAt",
        "finishedAt",
        "durationMs",
    ] {
        assert!(list[0].get(key).is_some(), "runs list has {key}");
    }
    assert_eq!(list[0]["status"], "succeeded");
    for report in &printed {
        let id = report["runId"].as_str().unwrap();
        let shown = json_out(&db, &["runs", "show", &id[..8], "--json"]);
        assert_eq!(&shown, report, "runs show prints what run --json printed");
    }
    // Filters.
    let none = json_out(&db, &["runs", "list", "--status", "failed", "--json"]);
    assert_eq!(none, json!([]));
    let other = json_out(&db, &["runs", "list", "--workflow", "nope", "--json"]);
    assert_eq!(other, json!([]));
    // --no-history records nothing.
    let o = output(&db, &["run", file.to_str().unwrap(), "--no-history"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        json_out(&db, &["runs", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // ...and, for a workflow that reads no secret, opens no database: none is created.
    let untouched = dir.path().join("untouched.db");
    let o = output(
        &db,
        &[
            "run",
            file.to_str().unwrap(),
            "--no-history",
            "--db",
            untouched.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !untouched.exists(),
        "--no-history created {}",
        untouched.display()
    );
    // --db wins over FLOWBENCH_DB.
    let other_db = dir.path().join("other.db");
    let o = output(
        &db,
        &[
            "run",
            file.to_str().unwrap(),
            "--db",
            other_db.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json_out(&other_db, &["runs", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn an_unusable_database_stops_the_command_with_exit_2_and_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = write(dir.path(), "h.db", "not a database at all, sorry\n");
    let file = workflow_file(
        dir.path(),
        "w",
        vec![node("start", "trigger.manual", json!({}))],
        vec![],
    );
    let o = output(&db, &["run", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("h.db"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        "not a database at all, sorry\n"
    );
    let o = output(&db, &["runs", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_run_killed_mid_delay_resumes_without_running_finished_nodes_again() {
    let server = Counter::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let delay_ms = 3_000;
    let file = workflow_file(
        dir.path(),
        "slow",
        vec![
            node("start", "trigger.manual", json!({})),
            node(
                "before",
                "task.http",
                json!({"url": format!("{}/before", server.base), "method": "POST", "body": {}}),
            ),
            node("wait", "task.delay", json!({"ms": delay_ms})),
            node(
                "after",
                "task.http",
                json!({"url": format!("{}/after", server.base), "method": "POST", "body": {}}),
            ),
        ],
        vec![
            edge("e1", "start", "before", None),
            edge("e2", "before", "wait", None),
            edge("e3", "wait", "after", None),
        ],
    );
    let run_id = run_and_kill_at(&db, &file, "▶ wait");
    assert_eq!(server.calls("before"), 1);
    assert_eq!(server.calls("after"), 0);

    let list = json_out(&db, &["runs", "list", "--json"]);
    assert_eq!(list[0]["runId"], run_id.as_str());
    assert_eq!(
        list[0]["status"], "interrupted",
        "the process is gone: at once"
    );
    let shown = json_out(&db, &["runs", "show", &run_id, "--json"]);
    assert_eq!(shown["status"], "interrupted");
    assert_eq!(record(&shown, "before")["status"], "succeeded");
    assert_eq!(record(&shown, "wait")["status"], "running");

    // Wait until the delay's original deadline has passed, by the recorded start.
    let started =
        chrono::DateTime::parse_from_rfc3339(record(&shown, "wait")["startedAt"].as_str().unwrap())
            .unwrap();
    let deadline = started + chrono::Duration::milliseconds(delay_ms);
    while chrono::Utc::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = output(&db, &["runs", "resume", &run_id[..8], "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["status"], "succeeded");
    assert_eq!(report["runId"], run_id.as_str());
    assert_eq!(
        server.calls("before"),
        1,
        "a finished node never runs again"
    );
    assert_eq!(server.calls("after"), 1);
    let wait = record(&report, "wait");
    assert_eq!(wait["status"], "succeeded");
    assert_eq!(wait["startedAt"], record(&shown, "wait")["startedAt"]);
    assert!(
        wait["durationMs"].as_u64().unwrap() < delay_ms as u64,
        "the delay ended at its original deadline, not {delay_ms} ms after the resume: {wait}"
    );
    // The history shows the report the resume printed; a second resume is refused.
    assert_eq!(json_out(&db, &["runs", "show", &run_id, "--json"]), report);
    let o = output(&db, &["runs", "resume", &run_id]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("has ended"), "{}", stderr(&o));
}

#[test]
fn the_node_in_flight_when_killed_runs_again_on_resume() {
    let server = Counter::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let file = workflow_file(
        dir.path(),
        "held",
        vec![
            node("start", "trigger.manual", json!({})),
            node(
                "first",
                "task.http",
                json!({"url": format!("{}/first", server.base), "method": "POST", "body": {}}),
            ),
            node(
                "hold",
                "task.http",
                json!({"url": format!("{}/hold", server.base), "method": "POST", "body": {}}),
            ),
        ],
        vec![
            edge("e1", "start", "first", None),
            edge("e2", "first", "hold", None),
        ],
    );
    let mut child = cli(&db)
        .args(["run", file.to_str().unwrap()])
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_for("hold", 1);
    child.kill().unwrap();
    child.wait().unwrap();
    let run_id = json_out(&db, &["runs", "list", "--json"])[0]["runId"]
        .as_str()
        .unwrap()
        .to_string();
    let o = output(&db, &["runs", "resume", &run_id, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["status"], "succeeded");
    assert_eq!(server.calls("first"), 1);
    assert_eq!(server.calls("hold"), 2, "the call in flight is made again");
    assert_eq!(record(&report, "hold")["output"]["body"]["call"], 2);
}

fn approval_flow(dir: &Path, server: &Counter) -> PathBuf {
    workflow_file(
        dir,
        "purchase",
        vec![
            node(
                "start",
                "trigger.manual",
                json!({"sampleInput": {"amount": 900}}),
            ),
            node(
                "ask",
                "task.approval",
                json!({"title": "Approve the purchase", "assignee": "dana", "dueInHours": 24,
                       "instructions": "Check the budget", "outcomes": ["approved", "rejected", "escalated"]}),
            ),
            node(
                "order",
                "task.http",
                json!({"url": format!("{}/order", server.base), "method": "POST",
                                             "body": {"by": "{{ $input.by }}", "comment": "{{ $input.comment }}"}}),
            ),
            node("refused", "task.log", json!({"message": "refused"})),
            node("escalate", "task.log", json!({"message": "escalated"})),
        ],
        vec![
            edge("e1", "start", "ask", None),
            edge("e2", "ask", "order", Some("approved")),
            edge("e3", "ask", "refused", Some("rejected")),
            edge("e4", "ask", "escalate", Some("escalated")),
        ],
    )
}

#[test]
fn an_approval_waits_durably_and_is_decided_once() {
    let server = Counter::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let file = approval_flow(dir.path(), &server);
    let o = output(&db, &["run", file.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "waiting exits 0: {}", stderr(&o));
    let waiting: Value = serde_json::from_slice(&o.stdout).unwrap();
    let run_id = waiting["runId"].as_str().unwrap().to_string();
    assert_eq!(waiting["status"], "waiting");
    assert_eq!(record(&waiting, "ask")["output"], Value::Null);
    assert!(
        stderr(&o).contains(&format!("flowbench tasks decide {run_id}")),
        "{}",
        stderr(&o)
    );

    let tasks = json_out(&db, &["tasks", "list", "--json"]);
    assert_eq!(tasks.as_array().unwrap().len(), 1);
    let t = &tasks[0];
    assert_eq!(t["runId"], run_id.as_str());
    assert_eq!(t["workflowId"], "purchase");
    assert_eq!(t["node"], "ask");
    assert_eq!(t["title"], "Approve the purchase");
    assert_eq!(t["assignee"], "dana");
    assert_eq!(t["overdue"], false);
    assert_eq!(t["outcomes"], json!(["approved", "rejected", "escalated"]));
    assert!(t["dueAt"].as_str().unwrap() > waiting["startedAt"].as_str().unwrap());
    assert_eq!(
        json_out(&db, &["tasks", "list", "--assignee", "eve", "--json"]),
        json!([])
    );
    assert_eq!(
        json_out(&db, &["tasks", "list", "--overdue", "--json"]),
        json!([])
    );

    let o = output(
        &db,
        &[
            "tasks",
            "note",
            &run_id,
            "ask",
            "budget confirmed",
            "--by",
            "carl",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // An outcome the node does not have: exit 1, nothing changes.
    let o = output(&db, &["tasks", "decide", &run_id, "ask", "maybe"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("approved, rejected, escalated"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        json_out(&db, &["tasks", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Two processes decide at once: one wins, the other is told clearly.
    let spawn = |outcome: &str, by: &str| {
        cli(&db)
            .args([
                "tasks",
                "decide",
                &run_id,
                "ask",
                outcome,
                "--comment",
                "ok",
                "--by",
                by,
                "--json",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("approved", "dana"), spawn("rejected", "erin"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let (won, lost) = if a.status.code() == Some(0) {
        (a, b)
    } else {
        (b, a)
    };
    assert_eq!(won.status.code(), Some(0), "{}", stderr(&won));
    assert_eq!(lost.status.code(), Some(1), "{}", stderr(&lost));
    let why = stderr(&lost);
    assert!(
        why.contains("decided already") || why.contains("is not waiting"),
        "{why}"
    );
    let report: Value = serde_json::from_slice(&won.stdout).unwrap();
    assert_eq!(report["status"], "succeeded");
    let ask = record(&report, "ask");
    assert_eq!(ask["status"], "succeeded");
    assert_eq!(ask["output"]["comment"], "ok");
    assert_eq!(ask["output"]["notes"][0]["text"], "budget confirmed");
    if ask["output"]["decision"] == "approved" {
        assert_eq!(server.calls("order"), 1);
        assert_eq!(record(&report, "order")["status"], "succeeded");
        assert_eq!(record(&report, "refused")["status"], "skipped");
    } else {
        assert_eq!(server.calls("order"), 0);
        assert_eq!(record(&report, "refused")["status"], "succeeded");
    }
    assert_eq!(record(&report, "escalate")["status"], "skipped");
    assert_eq!(json_out(&db, &["tasks", "list", "--json"]), json!([]));
    assert_eq!(json_out(&db, &["runs", "show", &run_id, "--json"]), report);

    // Deciding again: exit 1, nothing changes.
    let o = output(&db, &["tasks", "decide", &run_id, "ask", "approved"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("decided already"), "{}", stderr(&o));
    assert_eq!(json_out(&db, &["runs", "show", &run_id, "--json"]), report);
}

#[test]
fn eval_and_reuse_reach_runs_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let file = workflow_file(
        dir.path(),
        "vars",
        vec![
            node("start", "trigger.manual", json!({"sampleInput": {"n": 2}})),
            node(
                "double",
                "task.code",
                json!({"code": "$vars.seen = 1; return $input.n * 2;"}),
            ),
            node(
                "inc",
                "task.code",
                json!({"code": "$vars.seen = 2; return $input + 1;"}),
            ),
        ],
        vec![
            edge("e1", "start", "double", None),
            edge("e2", "double", "inc", None),
        ],
    );
    let report = json_out(&db, &["run", file.to_str().unwrap(), "--json"]);
    let id = report["runId"].as_str().unwrap();
    let o = output(
        &db,
        &["eval", "$nodes.double.output + 10", "--run", &id[..10]],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "14");
    // In inc's scope, $vars are those when inc started.
    let o = output(&db, &["eval", "$vars.seen", "--run", id, "--node", "inc"]);
    assert_eq!(stdout(&o).trim(), "1", "{}", stderr(&o));
    let o = output(&db, &["eval", "$vars.seen", "--run", id]);
    assert_eq!(stdout(&o).trim(), "2");
    let o = output(&db, &["eval", "1", "--run", "ffffffff"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no run"), "{}", stderr(&o));

    let rerun = json_out(
        &db,
        &[
            "run",
            file.to_str().unwrap(),
            "--from",
            "inc",
            "--reuse",
            &id[..8],
            "--json",
        ],
    );
    assert_eq!(record(&rerun, "double")["reused"], true);
    assert_eq!(rerun["output"]["inc"], 5);
}

#[test]
fn revisions_list_diff_and_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let file = workflow_file(
        dir.path(),
        "rev",
        vec![node("start", "trigger.manual", json!({}))],
        vec![],
    );
    let first = std::fs::read_to_string(&file).unwrap();
    // Saves from the app record revisions; here, through the engine's API.
    let history = flowbench::api::history::History::open(Some(&db)).unwrap();
    let w1 = flowbench::api::workflows::load(&file).unwrap();
    history.record_revision(&file, &w1, &first).unwrap();
    let second = json!({"flowbench": 1, "id": "rev", "name": "rev", "nodes": [
        {"id": "start", "type": "trigger.manual", "position": {"x": 5, "y": 0}},
        {"id": "log", "type": "task.log", "position": {"x": 0, "y": 0}, "config": {"message": "m"}}],
        "edges": [{"id": "e1", "from": "start", "to": "log"}]})
    .to_string();
    std::fs::write(&file, &second).unwrap();
    let w2 = flowbench::api::workflows::load(&file).unwrap();
    history.record_revision(&file, &w2, &second).unwrap();
    drop(history);

    let list = json_out(
        &db,
        &["revisions", "list", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["rev"], 2);
    let d = json_out(
        &db,
        &[
            "revisions",
            "diff",
            file.to_str().unwrap(),
            "1",
            "2",
            "--json",
        ],
    );
    assert_eq!(d["nodesAdded"], json!(["log"]));
    assert_eq!(d["nodesMoved"], json!(["start"]));
    assert_eq!(d["edgesAdded"], json!(["start → log"]));
    let o = output(&db, &["revisions", "restore", file.to_str().unwrap(), "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    let list = json_out(
        &db,
        &["revisions", "list", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(list[0]["rev"], 3);
    assert_eq!(list[0]["note"], "restored from revision 1");
    let o = output(&db, &["revisions", "restore", file.to_str().unwrap(), "9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no revision 9"), "{}", stderr(&o));
}

#[test]
fn another_process_reading_while_a_run_writes_sees_whole_batches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    // Forty delays one after another: forty commits while another process reads.
    let mut nodes = vec![node("start", "trigger.manual", json!({}))];
    let mut edges = Vec::new();
    for i in 0..40 {
        nodes.push(node(&format!("d{i}"), "task.delay", json!({"ms": 5})));
        let from = if i == 0 {
            "start".to_string()
        } else {
            format!("d{}", i - 1)
        };
        edges.push(edge(&format!("e{i}"), &from, &format!("d{i}"), None));
    }
    let file = workflow_file(dir.path(), "steady", nodes, edges);
    let mut run = cli(&db)
        .args(["run", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the run's first commit: its id on standard error.
    let mut err = BufReader::new(run.stderr.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("run ") {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "the run printed no id"
        );
    }
    let run_id = line.split_whitespace().nth(1).unwrap().to_string();
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    let mut finished_before = 0;
    let mut reads = 0;
    loop {
        let shown = json_out(&db, &["runs", "show", &run_id, "--json"]);
        reads += 1;
        let finished = shown["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["status"] == "succeeded")
            .count();
        // Each read is a whole prefix of the journal: it folds, and never goes back.
        assert!(
            finished >= finished_before,
            "{finished} after {finished_before}"
        );
        finished_before = finished;
        match shown["status"].as_str().unwrap() {
            "running" => continue,
            "succeeded" => break,
            other => panic!("the run read as {other}"),
        }
    }
    assert_eq!(finished_before, 41);
    assert!(reads >= 1);
    assert!(run.wait().unwrap().success());
}
