// The engine, through the desktop shell's commands: the one place that calls
// `invoke`. Every argument and answer is a type generated from Rust (ts-rs);
// errors arrive as ErrorInfo {code, message}.

import { invoke } from "@tauri-apps/api/core";
import type { CaseResult } from "../bindings/CaseResult";
import type { DebugRequest } from "../bindings/DebugRequest";
import type { JsonValue } from "../bindings/serde_json/JsonValue";
import type { Diagnostic } from "../bindings/Diagnostic";
import type { ErrorInfo } from "../bindings/ErrorInfo";
import type { ImportAnswer } from "../bindings/ImportAnswer";
import type { Inspection } from "../bindings/Inspection";
import type { NodeTypeSpec } from "../bindings/NodeTypeSpec";
import type { Opened } from "../bindings/Opened";
import type { RunReport } from "../bindings/RunReport";
import type { RunRequest } from "../bindings/RunRequest";
import type { TestCase } from "../bindings/TestCase";
import type { TestFile } from "../bindings/TestFile";
import type { Workflow } from "../bindings/Workflow";
import type { HistoryInfo } from "../bindings/HistoryInfo";
import type { OpenTask } from "../bindings/OpenTask";
import type { RevisionSummary } from "../bindings/RevisionSummary";
import type { RunFilter } from "../bindings/RunFilter";
import type { RunSummary } from "../bindings/RunSummary";
import type { ShownRun } from "../bindings/ShownRun";
import type { TaskFilter } from "../bindings/TaskFilter";
import type { TaskNote } from "../bindings/TaskNote";
import type { WorkflowDiff } from "../bindings/WorkflowDiff";
import type { WorkflowStats } from "../bindings/WorkflowStats";
import type { WorkspaceEntry } from "../bindings/WorkspaceEntry";

export function errorText(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as ErrorInfo).message);
  return String(e);
}

export const ipc = {
  // The workspace folder; every path below must lie inside it (the engine refuses others).
  workspaceDir: () => invoke<string>("workspace_dir"),
  listWorkflows: () => invoke<WorkspaceEntry[]>("list_workflows"),
  openWorkflow: (path: string) => invoke<Workflow>("open_workflow", { path }),
  /** Saves; answers the revision recorded in the history (null without one). */
  saveWorkflow: (path: string, workflow: Workflow) =>
    invoke<number | null>("save_workflow", { path, workflow }),
  createWorkflow: (id: string) => invoke<string>("create_workflow", { id }),
  renameWorkflow: (path: string, id: string) => invoke<string>("rename_workflow", { path, id }),
  deleteWorkflow: (path: string) => invoke<void>("delete_workflow", { path }),
  // Native dialogs, shown by the shell: null when the person cancels.
  chooseAndOpen: () => invoke<Opened | null>("choose_and_open"),
  chooseAndSave: (workflow: Workflow) => invoke<string | null>("choose_and_save", { workflow }),
  /** Import: a Flowbench workflow (unsaved) or an n8n export (written into the workspace). */
  importWorkflow: () => invoke<ImportAnswer | null>("import_workflow"),
  importText: (text: string) => invoke<ImportAnswer>("import_text", { text }),
  exportWorkflow: (workflow: Workflow) => invoke<string | null>("export_workflow", { workflow }),
  saveReport: (report: RunReport) => invoke<string | null>("save_report", { report }),
  // The engine's rules.
  validate: (workflow: Workflow) => invoke<Diagnostic[]>("validate_workflow", { workflow }),
  checkConnection: (workflow: Workflow, edge: string) =>
    invoke<Diagnostic | null>("check_connection", { workflow, edge }),
  inspect: (workflow: Workflow) => invoke<Inspection>("inspect_workflow", { workflow }),
  upstream: (workflow: Workflow, node: string) =>
    invoke<string[]>("upstream_nodes", { workflow, node }),
  catalogue: () => invoke<NodeTypeSpec[]>("catalogue"),
  workflowText: (workflow: Workflow) => invoke<string>("workflow_text", { workflow }),
  // Runs: events arrive through ./events.
  startRun: (handle: string, request: RunRequest) => invoke<void>("start_run", { handle, request }),
  stopRun: (handle: string) => invoke<void>("stop_run", { handle }),
  // Pins beside the workflow; an expression against the shown run.
  loadPins: (path: string, workflow: Workflow) =>
    invoke<Record<string, JsonValue>>("load_pins", { path, workflow }),
  setPin: (path: string, workflow: Workflow, node: string, output: JsonValue | null) =>
    invoke<Record<string, JsonValue>>("set_pin", { path, workflow, node, output }),
  evalReport: (report: RunReport, node: string | null, expr: string) =>
    invoke<JsonValue>("eval_report", { report, node, expr }),
  // The debugger: step, continue, breakpoints, and questions to a paused run.
  debugRun: (handle: string, request: DebugRequest) =>
    invoke<JsonValue>("debug_run", { handle, request }),
  // Tests beside a workflow.
  loadTests: (workflowPath: string) => invoke<TestFile>("load_tests", { workflowPath }),
  runTests: (workflowPath: string, testCase: string | null) =>
    invoke<CaseResult[]>("run_tests", { workflowPath, case: testCase }),
  saveTests: (workflowPath: string, tests: TestFile) =>
    invoke<void>("save_tests", { workflowPath, tests }),
  caseFromReport: (name: string, report: RunReport) =>
    invoke<TestCase>("case_from_report", { name, report }),
  // The local service, run in the app while it is on.
  serviceStart: () => invoke<string>("service_start"),
  serviceStop: () => invoke<void>("service_stop"),
  serviceStatus: () => invoke<string | null>("service_status"),
  scheduleNextFires: (cron: string, timezone: string | null) =>
    invoke<string[]>("schedule_next_fires", { cron, timezone }),
  webhookAddress: (workflowId: string, path: string) =>
    invoke<string | null>("webhook_address", { workflowId, path }),
  // The run history: runs, charts, human tasks, revisions.
  historyInfo: () => invoke<HistoryInfo>("history_info"),
  listRuns: (filter: RunFilter) => invoke<RunSummary[]>("list_runs", { filter }),
  showRun: (run: string) => invoke<ShownRun>("show_run", { run }),
  runStats: (workflow: string, since: string) =>
    invoke<WorkflowStats>("run_stats", { workflow, since }),
  resumeRun: (run: string) => invoke<RunReport>("resume_run", { run }),
  listTasks: (filter: TaskFilter) => invoke<OpenTask[]>("list_tasks", { filter }),
  decideTask: (run: string, node: string, outcome: string, comment: string | null) =>
    invoke<RunReport>("decide_task", { run, node, outcome, comment, by: null }),
  noteTask: (run: string, node: string, text: string) =>
    invoke<TaskNote[]>("note_task", { run, node, text, by: null }),
  listRevisions: (path: string) => invoke<RevisionSummary[]>("list_revisions", { path }),
  diffRevision: (path: string, rev: number, to: number | null) =>
    invoke<WorkflowDiff>("diff_revision", { path, rev, to }),
  restoreRevision: (path: string, rev: number) =>
    invoke<Workflow>("restore_revision", { path, rev }),
};
