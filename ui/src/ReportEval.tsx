// An expression box over the shown run: it evaluates in the selected node's
// scope in that run (its input, the nodes finished before it, the final
// $vars), or at the run's end when no node is selected.

import type { RunReport } from "./bindings/RunReport";
import { ExpressionBox } from "./ExpressionBox";
import { errorText, ipc } from "./ipc/commands";

export function ReportEval(props: { report: RunReport; node: string | null }) {
  // `$nodes.` completes the nodes that ran.
  const ran = props.report.nodes.filter((n) => n.startedAt).map((n) => n.node);
  return (
    <div className="debug-view">
      <ExpressionBox
        name="report"
        resultTestId="report-eval-result"
        upstream={ran}
        evaluate={(expr) =>
          ipc.evalReport(props.report, props.node, expr).then(
            (value) => ({ value }),
            (err) => ({ error: `error: ${errorText(err)}` }),
          )
        }
        show={(value) => <code>{JSON.stringify(value)}</code>}
      />
    </div>
  );
}
