// An expression box: CodeMirror with completion of the scope's names, an
// Evaluate button, and the value or the error. The Debug tab (a paused node)
// and the Responses tab (the shown run) each give it what to evaluate against.

import { useState, type ReactNode } from "react";
import { CodeField } from "./nodes/editors";

export type Evaluated = { value?: unknown; error?: string };

export function ExpressionBox(props: {
  /** Names the parts for tests: `NAME-expr`, `NAME-eval`. */
  name: string;
  resultTestId: string;
  upstream: string[];
  evaluate: (expr: string) => Promise<Evaluated>;
  show: (value: unknown) => ReactNode;
}) {
  const [expr, setExpr] = useState("");
  const [result, setResult] = useState<Evaluated | null>(null);
  return (
    <>
      <form
        className="eval-row"
        onSubmit={(e) => {
          e.preventDefault();
          void props.evaluate(expr).then(setResult);
        }}
      >
        <CodeField
          label={`${props.name}-expr`}
          value={expr}
          onChange={setExpr}
          upstream={props.upstream}
          multiline={false}
        />
        <button name={`${props.name}-eval`} type="submit">
          Evaluate
        </button>
      </form>
      {result && (
        <div className="eval-result" data-testid={props.resultTestId}>
          {result.error ? (
            <span className="field-error">{result.error}</span>
          ) : (
            props.show(result.value)
          )}
        </div>
      )}
    </>
  );
}
