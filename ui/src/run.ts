// The state of the run shown on the canvas and in the debug panel, built from
// the engine's run events and, at the end, its report. Pure, so it is tested.

import type { Code } from "./bindings/Code";
import type { LogLine } from "./bindings/LogLine";
import type { NodeStatus } from "./bindings/NodeStatus";
import type { RunEvent } from "./bindings/RunEvent";
import type { RunReport } from "./bindings/RunReport";

export type RunView = {
  handle: string;
  running: boolean;
  nodes: Record<string, { status: NodeStatus; durationMs?: number }>;
  edges: Record<string, boolean>;
  logs: { node: string; line: LogLine }[];
  errors: { node: string | null; code: Code; message: string }[];
  report: RunReport | null;
  /** Why the run did not start. */
  refused: string | null;
  /** The node the debugger paused the run before. */
  paused: string | null;
};

export function startView(handle: string): RunView {
  return {
    handle,
    running: true,
    nodes: {},
    edges: {},
    logs: [],
    errors: [],
    report: null,
    refused: null,
    paused: null,
  };
}

export function applyEvent(view: RunView, event: RunEvent): RunView {
  switch (event.kind) {
    case "nodeStarted":
      return { ...view, nodes: { ...view.nodes, [event.node]: { status: "running" } } };
    case "nodeFinished":
      return {
        ...view,
        nodes: {
          ...view.nodes,
          [event.node]: { status: event.status, durationMs: event.durationMs },
        },
        errors: event.error ? [...view.errors, { node: event.node, ...event.error }] : view.errors,
      };
    case "edgeResolved":
      return { ...view, edges: { ...view.edges, [event.edge]: event.taken } };
    case "log":
      return { ...view, logs: [...view.logs, { node: event.node, line: event.line }] };
    case "runPaused":
      return { ...view, paused: event.node };
    case "runResumed":
      return { ...view, paused: null };
    case "runWaiting":
      return { ...view, nodes: { ...view.nodes, [event.node]: { status: "waiting" } } };
    default:
      return view;
  }
}

/** The report is the truth at the end: every node's final status, and every error. */
export function finish(view: RunView, report: RunReport | null, refused: string | null): RunView {
  if (!report) return { ...view, running: false, refused, paused: null };
  const nodes: RunView["nodes"] = {};
  for (const n of report.nodes)
    nodes[n.node] = { status: n.status, durationMs: n.durationMs ?? undefined };
  // A report shown from the history or a test has no live events: its
  // nodes' logs are the Logs, in time order.
  const logs =
    view.logs.length > 0
      ? view.logs
      : report.nodes
          .flatMap((n) => n.logs.map((line) => ({ node: n.node, line })))
          .sort((a, b) => a.line.at.localeCompare(b.line.at));
  return {
    ...view,
    running: false,
    paused: null,
    report,
    nodes,
    logs,
    errors: report.errors.map((e) => ({ ...e })),
  };
}
