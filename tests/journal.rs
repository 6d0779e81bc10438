//! The run is a journal: every example's journal, written to JSON and read
//! back, folds to the identical report; events come from the journal.

mod common;

use flowbench::engine::{self, JournalHandle, MemoryJournal, RunControl, RunOptions};
use flowbench::model::{JournalEntry, RunEvent, RunReport, RunStatus};
use serde_json::json;
use std::sync::Arc;

/// Copies the examples into a fresh folder, so their SQLite files start empty.
fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(common::root().join("workflows")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    dir
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs with a memory journal and a listener; gives the report, the journal and the events.
fn run_recorded(
    rt: &tokio::runtime::Runtime,
    workflow: flowbench::model::Workflow,
    mut options: RunOptions,
) -> (RunReport, Vec<JournalEntry>, Vec<RunEvent>) {
    let journal = MemoryJournal::new();
    options.journal = Some(JournalHandle(journal.clone()));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let report = rt
        .block_on(engine::run(
            Arc::new(workflow),
            options,
            RunControl::new(),
            Some(tx),
        ))
        .unwrap();
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    (report, journal.entries(), events)
}

#[test]
fn every_example_case_replays_to_the_identical_report() {
    let rt = runtime();
    let mut replayed = 0;
    let mut statuses = std::collections::BTreeSet::new();
    for test_file in flowbench::testing::test_files(&common::root().join("workflows")).unwrap() {
        let (tests, _, workflow) = flowbench::testing::load(&test_file).unwrap();
        for case in tests.cases {
            let folder = examples_copy();
            let options = RunOptions {
                input: case.input.clone(),
                trigger: case.trigger.clone(),
                vars: case.vars.clone(),
                mocks: case.mocks.clone(),
                base_dir: folder.path().to_path_buf(),
                workflows: Some(flowbench::workspace::FolderWorkflows::new()),
                ..RunOptions::default()
            };
            let (report, journal, events) = run_recorded(&rt, workflow.clone(), options);
            // Written out and read back, as a store would.
            let text = serde_json::to_string(&journal).unwrap();
            let read: Vec<JournalEntry> = serde_json::from_str(&text).unwrap();
            let folded = engine::fold(read).unwrap();
            assert_eq!(folded, report, "{}: {}", test_file.display(), case.name);
            // The events are the journal's: one NodeStarted per started node, one RunFinished last.
            let started = journal
                .iter()
                .filter(|e| matches!(e, JournalEntry::NodeStarted { .. }))
                .count();
            let started_events = events
                .iter()
                .filter(|e| matches!(e, RunEvent::NodeStarted { .. }))
                .count();
            assert_eq!(started, started_events);
            assert!(matches!(events.last(), Some(RunEvent::RunFinished { .. })));
            statuses.insert(format!("{:?}", report.status));
            replayed += 1;
        }
    }
    assert!(replayed >= 12, "only {replayed} cases replayed");
    // The cases cover more than the happy path.
    assert!(statuses.len() >= 2, "{statuses:?}");
}

#[test]
fn a_corrupt_journal_is_refused_not_folded() {
    let rt = runtime();
    let workflow =
        flowbench::file::load(&common::root().join("workflows/lead-intake.flow.json")).unwrap();
    let mut mocks = std::collections::BTreeMap::new();
    mocks.insert(
        "crm".to_string(),
        flowbench::model::Mock::Output {
            output: json!({"status": 201}),
        },
    );
    let options = RunOptions {
        mocks,
        ..RunOptions::default()
    };
    let (_, mut journal, _) = run_recorded(&rt, workflow, options);
    // Drop the first NodeStarted: its node now finishes without having started.
    let at = journal
        .iter()
        .position(|e| matches!(e, JournalEntry::NodeStarted { .. }))
        .unwrap();
    journal.remove(at);
    let err = engine::fold(journal).unwrap_err().to_string();
    assert!(err.contains("cannot go from ready to succeeded"), "{err}");
}

#[test]
fn a_for_each_condition_routes_each_item_by_its_port() {
    let rt = runtime();
    let workflow = flowbench::file::parse(
        &json!({"flowbench": 1, "id": "t", "nodes": [
            {"id": "start", "type": "trigger.manual", "config": {"sampleInput": {"qty": [3, 12, 5, 40]}}},
            {"id": "low", "type": "condition.if", "forEach": "{{ $input.qty }}", "config": {"condition": "{{ $item < 10 }}"}},
            {"id": "reorder", "type": "task.code", "config": {"code": "return $input.map(x => x * 10);"}},
            {"id": "fine", "type": "task.code", "config": {"code": "return $input.length;"}}],
            "edges": [{"id": "e1", "from": "start", "to": "low"},
                      {"id": "e2", "from": "low", "fromPort": "true", "to": "reorder"},
                      {"id": "e3", "from": "low", "fromPort": "false", "to": "fine"}]})
        .to_string(),
        "t",
    )
    .unwrap();
    let (report, _, _) = run_recorded(&rt, workflow, RunOptions::default());
    assert_eq!(report.status, RunStatus::Succeeded);
    let out = |id: &str| report.nodes.iter().find(|n| n.node == id).unwrap().clone();
    // Each item is routed: the items below 10 go to true, the others to false.
    assert_eq!(*out("reorder").input, json!([3, 5]));
    assert_eq!(*out("reorder").output, json!([30, 50]));
    assert_eq!(*out("fine").input, json!([12, 40]));
    assert_eq!(*out("fine").output, json!(2));
    let ports: Vec<_> = out("low")
        .iterations
        .unwrap()
        .iter()
        .map(|i| i.port.clone().unwrap())
        .collect();
    assert_eq!(ports, ["true", "false", "true", "false"]);
}
