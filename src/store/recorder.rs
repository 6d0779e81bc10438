//! Writes one run's journal to the history as the run goes: entries are
//! kept in memory as they are appended and written in one transaction at
//! each commit (the executor commits before a node acts outside the run and
//! before it waits). The runs row and the tasks follow from the entries.

use super::{ProcessId, Store};
use crate::engine::RunJournal;
use crate::model::{JournalEntry, RunStatus, Workflow};
use rusqlite::params;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// One run's journal writer; hand it to the run as its `RunJournal`.
pub struct RunRecorder {
    store: Arc<Store>,
    /// The workflow as the run started, its file and folder: written with the
    /// run's start, so that `resume` and `tasks decide` continue this copy.
    origin: Option<Origin>,
    state: Mutex<Pending>,
}

struct Origin {
    workflow: String,
    file: Option<String>,
    folder: String,
    stand_ins: String,
}

struct Pending {
    entries: Vec<JournalEntry>,
    next_seq: i64,
    run_id: Option<String>,
}

impl RunRecorder {
    /// A recorder for a new run of `workflow` (its file, if saved, and its
    /// folder); `stand_ins` are the pins and reused outputs it runs with.
    pub fn new_run(
        store: Arc<Store>,
        workflow: &Workflow,
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
        RunRecorder {
            store,
            origin: Some(Origin {
                workflow: serde_json::to_string(workflow).unwrap_or_default(),
                file: file.map(absolute),
                folder: absolute(folder),
                stand_ins: stand_ins.to_string(),
            }),
            state: Mutex::new(Pending {
                entries: Vec::new(),
                next_seq: 0,
                run_id: None,
            }),
        }
    }

    /// A recorder that goes on with a recorded run's journal after `next_seq` entries.
    pub(crate) fn continuing(store: Arc<Store>, run_id: &str, next_seq: i64) -> RunRecorder {
        RunRecorder {
            store,
            origin: None,
            state: Mutex::new(Pending {
                entries: Vec::new(),
                next_seq,
                run_id: Some(run_id.to_string()),
            }),
        }
    }

    fn write(&self) -> Result<(), String> {
        let mut pending = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if pending.entries.is_empty() {
            return Ok(());
        }
        let entries = std::mem::take(&mut pending.entries);
        let mut conn = self.store.conn();
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO journal (run_id, seq, kind, node, entry) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(|e| e.to_string())?;
            for entry in &entries {
                if let JournalEntry::RunStarted {
                    run_id,
                    workflow_id,
                    trigger,
                    at,
                    ..
                } = entry
                {
                    let origin = self
                        .origin
                        .as_ref()
                        .ok_or("a continued run cannot start again")?;
                    let me = ProcessId::current();
                    tx.execute(
                        "INSERT INTO runs (id, workflow_id, workflow_file, folder, workflow, stand_ins,
                                           status, trigger, started_at, pid, process_started)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running', ?7, ?8, ?9, ?10)",
                        params![
                            run_id,
                            workflow_id,
                            origin.file,
                            origin.folder,
                            origin.workflow,
                            origin.stand_ins,
                            trigger,
                            at,
                            me.pid,
                            me.started
                        ],
                    )
                    .map_err(|e| e.to_string())?;
                    pending.run_id = Some(run_id.clone());
                }
                let run_id = pending
                    .run_id
                    .clone()
                    .ok_or("the journal does not begin with the run's start")?;
                let (kind, node) = kind_and_node(entry);
                let text = serde_json::to_string(entry).map_err(|e| e.to_string())?;
                insert
                    .execute(params![run_id, pending.next_seq, kind, node, text])
                    .map_err(|e| e.to_string())?;
                pending.next_seq += 1;
                match entry {
                    JournalEntry::RunWaiting { node, task } => {
                        let workflow_id: String = tx
                            .query_row(
                                "SELECT workflow_id FROM runs WHERE id = ?1",
                                [&run_id],
                                |r| r.get(0),
                            )
                            .map_err(|e| e.to_string())?;
                        tx.execute(
                            "INSERT OR REPLACE INTO tasks (run_id, node, workflow_id, title, instructions,
                                                           assignee, due_at, outcomes, created_at)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            params![
                                run_id,
                                node.as_ref(),
                                workflow_id,
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
                    JournalEntry::RunFinished {
                        status,
                        at,
                        duration_ms,
                        ..
                    } => {
                        tx.execute(
                            "UPDATE runs SET status = ?2, finished_at = ?3, duration_ms = ?4 WHERE id = ?1",
                            params![run_id, status_text(*status), at, *duration_ms as i64],
                        )
                        .map_err(|e| e.to_string())?;
                    }
                    _ => {}
                }
            }
        }
        tx.commit().map_err(|e| e.to_string())
    }
}

impl RunJournal for RunRecorder {
    fn append(&self, entry: &JournalEntry) {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entries
            .push(entry.clone());
    }

    fn commit(&self) -> Result<(), String> {
        self.write()
            .map_err(|e| format!("{}: {e}", self.store.path().display()))
    }
}

/// The entry's kind and node, kept in their own columns so that the history
/// can count node results without reading each entry's JSON.
fn kind_and_node(entry: &JournalEntry) -> (&'static str, Option<&str>) {
    match entry {
        JournalEntry::RunStarted { .. } => ("runStarted", None),
        JournalEntry::NodeReady { node } => ("nodeReady", Some(node)),
        JournalEntry::NodeSkipped { node } => ("nodeSkipped", Some(node)),
        JournalEntry::NodeStarted { node, .. } => ("nodeStarted", Some(node)),
        JournalEntry::NodeFinished { node, .. } => ("nodeFinished", Some(node)),
        JournalEntry::NodeCancelled { node } => ("nodeCancelled", Some(node)),
        JournalEntry::EdgeResolved { .. } => ("edgeResolved", None),
        JournalEntry::VarsWritten { node, .. } => ("varsWritten", Some(node)),
        JournalEntry::ResponseSet { node, .. } => ("responseSet", Some(node)),
        JournalEntry::RunWaiting { node, .. } => ("runWaiting", Some(node)),
        JournalEntry::TaskDecided { node, .. } => ("taskDecided", Some(node)),
        JournalEntry::RunRecovered { .. } => ("runRecovered", None),
        JournalEntry::RunPaused { node } => ("runPaused", Some(node)),
        JournalEntry::RunResumed { node } => ("runResumed", Some(node)),
        JournalEntry::RunFinished { .. } => ("runFinished", None),
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
