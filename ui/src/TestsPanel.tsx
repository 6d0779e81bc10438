// The Tests tab: the test cases kept beside the open workflow (NAME.test.json),
// run through the engine's test runner; a run can become a new case.

import { useEffect } from "react";
import { ipc, errorText } from "./ipc/commands";
import type { RunReport } from "./bindings/RunReport";
import type { TestCase } from "./bindings/TestCase";
import type { TestFile } from "./bindings/TestFile";
import { useStore } from "./store";

export function TestsPanel(props: {
  workflowPath: string | null;
  dirty: boolean;
  report: RunReport | null;
  onShowRun: (report: RunReport) => void;
  say: (text: string, error?: boolean) => void;
}) {
  const { workflowPath, say } = props;
  const tests = useStore((s) => s.tests);
  const setTests = useStore((s) => s.setTests);
  const results = useStore((s) => s.results);
  const busy = useStore((s) => s.testsBusy);
  const setBusy = useStore((s) => s.setTestsBusy);
  const editing = useStore((s) => s.editingCase);
  const setEditing = useStore((s) => s.editCase);

  useEffect(() => {
    if (!workflowPath) return setTests(null);
    ipc.loadTests(workflowPath).then(setTests, (e) => {
      setTests(null);
      say(errorText(e), true);
    });
  }, [workflowPath, say, setTests]);

  if (!workflowPath) return <p className="help">Save the workflow to keep tests beside it.</p>;
  if (!tests) return <p className="help">No tests loaded.</p>;

  const save = async (next: TestFile) => {
    try {
      await ipc.saveTests(workflowPath, next);
      // Saved cases keep the results shown so far.
      useStore.setState({ tests: next });
      say("Tests saved");
    } catch (e) {
      say(errorText(e), true);
    }
  };
  const run = async (name: string | null) => {
    setBusy(true);
    try {
      const got = await ipc.runTests(workflowPath, name);
      useStore.getState().addResults(got);
    } catch (e) {
      say(errorText(e), true);
    } finally {
      setBusy(false);
    }
  };
  const fromRun = async () => {
    if (!props.report) return;
    const name = `run of ${new Date().toLocaleTimeString()}`;
    const added: TestCase = await ipc.caseFromReport(name, props.report);
    await save({ ...tests, cases: [...tests.cases, added] });
  };
  const passed = Object.values(results).filter((r) => r.passed).length;
  const failed = Object.values(results).length - passed;

  return (
    <div className="tests">
      <div className="tests-bar">
        <button
          name="run-all-tests"
          disabled={busy || tests.cases.length === 0}
          onClick={() => run(null)}
        >
          Run all
        </button>
        <button
          name="save-run-as-case"
          disabled={!props.report}
          onClick={fromRun}
          title="The last run's input, and each node's status and output, as a new case"
        >
          Save run as test case
        </button>
        <span className="help" data-testid="tests-summary">
          {tests.cases.length} cases
          {Object.keys(results).length > 0 && ` · ${passed} passed, ${failed} failed`}
          {props.dirty && " · tests run the saved workflow"}
        </span>
      </div>
      <ul className="cases">
        {tests.cases.map((c, i) => {
          const r = results[c.name];
          return (
            <li key={i} className="case" data-case={c.name}>
              <div className="case-head">
                <span
                  className={`badge ${r ? (r.passed ? "badge-pass" : "badge-error") : "badge-none"}`}
                  data-result={r ? (r.passed ? "pass" : "fail") : "none"}
                >
                  {r ? (r.passed ? "pass" : "fail") : "—"}
                </span>
                <button
                  className="case-name"
                  onClick={() => r?.report && props.onShowRun(r.report)}
                  title="Show this case's run"
                >
                  {c.name}
                </button>
                <button name="run-case" disabled={busy} onClick={() => run(c.name)}>
                  Run
                </button>
                <button
                  name="edit-case"
                  onClick={() => setEditing({ index: i, text: JSON.stringify(c, null, 2) })}
                >
                  Edit
                </button>
              </div>
              {r && !r.passed && (
                <ul className="differences">
                  {r.failures.map((f, j) => (
                    <li key={j}>{f}</li>
                  ))}
                </ul>
              )}
              {editing?.index === i && (
                <div className="case-editor">
                  <textarea
                    name="case-json"
                    className="json-field"
                    rows={12}
                    value={editing.text}
                    onChange={(e) => setEditing({ ...editing, text: e.target.value })}
                  />
                  {editing.error && <div className="field-error">{editing.error}</div>}
                  <button onClick={() => setEditing(null)}>Cancel</button>
                  <button
                    name="save-case"
                    className="primary"
                    onClick={() => {
                      try {
                        const edited = JSON.parse(editing.text) as TestCase;
                        if (typeof edited.name !== "string" || !edited.name)
                          throw new Error("a case needs a name");
                        setEditing(null);
                        void save({
                          ...tests,
                          cases: tests.cases.map((x, j) => (j === i ? edited : x)),
                        });
                      } catch (e) {
                        setEditing({ ...editing, error: (e as Error).message });
                      }
                    }}
                  >
                    Save case
                  </button>
                </div>
              )}
            </li>
          );
        })}
        {tests.cases.length === 0 && (
          <li className="help">No cases yet: run the workflow, then “Save run as test case”.</li>
        )}
      </ul>
    </div>
  );
}
