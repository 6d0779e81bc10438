// The selection slice: which nodes and edges are selected. The canvas draws
// it; it is not kept inside React Flow's node objects.

import type { StateCreator } from "zustand";
import type { Store } from "./index";

export type SelectionSlice = {
  selectedNodes: string[];
  selectedEdges: string[];
  select: (nodes: string[], edges?: string[]) => void;
  /** React Flow's select changes, applied to the selection. */
  toggle: (kind: "node" | "edge", id: string, selected: boolean) => void;
};

export const selectionSlice: StateCreator<Store, [], [], SelectionSlice> = (set) => ({
  selectedNodes: [],
  selectedEdges: [],
  select: (nodes, edges = []) => set({ selectedNodes: nodes, selectedEdges: edges }),
  toggle: (kind, id, selected) =>
    set((s) => {
      const key = kind === "node" ? "selectedNodes" : "selectedEdges";
      const without = s[key].filter((x) => x !== id);
      return { [key]: selected ? [...without, id] : without };
    }),
});
