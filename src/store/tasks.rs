//! Human tasks (`task.approval`): the open ones, notes, and decisions. A
//! decision is recorded in one transaction with the journal entry that
//! continues the run, so of two processes deciding one task, one wins.

use super::{ClaimedRun, ProcessId, Store, StoreError};
use crate::model::{Decision, JournalEntry, TaskNote};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use ts_rs::TS;

/// An open human task, as `tasks list` and the Tasks inbox show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenTask {
    pub run_id: String,
    pub workflow_id: String,
    pub node: String,
    pub title: String,
    pub instructions: Option<String>,
    pub assignee: Option<String>,
    pub due_at: Option<String>,
    pub overdue: bool,
    pub outcomes: Vec<String>,
    pub notes: Vec<TaskNote>,
    pub created_at: String,
}

/// Which open tasks to list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TaskFilter {
    #[ts(optional)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub overdue: bool,
    #[ts(optional)]
    pub workflow: Option<String>,
}

impl Store {
    /// Open tasks of waiting runs, the most urgent first (due soonest, then oldest).
    pub fn open_tasks(&self, filter: &TaskFilter) -> Result<Vec<OpenTask>, StoreError> {
        let now = super::now();
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT t.run_id, t.workflow_id, t.node, t.title, t.instructions, t.assignee,
                        t.due_at, t.outcomes, t.notes, t.created_at
                 FROM tasks t JOIN runs r ON r.id = t.run_id
                 WHERE t.decision IS NULL AND r.status = 'waiting'
                   AND (?1 IS NULL OR t.assignee = ?1) AND (?2 IS NULL OR t.workflow_id = ?2)
                 ORDER BY t.due_at IS NULL, t.due_at, t.created_at",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params![filter.assignee, filter.workflow], |r| {
                let due_at: Option<String> = r.get(6)?;
                Ok(OpenTask {
                    run_id: r.get(0)?,
                    workflow_id: r.get(1)?,
                    node: r.get(2)?,
                    title: r.get(3)?,
                    instructions: r.get(4)?,
                    assignee: r.get(5)?,
                    overdue: due_at.as_deref().is_some_and(|d| d < now.as_str()),
                    due_at,
                    outcomes: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
                    notes: serde_json::from_str(&r.get::<_, String>(8)?).unwrap_or_default(),
                    created_at: r.get(9)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        let mut out = Vec::new();
        for task in rows {
            let task = task.map_err(|e| self.sql_error(e))?;
            if !filter.overdue || task.overdue {
                out.push(task);
            }
        }
        Ok(out)
    }

    /// Adds a note to an open task.
    pub fn add_note(
        &self,
        run: &str,
        node: &str,
        text: &str,
        by: &str,
    ) -> Result<Vec<TaskNote>, StoreError> {
        let run = self.find_run(run)?;
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let task = open_task_row(&tx, &run.run_id, node).map_err(|e| self.sql_error(e))?;
        let (notes, _) = self.check_open(&run.run_id, node, task)?;
        let mut notes: Vec<TaskNote> = serde_json::from_str(&notes).unwrap_or_default();
        notes.push(TaskNote {
            at: super::now(),
            by: by.to_string(),
            text: text.to_string(),
        });
        tx.execute(
            "UPDATE tasks SET notes = ?3 WHERE run_id = ?1 AND node = ?2",
            params![
                run.run_id,
                node,
                serde_json::to_string(&notes).unwrap_or_default()
            ],
        )
        .map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(notes)
    }

    /// Records a decision and takes the run over to continue it: the task,
    /// the journal entry and the run's process change in one transaction.
    /// Deciding twice, an unknown outcome or a run that does not wait is an
    /// error that changes nothing.
    pub fn decide(
        self: &Arc<Self>,
        run: &str,
        node: &str,
        outcome: &str,
        comment: Option<&str>,
        by: &str,
    ) -> Result<(ClaimedRun, Decision), StoreError> {
        let run = self.find_run(run)?;
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let task = open_task_row(&tx, &run.run_id, node).map_err(|e| self.sql_error(e))?;
        let status: String = tx
            .query_row(
                "SELECT status FROM runs WHERE id = ?1",
                [&run.run_id],
                |r| r.get(0),
            )
            .map_err(|e| self.sql_error(e))?;
        let (notes, outcomes) = self.check_open(&run.run_id, node, task)?;
        if status != "waiting" {
            return Err(StoreError::NotWaiting {
                run: run.run_id,
                node: node.to_string(),
                why: format!(" (the run is {status})"),
            });
        }
        if !outcomes.iter().any(|o| o == outcome) {
            return Err(StoreError::UnknownOutcome {
                node: node.to_string(),
                outcome: outcome.to_string(),
                outcomes: outcomes.join(", "),
            });
        }
        let decision = Decision {
            decision: outcome.to_string(),
            comment: comment.map(str::to_string),
            by: by.to_string(),
            at: super::now(),
            notes: serde_json::from_str(&notes).unwrap_or_default(),
        };
        tx.execute(
            "UPDATE tasks SET decision = ?3, comment = ?4, decided_by = ?5, decided_at = ?6
             WHERE run_id = ?1 AND node = ?2",
            params![
                run.run_id,
                node,
                decision.decision,
                decision.comment,
                decision.by,
                decision.at
            ],
        )
        .map_err(|e| self.sql_error(e))?;
        let batch = super::runs::batches(&tx, &run.run_id).map_err(|e| self.sql_error(e))?;
        let entry = JournalEntry::TaskDecided {
            node: node.into(),
            decision: decision.clone(),
        };
        tx.execute(
            "INSERT INTO journal (run_id, batch, entries) VALUES (?1, ?2, ?3)",
            params![
                run.run_id,
                batch,
                lz4_flex::compress_prepend_size(&serde_json::to_vec(&[entry]).unwrap_or_default())
            ],
        )
        .map_err(|e| self.sql_error(e))?;
        let me = ProcessId::current();
        tx.execute(
            "UPDATE runs SET status = 'running', finished_at = NULL, pid = ?2, process_started = ?3
             WHERE id = ?1",
            params![run.run_id, me.pid, me.started],
        )
        .map_err(|e| self.sql_error(e))?;
        let claimed = self.claimed(&tx, &run.run_id)?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok((claimed, decision))
    }

    /// The task's notes and outcomes, when it is open; else why not.
    fn check_open(
        &self,
        run: &str,
        node: &str,
        task: Option<TaskRow>,
    ) -> Result<(String, Vec<String>), StoreError> {
        let Some(task) = task else {
            return Err(StoreError::NotWaiting {
                run: run.to_string(),
                node: node.to_string(),
                why: String::new(),
            });
        };
        if let Some(decision) = task.decision {
            return Err(StoreError::AlreadyDecided {
                run: run.to_string(),
                node: node.to_string(),
                decision,
                by: task.decided_by.unwrap_or_default(),
                at: task.decided_at.unwrap_or_default(),
            });
        }
        let outcomes = serde_json::from_str(&task.outcomes).unwrap_or_default();
        Ok((task.notes, outcomes))
    }
}

struct TaskRow {
    outcomes: String,
    notes: String,
    decision: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
}

fn open_task_row(
    conn: &rusqlite::Connection,
    run: &str,
    node: &str,
) -> rusqlite::Result<Option<TaskRow>> {
    conn.query_row(
        "SELECT outcomes, notes, decision, decided_by, decided_at FROM tasks
         WHERE run_id = ?1 AND node = ?2",
        params![run, node],
        |r| {
            Ok(TaskRow {
                outcomes: r.get(0)?,
                notes: r.get(1)?,
                decision: r.get(2)?,
                decided_by: r.get(3)?,
                decided_at: r.get(4)?,
            })
        },
    )
    .optional()
}
