// The right-hand pane, shown for a selection or when the workflow's settings
// are asked for: the selected node's form, a note on a multiple selection, or
// the workflow's settings.

import { useEffect, useState } from "react";
import type { Node } from "./bindings/Node";
import * as doc from "./doc";
import { counted } from "./Problems";
import { NodeInspector, WorkflowSettings } from "./Inspector";
import { runFromHere, toggleBreakpoint, togglePin } from "./hooks/useRun";
import { ipc } from "./ipc/commands";
import { selectWorkflow, useStore } from "./store";

export function InspectorPane() {
  const workflow = useStore(selectWorkflow);
  const specs = useStore((s) => s.specs);
  const selection = useStore((s) => s.selectedNodes);
  const selectedNodes = selection.filter((id) => !doc.isNote(id));
  const selectedEdges = useStore((s) => s.selectedEdges);
  const change = useStore((s) => s.change);
  const breakpoints = useStore((s) => s.breakpoints);
  const canRerun = useStore((s) => !!s.run?.report && !s.run.running);
  const pins = useStore((s) => s.pins);
  const selectedNode =
    selectedNodes.length === 1 ? workflow.nodes.find((n) => n.id === selectedNodes[0]) : undefined;
  // The nodes upstream of the selected one, for completing `$nodes.`.
  const [upstream, setUpstream] = useState<string[]>([]);
  useEffect(() => {
    if (!selectedNode?.id) return setUpstream([]);
    ipc.upstream(workflow, selectedNode.id).then(setUpstream, () => setUpstream([]));
  }, [workflow, selectedNode?.id]);

  const close = () => {
    useStore.getState().select([]);
    useStore.getState().setSettingsOpen(false);
  };
  return (
    <aside className="side" aria-label="Inspector">
      <button
        className="mini close-side"
        name="close-inspector"
        title="Close (Escape on the canvas)"
        onClick={close}
      >
        ✕
      </button>
      {selectedNode?.id && (
        <div className="node-actions">
          <button
            name="breakpoint"
            className={breakpoints.includes(selectedNode.id) ? "active" : ""}
            onClick={() => toggleBreakpoint(selectedNode.id ?? "")}
            title="Pause the run before this node (F9)"
          >
            {breakpoints.includes(selectedNode.id) ? "● Breakpoint" : "○ Breakpoint"}
          </button>
          <button
            name="pin"
            className={selectedNode.id in pins ? "active" : ""}
            onClick={() => void togglePin(selectedNode.id ?? "")}
            title="Pin this node's output from the shown run: runs from the canvas use it instead of running the node"
          >
            {selectedNode.id in pins ? "Unpin" : "Pin output"}
          </button>
          {canRerun && (
            <button
              name="run-from-here"
              onClick={() => void runFromHere(selectedNode.id ?? "")}
              title="Run this node and what follows; reuse the shown run's outputs for the rest"
            >
              Run from here
            </button>
          )}
        </div>
      )}
      {selectedNode ? (
        <NodeInspector
          key={selectedNode.id}
          node={selectedNode}
          spec={specs.get(selectedNode.type ?? "")}
          upstream={upstream}
          onChange={(n: Node) => change((w) => doc.updateNode(w, selectedNode.id ?? "", n))}
          workflowId={workflow.id}
        />
      ) : selectedNodes.length > 1 || selectedEdges.length > 0 ? (
        <div className="inspector">
          <h2>
            {counted(selectedNodes.length, "node")}, {counted(selectedEdges.length, "edge")}{" "}
            selected
          </h2>
          <p className="help">
            Delete removes them; Ctrl+C and Ctrl+V copy them, Ctrl+D duplicates; Alt+Shift+L, R, T,
            B align them, Alt+Shift+H and V spread them evenly.
          </p>
        </div>
      ) : (
        <WorkflowSettings workflow={workflow} onChange={(w) => change(() => w)} />
      )}
    </aside>
  );
}
