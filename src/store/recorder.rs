//! Records one run's journal in the history as the run goes. The run hands
//! its entries to the store's journal writer (`writer.rs`) in chunks; the
//! writer serialises them as JSON into the run's log and writes the log as
//! one row, a batch (LZ4-compressed), in one transaction with what follows
//! from its entries (the run's row, its human tasks, its end). The executor
//! commits before a node acts outside the run and before it waits: the run
//! waits until that batch is durable. Its end is written without the run
//! waiting; readers in this process wait for it (`Store::conn`).

use super::writer::Job;
use super::{ProcessId, Store};
use crate::engine::journal::EntryView;
use crate::engine::{Entries, RunJournal};
use crate::model::{HumanTask, JournalEntry, RunStatus, Workflow};
use rusqlite::params;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Room for this many entries in a chunk: as many as the engine hands over
/// at most at a time (`engine::journal`).
const CHUNK: usize = 4096;

/// A log past this many bytes of JSON is written without waiting for a
/// commit, so that a long run of quick nodes holds little in memory.
const LARGE_BATCH: usize = 1 << 20;

/// One run's journal recorder; hand it to the run as its `RunJournal`.
pub struct RunRecorder {
    store: Arc<Store>,
    log: Arc<Mutex<RunLog>>,
    unsent: Mutex<Unsent>,
}

/// Entries not handed to the writer yet.
#[derive(Default)]
struct Unsent {
    entries: Entries,
    /// Some were handed over since the last write.
    handed_over: bool,
}

/// The workflow as the run started, its file and folder: written with the
/// run's start, so that `resume` and `tasks decide` continue this copy.
struct Origin {
    workflow: Arc<Workflow>,
    file: Option<String>,
    folder: String,
    stand_ins: String,
}

/// What has been appended since the last commit.
#[derive(Default)]
struct Pending {
    /// The entries as a JSON array being written: `[` and entries, no `]` yet.
    json: Vec<u8>,
    count: usize,
    next_batch: i64,
    run_id: Option<String>,
    started: Option<Started>,
    tasks: Vec<(String, HumanTask)>,
    finished: Option<(RunStatus, String, u64)>,
}

struct Started {
    workflow_id: String,
    trigger: String,
    at: String,
}

impl RunRecorder {
    /// A recorder for a new run of `workflow` (its file, if saved, and its
    /// folder); `stand_ins` are the pins and reused outputs it runs with.
    pub fn new_run(
        store: Arc<Store>,
        workflow: Arc<Workflow>,
        file: Option<&Path>,
        folder: &Path,
        stand_ins: &serde_json::Value,
    ) -> RunRecorder {
        let absolute = |p: &Path| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.to_path_buf())
                .display()
                .to_string()
        };
        let origin = Origin {
            workflow,
            file: file.map(absolute),
            folder: absolute(folder),
            stand_ins: stand_ins.to_string(),
        };
        RunRecorder::start(store, Some(origin), Pending::default())
    }

    /// A recorder that goes on with a recorded run's journal after `next_batch` batches.
    pub(crate) fn continuing(store: Arc<Store>, run_id: &str, next_batch: i64) -> RunRecorder {
        let pending = Pending {
            next_batch,
            run_id: Some(run_id.to_string()),
            ..Pending::default()
        };
        RunRecorder::start(store, None, pending)
    }

    fn start(store: Arc<Store>, origin: Option<Origin>, pending: Pending) -> RunRecorder {
        store.recording();
        RunRecorder {
            log: Arc::new(Mutex::new(RunLog {
                store: store.clone(),
                origin,
                pending,
                failed: None,
            })),
            store,
            unsent: Mutex::new(Unsent::default()),
        }
    }

    fn unsent(&self) -> std::sync::MutexGuard<'_, Unsent> {
        self.unsent.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Hands the unsent entries to the writer, and has it write the batch.
    fn hand_over(&self, done: Option<std::sync::mpsc::SyncSender<Result<(), String>>>) {
        let entries = {
            let mut unsent = self.unsent();
            unsent.handed_over = false;
            std::mem::take(&mut unsent.entries)
        };
        self.send(entries, true, done);
    }

    fn send(
        &self,
        entries: Entries,
        write: bool,
        done: Option<std::sync::mpsc::SyncSender<Result<(), String>>>,
    ) {
        self.store.journal_writer().send(Job::Entries {
            log: self.log.clone(),
            entries,
            write,
            done,
        });
    }
}

