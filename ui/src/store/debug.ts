// The debugger slice: the open workflow's breakpoints, and what the paused
// run said about the node it is paused before.

import type { StateCreator } from "zustand";
import type { JsonValue } from "../bindings/serde_json/JsonValue";
import type { Store } from "./index";

export type PausedView = {
  node: string;
  input?: JsonValue;
  config?: JsonValue;
  vars?: JsonValue;
  error?: string;
};

export type DebugSlice = {
  breakpoints: string[];
  /** Pinned outputs kept beside the open workflow, and whether runs use them. */
  pins: Record<string, JsonValue>;
  usePins: boolean;
  setPins: (pins: Record<string, JsonValue>) => void;
  setUsePins: (on: boolean) => void;
  pausedView: PausedView | null;
  toggleBreakpoint: (node: string) => void;
  setPausedView: (view: PausedView | null) => void;
};

export const debugSlice: StateCreator<Store, [], [], DebugSlice> = (set) => ({
  breakpoints: [],
  pins: {},
  usePins: true,
  setPins: (pins) => set((s) => (JSON.stringify(s.pins) === JSON.stringify(pins) ? {} : { pins })),
  setUsePins: (usePins) => set({ usePins }),
  pausedView: null,
  toggleBreakpoint: (node) =>
    set((s) => ({
      breakpoints: s.breakpoints.includes(node)
        ? s.breakpoints.filter((b) => b !== node)
        : [...s.breakpoints, node],
    })),
  setPausedView: (pausedView) => set({ pausedView }),
});
