// Automatic layout with dagre: left to right, in rank order.

import dagre from "@dagrejs/dagre";
import type { Workflow } from "./bindings/Workflow";

export function autoLayout(w: Workflow, sizes: Map<string, { width: number; height: number }>) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 80 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of w.nodes) {
    const size = sizes.get(n.id ?? "") ?? { width: 180, height: 70 };
    g.setNode(n.id ?? "", size);
  }
  for (const e of w.edges) if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const n of w.nodes) {
    const p = g.node(n.id ?? "");
    if (p) positions[n.id ?? ""] = { x: p.x - p.width / 2, y: p.y - p.height / 2 };
  }
  return positions;
}
