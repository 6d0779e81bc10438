//! The history's schema, as numbered migrations. `user_version` records the
//! last one applied; each runs in its own transaction. A migration is never
//! edited once released: a change is a new one at the end.

use rusqlite::Connection;

/// The schema, one migration a step; `MIGRATIONS[n - 1]` brings version n-1 to n.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: runs, their journals, human tasks.
    "CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        workflow_id TEXT NOT NULL,
        workflow_file TEXT,
        folder TEXT NOT NULL,
        workflow_hash TEXT NOT NULL,
        stand_ins TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL,
        trigger TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        duration_ms INTEGER,
        pid INTEGER,
        process_started TEXT
    );
    CREATE INDEX runs_by_start ON runs (started_at DESC, id);
    CREATE INDEX runs_by_workflow ON runs (workflow_id, started_at DESC, id);
    CREATE INDEX runs_by_status ON runs (status, started_at DESC, id);
    CREATE INDEX runs_by_workflow_status ON runs (workflow_id, status, started_at DESC, id);
    -- The workflows runs started from, each kept once (LZ4-compressed JSON),
    -- by the SHA-256 of its text: many runs share one.
    CREATE TABLE workflow_copies (
        hash TEXT PRIMARY KEY,
        content BLOB NOT NULL
    ) WITHOUT ROWID;
    -- A run's journal, one row per committed batch: a JSON array of entries, LZ4-compressed.
    CREATE TABLE journal (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        batch INTEGER NOT NULL,
        entries BLOB NOT NULL,
        PRIMARY KEY (run_id, batch)
    ) WITHOUT ROWID;
    CREATE TABLE tasks (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        node TEXT NOT NULL,
        workflow_id TEXT NOT NULL,
        title TEXT NOT NULL,
        instructions TEXT,
        assignee TEXT,
        due_at TEXT,
        outcomes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '[]',
        decision TEXT,
        comment TEXT,
        decided_by TEXT,
        decided_at TEXT,
        PRIMARY KEY (run_id, node)
    );
    CREATE INDEX tasks_open ON tasks (decision, due_at);",
    // 2: revisions of workflow files, saved from the app.
    "CREATE TABLE revisions (
        file TEXT NOT NULL,
        rev INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        workflow_id TEXT NOT NULL,
        content TEXT NOT NULL,
        note TEXT,
        PRIMARY KEY (file, rev)
    );",
    // 3: settings (retention of runs).
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 4: secrets, encrypted (XChaCha20-Poly1305; the key is not in the database).
    "CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        nonce BLOB NOT NULL,
        value BLOB NOT NULL,
        updated_at TEXT NOT NULL
    );",
    // 5: the journal as a table with row ids: a batch is tens of KB, and in a
    // table without them SQLite read whole batches back to find where a new
    // one goes.
    "CREATE TABLE journal_by_row (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        batch INTEGER NOT NULL,
        entries BLOB NOT NULL,
        UNIQUE (run_id, batch)
    );
    INSERT INTO journal_by_row (run_id, batch, entries)
        SELECT run_id, batch, entries FROM journal ORDER BY run_id, batch;
    DROP TABLE journal;
    ALTER TABLE journal_by_row RENAME TO journal;",
];

/// The schema version this Flowbench writes.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema to [`LATEST_VERSION`]; refuses a newer one.
pub(crate) fn migrate(conn: &Connection) -> Result<(), String> {
    migrate_to(conn, LATEST_VERSION)
}

/// The schema version of the file; an error for a file that is not a
/// database, or one of a newer schema.
pub(crate) fn check_version(conn: &Connection) -> Result<i64, String> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| format!("{e} (the file is kept as it is)"))?;
    if version > LATEST_VERSION {
        return Err(format!(
            "it was written by a newer Flowbench (schema version {version}; this one knows up to {LATEST_VERSION}); \
             use that version, or give another file with --db"
        ));
    }
    Ok(version)
}

/// Brings the schema to `target` (tests stop at earlier versions).
pub(crate) fn migrate_to(conn: &Connection, target: i64) -> Result<(), String> {
    let version = check_version(conn)?;
    for (n, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .map(|(i, sql)| (i as i64 + 1, sql))
        .filter(|(n, _)| *n > version && *n <= target)
    {
        // IMMEDIATE: two processes opening a new file migrate one after the other.
        let apply = || -> rusqlite::Result<()> {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if current < n {
                conn.execute_batch(sql)?;
                conn.execute_batch(&format!("PRAGMA user_version = {n}"))?;
            }
            conn.execute_batch("COMMIT")
        };
        if let Err(e) = apply() {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(format!("migration {n} of the schema failed: {e}"));
        }
    }
    Ok(())
}
