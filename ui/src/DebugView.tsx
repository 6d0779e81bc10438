// The Debug tab: the node the run is paused before, its input, its config
// with every expression evaluated, $vars, and an expression box that
// evaluates in its scope.

import { useEffect } from "react";
import { JsonView, allExpanded, defaultStyles } from "react-json-view-lite";
import { debugStep, evaluate, loadPausedView } from "./hooks/useRun";
import { ExpressionBox } from "./ExpressionBox";
import { useStore } from "./store";

function Tree({ value }: { value: unknown }) {
  if (value === null || value === undefined || typeof value !== "object")
    return <code className="json-scalar">{JSON.stringify(value ?? null)}</code>;
  return <JsonView data={value as object} shouldExpandNode={allExpanded} style={defaultStyles} />;
}

export function DebugView() {
  const paused = useStore((s) => s.run?.paused ?? null);
  const view = useStore((s) => s.pausedView);
  // `$nodes.` completes the nodes that have finished: those the scope holds.
  const nodes = useStore((s) => s.run?.nodes);
  const finished = Object.entries(nodes ?? {})
    .filter(([, n]) => n.status === "succeeded" || n.status === "failed")
    .map(([id]) => id);

  useEffect(() => {
    if (paused) void loadPausedView(paused);
  }, [paused]);

  if (!paused)
    return (
      <p className="help">
        Set a breakpoint on a node (F9), then Run: the run pauses before it, and this tab shows what
        the node will receive.
      </p>
    );
  return (
    <div className="debug-view" data-paused={paused}>
      <h3>
        Paused before <code>{paused}</code>
        <button name="debug-step" onClick={() => void debugStep("step")} title="F10">
          Step
        </button>
        <button name="debug-continue" onClick={() => void debugStep("continue")} title="F5">
          Continue
        </button>
      </h3>
      {/* Keyed by the paused node: a new pause starts with no result shown. */}
      <ExpressionBox
        key={paused}
        name="debug"
        resultTestId="eval-result"
        upstream={finished}
        evaluate={evaluate}
        show={(value) => <Tree value={value} />}
      />
      {view?.error && <p className="field-error">{view.error}</p>}
      {view && view.node === paused && !view.error && (
        <>
          <h3>input</h3>
          <div data-testid="paused-input">
            <Tree value={view.input} />
          </div>
          <h3>config</h3>
          <div data-testid="paused-config">
            <Tree value={view.config} />
          </div>
          <h3>$vars</h3>
          <Tree value={view.vars} />
        </>
      )}
    </div>
  );
}
