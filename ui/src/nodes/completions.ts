// What the code and expression editors complete: the `$` names of the
// scope, and the ids of upstream nodes after `$nodes.` (or `nodes['` in Python).

import type { CompletionContext } from "@codemirror/autocomplete";

export const SCOPE_NAMES = [
  "$input",
  "$trigger",
  "$vars",
  "$nodes",
  "$item",
  "$index",
  "$run",
  "$secrets",
  "$response",
  "$page",
  "$record",
];

/** Completes `$` names, and `$nodes.` with the ids of upstream nodes. */
export function scopeCompletions(upstream: string[]) {
  return (context: CompletionContext) => {
    const nodes = context.matchBefore(/\$nodes\.[A-Za-z0-9_]*/);
    if (nodes) {
      return {
        from: nodes.from + "$nodes.".length,
        options: upstream.map((id) => ({ label: id, type: "variable", detail: "upstream node" })),
      };
    }
    const word = context.matchBefore(/\$[A-Za-z]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return { from: word.from, options: SCOPE_NAMES.map((label) => ({ label, type: "keyword" })) };
  };
}

/** The names a Python body sees (the scope without `$`). */
export const PYTHON_NAMES = [
  "input",
  "trigger",
  "vars",
  "nodes",
  "item",
  "index",
  "run",
  "secrets",
];

/** Completes the scope's names, and `nodes['` with the ids of upstream nodes. */
export function pythonCompletions(upstream: string[]) {
  return (context: CompletionContext) => {
    const nodes = context.matchBefore(/nodes\[["'][A-Za-z0-9_]*/);
    if (nodes) {
      return {
        from: nodes.from + "nodes['".length,
        options: upstream.map((id) => ({ label: id, type: "variable", detail: "upstream node" })),
      };
    }
    const word = context.matchBefore(/[A-Za-z_]+/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    return {
      from: word.from,
      options: PYTHON_NAMES.map((label) => ({ label, type: "variable", detail: "scope" })),
    };
  };
}
