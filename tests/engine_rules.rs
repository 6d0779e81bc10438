//! Each rule of FORMAT.md's "Execution", through the engine library.

use flowbench::engine::{run, RunControl, RunOptions};
use flowbench::model::{RunEvent, RunReport, RunStatus, Workflow};
use serde_json::{json, Value};
use std::sync::Arc;

fn wf(nodes: Value, edges: Value) -> Workflow {
    let mut edges = edges;
    for (i, e) in edges.as_array_mut().unwrap().iter_mut().enumerate() {
        e["id"] = json!(format!("e{}", i + 1));
    }
    let v = json!({"flowbench": 1, "id": "t", "variables": {"count": 1}, "nodes": nodes, "edges": edges});
    flowbench::file::parse(&v.to_string(), "t").unwrap()
}

fn start() -> Value {
    json!({"id": "start", "type": "trigger.manual", "config": {"sampleInput": {"n": 5}}})
}

fn go(w: Workflow) -> RunReport {
    go_with(w, RunOptions::default(), RunControl::new(), None)
}

fn go_with(
    w: Workflow,
    options: RunOptions,
    control: RunControl,
    events: flowbench::engine::EventSink,
) -> RunReport {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(Arc::new(w), options, control, events))
        .unwrap()
}

fn rec(r: &RunReport, id: &str) -> Value {
    serde_json::to_value(r.nodes.iter().find(|n| n.node == id).unwrap()).unwrap()
}

