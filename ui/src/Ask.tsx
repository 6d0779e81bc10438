// A small in-app question: a text answer, or a yes/no confirmation.

import { useEffect, useState } from "react";

export type Question = {
  title: string;
  message?: string;
  input?: string;
  confirm: string;
  resolve: (answer: string | null) => void;
};

export function Ask({ question }: { question: Question }) {
  const [text, setText] = useState(question.input ?? "");
  const done = (answer: string | null) => question.resolve(answer);
  // Escape cancels, wherever the focus is, as in any dialog.
  useEffect(() => {
    // Caught on the way down, so that the canvas does not also take it (and
    // drop its selection).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      question.resolve(null);
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [question]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-label={question.title}>
        <h3>{question.title}</h3>
        {question.message && <p>{question.message}</p>}
        {question.input !== undefined && (
          <input
            name="answer"
            autoFocus
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.key === "Enter" && done(text)}
          />
        )}
        <div className="modal-buttons">
          <button name="cancel" onClick={() => done(null)}>
            Cancel
          </button>
          <button
            name="confirm"
            className="primary"
            onClick={() => done(question.input !== undefined ? text : "yes")}
          >
            {question.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
