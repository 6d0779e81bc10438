// The editor's effects: loading the catalogue and the workspace at start,
// asking the engine about each edit, the keyboard shortcuts, the window's
// title, and the guard on closing with unsaved changes.

import { ask as askNative } from "@tauri-apps/plugin-dialog";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { useEffect } from "react";
import { useCanvasActions } from "../canvas/useCanvasActions";
import { errorText, ipc } from "../ipc/commands";
import { selectDirty, selectWorkflow, useStore } from "../store";
import { debugStep, toggleBreakpoint } from "./useRun";
import { openFile, refreshEntries, save, saveAs } from "./useWorkspaceActions";

function editingText(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    !!el &&
    (el.tagName === "INPUT" ||
      el.tagName === "TEXTAREA" ||
      el.tagName === "SELECT" ||
      !!el.closest(".cm-editor"))
  );
}

export function useEditorEffects() {
  const workflow = useStore(selectWorkflow);
  const dirty = useStore(selectDirty);
  const { relayout, copy, paste } = useCanvasActions();

  // Start: the catalogue, the workspace and its files.
  useEffect(() => {
    (async () => {
      const s = useStore.getState();
      try {
        s.setCatalogue(await ipc.catalogue());
        s.setWorkspace(await ipc.workspaceDir(), []);
        await refreshEntries();
      } catch (e) {
        s.say(errorText(e), true);
      }
    })();
  }, []);

  // After every edit, debounced: the engine's diagnostics and ports.
  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        useStore.getState().setInspection(await ipc.inspect(workflow));
      } catch (e) {
        useStore.getState().say(errorText(e), true);
      }
    }, 120);
    return () => clearTimeout(timer);
  }, [workflow]);

  // The pins kept beside the open workflow.
  const path = useStore((s) => s.path);
  const loads = useStore((s) => s.loads);
  useEffect(() => {
    const s = useStore.getState();
    if (!path) return s.setPins({});
    ipc.loadPins(path, s.history.present).then(s.setPins, (e) => s.say(errorText(e), true));
  }, [path, loads]);

  // Keyboard shortcuts for the common actions.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s0 = useStore.getState();
      if (e.key === "F9" && s0.selectedNodes.length === 1) {
        e.preventDefault();
        return toggleBreakpoint(s0.selectedNodes[0]);
      }
      if (e.key === "F10" && s0.run?.paused) return (e.preventDefault(), void debugStep("step"));
      if (e.key === "F5" && s0.run?.paused) return (e.preventDefault(), void debugStep("continue"));
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === "s") {
        e.preventDefault();
        void (e.shiftKey ? saveAs() : save());
        return;
      }
      if (editingText(e.target)) return;
      const s = useStore.getState();
      if (key === "z" && !e.shiftKey) (e.preventDefault(), s.undo());
      else if ((key === "z" && e.shiftKey) || key === "y") (e.preventDefault(), s.redo());
      else if (key === "c") copy();
      else if (key === "v") paste();
      else if (key === "l") (e.preventDefault(), relayout());
      else if (key === "o") (e.preventDefault(), void openFile());
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  // The guard on closing with unsaved changes.
  useEffect(() => {
    if (!("__TAURI_INTERNALS__" in window)) return;
    const unlisten = getCurrentWindow().onCloseRequested(async (event) => {
      if (!selectDirty(useStore.getState())) return;
      const leave = await askNative("This workflow has unsaved changes. Close without saving?", {
        title: "Flowbench",
        kind: "warning",
      });
      if (!leave) event.preventDefault();
    });
    return () => void unlisten.then((f) => f());
  }, []);

  useEffect(() => {
    document.title = `${dirty ? "• " : ""}${workflow.name ?? workflow.id} — Flowbench`;
  }, [dirty, workflow.id, workflow.name]);
}
