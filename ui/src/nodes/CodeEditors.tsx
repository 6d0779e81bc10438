// CodeMirror for code and expressions. Loaded on first use (see editors.tsx):
// the editor is a large part of the UI's code, and most sessions open it late or never.

import { autocompletion } from "@codemirror/autocomplete";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import CodeMirror from "@uiw/react-codemirror";
import { useMemo } from "react";
import { useColorScheme } from "../hooks/useColorScheme";
import { pythonCompletions, scopeCompletions } from "./completions";

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
