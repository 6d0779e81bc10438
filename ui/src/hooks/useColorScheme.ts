// The system's light or dark setting, followed live, for the parts that are
// not styled by CSS variables (CodeMirror's theme).

import { useEffect, useState } from "react";

const query = () => window.matchMedia?.("(prefers-color-scheme: dark)");

export function useColorScheme(): "light" | "dark" {
  const [dark, setDark] = useState(() => query()?.matches ?? false);
  useEffect(() => {
    const q = query();
    if (!q) return;
    const changed = () => setDark(q.matches);
    q.addEventListener("change", changed);
    return () => q.removeEventListener("change", changed);
  }, []);
  return dark ? "dark" : "light";
}
