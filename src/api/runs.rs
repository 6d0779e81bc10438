//! Runs started by a shell: the registry of runs going on (by the handle the
//! UI gave each), the request, and the messages a run sends back.

use super::{fail, Answer, Workspace};
use crate::engine;
use crate::model::{ErrorInfo, RunEvent, RunReport, Workflow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// What the Run dialog asks for.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunRequest {
    pub workflow: Workflow,
    /// The workflow's file (in the workspace), whose folder holds its SQLite files and subflows.
    pub path: Option<String>,
    pub input: Option<Value>,
    pub trigger: Option<String>,
    pub vars: Map<String, Value>,
    /// The debugger: pause before these nodes.
    #[serde(default)]
    pub breakpoints: Vec<String>,
    /// Use the pins kept beside the workflow (`NAME.pins.json`).
    #[serde(default)]
    pub use_pins: bool,
    /// Re-run from this node, reusing `reuse`'s outputs for what comes before it.
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub reuse: Option<RunReport>,
}

/// What the app asks of a run paused by the debugger.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DebugRequest {
    Step,
    Continue,
    Input,
    Config,
    Vars,
    Eval { expr: String },
    Output { node: String },
    SetBreakpoint { node: String, on: bool },
}

/// One event of a run, tagged with the run's handle (`run-event`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RunEventMessage {
    pub handle: String,
    pub event: RunEvent,
}

/// The end of a run (`run-finished`): its report, or why it did not start.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RunFinishedMessage {
    pub handle: String,
    pub report: Option<RunReport>,
    pub error: Option<ErrorInfo>,
}

/// The runs going on, by handle: each one's control, and its debugger's.
#[derive(Debug, Default)]
pub struct RunRegistry {
    runs: Mutex<HashMap<String, (RunControl, DebugControl)>>,
}

impl RunRegistry {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Registers a run and gives the future that runs it: the shell spawns it.
    /// Each event goes to `on_event`; the end to `on_finish`.
    pub fn start(
        self: &Arc<Self>,
        workspace: &Workspace,
        history: Option<&super::history::History>,
        handle: String,
        request: RunRequest,
        on_event: impl Fn(RunEventMessage) + Send + 'static,
        on_finish: impl FnOnce(RunFinishedMessage) + Send + 'static,
    ) -> Answer<impl Future<Output = ()> + Send + 'static> {
        let file = match &request.path {
            Some(p) => workspace.confine(Path::new(p))?,
            // An unsaved workflow runs as if it were a file of the workspace.
            None => workspace.root().join("unsaved.flow.json"),
        };
        let pins = match (&request.path, request.use_pins) {
            (Some(p), true) => workspace_pins(workspace, Path::new(p), &request.workflow)?,
            _ => Default::default(),
        };
        let reuse = match (&request.from, &request.reuse) {
            (Some(from), Some(earlier)) => reuse_from(&request.workflow, earlier, from)?,
            _ => Default::default(),
        };
        // Every run from the app can be paused: breakpoints are set while it goes.
        let debug = DebugControl::new(request.breakpoints.iter().cloned(), false);
        let options = RunOptions {
            input: request.input,
            trigger: request.trigger,
            vars: request.vars,
            reuse,
            pins,
            debug: Some(debug.clone()),
            ..options_for(&file)
        };
        let workflow = Arc::new(request.workflow);
        let mut options = options;
        if let Some(h) = history {
            let saved = request.path.as_ref().map(|_| file.as_path());
            options.secrets = h.secrets_for(&workflow, &options)?;
            options.journal = Some(h.recorder(&workflow, saved, &options));
        }
        let control = RunControl::new();
        {
            let mut runs = self.runs.lock().expect("runs lock");
            if runs.contains_key(&handle) {
                return Err(fail(
                    crate::error::Code::Internal,
                    format!("a run with handle {handle} is going on already"),
                ));
            }
            runs.insert(handle.clone(), (control.clone(), debug));
        }
        let registry = self.clone();
        Ok(async move {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            let forward_handle = handle.clone();
            let forward = tokio::spawn(async move {
                while let Some(event) = rx.recv().await {
                    on_event(RunEventMessage {
                        handle: forward_handle.clone(),
                        event,
                    });
                }
            });
            let result = engine::run(workflow, options, control, Some(tx)).await;
            let _ = forward.await;
            registry.runs.lock().expect("runs lock").remove(&handle);
            on_finish(match result {
                Ok(report) => RunFinishedMessage {
                    handle,
                    report: Some(report),
                    error: None,
                },
                Err(e) => RunFinishedMessage {
                    handle,
                    report: None,
                    error: Some(fail(e.code(), e)),
                },
            });
        })
    }

    /// Stops a run: running nodes are cancelled, the rest never start.
    pub fn stop(&self, handle: &str) {
        if let Some((control, _)) = self.runs.lock().expect("runs lock").get(handle) {
            control.cancel();
        }
    }

    /// Asks a run's debugger: steps and breakpoints answer null, questions a value.
    pub async fn debug(&self, handle: &str, request: DebugRequest) -> Answer<Value> {
        let debug = self
            .runs
            .lock()
            .expect("runs lock")
            .get(handle)
            .map(|(_, d)| d.clone())
            .ok_or_else(|| fail(crate::error::Code::UnknownRun, "that run has ended"))?;
        let asked = match request {
            DebugRequest::Step => {
                debug.send(DebugCommand::Step);
                return Ok(Value::Null);
            }
            DebugRequest::Continue => {
                debug.send(DebugCommand::Continue);
                return Ok(Value::Null);
            }
            DebugRequest::SetBreakpoint { node, on } => {
                if on {
                    debug.set_breakpoint(&node);
                } else {
                    debug.clear_breakpoint(&node);
                }
                return Ok(Value::Null);
            }
            DebugRequest::Input => debug.ask(DebugCommand::Input).await,
            DebugRequest::Config => debug.ask(DebugCommand::Config).await,
            DebugRequest::Vars => debug.ask(DebugCommand::Vars).await,
            DebugRequest::Eval { expr } => debug.ask(|a| DebugCommand::Eval(expr, a)).await,
            DebugRequest::Output { node } => debug.ask(|a| DebugCommand::Output(node, a)).await,
        };
        asked.map_err(|m| fail(crate::error::Code::ExpressionError, m))
    }
}

