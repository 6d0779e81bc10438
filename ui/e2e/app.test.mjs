// End-to-end tests: the real Flowbench app under Xvfb, driven over WebDriver
// (tauri-driver + WebKitWebDriver). Each test saves a screenshot.
// Run through scripts/e2e.sh, which builds the app and starts Xvfb.

import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import http from "node:http";
import { bigWorkflow, settledMemoryMb } from "./measures.mjs";
import { KEY, session, waitForDriver } from "./webdriver.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const target = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const app = process.env.FLOWBENCH_APP ?? path.join(target, "debug/flowbench-app");
const cli = process.env.FLOWBENCH_CLI ?? path.join(target, "debug/flowbench");
const shots = path.join(target, "e2e-screenshots");
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-e2e-"));
// The run history of the app and of the CLI runs below: one database, never the user's.
const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-e2e-db-")), "history.db");
const cliEnv = { ...process.env, FLOWBENCH_DB: db };
const configHome = fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-e2e-config-"));

let driver;
let s;

async function shot(name) {
  fs.mkdirSync(shots, { recursive: true });
  fs.writeFileSync(path.join(shots, `${name}.png`), await s.screenshot());
}

const count = (css) => s.script(`return document.querySelectorAll(${JSON.stringify(css)}).length`);
/** Waits for a toast whose text matches, and returns the text. */
const toast = (re) =>
  s.waitFor(
    `const t = document.querySelector('.toast'); return t && new RegExp(arguments[0]).test(t.textContent) && t.textContent`,
    8000,
    re.source,
  );

/**
 * Waits until the canvas has stopped moving: the viewport (an animated fit
 * ends) and every node (a layout is applied), read frame after frame.
 */
async function settled() {
  const read = `return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() =>
     r(JSON.stringify([...document.querySelectorAll('.react-flow__viewport, .react-flow__node')]
       .map(e => e.style.transform))))))`;
  let last = await s.script(read);
  for (let i = 0; i < 50; i++) {
    const now = await s.script(read);
    if (now === last) return;
    last = now;
  }
}

/**
 * After a workflow was asked for: once the app has either opened it (its
 * entry in the list is the current one, nothing unsaved) or asked whether to
 * discard unsaved changes, the changes are discarded.
 */
async function discardIfAsked(entry) {
  await s.waitFor(
    `return document.querySelector('.modal') ||
       (document.querySelector(${JSON.stringify(`.sidebar li.current${entry}`)}) &&
        !document.querySelector('.unsaved'))`,
  );
  if (await count(".modal")) await (await s.find('.modal button[name="confirm"]')).click();
}

async function openFile(file, nodes) {
  // The workflow list may be folded away: its toolbar button brings it back.
  if (!(await count(".sidebar"))) await (await s.find('[data-action="show-workflows"]')).click();
  await (await s.find(`.sidebar li[data-file="${file}"] button.open`)).click();
  // Leaving unsaved changes asks first: discard them.
  await discardIfAsked(`[data-file="${file}"]`);
  await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === ${nodes}`);
  // The view fits the workflow once its nodes are measured.
  await settled();
}

/**
 * Clicks a node on the canvas. One out of view (a graph larger than the canvas
 * at a readable zoom) is found first, as a person would: the toolbar's Find
 * brings it to the middle.
 */
async function clickNode(id) {
  const css = `.react-flow__node[data-id="${id}"]`;
  const inView = `
    const c = document.querySelector('.canvas').getBoundingClientRect();
    const r = document.querySelector(arguments[0])?.getBoundingClientRect();
    return !!r && r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom;`;
  if (!(await s.script(inView, css))) {
    await (await s.find('button[name="find-node"]')).click();
    await (await s.find('input[name="find-node"]')).type(id);
    await (await s.find(`.find-item[data-node="${id}"]`)).click();
    await s.waitFor(inView, 8000, css);
  }
  await (await s.find(css)).click();
}

/** A trigger, a delay of `ms`, then a log line: a run that is easy to catch mid-way. */
function delayWorkflow(id, ms) {
  return JSON.stringify({
    flowbench: 1,
    id,
    nodes: [
      { id: "start", type: "trigger.manual", position: { x: 0, y: 0 } },
      { id: "wait", type: "task.delay", position: { x: 240, y: 0 }, config: { ms } },
      {
        id: "after",
        type: "task.log",
        position: { x: 480, y: 0 },
        config: { message: "done waiting" },
      },
    ],
    edges: [
      { id: "e1", from: "start", to: "wait" },
      { id: "e2", from: "wait", to: "after" },
    ],
  });
}

before(async () => {
  for (const f of fs.readdirSync(path.join(root, "workflows"))) {
    if (f.endsWith(".flow.json") || f.endsWith(".test.json"))
      fs.copyFileSync(path.join(root, "workflows", f), path.join(workspace, f));
  }
  fs.writeFileSync(path.join(workspace, "broken.flow.json"), '{ "flowbench": 1, "id": ');
  fs.writeFileSync(
    path.join(workspace, "big.flow.json"),
    JSON.stringify(bigWorkflow(1000), null, 2) + "\n",
  );
  fs.writeFileSync(path.join(workspace, "slow.flow.json"), delayWorkflow("slow", 30000));
  driver = spawn("tauri-driver", [], {
    env: {
      ...process.env,
      FLOWBENCH_WORKSPACE: workspace,
      FLOWBENCH_DB: db,
      // A data folder of its own: what the web view keeps (the panels'
      // layout, recent files) starts empty in every run.
      XDG_DATA_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "flowbench-e2e-data-")),
      // And a config folder of its own: the window's remembered size too.
      XDG_CONFIG_HOME: configHome,
      // The app's Service listens on a free port.
      FLOWBENCH_SERVICE_PORT: "0",
      // Secrets keys in files beside the test databases, never in the keyring of whoever runs this.
      FLOWBENCH_KEYRING: "off",
    },
    stdio: ["ignore", "ignore", "inherit"],
    // Its own process group, so that its WebKitWebDriver child goes with it.
    detached: true,
  });
  await waitForDriver();
  const started = performance.now();
  await startApp();
  console.log(
    `figure: app start to an interactive canvas: ${Math.round(performance.now() - started)} ms`,
  );
  console.log(
    `figure: idle memory of the app's processes (PSS, median over 4 s): ${Math.round(await settledMemoryMb())} MB`,
  );
});

/** Starts the app (again): a new session of the driver. */
async function startApp() {
  s = await session(app);
  // The app opens on the start screen, listing the workspace's workflows.
  await s.waitFor(
    "return document.querySelectorAll('.start-screen [data-workflow-id]').length > 0",
  );
}

/**
 * Adds a node of a type through the node picker, as the toolbar's "+ Node"
 * does: unconnected, unless `after` keeps the selection (the new node then
 * follows the selected one).
 */
async function addNodeOfType(type, { after = false } = {}) {
  if (!after) await s.keys(KEY.ESCAPE);
  await (await s.find('button[name="add-node"]')).click();
  // Searched for, as a person would: the list narrows to the one type.
  await (await s.find('.node-picker input[name="node-search"]')).type(type);
  await (await s.find(`.node-picker .palette-item[data-type="${type}"]`)).click();
  await s.waitFor("return !document.querySelector('.node-picker')");
}

// The screen as each test left it, to look at when one fails.
afterEach(async (t) => {
  await shot(`last-${t.name.slice(0, 60).replace(/[^A-Za-z0-9]+/g, "-")}`).catch(() => {});
  // A test that failed halfway may leave a picker or a dialog open: Escape
  // closes it, so that the next test starts from the canvas and one failure
  // reads as one.
  for (let i = 0; i < 3; i++) {
    if (!(await count(".node-picker, .modal").catch(() => 0))) break;
    if (await count('.modal button[name="cancel"]').catch(() => 0))
      await (await s.find('.modal button[name="cancel"]')).click().catch(() => {});
    else await s.keys(KEY.ESCAPE).catch(() => {});
  }
});

after(async () => {
  await s?.close().catch(() => {});
  if (driver) process.kill(-driver.pid, "SIGTERM");
});

