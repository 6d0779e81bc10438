use super::migrations::{migrate_to, MIGRATIONS};
use super::*;
use crate::engine::{Entries, RunJournal};
use crate::model::{HumanTask, JournalEntry, NodeStatus, RunStatus, Workflow};
use serde_json::json;
use std::sync::Arc;

fn workflow() -> Workflow {
    serde_json::from_value(json!({
        "flowbench": 1, "id": "w", "name": "W",
        "nodes": [
            {"id": "start", "type": "trigger.manual", "position": {"x": 0, "y": 0}},
            {"id": "ask", "type": "task.approval", "position": {"x": 0, "y": 0}}
        ],
        "edges": [{"id": "e1", "from": "start", "to": "ask"}]
    }))
    .unwrap()
}

/// Records a run that waits on `ask`, as the executor would.
fn record_waiting_run(store: &Arc<Store>, run_id: &str, at: &str) {
    let w = workflow();
    let rec = RunRecorder::new_run(store.clone(), Arc::new(w), None, Path::new("."), &json!({}));
    let node = |s: &str| -> crate::model::journal::Id { s.into() };
    let entries = vec![
        JournalEntry::RunStarted {
            run_id: run_id.into(),
            workflow_id: "w".into(),
            trigger: "start".into(),
            at: at.into(),
            input: Box::default(),
            vars: Box::default(),
            nodes: vec![node("start"), node("ask")],
        },
        JournalEntry::RunWaiting {
            node: node("ask"),
            task: HumanTask {
                title: "Approve".into(),
                instructions: None,
                assignee: Some("ann".into()),
                due_at: Some("2000-01-01T00:00:00.000Z".into()),
                outcomes: vec!["approved".into(), "rejected".into()],
            },
        },
        JournalEntry::RunFinished {
            status: RunStatus::Waiting,
            at: at.into(),
            duration_ms: 3,
            output: Box::default(),
            errors: vec![],
        },
    ];
    let mut entries = Entries::from(entries);
    rec.append(&mut entries);
    assert!(entries.is_empty());
    rec.commit().unwrap();
    let _ = NodeStatus::Waiting;
}

fn temp_store() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("h.db")).unwrap());
    (dir, store)
}

#[test]
fn every_earlier_schema_version_migrates_to_the_latest() {
    for start in 0..=LATEST_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            migrate_to(&conn, start).unwrap();
            let v: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(v, start);
        }
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST_VERSION, "from version {start}");
        for table in [
            "runs",
            "workflow_copies",
            "journal",
            "tasks",
            "revisions",
            "settings",
        ] {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "table {table} after migrating from {start}");
        }
    }
    assert_eq!(MIGRATIONS.len() as i64, LATEST_VERSION);
}

#[test]
fn data_written_at_version_1_survives_the_later_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        migrate_to(&conn, 1).unwrap();
    }
    // Write a run with a store at version 1's tables, then reopen at the latest.
    {
        let store = Arc::new(Store::open(&path).unwrap());
        record_waiting_run(&store, "11111111-aaaa", "2026-01-01T00:00:00.000Z");
    }
    let store = Store::open(&path).unwrap();
    let runs = store.list_runs(&RunFilter::default()).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Waiting);
}

#[test]
fn a_journal_written_at_version_4_reads_the_same_after_the_later_migrations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let store = Arc::new(Store::open(&path).unwrap());
        record_waiting_run(&store, "44444444-aaaa", "2026-01-01T00:00:00.000Z");
    }
    // The same rows, in version 4's tables.
    let old = dir.path().join("v4.db");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        migrate_to(&conn, 4).unwrap();
        conn.execute("ATTACH DATABASE ?1 AS new", [path.to_str().unwrap()])
            .unwrap();
        conn.execute_batch(
            "INSERT INTO runs SELECT * FROM new.runs;
             INSERT INTO workflow_copies SELECT * FROM new.workflow_copies;
             INSERT INTO journal (run_id, batch, entries) SELECT run_id, batch, entries FROM new.journal;
             INSERT INTO tasks SELECT * FROM new.tasks;
             DETACH DATABASE new;",
        )
        .unwrap();
        let without_rowid: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'journal' AND sql LIKE '%WITHOUT ROWID%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(without_rowid, 1);
    }
    let expected = Store::open(&path)
        .unwrap()
        .journal("44444444-aaaa")
        .unwrap();
    let store = Store::open(&old).unwrap();
    assert_eq!(store.journal("44444444-aaaa").unwrap(), expected);
    assert_eq!(expected.len(), 3);
    let runs = store.list_runs(&RunFilter::default()).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Waiting);
}