pub use crate::engine::debug::{eval_in_report, Answer as DebugAnswer};

impl From<RunError> for ErrorInfo {
    fn from(e: RunError) -> Self {
        fail(e.code(), e)
    }
}
pub use crate::engine::{DebugCommand, DebugControl, EventSink, RunControl, RunError, RunOptions};

/// Whether a run of `workflow` with these options reads any secret (its own
/// or a subflow's): a shell that records nothing opens the history, where
/// secrets are kept, only then.
pub fn reads_secrets(workflow: &crate::model::Workflow, options: &RunOptions) -> bool {
    !crate::engine::secrets_read_with_subflows(workflow, options).is_empty()
}

/// The options of a run of the workflow file at `path`: its folder holds its
/// SQLite files, and its subflows are found there.
pub fn options_for(path: &Path) -> RunOptions {
    RunOptions {
        base_dir: engine::folder_of(path),
        workflows: Some(crate::workspace::FolderWorkflows::new()),
        ..RunOptions::default()
    }
}

/// Runs a workflow to its end (or until it waits, fails or is cancelled).
pub async fn run(
    workflow: impl Into<Arc<Workflow>>,
    options: RunOptions,
    control: RunControl,
    events: EventSink,
) -> Result<RunReport, RunError> {
    engine::run(workflow.into(), options, control, events).await
}

/// Writes a run report as JSON to a file the person chose (Save report).
pub fn save_report(path: &Path, report: &RunReport) -> Answer<PathBuf> {
    let text = serde_json::to_string_pretty(report).expect("a report serializes") + "\n";
    crate::file::write_atomically(path, text.as_bytes())
        .map(|()| path.to_path_buf())
        .map_err(|e| {
            fail(
                crate::error::Code::FileIo,
                format!("{}: cannot save the report: {e}", path.display()),
            )
        })
}

/// The pins file beside a workflow: `NAME.pins.json` for `NAME.flow.json`.
pub fn pins_path_for(workflow: &Path) -> PathBuf {
    let name = workflow
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".flow.json").unwrap_or(&name);
    workflow.with_file_name(format!("{stem}.pins.json"))
}

/// Whether a node can be pinned: it exists, and is no condition (whose port
/// comes from its expression).
fn check_pin(workflow: &Workflow, node: &str) -> Result<(), String> {
    let Some(n) = workflow.node(node) else {
        return Err(format!(
            "a pin on node \"{node}\", which the workflow does not have"
        ));
    };
    if crate::nodes::find(&n.node_type)
        .is_some_and(|k| k.category() == crate::model::Category::Condition)
    {
        return Err(format!(
            "node \"{node}\" is a condition: it cannot be pinned (its port comes from its expression)"
        ));
    }
    Ok(())
}