#[test]
fn refuses_a_workflow_with_errors() {
    let w = wf(
        json!([{"id": "a", "type": "task.log", "config": {"message": "x"}}]),
        json!([]),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let err = rt
        .block_on(run(
            Arc::new(w),
            RunOptions::default(),
            RunControl::new(),
            None,
        ))
        .unwrap_err();
    assert_eq!(err.code(), flowbench::error::Code::WorkflowInvalid);
    assert!(err.to_string().contains("no_trigger"), "{err}");
}

#[test]
fn input_is_given_else_sample_input() {
    let w = wf(
        json!([start(), {"id": "echo", "type": "task.code", "config": {"code": "return $input.n * 2;"}}]),
        json!([{"from": "start", "to": "echo"}]),
    );
    assert_eq!(rec(&go(w.clone()), "echo")["output"], 10);
    let r = go_with(
        w,
        RunOptions {
            input: Some(json!({"n": 7})),
            ..Default::default()
        },
        RunControl::new(),
        None,
    );
    assert_eq!(rec(&r, "echo")["output"], 14);
    assert_eq!(r.input, json!({"n": 7}));
}

#[test]
fn dead_paths_are_skipped_transitively() {
    let w = wf(
        json!([start(), {"id": "c", "type": "condition.if", "config": {"condition": "{{ $input.n > 100 }}"}},
               {"id": "a", "type": "task.set", "config": {"values": {"x": 1}}},
               {"id": "b", "type": "task.set", "config": {"values": {"x": 2}}},
               {"id": "other", "type": "task.set", "config": {"values": {"x": 3}}}]),
        json!([{"from": "start", "to": "c"}, {"from": "c", "fromPort": "true", "to": "a"}, {"from": "a", "to": "b"}, {"from": "c", "fromPort": "false", "to": "other"}]),
    );
    let r = go(w);
    assert_eq!(rec(&r, "a")["status"], "skipped");
    assert_eq!(rec(&r, "b")["status"], "skipped");
    assert_eq!(rec(&r, "other")["status"], "succeeded");
    assert_eq!(
        r.output,
        json!({"other": {"x": 3}}),
        "output: the nodes that ran and go nowhere"
    );
}

#[test]
fn several_taken_edges_give_input_keyed_by_predecessor() {
    let w = wf(
        json!([start(), {"id": "a", "type": "task.set", "config": {"values": {"v": 1}}}, {"id": "b", "type": "task.set", "config": {"values": {"v": 2}}},
               {"id": "j", "type": "task.code", "config": {"code": "return $input;"}}]),
        json!([{"from": "start", "to": "a"}, {"from": "start", "to": "b"}, {"from": "a", "to": "j"}, {"from": "b", "to": "j"}]),
    );
    assert_eq!(
        rec(&go(w), "j")["output"],
        json!({"a": {"v": 1}, "b": {"v": 2}})
    );
}

#[test]
fn independent_branches_run_concurrently() {
    let w = wf(
        json!([start(), {"id": "slow1", "type": "task.delay", "config": {"ms": 300}}, {"id": "slow2", "type": "task.delay", "config": {"ms": 300}}]),
        json!([{"from": "start", "to": "slow1"}, {"from": "start", "to": "slow2"}]),
    );
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    go_with(w, RunOptions::default(), RunControl::new(), Some(tx));
    let mut seen = Vec::new();
    while let Ok(e) = rx.try_recv() {
        match e {
            RunEvent::NodeStarted { node, .. } if node.starts_with("slow") => {
                seen.push(format!("start {node}"))
            }
            RunEvent::NodeFinished { node, .. } if node.starts_with("slow") => {
                seen.push(format!("end {node}"))
            }
            _ => {}
        }
    }
    assert!(
        seen[0].starts_with("start") && seen[1].starts_with("start"),
        "both start before either ends: {seen:?}"
    );
}

#[test]
fn for_each_runs_items_in_order_and_empty_gives_empty() {
    let w = wf(
        json!([start(), {"id": "each", "type": "task.code", "forEach": "{{ $input.items }}", "config": {"code": "return $item * 10 + $index;"}}]),
        json!([{"from": "start", "to": "each"}]),
    );
    let r = go_with(
        w.clone(),
        RunOptions {
            input: Some(json!({"items": [1, 2, 3]})),
            ..Default::default()
        },
        RunControl::new(),
        None,
    );
    let each = rec(&r, "each");
    assert_eq!(each["output"], json!([10, 21, 32]));
    assert_eq!(each["iterations"].as_array().unwrap().len(), 3);
    let r = go_with(
        w.clone(),
        RunOptions {
            input: Some(json!({"items": []})),
            ..Default::default()
        },
        RunControl::new(),
        None,
    );
    assert_eq!(rec(&r, "each")["output"], json!([]));
    let r = go_with(
        w,
        RunOptions {
            input: Some(json!({"items": 4})),
            ..Default::default()
        },
        RunControl::new(),
        None,
    );
    assert_eq!(rec(&r, "each")["error"]["code"], "for_each_not_array");
}

#[test]
fn a_failing_item_fails_the_node() {
    let w = wf(
        json!([start(), {"id": "each", "type": "task.code", "forEach": "{{ [1, 2, 3] }}", "onError": "continue",
               "config": {"code": "if ($item === 2) throw new Error('bad item'); return $item;"}}]),
        json!([{"from": "start", "to": "each"}]),
    );
    let r = go(w);
    let each = rec(&r, "each");
    assert_eq!(each["status"], "failed");
    assert_eq!(each["error"]["message"], "item 1: bad item");
    assert_eq!(each["iterations"].as_array().unwrap().len(), 2);
}

#[test]
fn retry_counts_attempts_and_timeout_ends_an_attempt() {
    let w = wf(
        json!([start(), {"id": "slow", "type": "task.delay", "timeoutMs": 50, "retry": {"maxAttempts": 2, "backoffMs": 10}, "onError": "continue", "config": {"ms": 5000}}]),
        json!([{"from": "start", "to": "slow"}]),
    );
    let r = go(w);
    let slow = rec(&r, "slow");
    assert_eq!(slow["attempts"], 2);
    assert_eq!(slow["error"]["code"], "timeout");
    assert_eq!(
        slow["error"]["message"],
        "the attempt took longer than its timeoutMs of 50 ms"
    );
}

#[test]
fn on_error_continue_goes_on_with_null() {
    let w = wf(
        json!([start(), {"id": "bad", "type": "task.code", "onError": "continue", "config": {"code": "throw new Error('nope')"}},
               {"id": "after", "type": "task.code", "config": {"code": "return { got: $input };"}}]),
        json!([{"from": "start", "to": "bad"}, {"from": "bad", "to": "after"}]),
    );
    let r = go(w);
    assert_eq!(r.status, RunStatus::Succeeded);
    assert_eq!(rec(&r, "bad")["status"], "failed");
    assert_eq!(rec(&r, "bad")["output"], Value::Null);
    assert_eq!(rec(&r, "after")["output"], json!({"got": null}));
    assert_eq!(r.errors[0].message, "nope");
}

#[test]
fn on_error_route_takes_only_the_error_port() {
    let w = wf(
        json!([start(), {"id": "bad", "type": "task.code", "onError": "route", "config": {"code": "throw new Error('nope')"}},
               {"id": "ok", "type": "task.set", "config": {"values": {"x": 1}}},
               {"id": "handler", "type": "task.code", "config": {"code": "return $input;"}}]),
        json!([{"from": "start", "to": "bad"}, {"from": "bad", "to": "ok"}, {"from": "bad", "fromPort": "error", "to": "handler"}]),
    );
    let r = go(w);
    assert_eq!(rec(&r, "ok")["status"], "skipped");
    assert_eq!(
        rec(&r, "handler")["output"],
        json!({"error": {"code": "script_error", "message": "nope"}, "input": {"n": 5}})
    );
}

#[test]
fn on_error_fail_cancels_the_rest() {
    let w = wf(
        json!([start(), {"id": "bad", "type": "task.code", "config": {"code": "throw new Error('stop')"}},
               {"id": "slow", "type": "task.delay", "config": {"ms": 5000}},
               {"id": "later", "type": "task.set", "config": {"values": {"x": 1}}}]),
        json!([{"from": "start", "to": "bad"}, {"from": "start", "to": "slow"}, {"from": "bad", "to": "later"}]),
    );
    let r = go(w);
    assert_eq!(r.status, RunStatus::Failed);
    assert_eq!(rec(&r, "bad")["status"], "failed");
    assert_eq!(rec(&r, "slow")["status"], "cancelled");
    assert_eq!(rec(&r, "later")["status"], "cancelled");
}

#[test]
fn disabled_nodes_pass_input_and_conditions_take_true() {
    let w = wf(
        json!([start(), {"id": "off", "type": "task.code", "disabled": true, "config": {"code": "return 99;"}},
               {"id": "c", "type": "condition.if", "disabled": true, "config": {"condition": "{{ false }}"}},
               {"id": "t", "type": "task.code", "config": {"code": "return $input;"}},
               {"id": "f", "type": "task.code", "config": {"code": "return 0;"}}]),
        json!([{"from": "start", "to": "off"}, {"from": "off", "to": "c"}, {"from": "c", "fromPort": "true", "to": "t"}, {"from": "c", "fromPort": "false", "to": "f"}]),
    );
    let r = go(w);
    assert_eq!(rec(&r, "off")["output"], json!({"n": 5}));
    assert_eq!(rec(&r, "t")["output"], json!({"n": 5}));
    assert_eq!(rec(&r, "f")["status"], "skipped");
}

#[test]
fn variables_are_written_on_success() {
    let w = wf(
        json!([start(), {"id": "s", "type": "task.set", "config": {"values": {"total": "{{ $input.n + 1 }}"}, "target": "vars"}},
               {"id": "c", "type": "task.code", "config": {"code": "$vars.count = $vars.count + $vars.total; return $vars.count;"}}]),
        json!([{"from": "start", "to": "s"}, {"from": "s", "to": "c"}]),
    );
    let r = go(w);
    assert_eq!(rec(&r, "c")["output"], 7);
    assert_eq!(Value::Object(r.vars), json!({"count": 7, "total": 6}));
}

#[test]
fn switch_picks_the_first_matching_case_else_default() {
    let w = wf(
        json!([start(), {"id": "sw", "type": "condition.switch", "config": {"value": "{{ $input.n }}", "cases": [{"port": "five", "equals": 5.0}, {"port": "also", "equals": 5}]}},
               {"id": "a", "type": "task.set", "config": {"values": {}}}, {"id": "b", "type": "task.set", "config": {"values": {}}}, {"id": "d", "type": "task.set", "config": {"values": {}}}]),
        json!([{"from": "start", "to": "sw"}, {"from": "sw", "fromPort": "five", "to": "a"}, {"from": "sw", "fromPort": "also", "to": "b"}, {"from": "sw", "fromPort": "default", "to": "d"}]),
    );
    let r = go(w);
    assert_eq!(rec(&r, "a")["status"], "succeeded");
    assert_eq!(rec(&r, "b")["status"], "skipped");
    assert_eq!(rec(&r, "d")["status"], "skipped");
}

#[test]
fn respond_sets_the_output_and_other_triggers_are_skipped() {
    let w = wf(
        json!([start(), {"id": "hook", "type": "trigger.webhook", "config": {"path": "/x"}},
               {"id": "r", "type": "task.respond", "config": {"status": 201, "body": {"n": "{{ $trigger.n }}"}}},
               {"id": "h", "type": "task.log", "config": {"message": "hook"}}]),
        json!([{"from": "start", "to": "r"}, {"from": "hook", "to": "h"}]),
    );
    let r = go_with(
        w,
        RunOptions {
            trigger: Some("start".into()),
            ..Default::default()
        },
        RunControl::new(),
        None,
    );
    assert_eq!(r.output, json!({"n": 5}));
    assert_eq!(rec(&r, "hook")["status"], "skipped");
    assert_eq!(rec(&r, "h")["status"], "skipped");
    assert_eq!(r.trigger, "start");
}

#[test]
fn cancel_stops_a_run() {
    let w = wf(
        json!([start(), {"id": "wait", "type": "task.delay", "config": {"ms": 10000}}]),
        json!([{"from": "start", "to": "wait"}]),
    );
    let control = RunControl::new();
    let c = control.clone();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        c.cancel();
    });
    let r = go_with(w, RunOptions::default(), control, None);
    assert_eq!(r.status, RunStatus::Cancelled);
    assert_eq!(rec(&r, "wait")["status"], "cancelled");
}

