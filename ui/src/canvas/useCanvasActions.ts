// What the toolbar, the node picker, the problems list and the shortcuts do
// on the canvas: add and connect nodes, sticky notes, lay out and fit, align,
// copy and paste, duplicate, go to a node.

import { useReactFlow, type Connection, type Edge, type Node } from "@xyflow/react";
import type { Diagnostic } from "../bindings/Diagnostic";
import type { NodeTypeSpec } from "../bindings/NodeTypeSpec";
import * as doc from "../doc";
import type { NodeData } from "../flow";
import { errorText, ipc } from "../ipc/commands";
import { autoLayout, DEFAULT_SIZE, FIT_PADDING, READABLE_ZOOM } from "../layout";
import { useStore } from "../store";

/** Copied nodes, for when the system clipboard cannot be read. */
let clipboard: doc.Clipboard | null = null;

/** Where a new node goes after `node`: to its right, lower while that place is taken. */
function besideOf(w: ReturnType<typeof useStore.getState>["history"]["present"], node: string) {
  const p = w.nodes.find((n) => n.id === node)?.position ?? { x: 0, y: 0 };
  const at = { x: p.x + DEFAULT_SIZE.width + 60, y: p.y };
  const taken = (y: number) =>
    w.nodes.some(
      (n) =>
        n.position &&
        Math.abs(n.position.x - at.x) < DEFAULT_SIZE.width &&
        Math.abs(n.position.y - y) < DEFAULT_SIZE.height,
    );
  while (taken(at.y)) at.y += DEFAULT_SIZE.height + 30;
  return at;
}

