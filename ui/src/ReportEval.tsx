// An expression box over the shown run: it evaluates in the selected node's
// scope in that run (its input, the nodes finished before it, the final
// $vars), or at the run's end when no node is selected.

import { useState } from "react";
import type { RunReport } from "./bindings/RunReport";
import { errorText, ipc } from "./ipc/commands";
import { CodeField } from "./nodes/editors";

export function ReportEval(props: { report: RunReport; node: string | null }) {
  const [expr, setExpr] = useState("");
  const [result, setResult] = useState<{ value?: unknown; error?: string } | null>(null);
  // `$nodes.` completes the nodes that ran.
  const ran = props.report.nodes.filter((n) => n.startedAt).map((n) => n.node);
  return (
    <div className="debug-view">
      <form
        className="eval-row"
        onSubmit={(e) => {
          e.preventDefault();
          ipc.evalReport(props.report, props.node, expr).then(
            (value) => setResult({ value }),
            (err) => setResult({ error: errorText(err) }),
          );
        }}
      >
        <CodeField
          label="report-expr"
          value={expr}
          onChange={setExpr}
          upstream={ran}
          multiline={false}
        />
        <button name="report-eval" type="submit">
          Evaluate
        </button>
      </form>
      {result && (
        <code className="eval-result" data-testid="report-eval-result">
          {result.error ? `error: ${result.error}` : JSON.stringify(result.value)}
        </code>
      )}
    </div>
  );
}
