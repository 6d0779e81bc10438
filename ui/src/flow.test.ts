import { describe, expect, it } from "vitest";
import type { NodeTypeSpec } from "./bindings/NodeTypeSpec";
import type { Workflow } from "./bindings/Workflow";
import * as doc from "./doc";
import { toFlowEdges, toFlowNodes } from "./flow";

const ifSpec: NodeTypeSpec = {
  type: "condition.if",
  category: "condition",
  label: "If",
  description: "",
  ports: ["true", "false"],
  fields: [],
  config_schema: {},
};

// A workflow as the engine loads it, with keys this version of the UI does not know.
const loaded = JSON.parse(`{
  "flowbench": 1, "id": "t", "owner": "ops",
  "nodes": [
    {"id": "start", "type": "trigger.manual", "ui": {"colour": "teal"}},
    {"id": "check", "type": "condition.if", "config": {"condition": "{{ true }}"}, "position": {"x": 10, "y": 20}}
  ],
  "edges": [{"id": "e1", "from": "start", "to": "check", "note": "kept"}]
}`) as Workflow;

describe("round trip to the format", () => {
  it("edits keep keys the UI does not know", () => {
    let w = doc.moveNodes(loaded, { start: { x: 5, y: 5 } });
    w = doc.updateNode(w, "check", { ...w.nodes[1], name: "Check" });
    w = doc.connect(w, "check", "true", "start").workflow;
    const json = JSON.parse(JSON.stringify(w));
    expect(json.owner).toBe("ops");
    expect(json.nodes[0].ui).toEqual({ colour: "teal" });
    expect(json.edges[0].note).toBe("kept");
    expect(json.edges[1]).toEqual({ id: "e2", from: "check", fromPort: "true", to: "start" });
  });
});

describe("drawing", () => {
  it("nodes get the engine's ports and their problems as badges", () => {
    const nodes = toFlowNodes(
      loaded,
      new Map([["condition.if", ifSpec]]),
      { check: ["true", "false", "error"] },
      [
        { severity: "error", code: "cycle", message: "m", node: "check", edge: null },
        { severity: "warning", code: "unreachable_node", message: "m", node: "check", edge: null },
      ],
      [],
    );
    expect(nodes[1].data.ports).toEqual(["true", "false", "error"]);
    expect(nodes[1].data.errors).toBe(1);
    expect(nodes[1].data.warnings).toBe(1);
    expect(nodes[1].position).toEqual({ x: 10, y: 20 });
    expect(nodes[0].data.category).toBe("unknown");
  });

  it("edges carry their port and are marked when the engine finds them wrong", () => {
    const w = doc.connect(loaded, "check", "false", "start").workflow;
    const edges = toFlowEdges(
      w,
      [{ severity: "error", code: "edge_unknown_port", message: "m", node: null, edge: "e2" }],
      [],
    );
    expect(edges[0]).toMatchObject({ source: "start", sourceHandle: "out", target: "check" });
    expect(edges[1]).toMatchObject({
      sourceHandle: "false",
      label: "false",
      className: "edge-error",
    });
  });
});