#[test]
fn approval_makes_the_run_wait() {
    let w = wf(
        json!([start(), {"id": "ok", "type": "task.approval", "config": {"title": "Approve reorder"}}, {"id": "after", "type": "task.set", "config": {"values": {}}}]),
        json!([{"from": "start", "to": "ok"}, {"from": "ok", "fromPort": "approved", "to": "after"}]),
    );
    let r = go(w);
    assert_eq!(r.status, RunStatus::Waiting);
    assert_eq!(rec(&r, "ok")["status"], "waiting");
    assert_eq!(rec(&r, "after")["status"], "pending");
}

#[test]
fn subflow_runs_the_child_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let child = json!({"flowbench": 1, "id": "double", "nodes": [
        {"id": "in", "type": "trigger.manual"},
        {"id": "r", "type": "task.respond", "config": {"body": "{{ $input.n * 2 }}"}}],
        "edges": [{"id": "e1", "from": "in", "to": "r"}]});
    std::fs::write(dir.path().join("double.flow.json"), child.to_string()).unwrap();
    let w = wf(
        json!([start(), {"id": "sub", "type": "task.subflow", "config": {"workflow": "double"}}]),
        json!([{"from": "start", "to": "sub"}]),
    );
    let r = go_with(
        w,
        RunOptions {
            base_dir: dir.path().to_path_buf(),
            workflows: Some(flowbench::workspace::FolderWorkflows::new()),
            ..Default::default()
        },
        RunControl::new(),
        None,
    );
    assert_eq!(rec(&r, "sub")["output"], 10);
    // The child's records nest in the subflow node's record.
    let child = &rec(&r, "sub")["subflow"];
    assert_eq!(child["workflowId"], "double");
    assert_eq!(child["status"], "succeeded");
    let child_nodes: Vec<&str> = child["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["node"].as_str().unwrap())
        .collect();
    assert_eq!(child_nodes, ["in", "r"]);
}

