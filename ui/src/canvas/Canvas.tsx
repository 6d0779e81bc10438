// The canvas: the open workflow drawn with React Flow. Positions and sizes are
// React Flow's; the workflow, the selection and the run come from the store.

import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Edge as FlowEdge,
  type EdgeChange,
  type Node as FlowNode,
  type NodeChange,
} from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import type { Workflow } from "../bindings/Workflow";
import * as doc from "../doc";
import { toFlowEdges, toFlowNodes, toNoteNodes, type NodeData } from "../flow";
import { NoteNode, type NoteData } from "../nodes/NoteNode";
import { WorkflowNode } from "../nodes/WorkflowNode";
import { selectWorkflow, useStore } from "../store";
import { NodeMenu, type MenuAt } from "./NodeMenu";
import { useCanvasActions } from "./useCanvasActions";

const nodeTypes = { workflow: WorkflowNode, note: NoteNode };

type Drawn = FlowNode<NodeData> | FlowNode<NoteData>;

export function Canvas() {
  const flow = useReactFlow<Drawn, FlowEdge>();
  const workflow = useStore(selectWorkflow);
  const specs = useStore((s) => s.specs);
  const inspection = useStore((s) => s.inspection);
  const run = useStore((s) => s.run);
  const breakpoints = useStore((s) => s.breakpoints);
  const pins = useStore((s) => s.pins);
  const usePins = useStore((s) => s.usePins);
  const loads = useStore((s) => s.loads);
  const selectedNodes = useStore((s) => s.selectedNodes);
  const selectedEdges = useStore((s) => s.selectedEdges);
  const minimap = useStore((s) => s.minimap);
  const snap = useStore((s) => s.snap);
  const { connect, fit } = useCanvasActions();
  const [nodes, setNodes] = useState<Drawn[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const dragStart = useRef<Workflow | null>(null);
  const [menu, setMenu] = useState<MenuAt | null>(null);

  // Fit the view once a newly opened workflow's nodes have been measured.
  const pendingFit = useRef(false);

  // A newly opened workflow starts from no drawn nodes: declared before the
  // drawing below, so that it clears first.
  useEffect(() => {
    pendingFit.current = true;
    setNodes([]);
    setEdges([]);
  }, [loads]);

  useEffect(() => {
    setNodes((prev) => [
      ...toNoteNodes(workflow, prev),
      ...toFlowNodes(
        workflow,
        specs,
        inspection.ports,
        inspection.diagnostics,
        prev as FlowNode<NodeData>[],
        run?.nodes,
        {
          breakpoints,
          paused: run?.paused ?? null,
          pinned: usePins ? Object.keys(pins) : [],
        },
      ),
    ]);
    setEdges((prev) => toFlowEdges(workflow, inspection.diagnostics, prev, run?.edges));
  }, [workflow, inspection, specs, run, breakpoints, pins, usePins]);

  useEffect(() => {
    if (pendingFit.current && nodes.length > 0 && nodes.every((n) => n.measured)) {
      pendingFit.current = false;
      void fit();
    }
  }, [nodes, fit]);

  // The selection is the store's. React Flow's node objects carry a copy of
  // it for drawing: changed only where it differs, so that every other node
  // object keeps its identity and React Flow redraws nothing else.
  useEffect(() => {
    const selected = new Set(selectedNodes);
    setNodes((ns) =>
      ns.some((n) => !!n.selected !== selected.has(n.id))
        ? ns.map((n) => (!!n.selected === selected.has(n.id) ? n : { ...n, selected: !n.selected }))
        : ns,
    );
  }, [selectedNodes, nodes.length]);
  useEffect(() => {
    const selected = new Set(selectedEdges);
    setEdges((es) =>
      es.some((e) => !!e.selected !== selected.has(e.id))
        ? es.map((e) => (!!e.selected === selected.has(e.id) ? e : { ...e, selected: !e.selected }))
        : es,
    );
  }, [selectedEdges, edges.length]);

  const onNodesChange = (changes: NodeChange<Drawn>[]) => {
    const { toggle } = useStore.getState();
    for (const c of changes) if (c.type === "select") toggle("node", c.id, c.selected);
    setNodes((ns) => applyNodeChanges(changes, ns));
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    const { toggle } = useStore.getState();
    for (const c of changes) if (c.type === "select") toggle("edge", c.id, c.selected);
    setEdges((es) => applyEdgeChanges(changes, es));
  };

  return (
    <main
      className="canvas"
      onDoubleClick={(e) => {
        // On empty canvas only: a double-click on a node or a note is theirs.
        if (!(e.target as Element).classList.contains("react-flow__pane")) return;
        const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
        useStore.getState().setPicker({
          screen: { x: e.clientX, y: e.clientY },
          flow: { x: at.x - 110, y: at.y - 30 },
        });
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={() => (dragStart.current = useStore.getState().history.present)}
        onNodeDragStop={(_, __, dragged) => {
          const positions = Object.fromEntries(dragged.map((n) => [n.id, n.position]));
          const s = useStore.getState();
          s.commitMove(dragStart.current ?? s.history.present, positions);
        }}
        onDelete={({ nodes: ns, edges: es }) =>
          useStore.getState().change((w) =>
            doc.remove(
              w,
              ns.map((n) => n.id),
              es.map((e) => e.id),
            ),
          )
        }
        onConnect={connect}
        onConnectEnd={(e, state) => {
          // A connection dropped on empty canvas: pick the node it leads to.
          const target = e.target as Element | null;
          if (state.isValid || !state.fromNode || !target?.classList.contains("react-flow__pane"))
            return;
          const { clientX, clientY } = "changedTouches" in e ? e.changedTouches[0] : e;
          const at = flow.screenToFlowPosition({ x: clientX, y: clientY });
          const fromInput = state.fromHandle?.type === "target";
          useStore.getState().setPicker({
            screen: { x: clientX, y: clientY },
            flow: { x: fromInput ? at.x - 220 : at.x, y: at.y - 30 },
            ...(fromInput
              ? { to: state.fromNode.id }
              : { from: { node: state.fromNode.id, port: state.fromHandle?.id ?? "out" } }),
          });
        }}
        onNodeContextMenu={(e, node) => {
          if (doc.isNote(node.id)) return;
          e.preventDefault();
          useStore.getState().select([node.id]);
          setMenu({ node: node.id, x: e.clientX, y: e.clientY });
        }}
        onPaneClick={() => setMenu(null)}
        isValidConnection={(c) => c.source !== c.target}
        deleteKeyCode={["Delete", "Backspace"]}
        minZoom={0.05}
        connectionRadius={40}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        zoomOnDoubleClick={false}
        colorMode="system"
        snapToGrid={snap}
        snapGrid={[20, 20]}
        disableKeyboardA11y={false}
      >
        <Background gap={20} variant={snap ? BackgroundVariant.Lines : BackgroundVariant.Dots} />
        {minimap && (
          <MiniMap
            pannable
            zoomable
            style={{ width: 150, height: 96 }}
            nodeColor={(n) =>
              doc.isNote(n.id) ? `var(--note-${(n.data as NoteData).color})` : "#cbd5e1"
            }
            nodeStrokeColor={(n) => (doc.isNote(n.id) ? "rgb(0 0 0 / 25%)" : "transparent")}
            nodeStrokeWidth={2}
          />
        )}
        <Controls showInteractive={false} />
      </ReactFlow>
      {menu && <NodeMenu at={menu} onClose={() => setMenu(null)} />}
    </main>
  );
}
