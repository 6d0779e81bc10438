// The Shortcuts sheet (?): every key, by what it is for.

import { SHORTCUTS } from "./shortcuts";
import { useStore } from "./store";

export function Shortcuts() {
  const close = () => useStore.getState().setHelpOpen(false);
  const groups = [...new Set(SHORTCUTS.map((s) => s.group))];
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div
        className="modal shortcuts"
        role="dialog"
        aria-label="Keyboard shortcuts"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <h2>Keyboard shortcuts</h2>
        <div className="shortcut-groups">
          {groups.map((g) => (
            <section key={g}>
              <h3>{g}</h3>
              <dl>
                {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                  <div key={s.keys} className="shortcut">
                    <dt>
                      <kbd>{s.keys}</kbd>
                    </dt>
                    <dd>{s.action}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <div className="modal-actions">
          <button autoFocus onClick={close} name="close-shortcuts">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