/// Long code runs off the async workers: with one worker thread, another
/// branch still runs to its end while the code loops, and a cancel stops the
/// code where it is, long before its time limit.
#[test]
fn long_code_holds_up_no_branch_and_a_cancel_reaches_it() {
    let w = wf(
        json!([start(),
               {"id": "spin", "type": "task.code", "timeoutMs": 60000, "config": {"code": "while (true) {}"}},
               {"id": "wait", "type": "task.delay", "config": {"ms": 20}},
               {"id": "after", "type": "task.set", "timeoutMs": 1000, "config": {"values": {"done": true}}}]),
        json!([{"from": "start", "to": "spin"}, {"from": "start", "to": "wait"}, {"from": "wait", "to": "after"}]),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let control = RunControl::new();
    let on_done = control.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let started = std::time::Instant::now();
    let report = rt.block_on(async move {
        // Cancel when the other branch has finished: its own signal, not a sleep.
        tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                if matches!(&event, RunEvent::NodeFinished { node, .. } if node == "after") {
                    on_done.cancel();
                }
            }
        });
        run(Arc::new(w), RunOptions::default(), control, Some(tx))
            .await
            .unwrap()
    });
    assert_eq!(report.status, RunStatus::Cancelled);
    assert_eq!(rec(&report, "after")["status"], "succeeded");
    assert_eq!(rec(&report, "spin")["status"], "cancelled");
    assert_eq!(rec(&report, "spin")["error"]["code"], "cancelled");
    // Stopped by the cancel, not by its 60-second limit.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

