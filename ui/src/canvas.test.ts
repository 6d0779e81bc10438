// The canvas's store logic: selection, copy and paste between workflows,
// duplicate, align and distribute, sticky notes, the layout that keeps names
// readable, and the node picker's search.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { Workflow } from "./bindings/Workflow";
import { matching } from "./canvas/NodePicker";
import * as doc from "./doc";
import { toNoteNodes } from "./flow";
import { autoLayout, bounds, DEFAULT_SIZE, estimatedSize, fitZoom, READABLE_ZOOM } from "./layout";
import { useStore } from "./store";

const node = (id: string, x: number, y: number, type = "task.log") => ({
  id,
  type,
  position: { x, y },
  config: { message: id },
});
const base: Workflow = {
  flowbench: 1,
  id: "w",
  nodes: [node("start", 0, 0, "trigger.manual"), node("a", 300, 40), node("b", 600, -20)],
  edges: [
    { id: "e1", from: "start", to: "a" },
    { id: "e2", from: "a", to: "b" },
  ],
};

describe("selection in the store", () => {
  it("adds to and takes from a multiple selection, and clears it", () => {
    const s = useStore.getState();
    s.select(["a"]);
    s.toggle("node", "b", true);
    s.toggle("edge", "e2", true);
    expect(useStore.getState().selectedNodes).toEqual(["a", "b"]);
    expect(useStore.getState().selectedEdges).toEqual(["e2"]);
    s.toggle("node", "a", false);
    expect(useStore.getState().selectedNodes).toEqual(["b"]);
    s.select([]);
    expect(useStore.getState().selectedNodes).toEqual([]);
    expect(useStore.getState().selectedEdges).toEqual([]);
  });

  it("moving and deleting many are each one undoable step", () => {
    const s = useStore.getState();
    s.load(null, base, JSON.stringify(base));
    s.change((w) => doc.moveNodes(w, { a: { x: 310, y: 50 }, b: { x: 610, y: -10 } }));
    s.change((w) => doc.remove(w, ["a", "b"], []));
    expect(useStore.getState().history.present.nodes.map((n) => n.id)).toEqual(["start"]);
    expect(useStore.getState().history.present.edges).toEqual([]);
    useStore.getState().undo();
    expect(useStore.getState().history.present.nodes.find((n) => n.id === "b")?.position).toEqual({
      x: 610,
      y: -10,
    });
    useStore.getState().undo();
    expect(useStore.getState().history.present).toEqual(base);
  });
});

