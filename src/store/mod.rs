//! The run history: one SQLite database holding runs and their journals,
//! human tasks, workflow revisions and settings. This is the only code that
//! speaks SQL about Flowbench's own data (CLI.md, "The run history").
//!
//! - WAL mode: readers in other processes see whole transactions while a run writes;
//! - numbered migrations (`migrations.rs`), recorded in `user_version`; a
//!   database of a newer schema is refused, a corrupt one reported, never replaced;
//! - a run's journal is written by a [`RunRecorder`], one transaction per batch.

mod migrations;
mod process;
mod recorder;
mod revisions;
mod runs;
mod secrets;
mod secrets_key;
mod tasks;
mod writer;

pub use migrations::LATEST_VERSION;
pub use process::ProcessId;
pub use recorder::RunRecorder;
pub use revisions::{Revision, RevisionSummary};
pub use runs::{ClaimedRun, NodeStat, RunFilter, RunSummary, RunsPerDay};
pub use secrets::valid_secret_name;
pub use tasks::{OpenTask, TaskFilter};
pub use writer::settle_all;

use crate::error::Code;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// Why the history could not do what was asked. Each names the run, task or
/// file, in words an analyst can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the run history cannot be used: {reason}")]
    Unavailable { path: String, reason: String },
    #[error("no run \"{0}\" in the run history")]
    UnknownRun(String),
    #[error("\"{prefix}\" names {count} runs; give more of the run id")]
    AmbiguousRun { prefix: String, count: usize },
    #[error("run {run} goes on in another process (pid {pid}); it can be resumed only once that process has ended")]
    RunLive { run: String, pid: u32 },
    #[error("run {run} cannot be resumed: {why}")]
    NotResumable { run: String, why: String },
    #[error("run {run} is not waiting for a decision on \"{node}\"{why}")]
    NotWaiting {
        run: String,
        node: String,
        why: String,
    },
    #[error("the task \"{node}\" of run {run} was decided already: {decision} by {by} at {at}")]
    AlreadyDecided {
        run: String,
        node: String,
        decision: String,
        by: String,
        at: String,
    },
    #[error(
        "\"{outcome}\" is not an outcome of the task \"{node}\"; its outcomes are: {outcomes}"
    )]
    UnknownOutcome {
        node: String,
        outcome: String,
        outcomes: String,
    },
    #[error("{file}: no revision {rev} in the history")]
    UnknownRevision { file: String, rev: i64 },
}

impl StoreError {
    pub fn code(&self) -> Code {
        match self {
            StoreError::Unavailable { .. } => Code::HistoryUnavailable,
            StoreError::UnknownRun(_) => Code::UnknownRun,
            StoreError::AmbiguousRun { .. } => Code::AmbiguousRun,
            StoreError::RunLive { .. } => Code::RunLive,
            StoreError::NotResumable { .. } => Code::RunNotResumable,
            StoreError::NotWaiting { .. } => Code::RunNotWaiting,
            StoreError::AlreadyDecided { .. } => Code::TaskAlreadyDecided,
            StoreError::UnknownOutcome { .. } => Code::UnknownOutcome,
            StoreError::UnknownRevision { .. } => Code::UnknownRevision,
        }
    }
}

/// The run history's database.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
    /// Workflows whose copy is kept, with its key, while their runs hold them.
    kept: Mutex<Vec<(std::sync::Weak<crate::model::Workflow>, String)>>,
    /// The secrets key, once found (`secrets_key.rs`).
    secrets_key: std::sync::OnceLock<Vec<u8>>,
    /// Whether a thread of its own copies the write-ahead log into the database.
    checkpointing: std::sync::atomic::AtomicBool,
    /// The thread that writes runs' journals (`writer.rs`), once a run records.
    journal_writer: std::sync::OnceLock<writer::JournalWriter>,
    /// The first journal write that failed and that no run waited on.
    write_failure: Mutex<Option<String>>,
    /// Whether runs are recorded here (`writer::settle_all`).
    recording: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.path.display())
    }
}

