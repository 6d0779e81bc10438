//! Runs in the history: listing, reading a run's journal back, claiming an
//! interrupted run to resume it, the figures the charts draw, retention.

use super::recorder::{status_of, status_text};
use super::{ProcessId, RunRecorder, Store, StoreError};
use crate::model::{JournalEntry, RunStatus, Workflow};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use ts_rs::TS;

/// One run as `runs list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSummary {
    pub run_id: String,
    pub workflow_id: String,
    pub status: RunStatus,
    pub trigger: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub duration_ms: Option<u64>,
}

/// Which runs to list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunFilter {
    #[ts(optional)]
    pub workflow: Option<String>,
    #[ts(optional)]
    pub status: Option<RunStatus>,
    /// Runs that started at or after this time (RFC 3339).
    #[ts(optional)]
    pub since: Option<String>,
    /// Runs that started before this time (RFC 3339).
    #[ts(optional)]
    pub until: Option<String>,
    /// At most this many, newest first (default 50).
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// A recorded run taken over by this process, to go on with.
pub struct ClaimedRun {
    pub run_id: String,
    pub workflow: Workflow,
    pub file: Option<PathBuf>,
    pub folder: PathBuf,
    /// The pins and reused outputs the run started with.
    pub stand_ins: serde_json::Value,
    pub entries: Vec<JournalEntry>,
    /// Writes the run's further entries.
    pub recorder: RunRecorder,
}

/// Runs per day by status, for a workflow's chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunsPerDay {
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    pub succeeded: u32,
    pub failed: u32,
    pub other: u32,
    /// Median and 95th percentile of the finished runs' durations.
    pub median_ms: Option<u64>,
    pub p95_ms: Option<u64>,
}

/// A node's results across a workflow's runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NodeStat {
    pub node: String,
    pub runs: u32,
    pub failures: u32,
    pub median_ms: Option<u64>,
    pub p95_ms: Option<u64>,
}

const SUMMARY_COLUMNS: &str =
    "id, workflow_id, status, trigger, started_at, finished_at, duration_ms, pid, process_started";

/// A row of SUMMARY_COLUMNS; a run whose process has ended before the run
/// did reads as `interrupted`.
fn summary(row: &Row) -> rusqlite::Result<RunSummary> {
    let status = status_of(&row.get::<_, String>(2)?);
    let process: Option<(u32, String)> = match (row.get(7)?, row.get(8)?) {
        (Some(pid), Some(started)) => Some((pid, started)),
        _ => None,
    };
    Ok(RunSummary {
        run_id: row.get(0)?,
        workflow_id: row.get(1)?,
        status: live_status(status, process),
        trigger: row.get(3)?,
        started_at: row.get(4)?,
        finished_at: row.get(5)?,
        duration_ms: row.get::<_, Option<i64>>(6)?.map(|d| d.max(0) as u64),
    })
}

fn live_status(status: RunStatus, process: Option<(u32, String)>) -> RunStatus {
    match (status, process) {
        (RunStatus::Running | RunStatus::Paused, Some((pid, started))) => {
            if (ProcessId { pid, started }).is_alive() {
                status
            } else {
                RunStatus::Interrupted
            }
        }
        (RunStatus::Running | RunStatus::Paused, None) => RunStatus::Interrupted,
        (status, _) => status,
    }
}

