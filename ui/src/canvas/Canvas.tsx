// The canvas: the open workflow drawn with React Flow. Positions and sizes are
// React Flow's; the workflow, the selection and the run come from the store.

import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
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
import { toFlowEdges, toFlowNodes, type NodeData } from "../flow";
import { WorkflowNode } from "../nodes/WorkflowNode";
import { DRAG_TYPE } from "../Palette";
import { selectWorkflow, useStore } from "../store";
import { NodeMenu, type MenuAt } from "./NodeMenu";
import { useCanvasActions } from "./useCanvasActions";

const nodeTypes = { workflow: WorkflowNode };

export function Canvas() {
  const flow = useReactFlow<FlowNode<NodeData>, FlowEdge>();
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
  const { addNode, connect } = useCanvasActions();
  const [nodes, setNodes] = useState<FlowNode<NodeData>[]>([]);
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
    setNodes((prev) =>
      toFlowNodes(workflow, specs, inspection.ports, inspection.diagnostics, prev, run?.nodes, {
        breakpoints,
        paused: run?.paused ?? null,
        pinned: usePins ? Object.keys(pins) : [],
      }),
    );
    setEdges((prev) => toFlowEdges(workflow, inspection.diagnostics, prev, run?.edges));
  }, [workflow, inspection, specs, run, breakpoints, pins, usePins]);

  useEffect(() => {
    if (pendingFit.current && nodes.length > 0 && nodes.every((n) => n.measured)) {
      pendingFit.current = false;
      void flow.fitView({ padding: 0.15 });
    }
  }, [nodes, flow]);

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

  const onNodesChange = (changes: NodeChange<FlowNode<NodeData>>[]) => {
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
        onNodeContextMenu={(e, node) => {
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
        fitView
      >
        <Background />
        <MiniMap pannable zoomable />
        <Controls />
      </ReactFlow>
      {menu && <NodeMenu at={menu} onClose={() => setMenu(null)} />}
    </main>
  );
}
