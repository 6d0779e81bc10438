// The window's own state: the message shown, the question asked, the Run
// dialog, the debug panel's height and the tab it is asked to show, which
// panels are open, and the node picker.

import type { StateCreator } from "zustand";
import type { Question } from "../Ask";
import type { ImportAnswer } from "../bindings/ImportAnswer";
import type { Tab } from "../DebugPanel";
import type { Store } from "./index";

/** Where the node picker opens, and the port a new node connects from. */
export type PickerAt = {
  screen: { x: number; y: number };
  flow: { x: number; y: number };
  from?: { node: string; port: string };
  /** A connection dragged back from this node's input: the new node leads into it. */
  to?: string;
};

/** Panels that stay as the person left them, across restarts. */
type Layout = { sidebar: boolean; minimap: boolean; snap: boolean };
const LAYOUT_KEY = "flowbench.layout";
function savedLayout(): Layout {
  const fallback = { sidebar: true, minimap: true, snap: false };
  try {
    return { ...fallback, ...JSON.parse(localStorage.getItem(LAYOUT_KEY) ?? "{}") };
  } catch {
    return fallback;
  }
}
function keep(layout: Layout) {
  try {
    localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // Private mode or no storage: the layout is simply not remembered.
  }
}

export type UiSlice = {
  /** The start screen shows instead of the canvas. */
  home: boolean;
  setHome: (home: boolean) => void;
  /** The debug panel shows its tabs only, when closed. */
  panelOpen: boolean;
  setPanelOpen: (open: boolean) => void;
  sidebarOpen: boolean;
  minimap: boolean;
  snap: boolean;
  toggleLayout: (what: keyof Layout) => void;
  /** The workflow's settings in the right-hand pane, asked for with nothing selected. */
  settingsOpen: boolean;
  setSettingsOpen: (open: boolean) => void;
  picker: PickerAt | null;
  setPicker: (picker: PickerAt | null) => void;
  /** The sticky note whose text is being edited. */
  editingNote: string | null;
  setEditingNote: (id: string | null) => void;
  /** The Shortcuts sheet. */
  helpOpen: boolean;
  setHelpOpen: (open: boolean) => void;
  /** Find a node by name (Ctrl+F). */
  finding: "find" | "connect" | null;
  setFinding: (finding: "find" | "connect" | null) => void;
  /** A message; `whileErrors` ones go as soon as the open workflow has no errors. */
  toast: { text: string; error: boolean; whileErrors?: boolean } | null;
  question: Question | null;
  askingRun: boolean;
  panelHeight: number;
  showTab: { tab: Tab; at: number } | undefined;
  /** Counts changes to the run history this window made (runs, decisions, saves): views re-read it. */
  historyTick: number;
  bumpHistory: () => void;
  /** The local service's address while it runs in the app. */
  service: string | null;
  setService: (url: string | null) => void;
  /** The Import dialog: open to choose or paste, then showing what was imported. */
  importing: { answer: ImportAnswer | null } | null;
  setImporting: (importing: { answer: ImportAnswer | null } | null) => void;
  say: (text: string, error?: boolean, whileErrors?: boolean) => void;
  /** Asks in the window's own dialog; null when cancelled. */
  askUser: (q: Omit<Question, "resolve">) => Promise<string | null>;
  setAskingRun: (asking: boolean) => void;
  setPanelHeight: (height: number) => void;
  showPanelTab: (tab: Tab) => void;
};

export const uiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  home: true,
  setHome: (home) => set({ home }),
  panelOpen: false,
  setPanelOpen: (panelOpen) => set({ panelOpen }),
  sidebarOpen: savedLayout().sidebar,
  minimap: savedLayout().minimap,
  snap: savedLayout().snap,
  toggleLayout: (what) =>
    set((s) => {
      const layout = { sidebar: s.sidebarOpen, minimap: s.minimap, snap: s.snap };
      layout[what] = !layout[what];
      keep(layout);
      return { sidebarOpen: layout.sidebar, minimap: layout.minimap, snap: layout.snap };
    }),
  settingsOpen: false,
  setSettingsOpen: (settingsOpen) => set({ settingsOpen }),
  picker: null,
  setPicker: (picker) => set({ picker }),
  editingNote: null,
  setEditingNote: (editingNote) => set({ editingNote }),
  helpOpen: false,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  finding: null,
  setFinding: (finding) => set({ finding }),
  toast: null,
  question: null,
  askingRun: false,
  panelHeight: 200,
  showTab: undefined,
  historyTick: 0,
  service: null,
  setService: (service) => set({ service }),
  importing: null,
  setImporting: (importing) => set({ importing }),
  bumpHistory: () => set((s) => ({ historyTick: s.historyTick + 1 })),
  say: (text, error = false, whileErrors = false) => {
    set({ toast: { text, error, whileErrors } });
    setTimeout(
      () => set((s) => (s.toast?.text === text ? { toast: null } : {})),
      error ? 6000 : 2500,
    );
  },
  askUser: (q) =>
    new Promise((resolve) =>
      set({ question: { ...q, resolve: (a) => (set({ question: null }), resolve(a)) } }),
    ),
  setAskingRun: (askingRun) => set({ askingRun }),
  setPanelHeight: (panelHeight) => set({ panelHeight }),
  showPanelTab: (tab) => set({ showTab: { tab, at: Date.now() }, panelOpen: true }),
});
