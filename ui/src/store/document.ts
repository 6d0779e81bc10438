// The document slice: the workspace, the open workflow and its history, what
// was last saved, and the engine's view of it (diagnostics and ports).

import type { StateCreator } from "zustand";
import type { Inspection } from "../bindings/Inspection";
import type { NodeTypeSpec } from "../bindings/NodeTypeSpec";
import type { Position } from "../bindings/Position";
import type { Workflow } from "../bindings/Workflow";
import type { WorkspaceEntry } from "../bindings/WorkspaceEntry";
import * as doc from "../doc";
import type { Store } from "./index";

export const EMPTY: Workflow = { flowbench: 1, id: "untitled", nodes: [], edges: [] };

export type DocumentSlice = {
  catalogue: NodeTypeSpec[];
  specs: Map<string, NodeTypeSpec>;
  dir: string;
  entries: WorkspaceEntry[];
  /** The open workflow's file; null for a new or imported one. */
  path: string | null;
  history: doc.History;
  /** The workflow as last saved or opened, to tell unsaved changes. */
  saved: string;
  inspection: Inspection;
  /** Counts workflows opened, so that the canvas fits each new one once. */
  loads: number;
  setCatalogue: (catalogue: NodeTypeSpec[]) => void;
  setWorkspace: (dir: string, entries: WorkspaceEntry[]) => void;
  setEntries: (entries: WorkspaceEntry[]) => void;
  /** Opens a workflow: a fresh history, nothing selected. */
  load: (path: string | null, workflow: Workflow, saved: string) => void;
  change: (f: (w: Workflow) => Workflow) => void;
  undo: () => void;
  redo: () => void;
  /** Ends a drag: the moved positions, as one undoable step from `before`. */
  commitMove: (before: Workflow, positions: Record<string, Position>) => void;
  markSaved: (path: string | null, workflow: Workflow) => void;
  setPath: (path: string | null) => void;
  setInspection: (inspection: Inspection) => void;
};

/** A new history, and the selection less what it no longer holds. */
function kept(s: Store, history: doc.History) {
  const w = history.present;
  const nodes = new Set([
    ...w.nodes.map((n) => n.id ?? ""),
    ...(w.annotations ?? []).map((a) => doc.NOTE_PREFIX + a.id),
  ]);
  const edges = new Set(w.edges.map((e) => e.id));
  const selectedNodes = s.selectedNodes.filter((id) => nodes.has(id));
  const selectedEdges = s.selectedEdges.filter((id) => edges.has(id));
  return {
    history,
    ...(selectedNodes.length !== s.selectedNodes.length ? { selectedNodes } : {}),
    ...(selectedEdges.length !== s.selectedEdges.length ? { selectedEdges } : {}),
  };
}

export const documentSlice: StateCreator<Store, [], [], DocumentSlice> = (set) => ({
  catalogue: [],
  specs: new Map(),
  dir: "",
  entries: [],
  path: null,
  history: doc.start(EMPTY),
  saved: JSON.stringify(EMPTY),
  inspection: { diagnostics: [], ports: {} },
  loads: 0,
  setCatalogue: (catalogue) =>
    set({ catalogue, specs: new Map(catalogue.map((s) => [s.type, s])) }),
  setWorkspace: (dir, entries) => set({ dir, entries }),
  setEntries: (entries) => set({ entries }),
  load: (path, workflow, saved) =>
    set((s) => ({
      history: doc.start(workflow),
      saved,
      path,
      selectedNodes: [],
      selectedEdges: [],
      breakpoints: [],
      pins: {},
      loads: s.loads + 1,
      home: false,
      settingsOpen: false,
      // A message about the workflow left behind no longer holds.
      toast: s.toast?.whileErrors ? null : s.toast,
      run: null,
    })),
  change: (f) => set((s) => kept(s, doc.edit(s.history, f))),
  undo: () => set((s) => kept(s, doc.undo(s.history))),
  redo: () => set((s) => kept(s, doc.redo(s.history))),
  commitMove: (before, positions) =>
    set((s) => ({
      history: doc.commitFrom(
        { ...s.history, present: doc.moveNodes(s.history.present, positions) },
        before,
      ),
    })),
  markSaved: (path, workflow) => set({ path, saved: JSON.stringify(workflow) }),
  setPath: (path) => set({ path }),
  setInspection: (inspection) =>
    set((s) => ({
      inspection,
      toast:
        s.toast?.whileErrors && !inspection.diagnostics.some((d) => d.severity === "error")
          ? null
          : s.toast,
    })),
});

/** The open workflow. */
export const selectWorkflow = (s: Store) => s.history.present;
/** Whether the open workflow has unsaved changes. */
export const selectDirty = (s: Store) => JSON.stringify(s.history.present) !== s.saved;
