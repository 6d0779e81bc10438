// The History's charts (recharts): runs per day by status with the success
// rate, durations (median and 95th percentile) per day, and per node the
// failures and median duration. The figures come from the engine (run_stats).

import { useEffect, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { WorkflowStats } from "../bindings/WorkflowStats";
import { errorText, ipc } from "../ipc/commands";

const COLOURS = { succeeded: "#0f766e", failed: "#dc2626", other: "#9ca3af" };

export function RunCharts(props: { workflowId: string; since: string; tick: number }) {
  const [stats, setStats] = useState<WorkflowStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    ipc.runStats(props.workflowId, props.since).then(
      (s) => live && (setStats(s), setError(null)),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [props.workflowId, props.since, props.tick]);
  if (error) return <p className="help error-text">{error}</p>;
  if (!stats || stats.perDay.length === 0)
    return <div className="history-charts help">No runs to chart yet.</div>;
  const rate = stats.successRate;
  return (
    <div className="history-charts" data-testid="history-charts">
      <figure>
        <figcaption>
          Runs per day{" "}
          <strong data-testid="success-rate">
            {rate == null ? "" : `${Math.round(rate * 100)}% succeeded`}
          </strong>
        </figcaption>
        <ResponsiveContainer width="100%" height={150}>
          <BarChart data={stats.perDay}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={30} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Bar
              dataKey="succeeded"
              stackId="s"
              fill={COLOURS.succeeded}
              isAnimationActive={false}
            />
            <Bar dataKey="failed" stackId="s" fill={COLOURS.failed} isAnimationActive={false} />
            <Bar dataKey="other" stackId="s" fill={COLOURS.other} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Duration per day (ms)</figcaption>
        <ResponsiveContainer width="100%" height={150}>
          <LineChart data={stats.perDay}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="day" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} width={40} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Line dataKey="medianMs" name="median" stroke="#0f766e" isAnimationActive={false} dot />
            <Line dataKey="p95Ms" name="95th pct" stroke="#f59e0b" isAnimationActive={false} dot />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure data-testid="node-chart">
        <figcaption>Per node: failures and median duration (ms)</figcaption>
        {/* A row for every node, each named: at a fixed height the axis
            dropped every other name and bars read as another node's. */}
        <ResponsiveContainer width="100%" height={Math.max(150, 60 + 22 * stats.nodes.length)}>
          <BarChart data={stats.nodes} layout="vertical" margin={{ left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="node" tick={{ fontSize: 11 }} width={90} interval={0} />
            <Tooltip />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="failures" fill={COLOURS.failed} isAnimationActive={false} />
            <Bar
              dataKey="medianMs"
              name="median ms"
              fill={COLOURS.succeeded}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