#[test]
fn a_newer_schema_is_refused_and_the_file_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert_eq!(e.code(), crate::error::Code::HistoryUnavailable);
    let message = e.to_string();
    assert!(message.contains("h.db"), "{message}");
    assert!(message.contains("newer Flowbench"), "{message}");
    assert!(message.contains("99"), "{message}");
    assert!(std::fs::read(&path).unwrap() == before, "the file changed");
}

#[test]
fn a_corrupt_file_is_reported_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let junk = b"this is not a database, it is a shopping list\n".repeat(100);
    std::fs::write(&path, &junk).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert_eq!(e.code(), crate::error::Code::HistoryUnavailable);
    assert!(e.to_string().contains("h.db"), "{e}");
    assert!(std::fs::read(&path).unwrap() == junk, "the file changed");
}

#[test]
fn runs_are_found_by_an_unambiguous_prefix() {
    let (_dir, store) = temp_store();
    record_waiting_run(&store, "abc-1", "2026-01-01T00:00:00.000Z");
    record_waiting_run(&store, "abd-2", "2026-01-02T00:00:00.000Z");
    assert_eq!(store.find_run("abc").unwrap().run_id, "abc-1");
    assert_eq!(store.find_run("abd-2").unwrap().run_id, "abd-2");
    let e = store.find_run("ab").unwrap_err();
    assert_eq!(e.code(), crate::error::Code::AmbiguousRun);
    assert!(e.to_string().contains("2 runs"), "{e}");
    assert_eq!(
        store.find_run("zz").unwrap_err().code(),
        crate::error::Code::UnknownRun
    );
    assert_eq!(
        store.find_run("a%").unwrap_err().code(),
        crate::error::Code::UnknownRun
    );
    // Newest first.
    let all = store.list_runs(&RunFilter::default()).unwrap();
    assert_eq!(
        all.iter().map(|r| r.run_id.as_str()).collect::<Vec<_>>(),
        ["abd-2", "abc-1"]
    );
}

#[test]
fn a_task_is_decided_once_with_a_known_outcome() {
    let (_dir, store) = temp_store();
    record_waiting_run(&store, "run-1", "2026-01-01T00:00:00.000Z");
    let open = store.open_tasks(&TaskFilter::default()).unwrap();
    assert_eq!(open.len(), 1);
    assert!(open[0].overdue);
    assert_eq!(open[0].assignee.as_deref(), Some("ann"));
    store
        .add_note("run-1", "ask", "called the supplier", "bob")
        .unwrap();

    let e = store
        .decide("run-1", "ask", "maybe", None, "bob")
        .err()
        .unwrap();
    assert_eq!(e.code(), crate::error::Code::UnknownOutcome);
    assert!(e.to_string().contains("approved, rejected"), "{e}");
    assert_eq!(store.journal("run-1").unwrap().len(), 3, "nothing changed");

    let (claimed, decision) = store
        .decide("run-1", "ask", "approved", Some("ok"), "bob")
        .unwrap();
    assert_eq!(decision.notes.len(), 1);
    assert_eq!(claimed.entries.len(), 4);
    assert!(matches!(
        claimed.entries.last(),
        Some(JournalEntry::TaskDecided { .. })
    ));
    let e = store
        .decide("run-1", "ask", "rejected", None, "carl")
        .err()
        .unwrap();
    assert_eq!(e.code(), crate::error::Code::TaskAlreadyDecided);
    assert!(e.to_string().contains("approved by bob"), "{e}");
    assert_eq!(store.journal("run-1").unwrap().len(), 4);
    assert!(store.open_tasks(&TaskFilter::default()).unwrap().is_empty());
}

