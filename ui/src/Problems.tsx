// The engine's diagnostics for the open workflow; clicking one selects what it names.

import type { Diagnostic } from "./bindings/Diagnostic";

/** "1 error", "2 errors". */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function Problems(props: { diagnostics: Diagnostic[]; onSelect: (d: Diagnostic) => void }) {
  const errors = props.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = props.diagnostics.length - errors;
  return (
    <section className="problems" aria-label="Problems">
      <h3>
        Problems{" "}
        <span className="count">
          {counted(errors, "error")}, {counted(warnings, "warning")}
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
