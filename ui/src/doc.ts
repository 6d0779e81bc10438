// The document being edited: a workflow, with undo and redo. Pure functions,
// so that the canvas, the keyboard and the tests all change it the same way.
// Rules about what is valid live in the engine (inspect_workflow), not here.

import type { Annotation } from "./bindings/Annotation";
import type { Edge } from "./bindings/Edge";
import type { Node } from "./bindings/Node";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { Workflow } from "./bindings/Workflow";

export type History = { past: Workflow[]; present: Workflow; future: Workflow[] };

const HISTORY_LIMIT = 200;

export function start(workflow: Workflow): History {
  return { past: [], present: workflow, future: [] };
}

/** Applies an edit as one undoable step; an edit that changes nothing is not recorded. */
export function edit(h: History, change: (w: Workflow) => Workflow): History {
  const next = change(h.present);
  if (next === h.present) return h;
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [] };
}

/** Records `before` as the step before the present (after a drag that moved nodes live). */
export function commitFrom(h: History, before: Workflow): History {
  if (before === h.present) return h;
  return { past: [...h.past, before].slice(-HISTORY_LIMIT), present: h.present, future: [] };
}

export function undo(h: History): History {
  const previous = h.past[h.past.length - 1];
  if (!previous) return h;
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  const [next, ...rest] = h.future;
  if (!next) return h;
  return { past: [...h.past, h.present], present: next, future: rest };
}

/** `task.http` → `http`, `condition.if` → `if`; then `http_2`, `http_3`, … when taken. */
export function freshNodeId(w: Workflow, base: string): string {
  const taken = new Set(w.nodes.map((n) => n.id));
  const clean = base.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_") || "node";
  if (!taken.has(clean)) return clean;
  for (let i = 2; ; i++) if (!taken.has(`${clean}_${i}`)) return `${clean}_${i}`;
}

export function freshEdgeId(w: Workflow): string {
  const taken = new Set(w.edges.map((e) => e.id));
  for (let i = w.edges.length + 1; ; i++) if (!taken.has(`e${i}`)) return `e${i}`;
}

export function addNode(
  w: Workflow,
  spec: NodeTypeSpec,
  position: { x: number; y: number },
): { workflow: Workflow; id: string } {
  const id = freshNodeId(w, spec.type.split(".").pop() ?? "node");
  const node: Node = {
    id,
    type: spec.type,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    config: {},
  };
  return { workflow: { ...w, nodes: [...w.nodes, node] }, id };
}

export function connect(
  w: Workflow,
  from: string,
  fromPort: string,
  to: string,
): { workflow: Workflow; id: string } {
  const id = freshEdgeId(w);
  const edge: Edge = { id, from, to };
  if (fromPort && fromPort !== "out") edge.fromPort = fromPort;
  return { workflow: { ...w, edges: [...w.edges, edge] }, id };
}

/** Removes nodes (with their edges), sticky notes (by canvas id) and edges. */
export function remove(w: Workflow, nodeIds: string[], edgeIds: string[]): Workflow {
  if (nodeIds.length === 0 && edgeIds.length === 0) return w;
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  const next: Workflow = {
    ...w,
    nodes: w.nodes.filter((n) => !nodes.has(n.id ?? "")),
    edges: w.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.from) && !nodes.has(e.to)),
  };
  if (w.annotations) {
    const notes = w.annotations.filter((a) => !nodes.has(NOTE_PREFIX + a.id));
    if (notes.length > 0) next.annotations = notes;
    else delete next.annotations;
  }
  return next;
}

/** Moves nodes and sticky notes (by canvas id) to new positions. */
export function moveNodes(
  w: Workflow,
  positions: Record<string, { x: number; y: number }>,
): Workflow {
  let moved = false;
  let annotations = w.annotations;
  if (annotations && Object.keys(positions).some(isNote)) {
    annotations = annotations.map((a) => {
      const p = positions[NOTE_PREFIX + a.id];
      if (!p) return a;
      const position = { x: Math.round(p.x), y: Math.round(p.y) };
      if (a.position.x === position.x && a.position.y === position.y) return a;
      moved = true;
      return { ...a, position };
    });
  }
  const nodes = w.nodes.map((n) => {
    const p = positions[n.id ?? ""];
    if (!p) return n;
    const position = { x: Math.round(p.x), y: Math.round(p.y) };
    if (n.position && n.position.x === position.x && n.position.y === position.y) return n;
    moved = true;
    return { ...n, position };
  });
  return moved ? { ...w, nodes, ...(annotations ? { annotations } : {}) } : w;
}

/** Replaces a node; a changed id is carried to the edges that name it. */
export function updateNode(w: Workflow, id: string, node: Node): Workflow {
  const nodes = w.nodes.map((n) => (n.id === id ? node : n));
  const newId = node.id ?? "";
  const edges =
    newId === id
      ? w.edges
      : w.edges.map((e) => ({
          ...e,
          from: e.from === id ? newId : e.from,
          to: e.to === id ? newId : e.to,
        }));
  return { ...w, nodes, edges };
}

export type Clipboard = { nodes: Node[]; edges: Edge[] };

