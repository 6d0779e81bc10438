// The Revisions tab: every save of the open workflow file, newest first; a
// revision's structural difference from the file as it is (nodes added,
// removed, moved; config keys changed), and Restore (itself a new revision).

import { useEffect, useState } from "react";
import type { RevisionSummary } from "../bindings/RevisionSummary";
import type { Workflow } from "../bindings/Workflow";
import type { WorkflowDiff } from "../bindings/WorkflowDiff";
import { errorText, ipc } from "../ipc/commands";
import { useStore } from "../store";

function DiffView({ diff }: { diff: WorkflowDiff }) {
  const rows: [string, string][] = [
    ...diff.nodesAdded.map((n): [string, string] => ["+", `node ${n} added`]),
    ...diff.nodesRemoved.map((n): [string, string] => ["−", `node ${n} removed`]),
    ...diff.nodesMoved.map((n): [string, string] => ["~", `node ${n} moved`]),
    ...diff.nodesChanged.map((c): [string, string] => [
      "~",
      `node ${c.node}: ${c.keys.join(", ")}`,
    ]),
    ...diff.edgesAdded.map((e): [string, string] => ["+", `edge ${e}`]),
    ...diff.edgesRemoved.map((e): [string, string] => ["−", `edge ${e}`]),
    ...diff.workflowChanged.map((k): [string, string] => ["~", `workflow ${k}`]),
  ];
  if (rows.length === 0) return <p className="help">The same workflow as the file now.</p>;
  return (
    <ul className="diff" data-testid="revision-diff">
      {rows.map(([mark, text], i) => (
        <li key={i} className={`diff-${mark === "+" ? "add" : mark === "~" ? "change" : "remove"}`}>
          <code>{mark}</code> {text}
        </li>
      ))}
    </ul>
  );
}

export function Revisions(props: {
  path: string | null;
  dirty: boolean;
  onRestored: (path: string, workflow: Workflow) => void;
}) {
  const tick = useStore((s) => s.historyTick);
  const say = useStore((s) => s.say);
  const [revs, setRevs] = useState<RevisionSummary[] | null>(null);
  const [shown, setShown] = useState<{ rev: number; diff: WorkflowDiff } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { path } = props;
  useEffect(() => {
    if (!path) return;
    let live = true;
    ipc.listRevisions(path).then(
      (r) => live && (setRevs(r), setError(null)),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  if (!path) return <p className="help">Save the workflow to keep its revisions.</p>;
  const show = async (rev: number) => {
    try {
      setShown({ rev, diff: await ipc.diffRevision(path, rev, null) });
    } catch (e) {
      say(errorText(e), true);
    }
  };
  const restore = async (rev: number) => {
    if (props.dirty) {
      say("Save or discard your changes before restoring a revision.", true);
      return;
    }
    try {
      const workflow = await ipc.restoreRevision(path, rev);
      props.onRestored(path, workflow);
      useStore.getState().bumpHistory();
      setShown(null);
      say(`Revision ${rev} restored`);
    } catch (e) {
      say(`Not restored: ${errorText(e)}`, true);
    }
  };
  return (
    <div className="revisions">
      <ul className="revision-list">
        {error && <li className="help error-text">{error}</li>}
        {revs?.length === 0 && (
          <li className="help">No revisions yet: they are kept at each save.</li>
        )}
        {(revs ?? []).map((r) => (
          <li
            key={r.rev}
            data-rev={r.rev}
            className={shown?.rev === r.rev ? "opened" : ""}
            onClick={() => show(r.rev)}
          >
            <strong>#{r.rev}</strong> {new Date(r.savedAt).toLocaleString()}
            {r.note && <span className="help"> ({r.note})</span>}
          </li>
        ))}
      </ul>
      <div className="revision-detail">
        {shown && (
          <>
            <p>
              Revision #{shown.rev} compared with the file now{" "}
              <button name="restore-revision" onClick={() => restore(shown.rev)}>
                Restore #{shown.rev}
              </button>
            </p>
            <DiffView diff={shown.diff} />
          </>
        )}
        {!shown && revs && revs.length > 0 && (
          <p className="help">Choose a revision to see what changed since.</p>
        )}
      </div>
    </div>
  );
}
