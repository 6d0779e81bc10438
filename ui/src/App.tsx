// The editor's window: the toolbar, the workspace's files, the canvas (or the
// start screen), the inspector when something is selected, and the debug
// panel. Panels collapse so that the canvas gets the window. State lives in
// the store (./store); each part reads what it needs.

import { ReactFlowProvider } from "@xyflow/react";
import { Ask } from "./Ask";
import { Canvas } from "./canvas/Canvas";
import { DebugArea } from "./DebugArea";
import * as files from "./hooks/useWorkspaceActions";
import { useEditorEffects } from "./hooks/useEditorEffects";
import { startRun, useRunEvents } from "./hooks/useRun";
import { ImportDialog } from "./ImportDialog";
import { InspectorPane } from "./InspectorPane";
import { Interrupted } from "./history/Interrupted";
import { NodePicker } from "./canvas/NodePicker";
import { FindNode } from "./canvas/FindNode";
import { Shortcuts } from "./Shortcuts";
import { StartScreen } from "./StartScreen";
import { isNote } from "./doc";
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
  const panelOpen = useStore((s) => s.panelOpen);
  const sidebarOpen = useStore((s) => s.sidebarOpen);
  const home = useStore((s) => s.home);
  const inspectorShown = useStore(
    (s) =>
      !s.home &&
      (s.settingsOpen || s.selectedNodes.some((id) => !isNote(id)) || s.selectedEdges.length > 0),
  );
  const helpOpen = useStore((s) => s.helpOpen);
  const toast = useStore((s) => s.toast);
  const question = useStore((s) => s.question);
  const askingRun = useStore((s) => s.askingRun);
  const triggerTypes = useMemo(
    () => new Set(catalogue.filter((s) => s.category === "trigger").map((s) => s.type)),
    [catalogue],
  );

  return (
    <div
      className="app"
      style={{
        gridTemplateRows: `40px minmax(0, 1fr) ${panelOpen && !home ? `${panelHeight}px` : "auto"}`,
        gridTemplateColumns: `${sidebarOpen ? "180px" : "0"} minmax(0, 1fr) ${inspectorShown ? "340px" : "0"}`,
      }}
    >
      <Toolbar />
      {sidebarOpen && (
        <Sidebar
          dir={dir}
          entries={entries}
          current={path}
          onOpen={files.openPath}
          onNew={files.newWorkflow}
          onRename={files.renameEntry}
          onDelete={files.deleteEntry}
        />
      )}
      {home ? <StartScreen /> : <Canvas />}
      {inspectorShown && <InspectorPane />}
      {!home && <DebugArea />}
      <NodePicker />
      <FindNode />
      {helpOpen && <Shortcuts />}
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