impl Store {
    /// Runs newest first, filtered.
    pub fn list_runs(&self, filter: &RunFilter) -> Result<Vec<RunSummary>, StoreError> {
        let limit = filter.limit.unwrap_or(50).max(1) as usize;
        // Running and interrupted runs are both `running` in the table; which
        // is which depends on their process, so those are filtered here.
        let (stored, live) = match filter.status {
            Some(RunStatus::Interrupted) => (Some("running"), Some(RunStatus::Interrupted)),
            Some(RunStatus::Running) => (Some("running"), Some(RunStatus::Running)),
            Some(s) => (Some(status_text(s)), None),
            None => (None, None),
        };
        let filter_status = stored.unwrap_or_default().to_string();
        // Only the filters given are in the statement, so that SQLite can
        // choose the index that serves them.
        let sql_limit = if live.is_some() { -1 } else { limit as i64 };
        let mut conditions = Vec::new();
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::new();
        for (column, value) in [
            ("workflow_id =", filter.workflow.as_ref()),
            ("status =", stored.as_ref().map(|_| &filter_status)),
            ("started_at >=", filter.since.as_ref()),
            ("started_at <", filter.until.as_ref()),
        ] {
            if let Some(v) = value {
                values.push(v);
                conditions.push(format!("{column} ?{}", values.len()));
            }
        }
        values.push(&sql_limit);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM runs {} ORDER BY started_at DESC, id LIMIT ?{}",
            if conditions.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", conditions.join(" AND "))
            },
            values.len()
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql).map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(values.as_slice(), summary)
            .map_err(|e| self.sql_error(e))?;
        let mut out = Vec::new();
        for row in rows {
            let run = row.map_err(|e| self.sql_error(e))?;
            if live.is_none_or(|want| run.status == want) {
                out.push(run);
                if out.len() == limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// The run a full id or an unambiguous prefix names.
    pub fn find_run(&self, id: &str) -> Result<RunSummary, StoreError> {
        let unknown = || StoreError::UnknownRun(id.to_string());
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(unknown());
        }
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM runs WHERE id LIKE ?1 || '%' LIMIT 2"
            ))
            .map_err(|e| self.sql_error(e))?;
        let found: Vec<RunSummary> = stmt
            .query_map([id], summary)
            .map_err(|e| self.sql_error(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql_error(e))?;
        match found.len() {
            0 => Err(unknown()),
            1 => Ok(found.into_iter().next().expect("one")),
            _ => {
                let count: usize = conn
                    .query_row(
                        "SELECT count(*) FROM runs WHERE id LIKE ?1 || '%'",
                        [id],
                        |r| r.get(0),
                    )
                    .map_err(|e| self.sql_error(e))?;
                Err(StoreError::AmbiguousRun {
                    prefix: id.to_string(),
                    count,
                })
            }
        }
    }

    /// A run's journal, in order.
    pub fn journal(&self, run_id: &str) -> Result<Vec<JournalEntry>, StoreError> {
        let conn = self.conn();
        read_journal(&conn, run_id).map_err(|e| self.sql_error(e))
    }

    /// Takes over an interrupted run, to resume it in this process. Of two
    /// processes claiming one run, one wins; the other gets `RunLive`.
    pub fn claim_interrupted(self: &Arc<Self>, id: &str) -> Result<ClaimedRun, StoreError> {
        let run = self.find_run(id)?;
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let (status, pid, started): (String, Option<u32>, Option<String>) = tx
            .query_row(
                "SELECT status, pid, process_started FROM runs WHERE id = ?1",
                [&run.run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| self.sql_error(e))?;
        let process = pid.zip(started);
        match live_status(status_of(&status), process.clone()) {
            RunStatus::Interrupted => {}
            RunStatus::Running | RunStatus::Paused => {
                return Err(StoreError::RunLive {
                    run: run.run_id,
                    pid: process.map_or(0, |p| p.0),
                })
            }
            RunStatus::Waiting => {
                return Err(StoreError::NotResumable {
                    run: run.run_id,
                    why:
                        "it waits for a person's decision (flowbench tasks list, then tasks decide)"
                            .into(),
                })
            }
            other => {
                return Err(StoreError::NotResumable {
                    run: run.run_id,
                    why: format!("it has ended ({})", status_text(other)),
                })
            }
        }
        let me = ProcessId::current();
        tx.execute(
            "UPDATE runs SET pid = ?2, process_started = ?3, status = 'running' WHERE id = ?1",
            params![run.run_id, me.pid, me.started],
        )
        .map_err(|e| self.sql_error(e))?;
        let claimed = self.claimed(&tx, &run.run_id)?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(claimed)
    }

    /// Everything needed to go on with a run, read in the claiming transaction.
    pub(crate) fn claimed(
        self: &Arc<Self>,
        conn: &rusqlite::Connection,
        run_id: &str,
    ) -> Result<ClaimedRun, StoreError> {
        let (workflow, file, folder, stand_ins): (Vec<u8>, Option<String>, String, String) = conn
            .query_row(
                "SELECT c.content, r.workflow_file, r.folder, r.stand_ins
                 FROM runs r JOIN workflow_copies c ON c.hash = r.workflow_hash WHERE r.id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.sql_error(e))?;
        let corrupt = |what: &str, e: serde_json::Error| StoreError::Unavailable {
            path: self.path.display().to_string(),
            reason: format!("run {run_id}: its recorded {what} does not read back: {e}"),
        };
        let workflow = lz4_flex::decompress_size_prepended(&workflow).map_err(|e| {
            StoreError::Unavailable {
                path: self.path.display().to_string(),
                reason: format!("run {run_id}: its recorded workflow does not read back: {e}"),
            }
        })?;
        let workflow: Workflow =
            serde_json::from_slice(&workflow).map_err(|e| corrupt("workflow", e))?;
        let entries = read_journal(conn, run_id).map_err(|e| self.sql_error(e))?;
        let next_batch = batches(conn, run_id).map_err(|e| self.sql_error(e))?;
        Ok(ClaimedRun {
            run_id: run_id.to_string(),
            workflow,
            file: file.map(PathBuf::from),
            folder: PathBuf::from(folder),
            stand_ins: serde_json::from_str(&stand_ins).map_err(|e| corrupt("stand-ins", e))?,
            recorder: RunRecorder::continuing(self.clone(), run_id, next_batch),
            entries,
        })
    }

    /// Runs per day by status, with duration percentiles, for a workflow's
    /// runs that started at or after `since`.
    pub fn runs_per_day(&self, workflow: &str, since: &str) -> Result<Vec<RunsPerDay>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT substr(started_at, 1, 10), status, duration_ms FROM runs
                 WHERE workflow_id = ?1 AND started_at >= ?2 ORDER BY started_at",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map(params![workflow, since], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            })
            .map_err(|e| self.sql_error(e))?;
        let mut days: Vec<(String, [u32; 3], Vec<u64>)> = Vec::new();
        for row in rows {
            let (day, status, duration) = row.map_err(|e| self.sql_error(e))?;
            if days.last().is_none_or(|d| d.0 != day) {
                days.push((day, [0; 3], Vec::new()));
            }
            let d = days.last_mut().expect("pushed");
            match status.as_str() {
                "succeeded" => d.1[0] += 1,
                "failed" => d.1[1] += 1,
                _ => d.1[2] += 1,
            }
            if let Some(ms) = duration {
                d.2.push(ms.max(0) as u64);
            }
        }
        Ok(days
            .into_iter()
            .map(|(day, counts, mut durations)| {
                let (median_ms, p95_ms) = percentiles(&mut durations);
                RunsPerDay {
                    day,
                    succeeded: counts[0],
                    failed: counts[1],
                    other: counts[2],
                    median_ms,
                    p95_ms,
                }
            })
            .collect())
    }

    /// Each node's runs, failures and durations across a workflow's runs
    /// that started at or after `since` (the latest 1,000 of them).
    pub fn node_stats(&self, workflow: &str, since: &str) -> Result<Vec<NodeStat>, StoreError> {
        let conn = self.conn();
        let ids: Vec<String> = conn
            .prepare_cached(
                "SELECT id FROM runs WHERE workflow_id = ?1 AND started_at >= ?2
                 ORDER BY started_at DESC LIMIT 1000",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![workflow, since], |r| r.get(0))?
                    .collect()
            })
            .map_err(|e| self.sql_error(e))?;
        let mut stats: std::collections::BTreeMap<String, (u32, u32, Vec<u64>)> =
            Default::default();
        for id in ids {
            for entry in read_journal(&conn, &id).map_err(|e| self.sql_error(e))? {
                if let JournalEntry::NodeFinished {
                    node,
                    status,
                    duration_ms,
                    ..
                } = entry
                {
                    let s = stats.entry(node.to_string()).or_default();
                    s.0 += 1;
                    if status == crate::model::NodeStatus::Failed {
                        s.1 += 1;
                    }
                    s.2.push(duration_ms);
                }
            }
        }
        Ok(stats
            .into_iter()
            .map(|(node, (runs, failures, mut durations))| {
                let (median_ms, p95_ms) = percentiles(&mut durations);
                NodeStat {
                    node,
                    runs,
                    failures,
                    median_ms,
                    p95_ms,
                }
            })
            .collect())
    }

    /// The retention setting: keep runs for `days`, and at most `runs` per
    /// workflow; `None` keeps them all.
    pub fn retention(&self) -> Result<(Option<u32>, Option<u32>), StoreError> {
        let conn = self.conn();
        let get = |key: &str| -> Result<Option<u32>, StoreError> {
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map(|v| v.and_then(|v| v.parse().ok()))
            .map_err(|e| self.sql_error(e))
        };
        Ok((get("retention.days")?, get("retention.runs")?))
    }

    pub fn set_retention(&self, days: Option<u32>, runs: Option<u32>) -> Result<(), StoreError> {
        let conn = self.conn();
        for (key, value) in [("retention.days", days), ("retention.runs", runs)] {
            match value {
                Some(v) => conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, v.to_string()],
                ),
                None => conn.execute("DELETE FROM settings WHERE key = ?1", [key]),
            }
            .map_err(|e| self.sql_error(e))?;
        }
        Ok(())
    }

    /// Deletes the runs the retention setting no longer keeps; never a run
    /// that waits or has not ended (running or interrupted). Gives how many went.
    pub fn apply_retention(&self) -> Result<usize, StoreError> {
        let (days, runs) = self.retention()?;
        let conn = self.conn();
        let mut deleted = 0;
        if let Some(days) = days {
            let cutoff = (chrono::Utc::now() - chrono::Duration::days(days as i64))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            deleted += conn
                .execute(
                    "DELETE FROM runs WHERE started_at < ?1
                     AND status IN ('succeeded', 'failed', 'cancelled')",
                    [cutoff],
                )
                .map_err(|e| self.sql_error(e))?;
        }
        if let Some(keep) = runs {
            deleted += conn
                .execute(
                    "DELETE FROM runs WHERE status IN ('succeeded', 'failed', 'cancelled') AND id IN (
                       SELECT id FROM (
                         SELECT id, row_number() OVER (PARTITION BY workflow_id ORDER BY started_at DESC) AS n
                         FROM runs) WHERE n > ?1)",
                    [keep],
                )
                .map_err(|e| self.sql_error(e))?;
        }
        Ok(deleted)
    }
}