/** The selected nodes and the edges between them. */
export function copy(w: Workflow, nodeIds: string[]): Clipboard {
  const ids = new Set(nodeIds);
  return {
    nodes: w.nodes.filter((n) => ids.has(n.id ?? "")),
    edges: w.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
  };
}

/** Pastes copies with fresh ids, offset so they do not hide the originals. */
export function paste(
  w: Workflow,
  clip: Clipboard,
  offset = 40,
): { workflow: Workflow; ids: string[] } {
  let next = w;
  const renamed = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = freshNodeId(next, n.id ?? "node");
    renamed.set(n.id ?? "", id);
    const p = n.position ?? { x: 0, y: 0 };
    next = {
      ...next,
      nodes: [...next.nodes, { ...n, id, position: { x: p.x + offset, y: p.y + offset } }],
    };
  }
  for (const e of clip.edges) {
    const from = renamed.get(e.from);
    const to = renamed.get(e.to);
    if (from && to) next = connect(next, from, e.fromPort ?? "out", to).workflow;
  }
  return { workflow: next, ids: [...renamed.values()] };
}

/** Copies of `ids` placed beside the originals, with fresh ids; the clipboard is left alone. */
export function duplicate(w: Workflow, ids: string[]): { workflow: Workflow; ids: string[] } {
  return paste(w, copy(w, ids), 40);
}

/** What Copy puts on the system clipboard: nodes and the edges between them, as JSON. */
export function clipboardText(clip: Clipboard): string {
  return JSON.stringify({ flowbench: "nodes", ...clip }, null, 2);
}

/** Reads what `clipboardText` wrote (from this workflow or another); null for anything else. */
export function parseClipboard(text: string): Clipboard | null {
  try {
    const v = JSON.parse(text);
    if (v?.flowbench !== "nodes" || !Array.isArray(v.nodes) || !Array.isArray(v.edges)) return null;
    const nodes = v.nodes.filter(
      (n: unknown): n is Node =>
        !!n && typeof n === "object" && typeof (n as Node).type === "string",
    );
    const edges = v.edges.filter(
      (e: unknown): e is Edge =>
        !!e && typeof (e as Edge).from === "string" && typeof (e as Edge).to === "string",
    );
    return nodes.length > 0 ? { nodes, edges } : null;
  } catch {
    return null;
  }
}

export type Alignment = "left" | "top" | "right" | "bottom";

/** Lines the nodes up on the edge of the one furthest that way. */
export function align(w: Workflow, ids: string[], edge: Alignment): Workflow {
  const chosen = w.nodes.filter((n) => ids.includes(n.id ?? ""));
  if (chosen.length < 2) return w;
  const axis = edge === "left" || edge === "right" ? "x" : "y";
  const values = chosen.map((n) => n.position?.[axis] ?? 0);
  const target = edge === "left" || edge === "top" ? Math.min(...values) : Math.max(...values);
  return moveNodes(
    w,
    Object.fromEntries(
      chosen.map((n) => {
        const p = n.position ?? { x: 0, y: 0 };
        return [n.id ?? "", { ...p, [axis]: target }];
      }),
    ),
  );
}

/** Spaces the nodes evenly between the first and the last along an axis. */
export function distribute(w: Workflow, ids: string[], axis: "x" | "y"): Workflow {
  const chosen = w.nodes
    .filter((n) => ids.includes(n.id ?? ""))
    .sort((a, b) => (a.position?.[axis] ?? 0) - (b.position?.[axis] ?? 0));
  if (chosen.length < 3) return w;
  const first = chosen[0].position?.[axis] ?? 0;
  const last = chosen[chosen.length - 1].position?.[axis] ?? 0;
  const step = (last - first) / (chosen.length - 1);
  return moveNodes(
    w,
    Object.fromEntries(
      chosen.map((n, i) => {
        const p = n.position ?? { x: 0, y: 0 };
        return [n.id ?? "", { ...p, [axis]: first + step * i }];
      }),
    ),
  );
}

// Sticky notes (`annotations`). On the canvas a note's id is prefixed, so
// that it never meets a node's id.
export const NOTE_PREFIX = "note:";
export const isNote = (canvasId: string) => canvasId.startsWith(NOTE_PREFIX);
export const noteId = (canvasId: string) => canvasId.slice(NOTE_PREFIX.length);

export function addNote(
  w: Workflow,
  position: { x: number; y: number },
  text = "",
): { workflow: Workflow; id: string } {
  const taken = new Set((w.annotations ?? []).map((a) => a.id));
  let i = (w.annotations?.length ?? 0) + 1;
  while (taken.has(`note_${i}`)) i++;
  const note: Annotation = {
    id: `note_${i}`,
    text,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    size: { width: 240, height: 160 },
    color: "yellow",
  };
  return { workflow: { ...w, annotations: [...(w.annotations ?? []), note] }, id: note.id };
}

export function updateNote(w: Workflow, id: string, change: Partial<Annotation>): Workflow {
  const notes = w.annotations ?? [];
  const old = notes.find((a) => a.id === id);
  if (!old) return w;
  const next = { ...old, ...change };
  if (JSON.stringify(next) === JSON.stringify(old)) return w;
  return { ...w, annotations: notes.map((a) => (a.id === id ? next : a)) };
}
