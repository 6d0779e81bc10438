// The toolbar: the workflow list and the start screen, files, history, adding
// nodes and notes, layout, alignment of a multiple selection, Run and Stop,
// the workflow's settings, the shortcuts, and the workflow's title.

import {
  AlignHorizontalJustifyStart,
  AlignVerticalJustifyStart,
  AlignHorizontalSpaceAround,
  AlignVerticalSpaceAround,
  Keyboard,
  LayoutGrid,
  type LucideIcon,
  Maximize,
  PanelLeft,
  Plus,
  Redo2,
  Search,
  Settings,
  StickyNote,
  Undo2,
} from "lucide-react";
import { useCanvasActions } from "./canvas/useCanvasActions";
import * as doc from "./doc";
import * as files from "./hooks/useWorkspaceActions";
import { debugStep, openRun, stopRun } from "./hooks/useRun";
import { selectDirty, selectWorkflow, useStore } from "./store";
import { ServiceToggle } from "./history/ServiceToggle";

type Arrange = ReturnType<typeof useCanvasActions>;
/** The buttons shown with two or more nodes selected: name, label, keys, icon, action. */
const ALIGN_BUTTONS: [
  string,
  string,
  string,
  LucideIcon,
  (a: Pick<Arrange, "align" | "distribute">) => void,
][] = [
  ["align-left", "Align left", "Alt+Shift+L", AlignHorizontalJustifyStart, (a) => a.align("left")],
  ["align-top", "Align top", "Alt+Shift+T", AlignVerticalJustifyStart, (a) => a.align("top")],
  [
    "distribute-x",
    "Distribute horizontally",
    "Alt+Shift+H",
    AlignHorizontalSpaceAround,
    (a) => a.distribute("x"),
  ],
  [
    "distribute-y",
    "Distribute vertically",
    "Alt+Shift+V",
    AlignVerticalSpaceAround,
    (a) => a.distribute("y"),
  ],
];

export function Toolbar() {
  const workflow = useStore(selectWorkflow);
  const dirty = useStore(selectDirty);
  const home = useStore((s) => s.home);
  const canUndo = useStore((s) => s.history.past.length > 0);
  const canRedo = useStore((s) => s.history.future.length > 0);
  const running = useStore((s) => s.run?.running ?? false);
  const paused = useStore((s) => s.run?.paused ?? null);
  const sidebarOpen = useStore((s) => s.sidebarOpen);
  const settingsOpen = useStore((s) => s.settingsOpen);
  const many = useStore((s) => s.selectedNodes.filter((id) => !doc.isNote(id)).length);
  const { undo, redo, select, toggleLayout, setHome, setSettingsOpen, setHelpOpen } =
    useStore.getState();
  const { relayout, fit, openPicker, addNote, align, distribute } = useCanvasActions();
  return (
    <header className="toolbar">
      <button
        name="show-workflows"
        data-action="show-workflows"
        className={`icon${sidebarOpen ? " active" : ""}`}
        aria-pressed={sidebarOpen}
        title="Show or hide the workflow list (Ctrl+B)"
        onClick={() => toggleLayout("sidebar")}
      >
        <PanelLeft size={16} aria-hidden="true" />
      </button>
      <button name="home" className="brand" title="The start screen" onClick={() => setHome(true)}>
        Flowbench
      </button>
      <button name="new" onClick={files.newWorkflow}>
        New
      </button>
      <button name="open" onClick={files.openFile} title="Ctrl+O">
        Open
      </button>
      <button name="save" onClick={files.save} title="Ctrl+S" disabled={home}>
        Save
      </button>
      <button name="save-as" onClick={files.saveAs} title="Ctrl+Shift+S" disabled={home}>
        Save As
      </button>
      <button name="import" onClick={files.importFile} title="A Flowbench or n8n workflow">
        Import
      </button>
      <button name="export" onClick={files.exportFile} disabled={home}>
        Export
      </button>
      {!home && (
        <>
          <span className="sep" />
          <button
            name="undo"
            className="icon"
            onClick={undo}
            disabled={!canUndo}
            title="Undo (Ctrl+Z)"
          >
            <Undo2 size={16} aria-label="Undo" />
          </button>
          <button
            name="redo"
            className="icon"
            onClick={redo}
            disabled={!canRedo}
            title="Redo (Ctrl+Shift+Z)"
          >
            <Redo2 size={16} aria-label="Redo" />
          </button>
          <button name="add-node" onClick={openPicker} title="Add a node (Tab)">
            <Plus size={14} aria-hidden="true" /> Node
          </button>
          <button name="add-note" onClick={() => addNote()} title="Add a sticky note (Shift+S)">
            <StickyNote size={14} aria-hidden="true" /> Note
          </button>
          <button
            name="find-node"
            className="icon"
            title="Find a node (Ctrl+F)"
            onClick={() => useStore.getState().setFinding("find")}
          >
            <Search size={16} aria-label="Find a node" />
          </button>
          <button name="layout" className="icon" onClick={relayout} title="Auto layout (Ctrl+L)">
            <LayoutGrid size={16} aria-label="Auto layout" />
          </button>
          <button
            name="fit"
            data-action="fit-view"
            className="icon"
            onClick={() => void fit(200)}
            title="Fit view (1)"
          >
            <Maximize size={16} aria-label="Fit view" />
          </button>
          {many >= 2 && (
            <span className="align-group" aria-label="Align">
              {ALIGN_BUTTONS.map(([name, label, keys, Icon, act]) => (
                <button
                  key={name}
                  name={name}
                  className="icon"
                  title={`${label} (${keys})`}
                  onClick={() => act({ align, distribute })}
                >
                  <Icon size={16} aria-label={label} />
                </button>
              ))}
            </span>
          )}
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
            <button name="run" className="primary" onClick={openRun} title="Ctrl+Enter">
              Run
            </button>
          )}
          <button
            name="settings"
            className={`icon${settingsOpen ? " active" : ""}`}
            aria-pressed={settingsOpen}
            title="Workflow settings (Ctrl+,)"
            onClick={() => {
              select([]);
              setSettingsOpen(!settingsOpen);
            }}
          >
            <Settings size={16} aria-label="Workflow settings" />
          </button>
        </>
      )}
      <ServiceToggle />
      <button
        name="shortcuts"
        className="icon"
        title="Keyboard shortcuts (?)"
        onClick={() => setHelpOpen(true)}
      >
        <Keyboard size={16} aria-label="Keyboard shortcuts" />
      </button>
      {!home && (
        <span className="title" data-testid="title">
          {workflow.name ?? workflow.id}
          {dirty && (
            <span className="unsaved" title="Unsaved changes">
              {" "}
              ● unsaved
            </span>
          )}
        </span>
      )}
    </header>
  );
}
