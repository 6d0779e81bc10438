// The engine's diagnostics for the open workflow; clicking one selects what it names.

import type { Diagnostic } from "./bindings/Diagnostic";

export function Problems(props: { diagnostics: Diagnostic[]; onSelect: (d: Diagnostic) => void }) {
  const errors = props.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = props.diagnostics.length - errors;
  return (
    <section className="problems" aria-label="Problems">
      <h3>
        Problems{" "}
        <span className="count">
          {errors} errors, {warnings} warnings
        </span>
      </h3>
      <ul>
        {props.diagnostics.map((d, i) => (
          <li
            key={i}
            className={`problem ${d.severity}`}
            data-code={d.code}
            onClick={() => props.onSelect(d)}
          >
            <span className="sev">{d.severity === "error" ? "✖" : "⚠"}</span>
            <code>{d.code}</code> {d.message}
          </li>
        ))}
        {props.diagnostics.length === 0 && <li className="problem none">No problems.</li>}
      </ul>
    </section>
  );
}
