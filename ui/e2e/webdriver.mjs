// A small W3C WebDriver client over fetch, for tauri-driver on 127.0.0.1:4444.

const BASE = process.env.WEBDRIVER_URL ?? "http://127.0.0.1:4444";
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

/**
 * No command takes this long (the longest, typing a test case's JSON into a
 * textarea, takes about a minute): one that does has hung, and fails saying
 * which.
 */
const CALL_TIMEOUT_MS = 300_000;

async function call(method, path, body) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  }).catch((e) => {
    throw new Error(
      `${method} ${path}: ${e.name === "TimeoutError" ? "no answer in 5 minutes" : e}`,
    );
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const v = json.value ?? {};
    throw new Error(
      `${method} ${path}: ${res.status} ${v.error ?? ""} ${v.message ?? JSON.stringify(json)}`,
    );
  }
  return json.value;
}

export async function waitForDriver(timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${BASE}/status`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("tauri-driver did not start");
}

export async function session(application) {
  const value = await call("POST", "/session", {
    capabilities: { alwaysMatch: { "tauri:options": { application } } },
  });
  return new Session(value.sessionId);
}

export class Session {
  constructor(id) {
    this.id = id;
  }
  path(p) {
    return `/session/${this.id}${p}`;
  }
  /** Sets the window's outer size, as a person dragging its corner would. */
  async setWindowSize(width, height) {
    return call("POST", this.path("/window/rect"), { width, height });
  }
  async close() {
    await call("DELETE", this.path(""));
  }
  async find(css, timeoutMs = 8000) {
    const until = Date.now() + timeoutMs;
    let last;
    while (Date.now() < until) {
      try {
        const v = await call("POST", this.path("/element"), { using: "css selector", value: css });
        return new Element(this, v[ELEMENT]);
      } catch (e) {
        last = e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`no element ${css}: ${last?.message}`);
  }
  async findAll(css) {
    const v = await call("POST", this.path("/elements"), { using: "css selector", value: css });
    return v.map((e) => new Element(this, e[ELEMENT]));
  }
  async script(source, ...args) {
    return call("POST", this.path("/execute/sync"), { script: source, args });
  }
  async waitFor(source, timeoutMs = 8000, ...args) {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const v = await this.script(source, ...args);
      if (v) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for: ${source}`);
  }
  async screenshot() {
    // WebKitWebDriver answers after the page's next paint. Without compositing
    // (scripts/e2e.sh turns it off under Xvfb) a page where nothing moves never
    // paints again, and the call would hang: a one-pixel mark repaints until
    // the picture is taken.
    await this.script(`
      const mark = document.createElement("div");
      mark.id = "__repaint";
      mark.style.cssText = "position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;opacity:0.01";
      document.body.appendChild(mark);
      let on = false;
      window.__repaint = setInterval(() => { on = !on; mark.style.background = on ? "#000" : "#fff"; }, 30);`);
    try {
      return Buffer.from(await call("GET", this.path("/screenshot")), "base64");
    } finally {
      await this.script(
        `clearInterval(window.__repaint); document.getElementById("__repaint")?.remove();`,
      );
    }
  }
  async actions(actions) {
    await call("POST", this.path("/actions"), { actions });
    await call("DELETE", this.path("/actions"));
  }
  /** The centre of the element a CSS selector finds, in viewport pixels. */
  async centre(css) {
    await this.find(css);
    return this.script(
      `const r = document.querySelector(arguments[0]).getBoundingClientRect();
       return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };`,
      css,
    );
  }
  /**
   * Connects two handles the way React Flow offers besides dragging: a click on
   * the source port, then a click on the target. (A dragged connection drawn
   * through WebKitWebDriver's pointer actions does not end on the target
   * handle, so the tests click.)
   */
  async clickConnect(fromCss, toCss) {
    const click = (p) => [
      { type: "pointerMove", origin: "viewport", x: p.x, y: p.y, duration: 0 },
      { type: "pointerDown", button: 0 },
      { type: "pause", duration: 50 },
      { type: "pointerUp", button: 0 },
      { type: "pause", duration: 100 },
    ];
    const a = await this.centre(fromCss);
    const b = await this.centre(toCss);
    await this.actions([
      {
        type: "pointer",
        id: "mouse",
        parameters: { pointerType: "mouse" },
        actions: [...click(a), ...click(b)],
      },
    ]);
  }
  /** Presses at `from`, moves by (dx, dy) in a few steps, and lets go: a drag. */
  async drag(from, dx, dy) {
    const steps = [1, 2, 3, 4].map((i) => ({
      type: "pointerMove",
      origin: "viewport",
      x: Math.round(from.x + (dx * i) / 4),
      y: Math.round(from.y + (dy * i) / 4),
      duration: 30,
    }));
    await this.actions([
      {
        type: "pointer",
        id: "mouse",
        parameters: { pointerType: "mouse" },
        actions: [
          { type: "pointerMove", origin: "viewport", x: from.x, y: from.y, duration: 0 },
          { type: "pointerDown", button: 0 },
          { type: "pause", duration: 50 },
          ...steps,
          { type: "pointerUp", button: 0 },
          { type: "pause", duration: 50 },
        ],
      },
    ]);
  }
  async keys(text) {
    const actions = [];
    for (const ch of text)
      actions.push({ type: "keyDown", value: ch }, { type: "keyUp", value: ch });
    await this.actions([{ type: "key", id: "keyboard", actions }]);
  }
  async chord(modifier, key) {
    await this.actions([
      {
        type: "key",
        id: "keyboard",
        actions: [
          { type: "keyDown", value: modifier },
          { type: "keyDown", value: key },
          { type: "keyUp", value: key },
          { type: "keyUp", value: modifier },
        ],
      },
    ]);
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }
  path(p) {
    return this.session.path(`/element/${this.id}${p}`);
  }
  click() {
    return call("POST", this.path("/click"), {});
  }
  clear() {
    return call("POST", this.path("/clear"), {});
  }
  type(text) {
    return call("POST", this.path("/value"), { text });
  }
  text() {
    return call("GET", this.path("/text"));
  }
  async find(css) {
    const v = await call("POST", this.path("/element"), { using: "css selector", value: css });
    return new Element(this.session, v[ELEMENT]);
  }
}

export const KEY = {
  CONTROL: "\uE009",
  ENTER: "\uE007",
  DELETE: "\uE017",
  SHIFT: "\uE008",
  ESCAPE: "\uE00C",
  ALT: "\uE00A",
  TAB: "\uE004",
  F2: "\uE032",
  RIGHT: "\uE014",
};
