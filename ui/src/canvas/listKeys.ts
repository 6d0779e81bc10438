// The keys of a popup list (the node picker, Find): arrows move, Enter
// chooses, Escape closes; the search box keeps every other key.

import type { KeyboardEvent } from "react";

export function listKeys(
  e: KeyboardEvent,
  count: number,
  setActive: (f: (a: number) => number) => void,
  choose: () => void,
  close: () => void,
) {
  const keys: Record<string, () => void> = {
    Escape: close,
    ArrowDown: () => setActive((a) => Math.min(count - 1, a + 1)),
    ArrowUp: () => setActive((a) => Math.max(0, a - 1)),
    Enter: choose,
  };
  const act = keys[e.key];
  if (!act) return;
  e.preventDefault();
  act();
}
