// The Flowbench window: files, palette, canvas, inspector and problems.
// Every rule is the engine's: the app asks it to load, save, inspect and list.

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge as FlowEdge,
  type EdgeChange,
  type Node as FlowNode,
  type NodeChange,
} from "@xyflow/react";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { ask as askNative } from "@tauri-apps/plugin-dialog";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { errorText, ipc } from "./ipc/commands";
import { onRunEvent, onRunFinished } from "./ipc/events";
import { Ask, type Question } from "./Ask";
import type { Diagnostic } from "./bindings/Diagnostic";
import type { Inspection } from "./bindings/Inspection";
import type { Node } from "./bindings/Node";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { Workflow } from "./bindings/Workflow";
import type { WorkspaceEntry } from "./bindings/WorkspaceEntry";
import * as doc from "./doc";
import { toFlowEdges, toFlowNodes, type NodeData } from "./flow";
import { NodeInspector, WorkflowSettings } from "./Inspector";
import { autoLayout } from "./layout";
import { WorkflowNode } from "./nodes/WorkflowNode";
import { DRAG_TYPE, Palette } from "./Palette";
import { DebugPanel, type Tab } from "./DebugPanel";
import { RunDialog, type RunRequest } from "./RunDialog";
import { applyEvent, finish, startView, type RunView } from "./run";
import { Sidebar } from "./Sidebar";

const nodeTypes = { workflow: WorkflowNode };
const EMPTY: Workflow = { flowbench: 1, id: "untitled", nodes: [], edges: [] };

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

