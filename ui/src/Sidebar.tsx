// The workspace folder's workflow files; it folds away (the toolbar's
// Workflows button, Ctrl+B) to leave the canvas the window.

import type { WorkspaceEntry } from "./bindings/WorkspaceEntry";
import { useStore } from "./store";

export function Sidebar(props: {
  dir: string;
  entries: WorkspaceEntry[];
  current: string | null;
  onOpen: (path: string) => void;
  onNew: () => void;
  onRename: (entry: WorkspaceEntry) => void;
  onDelete: (entry: WorkspaceEntry) => void;
}) {
  return (
    <aside className="sidebar" aria-label="Workflows">
      <div className="sidebar-head">
        <h3>Workflows</h3>
        <button
          className="mini"
          name="hide-workflows"
          title="Hide the workflow list (Ctrl+B)"
          onClick={() => useStore.getState().toggleLayout("sidebar")}
        >
          «
        </button>
      </div>
      <div className="dir" title={props.dir}>
        {props.dir}
      </div>
      <ul>
        {props.entries.map((e) => (
          <li
            key={e.path}
            className={`${e.path === props.current ? "current" : ""}${e.error ? " broken" : ""}`}
            data-file={e.file}
            data-workflow-id={e.id ?? e.file}
            title={e.error ?? e.path}
          >
            <button className="open" onClick={() => props.onOpen(e.path)}>
              {e.name ?? e.file}
              {e.error && <span className="badge badge-error">!</span>}
            </button>
            <span className="entry-actions">
              <button className="mini" title="Rename" onClick={() => props.onRename(e)}>
                ✎
              </button>
              <button className="mini" title="Delete" onClick={() => props.onDelete(e)}>
                ✕
              </button>
            </span>
          </li>
        ))}
      </ul>
      <button name="new-workflow" onClick={props.onNew}>
        + New workflow
      </button>
    </aside>
  );
}
