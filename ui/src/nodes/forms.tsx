// One form per node type: which editor each config key gets. Keys, required
// flags, defaults and help come from the engine's catalogue; this file only
// chooses how to edit them. The forms are typed by the engine's generated
// config bindings: a node type without a form, or a config key without an
// editor, does not compile.

import type { ConfigField } from "../bindings/ConfigField";
import type { JsonValue } from "../bindings/serde_json/JsonValue";
import type { NodeConfigs } from "../bindings/NodeConfigs";
import { CodeField, JsonField, PythonField } from "./editors";
import { FieldMappingField, PaginationField } from "./dataSteps";

type Editor =
  | "text"
  | "expression"
  | "code"
  | "number"
  | "boolean"
  | "json"
  | "pagination"
  | "mapping"
  | "python"
  | { choice: string[] };

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];
const LOG_LEVELS = ["debug", "info", "warn", "error"];

/** A node type's form: an editor for every key of its config. */
export type Form<Config> = { [Key in keyof Required<Config>]: Editor };

/** The form of each node type. */
export const FORMS: { [Type in keyof NodeConfigs]: Form<NodeConfigs[Type]> } = {
  "trigger.manual": { sampleInput: "json", inputSchema: "json" },
  "trigger.webhook": { path: "text", method: { choice: HTTP_METHODS }, sampleInput: "json" },
  "trigger.schedule": { cron: "text", timezone: "text", sampleInput: "json" },
  "condition.if": { condition: "expression" },
  "condition.switch": { value: "expression", cases: "json" },
  "task.http": {
    url: "expression",
    method: { choice: HTTP_METHODS },
    headers: "json",
    query: "json",
    body: "json",
    timeoutMs: "number",
    failOnStatus: "boolean",
    dataPath: "text",
    pagination: "pagination",
    fieldMapping: "mapping",
  },
  "task.code": { code: "code" },
  "task.python": { code: "python" },
  "task.sql": { database: "text", query: "text", params: "json" },
  "task.set": { values: "json", target: { choice: ["output", "vars"] } },
  "task.delay": { ms: "expression" },
  "task.approval": {
    title: "text",
    instructions: "text",
    assignee: "text",
    dueInHours: "number",
    outcomes: "json",
  },
  "task.log": { message: "expression", level: { choice: LOG_LEVELS } },
  "task.subflow": { workflow: "text", input: "json" },
  "task.respond": { status: "expression", body: "json" },
};

export function ConfigForm(props: {
  type: string;
  fields: ConfigField[];
  config: Record<string, JsonValue>;
  upstream: string[];
  onChange: (key: string, value: JsonValue | undefined) => void;
}) {
  // A type the engine does not know (a file with errors) gets JSON editors.
  const form: Record<string, Editor> =
    (FORMS as Record<string, Record<string, Editor>>)[props.type] ?? {};
  return (
    <>
      {props.fields.map((field) => {
        const editor = form[field.key] ?? "json";
        const value = props.config[field.key];
        const id = `config-${field.key}`;
        return (
          <div className="field" key={field.key}>
            <label htmlFor={id}>
              {field.key}
              {field.required && <span className="required"> *</span>}
            </label>
            <FieldEditor
              id={id}
              editor={editor}
              value={value}
              fallback={field.default}
              upstream={props.upstream}
              onChange={(v) => props.onChange(field.key, v)}
            />
            {field.description && <div className="help">{field.description}</div>}
          </div>
        );
      })}
    </>
  );
}

function FieldEditor(props: {
  id: string;
  editor: Editor;
  value: JsonValue | undefined;
  fallback: JsonValue | undefined;
  upstream: string[];
  onChange: (v: JsonValue | undefined) => void;
}) {
  const { editor, value, onChange } = props;
  const placeholder =
    props.fallback === undefined ? "" : `default: ${JSON.stringify(props.fallback)}`;
  if (typeof editor === "object") {
    return (
      <select
        id={props.id}
        name={props.id}
        value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value || undefined)}
      >
        <option value="">{placeholder || "(not set)"}</option>
        {editor.choice.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  }
  switch (editor) {
    case "code":
    case "expression":
      return (
        <CodeField
          label={props.id}
          value={
            typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value)
          }
          multiline={editor === "code"}
          upstream={props.upstream}
          onChange={(v) => onChange(v === "" ? undefined : v)}
        />
      );
    case "number":
      return (
        <input
          id={props.id}
          name={props.id}
          type="number"
          placeholder={placeholder}
          value={typeof value === "number" ? value : ""}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
    case "boolean":
      return (
        <select
          id={props.id}
          name={props.id}
          value={value === undefined ? "" : String(value)}
          onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value === "true")}
        >
          <option value="">{placeholder || "(not set)"}</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case "python":
      return (
        <PythonField
          label={props.id}
          value={typeof value === "string" ? value : ""}
          upstream={props.upstream}
          onChange={(v) => onChange(v === "" ? undefined : v)}
        />
      );
    case "pagination":
      return <PaginationField value={value} upstream={props.upstream} onChange={onChange} />;
    case "mapping":
      return <FieldMappingField value={value} upstream={props.upstream} onChange={onChange} />;
    case "text":
      return (
        <input
          id={props.id}
          name={props.id}
          placeholder={placeholder}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}
        />
      );
    default:
      return <JsonField name={props.id} value={value} onChange={onChange} />;
  }
}
