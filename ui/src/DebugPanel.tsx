// The bottom panel: Problems, and the last run's Responses, Errors and Logs.
// Selecting a node on the canvas focuses its entries in every tab.

import { useEffect, useRef, useState } from "react";
import { JsonView, allExpanded, collapseAllNested, defaultStyles } from "react-json-view-lite";
import "react-json-view-lite/dist/index.css";
import type { Diagnostic } from "./bindings/Diagnostic";
import { Problems } from "./Problems";
import { TestsPanel } from "./TestsPanel";
import { DebugView } from "./DebugView";
import { ReportEval } from "./ReportEval";
import type { RunReport } from "./bindings/RunReport";
import type { RunView } from "./run";
import { HistoryView } from "./history/HistoryView";
import { useStore } from "./store";
import { Revisions } from "./history/Revisions";
import { TasksInbox } from "./history/TasksInbox";
import type { Workflow } from "./bindings/Workflow";

export type Tab =
  | "problems"
  | "debug"
  | "responses"
  | "errors"
  | "logs"
  | "tests"
  | "history"
  | "tasks"
  | "revisions";

/** A collapsible JSON tree; fully open when one node is in focus. */
function Json({ value, open }: { value: unknown; open: boolean }) {
  if (value === null || typeof value !== "object")
    return <code className="json-scalar">{JSON.stringify(value)}</code>;
  return (
    <JsonView
      data={value as object}
      shouldExpandNode={open ? allExpanded : collapseAllNested}
      style={defaultStyles}
    />
  );
}

