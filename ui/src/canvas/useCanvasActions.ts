// What the toolbar, the palette, the problems list and the shortcuts do on the
// canvas: add a node, connect, lay out, copy and paste, go to a problem.

import { useReactFlow, type Connection, type Edge, type Node } from "@xyflow/react";
import type { Diagnostic } from "../bindings/Diagnostic";
import type { NodeTypeSpec } from "../bindings/NodeTypeSpec";
import * as doc from "../doc";
import type { NodeData } from "../flow";
import { errorText, ipc } from "../ipc/commands";
import { autoLayout } from "../layout";
import { useStore } from "../store";

let clipboard: doc.Clipboard | null = null;

export function useCanvasActions() {
  const flow = useReactFlow<Node<NodeData>, Edge>();
  const store = useStore.getState;

  const addNode = (spec: NodeTypeSpec, at?: { x: number; y: number }) => {
    const center =
      at ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
    let added = "";
    store().change((w) => {
      const r = doc.addNode(w, spec, center);
      added = r.id;
      return r.workflow;
    });
    store().select([added]);
  };

  const connect = async (c: Connection) => {
    if (!c.source || !c.target) return;
    const { workflow: candidate, id } = doc.connect(
      store().history.present,
      c.source,
      c.sourceHandle ?? "out",
      c.target,
    );
    // The engine decides: an edge that brings a new error is refused, with the reason.
    try {
      const fresh = await ipc.checkConnection(candidate, id);
      if (fresh) return store().say(`Cannot connect: ${fresh.message}`, true);
      store().change(() => candidate);
    } catch (e) {
      store().say(errorText(e), true);
    }
  };

  const relayout = () => {
    const sizes = new Map(
      flow
        .getNodes()
        .map((n) => [n.id, { width: n.measured?.width ?? 180, height: n.measured?.height ?? 70 }]),
    );
    store().change((w) => doc.moveNodes(w, autoLayout(w, sizes)));
    setTimeout(() => flow.fitView({ padding: 0.2 }), 50);
  };

  const fit = () => flow.fitView({ padding: 0.2 });

  const copy = () => {
    clipboard = doc.copy(store().history.present, store().selectedNodes);
  };

  const paste = () => {
    const clip = clipboard;
    if (!clip) return;
    let ids: string[] = [];
    store().change((w) => {
      const r = doc.paste(w, clip);
      ids = r.ids;
      return r.workflow;
    });
    store().select(ids);
  };

  const goToProblem = (d: Diagnostic) => {
    store().select(d.node ? [d.node] : [], d.edge ? [d.edge] : []);
    const n = d.node ? flow.getNode(d.node) : undefined;
    if (n)
      void flow.setCenter(n.position.x + 90, n.position.y + 35, {
        zoom: flow.getZoom(),
        duration: 200,
      });
  };

  return { addNode, connect, relayout, fit, copy, paste, goToProblem };
}
