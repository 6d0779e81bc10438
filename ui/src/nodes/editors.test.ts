import { CompletionContext } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { scopeCompletions } from "./completions";

function complete(text: string, upstream: string[]) {
  const state = EditorState.create({ doc: text });
  return scopeCompletions(upstream)(new CompletionContext(state, text.length, false));
}

describe("expression completion", () => {
  it("offers the $ names", () => {
    const r = complete("{{ $va", []);
    expect(r?.from).toBe(3);
    expect(r?.options.map((o) => o.label)).toContain("$vars");
  });

  it("offers upstream node ids after $nodes.", () => {
    const r = complete("{{ $nodes.lo", ["start", "low"]);
    expect(r?.from).toBe("{{ $nodes.".length);
    expect(r?.options.map((o) => o.label)).toEqual(["start", "low"]);
  });

  it("stays quiet outside a $ name", () => {
    expect(complete("plain text", ["a"])).toBeNull();
  });
});