/// Paused before a node, the run starts nothing new, but a node already
/// running finishes; after `continue` the paused node starts first.
#[test]
fn a_pause_starts_nothing_and_lets_running_nodes_finish() {
    use flowbench::engine::{DebugCommand, DebugControl};
    let w = wf(
        json!([start(),
               {"id": "wait", "type": "task.delay", "config": {"ms": 30}},
               {"id": "after_wait", "type": "task.set", "timeoutMs": 1000, "config": {"values": {"a": 1}}},
               {"id": "quick", "type": "task.set", "config": {"values": {"b": 2}}},
               {"id": "held", "type": "task.set", "config": {"values": {"c": 3}}}]),
        json!([{"from": "start", "to": "wait"}, {"from": "wait", "to": "after_wait"},
               {"from": "start", "to": "quick"}, {"from": "quick", "to": "held"}]),
    );
    let debug = DebugControl::new(["held".to_string()], false);
    let controller = debug.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let options = RunOptions {
        debug: Some(debug),
        ..RunOptions::default()
    };
    let (report, seen) = rt.block_on(async move {
        let run = tokio::spawn(run(Arc::new(w), options, RunControl::new(), Some(tx)));
        let mut seen = Vec::new();
        let mut paused = false;
        while let Some(event) = rx.recv().await {
            match &event {
                RunEvent::RunPaused { node } => {
                    assert_eq!(node, "held");
                    paused = true;
                }
                // The running delay finishes while paused: then go on.
                RunEvent::NodeFinished { node, .. } if paused && node == "wait" => {
                    let input = controller.ask(DebugCommand::Input).await.unwrap();
                    assert_eq!(input, json!({"b": 2}));
                    controller.send(DebugCommand::Continue);
                    paused = false;
                }
                _ => {}
            }
            seen.push(event);
        }
        (run.await.unwrap().unwrap(), seen)
    });
    assert_eq!(report.status, RunStatus::Succeeded);
    let pos = |f: &dyn Fn(&RunEvent) -> bool| seen.iter().position(f).unwrap();
    let paused_at = pos(&|e| matches!(e, RunEvent::RunPaused { .. }));
    let wait_done = pos(&|e| matches!(e, RunEvent::NodeFinished { node, .. } if node == "wait"));
    let resumed_at = pos(&|e| matches!(e, RunEvent::RunResumed { .. }));
    let held_started = pos(&|e| matches!(e, RunEvent::NodeStarted { node, .. } if node == "held"));
    let after_started =
        pos(&|e| matches!(e, RunEvent::NodeStarted { node, .. } if node == "after_wait"));
    assert!(paused_at < wait_done && wait_done < resumed_at, "{seen:#?}");
    // Nothing started while paused; then the paused node first.
    assert!(
        resumed_at < held_started && held_started < after_started,
        "{seen:#?}"
    );
}

/// A `forEach` node pauses once, before its first item; stepping runs all its items.
#[test]
fn a_for_each_node_pauses_once_before_its_first_item() {
    use flowbench::engine::{DebugCommand, DebugControl};
    let w = wf(
        json!([start(),
               {"id": "each", "type": "task.set", "forEach": "{{ [1, 2, 3] }}", "config": {"values": {"n": "{{ $item }}"}}},
               {"id": "after", "type": "task.set", "config": {"values": {"done": true}}}]),
        json!([{"from": "start", "to": "each"}, {"from": "each", "to": "after"}]),
    );
    let debug = DebugControl::new(["each".to_string()], false);
    let controller = debug.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let options = RunOptions {
        debug: Some(debug),
        ..RunOptions::default()
    };
    let (report, pauses) = rt.block_on(async move {
        let run = tokio::spawn(run(Arc::new(w), options, RunControl::new(), Some(tx)));
        let mut pauses = Vec::new();
        while let Some(event) = rx.recv().await {
            if let RunEvent::RunPaused { node } = event {
                // In the paused node's scope: the items are not evaluated yet.
                let item = controller
                    .ask(|a| DebugCommand::Eval("typeof $item".into(), a))
                    .await
                    .unwrap();
                assert_eq!(item, json!("undefined"));
                pauses.push(node);
                // Step: the node runs (all its items), then the next pause.
                controller.send(DebugCommand::Step);
            }
        }
        (run.await.unwrap().unwrap(), pauses)
    });
    assert_eq!(pauses, ["each", "after"]);
    assert_eq!(report.status, RunStatus::Succeeded);
    assert_eq!(
        rec(&report, "each")["output"],
        json!([{"n": 1}, {"n": 2}, {"n": 3}])
    );
}
