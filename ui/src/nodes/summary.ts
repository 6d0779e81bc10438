// A node's config in one line, for the canvas: the URL's host and path, the
// SQL verb and table, the condition, the cron. Long text is cut short.

import type { JsonValue } from "../bindings/serde_json/JsonValue";

const MAX = 42;

function cut(text: string): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > MAX ? `${one.slice(0, MAX - 1)}…` : one;
}

/** `{{ x }}` as `x`: the expression without its braces. */
function bare(text: string): string {
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return m && !m[1].includes("{{") ? m[1].trim() : text;
}

/** A URL as its host and path; a template's expressions as `…`. */
function place(url: string): string {
  const shown = url.replace(/\{\{[\s\S]*?\}\}/g, "…");
  try {
    const u = new URL(shown);
    return `${u.host}${u.pathname === "/" ? "" : u.pathname}`;
  } catch {
    return shown;
  }
}

function sqlSummary(query: string): string {
  const statements = query
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
  const last = statements[statements.length - 1] ?? "";
  const m =
    /^(select)\b[\s\S]*?\bfrom\s+([\w."]+)/i.exec(last) ??
    /^(insert\s+into|update|delete\s+from|create\s+table(?:\s+if\s+not\s+exists)?)\s+([\w."]+)/i.exec(
      last,
    );
  if (!m) return last.split(/\s+/)[0]?.toUpperCase() ?? "";
  const verb = m[1].split(/\s+/)[0].toUpperCase();
  return `${verb} ${m[2].replace(/"/g, "")}`;
}

function text(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The line shown under a node's name; empty when there is nothing to say. */
export function summary(type: string, config: Record<string, JsonValue> | undefined): string {
  const c = config ?? {};
  switch (type) {
    case "trigger.webhook":
      return cut(`${text(c.method) || "POST"} ${text(c.path)}`);
    case "trigger.schedule":
      return cut(`${text(c.cron)}${c.timezone ? ` ${text(c.timezone)}` : ""}`);
    case "condition.if":
      return cut(bare(text(c.condition)));
    case "condition.switch":
      return cut(`on ${bare(text(c.value))}`);
    case "task.http": {
      const pages = c.pagination ? " (paged)" : "";
      return cut(`${text(c.method) || "GET"} ${place(text(c.url))}${pages}`);
    }
    case "task.sql":
      return cut(sqlSummary(text(c.query)));
    case "task.code":
    case "task.python": {
      const line = text(c.code)
        .split("\n")
        .map((l) => l.trim())
        .find((l) => l && !l.startsWith("//") && !l.startsWith("#"));
      return cut(line ?? "");
    }
    case "task.set": {
      const keys = c.values && typeof c.values === "object" ? Object.keys(c.values) : [];
      return cut(keys.length ? `set ${keys.join(", ")}` : "");
    }
    case "task.delay":
      return cut(`wait ${bare(text(c.ms))}${typeof c.ms === "number" ? " ms" : ""}`);
    case "task.approval":
      return cut(text(c.title) || "approval");
    case "task.log":
      return cut(text(c.message));
    case "task.subflow":
      return cut(`runs ${text(c.workflow)}`);
    case "task.respond":
      return cut(`answers ${text(c.status) || "200"}`);
    default:
      return "";
  }
}
