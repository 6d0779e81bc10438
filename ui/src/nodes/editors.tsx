// Field editors for node configs: text, number, boolean, choice, JSON, and
// CodeMirror for code and expressions, completing `$` names and `$nodes.` ids.

import { autocompletion, type CompletionContext } from "@codemirror/autocomplete";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import CodeMirror from "@uiw/react-codemirror";
import { useColorScheme } from "../hooks/useColorScheme";
import { useEffect, useMemo, useState } from "react";
import type { JsonValue } from "../bindings/serde_json/JsonValue";

export const SCOPE_NAMES = [
  "$input",
  "$trigger",
  "$vars",
  "$nodes",
  "$item",
  "$index",
  "$run",
  "$secrets",
  "$response",
  "$page",
  "$record",
];

/** Completes `$` names, and `$nodes.` with the ids of upstream nodes. */
export function scopeCompletions(upstream: string[]) {
  return (context: CompletionContext) => {
    const nodes = context.matchBefore(/\$nodes\.[A-Za-z0-9_]*/);
    if (nodes) {
      return {
        from: nodes.from + "$nodes.".length,
        options: upstream.map((id) => ({ label: id, type: "variable", detail: "upstream node" })),
      };
    }
    const word = context.matchBefore(/\$[A-Za-z]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options: SCOPE_NAMES.map((label) => ({ label, type: "keyword" })) };
  };
}

/** The names a Python body sees (the scope without `$`). */
export const PYTHON_NAMES = [
  "input",
  "trigger",
  "vars",
  "nodes",
  "item",
  "index",
  "run",
  "secrets",
];

/** Completes the scope's names, and `nodes['` with the ids of upstream nodes. */
export function pythonCompletions(upstream: string[]) {
  return (context: CompletionContext) => {
    const nodes = context.matchBefore(/nodes\[["'][A-Za-z0-9_]*/);
    if (nodes) {
      return {
        from: nodes.from + "nodes['".length,
        options: upstream.map((id) => ({ label: id, type: "variable", detail: "upstream node" })),
      };
    }
    const word = context.matchBefore(/[A-Za-z_]+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return {
      from: word.from,
      options: PYTHON_NAMES.map((label) => ({ label, type: "variable", detail: "scope" })),
    };
  };
}

/** A Python body: Python highlighting, the scope's names completed. */
export function PythonField(props: {
  value: string;
  onChange: (v: string) => void;
  upstream: string[];
  label: string;
}) {
  const extensions = useMemo(
    () => [python(), autocompletion({ override: [pythonCompletions(props.upstream)] })],
    [props.upstream],
  );
  const scheme = useColorScheme();
  return (
    <div className="code-field multiline python-field" aria-label={props.label}>
      <CodeMirror
        theme={scheme}
        value={props.value}
        onChange={props.onChange}
        extensions={extensions}
        basicSetup={{ lineNumbers: true, foldGutter: false, highlightActiveLine: true }}
        minHeight="140px"
      />
    </div>
  );
}

export function CodeField(props: {
  value: string;
  onChange: (v: string) => void;
  upstream: string[];
  multiline: boolean;
  label: string;
}) {
  const extensions = useMemo(
    () => [javascript(), autocompletion({ override: [scopeCompletions(props.upstream)] })],
    [props.upstream],
  );
  const scheme = useColorScheme();
  return (
    <div
      className={props.multiline ? "code-field multiline" : "code-field"}
      aria-label={props.label}
    >
      <CodeMirror
        theme={scheme}
        value={props.value}
        onChange={props.onChange}
        extensions={extensions}
        basicSetup={{
          lineNumbers: props.multiline,
          foldGutter: false,
          highlightActiveLine: props.multiline,
        }}
        minHeight={props.multiline ? "140px" : undefined}
        // A one-line expression gives Tab back to the form, so that the
        // keyboard moves through the fields; code keeps Tab for indenting.
        indentWithTab={props.multiline}
      />
    </div>
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
