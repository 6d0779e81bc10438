// The workflow drawn as React Flow nodes and edges, and the Problems badges.

import type { JsonValue } from "./bindings/serde_json/JsonValue";
import { summary } from "./nodes/summary";
import type { Edge as FlowEdge, Node as FlowNode } from "@xyflow/react";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { Workflow } from "./bindings/Workflow";
import { NOTE_PREFIX } from "./doc";
import type { NoteData } from "./nodes/NoteNode";

export type NodeData = {
  id: string;
  label: string;
  type: string;
  category: string;
  ports: string[];
  hasInput: boolean;
  errors: number;
  warnings: number;
  disabled: boolean;
  runStatus?: string;
  durationMs?: number;
  /** The debugger: a breakpoint on the node, and whether the run is paused before it. */
  breakpoint?: boolean;
  paused?: boolean;
  /** A pinned output stands in for the node in runs from the canvas. */
  pinned?: boolean;
  /** Its config in one line (`nodes/summary.ts`). */
  summary?: string;
  [key: string]: unknown;
};

export function toFlowNodes(
  w: Workflow,
  catalogue: Map<string, NodeTypeSpec>,
  ports: Record<string, string[]>,
  diagnostics: Diagnostic[],
  previous: FlowNode<NodeData>[],
  run: Record<string, { status: string; durationMs?: number }> = {},
  debug: { breakpoints: string[]; paused: string | null; pinned?: string[] } = {
    breakpoints: [],
    paused: null,
  },
): FlowNode<NodeData>[] {
  const breakpoints = new Set(debug.breakpoints);
  const pinned = new Set(debug.pinned ?? []);
  const kept = new Map(previous.map((n) => [n.id, n]));
  return w.nodes.map((n, i) => {
    const id = n.id ?? `#${i + 1}`;
    const spec = catalogue.get(n.type ?? "");
    const mine = diagnostics.filter((d) => d.node === id);
    const old = kept.get(id);
    return {
      ...old,
      id,
      type: "workflow",
      position: { x: n.position?.x ?? 0, y: n.position?.y ?? 0 },
      selected: old?.selected ?? false,
      data: {
        id,
        label: n.name || id,
        type: n.type ?? "",
        category: spec?.category ?? "unknown",
        ports: ports[id] ?? spec?.ports ?? ["out"],
        hasInput: spec?.category !== "trigger",
        errors: mine.filter((d) => d.severity === "error").length,
        warnings: mine.filter((d) => d.severity === "warning").length,
        disabled: n.disabled ?? false,
        runStatus: debug.paused === id ? "paused" : run[id]?.status,
        durationMs: run[id]?.durationMs,
        breakpoint: breakpoints.has(id),
        paused: debug.paused === id,
        pinned: pinned.has(id),
        summary: summary(n.type ?? "", n.config as Record<string, JsonValue> | undefined),
      },
    };
  });
}

/** The sticky notes, drawn under the nodes. */
export function toNoteNodes(w: Workflow, previous: FlowNode[]): FlowNode<NoteData>[] {
  const kept = new Map(previous.map((n) => [n.id, n]));
  return (w.annotations ?? []).map((a) => {
    const id = NOTE_PREFIX + a.id;
    const old = kept.get(id);
    return {
      ...old,
      id,
      type: "note",
      position: { x: a.position.x, y: a.position.y },
      width: a.size.width,
      height: a.size.height,
      zIndex: -1,
      selected: old?.selected ?? false,
      data: { id: a.id, text: a.text, color: a.color ?? "yellow" },
    };
  });
}

export function toFlowEdges(
  w: Workflow,
  diagnostics: Diagnostic[],
  previous: FlowEdge[],
  run: Record<string, boolean> = {},
): FlowEdge[] {
  const kept = new Map(previous.map((e) => [e.id, e]));
  return w.edges.map((e) => {
    const port = e.fromPort ?? "out";
    const bad = diagnostics.some((d) => d.edge === e.id && d.severity === "error");
    return {
      id: e.id,
      source: e.from,
      sourceHandle: port,
      target: e.to,
      selected: kept.get(e.id)?.selected ?? false,
      label: port === "out" ? undefined : port,
      className:
        [
          bad ? "edge-error" : port === "error" ? "edge-error-port" : "",
          e.id in run ? (run[e.id] ? "edge-taken" : "edge-dead") : "",
        ]
          .filter(Boolean)
          .join(" ") || undefined,
      animated: run[e.id] === true,
    };
  });
}