impl RunJournal for RunRecorder {
    /// Keeps the chunk until the next one comes or a commit: a run that
    /// commits hands over its entries in one job, with one wake-up of the writer.
    fn append(&self, entries: &mut Entries) {
        // The run takes another chunk when it has more to record (a run
        // ending now has not).
        let chunk = std::mem::take(entries);
        let previous = {
            let mut unsent = self.unsent();
            let previous = std::mem::replace(&mut unsent.entries, chunk);
            unsent.handed_over |= !previous.is_empty();
            previous
        };
        if !previous.is_empty() {
            self.send(previous, false, None);
        }
    }

    fn chunk(&self) -> Entries {
        self.store.journal_writer().spare_chunk(CHUNK)
    }

    fn commit(&self) -> Result<(), String> {
        {
            let unsent = self.unsent();
            if unsent.entries.is_empty() && !unsent.handed_over {
                return Ok(());
            }
        }
        let (done, written) = std::sync::mpsc::sync_channel(1);
        self.hand_over(Some(done));
        let written = written
            .recv()
            .unwrap_or_else(|_| Err("the run history's writer stopped".into()));
        written.map_err(|e| format!("{}: {e}", self.store.path().display()))
    }

    fn commit_end(&self) -> Result<(), String> {
        self.hand_over(None);
        Ok(())
    }
}

/// One run's journal as the writer builds it.
pub(crate) struct RunLog {
    store: Arc<Store>,
    origin: Option<Origin>,
    pending: Pending,
    /// A write of this run failed: nothing more of it is written, so that
    /// its batches have no gap; every later commit gives this error.
    failed: Option<String>,
}

impl RunLog {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Notes what each entry changes in the run's row and tasks, and writes it as JSON.
    pub fn take_all(&mut self, entries: &Entries) {
        if self.failed.is_some() {
            return;
        }
        let pending = &mut self.pending;
        if pending.json.capacity() == 0 {
            // Most batches fit: the buffer grows without copying itself over and over.
            pending.json.reserve(64 * 1024);
        }
        let mut json = std::mem::take(&mut pending.json);
        entries.write_json(&mut json, |entry, json| {
            pending.note(entry);
            json.push(if pending.count == 0 { b'[' } else { b',' });
            pending.count += 1;
        });
        pending.json = json;
    }

    pub fn is_large(&self) -> bool {
        self.pending.json.len() >= LARGE_BATCH
    }

    pub fn failure(&self) -> Result<(), String> {
        match &self.failed {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// Writes what has been taken as one batch.
    pub fn write(&mut self) -> Result<(), String> {
        self.failure()?;
        let written = self.write_batch();
        if let Err(e) = &written {
            self.failed = Some(e.clone());
        }
        written
    }

    fn write_batch(&mut self) -> Result<(), String> {
        let pending = &mut self.pending;
        if pending.count == 0 {
            return Ok(());
        }
        let run_id = pending
            .run_id
            .clone()
            .ok_or("the journal does not begin with the run's start")?;
        let mut json = std::mem::take(&mut pending.json);
        json.push(b']');
        // Compressed: a journal repeats itself (ids, keys, values passed on),
        // and the bytes a commit writes are most of what recording costs.
        let packed = lz4_flex::compress_prepend_size(&json);
        let mut conn = self.store.conn_now();
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        if let Some(started) = &pending.started {
            let origin = self
                .origin
                .as_ref()
                .ok_or("a continued run cannot start again")?;
            let hash = self.store.keep_workflow(&tx, &origin.workflow)?;
            let me = ProcessId::current();
            // A run that starts and ends in one batch (most do) is written
            // with its end at once.
            let (status, finished_at, duration_ms) = match pending.finished.take() {
                Some((status, at, duration_ms)) => {
                    (status_text(status), Some(at), Some(duration_ms as i64))
                }
                None => ("running", None, None),
            };
            tx.prepare_cached(
                "INSERT INTO runs (id, workflow_id, workflow_file, folder, workflow_hash, stand_ins,
                                   status, trigger, started_at, pid, process_started,
                                   finished_at, duration_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    run_id,
                    started.workflow_id,
                    origin.file,
                    origin.folder,
                    hash,
                    origin.stand_ins,
                    status,
                    started.trigger,
                    started.at,
                    me.pid,
                    me.started,
                    finished_at,
                    duration_ms
                ])
            })
            .map_err(|e| e.to_string())?;
        }
        tx.prepare_cached("INSERT INTO journal (run_id, batch, entries) VALUES (?1, ?2, ?3)")
            .and_then(|mut insert| insert.execute(params![run_id, pending.next_batch, packed]))
            .map_err(|e| e.to_string())?;
        for (node, task) in &pending.tasks {
            tx.execute(
                "INSERT OR REPLACE INTO tasks (run_id, node, workflow_id, title, instructions,
                                               assignee, due_at, outcomes, created_at)
                 VALUES (?1, ?2, (SELECT workflow_id FROM runs WHERE id = ?1), ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    run_id,
                    node,
                    task.title,
                    task.instructions,
                    task.assignee,
                    task.due_at,
                    serde_json::to_string(&task.outcomes).unwrap_or_default(),
                    super::now()
                ],
            )
            .map_err(|e| e.to_string())?;
        }
        if let Some((status, at, duration_ms)) = &pending.finished {
            tx.prepare_cached(
                "UPDATE runs SET status = ?2, finished_at = ?3, duration_ms = ?4 WHERE id = ?1",
            )
            .and_then(|mut update| {
                update.execute(params![
                    run_id,
                    status_text(*status),
                    at,
                    *duration_ms as i64
                ])
            })
            .map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())?;
        // Committed: the next batch starts afresh, its buffer reused.
        json.clear();
        pending.json = json;
        pending.count = 0;
        pending.next_batch += 1;
        pending.started = None;
        pending.tasks.clear();
        pending.finished = None;
        Ok(())
    }
}