describe("the canvas editor", () => {
  it("opens an example from the sidebar with no problems", async () => {
    await openFile("inventory-reorder", 8);
    assert.equal(await count(".react-flow__edge"), 7);
    await s.waitFor(
      `return document.querySelector('.problems').textContent.includes('No problems.')`,
    );
    const labels = await s.script(
      `return [...document.querySelectorAll('.wf-node-label')].map(e => e.textContent)`,
    );
    assert.ok(labels.includes("Find low stock"));
    await shot("01-open-example");
  });

  it("adds a node from the palette, connects it, edits its config and saves", async () => {
    await openFile("inventory-reorder", 8);
    await addNodeOfType("task.log");
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 9`);
    // The new node has no message yet: the engine says so.
    await s.waitFor(
      `return [...document.querySelectorAll('.problem')].some(p => p.dataset.code === 'missing_config')`,
    );
    await s.clickConnect(
      '.react-flow__node[data-id="done"] .react-flow__handle.source',
      '.react-flow__node[data-id="log"] .react-flow__handle.target',
    );
    await s.waitFor(`return document.querySelectorAll('.react-flow__edge').length === 8`);
    await clickNode("log");
    await s.find('[data-testid="node-inspector"]');
    await (await s.find('.code-field[aria-label="config-message"] .cm-content')).click();
    await s.keys("Reordered {{ $vars.reorderQty }} units");
    await (await s.find('select[name="config-level"] option[value="warn"]')).click();
    await (await s.find('input[name="node-name"]')).type("Audit reorder");
    await s.waitFor(
      `return document.querySelector('[data-testid="title"]').textContent.includes('unsaved')`,
    );
    await s.chord(KEY.CONTROL, "s");
    assert.match(await toast(/^Saved /), /inventory-reorder\.flow\.json \(revision \d+\)$/);
    await s.waitFor(
      `return !document.querySelector('[data-testid="title"]').textContent.includes('unsaved')`,
    );
    await shot("02-added-connected-saved");

    const file = path.join(workspace, "inventory-reorder.flow.json");
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    const log = saved.nodes.find((n) => n.id === "log");
    assert.equal(log.type, "task.log");
    assert.equal(log.name, "Audit reorder");
    assert.deepEqual(log.config, {
      message: "Reordered {{ $vars.reorderQty }} units",
      level: "warn",
    });
    assert.ok(saved.edges.some((e) => e.from === "done" && e.to === "log"));
    // The CLI, through the same engine, finds the saved file clean.
    execFileSync(cli, ["validate", file], { stdio: "pipe" });
  });

  it("refuses an invalid connection and says why", async () => {
    await openFile("order-placement", 8);
    await s.clickConnect(
      '.react-flow__node[data-id="confirm"] .react-flow__handle.source',
      '.react-flow__node[data-id="stock"] .react-flow__handle.target',
    );
    assert.match(await toast(/^Cannot connect/), /These nodes form a cycle: stock → enough/);
    assert.equal(await count(".react-flow__edge"), 7);
    await shot("03-refused-connection");
  });

  it("deletes with the keyboard and undoes", async () => {
    await openFile("lead-intake", 9);
    await clickNode("archive");
    await s.keys(KEY.DELETE);
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 8`);
    await s.waitFor(
      `return [...document.querySelectorAll('.problem')].some(p => p.dataset.code === 'port_unconnected')`,
    );
    await s.chord(KEY.CONTROL, "z");
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 9`);
    await s.chord(KEY.CONTROL, "y");
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 8`);
    await shot("04-delete-undo");
    await s.chord(KEY.CONTROL, "z");
  });

  it("a file the engine refuses opens nothing and says why", async () => {
    await openFile("nightly-etl", 5);
    await (await s.find('.sidebar li[data-file="broken"] button.open')).click();
    // Unsaved changes are guarded first: there are none here.
    assert.match(await toast(/^Cannot open/), /broken\.flow\.json:1:\d+: not valid JSON/);
    assert.equal(await count(".react-flow__node"), 5);
    await shot("05-refused-file");
  });

  it("draws the inventory-reorder workflow from an empty canvas", async () => {
    await (await s.find('button[name="new"]')).click();
    if (await count('.modal button[name="confirm"]')) {
      const title = await (await s.find(".modal h3")).text();
      if (title.startsWith("Discard"))
        await (await s.find('.modal button[name="confirm"]')).click();
    }
    await (await s.find('.modal input[name="answer"]')).type("reorder-drawn");
    await (await s.find('.modal button[name="confirm"]')).click();
    await s.waitFor(
      `return document.querySelector('[data-testid="title"]').textContent.includes('reorder-drawn')`,
    );
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 1`);
    for (const type of [
      "task.code",
      "condition.if",
      "task.sql",
      "task.http",
      "task.respond",
      "task.log",
    ]) {
      await addNodeOfType(type);
    }
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 7`);
    await (await s.find('button[name="layout"]')).click();
    await settled();
    const port = (node, p) =>
      `.react-flow__node[data-id="${node}"] .react-flow__handle.source[data-handleid="${p}"]`;
    const input = (node) => `.react-flow__node[data-id="${node}"] .react-flow__handle.target`;
    for (const [from, p, to] of [
      ["start", "out", "code"],
      ["code", "out", "if"],
      ["if", "true", "sql"],
      ["sql", "out", "http"],
      ["http", "out", "respond"],
      ["if", "false", "log"],
    ]) {
      const before = await count(".react-flow__edge");
      await s.clickConnect(port(from, p), input(to));
      await s.waitFor(
        `return document.querySelectorAll('.react-flow__edge').length === ${before + 1}`,
      );
    }
    await (await s.find('button[name="layout"]')).click();
    await settled();

    const select = async (id) => {
      await clickNode(id);
      await s.waitFor(
        `return document.querySelector('input[name="node-id"]')?.value === ${JSON.stringify(id)}`,
      );
    };
    const code = async (field, text) => {
      await (await s.find(`.code-field[aria-label="${field}"] .cm-content`)).click();
      await s.keys(text);
    };
    await select("code");
    await code("config-code", "return $trigger.items.filter(i => i.qty < $vars.threshold);");
    await select("if");
    await code("config-condition", "{{ $nodes.code.output.length > 0 }}");
    await select("sql");
    await (await s.find('input[name="config-database"]')).type("inventory.sqlite");
    await (
      await s.find('input[name="config-query"]')
    ).type("INSERT INTO reorders (sku) VALUES (:sku)");
    await (await s.find('textarea[name="config-params"]')).type('{"sku": "{{ $item.sku }}"}');
    await code("forEach", "{{ $nodes.code.output }}");
    await select("http");
    await code("config-url", "{{ $vars.baseUrl }}/notifications");
    await (await s.find('select[name="config-method"] option[value="POST"]')).click();
    await select("respond");
    await (
      await s.find('textarea[name="config-body"]')
    ).type('{"reordered": "{{ $nodes.code.output.length }}"}');
    await select("log");
    await code("config-message", "Nothing to reorder");

    await (await s.find('button[name="settings"]')).click();
    await s.find('[data-testid="workflow-settings"]');
    for (const [i, key, value] of [
      [0, "threshold", "10"],
      [1, "baseUrl", '"http://127.0.0.1:8080"'],
    ]) {
      await (await s.find('button[name="add-variable"]')).click();
      await (await s.find(`input[name="var-key-${i}"]`)).click();
      await s.chord(KEY.CONTROL, "a");
      await s.keys(key + KEY.ENTER);
      const box = await s.find(`textarea[name="var-value-${i}"]`);
      await box.click();
      await s.chord(KEY.CONTROL, "a");
      await s.keys(value);
    }
    await s.waitFor(
      `return document.querySelector('.problems').textContent.includes('No problems.')`,
    );
    await shot("07-drawn-from-empty");
    await s.chord(KEY.CONTROL, "s");
    assert.match(await toast(/^Saved /), /reorder-drawn\.flow\.json \(revision \d+\)$/);

    const file = path.join(workspace, "reorder-drawn.flow.json");
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.deepEqual(saved.variables, { threshold: 10, baseUrl: "http://127.0.0.1:8080" });
    assert.deepEqual(
      saved.nodes.map((n) => n.type),
      [
        "trigger.manual",
        "task.code",
        "condition.if",
        "task.sql",
        "task.http",
        "task.respond",
        "task.log",
      ],
    );
    assert.equal(
      saved.nodes[1].config.code,
      "return $trigger.items.filter(i => i.qty < $vars.threshold);",
    );
    assert.deepEqual(saved.nodes[3].config.params, { sku: "{{ $item.sku }}" });
    assert.equal(saved.nodes[3].forEach, "{{ $nodes.code.output }}");
    assert.equal(saved.nodes[4].config.method, "POST");
    assert.equal(saved.edges.length, 6);
    assert.ok(saved.edges.some((e) => e.from === "if" && e.fromPort === "false" && e.to === "log"));
    execFileSync(cli, ["validate", file], { stdio: "pipe" });
  });

  it("opens a 1,000-node workflow", async () => {
    const started = performance.now();
    await openFile("big", 1000);
    console.log(
      `figure: open a 1,000-node workflow: ${Math.round(performance.now() - started)} ms`,
    );
    await shot("06-big-workflow");
  });

  it("memory with the 1,000-node workflow open", async () => {
    const mb = Math.round(await settledMemoryMb());
    console.log(
      `figure: memory of the app's processes with 1,000 nodes open (PSS, median over 4 s): ${mb} MB`,
    );
    assert.ok(mb > 0);
  });
});

