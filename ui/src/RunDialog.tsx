// Before a run: its input (JSON, prefilled from the trigger's sampleInput), the
// trigger when there are several, and variable overrides.

import { useState } from "react";
import { useStore } from "./store";
import type { JsonValue } from "./bindings/serde_json/JsonValue";
import type { RunRequest as EngineRunRequest } from "./bindings/RunRequest";
import type { Workflow } from "./bindings/Workflow";

/** What the dialog asks: the engine's run request, less what the canvas knows. */
export type RunRequest = Pick<EngineRunRequest, "input" | "trigger" | "vars">;

function parse(text: string): { value?: JsonValue; error?: string } {
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export function RunDialog(props: {
  workflow: Workflow;
  triggerTypes: Set<string>;
  onRun: (r: RunRequest) => void;
  onCancel: () => void;
}) {
  const triggers = props.workflow.nodes.filter((n) => props.triggerTypes.has(n.type ?? ""));
  const [trigger, setTrigger] = useState(triggers[0]?.id ?? "");
  const sample = (id: string) =>
    JSON.stringify(triggers.find((t) => t.id === id)?.config?.sampleInput ?? {}, null, 2);
  const [input, setInput] = useState(sample(trigger));
  const [vars, setVars] = useState("{}");
  const parsedInput = parse(input);
  const parsedVars = parse(vars);
  const varsError =
    parsedVars.error ??
    (parsedVars.value && (typeof parsedVars.value !== "object" || Array.isArray(parsedVars.value))
      ? "variable overrides must be a JSON object"
      : undefined);
  const ok = !parsedInput.error && !varsError;
  return (
    <div className="modal-backdrop">
      <div className="modal run-dialog" role="dialog" aria-label="Run workflow">
        <h3>Run {props.workflow.name ?? props.workflow.id}</h3>
        {triggers.length > 1 && (
          <div className="field">
            <label>Trigger</label>
            <select
              name="run-trigger"
              value={trigger}
              onChange={(e) => {
                setTrigger(e.target.value);
                setInput(sample(e.target.value));
              }}
            >
              {triggers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name ?? t.id} ({t.type})
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label>Input (JSON)</label>
          <textarea
            name="run-input"
            className="json-field"
            rows={8}
            value={input}
            onChange={(e) => setInput(e.target.value)}
          />
          {parsedInput.error && <div className="field-error">Not JSON: {parsedInput.error}</div>}
        </div>
        <div className="field">
          <label>Variable overrides (JSON object)</label>
          <textarea
            name="run-vars"
            className="json-field"
            rows={3}
            value={vars}
            onChange={(e) => setVars(e.target.value)}
          />
          {varsError && <div className="field-error">{varsError}</div>}
        </div>
        <PinsSwitch />
        <div className="modal-buttons">
          <button name="cancel" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            name="start-run"
            className="primary"
            disabled={!ok}
            onClick={() =>
              props.onRun({
                input: parsedInput.value ?? {},
                trigger: triggers.length > 1 ? trigger : null,
                vars: (parsedVars.value ?? {}) as Record<string, JsonValue>,
              })
            }
          >
            Run
          </button>
        </div>
      </div>
    </div>
  );
}

/** Whether the run uses the workflow's pinned outputs (shown only when it has some). */
function PinsSwitch() {
  const count = useStore((s) => Object.keys(s.pins).length);
  const usePins = useStore((s) => s.usePins);
  if (count === 0) return null;
  return (
    <label className="field">
      <input
        type="checkbox"
        name="use-pins"
        checked={usePins}
        onChange={(e) => useStore.getState().setUsePins(e.target.checked)}
      />{" "}
      Use the {count} pinned output{count === 1 ? "" : "s"}
    </label>
  );
}
