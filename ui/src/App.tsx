// The editor's window: the toolbar, the workspace's files, the palette, the
// canvas, the inspector and the debug panel. State lives in the store
// (./store); each part reads what it needs.

import { ReactFlowProvider } from "@xyflow/react";
import { Ask } from "./Ask";
import { Canvas } from "./canvas/Canvas";
import { useCanvasActions } from "./canvas/useCanvasActions";
import { DebugArea } from "./DebugArea";
import * as files from "./hooks/useWorkspaceActions";
import { useEditorEffects } from "./hooks/useEditorEffects";
import { startRun, useRunEvents } from "./hooks/useRun";
import { ImportDialog } from "./ImportDialog";
import { InspectorPane } from "./InspectorPane";
import { Interrupted } from "./history/Interrupted";
import { Palette } from "./Palette";
import { RunDialog } from "./RunDialog";
import { Sidebar } from "./Sidebar";
import { selectWorkflow, useStore } from "./store";
import { Toolbar } from "./Toolbar";
import { useMemo } from "react";

function Editor() {
  useEditorEffects();
  useRunEvents();
  const workflow = useStore(selectWorkflow);
  const catalogue = useStore((s) => s.catalogue);
  const dir = useStore((s) => s.dir);
  const entries = useStore((s) => s.entries);
  const path = useStore((s) => s.path);
  const panelHeight = useStore((s) => s.panelHeight);
  const toast = useStore((s) => s.toast);
  const question = useStore((s) => s.question);
  const askingRun = useStore((s) => s.askingRun);
  const { addNode } = useCanvasActions();
  const triggerTypes = useMemo(
    () => new Set(catalogue.filter((s) => s.category === "trigger").map((s) => s.type)),
    [catalogue],
  );

  return (
    <div className="app" style={{ gridTemplateRows: `40px 1fr ${panelHeight}px` }}>
      <Toolbar />
      <Sidebar
        dir={dir}
        entries={entries}
        current={path}
        onOpen={files.openPath}
        onNew={files.newWorkflow}
        onRename={files.renameEntry}
        onDelete={files.deleteEntry}
      />
      <Palette catalogue={catalogue} onAdd={(s) => addNode(s)} />
      <Canvas />
      <InspectorPane />
      <DebugArea />
      {toast && (
        <div className={`toast${toast.error ? " error" : ""}`} role="status">
          {toast.text}
        </div>
      )}
      <ImportDialog />
      {question && <Ask question={question} />}
      <Interrupted onShowRun={(r) => useStore.getState().showReport(r)} />
      {askingRun && (
        <RunDialog
          workflow={workflow}
          triggerTypes={triggerTypes}
          onRun={startRun}
          onCancel={() => useStore.getState().setAskingRun(false)}
        />
      )}
    </div>
  );
}

export function App() {
  return (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  );
}
