// The desktop app's start and memory figures, from the real app under Xvfb
// over WebDriver: `scripts/bench-app.sh` (a release build by default). Not a
// test: it prints figures, each the median of several starts, with its range.
//
//   start:  from asking the driver for the app to the start screen listing
//           the workspace (the same measure the E2E suite prints);
//   idle:   the proportional set size (PSS) of the app's processes, sampled
//           every 250 ms for 4 s once the start screen shows, the median sample;
//   1,000 nodes: the same, once a 1,000-node workflow is drawn.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { bigWorkflow, settledMemoryMb } from "./measures.mjs";
import { session, waitForDriver } from "./webdriver.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const target = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const app = process.env.FLOWBENCH_APP ?? path.join(target, "release/flowbench-app");
const starts = Number(process.env.FLOWBENCH_STARTS ?? 5);

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-figures-"));
for (const f of fs.readdirSync(path.join(root, "workflows"))) {
  if (f.endsWith(".flow.json"))
    fs.copyFileSync(path.join(root, "workflows", f), path.join(workspace, f));
}
fs.writeFileSync(path.join(workspace, "big.flow.json"), JSON.stringify(bigWorkflow(1000), null, 2));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const range = (xs) => `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;

const driver = spawn("tauri-driver", [], {
  env: {
    ...process.env,
    FLOWBENCH_WORKSPACE: workspace,
    FLOWBENCH_DB: path.join(workspace, "history.db"),
    FLOWBENCH_KEYRING: "off",
    XDG_DATA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-figures-data-")),
    XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-figures-config-")),
  },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const figures = { start: [], idle: [], big: [] };
try {
  await waitForDriver();
  for (let i = 0; i < starts; i++) {
    const asked = performance.now();
    const s = await session(app);
    await s.waitFor(
      "return document.querySelectorAll('.start-screen [data-workflow-id]').length > 0",
      20000,
    );
    figures.start.push(performance.now() - asked);
    figures.idle.push(await settledMemoryMb());
    await (await s.find('.start-screen [data-workflow-id="big"]')).click();
    await s.waitFor("return document.querySelectorAll('.react-flow__node').length === 1000", 30000);
    figures.big.push(await settledMemoryMb());
    await s.close();
    console.error(
      `start ${i + 1}: ${Math.round(figures.start[i])} ms, idle ${Math.round(figures.idle[i])} MB, ` +
        `1,000 nodes ${Math.round(figures.big[i])} MB`,
    );
  }
} finally {
  process.kill(-driver.pid, "SIGTERM");
}
console.log(`app: ${app}`);
console.log(
  `start to an interactive canvas: median ${Math.round(median(figures.start))} ms (${range(figures.start)} over ${starts} starts)`,
);
console.log(
  `idle memory (PSS): median ${Math.round(median(figures.idle))} MB (${range(figures.idle)})`,
);
console.log(
  `memory with 1,000 nodes open (PSS): median ${Math.round(median(figures.big))} MB (${range(figures.big)})`,
);
