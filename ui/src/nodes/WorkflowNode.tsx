// How a node looks on the canvas: colour by category, its name and type,
// badges for problems, and one handle per output port.

import { Handle, Position, type NodeProps, type Node } from "@xyflow/react";
import type { NodeData } from "../flow";
import { ICONS } from "./icons";
import { counted } from "../Problems";

export function WorkflowNode({ data, selected }: NodeProps<Node<NodeData>>) {
  return (
    <div
      className={`wf-node cat-${data.category}${selected ? " selected" : ""}${data.disabled ? " disabled" : ""}${data.runStatus ? ` run-${data.runStatus}` : ""}`}
      data-node-id={data.id}
      data-run-status={data.runStatus}
      data-breakpoint={data.breakpoint ? "on" : undefined}
    >
      {data.breakpoint && <span className="breakpoint-dot" title="Breakpoint (F9)" />}
      {data.hasInput && <Handle type="target" position={Position.Left} id="in" />}
      <div className="wf-node-head">
        {(() => {
          const Icon = ICONS[data.type];
          return Icon ? <Icon className="wf-node-icon" size={16} aria-hidden="true" /> : null;
        })()}
        <span className="wf-node-label" data-role="node-name">
          {data.label}
        </span>
        {data.pinned && (
          <span className="badge badge-pin" title="Its pinned output stands in: it does not run">
            pinned
          </span>
        )}
        {data.errors > 0 && (
          <span className="badge badge-error" title={counted(data.errors, "error")}>
            {data.errors}
          </span>
        )}
        {data.warnings > 0 && (
          <span className="badge badge-warning" title={counted(data.warnings, "warning")}>
            {data.warnings}
          </span>
        )}
      </div>
      <div className="wf-node-type">
        {data.type}
        {data.runStatus && (
          <span className="run-badge">
            {data.runStatus}
            {data.durationMs != null && ` · ${data.durationMs} ms`}
          </span>
        )}
      </div>
      {data.summary && (
        <div className="wf-node-summary" title={data.summary}>
          {data.summary}
        </div>
      )}
      <div className="wf-node-ports">
        {data.ports.map((port) => (
          <div key={port} className={`wf-port port-${port}`}>
            {data.ports.length > 1 && <span>{port}</span>}
            <Handle type="source" position={Position.Right} id={port} data-port={port} />
          </div>
        ))}
      </div>
    </div>
  );
}
