// The tests slice: the open workflow's test file, the last results, and the
// case being edited in the Tests tab.

import type { StateCreator } from "zustand";
import type { CaseResult } from "../bindings/CaseResult";
import type { TestFile } from "../bindings/TestFile";
import type { Store } from "./index";

export type CaseEdit = { index: number; text: string; error?: string };

export type TestsSlice = {
  tests: TestFile | null;
  results: Record<string, CaseResult>;
  testsBusy: boolean;
  editingCase: CaseEdit | null;
  setTests: (tests: TestFile | null) => void;
  addResults: (results: CaseResult[]) => void;
  setTestsBusy: (busy: boolean) => void;
  editCase: (edit: CaseEdit | null) => void;
};

export const testsSlice: StateCreator<Store, [], [], TestsSlice> = (set) => ({
  tests: null,
  results: {},
  testsBusy: false,
  editingCase: null,
  setTests: (tests) => set({ tests, results: {}, editingCase: null }),
  addResults: (got) =>
    set((s) => ({ results: { ...s.results, ...Object.fromEntries(got.map((c) => [c.case, c])) } })),
  setTestsBusy: (testsBusy) => set({ testsBusy }),
  editCase: (editingCase) => set({ editingCase }),
});
