// Automatic layout: dagre ranks the graph; then the layout that fits the
// canvas at the largest zoom is chosen among left-to-right, top-to-bottom and
// left-to-right wrapped into rows (a long chain reads as lines of text do).

import dagre from "@dagrejs/dagre";
import type { Workflow } from "./bindings/Workflow";

export type Size = { width: number; height: number };
export type Positions = Record<string, { x: number; y: number }>;

/** A node's size before it is drawn: the canvas's fixed width, and its rows. */
export const DEFAULT_SIZE: Size = { width: 220, height: 86 };
/** Node names are drawn at this size, in pixels at zoom 1. */
export const NAME_FONT_PX = 15;
/** The smallest zoom at which a node's name is still 12 px high. */
export const READABLE_ZOOM = 12 / NAME_FONT_PX;
/** Fit view leaves this much of the canvas free around the graph. */
export const FIT_PADDING = 0.06;

const ROW_GAP = 90;

/** A node's size before it is measured: one more row for each output port past the first. */
export function estimatedSize(n: Workflow["nodes"][number]): Size {
  const config = (n.config ?? {}) as Record<string, unknown>;
  let ports = 1;
  if (n.type === "condition.if") ports = 2;
  if (n.type === "condition.switch")
    ports = (Array.isArray(config.cases) ? config.cases.length : 0) + 1;
  if (n.onError === "route") ports += 1;
  return { width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height + 16 * (ports - 1) };
}

function ranked(w: Workflow, sizes: Map<string, Size>, rankdir: "LR" | "TB"): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir, nodesep: rankdir === "LR" ? 30 : 40, ranksep: rankdir === "LR" ? 60 : 50 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of w.nodes)
    g.setNode(n.id ?? "", { ...(sizes.get(n.id ?? "") ?? estimatedSize(n)) });
  for (const e of w.edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const positions: Positions = {};
  for (const n of w.nodes) {
    const p = g.node(n.id ?? "");
    if (p) positions[n.id ?? ""] = { x: p.x - p.width / 2, y: p.y - p.height / 2 };
  }
  return positions;
}

/** The box around laid-out nodes. */
export function bounds(positions: Positions, sizes: Map<string, Size>) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [id, p] of Object.entries(positions)) {
    const s = sizes.get(id) ?? DEFAULT_SIZE;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + s.width);
    y1 = Math.max(y1, p.y + s.height);
  }
  return x0 === Infinity
    ? { x: 0, y: 0, width: 0, height: 0 }
    : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The zoom at which fit view shows the whole box in the viewport. */
export function fitZoom(box: { width: number; height: number }, viewport: Size): number {
  const usable = 1 - 2 * FIT_PADDING;
  if (box.width === 0 || box.height === 0) return 1;
  return Math.min((viewport.width * usable) / box.width, (viewport.height * usable) / box.height);
}

/** Cuts a left-to-right layout into `rows` rows of whole columns (ranks), one under the other. */
function wrapped(lr: Positions, sizes: Map<string, Size>, rows: number): Positions {
  const columns = [...new Set(Object.values(lr).map((p) => Math.round(p.x)))].sort((a, b) => a - b);
  const perRow = Math.ceil(columns.length / rows);
  const rowOf = (x: number) => Math.floor(columns.indexOf(Math.round(x)) / perRow);
  const out: Positions = {};
  let top = 0;
  for (let r = 0; r < rows; r++) {
    const ids = Object.keys(lr).filter((id) => rowOf(lr[id].x) === r);
    if (ids.length === 0) continue;
    const box = bounds(Object.fromEntries(ids.map((id) => [id, lr[id]])), sizes);
    for (const id of ids) out[id] = { x: lr[id].x - box.x, y: lr[id].y - box.y + top };
    top += box.height + ROW_GAP;
  }
  return out;
}

/** Lays the workflow out in the arrangement that `viewport` shows largest. */
export function autoLayout(
  w: Workflow,
  sizes: Map<string, Size>,
  viewport: Size = { width: 1166, height: 698 },
): Positions {
  const lr = ranked(w, sizes, "LR");
  const candidates = [lr, ranked(w, sizes, "TB")];
  const columns = new Set(Object.values(lr).map((p) => Math.round(p.x))).size;
  for (let rows = 2; rows <= Math.min(6, columns); rows++)
    candidates.push(wrapped(lr, sizes, rows));
  let best = candidates[0];
  let bestZoom = -1;
  for (const c of candidates) {
    // Capped at 1: past full size, a larger zoom reads no better, so the first
    // (plain left-to-right) arrangement wins ties.
    const zoom = Math.min(1, fitZoom(bounds(c, sizes), viewport));
    if (zoom > bestZoom + 1e-6) [best, bestZoom] = [c, zoom];
  }
  return best;
}