#[test]
fn retention_never_deletes_a_waiting_or_running_run() {
    let (_dir, store) = temp_store();
    record_waiting_run(&store, "old-waiting", "2000-01-01T00:00:00.000Z");
    {
        let conn = store.conn();
        for (id, status) in [("old-done", "succeeded"), ("old-running", "running")] {
            conn.execute(
                "INSERT INTO runs (id, workflow_id, folder, workflow_hash, status, trigger, started_at)
                 VALUES (?1, 'w', '.', '{}', ?2, 'start', '2000-01-02T00:00:00.000Z')",
                [id, status],
            )
            .unwrap();
        }
    }
    store.set_retention(Some(30), None).unwrap();
    assert_eq!(store.retention().unwrap(), (Some(30), None));
    assert_eq!(store.apply_retention().unwrap(), 1);
    let left: Vec<String> = store
        .list_runs(&RunFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.run_id)
        .collect();
    assert!(left.contains(&"old-waiting".to_string()));
    assert!(left.contains(&"old-running".to_string()));
    assert!(!left.contains(&"old-done".to_string()));
}

#[test]
fn revisions_are_numbered_per_file_and_skip_unchanged_saves() {
    let (dir, store) = temp_store();
    let file = dir.path().join("a.flow.json");
    assert_eq!(store.record_revision(&file, "a", "one", None).unwrap(), 1);
    assert_eq!(store.record_revision(&file, "a", "one", None).unwrap(), 1);
    assert_eq!(store.record_revision(&file, "a", "two", None).unwrap(), 2);
    let list = store.revisions(&file).unwrap();
    assert_eq!(list.iter().map(|r| r.rev).collect::<Vec<_>>(), [2, 1]);
    assert_eq!(store.revision(&file, 1).unwrap().content, "one");
    assert_eq!(
        store.revision(&file, 7).unwrap_err().code(),
        crate::error::Code::UnknownRevision
    );
}

#[test]
fn processes_opening_a_new_file_at_once_all_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let opened: Vec<_> = (0..8)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || Store::open(&path).map(|_| ()))
        })
        .collect();
    for t in opened {
        t.join().unwrap().unwrap();
    }
}

