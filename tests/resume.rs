//! Resuming a run from its journal: a run cut off wherever a process killed
//! mid-run could leave it and continued gives the same node
//! statuses, outputs, `$vars` and run output as the run that was never cut,
//! across branches, a `forEach` condition routing items, an `error` port and
//! variables; and a waiting run continues once its human task is decided.

use flowbench::engine::{self, JournalHandle, MemoryJournal, RunControl, RunOptions};
use flowbench::model::{Decision, JournalEntry, NodeStatus, RunReport, RunStatus, Workflow};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

fn workflow() -> Workflow {
    serde_json::from_value(json!({
        "flowbench": 1, "id": "mix", "name": "Mix",
        "variables": {"count": 0},
        "nodes": [
            {"id": "start", "type": "trigger.manual", "position": {"x": 0, "y": 0},
             "config": {"sampleInput": {"items": [1, 5, 2, 8], "limit": 4}}},
            {"id": "split", "type": "condition.if", "position": {"x": 0, "y": 0},
             "forEach": "{{ $input.items }}", "config": {"condition": "{{ $item > $trigger.limit }}"}},
            {"id": "big", "type": "task.code", "position": {"x": 0, "y": 0},
             "config": {"code": "$vars.count = $vars.count + $input.length; return $input.map(x => x * 10);"}},
            {"id": "small", "type": "task.set", "position": {"x": 0, "y": 0},
             "config": {"values": {"small": "{{ $input }}"}, "target": "vars"}},
            {"id": "risky", "type": "task.code", "position": {"x": 0, "y": 0}, "onError": "route",
             "config": {"code": "if ($input.length > 1) throw new Error('too many: ' + $input.length); return 1;"}},
            {"id": "rescued", "type": "task.set", "position": {"x": 0, "y": 0},
             "config": {"values": {"why": "{{ $input.error.message }}", "had": "{{ $input.input }}"}}},
            {"id": "join", "type": "task.code", "position": {"x": 0, "y": 0},
             "config": {"code": "return {keys: Object.keys($input).sort(), count: $vars.count, small: $vars.small};"}}
        ],
        "edges": [
            {"id": "e1", "from": "start", "to": "split"},
            {"id": "e2", "from": "split", "fromPort": "true", "to": "big"},
            {"id": "e3", "from": "split", "fromPort": "false", "to": "small"},
            {"id": "e4", "from": "big", "to": "risky"},
            {"id": "e5", "from": "risky", "fromPort": "error", "to": "rescued"},
            {"id": "e6", "from": "rescued", "to": "join"},
            {"id": "e7", "from": "small", "to": "join"}
        ]
    }))
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// What must not change when a run is resumed: each node's status and output,
/// the final `$vars` and the run's status and output.
fn outcome(
    r: &RunReport,
) -> (
    RunStatus,
    Value,
    Value,
    BTreeMap<String, (NodeStatus, Value)>,
) {
    (
        r.status,
        r.output.clone(),
        Value::Object(r.vars.clone()),
        r.nodes
            .iter()
            .map(|n| (n.node.clone(), (n.status, (*n.output).clone())))
            .collect(),
    )
}

/// Runs (or, given recorded entries, continues) the workflow with a memory
/// journal; gives the report and what the run wrote to the journal.
fn run_journaled(
    rt: &tokio::runtime::Runtime,
    prepared: &Arc<engine::Prepared>,
    recorded: Option<Vec<JournalEntry>>,
) -> (RunReport, Vec<JournalEntry>) {
    let journal = MemoryJournal::new();
    let options = RunOptions {
        journal: Some(JournalHandle(journal.clone())),
        ..RunOptions::default()
    };
    let run = match recorded {
        Some(entries) => {
            engine::continue_run(prepared.clone(), entries, options, RunControl::new(), None)
        }
        None => engine::run_prepared(prepared.clone(), options, RunControl::new(), None),
    };
    let report = rt.block_on(run).unwrap_or_else(|e| panic!("{e}"));
    (report, journal.entries())
}

#[test]
fn a_run_cut_wherever_a_kill_can_cut_it_resumes_to_the_same_outcome() {
    let rt = runtime();
    let prepared = engine::prepare(Arc::new(workflow())).unwrap();
    let (whole, entries) = run_journaled(&rt, &prepared, None);
    assert_eq!(whole.status, RunStatus::Succeeded);
    let expected = outcome(&whole);
    // The run is rich enough to be worth cutting: routed items, a rescue, vars.
    assert_eq!(expected.3["rescued"].1["why"], "too many: 2");
    assert_eq!(expected.3["join"].1["count"], 2);
    assert_eq!(expected.3["join"].1["small"], json!([1, 2]));
    assert!(entries.len() > 20);

    let mut resumed = 0;
    for cut in 1..entries.len() {
        // The history writes whole batches, and the executor commits only
        // between moves: right after a node starts, or before one starts. A
        // node's finish and the edges it resolves are never split.
        let between = matches!(entries[cut - 1], JournalEntry::NodeStarted { .. })
            || matches!(entries[cut], JournalEntry::NodeStarted { .. });
        if !between {
            continue;
        }
        let (report, more) = run_journaled(&rt, &prepared, Some(entries[..cut].to_vec()));
        assert_eq!(outcome(&report), expected, "cut after entry {cut}");
        assert_eq!(report.run_id, whole.run_id);
        // The recorded part and what the continued run wrote fold to its report.
        let mut all = entries[..cut].to_vec();
        all.extend(more.iter().cloned());
        assert_eq!(engine::fold(all).unwrap(), report, "cut after entry {cut}");
        // Nodes that had finished before the cut did not start again.
        for e in &entries[..cut] {
            if let JournalEntry::NodeFinished { node, .. } = e {
                assert!(
                    !more.iter().any(
                        |m| matches!(m, JournalEntry::NodeStarted { node: n, .. } if n == node)
                    ),
                    "cut after entry {cut}: {node} ran twice"
                );
            }
        }
        resumed += 1;
    }
    assert!(resumed >= 10, "{resumed} cuts resumed");
}

#[test]
fn a_waiting_run_goes_on_from_the_decision_on_its_port() {
    let rt = runtime();
    let w: Workflow = serde_json::from_value(json!({
        "flowbench": 1, "id": "ok", "name": "OK",
        "nodes": [
            {"id": "start", "type": "trigger.manual", "position": {"x": 0, "y": 0}},
            {"id": "ask", "type": "task.approval", "position": {"x": 0, "y": 0},
             "config": {"outcomes": ["yes", "no"], "dueInHours": 1}},
            {"id": "did", "type": "task.set", "position": {"x": 0, "y": 0},
             "config": {"values": {"by": "{{ $input.by }}", "said": "{{ $input.decision }}"}}},
            {"id": "didnt", "type": "task.log", "position": {"x": 0, "y": 0}, "config": {"message": "no"}}
        ],
        "edges": [
            {"id": "e1", "from": "start", "to": "ask"},
            {"id": "e2", "from": "ask", "fromPort": "yes", "to": "did"},
            {"id": "e3", "from": "ask", "fromPort": "no", "to": "didnt"}
        ]
    }))
    .unwrap();
    let prepared = engine::prepare(Arc::new(w)).unwrap();
    let (waiting, mut entries) = run_journaled(&rt, &prepared, None);
    assert_eq!(waiting.status, RunStatus::Waiting);
    let task = entries
        .iter()
        .cloned()
        .find_map(|e| match e {
            JournalEntry::RunWaiting { task, .. } => Some(task),
            _ => None,
        })
        .unwrap();
    assert_eq!(task.outcomes, ["yes", "no"]);
    assert!(task.due_at.is_some());

    entries.push(JournalEntry::TaskDecided {
        node: "ask".into(),
        decision: Decision {
            decision: "yes".into(),
            comment: None,
            by: "ann".into(),
            at: "2026-12-05T00:00:00.000Z".into(),
            notes: vec![],
        },
    });
    let (report, more) = run_journaled(&rt, &prepared, Some(entries.clone()));
    assert_eq!(report.status, RunStatus::Succeeded);
    let rec = |id: &str| report.nodes.iter().find(|n| n.node == id).unwrap();
    assert_eq!(rec("ask").status, NodeStatus::Succeeded);
    assert_eq!(
        rec("did").output.as_ref(),
        &json!({"by": "ann", "said": "yes"})
    );
    assert_eq!(rec("didnt").status, NodeStatus::Skipped);
    entries.extend(more);
    assert_eq!(engine::fold(entries).unwrap(), report);
}
