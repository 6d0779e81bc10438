// The start screen: the workspace's workflows, the ones opened last, and a
// new workflow or an import. The app opens here rather than on an empty canvas.

import { FilePlus2, FileInput, FolderOpen } from "lucide-react";
import { recentPaths } from "./recent";
import * as files from "./hooks/useWorkspaceActions";
import { useStore } from "./store";
import type { WorkspaceEntry } from "./bindings/WorkspaceEntry";

function Entry({ e }: { e: WorkspaceEntry }) {
  return (
    <li>
      <button
        className={`start-entry${e.error ? " broken" : ""}`}
        data-workflow-id={e.id ?? e.file}
        title={e.error ?? e.path}
        onClick={() => void files.openPath(e.path)}
      >
        <span className="start-name">{e.name ?? e.file}</span>
        <span className="start-file">
          {e.error ? "does not load: " + e.error : `${e.file}.flow.json`}
        </span>
      </button>
    </li>
  );
}

export function StartScreen() {
  const entries = useStore((s) => s.entries);
  const dir = useStore((s) => s.dir);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const recent = recentPaths()
    .map((p) => byPath.get(p))
    .filter((e): e is WorkspaceEntry => !!e);
  return (
    <main className="start-screen" aria-label="Start">
      <div className="start-inner">
        <h1>Flowbench</h1>
        <div className="start-actions">
          <button
            className="primary"
            name="start-new"
            data-action="new-workflow"
            onClick={files.newWorkflow}
          >
            <FilePlus2 size={16} aria-hidden="true" /> New workflow
          </button>
          <button name="start-open" onClick={files.openFile}>
            <FolderOpen size={16} aria-hidden="true" /> Open…
          </button>
          <button name="start-import" onClick={files.importFile}>
            <FileInput size={16} aria-hidden="true" /> Import (Flowbench or n8n)
          </button>
        </div>
        {recent.length > 0 && (
          <section>
            <h2>Recent</h2>
            <ul className="start-list recent">
              {recent.map((e) => (
                <Entry key={e.path} e={e} />
              ))}
            </ul>
          </section>
        )}
        <section>
          <h2>In this workspace</h2>
          <p className="help" title={dir}>
            {dir}
          </p>
          {entries.length === 0 ? (
            <p className="help">No workflows here yet: start a new one.</p>
          ) : (
            <ul className="start-list">
              {entries.map((e) => (
                <Entry key={e.path} e={e} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  );
}