/** A local HTTP peer on 127.0.0.1: `/notifications` answers 201; under `/fail/` it answers 500. */
async function startPeer() {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ url: req.url, body });
      if (req.url.startsWith("/fail/")) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("purchasing inbox is full");
      } else {
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true }));
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    received,
    close: () => server.close(),
  };
}

async function runWith(vars) {
  await (await s.find('button[name="run"]')).click();
  await s.find('textarea[name="run-vars"]');
  // Set as a paste would: WebKitWebDriver sometimes types shifted characters
  // unshifted ({ as [) into this box.
  await s.script(
    `const t = document.querySelector('textarea[name="run-vars"]');
     Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(t, arguments[0]);
     t.dispatchEvent(new Event("input", { bubbles: true }));`,
    JSON.stringify(vars),
  );
  await (await s.find('button[name="start-run"]')).click();
}

const runStatus = (re) =>
  s.waitFor(
    `const t = document.querySelector('[data-testid="run-status"]'); return t && new RegExp(arguments[0]).test(t.textContent) && t.textContent`,
    15000,
    re.source,
  );

describe("running from the canvas", () => {
  let peer;
  before(async () => (peer = await startPeer()));
  after(() => peer.close());

  it("runs an example against a local server; Responses and Logs show each node", async () => {
    await openFile("inventory-reorder", 9);
    await runWith({ baseUrl: peer.base });
    await runStatus(/^run succeeded in \d+ ms$/);
    assert.equal(await count('.wf-node[data-run-status="succeeded"]'), 8);
    assert.equal(await count('.wf-node[data-run-status="skipped"]'), 1);
    assert.ok((await count(".react-flow__edge.edge-taken")) >= 7);
    assert.equal(await count(".react-flow__edge.edge-dead"), 1);
    const sent = peer.received.find((r) => r.url === "/notifications");
    assert.match(JSON.parse(sent.body).text, /^Reorder A1, C3$/);

    // Logs: every line of the run, with its node.
    await (await s.find('button[name="tab-logs"]')).click();
    await s.waitFor(
      `return [...document.querySelectorAll('tr.log')].some(r => r.dataset.node === 'low' && r.textContent.includes('2 of 3 items below 10'))`,
    );
    // Responses: select a node on the canvas to focus its input and output.
    await clickNode("low");
    await (await s.find('button[name="tab-responses"]')).click();
    await s.waitFor(
      `return document.querySelectorAll('.response').length === 1 && document.querySelector('.response').dataset.node === 'low'`,
    );
    const text = await (await s.find('.response[data-node="low"]')).text();
    assert.match(text, /output/);
    assert.match(text, /A1/);
    await shot("08-run-responses");
  });

  it("a failing HTTP call shows its status and body under Errors", async () => {
    await openFile("inventory-reorder", 9);
    await runWith({ baseUrl: `${peer.base}/fail` });
    await runStatus(/^run failed/);
    await shot("09-run-failed");
    assert.equal(await count('.wf-node[data-run-status="failed"]'), 1);
    await (await s.find('button[name="tab-errors"]')).click();
    const error = await (await s.find('.run-error[data-node="notify"]')).text();
    assert.match(error, /http_status/);
    assert.match(error, /500 Internal Server Error: purchasing inbox is full/);
    // Clicking the error selects its node.
    await (await s.find('.run-error[data-node="notify"]')).click();
    await s.waitFor(`return document.querySelector('input[name="node-id"]')?.value === 'notify'`);
    await shot("09-run-errors");
  });

  it("stops a long run", async () => {
    await openFile("slow", 3);
    await runWith({});
    await s.waitFor(
      `return document.querySelector('.wf-node[data-node-id="wait"]')?.dataset.runStatus === 'running'`,
    );
    await (await s.find('button[name="stop"]')).click();
    await runStatus(/^run cancelled/);
    // The canvas keeps the run's statuses: the waiting node and the one after it are cancelled.
    await s.waitFor(
      `return document.querySelector('.wf-node[data-node-id="wait"]').dataset.runStatus === 'cancelled' &&
              document.querySelector('.wf-node[data-node-id="after"]').dataset.runStatus === 'cancelled'`,
    );
    await shot("10-run-stopped");
  });

  it("a workflow with validation errors does not run", async () => {
    await openFile("slow", 3);
    await addNodeOfType("task.http");
    // The engine has checked the edit: the Problems tab counts its error.
    await s.waitFor(
      `return [...document.querySelectorAll('button')].some(b => /^Problems \\([1-9]/.test(b.textContent))`,
    );
    await (await s.find('button[name="run"]')).click();
    assert.match(await toast(/^Cannot run/), /the Problems list says why/);
    assert.equal(await count(".run-dialog"), 0);
    // The Problems list comes to the front and says why.
    await s.waitFor(
      `return [...document.querySelectorAll('.problem')].some(p => p.dataset.code === 'missing_config' && p.textContent.includes('"url"'))`,
    );
    await shot("11-run-refused");
  });
});

describe("the Tests panel", () => {
  let peer;
  before(async () => (peer = await startPeer()));
  after(() => peer.close());

  it("lists the workflow's cases, runs them, and shows a case's run", async () => {
    await openFile("lead-intake", 9);
    await (await s.find('button[name="tab-tests"]')).click();
    await s.waitFor(`return document.querySelectorAll('.case').length === 4`);
    await (await s.find('button[name="run-all-tests"]')).click();
    await s.waitFor(
      `return document.querySelectorAll('.case [data-result="pass"]').length === 4`,
      15000,
    );
    assert.match(
      await (await s.find('[data-testid="tests-summary"]')).text(),
      /4 passed, 0 failed/,
    );
    await (await s.find('.case[data-case="a cold lead is archived"] .case-name')).click();
    await s.waitFor(
      `return document.querySelector('.wf-node[data-node-id="archive"]')?.dataset.runStatus === 'succeeded'`,
    );
    assert.equal(
      await s.script(
        `return document.querySelector('.wf-node[data-node-id="crm"]').dataset.runStatus`,
      ),
      "skipped",
    );
    await shot("12-tests-panel");
  });

  it("turns a run into a test case, edits its mocks, saves and runs it again", async () => {
    await openFile("lead-intake", 9);
    await runWith({ baseUrl: peer.base });
    await runStatus(/^run succeeded/);
    await (await s.find('button[name="tab-tests"]')).click();
    await (await s.find('button[name="save-run-as-case"]')).click();
    await s.waitFor(`return document.querySelectorAll('.case').length === 5`);
    const file = path.join(workspace, "lead-intake.test.json");
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(saved.cases.length, 5);
    const fromRun = saved.cases[4];
    assert.equal(fromRun.expect.status, "succeeded");
    assert.equal(fromRun.expect.nodes.archive.status, "skipped");
    // Without the local server the CRM call would fail: mock it with what it answered.
    const edited = { ...fromRun, mocks: { crm: { output: fromRun.expect.nodes.crm.output } } };
    await (await s.find('.case:last-child button[name="edit-case"]')).click();
    const box = await s.find('textarea[name="case-json"]');
    await box.click();
    await s.chord(KEY.CONTROL, "a");
    await s.keys(KEY.DELETE);
    await box.type(JSON.stringify(edited));
    await (await s.find('button[name="save-case"]')).click();
    await s.waitFor(`return !document.querySelector('textarea[name="case-json"]')`);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")).cases[4].mocks, edited.mocks);
    // The panel scrolled down to the edited case: back up to its buttons.
    await s.script(`document.querySelector('button[name="run-all-tests"]').scrollIntoView()`);
    await (await s.find('button[name="run-all-tests"]')).click();
    await s.waitFor(
      `return document.querySelectorAll('.case [data-result="pass"]').length === 5`,
      15000,
    );
    // The CLI agrees.
    execFileSync(cli, ["test", file], { stdio: "pipe" });
    await shot("13-run-saved-as-case");
  });
});

