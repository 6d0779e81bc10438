//! Revisions of workflow files: every save from the app records the text it
//! wrote, numbered per file from 1. Restoring is itself a new revision.

use super::{Store, StoreError};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// A revision in a file's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RevisionSummary {
    pub rev: i64,
    pub saved_at: String,
    pub workflow_id: String,
    pub note: Option<String>,
}

/// A revision with its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    pub rev: i64,
    pub saved_at: String,
    pub content: String,
}

/// Revisions are kept by the file's absolute path.
fn key(file: &Path) -> String {
    std::path::absolute(file)
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string()
}

impl Store {
    /// Records a revision of `file` with the text saved; gives its number.
    /// A save that changes nothing records nothing and gives the last number.
    pub fn record_revision(
        &self,
        file: &Path,
        workflow_id: &str,
        content: &str,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        let file = key(file);
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.sql_error(e))?;
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT rev, content FROM revisions WHERE file = ?1 ORDER BY rev DESC LIMIT 1",
                [&file],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        if let Some((rev, text)) = &last {
            if text == content {
                return Ok(*rev);
            }
        }
        let rev = last.map_or(1, |(rev, _)| rev + 1);
        tx.execute(
            "INSERT INTO revisions (file, rev, saved_at, workflow_id, content, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![file, rev, super::now(), workflow_id, content, note],
        )
        .map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        Ok(rev)
    }

    /// A file's revisions, newest first.
    pub fn revisions(&self, file: &Path) -> Result<Vec<RevisionSummary>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT rev, saved_at, workflow_id, note FROM revisions WHERE file = ?1 ORDER BY rev DESC",
            )
            .map_err(|e| self.sql_error(e))?;
        let rows = stmt
            .query_map([key(file)], |r| {
                Ok(RevisionSummary {
                    rev: r.get(0)?,
                    saved_at: r.get(1)?,
                    workflow_id: r.get(2)?,
                    note: r.get(3)?,
                })
            })
            .map_err(|e| self.sql_error(e))?;
        rows.collect::<Result<_, _>>()
            .map_err(|e| self.sql_error(e))
    }

    /// One revision of a file.
    pub fn revision(&self, file: &Path, rev: i64) -> Result<Revision, StoreError> {
        let conn = self.conn();
        conn.query_row(
            "SELECT rev, saved_at, content FROM revisions WHERE file = ?1 AND rev = ?2",
            params![key(file), rev],
            |r| {
                Ok(Revision {
                    rev: r.get(0)?,
                    saved_at: r.get(1)?,
                    content: r.get(2)?,
                })
            },
        )
        .optional()
        .map_err(|e| self.sql_error(e))?
        .ok_or_else(|| StoreError::UnknownRevision {
            file: file.display().to_string(),
            rev,
        })
    }
}
