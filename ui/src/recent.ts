// The workflows opened last, newest first, kept across restarts for the start screen.

const KEY = "flowbench.recent";
const LIMIT = 6;

export function recentPaths(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((p) => typeof p === "string") : [];
  } catch {
    return [];
  }
}

export function remember(path: string) {
  try {
    const list = [path, ...recentPaths().filter((p) => p !== path)].slice(0, LIMIT);
    localStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // No storage: nothing is remembered.
  }
}