/// Where the history lives when no `--db` is given: `FLOWBENCH_DB`, else
/// `flowbench.db` in the user's data folder.
pub fn default_path() -> PathBuf {
    if let Some(p) = std::env::var_os("FLOWBENCH_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    data.join("flowbench").join("flowbench.db")
}

impl Store {
    /// Opens (or creates) the database and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let unavailable = |reason: String| StoreError::Unavailable {
            path: path.display().to_string(),
            reason,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| unavailable(format!("its folder cannot be created: {e}")))?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| unavailable(e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(|e| unavailable(e.to_string()))?;
        // Before anything is written: a file that is not a database (or is
        // damaged) fails on this first read, and a newer schema is refused.
        migrations::check_version(&conn).map_err(unavailable)?;
        let mode = switch_to_wal(&conn)
            .map_err(|e| unavailable(format!("{e} (the file is kept as it is)")))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(unavailable(format!(
                "it cannot use write-ahead logging (journal mode {mode})"
            )));
        }
        // NORMAL in WAL mode: a commit survives the process being killed;
        // only a power loss can take the last commits.
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            .map_err(|e| unavailable(e.to_string()))?;
        migrations::migrate(&conn).map_err(unavailable)?;
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            kept: Mutex::new(Vec::new()),
            secrets_key: std::sync::OnceLock::new(),
            checkpointing: std::sync::atomic::AtomicBool::new(false),
            journal_writer: std::sync::OnceLock::new(),
            write_failure: Mutex::new(None),
            recording: std::sync::atomic::AtomicBool::new(false),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, once the journal entries this process handed to the
    /// writer are written: what it reads includes every run it recorded.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.wait_for_writer();
        self.conn_now()
    }

    /// The connection as it is (for the journal writer itself).
    pub(crate) fn conn_now(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (the
        // transaction rolls back); the connection stays usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn sql_error(&self, e: rusqlite::Error) -> StoreError {
        self.unavailable(e.to_string())
    }

    /// The history cannot do what was asked, for this reason.
    pub(crate) fn unavailable(&self, reason: String) -> StoreError {
        StoreError::Unavailable {
            path: self.path.display().to_string(),
            reason,
        }
    }
}

impl Store {
    /// For a long-lived process (the service, the app). SQLite copies the
    /// write-ahead log into the database (a checkpoint, which syncs the file
    /// to disk) in whichever commit takes the log past 1,000 pages; that
    /// commit, and the run or webhook caller waiting on it, stalls for
    /// milliseconds. Here a thread of its own, with its own connection, does
    /// it every 200 ms instead, without waiting on readers or writers. It
    /// ends once the store is gone. Short-lived processes (the CLI) keep
    /// SQLite's own checkpoints.
    pub fn checkpoint_in_background(self: &std::sync::Arc<Self>) -> Result<(), StoreError> {
        use std::sync::atomic::Ordering;
        if self.checkpointing.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .and_then(|c| c.busy_timeout(Duration::from_secs(10)).map(|()| c))
        .map_err(|e| self.sql_error(e))?;
        let store = std::sync::Arc::downgrade(self);
        std::thread::Builder::new()
            .name("history-checkpoint".into())
            .spawn(move || {
                while store.strong_count() > 0 {
                    std::thread::sleep(Duration::from_millis(200));
                    // Busy (another checkpoint, in another process) is fine: next time.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .map_err(|e| self.unavailable(format!("no thread for checkpoints: {e}")))?;
        self.conn()
            .execute_batch("PRAGMA wal_autocheckpoint=0")
            .map_err(|e| self.sql_error(e))
    }
}

/// Switches a database to write-ahead logging. Two processes opening a new
/// file at once can both want the lock this takes; SQLite then answers one of
/// them "busy" at once instead of waiting, so that one tries again.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Now, as the history writes times: RFC 3339, UTC, milliseconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests;
