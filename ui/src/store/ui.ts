// The window's own state: the message shown, the question asked, the Run
// dialog, the debug panel's height and the tab it is asked to show.

import type { StateCreator } from "zustand";
import type { Question } from "../Ask";
import type { ImportAnswer } from "../bindings/ImportAnswer";
import type { Tab } from "../DebugPanel";
import type { Store } from "./index";

export type UiSlice = {
  toast: { text: string; error: boolean } | null;
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
  say: (text: string, error?: boolean) => void;
  /** Asks in the window's own dialog; null when cancelled. */
  askUser: (q: Omit<Question, "resolve">) => Promise<string | null>;
  setAskingRun: (asking: boolean) => void;
  setPanelHeight: (height: number) => void;
  showPanelTab: (tab: Tab) => void;
};

export const uiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
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
  say: (text, error = false) => {
    set({ toast: { text, error } });
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
  showPanelTab: (tab) => set({ showTab: { tab, at: Date.now() } }),
});
