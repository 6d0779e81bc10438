// Forms for the data steps of an HTTP request (FORMAT.md): how to page
// through an API, and how to map each record's fields. Expressions here see
// $response, $page and $record besides the usual names.

import type { JsonValue } from "../bindings/serde_json/JsonValue";
import type { Pagination } from "../bindings/Pagination";
import { CodeField } from "./editors";

type Mode = "none" | "nextUrl" | "param" | "cursorParam";

const MODES: { mode: Mode; label: string }[] = [
  { mode: "none", label: "one request (no paging)" },
  { mode: "nextUrl", label: "the response gives the next page's URL" },
  { mode: "param", label: "a page number in the query" },
  { mode: "cursorParam", label: "a cursor from the response" },
];

function modeOf(p: Partial<Pagination> | undefined): Mode {
  if (!p) return "none";
  if (p.nextUrl !== undefined) return "nextUrl";
  if (p.param !== undefined) return "param";
  if (p.cursorParam !== undefined) return "cursorParam";
  return "none";
}

/** Drops unset keys, so that the file keeps only what was chosen. */
function clean(p: Record<string, JsonValue | undefined>): JsonValue {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as JsonValue;
}

export function PaginationField(props: {
  value: JsonValue | undefined;
  upstream: string[];
  onChange: (v: JsonValue | undefined) => void;
}) {
  const p = (props.value ?? undefined) as Partial<Pagination> | undefined;
  const mode = modeOf(p);
  const set = (key: keyof Pagination, v: JsonValue | undefined) =>
    props.onChange(clean({ ...(p as Record<string, JsonValue>), [key]: v }));
  const choose = (next: Mode) => {
    if (next === "none") return props.onChange(undefined);
    const kept = { stopWhen: p?.stopWhen, maxPages: p?.maxPages, onMaxPages: p?.onMaxPages };
    const fresh =
      next === "nextUrl"
        ? { nextUrl: "{{ $response.body.next }}" }
        : next === "param"
          ? { param: "page", start: 1 }
          : { cursorParam: "cursor", cursor: "{{ $response.body.nextCursor }}" };
    props.onChange(clean({ ...kept, ...fresh }));
  };
  const expression = (key: "nextUrl" | "cursor" | "stopWhen", label: string) => (
    <div className="subfield">
      <label>{label}</label>
      <CodeField
        label={`pagination-${key}`}
        value={p?.[key] ?? ""}
        multiline={false}
        upstream={props.upstream}
        onChange={(v) => set(key, v === "" ? undefined : v)}
      />
    </div>
  );
  const text = (key: "param" | "cursorParam", label: string) => (
    <div className="subfield">
      <label htmlFor={`pagination-${key}`}>{label}</label>
      <input
        id={`pagination-${key}`}
        name={`pagination-${key}`}
        value={p?.[key] ?? ""}
        onChange={(e) => set(key, e.target.value)}
      />
    </div>
  );
  const number = (key: "start" | "step" | "maxPages", label: string, fallback: number) => (
    <div className="subfield">
      <label htmlFor={`pagination-${key}`}>{label}</label>
      <input
        id={`pagination-${key}`}
        name={`pagination-${key}`}
        type="number"
        placeholder={`default: ${fallback}`}
        value={p?.[key] ?? ""}
        onChange={(e) => set(key, e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </div>
  );
  return (
    <div className="data-step" data-testid="pagination-form">
      <select name="pagination-mode" value={mode} onChange={(e) => choose(e.target.value as Mode)}>
        {MODES.map((m) => (
          <option key={m.mode} value={m.mode}>
            {m.label}
          </option>
        ))}
      </select>
      {mode === "nextUrl" && expression("nextUrl", "next URL (empty or null: done)")}
      {mode === "param" && (
        <>
          {text("param", "query parameter")}
          {number("start", "first value", 1)}
          {number("step", "step", 1)}
        </>
      )}
      {mode === "cursorParam" && (
        <>
          {text("cursorParam", "query parameter")}
          {expression("cursor", "next cursor (empty or null: done)")}
        </>
      )}
      {mode !== "none" && (
        <>
          {expression("stopWhen", "stop when (after a page; an empty page always stops)")}
          {number("maxPages", "at most this many pages", 100)}
          <div className="subfield">
            <label htmlFor="pagination-onMaxPages">when more pages remain</label>
            <select
              id="pagination-onMaxPages"
              name="pagination-onMaxPages"
              value={p?.onMaxPages ?? "fail"}
              onChange={(e) => set("onMaxPages", e.target.value === "fail" ? undefined : "stop")}
            >
              <option value="fail">fail the node</option>
              <option value="stop">stop, keeping what was fetched</option>
            </select>
          </div>
        </>
      )}
    </div>
  );
}

/** `{TARGET: EXPR}`: one row per field of the mapped records. */
export function FieldMappingField(props: {
  value: JsonValue | undefined;
  upstream: string[];
  onChange: (v: JsonValue | undefined) => void;
}) {
  const rows = Object.entries((props.value ?? {}) as Record<string, JsonValue>);
  const commit = (next: [string, JsonValue][]) =>
    props.onChange(next.length === 0 ? undefined : (Object.fromEntries(next) as JsonValue));
  return (
    <div className="data-step" data-testid="field-mapping-form">
      {rows.map(([key, expr], i) => (
        <div className="mapping-row" key={i}>
          <input
            name={`mapping-key-${i}`}
            aria-label="field"
            value={key}
            onChange={(e) => {
              const next = [...rows];
              next[i] = [e.target.value, expr];
              commit(next);
            }}
          />
          <CodeField
            label={`mapping-value-${i}`}
            value={typeof expr === "string" ? expr : JSON.stringify(expr)}
            multiline={false}
            upstream={props.upstream}
            onChange={(v) => {
              const next = [...rows];
              next[i] = [key, v];
              commit(next);
            }}
          />
          <button
            className="mini"
            title="Remove this field"
            onClick={() => commit(rows.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        name="mapping-add"
        onClick={() => {
          let n = rows.length + 1;
          while (rows.some(([k]) => k === `field${n}`)) n++;
          commit([...rows, [`field${n}`, "{{ $record. }}"]]);
        }}
      >
        + Add field
      </button>
    </div>
  );
}
