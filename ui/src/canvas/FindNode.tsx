// Find a node by name (Ctrl+F) and jump to it; the same list, opened with C,
// connects the selected node to the one chosen, from any of its ports.

import { useEffect, useMemo, useState } from "react";
import * as doc from "../doc";
import { selectWorkflow, useStore } from "../store";
import { listKeys } from "./listKeys";
import { useCanvasActions } from "./useCanvasActions";

type Choice = { node: string; label: string; type: string; port?: string };

export function FindNode() {
  const mode = useStore((s) => s.finding);
  const workflow = useStore(selectWorkflow);
  const ports = useStore((s) => s.inspection.ports);
  const selectedAll = useStore((s) => s.selectedNodes);
  const selected = selectedAll.filter((id) => !doc.isNote(id));
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const { goToNode, connect } = useCanvasActions();
  const source = mode === "connect" && selected.length === 1 ? selected[0] : null;

  const choices = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const out: Choice[] = [];
    const sourcePorts = source ? (ports[source] ?? ["out"]) : [undefined];
    for (const port of sourcePorts)
      for (const n of workflow.nodes) {
        if (n.id === source) continue;
        // The port is searched too: "error log" finds the error port into a log node.
        const text = `${port ?? ""} ${n.id} ${n.name ?? ""} ${n.type}`.toLowerCase();
        if (words.every((w) => text.includes(w)))
          out.push({ node: n.id ?? "", label: n.name || (n.id ?? ""), type: n.type ?? "", port });
      }
    return out;
  }, [workflow, query, mode, source, ports]);

  useEffect(() => {
    setQuery("");
    setActive(0);
  }, [mode]);
  if (!mode || (mode === "connect" && !source)) return null;

  const close = () => useStore.getState().setFinding(null);
  const choose = (c: Choice | undefined) => {
    if (!c) return;
    close();
    if (source)
      void connect({
        source,
        sourceHandle: c.port ?? "out",
        target: c.node,
        targetHandle: "in",
      });
    else goToNode(c.node);
  };

  return (
    <>
      <div className="picker-backdrop" onMouseDown={close} />
      <div
        className="node-picker find-node"
        role="dialog"
        aria-label={source ? `Connect ${source} to` : "Find a node"}
        data-action={source ? "connect-to" : "find-node"}
        onKeyDown={(e) =>
          listKeys(e, choices.length, setActive, () => choose(choices[active]), close)
        }
      >
        <input
          // Focused as it is drawn, so that no key typed at once is lost.
          autoFocus
          name="find-node"
          placeholder={source ? `Connect ${source} to…` : "Find a node by name…"}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          aria-label={source ? "Node to connect to" : "Node name"}
        />
        <div className="picker-list" role="listbox">
          {choices.length === 0 && <p className="help">No node matches “{query}”.</p>}
          {choices.slice(0, 200).map((c, i) => (
            <button
              key={`${c.port ?? ""}:${c.node}`}
              role="option"
              aria-selected={i === active}
              className={`find-item${i === active ? " active" : ""}`}
              data-node={c.node}
              data-port={c.port}
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(c)}
            >
              {c.port && c.port !== "out" && <span className="find-port">{c.port} →</span>}
              <span className="palette-label">{c.label}</span>
              <span className="palette-type">{c.type}</span>
            </button>
          ))}
        </div>
      </div>
    </>
  );
}
