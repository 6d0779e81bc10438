// On start: the runs whose process ended before they did (the app closed or
// killed mid-run), with Resume for each. Resuming goes on from the journal:
// finished nodes do not run again.

import { useEffect, useState } from "react";
import type { RunReport } from "../bindings/RunReport";
import type { RunSummary } from "../bindings/RunSummary";
import { errorText, ipc } from "../ipc/commands";
import { useStore } from "../store";

export function Interrupted(props: { onShowRun: (report: RunReport) => void }) {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const say = useStore((s) => s.say);
  useEffect(() => {
    ipc.listRuns({ status: "interrupted", limit: 20 }).then(setRuns, () => setRuns([]));
  }, []);
  if (runs.length === 0) return null;
  const resume = async (run: RunSummary) => {
    setRuns((rs) => rs.filter((r) => r.runId !== run.runId));
    try {
      const report = await ipc.resumeRun(run.runId);
      useStore.getState().bumpHistory();
      props.onShowRun(report);
      say(`Run ${run.runId.slice(0, 8)} of ${run.workflowId} resumed: ${report.status}`);
    } catch (e) {
      say(`Not resumed: ${errorText(e)}`, true);
    }
  };
  return (
    <div className="interrupted" role="alert" data-testid="interrupted-runs">
      <strong>{runs.length} run(s) stopped when Flowbench last closed.</strong>
      {runs.map((r) => (
        <span key={r.runId} className="interrupted-run" data-run={r.runId}>
          {r.workflowId} ({new Date(r.startedAt).toLocaleString()})
          <button name="resume-interrupted" onClick={() => resume(r)}>
            Resume
          </button>
        </span>
      ))}
      <button name="dismiss-interrupted" onClick={() => setRuns([])}>
        Dismiss
      </button>
    </div>
  );
}