impl Pending {
    /// Notes what the entry changes in the run's row and tasks.
    fn note(&mut self, entry: &EntryView) {
        match entry.whole() {
            Some(JournalEntry::RunStarted {
                run_id,
                workflow_id,
                trigger,
                at,
                ..
            }) => {
                self.run_id = Some(run_id.clone());
                self.started = Some(Started {
                    workflow_id: workflow_id.clone(),
                    trigger: trigger.clone(),
                    at: at.clone(),
                });
            }
            Some(JournalEntry::RunWaiting { node, task }) => {
                self.tasks.push((node.to_string(), task.clone()));
            }
            Some(JournalEntry::RunFinished {
                status,
                at,
                duration_ms,
                ..
            }) => self.finished = Some((*status, at.clone(), *duration_ms)),
            _ => {}
        }
    }
}

impl Store {
    /// Keeps a copy of the workflow a run starts from, once per content;
    /// gives its key. Runs of one workflow in one process (the app, the
    /// test runner) share an `Arc`: its key is remembered, not computed again.
    fn keep_workflow(
        &self,
        tx: &rusqlite::Transaction,
        workflow: &Arc<Workflow>,
    ) -> Result<String, String> {
        let mut known = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, hash)) = known
            .iter()
            .find(|(w, _)| std::ptr::eq(w.as_ptr(), Arc::as_ptr(workflow)) && w.strong_count() > 0)
        {
            let hash = hash.clone();
            drop(known);
            let present: bool = tx
                .query_row(
                    "SELECT count(*) > 0 FROM workflow_copies WHERE hash = ?1",
                    [&hash],
                    |r| r.get(0),
                )
                .map_err(|e| e.to_string())?;
            if present {
                return Ok(hash);
            }
            known = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        }
        let text = serde_json::to_string(&**workflow).map_err(|e| e.to_string())?;
        let hash = {
            use sha2::Digest;
            sha2::Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        tx.execute(
            "INSERT OR IGNORE INTO workflow_copies (hash, content) VALUES (?1, ?2)",
            params![hash, lz4_flex::compress_prepend_size(text.as_bytes())],
        )
        .map_err(|e| e.to_string())?;
        known.retain(|(w, _)| w.strong_count() > 0);
        known.push((Arc::downgrade(workflow), hash.clone()));
        Ok(hash)
    }
}

/// A run status as the `runs.status` column holds it.
pub(crate) fn status_text(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Running => "running",
        RunStatus::Succeeded => "succeeded",
        RunStatus::Failed => "failed",
        RunStatus::Cancelled => "cancelled",
        RunStatus::Waiting => "waiting",
        RunStatus::Paused => "paused",
        RunStatus::Interrupted => "interrupted",
    }
}

pub(crate) fn status_of(text: &str) -> RunStatus {
    match text {
        "succeeded" => RunStatus::Succeeded,
        "failed" => RunStatus::Failed,
        "cancelled" => RunStatus::Cancelled,
        "waiting" => RunStatus::Waiting,
        "paused" => RunStatus::Paused,
        "interrupted" => RunStatus::Interrupted,
        _ => RunStatus::Running,
    }
}