export function DebugPanel(props: {
  diagnostics: Diagnostic[];
  onProblem: (d: Diagnostic) => void;
  run: RunView | null;
  selected: string | null;
  onSelectNode: (id: string) => void;
  onCopy: () => void;
  onSave: () => void;
  onClear: () => void;
  /** Asks for a tab to be shown (the Problems, when a run is refused). */
  show?: { tab: Tab; at: number };
  workflowPath: string | null;
  dirty: boolean;
  onShowRun: (report: RunReport, edges?: Record<string, boolean>) => void;
  say: (text: string, error?: boolean) => void;
  workflowId: string;
  onRestored: (path: string, workflow: Workflow) => void;
}) {
  const [tab, setTab] = useState<Tab>("problems");
  const open = useStore((s) => s.panelOpen);
  const [level, setLevel] = useState("");
  const [logNode, setLogNode] = useState("");
  const logsEnd = useRef<HTMLDivElement>(null);
  const { run, selected } = props;
  const lastHandle = useRef<string | null>(null);
  useEffect(() => {
    // A new run opens the Logs, to follow it live.
    if (run && run.handle !== lastHandle.current) {
      lastHandle.current = run.handle;
      // (A test case's run is shown from the Tests tab, which stays.)
      if (!run.handle.startsWith("case:")) {
        setTab("logs");
        useStore.getState().setPanelOpen(true);
      }
    }
  }, [run]);
  useEffect(() => {
    if (props.show) setTab(props.show.tab);
  }, [props.show]);
  useEffect(() => {
    // History, charts, tasks and revisions need room: the panel grows for them.
    if (tab === "history" || tab === "tasks" || tab === "revisions") {
      const { panelHeight, setPanelHeight } = useStore.getState();
      if (panelHeight < 380) setPanelHeight(380);
    }
  }, [tab]);
  useEffect(() => logsEnd.current?.scrollIntoView({ block: "end" }), [run?.logs.length, tab]);
  const focus = (node: string | null) => !selected || node === selected;
  const records = (run?.report?.nodes ?? []).filter((n) => focus(n.node) && n.status !== "skipped");
  const errors = (run?.errors ?? []).filter((e) => focus(e.node));
  const nodeFilter = logNode || selected || "";
  const logs = (run?.logs ?? []).filter(
    (l) => (!level || l.line.level === level) && (!nodeFilter || l.node === nodeFilter),
  );
  const tabs: [Tab, string][] = [
    ["problems", `Problems (${props.diagnostics.length})`],
    ["debug", run?.paused ? "Debug ●" : "Debug"],
    ["responses", "Responses"],
    ["errors", `Errors (${run?.errors.length ?? 0})`],
    ["logs", `Logs (${run?.logs.length ?? 0})`],
    ["tests", "Tests"],
    ["history", "History"],
    ["tasks", "Tasks"],
    ["revisions", "Revisions"],
  ];
  return (
    <section className="debug" aria-label="Debug panel">
      <div className="debug-tabs">
        {tabs.map(([t, label]) => (
          <button
            key={t}
            name={`tab-${t}`}
            className={tab === t && open ? "active" : ""}
            onClick={() => {
              setTab(t);
              useStore.getState().setPanelOpen(true);
            }}
          >
            {label}
          </button>
        ))}
        <span className="debug-status" data-testid="run-status" data-run={run?.handle}>
          {run
            ? run.running
              ? "running…"
              : run.refused
                ? `not run: ${run.refused}`
                : `run ${run.report?.status} in ${run.report?.durationMs} ms`
            : ""}
        </span>
        {run?.report && (
          <>
            <button name="copy-report" onClick={props.onCopy}>
              Copy report
            </button>
            <button name="save-report" onClick={props.onSave}>
              Save report
            </button>
          </>
        )}
        {run && !run.running && (
          <button name="clear-run" onClick={props.onClear}>
            Clear
          </button>
        )}
        <button
          name="toggle-panel"
          data-action="toggle-panel"
          className="panel-toggle"
          title={open ? "Hide the debug panel (Ctrl+J)" : "Show the debug panel (Ctrl+J)"}
          aria-expanded={open}
          onClick={() => useStore.getState().setPanelOpen(!open)}
        >
          {open ? "▾" : "▴"}
        </button>
      </div>
      <div className="debug-body" hidden={!open}>
        {tab === "problems" && (
          <Problems diagnostics={props.diagnostics} onSelect={props.onProblem} />
        )}
        {tab === "debug" && <DebugView />}
        {tab === "history" && (
          <HistoryView workflowId={props.workflowId} onShowRun={props.onShowRun} />
        )}
        {tab === "tasks" && <TasksInbox onShowRun={props.onShowRun} />}
        {tab === "revisions" && (
          <Revisions path={props.workflowPath} dirty={props.dirty} onRestored={props.onRestored} />
        )}
        {tab === "tests" && (
          <TestsPanel
            workflowPath={props.workflowPath}
            dirty={props.dirty}
            report={run?.report ?? null}
            onShowRun={props.onShowRun}
            say={props.say}
          />
        )}
        {tab === "responses" && (
          <div className="responses">
            {run?.report && <ReportEval report={run.report} node={selected} />}
            {!run?.report && (
              <p className="help">
                {run?.running
                  ? "The run is going on…"
                  : "Run the workflow to see each node's input and output."}
              </p>
            )}
            {records.map((n) => (
              <details key={n.node} className="response" data-node={n.node} open={!!selected}>
                <summary>
                  <strong>{n.node}</strong>{" "}
                  <span className={`status status-${n.status}`}>{n.status}</span>
                  {n.durationMs != null && <span className="help"> {n.durationMs} ms</span>}
                  {n.mocked && <span className="help"> mocked</span>}
                  {n.pinned && <span className="help pinned-tag"> pinned</span>}
                  {n.reused && (
                    <span className="help" data-reused="true">
                      {" "}
                      reused
                    </span>
                  )}
                </summary>
                <div className="kv">
                  <span>input</span>
                  <Json value={n.input} open={!!selected} />
                </div>
                <div className="kv">
                  <span>output</span>
                  <Json value={n.output} open={!!selected} />
                </div>
                {n.http && !n.http.pages && (
                  <>
                    <div className="kv">
                      <span>request</span>
                      <Json value={n.http.request} open={!!selected} />
                    </div>
                    <div className="kv">
                      <span>response</span>
                      <Json value={n.http.response} open={!!selected} />
                    </div>
                  </>
                )}
                {n.http?.pages?.map((page, i) => (
                  <div className="http-page" key={i} data-page={i + 1}>
                    <div className="kv">
                      <span>page {i + 1} request</span>
                      <Json value={page.request} open={!!selected && i === 0} />
                    </div>
                    <div className="kv">
                      <span>page {i + 1} response</span>
                      <Json value={page.response} open={false} />
                    </div>
                  </div>
                ))}
                {n.iterations && (
                  <div className="kv">
                    <span>iterations</span>
                    <JsonView
                      data={n.iterations}
                      shouldExpandNode={allExpanded}
                      style={defaultStyles}
                    />
                  </div>
                )}
              </details>
            ))}
          </div>
        )}
        {tab === "errors" && (
          <ul className="errors">
            {errors.length === 0 && <li className="help">No errors.</li>}
            {errors.map((e, i) => (
              <li
                key={i}
                className="run-error"
                data-node={e.node ?? ""}
                onClick={() => e.node && props.onSelectNode(e.node)}
              >
                <strong>{e.node ?? "run"}</strong> <code>{e.code}</code> {e.message}
              </li>
            ))}
          </ul>
        )}
        {tab === "logs" && (
          <div className="logs">
            <div className="log-filters">
              <select name="log-level" value={level} onChange={(e) => setLevel(e.target.value)}>
                <option value="">all levels</option>
                {["debug", "info", "warn", "error"].map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
              <select name="log-node" value={logNode} onChange={(e) => setLogNode(e.target.value)}>
                <option value="">{selected ? `node ${selected}` : "all nodes"}</option>
                {[...new Set((run?.logs ?? []).map((l) => l.node))].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
            <table>
              <tbody>
                {logs.map((l, i) => (
                  <tr key={i} className={`log log-${l.line.level}`} data-node={l.node}>
                    <td className="time">{l.line.at.slice(11, 23)}</td>
                    <td className="level">{l.line.level}</td>
                    <td className="node">{l.node}</td>
                    <td className="message">{l.line.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div ref={logsEnd} />
          </div>
        )}
      </div>
    </section>
  );
}
