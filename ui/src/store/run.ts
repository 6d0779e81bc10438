// The run slice: the run shown on the canvas and in the debug panel, folded
// from the engine's events and, at its end, its report (../run.ts, pure).

import type { StateCreator } from "zustand";
import type { RunEventMessage } from "../bindings/RunEventMessage";
import type { RunFinishedMessage } from "../bindings/RunFinishedMessage";
import type { RunReport } from "../bindings/RunReport";
import { applyEvent, finish, startView, type RunView } from "../run";
import type { Store } from "./index";

export type RunSlice = {
  run: RunView | null;
  /** The handle of the run this window started and still listens to. */
  runHandle: string | null;
  beginRun: (handle: string) => void;
  onRunEvent: (m: RunEventMessage) => void;
  onRunFinished: (m: RunFinishedMessage) => void;
  /** The run did not start: why. */
  refuseRun: (why: string) => void;
  /** Shows a finished run's report (a test case's run, a run of the history, with its edges). */
  showReport: (report: RunReport, edges?: Record<string, boolean>) => void;
  clearRun: () => void;
};

export const runSlice: StateCreator<Store, [], [], RunSlice> = (set) => ({
  run: null,
  runHandle: null,
  beginRun: (handle) => set({ run: startView(handle), runHandle: handle }),
  onRunEvent: (m) =>
    set((s) => (s.run && m.handle === s.runHandle ? { run: applyEvent(s.run, m.event) } : {})),
  onRunFinished: (m) =>
    set((s) =>
      s.run && m.handle === s.runHandle
        ? {
            run: finish(s.run, m.report, m.error?.message ?? null),
            historyTick: s.historyTick + 1,
          }
        : {},
    ),
  refuseRun: (why) => set((s) => (s.run ? { run: finish(s.run, null, why) } : {})),
  showReport: (report, edges) =>
    set({
      run: { ...finish(startView(`case:${report.runId}`), report, null), edges: edges ?? {} },
      runHandle: null,
    }),
  clearRun: () => set({ run: null }),
});