/// Reads a pins file: `{"flowbench": 1, "pins": {NODE: {"output": …}}}`; a pin
/// on a node the workflow lacks, or on a condition, is an error naming it.
pub fn load_pins(
    path: &Path,
    workflow: &Workflow,
) -> Answer<std::collections::BTreeMap<String, Value>> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(
            crate::error::Code::FileUnreadable,
            format!("{shown}: cannot read the pins file: {e}"),
        )
    })?;
    let bad = |why: String| fail(crate::error::Code::InvalidField, format!("{shown}: {why}"));
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        fail(
            crate::error::Code::FileNotJson,
            format!("{shown}:{}:{}: not valid JSON: {e}", e.line(), e.column()),
        )
    })?;
    if value.get("flowbench") != Some(&Value::from(1)) {
        return Err(bad("\"flowbench\" must be 1".into()));
    }
    let Some(pins) = value.get("pins").and_then(Value::as_object) else {
        return Err(bad("\"pins\" must be an object of node ids".into()));
    };
    let mut out = std::collections::BTreeMap::new();
    for (node, pin) in pins {
        check_pin(workflow, node).map_err(bad)?;
        let Some(output) = pin.get("output") else {
            return Err(bad(format!("the pin on \"{node}\" has no \"output\"")));
        };
        out.insert(node.clone(), output.clone());
    }
    Ok(out)
}

/// The outputs to reuse when re-running from `from`: every node that is not
/// `from` or downstream of it takes its output from the earlier run, when it
/// succeeded there. A node that must be reused but has no record is an error
/// naming it.
pub fn reuse_from(
    workflow: &Workflow,
    earlier: &RunReport,
    from: &str,
) -> Answer<std::collections::BTreeMap<String, Value>> {
    if workflow.node(from).is_none() {
        return Err(fail(
            crate::error::Code::InvalidField,
            format!("--from {from}: the workflow has no node \"{from}\""),
        ));
    }
    let mut anew: std::collections::HashSet<String> =
        crate::validate::downstream_of(workflow, from)
            .into_iter()
            .collect();
    anew.insert(from.to_string());
    let mut out = std::collections::BTreeMap::new();
    for node in &workflow.nodes {
        if anew.contains(&node.id) {
            continue;
        }
        let Some(rec) = earlier.nodes.iter().find(|r| r.node == node.id) else {
            return Err(fail(
                crate::error::Code::InvalidField,
                format!(
                    "node \"{}\" must be reused but has no record in run {}; run from it, or from a node before it",
                    node.id, earlier.run_id
                ),
            ));
        };
        if rec.status == crate::model::NodeStatus::Succeeded {
            out.insert(node.id.clone(), (*rec.output).clone());
        }
    }
    Ok(out)
}

/// The pins of a workflow file of the workspace (none when it has no pins file).
pub fn workspace_pins(
    workspace: &Workspace,
    workflow_path: &Path,
    workflow: &Workflow,
) -> Answer<std::collections::BTreeMap<String, Value>> {
    let path = pins_path_for(&workspace.confine(workflow_path)?);
    if !path.exists() {
        return Ok(Default::default());
    }
    load_pins(&path, workflow)
}

/// Pins (`output` given) or unpins a node's output, in the pins file beside the
/// workflow, written atomically; gives the pins now kept.
pub fn set_pin(
    workspace: &Workspace,
    workflow_path: &Path,
    workflow: &Workflow,
    node: &str,
    output: Option<Value>,
) -> Answer<std::collections::BTreeMap<String, Value>> {
    let mut pins = workspace_pins(workspace, workflow_path, workflow)?;
    match output {
        Some(v) => {
            check_pin(workflow, node).map_err(|why| fail(crate::error::Code::InvalidField, why))?;
            pins.insert(node.to_string(), v);
        }
        None => {
            pins.remove(node);
        }
    }
    let path = pins_path_for(&workspace.confine(workflow_path)?);
    let file: Map<String, Value> = pins
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::json!({ "output": v })))
        .collect();
    let text = serde_json::to_string_pretty(&serde_json::json!({"flowbench": 1, "pins": file}))
        .expect("pins serialize")
        + "\n";
    crate::file::write_atomically(&path, text.as_bytes()).map_err(|e| {
        fail(
            crate::error::Code::FileSave,
            format!("{}: cannot save the pins: {e}", path.display()),
        )
    })?;
    Ok(pins)
}