#[test]
fn secrets_are_encrypted_at_rest_and_the_key_is_private() {
    let (dir, store) = temp_store();
    store.set_secret("api", "s3cret-value-123").unwrap();
    store.set_secret("webhook.orders", "tok").unwrap();
    assert_eq!(
        store.get_secret("api").unwrap().as_deref(),
        Some("s3cret-value-123")
    );
    assert_eq!(store.get_secret("nope").unwrap(), None);
    assert_eq!(store.secret_names().unwrap(), ["api", "webhook.orders"]);
    // The database file holds no value in clear.
    drop(store);
    let bytes = std::fs::read(dir.path().join("h.db")).unwrap();
    let wal = std::fs::read(dir.path().join("h.db-wal")).unwrap_or_default();
    for file in [&bytes, &wal] {
        assert!(!file.windows(16).any(|w| w == b"s3cret-value-123"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("h.db.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let store = Store::open(&dir.path().join("h.db")).unwrap();
    assert_eq!(
        store.get_secret("api").unwrap().as_deref(),
        Some("s3cret-value-123")
    );
    assert!(store.remove_secret("api").unwrap());
    assert!(!store.remove_secret("api").unwrap());
    // Another key cannot read them: a clear error, not garbage. (A store
    // reads its key once: the new key is seen by a new one.)
    std::fs::write(dir.path().join("h.db.key"), [7u8; 32]).unwrap();
    let store = Store::open(&dir.path().join("h.db")).unwrap();
    let e = store.get_secret("webhook.orders").unwrap_err();
    assert!(e.to_string().contains("cannot be decrypted"), "{e}");
}

#[test]
fn a_long_lived_store_checkpoints_on_its_own_thread() {
    let (dir, store) = temp_store();
    store.checkpoint_in_background().unwrap();
    store.checkpoint_in_background().unwrap(); // once is enough
    let autocheckpoint: i64 = store
        .conn()
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .unwrap();
    assert_eq!(autocheckpoint, 0, "commits no longer checkpoint");
    let db = dir.path().join("h.db");
    let before = std::fs::metadata(&db).unwrap().len();
    // About 2,000 pages into the log: past where a commit would have checkpointed.
    {
        let conn = store.conn();
        conn.execute_batch("CREATE TABLE filler (b BLOB)").unwrap();
        for _ in 0..20 {
            conn.execute("INSERT INTO filler (b) VALUES (zeroblob(400000))", [])
                .unwrap();
        }
    }
    // The thread's own effect: the database file takes the pages.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::metadata(&db).unwrap().len() < before + 7_000_000 {
        assert!(
            std::time::Instant::now() < until,
            "no checkpoint came: the database is {} bytes",
            std::fs::metadata(&db).unwrap().len()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn new_recorder(store: &Arc<Store>) -> RunRecorder {
    RunRecorder::new_run(
        store.clone(),
        Arc::new(workflow()),
        None,
        Path::new("."),
        &json!({}),
    )
}

/// A run's start and end, as the executor records a run of one node.
fn run_entries(run_id: &str) -> (Entries, Entries) {
    let start = vec![JournalEntry::RunStarted {
        run_id: run_id.into(),
        workflow_id: "w".into(),
        trigger: "start".into(),
        at: "2026-01-01T00:00:00.000Z".into(),
        input: Box::default(),
        vars: Box::default(),
        nodes: vec!["start".into(), "ask".into()],
    }];
    let end = vec![JournalEntry::RunFinished {
        status: RunStatus::Succeeded,
        at: "2026-01-01T00:00:00.005Z".into(),
        duration_ms: 5,
        output: Box::default(),
        errors: vec![],
    }];
    (start.into(), end.into())
}

#[test]
fn a_runs_end_is_written_after_it_returns_and_read_in_this_process_at_once() {
    let (dir, store) = temp_store();
    let rec = new_recorder(&store);
    let (mut start, mut end) = run_entries("55555555-aaaa");
    rec.append(&mut start);
    rec.append(&mut end);
    rec.commit_end().unwrap();
    // No wait in between: a read in this process waits for the writer.
    let runs = store.list_runs(&RunFilter::default()).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Succeeded);
    // Another process sees it once this one has settled.
    super::settle_all().unwrap();
    let other = Store::open(&dir.path().join("h.db")).unwrap();
    let runs = other.list_runs(&RunFilter::default()).unwrap();
    assert_eq!(runs[0].status, RunStatus::Succeeded);
    assert_eq!(other.journal("55555555-aaaa").unwrap().len(), 2);
}

#[test]
fn an_end_that_cannot_be_written_is_reported_when_settling() {
    let (dir, store) = temp_store();
    let rec = new_recorder(&store);
    let (mut start, mut end) = run_entries("66666666-aaaa");
    rec.append(&mut start);
    rec.commit().unwrap();
    // The journal's table goes away under the run (as a damaged file would lose it).
    rusqlite::Connection::open(dir.path().join("h.db"))
        .unwrap()
        .execute_batch("DROP TABLE journal")
        .unwrap();
    rec.append(&mut end);
    rec.commit_end().unwrap();
    let e = store.settle().unwrap_err();
    let message = e.to_string();
    assert!(message.contains("h.db"), "{message}");
    assert!(message.contains("journal"), "{message}");
    // Reported once; what the run commits later gives the same error.
    store.settle().unwrap();
    rec.append(&mut Entries::from(vec![JournalEntry::NodeReady {
        node: "start".into(),
    }]));
    assert!(rec.commit().unwrap_err().contains("journal"));
}
