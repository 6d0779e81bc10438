//! The run history, as the shells use it: opening the database, recording a
//! run, listing and showing runs, resuming an interrupted one, human tasks,
//! revisions and the figures the charts draw. The rules live here and in
//! `store`; the CLI and the app only convert and forward.

use super::{fail, Answer};
use crate::engine::{self, EventSink, JournalHandle, RunControl, RunError, RunOptions};
use crate::model::{ErrorInfo, RunReport, RunStatus, TaskNote, Workflow};
use crate::store::{self, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ts_rs::TS;

pub use crate::store::{
    NodeStat, OpenTask, RevisionSummary, RunFilter, RunSummary, RunsPerDay, TaskFilter,
};

impl From<StoreError> for ErrorInfo {
    fn from(e: StoreError) -> Self {
        fail(e.code(), e)
    }
}

/// A workflow's figures for the History charts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkflowStats {
    pub workflow_id: String,
    pub per_day: Vec<RunsPerDay>,
    pub nodes: Vec<NodeStat>,
    /// Succeeded over finished runs (succeeded + failed), in the period; none without runs.
    pub success_rate: Option<f64>,
}

/// Where the history is, or why it cannot be used (the app shows it).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryInfo {
    pub path: Option<String>,
    pub error: Option<String>,
}

impl HistoryInfo {
    pub fn of(history: &Answer<History>) -> HistoryInfo {
        match history {
            Ok(h) => HistoryInfo {
                path: Some(h.path().display().to_string()),
                error: None,
            },
            Err(e) => HistoryInfo {
                path: None,
                error: Some(e.message.clone()),
            },
        }
    }
}

/// A recorded run as the app shows it: its report, and each edge taken or
/// found dead (the canvas draws them; the report does not keep them).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShownRun {
    pub report: RunReport,
    pub edges: std::collections::BTreeMap<String, bool>,
}

/// The run history: one database, shared by the CLI, the app and the service.
#[derive(Debug, Clone)]
pub struct History {
    store: Arc<Store>,
}

/// Where the history lives: `db` when given, else `FLOWBENCH_DB`, else
/// `flowbench.db` in the user's data folder.
pub fn history_path(db: Option<&Path>) -> PathBuf {
    db.map(Path::to_path_buf)
        .unwrap_or_else(store::default_path)
}

/// What a continued run (`resume`, `decide`) gives back when it ends.
pub type Continued = std::pin::Pin<Box<dyn Future<Output = Result<RunReport, RunError>> + Send>>;