describe("security of the window", () => {
  it("a Content-Security-Policy blocks inline scripts", async () => {
    const ran = await s.script(`
      const probe = document.createElement("script");
      probe.textContent = "window.__cspProbe = 1";
      document.body.appendChild(probe);
      return window.__cspProbe === 1;`);
    assert.equal(ran, false, "an inline script ran: no Content-Security-Policy is in force");
    // The app itself still works under it: the canvas and its styled nodes are there.
    assert.ok((await count(".wf-node")) > 0);
  });

  it("file commands refuse a path outside the workspace, and write nothing there", async () => {
    const outside = path.join(os.tmpdir(), `outside-${process.pid}.flow.json`);
    // The commands, called as the window calls them.
    await s.script(
      `
      const invoke = window.__TAURI_INTERNALS__.invoke;
      window.__answers = {};
      const keep = (name) => (v) => (window.__answers[name] = v);
      invoke("open_workflow", { path: "/etc/passwd" }).then(keep("open"), keep("open"));
      invoke("save_workflow", { path: arguments[0], workflow: { flowbench: 1, id: "x", nodes: [], edges: [] } })
        .then(keep("save"), keep("save"));
      invoke("delete_workflow", { path: arguments[1] + "/../" + arguments[2] }).then(keep("delete"), keep("delete"));
      return true;`,
      outside,
      workspace,
      path.basename(workspace) + "-not-there",
    );
    const answers = await s.waitFor(
      "const a = window.__answers; return a.open && a.save && a.delete ? a : null;",
    );
    for (const name of ["open", "save", "delete"]) {
      assert.equal(
        answers[name].code,
        "outside_workspace",
        `${name}: ${JSON.stringify(answers[name])}`,
      );
      assert.match(answers[name].message, /is outside the workspace folder/);
    }
    assert.equal(fs.existsSync(outside), false);
  });
});

describe("the step debugger", () => {
  let peer;
  before(async () => (peer = await startPeer()));
  after(() => peer.close());

  it("pauses at a breakpoint, shows the resolved config, evaluates, steps and continues", async () => {
    await openFile("inventory-reorder", 9);
    await clickNode("notify");
    await (await s.find('button[name="breakpoint"]')).click();
    await s.waitFor(
      `return !!document.querySelector('.wf-node[data-node-id="notify"][data-breakpoint="on"] .breakpoint-dot')`,
    );
    await runWith({ baseUrl: peer.base });
    // Paused before notify: nothing has been sent yet.
    await s.waitFor(
      `return !!document.querySelector('.wf-node[data-node-id="notify"][data-run-status="paused"]')`,
      15000,
    );
    assert.equal(peer.received.filter((r) => r.url === "/notifications").length, 0);
    await s.waitFor(`return !!document.querySelector('[data-testid="paused-config"]')`);
    const config = await (await s.find('[data-testid="paused-config"]')).text();
    assert.ok(config.includes(`${peer.base}/notifications`), config);
    assert.ok(config.includes("Reorder A1, C3"), config);
    await (await s.find('.code-field[aria-label="debug-expr"] .cm-content')).click();
    await s.keys("$nodes.low.output.length");
    await s.keys(KEY.ESCAPE);
    await (await s.find('button[name="debug-eval"]')).click();
    await s.waitFor(
      `const r = document.querySelector('[data-testid="eval-result"]'); return r && r.textContent.trim() === "2"`,
    );
    await shot("14-debugger-paused");
    // Step: notify runs, and the run pauses before the next node.
    await (await s.find('button[name="step"]')).click();
    await s.waitFor(
      `return !!document.querySelector('.wf-node[data-node-id="done"][data-run-status="paused"]')`,
      15000,
    );
    assert.equal(peer.received.filter((r) => r.url === "/notifications").length, 1);
    await (await s.find('button[name="continue"]')).click();
    await runStatus(/^run succeeded in \d+ ms$/);
  });

  it("runs again from a node, reusing the outputs before it", async () => {
    const before = peer.received.filter((r) => r.url === "/notifications").length;
    // The breakpoint from the last test is on notify: clear it (F9 toggles it).
    await clickNode("notify");
    await (await s.find('button[name="breakpoint"]')).click();
    // Edit the message in notify's body, as a paste into its field would.
    await s.find('textarea[name="config-body"]');
    await s.script(
      `const t = document.querySelector('textarea[name="config-body"]');
       const edited = t.value.replace('"Reorder {{', '"Please reorder {{');
       Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(t, edited);
       t.dispatchEvent(new Event("input", { bubbles: true }));`,
    );
    await s.waitFor(
      `return document.querySelector('[data-testid="title"]').textContent.includes("unsaved")`,
    );
    const shown = await s.script(
      `return document.querySelector('[data-testid="run-status"]').dataset.run`,
    );
    await (await s.find('button[name="run-from-here"]')).click();
    // The new run is the one shown before its status is read.
    await s.waitFor(
      `return document.querySelector('[data-testid="run-status"]').dataset.run !== arguments[0]`,
      8000,
      shown,
    );
    await runStatus(/^run succeeded in \d+ ms$/);
    const notes = peer.received.filter((r) => r.url === "/notifications");
    assert.equal(notes.length, before + 1);
    assert.equal(JSON.parse(notes[notes.length - 1].body).text, "Please reorder A1, C3");
    // Nothing selected: every node's response shows.
    await s.keys(KEY.ESCAPE);
    await (await s.find('button[name="tab-responses"]')).click();
    for (const id of ["prepare", "low", "reorder"])
      await s.waitFor(
        `return !!document.querySelector('.response[data-node="${id}"] [data-reused="true"]')`,
      );
    assert.equal(await count('.response[data-node="notify"] [data-reused="true"]'), 0);
    await shot("15-run-from-here");
  });
});

