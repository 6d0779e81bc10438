// The right-hand panel: the selected node's form, or the workflow's settings.

import { useEffect, useState } from "react";
import type { Node } from "./bindings/Node";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { OnError } from "./bindings/OnError";
import type { JsonValue } from "./bindings/serde_json/JsonValue";
import type { Workflow } from "./bindings/Workflow";
import { CodeField, JsonField } from "./nodes/editors";
import { ConfigForm } from "./nodes/forms";
import { NextFires, WebhookAddress } from "./history/ServiceToggle";

function without<T extends object>(o: T, key: keyof T): T {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

/** A text input that commits on blur or Enter (for ids, which rename). */
function CommitInput(props: { name: string; value: string; onCommit: (v: string) => void }) {
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  return (
    <input
      name={props.name}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => text !== props.value && props.onCommit(text)}
      onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
    />
  );
}

export function NodeInspector(props: {
  node: Node;
  spec: NodeTypeSpec | undefined;
  upstream: string[];
  onChange: (node: Node) => void;
  workflowId?: string;
}) {
  const { node, spec, onChange } = props;
  const set = <K extends keyof Node>(key: K, value: Node[K] | undefined) =>
    onChange(value === undefined || value === "" ? without(node, key) : { ...node, [key]: value });
  const config = (node.config ?? {}) as Record<string, JsonValue>;
  return (
    <div className="inspector" data-testid="node-inspector">
      <h2>{spec?.label ?? node.type}</h2>
      <p className="help">{spec?.description}</p>
      <div className="field">
        <label>id</label>
        <CommitInput name="node-id" value={node.id ?? ""} onCommit={(v) => set("id", v)} />
      </div>
      <div className="field">
        <label htmlFor="node-name">name</label>
        <input
          id="node-name"
          name="node-name"
          value={node.name ?? ""}
          onChange={(e) => set("name", e.target.value)}
        />
      </div>
      {node.type === "trigger.webhook" && props.workflowId && (
        <WebhookAddress
          workflowId={props.workflowId}
          path={typeof config.path === "string" ? config.path : ""}
        />
      )}
      {node.type === "trigger.schedule" && typeof config.cron === "string" && (
        <NextFires
          cron={config.cron}
          timezone={typeof config.timezone === "string" ? config.timezone : null}
        />
      )}
      <h3>Config</h3>
      {spec ? (
        <ConfigForm
          type={spec.type}
          fields={spec.fields}
          config={config}
          upstream={props.upstream}
          onChange={(key, value) => {
            const next = { ...config };
            if (value === undefined) delete next[key];
            else next[key] = value;
            onChange({ ...node, config: next });
          }}
        />
      ) : (
        <JsonField
          name="config"
          value={config}
          onChange={(v) => set("config", (v ?? {}) as Node["config"])}
        />
      )}
      <h3>Behaviour</h3>
      <div className="field">
        <label>forEach</label>
        <CodeField
          label="forEach"
          value={node.forEach ?? ""}
          multiline={false}
          upstream={props.upstream}
          onChange={(v) => set("forEach", v)}
        />
      </div>
      <div className="field row">
        <label>retry attempts</label>
        <input
          name="retry-attempts"
          type="number"
          min={1}
          value={node.retry?.maxAttempts ?? ""}
          onChange={(e) =>
            set(
              "retry",
              e.target.value === ""
                ? undefined
                : { maxAttempts: Number(e.target.value), backoffMs: node.retry?.backoffMs ?? 500 },
            )
          }
        />
        <label>backoff ms</label>
        <input
          name="retry-backoff"
          type="number"
          min={0}
          disabled={!node.retry}
          value={node.retry?.backoffMs ?? ""}
          onChange={(e) =>
            node.retry && set("retry", { ...node.retry, backoffMs: Number(e.target.value) })
          }
        />
      </div>
      <div className="field">
        <label>timeoutMs</label>
        <input
          name="timeout"
          type="number"
          min={1}
          value={node.timeoutMs ?? ""}
          onChange={(e) =>
            set("timeoutMs", e.target.value === "" ? undefined : Number(e.target.value))
          }
        />
      </div>
      <div className="field">
        <label>onError</label>
        <select
          name="on-error"
          value={node.onError ?? ""}
          onChange={(e) => set("onError", (e.target.value || undefined) as OnError | undefined)}
        >
          <option value="">fail (default)</option>
          <option value="continue">continue</option>
          <option value="route">route (error port)</option>
        </select>
      </div>
      <div className="field row">
        <label>
          <input
            type="checkbox"
            name="disabled"
            checked={node.disabled ?? false}
            onChange={(e) => set("disabled", e.target.checked || undefined)}
          />{" "}
          disabled
        </label>
      </div>
      <div className="field">
        <label>notes</label>
        <textarea
          name="notes"
          value={node.notes ?? ""}
          onChange={(e) => set("notes", e.target.value)}
        />
      </div>
    </div>
  );
}

export function WorkflowSettings(props: { workflow: Workflow; onChange: (w: Workflow) => void }) {
  const { workflow, onChange } = props;
  const vars = Object.entries(workflow.variables ?? {});
  const setVars = (entries: [string, JsonValue][]) =>
    onChange({ ...workflow, variables: Object.fromEntries(entries) });
  return (
    <div className="inspector" data-testid="workflow-settings">
      <h2>Workflow settings</h2>
      <div className="field">
        <label>id</label>
        <CommitInput
          name="workflow-id"
          value={workflow.id}
          onCommit={(v) => onChange({ ...workflow, id: v })}
        />
      </div>
      <div className="field">
        <label>name</label>
        <input
          name="workflow-name"
          value={workflow.name ?? ""}
          onChange={(e) =>
            onChange(
              e.target.value ? { ...workflow, name: e.target.value } : without(workflow, "name"),
            )
          }
        />
      </div>
      <div className="field">
        <label>description</label>
        <textarea
          name="workflow-description"
          value={workflow.description ?? ""}
          onChange={(e) =>
            onChange(
              e.target.value
                ? { ...workflow, description: e.target.value }
                : without(workflow, "description"),
            )
          }
        />
      </div>
      <h3>Variables</h3>
      {vars.map(([key, value], i) => (
        <div className="field var-row" key={i}>
          <CommitInput
            name={`var-key-${i}`}
            value={key}
            onCommit={(k) => setVars(vars.map((e, j) => (j === i ? [k, e[1]] : e)))}
          />
          <JsonField
            name={`var-value-${i}`}
            value={value}
            onChange={(v) => setVars(vars.map((e, j) => (j === i ? [e[0], v ?? null] : e)))}
          />
          <button title="Remove variable" onClick={() => setVars(vars.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button
        name="add-variable"
        onClick={() => {
          let n = vars.length + 1;
          while (vars.some(([k]) => k === `var${n}`)) n++;
          setVars([...vars, [`var${n}`, null]]);
        }}
      >
        + Add variable
      </button>
    </div>
  );
}