impl History {
    /// Opens (or creates) the history. A database that cannot be used (a newer
    /// schema, corrupt, unwritable) is an error naming the file; it is never replaced.
    pub fn open(db: Option<&Path>) -> Answer<History> {
        let path = history_path(db);
        Ok(History {
            store: Arc::new(Store::open(&path)?),
        })
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// For a long-lived process: checkpoints on a thread of their own, off
    /// the runs' commits (`Store::checkpoint_in_background`).
    pub fn checkpoint_in_background(&self) -> Answer<()> {
        Ok(self.store.checkpoint_in_background()?)
    }

    /// The journal a new run writes to the history, given to it in its options.
    pub fn recorder(
        &self,
        workflow: &Arc<Workflow>,
        file: Option<&Path>,
        options: &RunOptions,
    ) -> JournalHandle {
        let stand_ins = json!({"pins": options.pins, "reuse": options.reuse});
        JournalHandle(Arc::new(store::RunRecorder::new_run(
            self.store.clone(),
            workflow.clone(),
            file,
            &options.base_dir,
            &stand_ins,
        )))
    }

    /// Waits until every run recorded in this history is written, its end
    /// included. An error names the write that failed.
    pub fn settle(&self) -> Answer<()> {
        Ok(self.store.settle()?)
    }

    /// Waits until every run this process recorded, in any history, is
    /// written; a process calls it before it exits (runs end without
    /// waiting for their end to be written).
    pub fn settle_all() -> Answer<()> {
        Ok(store::settle_all()?)
    }

    pub fn list(&self, filter: &RunFilter) -> Answer<Vec<RunSummary>> {
        Ok(self.store.list_runs(filter)?)
    }

    /// A run's report, folded from its journal: identical to what the run
    /// gave when it ended. An unfinished run whose process is gone reads `interrupted`.
    pub fn show(&self, run: &str) -> Answer<RunReport> {
        let summary = self.store.find_run(run)?;
        let entries = self.store.journal(&summary.run_id)?;
        let mut report = engine::fold(entries).map_err(|e| {
            fail(
                crate::error::Code::HistoryUnavailable,
                format!(
                    "{}: the journal of run {} does not fold: {e}",
                    self.path().display(),
                    summary.run_id
                ),
            )
        })?;
        if summary.status == RunStatus::Interrupted {
            report.status = RunStatus::Interrupted;
        }
        Ok(report)
    }

    /// A run with its edges, for the canvas.
    pub fn show_on_canvas(&self, run: &str) -> Answer<ShownRun> {
        let report = self.show(run)?;
        let edges = self
            .store
            .journal(&report.run_id)?
            .into_iter()
            .filter_map(|e| match e {
                crate::model::JournalEntry::EdgeResolved { edge, taken, .. } => {
                    Some((edge.to_string(), taken))
                }
                _ => None,
            })
            .collect();
        Ok(ShownRun { report, edges })
    }

    /// The run id a full id or an unambiguous prefix names.
    pub fn find(&self, run: &str) -> Answer<RunSummary> {
        Ok(self.store.find_run(run)?)
    }

    /// Takes over an interrupted run and gives the future that continues it:
    /// finished nodes are not run again, nodes in flight when its process
    /// ended run again, delays keep their deadlines.
    pub fn resume(&self, run: &str, control: RunControl, events: EventSink) -> Answer<Continued> {
        let claimed = self.store.claim_interrupted(run)?;
        continue_claimed(self, claimed, control, events)
    }

    /// Decides an open human task and gives the future that continues its run.
    #[allow(clippy::too_many_arguments)]
    pub fn decide(
        &self,
        run: &str,
        node: &str,
        outcome: &str,
        comment: Option<&str>,
        by: &str,
        control: RunControl,
        events: EventSink,
    ) -> Answer<Continued> {
        let (claimed, _) = self.store.decide(run, node, outcome, comment, by)?;
        continue_claimed(self, claimed, control, events)
    }

    pub fn note(&self, run: &str, node: &str, text: &str, by: &str) -> Answer<Vec<TaskNote>> {
        if text.trim().is_empty() {
            return Err(fail(
                crate::error::Code::InvalidField,
                "the note is empty; write what you want to add",
            ));
        }
        Ok(self.store.add_note(run, node, text, by)?)
    }

    pub fn tasks(&self, filter: &TaskFilter) -> Answer<Vec<OpenTask>> {
        Ok(self.store.open_tasks(filter)?)
    }

    /// A workflow's figures since `since` (RFC 3339).
    pub fn stats(&self, workflow: &str, since: &str) -> Answer<WorkflowStats> {
        let per_day = self.store.runs_per_day(workflow, since)?;
        let (ok, done) = per_day.iter().fold((0u32, 0u32), |(ok, done), d| {
            (ok + d.succeeded, done + d.succeeded + d.failed)
        });
        Ok(WorkflowStats {
            workflow_id: workflow.to_string(),
            nodes: self.store.node_stats(workflow, since)?,
            success_rate: (done > 0).then(|| ok as f64 / done as f64),
            per_day,
        })
    }

    /// The retention setting: keep runs `days` days, and at most `runs` per workflow.
    pub fn set_retention(&self, days: Option<u32>, runs: Option<u32>) -> Answer<()> {
        Ok(self.store.set_retention(days, runs)?)
    }

    pub fn retention(&self) -> Answer<(Option<u32>, Option<u32>)> {
        Ok(self.store.retention()?)
    }

    /// Deletes what the retention setting no longer keeps (never a waiting or
    /// unfinished run); gives how many runs went.
    pub fn apply_retention(&self) -> Answer<usize> {
        Ok(self.store.apply_retention()?)
    }

    pub(crate) fn store(&self) -> &Arc<Store> {
        &self.store
    }
}

/// Continues a run this process has claimed, on its recorded copy of the workflow.
fn continue_claimed(
    history: &History,
    claimed: store::ClaimedRun,
    control: RunControl,
    events: EventSink,
) -> Answer<Continued> {
    let workflow = Arc::new(claimed.workflow);
    let prepared = engine::prepare(workflow).map_err(|e| fail(e.code(), e))?;
    let stand_in = |key: &str| -> std::collections::BTreeMap<String, Value> {
        claimed
            .stand_ins
            .get(key)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default()
    };
    let mut options = RunOptions {
        base_dir: claimed.folder.clone(),
        workflows: Some(crate::workspace::FolderWorkflows::new()),
        pins: stand_in("pins"),
        reuse: stand_in("reuse"),
        journal: Some(JournalHandle(Arc::new(claimed.recorder))),
        ..RunOptions::default()
    };
    options.secrets = history.secrets_for(&prepared.workflow, &options)?;
    Ok(engine::continue_run(
        prepared,
        claimed.entries,
        options,
        control,
        events,
    ))
}

/// The operating-system user's name: who decides when `--by` is not given.
pub fn current_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string())
}

