// Import: choose a file (a Flowbench workflow, or an n8n export), or paste a
// workflow copied from n8n's editor; then what was imported and what could
// not be mapped. A JSON file dropped on the window lands here too.

import { useEffect, useState } from "react";
import { onWorkflowImported } from "./ipc/events";
import * as files from "./hooks/useWorkspaceActions";
import { useStore } from "./store";

export function ImportDialog() {
  const importing = useStore((s) => s.importing);
  const close = () => useStore.getState().setImporting(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const unlisten = onWorkflowImported((m) => {
      if (m.answer) void files.opened(m.answer);
      else if (m.error) useStore.getState().say(`Cannot import: ${m.error.message}`, true);
    });
    return () => void unlisten.then((f) => f());
  }, []);

  if (!importing) return null;
  const answer = importing.answer;
  if (answer) {
    const errors = answer.diagnostics.filter((d) => d.severity === "error").length;
    return (
      <div className="modal-backdrop">
        <div className="modal import-report" role="dialog" aria-label="Import report">
          <h3>Imported from n8n</h3>
          <p>
            <strong>{answer.workflow.name ?? answer.workflow.id}</strong>:{" "}
            {answer.workflow.nodes.length} {answer.workflow.nodes.length === 1 ? "node" : "nodes"},
            saved as <code>{answer.path}</code>
            {answer.pinsFile && (
              <>
                {" "}
                with its pinned data in <code>{answer.pinsFile}</code>
              </>
            )}
            .
          </p>
          {answer.notMapped.length === 0 ? (
            <p data-role="import-all-mapped">Everything was mapped.</p>
          ) : (
            <>
              <p>
                {answer.notMapped.length === 1
                  ? "1 thing was not mapped:"
                  : `${answer.notMapped.length} things were not mapped:`}
              </p>
              <ul className="not-mapped" data-role="not-mapped">
                {answer.notMapped.map((n, i) => (
                  <li key={i}>
                    <strong>{n.node}</strong>: {n.what}: {n.why}
                  </li>
                ))}
              </ul>
            </>
          )}
          {errors > 0 && (
            <p className="error">
              {errors === 1 ? "1 error" : `${errors} errors`} to fix: see Problems.
            </p>
          )}
          <div className="modal-buttons">
            <button name="close-import" className="primary" autoFocus onClick={close}>
              Close
            </button>
          </div>
        </div>
      </div>
    );
  }
  const importText = async () => {
    setBusy(true);
    const failed = await files.importPasted(text);
    setBusy(false);
    setError(failed);
    if (!failed) setText("");
  };
  return (
    <div className="modal-backdrop">
      <div className="modal import-choose" role="dialog" aria-label="Import">
        <h3>Import a workflow</h3>
        <p>
          A Flowbench workflow, or an n8n workflow: its exported file, or nodes copied in n8n's
          editor (Ctrl+C) and pasted here. You can also drop a file on the window.
        </p>
        <button name="choose-import-file" onClick={() => void files.importChosen()}>
          Choose a file…
        </button>
        <textarea
          name="import-text"
          rows={8}
          placeholder="…or paste the workflow's JSON here"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          <button name="cancel" onClick={close}>
            Cancel
          </button>
          <button
            name="import-pasted"
            className="primary"
            disabled={busy || text.trim() === ""}
            onClick={() => void importText()}
          >
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
