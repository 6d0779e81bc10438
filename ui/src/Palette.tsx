// Every node type, grouped Triggers, Conditions, Tasks: drag onto the canvas, or click to add.

import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";

const GROUPS: [string, string][] = [
  ["trigger", "Triggers"],
  ["condition", "Conditions"],
  ["task", "Tasks"],
];

export const DRAG_TYPE = "application/x-flowbench-node-type";

export function Palette(props: { catalogue: NodeTypeSpec[]; onAdd: (spec: NodeTypeSpec) => void }) {
  return (
    <aside className="palette" aria-label="Palette">
      {GROUPS.map(([category, title]) => (
        <section key={category}>
          <h3>{title}</h3>
          {props.catalogue
            .filter((s) => s.category === category)
            .map((spec) => (
              <button
                key={spec.type}
                className={`palette-item cat-${category}`}
                data-type={spec.type}
                title={spec.description}
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, spec.type);
                  e.dataTransfer.effectAllowed = "move";
                }}
                onClick={() => props.onAdd(spec)}
              >
                <span className="palette-label">{spec.label}</span>
                <span className="palette-type">{spec.type}</span>
              </button>
            ))}
        </section>
      ))}
    </aside>
  );
}
