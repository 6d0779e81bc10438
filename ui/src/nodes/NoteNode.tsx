// A sticky note on the canvas (`annotations`): Markdown, edited in place
// (double-click), resized from its corners, in one of a few colours.

import { NodeResizer, type Node, type NodeProps } from "@xyflow/react";
import { lazy, Suspense, useEffect, useState } from "react";
import * as doc from "../doc";
import { useStore } from "../store";

// Markdown loads with the first note drawn, not with the app.
const Markdown = lazy(() => import("react-markdown"));

export const NOTE_COLORS = ["yellow", "orange", "red", "green", "blue", "purple", "gray"];

export type NoteData = { id: string; text: string; color: string; [key: string]: unknown };

export function NoteNode({ data, selected }: NodeProps<Node<NoteData>>) {
  const editing = useStore((s) => s.editingNote === data.id);
  const [text, setText] = useState(data.text);
  useEffect(() => setText(data.text), [data.text]);
  const change = (c: Parameters<typeof doc.updateNote>[2]) =>
    useStore.getState().change((w) => doc.updateNote(w, data.id, c));
  const finish = () => {
    change({ text });
    useStore.getState().setEditingNote(null);
  };
  return (
    <div
      className={`sticky-note note-${data.color}${selected ? " selected" : ""}`}
      data-note-id={data.id}
      onDoubleClick={(e) => {
        e.stopPropagation();
        useStore.getState().setEditingNote(data.id);
      }}
    >
      <NodeResizer
        isVisible={selected}
        minWidth={120}
        minHeight={60}
        onResizeEnd={(_, p) =>
          change({
            position: { x: Math.round(p.x), y: Math.round(p.y) },
            size: { width: Math.round(p.width), height: Math.round(p.height) },
          })
        }
      />
      {editing ? (
        <textarea
          autoFocus
          className="nodrag nowheel note-text"
          name="note-text"
          value={text}
          placeholder="Markdown: **bold**, - lists, [links](…)"
          onChange={(e) => setText(e.target.value)}
          onBlur={finish}
          onKeyDown={(e) => {
            e.stopPropagation();
            if (e.key === "Escape" || (e.key === "Enter" && (e.ctrlKey || e.metaKey))) finish();
          }}
        />
      ) : (
        <div className="note-body nowheel">
          {data.text ? (
            <Suspense fallback={<p className="note-plain">{data.text}</p>}>
              <Markdown>{data.text}</Markdown>
            </Suspense>
          ) : (
            <p className="help">Double-click to write a note.</p>
          )}
        </div>
      )}
      {selected && !editing && (
        <div className="note-colors nodrag">
          {NOTE_COLORS.map((c) => (
            <button
              key={c}
              className={`swatch note-${c}${c === data.color ? " current" : ""}`}
              title={c}
              aria-label={`Colour ${c}`}
              name={`note-color-${c}`}
              onClick={() => change({ color: c })}
            />
          ))}
        </div>
      )}
    </div>
  );
}