pub(crate) fn read_journal(
    conn: &rusqlite::Connection,
    run_id: &str,
) -> rusqlite::Result<Vec<JournalEntry>> {
    let mut stmt =
        conn.prepare_cached("SELECT batch, entries FROM journal WHERE run_id = ?1 ORDER BY batch")?;
    let rows = stmt.query_map([run_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (batch, packed) = row?;
        let unreadable = |e: String| {
            rusqlite::Error::FromSqlConversionFailure(
                1,
                rusqlite::types::Type::Blob,
                format!("batch {batch} of the journal of run {run_id} does not read back: {e}")
                    .into(),
            )
        };
        let json =
            lz4_flex::decompress_size_prepended(&packed).map_err(|e| unreadable(e.to_string()))?;
        let batch_entries: Vec<JournalEntry> =
            serde_json::from_slice(&json).map_err(|e| unreadable(e.to_string()))?;
        entries.extend(batch_entries);
    }
    Ok(entries)
}

/// How many batches a run's journal has: the next one's number.
pub(crate) fn batches(conn: &rusqlite::Connection, run_id: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT coalesce(max(batch) + 1, 0) FROM journal WHERE run_id = ?1",
        [run_id],
        |r| r.get(0),
    )
}

/// The median and 95th percentile (nearest rank) of some durations.
fn percentiles(durations: &mut [u64]) -> (Option<u64>, Option<u64>) {
    if durations.is_empty() {
        return (None, None);
    }
    durations.sort_unstable();
    let rank = |q: f64| {
        let i = ((q * durations.len() as f64).ceil() as usize).clamp(1, durations.len());
        durations[i - 1]
    };
    (Some(rank(0.5)), Some(rank(0.95)))
}
