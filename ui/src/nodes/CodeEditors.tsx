// CodeMirror for code and expressions. Loaded on first use (see editors.tsx):
// the editor is a large part of the UI's code, and most sessions open it late or never.

import { autocompletion } from "@codemirror/autocomplete";
import { javascript } from "@codemirror/lang-javascript";
import { python } from "@codemirror/lang-python";
import CodeMirror, { type Extension } from "@uiw/react-codemirror";
import { useMemo } from "react";
import { useColorScheme } from "../hooks/useColorScheme";
import { pythonCompletions, scopeCompletions } from "./completions";

/** CodeMirror in a field: the theme follows the system's, a code body gets line numbers. */
function Editor(props: {
  value: string;
  onChange: (v: string) => void;
  label: string;
  multiline: boolean;
  className?: string;
  extensions: Extension[];
}) {
  const scheme = useColorScheme();
  const classes = ["code-field", props.multiline && "multiline", props.className];
  return (
    <div className={classes.filter(Boolean).join(" ")} aria-label={props.label}>
      <CodeMirror
        theme={scheme}
        value={props.value}
        onChange={props.onChange}
        extensions={props.extensions}
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
  return <Editor {...props} multiline className="python-field" extensions={extensions} />;
}

/** JavaScript code or an expression: `$` names and `$nodes.` ids completed. */
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
  return <Editor {...props} extensions={extensions} />;
}