describe("copy and paste between workflows", () => {
  it("goes through the clipboard as JSON and gets fresh ids where taken", () => {
    const text = doc.clipboardText(doc.copy(base, ["a", "b"]));
    const clip = doc.parseClipboard(text);
    expect(clip?.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(clip?.edges).toHaveLength(1);
    // Into another workflow that has an `a` already.
    const other: Workflow = { ...base, id: "other", nodes: [node("a", 0, 0)], edges: [] };
    const pasted = doc.paste(other, clip!);
    expect(pasted.ids).toEqual(["a_2", "b"]);
    expect(pasted.workflow.edges).toEqual([{ id: "e1", from: "a_2", to: "b" }]);
    expect(pasted.workflow.nodes.find((n) => n.id === "a_2")?.config).toEqual({ message: "a" });
  });

  it("ignores a clipboard that holds something else", () => {
    expect(doc.parseClipboard("hello")).toBeNull();
    expect(doc.parseClipboard('{"nodes": []}')).toBeNull();
    expect(doc.parseClipboard('{"flowbench": "nodes", "nodes": [], "edges": []}')).toBeNull();
  });

  it("duplicates the selection beside it, with its inner edges", () => {
    const r = doc.duplicate(base, ["a", "b"]);
    expect(r.ids).toEqual(["a_2", "b_2"]);
    expect(r.workflow.edges.at(-1)).toMatchObject({ from: "a_2", to: "b_2" });
    expect(r.workflow.nodes.find((n) => n.id === "b_2")?.position).toEqual({ x: 640, y: 20 });
  });
});

describe("align and distribute", () => {
  it("lines nodes up on the leftmost or topmost edge", () => {
    const top = doc.align(base, ["start", "a", "b"], "top");
    expect(top.nodes.map((n) => n.position?.y)).toEqual([-20, -20, -20]);
    const left = doc.align(base, ["a", "b"], "left");
    expect(left.nodes.map((n) => n.position?.x)).toEqual([0, 300, 300]);
    expect(doc.align(base, ["a"], "left")).toBe(base);
  });

  it("spaces nodes evenly between the outermost ones", () => {
    const uneven = doc.moveNodes(base, { a: { x: 100, y: 40 } });
    const spread = doc.distribute(uneven, ["start", "a", "b"], "x");
    expect(spread.nodes.map((n) => n.position?.x)).toEqual([0, 300, 600]);
  });
});

describe("sticky notes", () => {
  it("are added, edited, moved, resized and removed in the workflow's annotations", () => {
    const added = doc.addNote(base, { x: 10.4, y: -200 }, "**Note**");
    expect(added.id).toBe("note_1");
    let w = doc.updateNote(added.workflow, "note_1", { text: "# Why\nbecause", color: "blue" });
    w = doc.moveNodes(w, { [doc.NOTE_PREFIX + "note_1"]: { x: 50, y: 60 } });
    w = doc.updateNote(w, "note_1", { size: { width: 300, height: 120 } });
    expect(w.annotations).toEqual([
      {
        id: "note_1",
        text: "# Why\nbecause",
        position: { x: 50, y: 60 },
        size: { width: 300, height: 120 },
        color: "blue",
      },
    ]);
    const drawn = toNoteNodes(w, []);
    expect(drawn[0]).toMatchObject({ id: "note:note_1", type: "note", width: 300, height: 120 });
    const removed = doc.remove(w, [doc.NOTE_PREFIX + "note_1"], []);
    expect(removed.annotations).toBeUndefined();
    expect(removed.nodes).toHaveLength(3);
  });

  it("round-trip through the file format unchanged", () => {
    const text = JSON.stringify(
      doc.updateNote(doc.addNote(base, { x: 0, y: 0 }, "hi").workflow, "note_1", {
        color: "green",
      }),
      null,
      2,
    );
    const back = JSON.parse(text) as Workflow;
    expect(JSON.stringify(back, null, 2)).toBe(text);
    expect(back.annotations?.[0]).toMatchObject({ id: "note_1", text: "hi", color: "green" });
  });
});

describe("layout", () => {
  const examples = path.resolve(import.meta.dirname, "../../workflows");
  const sizes = new Map<string, typeof DEFAULT_SIZE>();
  const canvas = { width: 1166, height: 696 };

  it("wraps a long chain into rows rather than shrinking it", () => {
    const chain: Workflow = { flowbench: 1, id: "chain", nodes: [], edges: [] };
    for (let i = 0; i < 12; i++) chain.nodes.push(node(`n${i}`, 0, 0));
    for (let i = 1; i < 12; i++) chain.edges.push({ id: `e${i}`, from: `n${i - 1}`, to: `n${i}` });
    const laid = autoLayout(chain, sizes, canvas);
    const rows = new Set(Object.values(laid).map((p) => p.y)).size;
    expect(rows).toBeGreaterThan(1);
    expect(fitZoom(bounds(laid, sizes), canvas)).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it("keeps a short chain on one line", () => {
    const laid = autoLayout(base, sizes, canvas);
    expect(new Set(Object.values(laid).map((p) => p.y)).size).toBe(1);
  });

  for (const file of fs.readdirSync(examples).filter((f: string) => f.endsWith(".flow.json"))) {
    it(`${file} as saved fits a 1366×768 window's canvas with names at least 12 px`, () => {
      const file_ = path.join(examples, file);
      let w = JSON.parse(fs.readFileSync(file_, "utf8")) as Workflow;
      const sizes = new Map(w.nodes.map((n) => [n.id ?? "", estimatedSize(n)]));
      // FLOWBENCH_RELAYOUT_EXAMPLES=1 lays the examples out again, as Auto layout would.
      const env = (globalThis as unknown as { process: { env: Record<string, string> } }).process
        .env;
      if (env.FLOWBENCH_RELAYOUT_EXAMPLES) {
        w = doc.moveNodes(w, autoLayout(w, sizes, canvas));
        fs.writeFileSync(file_, JSON.stringify(w, null, 2) + "\n");
      }
      const saved = Object.fromEntries(
        w.nodes.map((n) => [n.id ?? "", n.position ?? { x: 0, y: 0 }]),
      );
      expect(fitZoom(bounds(saved, sizes), canvas)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    });
  }
});

describe("the node picker", () => {
  const spec = (type: string, label: string, description: string): NodeTypeSpec => ({
    type,
    category: type.split(".")[0] as NodeTypeSpec["category"],
    label,
    description,
    ports: ["out"],
    fields: [],
    config_schema: {},
  });
  const catalogue = [
    spec("task.http", "HTTP request", "Calls a URL"),
    spec("task.sql", "SQL query", "Runs SQL on SQLite"),
    spec("trigger.manual", "Manual", "Started by hand"),
  ];

  it("finds types by any words of their label, type or description, triggers first", () => {
    expect(matching(catalogue, "").map((s) => s.type)).toEqual([
      "trigger.manual",
      "task.http",
      "task.sql",
    ]);
    expect(matching(catalogue, "sql").map((s) => s.type)).toEqual(["task.sql"]);
    expect(matching(catalogue, "calls url").map((s) => s.type)).toEqual(["task.http"]);
    expect(matching(catalogue, "nothing like this")).toEqual([]);
  });
});
