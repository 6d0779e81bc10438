// Running from the canvas: the Run dialog's request goes to the engine; its
// events and end come back through the store.

import { counted } from "../Problems";
import { useEffect } from "react";
import { errorText, ipc } from "../ipc/commands";
import { onRunEvent, onRunFinished } from "../ipc/events";
import type { RunRequest } from "../RunDialog";
import type { RunRequest as EngineRunRequest } from "../bindings/RunRequest";
import type { JsonValue } from "../bindings/serde_json/JsonValue";
import { useStore } from "../store";

function store() {
  return useStore.getState();
}

/** Subscribes the store to the shell's run events, for the window's life. */
export function useRunEvents() {
  useEffect(() => {
    if (!("__TAURI_INTERNALS__" in window)) return;
    const events = onRunEvent((m) => {
      store().onRunEvent(m);
      // A pause brings the Debug tab to the front.
      if (m.event.kind === "runPaused" && m.handle === store().runHandle)
        store().showPanelTab("debug");
    });
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
      `Cannot run: the workflow has ${counted(errors, "error")}; the Problems list says why`,
      true,
      true,
    );
  }
  s.setAskingRun(true);
}

/** Starts a run of the open workflow with the canvas's breakpoints and pins. */
async function launch(
  request: Omit<EngineRunRequest, "workflow" | "path" | "breakpoints" | "usePins">,
) {
  const s = store();
  const handle = crypto.randomUUID();
  s.beginRun(handle);
  try {
    await ipc.startRun(handle, {
      workflow: s.history.present,
      path: s.path,
      breakpoints: s.breakpoints,
      usePins: s.usePins,
      ...request,
    });
  } catch (e) {
    store().refuseRun(errorText(e));
    store().say(errorText(e), true);
  }
}

export async function startRun(r: RunRequest) {
  store().setAskingRun(false);
  await launch(r);
}

/**
 * Run from here: the selected node and what follows run anew; the nodes
 * before it reuse the outputs of the run shown, with that run's input and variables.
 */
export async function runFromHere(node: string) {
  const s = store();
  const earlier = s.run?.report;
  if (!earlier) return s.say("Run the workflow once first: its outputs are reused", true);
  await launch({
    input: earlier.input,
    trigger: earlier.trigger,
    // The variables as the shown run ended with them (its overrides included).
    vars: earlier.vars,
    from: node,
    reuse: earlier,
  });
}

/** The debugger's toolbar and keys: F9 breakpoint, F10 step, F5 continue. */
export function toggleBreakpoint(node: string) {
  const s = store();
  const on = !s.breakpoints.includes(node);
  s.toggleBreakpoint(node);
  // A run going on learns it at once.
  if (s.run?.running)
    void ipc.debugRun(s.run.handle, { kind: "setBreakpoint", node, on }).catch(() => {});
}

export async function debugStep(kind: "step" | "continue") {
  const run = store().run;
  if (!run?.paused) return;
  store().setPausedView(null);
  try {
    await ipc.debugRun(run.handle, { kind });
  } catch (e) {
    store().say(errorText(e), true);
  }
}

/** What the paused run says about the node it is paused before. */
export async function loadPausedView(node: string) {
  const run = store().run;
  if (!run) return;
  const ask = (kind: "input" | "config" | "vars") => ipc.debugRun(run.handle, { kind });
  try {
    const [input, config, vars] = await Promise.all([ask("input"), ask("config"), ask("vars")]);
    store().setPausedView({ node, input, config, vars });
  } catch (e) {
    store().setPausedView({ node, error: errorText(e) });
  }
}

export async function evaluate(expr: string): Promise<{ value?: unknown; error?: string }> {
  const run = store().run;
  if (!run?.paused) return { error: "the run is not paused" };
  try {
    return { value: await ipc.debugRun(run.handle, { kind: "eval", expr }) };
  } catch (e) {
    return { error: errorText(e) };
  }
}

/** Pins the node's output from the shown run, or unpins it. */
export async function togglePin(node: string) {
  const s = store();
  if (!s.path) return s.say("Save the workflow first: pins are kept beside its file", true);
  const pinned = node in s.pins;
  const record = s.run?.report?.nodes.find((n) => n.node === node);
  if (!pinned && record?.status !== "succeeded")
    return s.say(`Run the workflow first: ${node} has no output to pin`, true);
  try {
    s.setPins(
      await ipc.setPin(s.path, s.history.present, node, pinned ? null : (record?.output ?? null)),
    );
  } catch (e) {
    s.say(errorText(e), true);
  }
}

/** Pins a node's output typed as JSON (prefilled with the shown run's, if any). */
export async function pinAsJson(node: string) {
  const s = store();
  if (!s.path) return s.say("Save the workflow first: pins are kept beside its file", true);
  const shown = s.pins[node] ?? s.run?.report?.nodes.find((n) => n.node === node)?.output ?? {};
  const text = await s.askUser({
    title: `Pin ${node}'s output`,
    message: "The output, as JSON: runs from the canvas use it instead of running the node.",
    input: JSON.stringify(shown),
    confirm: "Pin",
  });
  if (text === null) return;
  let output: JsonValue;
  try {
    output = JSON.parse(text) as JsonValue;
  } catch (e) {
    return s.say(`Not pinned: not valid JSON: ${(e as Error).message}`, true);
  }
  try {
    s.setPins(await ipc.setPin(s.path, s.history.present, node, output));
  } catch (e) {
    s.say(errorText(e), true);
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
