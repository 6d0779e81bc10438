// The workspace's file actions: new, open, save, save as, import, export,
// rename and delete. Files elsewhere come and go through the shell's dialogs.

import type { ImportAnswer } from "../bindings/ImportAnswer";
import type { WorkspaceEntry } from "../bindings/WorkspaceEntry";
import { errorText, ipc } from "../ipc/commands";
import { remember } from "../recent";
import { selectDirty, useStore } from "../store";

function store() {
  return useStore.getState();
}

export async function refreshEntries() {
  try {
    store().setEntries(await ipc.listWorkflows());
  } catch (e) {
    store().say(errorText(e), true);
  }
}

/** Whether the person agrees to lose unsaved changes (true when there are none). */
export async function confirmDiscard(): Promise<boolean> {
  const s = store();
  if (!selectDirty(s)) return true;
  return (
    (await s.askUser({
      title: "Discard unsaved changes?",
      message: `${s.history.present.id} has changes that are not saved.`,
      confirm: "Discard",
    })) !== null
  );
}

export async function openPath(p: string) {
  if (!(await confirmDiscard())) return;
  try {
    const w = await ipc.openWorkflow(p);
    store().load(p, w, JSON.stringify(w));
    remember(p);
  } catch (e) {
    store().say(`Cannot open: ${errorText(e)}`, true);
  }
}

async function saveTo(p: string) {
  const workflow = store().history.present;
  try {
    const revision = await ipc.saveWorkflow(p, workflow);
    store().markSaved(p, workflow);
    store().say(revision ? `Saved ${p} (revision ${revision})` : `Saved ${p}`);
    store().bumpHistory();
    await refreshEntries();
  } catch (e) {
    store().say(`Not saved: ${errorText(e)}`, true);
  }
}

export async function saveAs() {
  const workflow = store().history.present;
  try {
    const p = await ipc.chooseAndSave(workflow);
    if (!p) return;
    store().markSaved(p, workflow);
    store().say(`Saved ${p}`);
    await refreshEntries();
  } catch (e) {
    store().say(`Not saved: ${errorText(e)}`, true);
  }
}

export async function save() {
  const p = store().path;
  return p ? saveTo(p) : saveAs();
}

export async function openFile() {
  if (!(await confirmDiscard())) return;
  try {
    const opened = await ipc.chooseAndOpen();
    if (!opened) return;
    // A file outside the workspace opens its folder as the workspace.
    store().setWorkspace(opened.workspace, store().entries);
    await refreshEntries();
    store().load(opened.path, opened.workflow, JSON.stringify(opened.workflow));
  } catch (e) {
    store().say(`Cannot open: ${errorText(e)}`, true);
  }
}

/** Opens the Import dialog: choose a file, or paste an n8n workflow. */
export function importFile() {
  store().setImporting({ answer: null });
}

/** Import from a file chosen in the native dialog. */
export async function importChosen() {
  if (!(await confirmDiscard())) return;
  try {
    const answer = await ipc.importWorkflow();
    if (answer) await opened(answer);
  } catch (e) {
    store().say(`Cannot import: ${errorText(e)}`, true);
  }
}

/** Import from pasted text; answers the error's text, if any. */
export async function importPasted(text: string): Promise<string | null> {
  if (!(await confirmDiscard())) return null;
  try {
    await opened(await ipc.importText(text));
    return null;
  } catch (e) {
    return errorText(e);
  }
}

/** Shows an imported workflow: an n8n import was written into the workspace
 * and opens from there; a Flowbench one opens unsaved. */
export async function opened(answer: ImportAnswer) {
  const w = answer.workflow;
  if (answer.path) {
    await refreshEntries();
    store().load(answer.path, w, JSON.stringify(w));
    store().setImporting({ answer });
  } else {
    // A Flowbench import becomes a new, unsaved workflow: Save puts it in the workspace.
    store().load(null, w, "");
    store().setImporting(null);
    store().say(`Imported ${w.id}; save to keep it`);
  }
}

export async function exportFile() {
  try {
    const p = await ipc.exportWorkflow(store().history.present);
    if (p) store().say(`Exported to ${p}`);
  } catch (e) {
    store().say(`Not exported: ${errorText(e)}`, true);
  }
}

export async function newWorkflow() {
  if (!(await confirmDiscard())) return;
  const id = await store().askUser({
    title: "New workflow",
    message: "Its id: lowercase letters, digits and '-'.",
    input: "",
    confirm: "Create",
  });
  if (!id) return;
  try {
    const p = await ipc.createWorkflow(id);
    await refreshEntries();
    const w = await ipc.openWorkflow(p);
    store().load(p, w, JSON.stringify(w));
    remember(p);
  } catch (e) {
    store().say(errorText(e), true);
  }
}

export async function renameEntry(entry: WorkspaceEntry) {
  const id = await store().askUser({
    title: `Rename ${entry.file}`,
    input: entry.id ?? entry.file,
    confirm: "Rename",
  });
  if (!id) return;
  try {
    const p = await ipc.renameWorkflow(entry.path, id);
    const s = store();
    if (entry.path === s.path) {
      s.change((w) => ({ ...w, id }));
      s.markSaved(p, { ...s.history.present, id });
    }
    await refreshEntries();
  } catch (e) {
    store().say(errorText(e), true);
  }
}

export async function deleteEntry(entry: WorkspaceEntry) {
  if (
    (await store().askUser({
      title: `Delete ${entry.file}?`,
      message: entry.path,
      confirm: "Delete",
    })) === null
  )
    return;
  try {
    await ipc.deleteWorkflow(entry.path);
    if (entry.path === store().path) store().setPath(null);
    await refreshEntries();
  } catch (e) {
    store().say(errorText(e), true);
  }
}
