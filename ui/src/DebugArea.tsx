// The bottom area: a resize handle over the debug panel, wired to the store.

import { useCanvasActions } from "./canvas/useCanvasActions";
import { DebugPanel } from "./DebugPanel";
import { copyReport, saveReport } from "./hooks/useRun";
import { selectDirty, selectWorkflow, useStore } from "./store";

export function DebugArea() {
  const diagnostics = useStore((s) => s.inspection.diagnostics);
  const run = useStore((s) => s.run);
  const selectedNodes = useStore((s) => s.selectedNodes);
  const showTab = useStore((s) => s.showTab);
  const path = useStore((s) => s.path);
  const dirty = useStore(selectDirty);
  const panelHeight = useStore((s) => s.panelHeight);
  const workflowId = useStore((s) => selectWorkflow(s).id);
  const { select, clearRun, showReport, say, setPanelHeight } = useStore.getState();
  const open = useStore((s) => s.panelOpen);
  const { goToProblem } = useCanvasActions();
  return (
    <div className="debug-area">
      <div
        hidden={!open}
        className="resize-handle"
        title="Drag to resize"
        onMouseDown={(e) => {
          const startY = e.clientY;
          const move = (m: MouseEvent) =>
            setPanelHeight(Math.min(600, Math.max(90, panelHeight + startY - m.clientY)));
          const up = () => {
            window.removeEventListener("mousemove", move);
            window.removeEventListener("mouseup", up);
          };
          window.addEventListener("mousemove", move);
          window.addEventListener("mouseup", up);
        }}
      />
      <DebugPanel
        diagnostics={diagnostics}
        onProblem={goToProblem}
        run={run}
        selected={selectedNodes.length === 1 ? selectedNodes[0] : null}
        onSelectNode={(id) => select([id])}
        onCopy={copyReport}
        onSave={saveReport}
        onClear={clearRun}
        show={showTab}
        workflowPath={path}
        dirty={dirty}
        onShowRun={showReport}
        say={say}
        workflowId={workflowId}
        onRestored={(p, w) => useStore.getState().load(p, w, JSON.stringify(w))}
      />
    </div>
  );
}