describe("pins and evaluating the shown run", () => {
  let peer;
  before(async () => (peer = await startPeer()));
  after(() => peer.close());

  it("evaluates in a node's scope in the shown run, pins an output and runs without calling the node", async () => {
    await openFile("inventory-reorder", 9);
    await runWith({ baseUrl: peer.base });
    await runStatus(/^run succeeded in \d+ ms$/);
    // Evaluate against the shown run, in notify's scope.
    await clickNode("notify");
    await (await s.find('button[name="tab-responses"]')).click();
    await (await s.find('.code-field[aria-label="report-expr"] .cm-content')).click();
    await s.keys("$nodes.low.output.length");
    await s.keys(KEY.ESCAPE);
    await (await s.find('button[name="report-eval"]')).click();
    await s.waitFor(
      `const r = document.querySelector('[data-testid="report-eval-result"]'); return r && r.textContent === "2"`,
    );
    // Pin notify's output: the next run uses it and the server hears nothing.
    const sent = peer.received.filter((r) => r.url === "/notifications").length;
    await (await s.find('button[name="pin"]')).click();
    await s.waitFor(
      `return !!document.querySelector('.wf-node[data-node-id="notify"] .badge-pin')`,
    );
    const pins = JSON.parse(
      fs.readFileSync(path.join(workspace, "inventory-reorder.pins.json"), "utf8"),
    );
    assert.equal(pins.pins.notify.output.status, 201);
    await runWith({ baseUrl: peer.base });
    await runStatus(/^run succeeded in \d+ ms$/);
    assert.equal(peer.received.filter((r) => r.url === "/notifications").length, sent);
    await clickNode("notify");
    await (await s.find('button[name="tab-responses"]')).click();
    await s.waitFor(`return !!document.querySelector('.response[data-node="notify"] .pinned-tag')`);
    await shot("16-pinned");
    // The Run dialog's switch turns pins off: then the node runs.
    await (await s.find('button[name="clear-run"]')).click();
    await (await s.find('button[name="run"]')).click();
    const vars = await s.find('textarea[name="run-vars"]');
    await vars.click();
    await s.chord(KEY.CONTROL, "a");
    await s.keys(JSON.stringify({ baseUrl: peer.base }));
    await (await s.find('input[name="use-pins"]')).click();
    await (await s.find('button[name="start-run"]')).click();
    await runStatus(/^run succeeded in \d+ ms$/);
    assert.equal(peer.received.filter((r) => r.url === "/notifications").length, sent + 1);
    await (await s.find('button[name="run"]')).click();
    await (await s.find('input[name="use-pins"]')).click();
    await (await s.find('button[name="cancel"]')).click();
    // The node's context menu pins an output typed as JSON.
    const at = await s.centre('.react-flow__node[data-id="notify"]');
    await s.actions([
      {
        type: "pointer",
        id: "mouse",
        parameters: { pointerType: "mouse" },
        actions: [
          { type: "pointerMove", x: at.x, y: at.y, origin: "viewport" },
          { type: "pointerDown", button: 2 },
          { type: "pointerUp", button: 2 },
        ],
      },
    ]);
    await (await s.find('.node-menu[data-node="notify"] button[name="menu-pin-json"]')).click();
    // WebKitWebDriver types this input's shifted characters unshifted ({ as [):
    // the text is set as a person's paste would, through an input event.
    await s.find('input[name="answer"]');
    await s.script(
      `const i = document.querySelector('input[name="answer"]');
       Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(i, arguments[0]);
       i.dispatchEvent(new Event("input", { bubbles: true }));`,
      JSON.stringify({ status: 202, body: { typed: true } }),
    );
    await (await s.find('button[name="confirm"]')).click();
    // The pins file is written when the engine answers: wait for it, not for a while.
    const pinsFile = path.join(workspace, "inventory-reorder.pins.json");
    let typed;
    for (let i = 0; i < 100; i++) {
      typed = JSON.parse(fs.readFileSync(pinsFile, "utf8"));
      if (typed.pins.notify?.output?.status === 202) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(typed.pins.notify.output, { status: 202, body: { typed: true } });
    // Unpin: the file no longer holds it.
    await (await s.find('button[name="pin"]')).click();
    await s.waitFor(`return !document.querySelector('.wf-node[data-node-id="notify"] .badge-pin')`);
    const after = JSON.parse(
      fs.readFileSync(path.join(workspace, "inventory-reorder.pins.json"), "utf8"),
    );
    assert.deepEqual(after.pins, {});
  });
});

describe("the run history", () => {
  let peer;
  before(async () => (peer = await startPeer()));
  after(() => peer.close());

  // The CLI, run without blocking this process: the local server answers it meanwhile.
  const flowbench = (args) =>
    new Promise((resolve) => {
      const p = spawn(cli, args, { env: cliEnv, cwd: workspace });
      let stdout = "";
      let stderr = "";
      p.stdout.on("data", (d) => (stdout += d));
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  const historyOf = async (workflow) =>
    JSON.parse(
      (await flowbench(["runs", "list", "--workflow", workflow, "--limit", "500", "--json"]))
        .stdout,
    );
  /** Sets an input's text as a paste would (WebKitWebDriver types some characters wrong). */
  const fill = (css, text) =>
    s.script(
      `const i = document.querySelector(arguments[0]);
       Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(i, arguments[1]);
       i.dispatchEvent(new Event("input", { bubbles: true }));`,
      css,
      text,
    );

  it("keeps runs of the app and the CLI across a restart; a failed one opens with its errors; a decided task completes; an interrupted run resumes", async () => {
    const file = path.join(workspace, "inventory-reorder.flow.json");
    // Two runs from the command line, the second failing at notify ...
    assert.equal((await flowbench(["run", file, "--var", `baseUrl=${peer.base}`])).status, 0);
    assert.equal((await flowbench(["run", file, "--var", `baseUrl=${peer.base}/fail`])).status, 1);
    // ... and three from the app.
    await openFile("inventory-reorder", 9);
    for (let i = 0; i < 3; i++) {
      const before = await s.script(
        `return document.querySelector('[data-testid="run-status"]').dataset.run ?? ""`,
      );
      await runWith({ baseUrl: peer.base });
      // This run's own end: its handle, then its status.
      await s.waitFor(
        `const t = document.querySelector('[data-testid="run-status"]');
         return t.dataset.run && t.dataset.run !== arguments[0] && /^run succeeded/.test(t.textContent)`,
        15000,
        before,
      );
    }
    // A purchase that waits for a manager's decision.
    const waiting = await flowbench(["run", "purchase-approval.flow.json", "--json"]);
    assert.equal(waiting.status, 0, waiting.stderr);
    const purchase = JSON.parse(waiting.stdout);
    assert.equal(purchase.status, "waiting");
    // A run killed with SIGKILL in the middle of its delay.
    fs.writeFileSync(path.join(workspace, "pause.flow.json"), delayWorkflow("pause", 2000));
    const killed = spawn(cli, ["run", "pause.flow.json"], { env: cliEnv, cwd: workspace });
    await new Promise((resolve) => {
      let err = "";
      killed.stderr.on("data", (d) => {
        err += d;
        if (err.includes("▶ wait")) resolve();
      });
    });
    killed.kill("SIGKILL");
    await new Promise((r) => killed.on("exit", r));

    const recorded = await historyOf("inventory-reorder");
    assert.ok(recorded.length >= 5, `${recorded.length} runs recorded`);
    assert.equal(recorded.filter((r) => r.status === "failed").length >= 1, true);

    // Close the app and open it again.
    await s.close();
    await startApp();

    // The interrupted run is offered for resuming; it ends where it was going.
    await s.find('[data-testid="interrupted-runs"] .interrupted-run');
    await shot("20-interrupted-offered");
    await (await s.find('button[name="resume-interrupted"]')).click();
    assert.match(await toast(/resumed: succeeded/), /pause/);
    assert.equal((await historyOf("pause"))[0].status, "succeeded");

    // Every run of inventory-reorder is in History.
    await openFile("inventory-reorder", 9);
    await (await s.find('button[name="tab-history"]')).click();
    await s.waitFor(
      `return document.querySelectorAll('tr.history-run').length === ${recorded.length}`,
      10000,
    );
    // The failed run opens on the canvas, with its errors.
    const failed = recorded.find((r) => r.status === "failed");
    const row = `tr.history-run[data-run="${failed.runId}"] td`;
    await s.script(`document.querySelector(arguments[0]).scrollIntoView()`, row);
    await (await s.find(row)).click();
    await s.waitFor(
      `return document.querySelectorAll('.wf-node[data-run-status="failed"]').length === 1`,
    );
    assert.equal(await count('.wf-node[data-node-id="notify"][data-run-status="failed"]'), 1);
    // The edges it took, from its journal, as the run drew them.
    assert.ok((await count(".react-flow__edge.edge-taken")) >= 5);
    await s.waitFor(`return document.querySelector('[data-testid="history-charts"] svg')`, 10000);
    const rate = await (await s.find('[data-testid="success-rate"]')).text();
    assert.match(rate, /^\d+% succeeded$/);
    // Per node, every node that ran is named, the failed one too (the
    // chart draws once it has measured its width; the names are among the
    // axes' tick labels, which recharts draws in a layer of their own).
    const names = `return [...document.querySelectorAll('[data-testid="node-chart"] .recharts-cartesian-axis-tick-value')].map((t) => t.textContent)`;
    await s.waitFor(`return (function () { ${names} })().length > 0`, 10000);
    const nodeNames = await s.script(names);
    for (const id of ["start", "prepare", "low", "notify", "done"]) {
      assert.ok(nodeNames.includes(id), `the per-node chart names ${id}: ${nodeNames}`);
    }
    await shot("21-history-and-charts");
    await (await s.find('button[name="tab-errors"]')).click();
    const error = await (await s.find('.run-error[data-node="notify"]')).text();
    assert.match(error, /http_status/);
    await shot("22-history-failed-run-errors");

    // The waiting purchase is in the Tasks inbox; a note, then a decision.
    await (await s.find('button[name="tab-tasks"]')).click();
    const card = `.task[data-run="${purchase.runId}"]`;
    await s.find(card);
    assert.match(await (await s.find(`${card} .task-title`)).text(), /Standing desk/);
    await fill(`${card} input[name="task-note"]`, "Budget checked with finance");
    await (await s.find(`${card} button[name="add-note"]`)).click();
    await s.waitFor(
      `return document.querySelector(arguments[0] + ' .task-notes')?.textContent.includes('Budget checked')`,
      8000,
      card,
    );
    await fill(`${card} input[name="task-comment"]`, "Fine for this quarter");
    await shot("23-tasks-inbox");
    await (await s.find(`${card} button[name="decide-approved"]`)).click();
    assert.match(await toast(/The run went on: succeeded/), /approved/);
    await s.waitFor(`return !document.querySelector(arguments[0])`, 8000, card);
    const decided = JSON.parse(
      (await flowbench(["runs", "show", purchase.runId, "--json"])).stdout,
    );
    assert.equal(decided.status, "succeeded");
    const ask = decided.nodes.find((n) => n.node === "ask_manager");
    assert.equal(ask.output.comment, "Fine for this quarter");
    assert.equal(ask.output.notes[0].text, "Budget checked with finance");
    assert.equal(decided.nodes.find((n) => n.node === "record").status, "succeeded");
  });

  it("records a revision at each save, shows what changed, and restores one", async () => {
    await openFile("slow", 3);
    const file = path.join(workspace, "slow.flow.json");
    await s.chord(KEY.CONTROL, "s");
    await toast(/revision \d+/);
    const first = fs.readFileSync(file, "utf8");
    await addNodeOfType("task.log");
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 4`);
    await s.chord(KEY.CONTROL, "s");
    await toast(/revision \d+/);
    assert.notEqual(fs.readFileSync(file, "utf8"), first);
    await (await s.find('button[name="tab-revisions"]')).click();
    await s.waitFor(`return document.querySelectorAll('.revision-list li[data-rev]').length >= 2`);
    const revs = await s.script(
      `return [...document.querySelectorAll('.revision-list li[data-rev]')].map(l => Number(l.dataset.rev))`,
    );
    const older = revs[1];
    await (await s.find(`.revision-list li[data-rev="${older}"]`)).click();
    const diff = await (await s.find('[data-testid="revision-diff"]')).text();
    assert.match(diff, /node \S+ added/);
    await shot("24-revisions-diff");
    await (await s.find('button[name="restore-revision"]')).click();
    await toast(new RegExp(`Revision ${older} restored`));
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 3`);
    assert.equal(fs.readFileSync(file, "utf8"), first);
    await s.waitFor(
      `return document.querySelectorAll('.revision-list li[data-rev]').length === ${revs.length + 1}`,
    );
    await shot("25-revision-restored");
  });

  it("serves the workspace from the app: a webhook called from outside runs and shows in History", async () => {
    await (await s.find('button[name="service-toggle"]')).click();
    const base = await s.waitFor(
      `return document.querySelector('button[name="service-toggle"]').dataset.service`,
    );
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    await openFile("order-placement", 8);
    await clickNode("order_in");
    const url = await s.waitFor(
      `return document.querySelector('input[name="webhook-url"]')?.value`,
    );
    assert.ok(url.startsWith(`${base}/hooks/order-placement/orders?token=`), url);
    await shot("26-service-webhook-address");
    // A caller outside the app, with the address the inspector shows.
    const answer = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ customer: "c-9", sku: "A1", qty: 1 }),
    });
    assert.equal(answer.status, 201);
    assert.equal((await answer.json()).status, "placed");
    const runId = answer.headers.get("flowbench-run-id");
    // Without the token: refused.
    const refused = await fetch(url.replace(/\?token=.*/, ""), { method: "POST", body: "{}" });
    assert.equal(refused.status, 401);
    // The run appears in History by itself.
    await (await s.find('button[name="tab-history"]')).click();
    await s.waitFor(
      `return document.querySelector(arguments[0])`,
      10000,
      `tr.history-run[data-run="${runId}"]`,
    );
    await shot("27-service-run-in-history");
    await (await s.find('button[name="service-toggle"]')).click();
    await s.waitFor(
      `return document.querySelector('button[name="service-toggle"]').dataset.service === ''`,
    );
    await assert.rejects(fetch(url, { method: "POST", body: "{}" }));
  });

  it("a schedule trigger shows its next fire times", async () => {
    await openFile("nightly-etl", 5);
    await clickNode("nightly");
    await s.waitFor(
      `return document.querySelectorAll('[data-testid="next-fires"] li').length === 3`,
    );
    await shot("28-schedule-next-fires");
  });
});