function Editor() {
  const flow = useReactFlow<FlowNode<NodeData>, FlowEdge>();
  const [catalogue, setCatalogue] = useState<NodeTypeSpec[]>([]);
  const specs = useMemo(() => new Map(catalogue.map((s) => [s.type, s])), [catalogue]);
  const [dir, setDir] = useState("");
  const [entries, setEntries] = useState<WorkspaceEntry[]>([]);
  const [path, setPath] = useState<string | null>(null);
  const [history, setHistory] = useState(() => doc.start(EMPTY));
  const [saved, setSaved] = useState(JSON.stringify(EMPTY));
  const [inspection, setInspection] = useState<Inspection>({ diagnostics: [], ports: {} });
  const [nodes, setNodes] = useState<FlowNode<NodeData>[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const [upstream, setUpstream] = useState<string[]>([]);
  const [toast, setToast] = useState<{ text: string; error: boolean } | null>(null);
  const [question, setQuestion] = useState<Question | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [asking, setAsking] = useState(false);
  const [panelHeight, setPanelHeight] = useState(200);
  const runHandle = useRef<string | null>(null);
  const [showTab, setShowTab] = useState<{ tab: Tab; at: number } | undefined>();
  const clipboard = useRef<doc.Clipboard | null>(null);
  const dragStart = useRef<Workflow | null>(null);
  // Fit the view once a newly opened workflow's nodes have been measured.
  const pendingFit = useRef(false);

  const workflow = history.present;
  const dirty = JSON.stringify(workflow) !== saved;
  const selectedNodes = nodes.filter((n) => n.selected).map((n) => n.id);
  const selectedEdges = edges.filter((e) => e.selected).map((e) => e.id);
  const selectedNode =
    selectedNodes.length === 1 ? workflow.nodes.find((n) => n.id === selectedNodes[0]) : undefined;

  const say = useCallback((text: string, error = false) => {
    setToast({ text, error });
    setTimeout(() => setToast((t) => (t?.text === text ? null : t)), error ? 6000 : 2500);
  }, []);
  const askUser = (q: Omit<Question, "resolve">) =>
    new Promise<string | null>((resolve) =>
      setQuestion({ ...q, resolve: (a) => (setQuestion(null), resolve(a)) }),
    );
  const change = useCallback(
    (f: (w: Workflow) => Workflow) => setHistory((h) => doc.edit(h, f)),
    [],
  );

  const refreshEntries = useCallback(async () => {
    try {
      setEntries(await ipc.listWorkflows());
    } catch (e) {
      say(errorText(e), true);
    }
  }, [say]);

  // Start: the catalogue, the workspace and its files.
  useEffect(() => {
    (async () => {
      try {
        setCatalogue(await ipc.catalogue());
        const d = await ipc.workspaceDir();
        setDir(d);
        await refreshEntries();
      } catch (e) {
        say(errorText(e), true);
      }
    })();
  }, [refreshEntries, say]);

  // After every edit, debounced: the engine's diagnostics and ports.
  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        setInspection(await ipc.inspect(workflow));
      } catch (e) {
        say(errorText(e), true);
      }
    }, 120);
    return () => clearTimeout(timer);
  }, [workflow, say]);

  useEffect(() => {
    setNodes((prev) =>
      toFlowNodes(workflow, specs, inspection.ports, inspection.diagnostics, prev, run?.nodes),
    );
    setEdges((prev) => toFlowEdges(workflow, inspection.diagnostics, prev, run?.edges));
  }, [workflow, inspection, specs, run]);

  // The engine's run events, forwarded by the shell, for the run this window started.
  useEffect(() => {
    if (!("__TAURI_INTERNALS__" in window)) return;
    const events = onRunEvent((m) => {
      if (m.handle === runHandle.current) setRun((r) => (r ? applyEvent(r, m.event) : r));
    });
    const finished = onRunFinished((m) => {
      if (m.handle !== runHandle.current) return;
      setRun((r) => (r ? finish(r, m.report, m.error?.message ?? null) : r));
      if (m.error) say(`Not run: ${m.error.message}`, true);
    });
    return () => {
      void events.then((f) => f());
      void finished.then((f) => f());
    };
  }, [say]);

  const triggerTypes = useMemo(
    () => new Set(catalogue.filter((s) => s.category === "trigger").map((s) => s.type)),
    [catalogue],
  );
  const openRun = () => {
    const errors = inspection.diagnostics.filter((d) => d.severity === "error").length;
    if (errors > 0) setShowTab({ tab: "problems", at: Date.now() });
    if (errors > 0)
      return say(
        `Cannot run: the workflow has ${errors} error(s); the Problems list says why`,
        true,
      );
    setAsking(true);
  };
  const startRun = async (r: RunRequest) => {
    setAsking(false);
    const handle = crypto.randomUUID();
    runHandle.current = handle;
    setRun(startView(handle));
    try {
      await ipc.startRun(handle, {
        workflow,
        path,
        input: r.input,
        trigger: r.trigger,
        vars: r.vars,
      });
    } catch (e) {
      setRun((v) => (v ? finish(v, null, errorText(e)) : v));
      say(errorText(e), true);
    }
  };
  const stopRun = () => run && void ipc.stopRun(run.handle);
  const copyReport = async () => {
    if (!run?.report) return;
    await navigator.clipboard.writeText(JSON.stringify(run.report, null, 2));
    say("Run report copied");
  };
  const saveReport = async () => {
    if (!run?.report) return;
    try {
      const p = await ipc.saveReport(run.report);
      if (p) say(`Saved the report to ${p}`);
    } catch (e) {
      say(errorText(e), true);
    }
  };
  const selectNode = (id: string) =>
    setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === id })));

  useEffect(() => {
    if (!selectedNode?.id) return setUpstream([]);
    ipc.upstream(workflow, selectedNode.id).then(setUpstream, () => setUpstream([]));
  }, [workflow, selectedNode?.id]);

  const confirmDiscard = async () =>
    !dirty ||
    (await askUser({
      title: "Discard unsaved changes?",
      message: `${workflow.id} has changes that are not saved.`,
      confirm: "Discard",
    })) !== null;

  const load = async (p: string | null, w: Workflow, savedText: string) => {
    setHistory(doc.start(w));
    setSaved(savedText);
    setPath(p);
    setNodes([]);
    setEdges([]);
    pendingFit.current = true;
  };

  useEffect(() => {
    if (pendingFit.current && nodes.length > 0 && nodes.every((n) => n.measured)) {
      pendingFit.current = false;
      void flow.fitView({ padding: 0.15 });
    }
  }, [nodes, flow]);

  const openPath = async (p: string) => {
    if (!(await confirmDiscard())) return;
    try {
      const w = await ipc.openWorkflow(p);
      await load(p, w, JSON.stringify(w));
    } catch (e) {
      say(`Cannot open: ${errorText(e)}`, true);
    }
  };

  const saveTo = async (p: string) => {
    try {
      await ipc.saveWorkflow(p, workflow);
      setSaved(JSON.stringify(workflow));
      setPath(p);
      say(`Saved ${p}`);
      await refreshEntries();
    } catch (e) {
      say(`Not saved: ${errorText(e)}`, true);
    }
  };
  const saveAs = async () => {
    try {
      const p = await ipc.chooseAndSave(workflow);
      if (!p) return;
      setSaved(JSON.stringify(workflow));
      setPath(p);
      say(`Saved ${p}`);
      await refreshEntries();
    } catch (e) {
      say(`Not saved: ${errorText(e)}`, true);
    }
  };
  const save = async () => (path ? saveTo(path) : saveAs());

  // Files elsewhere come and go through the shell's native dialogs only.
  const openFile = async () => {
    if (!(await confirmDiscard())) return;
    try {
      const opened = await ipc.chooseAndOpen();
      if (!opened) return;
      // A file outside the workspace opens its folder as the workspace.
      setDir(opened.workspace);
      await refreshEntries();
      await load(opened.path, opened.workflow, JSON.stringify(opened.workflow));
    } catch (e) {
      say(`Cannot open: ${errorText(e)}`, true);
    }
  };
  const importFile = async () => {
    if (!(await confirmDiscard())) return;
    try {
      const w = await ipc.importWorkflow();
      if (!w) return;
      // An import becomes a new, unsaved workflow: Save puts it in the workspace.
      await load(null, w, "");
      say(`Imported ${w.id}; save to keep it`);
    } catch (e) {
      say(`Cannot import: ${errorText(e)}`, true);
    }
  };
  const exportFile = async () => {
    try {
      const p = await ipc.exportWorkflow(workflow);
      if (p) say(`Exported to ${p}`);
    } catch (e) {
      say(`Not exported: ${errorText(e)}`, true);
    }
  };
  const newWorkflow = async () => {
    if (!(await confirmDiscard())) return;
    const id = await askUser({
      title: "New workflow",
      message: "Its id: lowercase letters, digits and '-'.",
      input: "",
      confirm: "Create",
    });
    if (!id) return;
    try {
      const p = await ipc.createWorkflow(id);
      await refreshEntries();
      const w = await ipc.openWorkflow(p);
      await load(p, w, JSON.stringify(w));
    } catch (e) {
      say(errorText(e), true);
    }
  };
  const renameEntry = async (entry: WorkspaceEntry) => {
    const id = await askUser({
      title: `Rename ${entry.file}`,
      input: entry.id ?? entry.file,
      confirm: "Rename",
    });
    if (!id) return;
    try {
      const p = await ipc.renameWorkflow(entry.path, id);
      if (entry.path === path) {
        setPath(p);
        change((w) => ({ ...w, id }));
        setSaved(JSON.stringify({ ...workflow, id }));
      }
      await refreshEntries();
    } catch (e) {
      say(errorText(e), true);
    }
  };
  const deleteEntry = async (entry: WorkspaceEntry) => {
    if (
      (await askUser({
        title: `Delete ${entry.file}?`,
        message: entry.path,
        confirm: "Delete",
      })) === null
    )
      return;
    try {
      await ipc.deleteWorkflow(entry.path);
      if (entry.path === path) setPath(null);
      await refreshEntries();
    } catch (e) {
      say(errorText(e), true);
    }
  };

  const addNode = (spec: NodeTypeSpec, at?: { x: number; y: number }) => {
    const center =
      at ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
    let added = "";
    change((w) => {
      const r = doc.addNode(w, spec, center);
      added = r.id;
      return r.workflow;
    });
    setTimeout(() => setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === added }))), 0);
  };

  const onConnect = async (c: Connection) => {
    if (!c.source || !c.target) return;
    const { workflow: candidate, id } = doc.connect(
      workflow,
      c.source,
      c.sourceHandle ?? "out",
      c.target,
    );
    // The engine decides: an edge that brings a new error is refused, with the reason.
    try {
      const fresh = await ipc.checkConnection(candidate, id);
      if (fresh) return say(`Cannot connect: ${fresh.message}`, true);
      change(() => candidate);
    } catch (e) {
      say(errorText(e), true);
    }
  };

  const relayout = () => {
    const sizes = new Map(
      nodes.map((n) => [
        n.id,
        { width: n.measured?.width ?? 180, height: n.measured?.height ?? 70 },
      ]),
    );
    change((w) => doc.moveNodes(w, autoLayout(w, sizes)));
    setTimeout(() => flow.fitView({ padding: 0.2 }), 50);
  };

  const selectProblem = (d: Diagnostic) => {
    setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === d.node })));
    setEdges((es) => es.map((e) => ({ ...e, selected: e.id === d.edge })));
    if (d.node) {
      const n = nodes.find((x) => x.id === d.node);
      if (n)
        flow.setCenter(n.position.x + 90, n.position.y + 35, {
          zoom: flow.getZoom(),
          duration: 200,
        });
    }
  };

  // Keyboard shortcuts for the common actions.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === "s") {
        e.preventDefault();
        if (e.shiftKey) void saveAs();
        else void save();
        return;
      }
      if (editingText(e.target)) return;
      if (key === "z" && !e.shiftKey) (e.preventDefault(), setHistory(doc.undo));
      else if ((key === "z" && e.shiftKey) || key === "y")
        (e.preventDefault(), setHistory(doc.redo));
      else if (key === "c") clipboard.current = doc.copy(workflow, selectedNodes);
      else if (key === "v" && clipboard.current) {
        const clip = clipboard.current;
        let ids: string[] = [];
        change((w) => {
          const r = doc.paste(w, clip);
          ids = r.ids;
          return r.workflow;
        });
        setTimeout(
          () => setNodes((ns) => ns.map((n) => ({ ...n, selected: ids.includes(n.id) }))),
          0,
        );
      } else if (key === "l") (e.preventDefault(), relayout());
      else if (key === "o") (e.preventDefault(), void openFile());
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  // The guard on closing with unsaved changes.
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => {
    if (!("__TAURI_INTERNALS__" in window)) return;
    const unlisten = getCurrentWindow().onCloseRequested(async (event) => {
      if (!dirtyRef.current) return;
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

  return (
    <div className="app" style={{ gridTemplateRows: `40px 1fr ${panelHeight}px` }}>
      <header className="toolbar">
        <strong className="brand">Flowbench</strong>
        <button name="new" onClick={newWorkflow}>
          New
        </button>
        <button name="open" onClick={openFile}>
          Open
        </button>
        <button name="save" onClick={save} title="Ctrl+S">
          Save
        </button>
        <button name="save-as" onClick={saveAs} title="Ctrl+Shift+S">
          Save As
        </button>
        <button name="import" onClick={importFile}>
          Import JSON
        </button>
        <button name="export" onClick={exportFile}>
          Export JSON
        </button>
        <span className="sep" />
        <button
          name="undo"
          onClick={() => setHistory(doc.undo)}
          disabled={history.past.length === 0}
          title="Ctrl+Z"
        >
          Undo
        </button>
        <button
          name="redo"
          onClick={() => setHistory(doc.redo)}
          disabled={history.future.length === 0}
          title="Ctrl+Shift+Z"
        >
          Redo
        </button>
        <button name="layout" onClick={relayout} title="Ctrl+L">
          Auto layout
        </button>
        <button name="fit" onClick={() => flow.fitView({ padding: 0.2 })}>
          Fit view
        </button>
        <span className="sep" />
        {run?.running ? (
          <button name="stop" className="danger" onClick={stopRun}>
            Stop
          </button>
        ) : (
          <button name="run" className="primary" onClick={openRun}>
            Run
          </button>
        )}
        <button
          name="settings"
          onClick={() => setNodes((ns) => ns.map((n) => ({ ...n, selected: false })))}
        >
          Workflow settings
        </button>
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
      <Sidebar
        dir={dir}
        entries={entries}
        current={path}
        onOpen={openPath}
        onNew={newWorkflow}
        onRename={renameEntry}
        onDelete={deleteEntry}
      />
      <Palette catalogue={catalogue} onAdd={(s) => addNode(s)} />
      <main
        className="canvas"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        }}
        onDrop={(e) => {
          const spec = specs.get(e.dataTransfer.getData(DRAG_TYPE));
          if (spec) addNode(spec, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
        }}
      >
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          onNodesChange={(changes: NodeChange<FlowNode<NodeData>>[]) =>
            setNodes((ns) => applyNodeChanges(changes, ns))
          }
          onEdgesChange={(changes: EdgeChange[]) => setEdges((es) => applyEdgeChanges(changes, es))}
          onNodeDragStart={() => (dragStart.current = workflow)}
          onNodeDragStop={(_, __, dragged) => {
            const positions = Object.fromEntries(dragged.map((n) => [n.id, n.position]));
            const before = dragStart.current ?? workflow;
            setHistory((h) =>
              doc.commitFrom({ ...h, present: doc.moveNodes(h.present, positions) }, before),
            );
          }}
          onDelete={({ nodes: ns, edges: es }) =>
            change((w) =>
              doc.remove(
                w,
                ns.map((n) => n.id),
                es.map((e) => e.id),
              ),
            )
          }
          onConnect={onConnect}
          isValidConnection={(c) => c.source !== c.target}
          deleteKeyCode={["Delete", "Backspace"]}
          minZoom={0.05}
          connectionRadius={40}
          multiSelectionKeyCode={["Shift", "Meta", "Control"]}
          fitView
        >
          <Background />
          <MiniMap pannable zoomable />
          <Controls />
        </ReactFlow>
      </main>
      <aside className="side">
        {selectedNode ? (
          <NodeInspector
            key={selectedNode.id}
            node={selectedNode}
            spec={specs.get(selectedNode.type ?? "")}
            upstream={upstream}
            onChange={(n: Node) => change((w) => doc.updateNode(w, selectedNode.id ?? "", n))}
          />
        ) : selectedNodes.length > 1 || selectedEdges.length > 0 ? (
          <div className="inspector">
            <h2>
              {selectedNodes.length} nodes, {selectedEdges.length} edges selected
            </h2>
            <p className="help">Delete removes them; Ctrl+C and Ctrl+V copy them.</p>
          </div>
        ) : (
          <WorkflowSettings workflow={workflow} onChange={(w) => change(() => w)} />
        )}
      </aside>
      <div className="debug-area">
        <div
          className="resize-handle"
          title="Drag to resize"
          onMouseDown={(e) => {
            const startY = e.clientY;
            const startHeight = panelHeight;
            const move = (m: MouseEvent) =>
              setPanelHeight(Math.min(600, Math.max(90, startHeight + startY - m.clientY)));
            const up = () => {
              window.removeEventListener("mousemove", move);
              window.removeEventListener("mouseup", up);
            };
            window.addEventListener("mousemove", move);
            window.addEventListener("mouseup", up);
          }}
        />
        <DebugPanel
          diagnostics={inspection.diagnostics}
          onProblem={selectProblem}
          run={run}
          selected={selectedNodes.length === 1 ? selectedNodes[0] : null}
          onSelectNode={selectNode}
          onCopy={copyReport}
          onSave={saveReport}
          onClear={() => setRun(null)}
          show={showTab}
          workflowPath={path}
          dirty={dirty}
          onShowRun={(report) => {
            // A case's run shows on the canvas and in the panel like any other.
            runHandle.current = null;
            setRun(finish(startView(`case:${report.runId}`), report, null));
          }}
          say={say}
        />
      </div>
      {toast && (
        <div className={`toast${toast.error ? " error" : ""}`} role="status">
          {toast.text}
        </div>
      )}
      {question && <Ask question={question} />}
      {asking && (
        <RunDialog
          workflow={workflow}
          triggerTypes={triggerTypes}
          onRun={startRun}
          onCancel={() => setAsking(false)}
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
