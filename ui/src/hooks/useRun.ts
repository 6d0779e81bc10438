// Running from the canvas: the Run dialog's request goes to the engine; its
// events and end come back through the store.

import { useEffect } from "react";
import { errorText, ipc } from "../ipc/commands";
import { onRunEvent, onRunFinished } from "../ipc/events";
import type { RunRequest } from "../RunDialog";
import { useStore } from "../store";

function store() {
  return useStore.getState();
}

/** Subscribes the store to the shell's run events, for the window's life. */
export function useRunEvents() {
  useEffect(() => {
    if (!("__TAURI_INTERNALS__" in window)) return;
    const events = onRunEvent((m) => store().onRunEvent(m));
    const finished = onRunFinished((m) => {
      if (m.handle !== store().runHandle) return;
      store().onRunFinished(m);
      if (m.error) store().say(`Not run: ${m.error.message}`, true);
    });
    return () => {
      void events.then((f) => f());
      void finished.then((f) => f());
    };
  }, []);
}

/** Run: refused with the reason when the workflow has errors, else the dialog. */
export function openRun() {
  const s = store();
  const errors = s.inspection.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    s.showPanelTab("problems");
    return s.say(
      `Cannot run: the workflow has ${errors} error(s); the Problems list says why`,
      true,
    );
  }
  s.setAskingRun(true);
}

export async function startRun(r: RunRequest) {
  const s = store();
  s.setAskingRun(false);
  const handle = crypto.randomUUID();
  s.beginRun(handle);
  try {
    await ipc.startRun(handle, { workflow: s.history.present, path: s.path, ...r });
  } catch (e) {
    store().refuseRun(errorText(e));
    store().say(errorText(e), true);
  }
}

export function stopRun() {
  const run = store().run;
  if (run) void ipc.stopRun(run.handle);
}

export async function copyReport() {
  const report = store().run?.report;
  if (!report) return;
  await navigator.clipboard.writeText(JSON.stringify(report, null, 2));
  store().say("Run report copied");
}

export async function saveReport() {
  const report = store().run?.report;
  if (!report) return;
  try {
    const p = await ipc.saveReport(report);
    if (p) store().say(`Saved the report to ${p}`);
  } catch (e) {
    store().say(errorText(e), true);
  }
}
