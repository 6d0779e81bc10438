// The Tasks inbox: the open human tasks (approvals) of every workflow in the
// history, the most urgent first: title, instructions, assignee, due date
// (overdue flagged), notes. Deciding continues the run here, in the app.

import { useEffect, useState } from "react";
import type { OpenTask } from "../bindings/OpenTask";
import type { RunReport } from "../bindings/RunReport";
import { errorText, ipc } from "../ipc/commands";
import { useStore } from "../store";

function TaskCard(props: { task: OpenTask; onDone: (report: RunReport | null) => void }) {
  const { task } = props;
  const say = useStore((s) => s.say);
  const [comment, setComment] = useState("");
  const [note, setNote] = useState("");
  const [notes, setNotes] = useState(task.notes);
  const [busy, setBusy] = useState(false);
  const decide = async (outcome: string) => {
    setBusy(true);
    try {
      const report = await ipc.decideTask(task.runId, task.node, outcome, comment || null);
      say(`${task.title}: ${outcome}. The run went on: ${report.status}`);
      props.onDone(report);
    } catch (e) {
      say(`Not decided: ${errorText(e)}`, true);
      props.onDone(null);
    } finally {
      setBusy(false);
    }
  };
  const addNote = async () => {
    try {
      setNotes(await ipc.noteTask(task.runId, task.node, note));
      setNote("");
    } catch (e) {
      say(`Note not added: ${errorText(e)}`, true);
    }
  };
  return (
    <article className="task" data-run={task.runId} data-node={task.node}>
      <header>
        <strong className="task-title">{task.title}</strong>
        {task.overdue && <span className="badge badge-error">overdue</span>}
        <span className="help">
          {task.workflowId} · {task.node} · run {task.runId.slice(0, 8)}
        </span>
      </header>
      {task.instructions && <p className="task-instructions">{task.instructions}</p>}
      <p className="help">
        assignee: {task.assignee ?? "anyone"} · due:{" "}
        {task.dueAt ? new Date(task.dueAt).toLocaleString() : "no date"}
      </p>
      {notes.length > 0 && (
        <ul className="task-notes">
          {notes.map((n, i) => (
            <li key={i}>
              <span className="help">
                {n.by}, {new Date(n.at).toLocaleString()}:
              </span>{" "}
              {n.text}
            </li>
          ))}
        </ul>
      )}
      <div className="task-actions">
        <input
          name="task-note"
          placeholder="Add a note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
        <button name="add-note" disabled={!note.trim()} onClick={addNote}>
          Add note
        </button>
      </div>
      <div className="task-actions">
        <input
          name="task-comment"
          placeholder="Comment with the decision"
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        {task.outcomes.map((o) => (
          <button key={o} name={`decide-${o}`} disabled={busy} onClick={() => decide(o)}>
            {o}
          </button>
        ))}
      </div>
    </article>
  );
}

export function TasksInbox(props: { onShowRun: (report: RunReport) => void }) {
  const tick = useStore((s) => s.historyTick);
  const [tasks, setTasks] = useState<OpenTask[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [overdue, setOverdue] = useState(false);
  useEffect(() => {
    let live = true;
    ipc.listTasks({ overdue }).then(
      (t) => live && (setTasks(t), setError(null)),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [tick, overdue]);
  return (
    <div className="tasks-inbox">
      <div className="history-filters">
        <label>
          <input
            type="checkbox"
            name="overdue-only"
            checked={overdue}
            onChange={(e) => setOverdue(e.target.checked)}
          />{" "}
          overdue only
        </label>
        <span className="help" data-testid="task-count">
          {tasks ? `${tasks.length} open task(s)` : ""}
        </span>
      </div>
      {error && <p className="help error-text">{error}</p>}
      {tasks?.length === 0 && <p className="help">No open tasks.</p>}
      {(tasks ?? []).map((t) => (
        <TaskCard
          key={`${t.runId}/${t.node}`}
          task={t}
          onDone={(report) => {
            useStore.getState().bumpHistory();
            if (report) props.onShowRun(report);
          }}
        />
      ))}
    </div>
  );
}