describe("importing from n8n", () => {
  it("imports a pasted n8n workflow into the workspace, shows what was not mapped, and opens it", async () => {
    const text = fs.readFileSync(path.join(root, "tests/fixtures/n8n/older-versions.json"), "utf8");
    await (await s.find('button[name="import"]')).click();
    await s.find('.import-choose textarea[name="import-text"]');
    await s.script(
      `const t = document.querySelector('textarea[name="import-text"]');
       Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(t, arguments[0]);
       t.dispatchEvent(new Event("input", { bubbles: true }));`,
      text,
    );
    await shot("29-import-paste");
    await (await s.find('button[name="import-pasted"]')).click();
    // Leaving unsaved changes asks first: discard them.
    await s.waitFor(
      `return document.querySelector('.import-report, .modal[aria-label="Discard unsaved changes?"]')`,
    );
    if (!(await count(".import-report"))) {
      await (
        await s.find('.modal[aria-label="Discard unsaved changes?"] button[name="confirm"]')
      ).click();
    }
    const report = await (await s.find('.import-report [data-role="not-mapped"]')).text();
    assert.match(
      report,
      /Slack: n8n-nodes-base\.slack: this node type has no Flowbench equivalent/,
    );
    assert.match(report, /Slack: credentials: credentials are not imported/);
    // Written into the workspace, with the pinned data beside it.
    const file = path.join(workspace, "older-node-versions.flow.json");
    assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).id, "older-node-versions");
    assert.ok(fs.existsSync(path.join(workspace, "older-node-versions.pins.json")));
    await shot("30-import-report");
    await (await s.find('button[name="close-import"]')).click();
    // Fourteen nodes (the sticky note is an annotation), plus a second trigger for
    // the Cron node's second rule; the workflow is listed and current.
    await s.waitFor(
      `return document.querySelectorAll('.react-flow__node-workflow').length === 15 &&
         document.querySelectorAll('.react-flow__node-note').length === 1`,
    );
    await s.waitFor(
      `return document.querySelector('.sidebar li.current[data-file="older-node-versions"]')`,
    );
    await clickNode("slack");
    await shot("31-imported-on-canvas");
    // A second import of the same workflow never replaces the first.
    await (await s.find('button[name="import"]')).click();
    await s.script(
      `const t = document.querySelector('textarea[name="import-text"]');
       Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(t, arguments[0]);
       t.dispatchEvent(new Event("input", { bubbles: true }));`,
      text,
    );
    await (await s.find('button[name="import-pasted"]')).click();
    await s.find(".import-report");
    assert.ok(fs.existsSync(path.join(workspace, "older-node-versions-2.flow.json")));
    await (await s.find('button[name="close-import"]')).click();
    // Text that is not a workflow says why and writes nothing.
    await (await s.find('button[name="import"]')).click();
    await s.script(
      `const t = document.querySelector('textarea[name="import-text"]');
       Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(t, arguments[0]);
       t.dispatchEvent(new Event("input", { bubbles: true }));`,
      '{"nodes": [',
    );
    await (await s.find('button[name="import-pasted"]')).click();
    const alert = await (await s.find('.import-choose [role="alert"]')).text();
    assert.match(alert, /the pasted text:1:11: not valid JSON/);
    await (await s.find('.import-choose button[name="cancel"]')).click();
  });
});

