// A node's context menu on the canvas: the debugger's actions on it.

import { pinAsJson, runFromHere, toggleBreakpoint, togglePin } from "../hooks/useRun";
import { useStore } from "../store";

export type MenuAt = { node: string; x: number; y: number };

export function NodeMenu({ at, onClose }: { at: MenuAt; onClose: () => void }) {
  const breakpoint = useStore((s) => s.breakpoints.includes(at.node));
  const pinned = useStore((s) => at.node in s.pins);
  const canRerun = useStore((s) => !!s.run?.report && !s.run.running);
  const act = (f: () => unknown) => () => {
    onClose();
    void f();
  };
  return (
    <div
      className="node-menu"
      role="menu"
      style={{ left: at.x, top: at.y }}
      onMouseLeave={onClose}
      data-node={at.node}
    >
      <button name="menu-breakpoint" onClick={act(() => toggleBreakpoint(at.node))}>
        {breakpoint ? "Clear breakpoint" : "Set breakpoint"} <kbd>F9</kbd>
      </button>
      <button name="menu-pin" onClick={act(() => togglePin(at.node))}>
        {pinned ? "Unpin" : "Pin output of the shown run"}
      </button>
      <button name="menu-pin-json" onClick={act(() => pinAsJson(at.node))}>
        Pin output as JSON…
      </button>
      {canRerun && (
        <button name="menu-run-from-here" onClick={act(() => runFromHere(at.node))}>
          Run from here
        </button>
      )}
    </div>
  );
}
