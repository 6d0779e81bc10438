// The UI's store (zustand): one slice per concern. Components read what they
// need with `useStore(selector)`; the pure folds (../doc.ts, ../run.ts) stay
// separately tested.

import { create } from "zustand";
import { debugSlice, type DebugSlice } from "./debug";
import { documentSlice, type DocumentSlice } from "./document";
import { runSlice, type RunSlice } from "./run";
import { selectionSlice, type SelectionSlice } from "./selection";
import { testsSlice, type TestsSlice } from "./tests";
import { uiSlice, type UiSlice } from "./ui";

export type Store = DocumentSlice & SelectionSlice & RunSlice & DebugSlice & TestsSlice & UiSlice;

export const useStore = create<Store>()((...a) => ({
  ...documentSlice(...a),
  ...selectionSlice(...a),
  ...runSlice(...a),
  ...debugSlice(...a),
  ...testsSlice(...a),
  ...uiSlice(...a),
}));

export { selectDirty, selectWorkflow, EMPTY } from "./document";