describe("data steps of an HTTP request", () => {
  let server;
  let base;
  before(async () => {
    // 23 customers in pages of the size asked for.
    server = http.createServer((req, res) => {
      const url = new URL(req.url, "http://x");
      const page = Number(url.searchParams.get("page") ?? 1);
      const size = Number(url.searchParams.get("pageSize") ?? 50);
      const records = [];
      for (let i = (page - 1) * size; i < Math.min(page * size, 23); i++)
        records.push({
          id: i + 1,
          email: ` P${i + 1}@Example.ORG `,
          firstName: "P",
          lastName: `${i + 1}`,
        });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ page, totalPages: Math.ceil(23 / size), records }));
    });
    await new Promise((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${server.address().port}`;
  });
  after(() => server.close());

  it("nightly-etl pages with a form, not code; the debug panel shows every page", async () => {
    await openFile("nightly-etl", 5);
    await clickNode("customers");
    const mode = await s.script(
      `return document.querySelector('[data-testid="pagination-form"] select[name="pagination-mode"]').value`,
    );
    assert.equal(mode, "param");
    assert.equal(await count('[data-testid="field-mapping-form"] .mapping-row'), 4);
    await s.script(`document.querySelector('[data-testid="pagination-form"]').scrollIntoView()`);
    await shot("32-data-steps-form");
    await runWith({ baseUrl: base, pageSize: 5 });
    await runStatus(/^run succeeded in \d+ ms$/);
    await clickNode("customers");
    await (await s.find('button[name="tab-responses"]')).click();
    await s.waitFor(
      `return document.querySelectorAll('.response[data-node="customers"] .http-page').length === 5`,
    );
    const text = await (await s.find('.response[data-node="customers"]')).text();
    assert.match(text, /page 5 request/);
    await s.script(`document.querySelector('.http-page[data-page="1"]').scrollIntoView()`);
    await shot("33-data-steps-pages");
  });
});

describe("Python code nodes", () => {
  it("writes a Python node on the canvas; its output and its print show in the debug panel", async () => {
    await (await s.find('button[name="new"]')).click();
    if (await count('.modal button[name="confirm"]')) {
      const title = await (await s.find(".modal h3")).text();
      if (title.startsWith("Discard"))
        await (await s.find('.modal button[name="confirm"]')).click();
    }
    await (await s.find('.modal input[name="answer"]')).type("py-demo");
    await (await s.find('.modal button[name="confirm"]')).click();
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 1`);
    await addNodeOfType("task.python");
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 2`);
    await (await s.find('button[name="layout"]')).click();
    await settled();
    await s.clickConnect(
      '.react-flow__node[data-id="start"] .react-flow__handle.source',
      '.react-flow__node[data-id="python"] .react-flow__handle.target',
    );
    await s.waitFor(`return document.querySelectorAll('.react-flow__edge').length === 1`);
    await (await s.find('.react-flow__node[data-id="python"] .wf-node-label')).click();
    await (await s.find('.python-field[aria-label="config-code"] .cm-content')).click();
    await s.keys('print("hello from python"); return {"answer": 6 * 7, "keys": len(input)}');
    // The engine checks the Python while it is drawn: once the whole body is
    // in the document, the node's error badge goes.
    await s.waitFor(
      `const code = document.querySelector('.python-field .cm-content').textContent;
       const n = document.querySelector('.react-flow__node[data-id="python"]');
       return code.endsWith('len(input)}') && !n.querySelector('.badge-error')`,
      15000,
    );
    await shot("34-python-node");
    await runWith({});
    await runStatus(/^run succeeded in \d+ ms$/);
    // Still selected from the typing: Responses shows it.
    await (await s.find('button[name="tab-responses"]')).click();
    await s.waitFor(
      `return document.querySelector('.response[data-node="python"]')?.textContent.includes('answer')`,
    );
    const text = await (await s.find('.response[data-node="python"]')).text();
    assert.match(text, /42/);
    await (await s.find('button[name="tab-logs"]')).click();
    await s.waitFor(
      `return [...document.querySelectorAll('tr.log')].some(r => r.dataset.node === 'python' && r.textContent.includes('hello from python'))`,
    );
    await shot("35-python-print-in-logs");
  });
});

describe("a canvas made for analysts, at 1366×768", () => {
  /** The viewport's zoom, from React Flow's transform. */
  const zoom = () =>
    s.script(
      `const t = document.querySelector('.react-flow__viewport').style.transform;
       return Number(/scale\\(([\\d.]+)\\)/.exec(t)?.[1] ?? 1)`,
    );

  it("every example at Fit view: names at least 12 px high, the canvas three quarters of the window", async () => {
    await s.keys(KEY.ESCAPE);
    // The debug panel, left open by the tests before, folds to its tabs.
    if (await count('[data-action="toggle-panel"][aria-expanded="true"]'))
      await (await s.find('[data-action="toggle-panel"]')).click();
    const examples = fs
      .readdirSync(path.join(root, "workflows"))
      .filter((f) => f.endsWith(".flow.json"))
      .map((f) => f.replace(".flow.json", ""));
    for (const id of examples) {
      const nodes = JSON.parse(fs.readFileSync(path.join(workspace, `${id}.flow.json`), "utf8"))
        .nodes.length;
      await (await s.find(`.sidebar [data-workflow-id="${id}"] button.open`)).click();
      await discardIfAsked(`[data-workflow-id="${id}"]`);
      await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === ${nodes}`);
      await (await s.find('[data-action="fit-view"]')).click();
      await settled();
      const z = await zoom();
      const font = await s.script(
        `return Math.min(...[...document.querySelectorAll('[data-role="node-name"]')]
           .map(e => parseFloat(getComputedStyle(e).fontSize)))`,
      );
      // The part of the window where the canvas shows, less what floats on it.
      const share = await s.script(`
        const area = (r) => Math.max(0, r.width) * Math.max(0, r.height);
        const canvas = document.querySelector('.canvas').getBoundingClientRect();
        let covered = 0;
        for (const css of ['.react-flow__minimap', '.react-flow__controls', '.react-flow__attribution'])
          for (const e of document.querySelectorAll(css)) covered += area(e.getBoundingClientRect());
        return (area(canvas) - covered) / (window.innerWidth * window.innerHeight);`);
      const offscreen = await s.script(`
        const c = document.querySelector('.canvas').getBoundingClientRect();
        return [...document.querySelectorAll('.react-flow__node')].filter(n => {
          const r = n.getBoundingClientRect();
          return r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1;
        }).length`);
      console.log(
        `figure: ${id}: zoom ${z.toFixed(3)}, node names ${(font * z).toFixed(1)} px, canvas ${(share * 100).toFixed(1)}% of the window, ${offscreen} nodes outside the view`,
      );
      assert.ok(font * z >= 12, `${id}: node names are ${(font * z).toFixed(1)} px high`);
      assert.ok(share >= 0.75, `${id}: the canvas has ${(share * 100).toFixed(1)}% of the window`);
      assert.equal(offscreen, 0, `${id}: every node shows at Fit view`);
      await shot(`canvas-fit-${id}`);
    }
  });

  it("draws lead-intake from the start screen with the keyboard only", async () => {
    const active = () =>
      s.script(
        `const a = document.activeElement; return a && (a.getAttribute('name') || a.closest('[aria-label]')?.getAttribute('aria-label') || a.tagName)`,
      );
    /** Enter moves the keyboard into the selected node's form (a frame later). */
    async function enterForm() {
      await s.keys(KEY.ENTER);
      // Until then the focus is on the canvas, where Tab would open the node picker.
      await s.waitFor(
        `return document.querySelector('.side .inspector')?.contains(document.activeElement)`,
      );
    }
    /** Tab through the form until the field named `name` has the focus. */
    async function tabTo(name) {
      const trail = [];
      for (let i = 0; i < 60; i++) {
        const now = await active();
        if (now === name) return;
        trail.push(now);
        await s.keys(KEY.TAB);
      }
      throw new Error(`no field ${name} reached with Tab; the focus went ${trail.join(" → ")}`);
    }
    const nodes = () => count(".react-flow__node");
    const edges = () => count(".react-flow__edge");
    /** Tab opens the picker; the type's name and Enter add it. */
    async function add(type) {
      const before = await nodes();
      await s.keys(KEY.TAB);
      await s.waitFor(`return document.activeElement?.name === "node-search"`);
      await s.keys(type);
      await s.keys(KEY.ENTER);
      // Added, and the one node selected: the next keys act on it.
      await s.waitFor(
        `return document.querySelectorAll('.react-flow__node').length === ${before + 1} &&
           document.querySelectorAll('.react-flow__node.selected').length === 1 &&
           !document.querySelector('.node-picker')`,
      );
    }
    /** C, then words naming the port and the node, and Enter. */
    async function connectTo(words) {
      const before = await edges();
      await s.keys("c");
      await s.waitFor(
        `return document.activeElement?.closest('[data-action="connect-to"]') && document.activeElement.name === "find-node"`,
      );
      await s.keys(words);
      await s.keys(KEY.ENTER);
      await s.waitFor(
        `return document.querySelectorAll('.react-flow__edge').length === ${before + 1}`,
      );
    }
    async function find(name) {
      await s.chord(KEY.CONTROL, "f");
      await s.waitFor(
        `return document.activeElement?.closest('[data-action="find-node"]') && document.activeElement.name === "find-node"`,
      );
      await s.keys(name);
      await s.keys(KEY.ENTER);
      await s.waitFor(`return !document.querySelector('.node-picker')`);
    }

    await (await s.find('button[name="home"]')).click();
    await s.find(".start-screen");
    if (await count('.modal button[name="confirm"]'))
      await (await s.find('.modal button[name="confirm"]')).click();
    await s.chord(KEY.CONTROL, "n");
    await s.find('.modal input[name="answer"]');
    await s.keys("lead-intake-keys");
    await s.keys(KEY.ENTER);
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 1`);

    // The new workflow's manual trigger makes way for a webhook.
    await s.chord(KEY.ALT, KEY.RIGHT);
    await s.waitFor(`return document.querySelector('.react-flow__node.selected')`);
    await s.keys(KEY.DELETE);
    await s.waitFor(`return document.querySelectorAll('.react-flow__node').length === 0`);
    await add("trigger.webhook");
    await add("task.code");
    await add("condition.switch");
    // Escape closes the rename dialog, changing nothing, the node still selected.
    await s.keys(KEY.F2);
    await s.find('.modal input[name="answer"]');
    await s.keys(KEY.ESCAPE);
    await s.waitFor(`return !document.querySelector('.modal')`);
    assert.equal(await count(".react-flow__node.selected"), 1);
    // Named and configured from the keyboard: F2, then Enter into its form.
    await s.keys(KEY.F2);
    await s.find('.modal input[name="answer"]');
    await s.chord(KEY.CONTROL, "a");
    await s.keys("Route by tier");
    await s.keys(KEY.ENTER);
    await s.waitFor(
      `return document.querySelector('.react-flow__node.selected [data-role="node-name"]').textContent === 'Route by tier'`,
    );
    await enterForm();
    await tabTo("config-cases");
    await s.chord(KEY.CONTROL, "a");
    await s.keys('[{"port": "hot", "equals": "hot"}, {"port": "warm", "equals": "warm"}]');
    await s.keys(KEY.ESCAPE);
    await s.waitFor(
      `return document.querySelectorAll('.react-flow__node.selected .react-flow__handle.source').length === 3`,
    );
    // A first word naming one of the switch's ports leads from that port.
    await add("hot task.http");
    await enterForm();
    await tabTo("on-error");
    await s.keys("route");
    await s.keys(KEY.ESCAPE);
    await s.waitFor(
      `return document.querySelector('.react-flow__node.selected .react-flow__handle[data-handleid="error"]')`,
    );
    await add("task.respond");
    await s.keys(KEY.ESCAPE);
    await add("task.log");
    await connectTo("respond");
    await find("http");
    await connectTo("error log");
    await s.keys(KEY.ESCAPE);
    await add("task.sql");
    await add("task.sql");
    await connectTo("respond");
    await find("switch");
    await connectTo("warm sql");
    await s.keys(KEY.ESCAPE);
    await add("task.log");
    await connectTo("respond");
    await find("switch");
    await connectTo("default log_2");
    // Auto layout tidies what the keyboard placed.
    await s.chord(KEY.CONTROL, "l");
    await s.chord(KEY.CONTROL, "s");
    await toast(/^Saved /);
    await shot("keyboard-drawn-lead-intake");

    // The same graph as the example: node types, and edges by type and port.
    const shape = (file) => {
      const w = JSON.parse(fs.readFileSync(file, "utf8"));
      const type = Object.fromEntries(w.nodes.map((n) => [n.id, n.type]));
      return {
        nodes: w.nodes.map((n) => n.type).sort(),
        edges: w.edges.map((e) => `${type[e.from]}.${e.fromPort ?? "out"}→${type[e.to]}`).sort(),
      };
    };
    const drawn = shape(path.join(workspace, "lead-intake-keys.flow.json"));
    assert.deepEqual(drawn, shape(path.join(root, "workflows/lead-intake.flow.json")));
    const saved = JSON.parse(
      fs.readFileSync(path.join(workspace, "lead-intake-keys.flow.json"), "utf8"),
    );
    assert.equal(saved.nodes.find((n) => n.type === "condition.switch").name, "Route by tier");
    assert.equal(saved.nodes.find((n) => n.type === "task.http").onError, "route");
  });

  it("adds a sticky note, writes Markdown in it, and keeps it through save and reopening", async () => {
    await openFile("nightly-etl", 5);
    await s.keys(KEY.ESCAPE);
    await s.chord(KEY.SHIFT, "S");
    await s.waitFor(`return document.activeElement?.name === "note-text"`);
    await s.keys("**Runs at night** so the CRM is idle");
    await s.chord(KEY.CONTROL, KEY.ENTER);
    await s.waitFor(
      `return document.querySelector('.sticky-note strong')?.textContent === 'Runs at night'`,
    );
    await s.chord(KEY.CONTROL, "s");
    await toast(/^Saved /);
    const file = path.join(workspace, "nightly-etl.flow.json");
    const saved = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(saved.annotations.length, 1);
    assert.equal(saved.annotations[0].text, "**Runs at night** so the CRM is idle");
    assert.deepEqual(saved.annotations[0].size, { width: 240, height: 160 });
    // The engine reads it back unchanged, byte for byte.
    execFileSync(cli, ["validate", file], { stdio: "pipe" });
    await openFile("lead-scoring", 5);
    await openFile("nightly-etl", 6);
    await s.waitFor(
      `return document.querySelector('.sticky-note strong')?.textContent === 'Runs at night'`,
    );
    // Colour, size and place, chosen on the canvas, are kept in the file.
    const note = ".react-flow__node-note";
    const z = await s.script(
      `return new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a`,
    );
    await (await s.find(`${note} .sticky-note`)).click();
    await (await s.find('button[name="note-color-blue"]')).click();
    await s.waitFor(`return !!document.querySelector('.sticky-note.note-blue')`);
    const rect = () =>
      s.script(
        `const r = document.querySelector(${JSON.stringify(note)}).getBoundingClientRect();
         return { x: r.left, y: r.top, width: r.width, height: r.height }`,
      );
    const before = await rect();
    await s.drag(await s.centre(`${note} .react-flow__resize-control.handle.bottom.right`), 60, 40);
    await s.waitFor(
      `return document.querySelector(${JSON.stringify(note)}).getBoundingClientRect().width > ${before.width + 20}`,
    );
    const resized = await rect();
    await s.drag(await s.centre(`${note} .note-body`), 80, 0);
    await s.waitFor(
      `return document.querySelector(${JSON.stringify(note)}).getBoundingClientRect().left > ${resized.x + 20}`,
    );
    const moved = await rect();
    await s.chord(KEY.CONTROL, "s");
    await toast(/^Saved /);
    // The file holds what the canvas shows (in canvas units: screen pixels / zoom).
    const kept = JSON.parse(fs.readFileSync(file, "utf8")).annotations[0];
    const near = (a, b) => Math.abs(a - b) <= 2;
    assert.equal(kept.color, "blue");
    assert.ok(near(kept.size.width, moved.width / z), JSON.stringify([kept.size, moved, z]));
    assert.ok(near(kept.size.height, moved.height / z), JSON.stringify([kept.size, moved, z]));
    assert.ok(
      near(kept.position.x, saved.annotations[0].position.x + (moved.x - before.x) / z),
      JSON.stringify([kept.position, saved.annotations[0].position, before, moved, z]),
    );
    execFileSync(cli, ["validate", file], { stdio: "pipe" });
    await shot("sticky-note");
  });

  it("aligns the selected nodes from the toolbar, and undoes it", async () => {
    await openFile("lead-scoring", 5);
    // Each node's top on the canvas, as the page computes it.
    const TOPS = `[...document.querySelectorAll('.react-flow__node-workflow')]
      .map(n => new DOMMatrix(getComputedStyle(n).transform).f)`;
    const before = await s.script(`return ${TOPS}`);
    assert.ok(new Set(before).size > 1, "the example's nodes are not all on one line");
    await (await s.find(".react-flow__pane")).click();
    await s.chord(KEY.CONTROL, "a");
    await (await s.find('button[name="align-top"]')).click();
    await s.waitFor(`const ys = ${TOPS}; return ys.every(y => y === ys[0])`);
    await shot("aligned-top");
    await s.chord(KEY.CONTROL, "z");
    await s.waitFor(`return JSON.stringify(${TOPS}) === ${JSON.stringify(JSON.stringify(before))}`);
  });

  it("the Shortcuts sheet lists the keys, and Escape closes it", async () => {
    await s.keys(KEY.ESCAPE);
    await s.keys("?");
    await s.find('[role="dialog"][aria-label="Keyboard shortcuts"]');
    assert.ok((await count(".shortcut")) > 25);
    await shot("shortcuts");
    await s.keys(KEY.ESCAPE);
    await s.waitFor(`return !document.querySelector('.shortcuts')`);
  });

  it("opens again at the size the window last had", async () => {
    const state = path.join(configHome, "dev.flowbench.app", ".window-state.json");
    const saved = () => {
      try {
        return JSON.parse(fs.readFileSync(state, "utf8")).main;
      } catch {
        return null;
      }
    };
    // The app's own signal: it writes the size a moment after the window settles.
    const waitSaved = async (width, height) => {
      const until = Date.now() + 8000;
      while (Date.now() < until) {
        const m = saved();
        if (m?.width === width && m?.height === height) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(
        `the window's size was not saved as ${width}x${height}: ${JSON.stringify(saved())}`,
      );
    };
    await s.setWindowSize(1100, 650);
    await waitSaved(1100, 650);
    await s.close();
    await startApp();
    assert.deepEqual(await s.script("return [window.innerWidth, window.innerHeight]"), [1100, 650]);
    await shot("window-remembered");
    // Left at 1100×650: this is the last test. (Resizing back over WebDriver
    // once had no answer for 15 minutes in CI; a test added after this one
    // starts the app afresh instead.)
  });
});
