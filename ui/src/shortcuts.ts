// Every keyboard shortcut, in one table: the key handler and the Shortcuts
// sheet (?) both read it, so that the sheet never lists a key that does nothing.

export type Shortcut = { keys: string; action: string; group: string };

export const SHORTCUTS: Shortcut[] = [
  {
    group: "Add and connect",
    keys: "Tab",
    action: "Add a node (after the selected one, connected)",
  },
  { group: "Add and connect", keys: "Double-click canvas", action: "Add a node there" },
  { group: "Add and connect", keys: "C", action: "Connect the selected node to…" },
  { group: "Add and connect", keys: "Shift+S", action: "Add a sticky note" },
  { group: "Edit", keys: "Enter", action: "Configure the selected node (focus its form)" },
  { group: "Edit", keys: "Escape (in a form)", action: "Back to the canvas" },
  { group: "Edit", keys: "F2", action: "Rename the selected node" },
  { group: "Edit", keys: "Delete", action: "Delete the selection" },
  {
    group: "Edit",
    keys: "Ctrl+C / Ctrl+X / Ctrl+V",
    action: "Copy, cut, paste (as JSON, between workflows)",
  },
  { group: "Edit", keys: "Ctrl+D", action: "Duplicate the selection" },
  { group: "Edit", keys: "Ctrl+A", action: "Select every node" },
  { group: "Edit", keys: "Ctrl+Z / Ctrl+Shift+Z", action: "Undo, redo" },
  { group: "Edit", keys: "Arrows / Shift+Arrows", action: "Move the selection by 20 / 100 px" },
  { group: "Edit", keys: "Alt+Shift+L / R / T / B", action: "Align left, right, top, bottom" },
  { group: "Edit", keys: "Alt+Shift+H / V", action: "Distribute horizontally, vertically" },
  { group: "Navigate", keys: "Alt+Arrows", action: "Select the nearest node that way" },
  { group: "Navigate", keys: "Ctrl+F", action: "Find a node by name and go to it" },
  { group: "Navigate", keys: "Escape", action: "Close, or clear the selection" },
  { group: "Navigate", keys: "1", action: "Fit view" },
  { group: "Navigate", keys: "+ / -", action: "Zoom in, out" },
  { group: "View", keys: "Ctrl+L", action: "Auto layout" },
  { group: "View", keys: "Ctrl+B", action: "Show or hide the workflow list" },
  { group: "View", keys: "Ctrl+J", action: "Show or hide the debug panel" },
  { group: "View", keys: "Ctrl+,", action: "Workflow settings" },
  { group: "View", keys: "M", action: "Show or hide the minimap" },
  { group: "View", keys: "G", action: "Snap to grid on or off" },
  { group: "View", keys: "?", action: "This sheet" },
  { group: "Files and runs", keys: "Ctrl+S / Ctrl+Shift+S", action: "Save, save as" },
  { group: "Files and runs", keys: "Ctrl+N / Ctrl+O", action: "New workflow, open" },
  { group: "Files and runs", keys: "Ctrl+Enter", action: "Run" },
  { group: "Files and runs", keys: "F9", action: "Breakpoint on the selected node" },
  { group: "Files and runs", keys: "F10 / F5", action: "Step, continue (paused)" },
];
