// The engine, through the Tauri shell's commands. Errors arrive as {code, message}.

import { invoke } from "@tauri-apps/api/core";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { ErrorInfo } from "./bindings/ErrorInfo";
import type { Inspection } from "./bindings/Inspection";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { CaseResult } from "./bindings/CaseResult";
import type { RunReport } from "./bindings/RunReport";
import type { TestCase } from "./bindings/TestCase";
import type { TestFile } from "./bindings/TestFile";
import type { JsonValue } from "./bindings/serde_json/JsonValue";
import type { Workflow } from "./bindings/Workflow";
import type { WorkspaceEntry } from "./bindings/WorkspaceEntry";

export function errorText(e: unknown): string {
  if (e && typeof e === "object" && "message" in e) return String((e as ErrorInfo).message);
  return String(e);
}

export const api = {
  workspaceDir: () => invoke<string>("workspace_dir"),
  listWorkflows: (dir: string) => invoke<WorkspaceEntry[]>("list_workflows", { dir }),
  openWorkflow: (path: string) => invoke<Workflow>("open_workflow", { path }),
  saveWorkflow: (path: string, workflow: Workflow) =>
    invoke<void>("save_workflow", { path, workflow }),
  createWorkflow: (dir: string, id: string) => invoke<string>("create_workflow", { dir, id }),
  renameWorkflow: (path: string, id: string) => invoke<string>("rename_workflow", { path, id }),
  deleteWorkflow: (path: string) => invoke<void>("delete_workflow", { path }),
  validate: (workflow: Workflow) => invoke<Diagnostic[]>("validate_workflow", { workflow }),
  checkConnection: (workflow: Workflow, edge: string) =>
    invoke<Diagnostic | null>("check_connection", { workflow, edge }),
  inspect: (workflow: Workflow) => invoke<Inspection>("inspect_workflow", { workflow }),
  upstream: (workflow: Workflow, node: string) =>
    invoke<string[]>("upstream_nodes", { workflow, node }),
  catalogue: () => invoke<NodeTypeSpec[]>("catalogue"),
  parseWorkflow: (text: string, origin: string) =>
    invoke<Workflow>("parse_workflow", { text, origin }),
  workflowText: (workflow: Workflow) => invoke<string>("workflow_text", { workflow }),
  startRun: (
    handle: string,
    request: {
      workflow: Workflow;
      path: string | null;
      input: JsonValue | null;
      trigger: string | null;
      vars: Record<string, JsonValue>;
    },
  ) => invoke<void>("start_run", { handle, request }),
  stopRun: (handle: string) => invoke<void>("stop_run", { handle }),
  saveReport: (path: string, report: RunReport) => invoke<void>("save_report", { path, report }),
  loadTests: (workflowPath: string) => invoke<TestFile>("load_tests", { workflowPath }),
  runTests: (workflowPath: string, testCase: string | null) =>
    invoke<CaseResult[]>("run_tests", { workflowPath, case: testCase }),
  saveTests: (workflowPath: string, tests: TestFile) =>
    invoke<void>("save_tests", { workflowPath, tests }),
  caseFromReport: (name: string, report: RunReport) =>
    invoke<TestCase>("case_from_report", { name, report }),
};
