// The shell's window events, typed by the Rust messages (ts-rs).

import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ErrorInfo } from "../bindings/ErrorInfo";
import type { ImportAnswer } from "../bindings/ImportAnswer";
import type { RunEventMessage } from "../bindings/RunEventMessage";
import type { RunFinishedMessage } from "../bindings/RunFinishedMessage";

export function onRunEvent(f: (m: RunEventMessage) => void): Promise<UnlistenFn> {
  return listen<RunEventMessage>("run-event", (e) => f(e.payload));
}

export function onRunFinished(f: (m: RunFinishedMessage) => void): Promise<UnlistenFn> {
  return listen<RunFinishedMessage>("run-finished", (e) => f(e.payload));
}

/** A file dropped on the window was imported (or could not be). */
export type Dropped = { answer?: ImportAnswer; error?: ErrorInfo };

export function onWorkflowImported(f: (m: Dropped) => void): Promise<UnlistenFn> {
  return listen<Dropped>("workflow-imported", (e) => f(e.payload));
}
