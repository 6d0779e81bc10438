// Field editors for node configs: JSON as text, and CodeMirror for code and
// expressions (CodeEditors.tsx), completing `$` names and `$nodes.` ids.
// CodeMirror is loaded when a form first shows a code field; until then the
// field shows its text as it is.

import { lazy, Suspense, useEffect, useState, type ComponentProps } from "react";
import type { JsonValue } from "../bindings/serde_json/JsonValue";

export { PYTHON_NAMES, SCOPE_NAMES, pythonCompletions, scopeCompletions } from "./completions";

const LazyCodeField = lazy(() => import("./CodeEditors").then((m) => ({ default: m.CodeField })));
const LazyPythonField = lazy(() =>
  import("./CodeEditors").then((m) => ({ default: m.PythonField })),
);

/** The field's text while its editor loads: same place, same size, read-only. */
function Loading(props: { value: string; multiline: boolean; label: string }) {
  return (
    <div
      className={props.multiline ? "code-field multiline" : "code-field"}
      aria-label={props.label}
      aria-busy="true"
    >
      <pre className="code-field-loading">{props.value || " "}</pre>
    </div>
  );
}

export function CodeField(props: ComponentProps<typeof LazyCodeField>) {
  return (
    <Suspense fallback={<Loading {...props} />}>
      <LazyCodeField {...props} />
    </Suspense>
  );
}

export function PythonField(props: ComponentProps<typeof LazyPythonField>) {
  return (
    <Suspense fallback={<Loading {...props} multiline />}>
      <LazyPythonField {...props} />
    </Suspense>
  );
}

/** A JSON value typed as text; committed only when it parses. */
export function JsonField(props: {
  value: JsonValue | undefined;
  onChange: (v: JsonValue | undefined) => void;
  name: string;
}) {
  const shown = props.value === undefined ? "" : JSON.stringify(props.value, null, 2);
  const [text, setText] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(shown);
    setError(null);
  }, [shown]);
  return (
    <div>
      <textarea
        name={props.name}
        className={error ? "json-field invalid" : "json-field"}
        value={text}
        rows={Math.min(10, Math.max(2, text.split("\n").length))}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === "") {
            setError(null);
            props.onChange(undefined);
            return;
          }
          try {
            props.onChange(JSON.parse(e.target.value) as JsonValue);
            setError(null);
          } catch (err) {
            setError(String((err as Error).message));
          }
        }}
      />
      {error && <div className="field-error">Not JSON yet: {error}</div>}
    </div>
  );
}