export function useCanvasActions() {
  const flow = useReactFlow<Node<NodeData>, Edge>();
  const store = useStore.getState;

  const canvasCenter = () => {
    const el = document.querySelector(".canvas")?.getBoundingClientRect();
    const screen = el
      ? { x: el.left + el.width / 2, y: el.top + el.height / 2 }
      : { x: window.innerWidth / 2, y: window.innerHeight / 2 };
    return { screen, flow: flow.screenToFlowPosition(screen) };
  };

  /** Adds a node; connected from `from` (or into `to`) when given, as one undoable step. */
  const addNode = async (
    spec: NodeTypeSpec,
    at?: { x: number; y: number },
    from?: { node: string; port: string },
    to?: string,
  ) => {
    const s = store();
    const middle = at ? null : canvasCenter().flow;
    const center = at ?? { x: middle!.x - DEFAULT_SIZE.width / 2, y: middle!.y - 40 };
    const added = doc.addNode(s.history.present, spec, center);
    let next = added.workflow;
    const link =
      from && spec.category !== "trigger"
        ? doc.connect(next, from.node, from.port, added.id)
        : to
          ? doc.connect(next, added.id, spec.ports[0] ?? "out", to)
          : null;
    if (link) {
      try {
        const fresh = await ipc.checkConnection(link.workflow, link.id);
        if (fresh) s.say(`Added ${added.id}, not connected: ${fresh.message}`, true);
        else next = link.workflow;
      } catch (e) {
        s.say(errorText(e), true);
      }
    }
    store().change(() => next);
    store().select([added.id]);
  };

  /** Opens the node picker: after the one selected node (connected to it), else mid-canvas. */
  const openPicker = () => {
    const s = store();
    const selected = s.selectedNodes.filter((id) => !doc.isNote(id));
    const center = canvasCenter();
    if (selected.length === 1) {
      const node = selected[0];
      const ports = s.inspection.ports[node] ??
        s.specs.get(s.history.present.nodes.find((n) => n.id === node)?.type ?? "")?.ports ?? [
          "out",
        ];
      // `out`, else the first port still free that is not the fallback
      // (`default`, `error`), else the first.
      const used = new Set(
        s.history.present.edges.filter((e) => e.from === node).map((e) => e.fromPort ?? "out"),
      );
      const port = ports.includes("out")
        ? "out"
        : (ports.find((p) => !used.has(p) && p !== "default" && p !== "error") ??
          ports[0] ??
          "out");
      const at = besideOf(s.history.present, node);
      s.setPicker({ screen: center.screen, flow: at, from: { node, port } });
    } else {
      s.setPicker({
        screen: center.screen,
        flow: { x: center.flow.x - DEFAULT_SIZE.width / 2, y: center.flow.y - 40 },
      });
    }
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

  /** Fits the graph, never smaller than names can be read: a larger graph is centred and panned. */
  const fit = (duration = 0) =>
    flow.fitView({ padding: FIT_PADDING, minZoom: READABLE_ZOOM, maxZoom: 1.25, duration });

  const relayout = () => {
    const sizes = new Map(
      flow
        .getNodes()
        .filter((n) => !doc.isNote(n.id))
        .map((n) => [
          n.id,
          {
            width: n.measured?.width ?? DEFAULT_SIZE.width,
            height: n.measured?.height ?? DEFAULT_SIZE.height,
          },
        ]),
    );
    const el = document.querySelector(".canvas")?.getBoundingClientRect();
    const viewport = el ? { width: el.width, height: el.height } : undefined;
    store().change((w) => doc.moveNodes(w, autoLayout(w, sizes, viewport)));
    requestAnimationFrame(() => requestAnimationFrame(() => void fit(200)));
  };

  const selectedNodeIds = () => store().selectedNodes.filter((id) => !doc.isNote(id));

  const copy = () => {
    const clip = doc.copy(store().history.present, selectedNodeIds());
    if (clip.nodes.length === 0) return;
    clipboard = clip;
    // As JSON on the system clipboard too, so that it pastes into another workflow or window.
    navigator.clipboard?.writeText(doc.clipboardText(clip)).catch(() => undefined);
  };

  const cut = () => {
    copy();
    const ids = selectedNodeIds();
    store().change((w) => doc.remove(w, ids, []));
  };

  const paste = async () => {
    let clip = clipboard;
    try {
      const text = await navigator.clipboard?.readText();
      clip = (text && doc.parseClipboard(text)) || clip;
    } catch {
      // The system clipboard could not be read: this window's copy is used.
    }
    if (!clip) return;
    const chosen = clip;
    let ids: string[] = [];
    store().change((w) => {
      const r = doc.paste(w, chosen);
      ids = r.ids;
      return r.workflow;
    });
    store().select(ids);
  };

  const duplicate = () => {
    let ids: string[] = [];
    store().change((w) => {
      const r = doc.duplicate(w, selectedNodeIds());
      ids = r.ids;
      return r.workflow;
    });
    if (ids.length > 0) store().select(ids);
  };

  const align = (edge: doc.Alignment) =>
    store().change((w) => doc.align(w, selectedNodeIds(), edge));
  const distribute = (axis: "x" | "y") =>
    store().change((w) => doc.distribute(w, selectedNodeIds(), axis));

  const addNote = (at?: { x: number; y: number }) => {
    const middle = at ? null : canvasCenter().flow;
    const where = at ?? { x: middle!.x - 120, y: middle!.y - 80 };
    let id = "";
    store().change((w) => {
      const r = doc.addNote(w, where);
      id = r.id;
      return r.workflow;
    });
    store().select([doc.NOTE_PREFIX + id]);
    store().setEditingNote(id);
  };

  /** Selects a node and brings it to the middle of the canvas, readable. */
  const goToNode = (id: string) => {
    store().select([id]);
    const n = flow.getNode(id);
    if (n)
      void flow.setCenter(
        n.position.x + (n.measured?.width ?? DEFAULT_SIZE.width) / 2,
        n.position.y + (n.measured?.height ?? DEFAULT_SIZE.height) / 2,
        { zoom: Math.max(flow.getZoom(), 1), duration: 200 },
      );
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

  return {
    addNode,
    openPicker,
    connect,
    relayout,
    fit,
    copy,
    cut,
    paste,
    duplicate,
    align,
    distribute,
    addNote,
    goToNode,
    goToProblem,
  };
}
