// What the E2E suite and the figures script (figures.mjs) both measure with:
// a large workflow, and the app's memory (PSS, in MB).

import fs from "node:fs";

/** A chain of `n` nodes: a manual trigger, then `task.set` nodes in rows of 40. */
export function bigWorkflow(n) {
  const nodes = [{ id: "start", type: "trigger.manual", position: { x: 0, y: 0 } }];
  const edges = [];
  for (let i = 1; i < n; i++) {
    nodes.push({
      id: `n${i}`,
      type: "task.set",
      position: { x: (i % 40) * 220, y: Math.floor(i / 40) * 120 },
      config: { values: { step: i } },
    });
    edges.push({ id: `e${i}`, from: i === 1 ? "start" : `n${i - 1}`, to: `n${i}` });
  }
  return { flowbench: 1, id: "big", nodes, edges };
}

/**
 * The memory of the app and its WebKit processes, in MB: the proportional set
 * size (PSS), which counts shared libraries once across the processes instead
 * of once per process as RSS does.
 */
export function appMemoryMb() {
  let kb = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (!/^(flowbench-app|WebKitWebProces|WebKitNetworkPr)$/.test(comm)) continue;
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      /* the process ended */
    }
  }
  return kb / 1024;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/**
 * The app's memory once it settles: the median of PSS samples taken every
 * 250 ms for 4 s, so that a figure does not depend on the moment WebKit's
 * collector last ran.
 */
export async function settledMemoryMb() {
  const samples = [];
  for (let i = 0; i < 16; i++) {
    await new Promise((r) => setTimeout(r, 250));
    samples.push(appMemoryMb());
  }
  return median(samples);
}
