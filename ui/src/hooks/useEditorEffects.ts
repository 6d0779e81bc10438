// The editor's effects: loading the catalogue and the workspace at start,
// asking the engine about each edit, the keyboard shortcuts, the window's
// title, and the guard on closing with unsaved changes.

import { ask as askNative } from "@tauri-apps/plugin-dialog";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { useReactFlow } from "@xyflow/react";
import { useEffect } from "react";
import * as doc from "../doc";
import { useCanvasActions } from "../canvas/useCanvasActions";
import { errorText, ipc } from "../ipc/commands";
import { selectDirty, selectWorkflow, useStore } from "../store";
import { debugStep, openRun, toggleBreakpoint } from "./useRun";
import { newWorkflow, openFile, refreshEntries, save, saveAs } from "./useWorkspaceActions";

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
  const actions = useCanvasActions();
  const { relayout, copy, cut, paste, duplicate, align, distribute, openPicker, addNote, fit } =
    actions;
  const { zoomIn, zoomOut, getNodes } = useReactFlow();

  /** Moves the selected nodes and notes, as one undoable step. */
  const moveSelection = (dx: number, dy: number) => {
    const s = useStore.getState();
    const chosen = new Set(s.selectedNodes);
    const positions = Object.fromEntries(
      getNodes()
        .filter((n) => chosen.has(n.id))
        .map((n) => [n.id, { x: n.position.x + dx, y: n.position.y + dy }]),
    );
    s.change((w) => doc.moveNodes(w, positions));
  };

  /** Selects the node nearest the selected one in a direction (the first node when none is). */
  const selectNearest = (dx: number, dy: number) => {
    const s = useStore.getState();
    const all = getNodes().filter((n) => !doc.isNote(n.id));
    const from = all.find((n) => n.id === s.selectedNodes[0]);
    if (!from) return all[0] && actions.goToNode(all[0].id);
    let best: { id: string; cost: number } | null = null;
    for (const n of all) {
      if (n.id === from.id) continue;
      const vx = n.position.x - from.position.x;
      const vy = n.position.y - from.position.y;
      const along = vx * dx + vy * dy;
      if (along <= 0) continue;
      // Straight ahead is cheaper than off to the side.
      const cost = along + 2 * Math.abs(vx * dy) + 2 * Math.abs(vy * dx);
      if (!best || cost < best.cost) best = { id: n.id, cost };
    }
    if (best) actions.goToNode(best.id);
  };

  const renameNode = async (id: string) => {
    const s = useStore.getState();
    const node = s.history.present.nodes.find((n) => n.id === id);
    if (!node) return;
    const name = await s.askUser({
      title: `Rename ${id}`,
      message: "The name shown on the canvas. (Its id, which expressions use, stays.)",
      input: node.name ?? id,
      confirm: "Rename",
    });
    if (name === null) return;
    const trimmed = name.trim();
    s.change((w) =>
      doc.updateNode(w, id, { ...node, name: trimmed && trimmed !== id ? trimmed : undefined }),
    );
  };

  /** Moves the keyboard into the selected node's form. */
  const focusInspector = () => {
    const field = () =>
      document.querySelector<HTMLElement>(
        ".side .inspector input:not([type=hidden]), .side .inspector textarea, .side .inspector select, .side .inspector .cm-content",
      );
    // At once when the form is drawn, so that a Tab typed right after Enter
    // moves within the form rather than opening the node picker.
    const now = field();
    if (now) now.focus();
    else requestAnimationFrame(() => field()?.focus());
  };

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

  // Keyboard shortcuts (../shortcuts.ts lists them for the Shortcuts sheet).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      const nodes = s.selectedNodes.filter((id) => !doc.isNote(id));
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const act = (f: () => unknown) => {
        e.preventDefault();
        void f();
      };
      // Files and panels work everywhere, even while typing.
      if (mod && key === "s") return act(() => (e.shiftKey ? saveAs() : save()));
      if (mod && key === "o") return act(openFile);
      if (mod && key === "n") return act(newWorkflow);
      // Escape in a form gives the keyboard back to the canvas, keeping the selection.
      if (e.key === "Escape" && editingText(e.target) && (e.target as HTMLElement).closest(".side"))
        return act(() => (e.target as HTMLElement).blur());
      if (mod && key === "b") return act(() => s.toggleLayout("sidebar"));
      if (mod && key === "j") return act(() => s.setPanelOpen(!s.panelOpen));
      if (mod && key === ",") return act(() => (s.select([]), s.setSettingsOpen(true)));
      if (mod && key === "enter") return act(openRun);
      if (e.key === "F9" && nodes.length === 1) return act(() => toggleBreakpoint(nodes[0]));
      if (e.key === "F10" && s.run?.paused) return act(() => debugStep("step"));
      if (e.key === "F5" && s.run?.paused) return act(() => debugStep("continue"));
      if (editingText(e.target) || s.home || s.picker || s.finding || s.question) return;
      if (s.helpOpen) return e.key === "Escape" ? act(() => s.setHelpOpen(false)) : undefined;
      if (mod) {
        if (key === "z" && !e.shiftKey) act(s.undo);
        else if ((key === "z" && e.shiftKey) || key === "y") act(s.redo);
        else if (key === "c") copy();
        else if (key === "x") act(cut);
        else if (key === "v") act(paste);
        else if (key === "d") act(duplicate);
        else if (key === "a") act(() => s.select(s.history.present.nodes.map((n) => n.id ?? "")));
        else if (key === "l") act(relayout);
        else if (key === "f") act(() => s.setFinding("find"));
        return;
      }
      if (e.altKey && e.shiftKey) {
        const aligned: Record<string, () => void> = {
          l: () => align("left"),
          r: () => align("right"),
          t: () => align("top"),
          b: () => align("bottom"),
          h: () => distribute("x"),
          v: () => distribute("y"),
        };
        if (aligned[key]) act(aligned[key]);
        return;
      }
      if (e.key.startsWith("Arrow")) {
        const dx = e.key === "ArrowLeft" ? -1 : e.key === "ArrowRight" ? 1 : 0;
        const dy = e.key === "ArrowUp" ? -1 : e.key === "ArrowDown" ? 1 : 0;
        if (e.altKey) return act(() => selectNearest(dx, dy));
        if (s.selectedNodes.length === 0) return;
        const step = e.shiftKey ? 100 : 20;
        return act(() => moveSelection(dx * step, dy * step));
      }
      // Tab moves focus between controls as usual; on the canvas it adds a node.
      const onCanvas =
        e.target === document.body || !!(e.target as HTMLElement | null)?.closest?.(".canvas");
      if (e.key === "Tab" && !e.shiftKey && onCanvas) return act(openPicker);
      if (e.key === "?") return act(() => s.setHelpOpen(true));
      if (e.key === "Escape") return act(() => (s.select([]), s.setSettingsOpen(false)));
      if (e.key === "F2" && nodes.length === 1) return act(() => renameNode(nodes[0]));
      if (e.key === "Enter" && nodes.length === 1) return act(focusInspector);
      if (e.key === "Enter" && s.selectedNodes.length === 1 && doc.isNote(s.selectedNodes[0]))
        return act(() => s.setEditingNote(doc.noteId(s.selectedNodes[0])));
      if (e.shiftKey && key === "s") return act(() => addNote());
      if (key === "c" && nodes.length === 1) return act(() => s.setFinding("connect"));
      if (key === "1") return act(() => fit(200));
      if (key === "+" || key === "=") return act(() => zoomIn({ duration: 150 }));
      if (key === "-") return act(() => zoomOut({ duration: 150 }));
      if (key === "m") return act(() => s.toggleLayout("minimap"));
      if (key === "g") return act(() => s.toggleLayout("snap"));
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
