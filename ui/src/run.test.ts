import { describe, expect, it } from "vitest";
import type { RunReport } from "./bindings/RunReport";
import { applyEvent, finish, startView } from "./run";

describe("the run view", () => {
  it("follows the run's events", () => {
    let v = startView("h");
    v = applyEvent(v, { kind: "nodeStarted", node: "a", at: "t" });
    expect(v.nodes.a.status).toBe("running");
    v = applyEvent(v, {
      kind: "log",
      node: "a",
      line: { at: "t", level: "info", message: "hello" },
    });
    v = applyEvent(v, {
      kind: "nodeFinished",
      node: "a",
      status: "failed",
      durationMs: 7,
      error: { code: "http_status", message: "500" },
    });
    v = applyEvent(v, { kind: "edgeResolved", edge: "e1", taken: false });
    expect(v.nodes.a).toEqual({ status: "failed", durationMs: 7 });
    expect(v.errors).toEqual([{ node: "a", code: "http_status", message: "500" }]);
    expect(v.logs[0].line.message).toBe("hello");
    expect(v.edges.e1).toBe(false);
    expect(v.running).toBe(true);
  });

  it("ends with the report's statuses, and keeps them", () => {
    const report = {
      runId: "r",
      workflowId: "w",
      status: "succeeded",
      startedAt: "",
      finishedAt: "",
      durationMs: 3,
      trigger: "s",
      input: {},
      vars: {},
      output: {},
      errors: [],
      nodes: [
        {
          node: "b",
          status: "skipped",
          attempts: 0,
          startedAt: null,
          durationMs: null,
          input: null,
          output: null,
          error: null,
          logs: [],
        },
      ],
    } as RunReport;
    const v = finish(startView("h"), report, null);
    expect(v.running).toBe(false);
    expect(v.nodes.b.status).toBe("skipped");
    expect(finish(startView("h"), null, "has errors").refused).toBe("has errors");
  });

  it("a report opened from the history fills the Logs from its nodes, in time order", () => {
    const rec = (node: string, logs: [string, string][]) => ({
      node,
      status: "succeeded",
      attempts: 1,
      startedAt: null,
      durationMs: 1,
      input: null,
      output: null,
      error: null,
      logs: logs.map(([at, message]) => ({ at, level: "info", message })),
    });
    const report = {
      runId: "r",
      workflowId: "w",
      status: "failed",
      startedAt: "",
      finishedAt: "",
      durationMs: 3,
      trigger: "s",
      input: {},
      vars: {},
      output: {},
      errors: [{ node: "b", code: "http_status", message: "500" }],
      nodes: [
        rec("a", [["2026-01-01T00:00:00.002Z", "second"]]),
        rec("b", [["2026-01-01T00:00:00.001Z", "first"]]),
      ],
    } as RunReport;
    const v = finish(startView("case:r"), report, null);
    expect(v.logs.map((l) => [l.node, l.line.message])).toEqual([
      ["b", "first"],
      ["a", "second"],
    ]);
    expect(v.errors).toEqual([{ node: "b", code: "http_status", message: "500" }]);
  });
});
