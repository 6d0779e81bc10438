// The node picker: every node type, searchable, opened where the person is
// (Tab, a double-click on the canvas, a connection dropped on empty canvas,
// the toolbar's Add node). The new node is connected to where it came from.

import { useEffect, useMemo, useRef, useState } from "react";
import type { NodeTypeSpec } from "../bindings/NodeTypeSpec";
import { ICONS } from "../nodes/icons";
import { useStore } from "../store";
import { listKeys } from "./listKeys";
import { useCanvasActions } from "./useCanvasActions";

const GROUPS: [string, string][] = [
  ["trigger", "Triggers"],
  ["condition", "Conditions"],
  ["task", "Tasks"],
];

/** Specs whose label, type or description holds every word of the query. */
export function matching(catalogue: NodeTypeSpec[], query: string): NodeTypeSpec[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const ordered = GROUPS.flatMap(([c]) => catalogue.filter((s) => s.category === c));
  return ordered.filter((s) => {
    const text = `${s.label} ${s.type} ${s.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function NodePicker() {
  const picker = useStore((s) => s.picker);
  const catalogue = useStore((s) => s.catalogue);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const { addNode } = useCanvasActions();
  // With several ports, a first word naming one ("hot http") leads from it.
  const ports = useStore((s) => (picker?.from ? s.inspection.ports[picker.from.node] : undefined));
  const [firstWord, ...restWords] = query.trim().split(/\s+/);
  const port =
    picker?.from && ports && ports.length > 1 && ports.includes(firstWord) ? firstWord : undefined;
  const search = port ? restWords.join(" ") : query;
  const shown = useMemo(() => {
    const all = matching(catalogue, search);
    // After a node, a trigger cannot be connected: offer what can follow.
    return picker?.from ? all.filter((s) => s.category !== "trigger") : all;
  }, [catalogue, search, picker?.from]);

  const searchBox = useRef<HTMLInputElement>(null);
  /** The picker keeps the keyboard while it is open. */
  const keepFocus = () =>
    requestAnimationFrame(() => {
      if (useStore.getState().picker && document.activeElement !== searchBox.current)
        searchBox.current?.focus();
    });
  useEffect(() => {
    setQuery("");
    setActive(0);
    if (picker) keepFocus();
  }, [picker]);
  if (!picker) return null;

  const close = () => useStore.getState().setPicker(null);
  const choose = (spec: NodeTypeSpec | undefined) => {
    if (!spec) return;
    close();
    const from = picker.from && port ? { ...picker.from, port } : picker.from;
    void addNode(spec, picker.flow, from, picker.to);
  };
  // Kept inside the window.
  const left = Math.max(8, Math.min(picker.screen.x, window.innerWidth - 300));
  const top = Math.max(48, Math.min(picker.screen.y, window.innerHeight - 420));

  return (
    <>
      <div className="picker-backdrop" onMouseDown={close} />
      <div
        className="node-picker"
        role="dialog"
        aria-label="Add a node"
        style={{ left, top }}
        onKeyDown={(e) => listKeys(e, shown.length, setActive, () => choose(shown[active]), close)}
      >
        <input
          // Focused as it is drawn, so that no key typed at once is lost.
          autoFocus
          ref={searchBox}
          // Focus taken by anything outside the picker while it is open
          // comes back, so that no key typed is lost.
          onBlur={(e) => {
            if (!e.currentTarget.closest(".node-picker")?.contains(e.relatedTarget)) keepFocus();
          }}
          name="node-search"
          placeholder={picker.from ? `Add after ${picker.from.node}…` : "Search node types…"}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          aria-label="Search node types"
        />
        {picker.from && (
          <p className="picker-from" data-port={port ?? picker.from.port}>
            from {picker.from.node}.<b>{port ?? picker.from.port}</b>
            {ports && ports.length > 1 && !port && (
              <span className="help"> (start with a port’s name: {ports.join(", ")})</span>
            )}
          </p>
        )}
        <div className="picker-list" role="listbox">
          {shown.length === 0 && <p className="help">No node type matches “{query}”.</p>}
          {GROUPS.map(([category, title]) => {
            const items = shown.filter((s) => s.category === category);
            if (items.length === 0) return null;
            return (
              <section key={category}>
                <h3>{title}</h3>
                {items.map((spec) => {
                  const Icon = ICONS[spec.type];
                  const index = shown.indexOf(spec);
                  return (
                    <button
                      key={spec.type}
                      role="option"
                      aria-selected={index === active}
                      className={`palette-item cat-${category}${index === active ? " active" : ""}`}
                      data-type={spec.type}
                      title={spec.description}
                      onMouseEnter={() => setActive(index)}
                      onClick={() => choose(spec)}
                    >
                      {Icon && <Icon size={16} className="wf-node-icon" aria-hidden="true" />}
                      <span className="palette-label">{spec.label}</span>
                      <span className="palette-type">{spec.type}</span>
                    </button>
                  );
                })}
              </section>
            );
          })}
        </div>
      </div>
    </>
  );
}
