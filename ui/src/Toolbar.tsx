// The toolbar: files, history, layout, Run and Stop, and the workflow's title.

import { useCanvasActions } from "./canvas/useCanvasActions";
import * as files from "./hooks/useWorkspaceActions";
import { debugStep, openRun, stopRun } from "./hooks/useRun";
import { selectDirty, selectWorkflow, useStore } from "./store";
import { ServiceToggle } from "./history/ServiceToggle";

export function Toolbar() {
  const workflow = useStore(selectWorkflow);
  const dirty = useStore(selectDirty);
  const canUndo = useStore((s) => s.history.past.length > 0);
  const canRedo = useStore((s) => s.history.future.length > 0);
  const running = useStore((s) => s.run?.running ?? false);
  const paused = useStore((s) => s.run?.paused ?? null);
  const { undo, redo, select } = useStore.getState();
  const { relayout, fit } = useCanvasActions();
  return (
    <header className="toolbar">
      <strong className="brand">Flowbench</strong>
      <button name="new" onClick={files.newWorkflow}>
        New
      </button>
      <button name="open" onClick={files.openFile}>
        Open
      </button>
      <button name="save" onClick={files.save} title="Ctrl+S">
        Save
      </button>
      <button name="save-as" onClick={files.saveAs} title="Ctrl+Shift+S">
        Save As
      </button>
      <button name="import" onClick={files.importFile} title="A Flowbench or n8n workflow">
        Import
      </button>
      <button name="export" onClick={files.exportFile}>
        Export JSON
      </button>
      <span className="sep" />
      <button name="undo" onClick={undo} disabled={!canUndo} title="Ctrl+Z">
        Undo
      </button>
      <button name="redo" onClick={redo} disabled={!canRedo} title="Ctrl+Shift+Z">
        Redo
      </button>
      <button name="layout" onClick={relayout} title="Ctrl+L">
        Auto layout
      </button>
      <button name="fit" onClick={fit}>
        Fit view
      </button>
      <span className="sep" />
      {paused && (
        <>
          <button name="step" onClick={() => void debugStep("step")} title="F10">
            Step
          </button>
          <button name="continue" onClick={() => void debugStep("continue")} title="F5">
            Continue
          </button>
        </>
      )}
      {running ? (
        <button name="stop" className="danger" onClick={stopRun}>
          Stop
        </button>
      ) : (
        <button name="run" className="primary" onClick={openRun}>
          Run
        </button>
      )}
      <button name="settings" onClick={() => select([])}>
        Workflow settings
      </button>
      <ServiceToggle />
      <span className="title" data-testid="title">
        {workflow.name ?? workflow.id}
        {dirty && (
          <span className="unsaved" title="Unsaved changes">
            {" "}
            ● unsaved
          </span>
        )}
      </span>
    </header>
  );
}