impl History {
    /// Evaluates an expression against a recorded run (`flowbench eval --run
    /// RUN`): with a node, in that node's scope, with `$vars` as they were
    /// when it started; else at the end of the run.
    pub fn eval(&self, run: &str, node: Option<&str>, expr: &str) -> Answer<Result<Value, String>> {
        let mut report = self.show(run)?;
        if let Some(node) = node {
            let summary = self.store.find_run(run)?;
            let entries = self.store.journal(&summary.run_id)?;
            // `$vars` when the node started: the journal folded up to its start.
            let mut upto = Vec::new();
            for entry in entries {
                let starts_it = matches!(&entry, crate::model::JournalEntry::NodeStarted { node: n, .. } if &**n == node);
                upto.push(entry);
                if starts_it {
                    break;
                }
            }
            if let Ok(partial) = engine::fold(upto) {
                report.vars = partial.vars;
            }
        }
        Ok(engine::debug::eval_in_report(&report, node, expr))
    }
}

/// Secrets (SERVICE.md, "Secrets"): kept encrypted in the history's database.
impl History {
    pub fn set_secret(&self, name: &str, value: &str) -> Answer<()> {
        check_secret_name(name)?;
        Ok(self.store.set_secret(name, value)?)
    }

    pub fn secret(&self, name: &str) -> Answer<Option<String>> {
        check_secret_name(name)?;
        Ok(self.store.get_secret(name)?)
    }

    /// The secrets a workflow reads (`$secrets.NAME`), for its runs. A name
    /// with no secret set is left out: the expression finds it undefined.
    /// The secrets a run of `workflow` with these options reads, its
    /// subflows' included, with their values.
    pub fn secrets_for(
        &self,
        workflow: &Workflow,
        options: &RunOptions,
    ) -> Answer<std::collections::BTreeMap<String, String>> {
        let mut out = std::collections::BTreeMap::new();
        for name in engine::secrets_read_with_subflows(workflow, options) {
            if let Some(v) = self.store.get_secret(&name)? {
                out.insert(name, v);
            }
        }
        Ok(out)
    }

    pub fn secret_names(&self) -> Answer<Vec<String>> {
        Ok(self.store.secret_names()?)
    }

    pub fn remove_secret(&self, name: &str) -> Answer<bool> {
        check_secret_name(name)?;
        Ok(self.store.remove_secret(name)?)
    }

    /// The secret's value, made (32 random bytes, URL-safe base64) when it does not exist yet.
    pub fn token(&self, name: &str) -> Answer<String> {
        if let Some(v) = self.secret(name)? {
            return Ok(v);
        }
        use base64::Engine;
        let mut bytes = [0u8; 32];
        use chacha20poly1305::aead::rand_core::RngCore;
        chacha20poly1305::aead::OsRng.fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        self.set_secret(name, &token)?;
        Ok(token)
    }
}

fn check_secret_name(name: &str) -> Answer<()> {
    if store::valid_secret_name(name) {
        Ok(())
    } else {
        Err(fail(
            crate::error::Code::InvalidField,
            format!("\"{name}\" is not a secret name: use letters, digits, _, - and ."),
        ))
    }
}
