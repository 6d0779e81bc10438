import { describe, expect, it } from "vitest";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { Workflow } from "./bindings/Workflow";
import * as doc from "./doc";

const spec = (type: string): NodeTypeSpec => ({
  type,
  category: type.startsWith("trigger")
    ? "trigger"
    : type.startsWith("condition")
      ? "condition"
      : "task",
  label: type,
  description: "",
  ports: ["out"],
  fields: [],
  config_schema: {},
});

const empty: Workflow = { flowbench: 1, id: "t", nodes: [], edges: [] };

describe("the document", () => {
  it("adds nodes with fresh ids and connects them", () => {
    let w = doc.addNode(empty, spec("trigger.manual"), { x: 0.4, y: 10 }).workflow;
    const second = doc.addNode(w, spec("task.http"), { x: 240, y: 0 });
    const third = doc.addNode(second.workflow, spec("task.http"), { x: 480, y: 0 });
    expect(second.id).toBe("http");
    expect(third.id).toBe("http_2");
    w = doc.connect(third.workflow, "manual", "out", "http").workflow;
    w = doc.connect(w, "http", "error", "http_2").workflow;
    expect(w.nodes[0].position).toEqual({ x: 0, y: 10 });
    expect(w.edges).toEqual([
      { id: "e1", from: "manual", to: "http" },
      { id: "e2", from: "http", fromPort: "error", to: "http_2" },
    ]);
  });

  it("deletes a node with its edges", () => {
    let w = doc.addNode(empty, spec("trigger.manual"), { x: 0, y: 0 }).workflow;
    w = doc.addNode(w, spec("task.log"), { x: 0, y: 0 }).workflow;
    w = doc.addNode(w, spec("task.set"), { x: 0, y: 0 }).workflow;
    w = doc.connect(w, "manual", "out", "log").workflow;
    w = doc.connect(w, "log", "out", "set").workflow;
    const after = doc.remove(w, ["log"], []);
    expect(after.nodes.map((n) => n.id)).toEqual(["manual", "set"]);
    expect(after.edges).toEqual([]);
    expect(doc.remove(w, [], ["e2"]).edges.map((e) => e.id)).toEqual(["e1"]);
  });

  it("undoes and redoes", () => {
    let h = doc.start(empty);
    h = doc.edit(h, (w) => doc.addNode(w, spec("task.log"), { x: 0, y: 0 }).workflow);
    h = doc.edit(h, (w) => doc.addNode(w, spec("task.set"), { x: 0, y: 0 }).workflow);
    expect(h.present.nodes).toHaveLength(2);
    h = doc.undo(h);
    expect(h.present.nodes.map((n) => n.id)).toEqual(["log"]);
    h = doc.undo(h);
    expect(h.present).toBe(empty);
    expect(doc.undo(h)).toBe(h);
    h = doc.redo(doc.redo(h));
    expect(h.present.nodes).toHaveLength(2);
    // A new edit forgets what could be redone.
    h = doc.edit(doc.undo(h), (w) => doc.remove(w, ["log"], []));
    expect(h.future).toEqual([]);
    expect(doc.edit(h, (w) => w)).toBe(h);
  });

  it("renaming a node renames its edges", () => {
    let w = doc.addNode(empty, spec("trigger.manual"), { x: 0, y: 0 }).workflow;
    w = doc.addNode(w, spec("task.log"), { x: 0, y: 0 }).workflow;
    w = doc.connect(w, "manual", "out", "log").workflow;
    w = doc.updateNode(w, "log", { ...w.nodes[1], id: "notify" });
    expect(w.edges[0]).toEqual({ id: "e1", from: "manual", to: "notify" });
  });

  it("copies and pastes with fresh ids and inner edges only", () => {
    let w = doc.addNode(empty, spec("trigger.manual"), { x: 0, y: 0 }).workflow;
    w = doc.addNode(w, spec("task.log"), { x: 100, y: 0 }).workflow;
    w = doc.addNode(w, spec("task.set"), { x: 200, y: 0 }).workflow;
    w = doc.connect(w, "manual", "out", "log").workflow;
    w = doc.connect(w, "log", "out", "set").workflow;
    const pasted = doc.paste(w, doc.copy(w, ["log", "set"]));
    expect(pasted.ids).toEqual(["log_2", "set_2"]);
    expect(pasted.workflow.nodes[3].position).toEqual({ x: 140, y: 40 });
    expect(pasted.workflow.edges.at(-1)).toEqual({ id: "e3", from: "log_2", to: "set_2" });
    expect(pasted.workflow.edges).toHaveLength(3);
  });

  it("moves only what moved, so an unchanged drag records nothing", () => {
    let w = doc.addNode(empty, spec("task.log"), { x: 0, y: 0 }).workflow;
    expect(doc.moveNodes(w, { log: { x: 0, y: 0 } })).toBe(w);
    w = doc.moveNodes(w, { log: { x: 12.6, y: 3 } });
    expect(w.nodes[0].position).toEqual({ x: 13, y: 3 });
  });
});
