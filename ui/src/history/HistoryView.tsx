// The History tab: the open workflow's recorded runs (status, trigger, start,
// duration), filtered by status and time; opening one shows it on the canvas
// and in the debug panel as if it had just run. Beside the list, its charts.

import { lazy, Suspense, useEffect, useState } from "react";
import type { RunReport } from "../bindings/RunReport";
import type { RunStatus } from "../bindings/RunStatus";
import type { RunSummary } from "../bindings/RunSummary";
import { errorText, ipc } from "../ipc/commands";
import { useStore } from "../store";

// The charting library loads with the first History shown, not with the app.
const RunCharts = lazy(() => import("./RunCharts").then((m) => ({ default: m.RunCharts })));

const STATUSES: RunStatus[] = [
  "succeeded",
  "failed",
  "waiting",
  "cancelled",
  "running",
  "interrupted",
];

/** The periods the filter offers, in hours (0: all time). */
const PERIODS: [string, number][] = [
  ["last 24 hours", 24],
  ["last 7 days", 24 * 7],
  ["last 30 days", 24 * 30],
  ["all time", 0],
];

/** A start time as the list shows it: date and time, short. */
export function shortTime(at: string): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function sinceFor(hours: number, now = Date.now()): string | undefined {
  return hours > 0 ? new Date(now - hours * 3_600_000).toISOString() : undefined;
}

export function HistoryView(props: {
  workflowId: string;
  onShowRun: (report: RunReport, edges?: Record<string, boolean>) => void;
}) {
  const tick = useStore((s) => s.historyTick);
  const say = useStore((s) => s.say);
  const [status, setStatus] = useState<RunStatus | "">("");
  const [hours, setHours] = useState(24 * 7);
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    ipc
      .listRuns({
        workflow: props.workflowId,
        status: status || undefined,
        since: sinceFor(hours),
        limit: 200,
      })
      .then(
        (r) => live && (setRuns(r), setError(null)),
        (e) => live && setError(errorText(e)),
      );
    return () => {
      live = false;
    };
  }, [props.workflowId, status, hours, tick]);

  const open = async (run: RunSummary) => {
    try {
      const shown = await ipc.showRun(run.runId);
      setOpened(run.runId);
      props.onShowRun(shown.report, shown.edges);
    } catch (e) {
      say(`Cannot open run ${run.runId.slice(0, 8)}: ${errorText(e)}`, true);
    }
  };
  const resume = async (run: RunSummary) => {
    try {
      say(`Resuming run ${run.runId.slice(0, 8)}…`);
      const report = await ipc.resumeRun(run.runId);
      useStore.getState().bumpHistory();
      props.onShowRun(report);
      say(`Run ${run.runId.slice(0, 8)} resumed: ${report.status}`);
    } catch (e) {
      say(`Not resumed: ${errorText(e)}`, true);
    }
  };

  return (
    <div className="history">
      <div className="history-runs">
        <div className="history-filters">
          <select
            name="history-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as RunStatus | "")}
          >
            <option value="">every status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <select
            name="history-period"
            value={hours}
            onChange={(e) => setHours(Number(e.target.value))}
          >
            {PERIODS.map(([label, h]) => (
              <option key={h} value={h}>
                {label}
              </option>
            ))}
          </select>
          <span className="help" data-testid="history-count">
            {runs ? `${runs.length} run(s) of ${props.workflowId}` : ""}
          </span>
        </div>
        {error && <p className="help error-text">{error}</p>}
        <table className="history-table">
          <thead>
            <tr>
              <th>status</th>
              <th>trigger</th>
              <th>started</th>
              <th>duration</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(runs ?? []).map((r) => (
              <tr
                key={r.runId}
                className={`history-run${opened === r.runId ? " opened" : ""}`}
                data-run={r.runId}
                data-status={r.status}
                onClick={() => open(r)}
                title="Open this run on the canvas"
              >
                <td>
                  <span className={`status status-${r.status}`}>{r.status}</span>
                </td>
                <td>{r.trigger}</td>
                <td>{shortTime(r.startedAt)}</td>
                <td>{r.durationMs != null ? `${r.durationMs} ms` : "–"}</td>
                <td>
                  {r.status === "interrupted" && (
                    <button
                      name="resume-run"
                      onClick={(e) => {
                        e.stopPropagation();
                        resume(r);
                      }}
                    >
                      Resume
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs?.length === 0 && !error && (
          <p className="help">No runs of {props.workflowId} in this period.</p>
        )}
      </div>
      <Suspense fallback={<p className="help">Loading the charts…</p>}>
        <RunCharts workflowId={props.workflowId} since={sinceFor(hours) ?? ""} tick={tick} />
      </Suspense>
    </div>
  );
}
