//! `flowbench test` through the real binary: the examples' tests, a case that
//! must fail, each mock kind, malformed files, JUnit and JSON output.

mod common;
use common::*;
use serde_json::{json, Value};
use std::path::Path;

fn copy_example(dir: &Path, name: &str) {
    for ext in ["flow.json", "test.json"] {
        std::fs::copy(
            root().join(format!("workflows/{name}.{ext}")),
            dir.join(format!("{name}.{ext}")),
        )
        .unwrap();
    }
}

#[test]
fn the_examples_pass() {
    let o = run(&["test"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().last(), Some("21 passed, 0 failed"));
    assert!(stderr(&o)
        .contains("✔ workflows/lead-intake.test.json › a CRM failure takes the error route"));
}

#[test]
fn breaking_an_example_fails_with_a_readable_difference() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path(), "inventory-reorder");
    // Break it on purpose: a lower threshold reorders only one item.
    let path = dir.path().join("inventory-reorder.flow.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"threshold\": 10", "\"threshold\": 5");
    std::fs::write(&path, text).unwrap();
    let o = run(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("✘ ")
            && err.contains("› flags low stock, records reorders and notifies purchasing"),
        "{err}"
    );
    assert!(
        err.contains("    output.reordered: expected 2, got 1"),
        "{err}"
    );
    assert!(
        err.contains("    nodes.low.output: expected 2 items, got 1"),
        "{err}"
    );
    assert_eq!(stdout(&o).lines().last(), Some("2 passed, 1 failed"));
}

fn approval_flow(dir: &Path) {
    let wf = json!({"flowbench": 1, "id": "approve", "nodes": [
        {"id": "start", "type": "trigger.manual"},
        {"id": "ask", "type": "task.approval", "config": {"title": "Approve the refund?"}},
        {"id": "refund", "type": "task.set", "config": {"values": {"refunded": true}}},
        {"id": "decline", "type": "task.set", "config": {"values": {"refunded": false}}}],
        "edges": [{"id": "e1", "from": "start", "to": "ask"},
                  {"id": "e2", "from": "ask", "fromPort": "approved", "to": "refund"},
                  {"id": "e3", "from": "ask", "fromPort": "rejected", "to": "decline"}]});
    write(dir, "approve.flow.json", &wf.to_string());
}

#[test]
fn each_mock_kind_and_the_report_marks_mocked_nodes() {
    let dir = tempfile::tempdir().unwrap();
    approval_flow(dir.path());
    let tests = json!({"flowbench": 1, "workflow": "approve.flow.json", "cases": [
        {"name": "approved", "mocks": {"ask": {"decision": "approved", "comment": "fine"}},
         "expect": {"status": "succeeded", "output": {"refund": {"refunded": true}},
                    "nodes": {"ask": {"output": {"decision": "approved", "comment": "fine"}}, "decline": {"status": "skipped"}}}},
        {"name": "rejected", "mocks": {"ask": {"decision": "rejected"}},
         "expect": {"output": {"decline": {"refunded": false}}, "nodes": {"refund": {"status": "skipped"}}}},
        {"name": "a fixed output", "mocks": {"ask": {"decision": "approved"}, "refund": {"output": {"refunded": "mock"}}},
         "expect": {"nodes": {"refund": {"output": {"refunded": "mock"}}}}},
        {"name": "a forced error", "mocks": {"refund": {"error": "bank offline"}, "ask": {"decision": "approved"}},
         "expect": {"status": "failed", "nodes": {"refund": {"status": "failed"}}}},
        {"name": "unmocked, the run waits for a person", "expect": {"status": "waiting", "nodes": {"ask": {"status": "waiting"}}}}
    ]});
    write(dir.path(), "approve.test.json", &tests.to_string());
    let o = run(&["test", "--json", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let results: Vec<Value> = serde_json::from_slice(&o.stdout).expect("--json prints only JSON");
    assert_eq!(results.len(), 5);
    assert!(results.iter().all(|r| r["passed"] == true), "{results:#?}");
    let ask = results[0]["report"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "ask")
        .unwrap();
    assert_eq!(ask["mocked"], true);
    assert!(stderr(&o).trim_end().ends_with("5 passed, 0 failed"));
}

#[test]
fn malformed_files_and_unknown_nodes_are_errors_not_passes() {
    let dir = tempfile::tempdir().unwrap();
    approval_flow(dir.path());
    let cases = [
        (
            r#"{"flowbench": 1, "workflow": "approve.flow.json", "cases": [{"name": "a", "expekt": {}}]}"#,
            "unknown field `expekt`",
        ),
        (
            r#"{"flowbench": 1, "workflow": "approve.flow.json", "cases": [{"name": "a", "mocks": {"ghost": {"output": 1}}}]}"#,
            "case \"a\" mocks node \"ghost\", which approve.flow.json does not have",
        ),
        (
            r#"{"flowbench": 1, "workflow": "approve.flow.json", "cases": [{"name": "a", "expect": {"nodes": {"nobody": {}}}}]}"#,
            "case \"a\" expects node \"nobody\"",
        ),
        (
            r#"{"flowbench": 1, "workflow": "missing.flow.json", "cases": []}"#,
            "missing.flow.json: cannot read the file",
        ),
        ("{ not json", "bad.test.json:1:3: not valid JSON"),
        (
            r#"{"flowbench": 1, "workflow": "approve.flow.json", "cases": [{"name": "a", "mocks": {"ask": {"outptu": 1}}}]}"#,
            "\"cases[0].mocks.ask\"",
        ),
    ];
    for (text, expected) in cases {
        let p = write(dir.path(), "bad.test.json", text);
        let o = run(&["test", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{text}");
        assert!(stderr(&o).contains(expected), "{text}\n{}", stderr(&o));
        assert_eq!(stdout(&o).lines().last(), Some("0 passed, 1 failed"));
    }
}

#[test]
fn junit_output_parses_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    copy_example(dir.path(), "order-placement");
    let path = dir.path().join("order-placement.test.json");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"orderId\": 1", "\"orderId\": 99");
    std::fs::write(&path, text).unwrap();
    let xml_path = dir.path().join("junit.xml");
    let o = run(&[
        "test",
        dir.path().to_str().unwrap(),
        "--junit",
        xml_path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("a JUnit parser accepts it");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("1"));
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some("output.orderId: expected 99, got 1")
    );
    let failed_case = failure.parent().unwrap();
    assert_eq!(
        failed_case.attribute("name"),
        Some("places the order and deducts stock when there is enough")
    );
}

/// Code that writes globals and built-in prototypes: no later node, and no
/// other case, sees what it wrote, whatever order the cases run in.
#[test]
fn code_state_does_not_cross_nodes_or_cases() {
    let dir = tempfile::tempdir().unwrap();
    let flow = json!({"flowbench": 1, "id": "leaky", "nodes": [
        {"id": "start", "type": "trigger.manual"},
        {"id": "write", "type": "task.code", "config": {"code":
            "if ($input.write) { globalThis.secret = 'from ' + $input.name; Array.prototype.tainted = true; } return $input;"}},
        {"id": "read", "type": "task.code", "config": {"code":
            "return { secret: typeof secret === 'undefined' ? null : secret, tainted: [].tainted === true };"}}],
        "edges": [{"from": "start", "to": "write"}, {"from": "write", "to": "read"}]});
    write(dir.path(), "leaky.flow.json", &flow.to_string());
    let writer = json!({"name": "writes", "input": {"write": true, "name": "a"},
        "expect": {"nodes": {"read": {"output": {"secret": null, "tainted": false}}}}});
    let reader = json!({"name": "reads", "input": {"write": false, "name": "b"},
        "expect": {"nodes": {"read": {"output": {"secret": null, "tainted": false}}}}});
    for cases in [json!([writer, reader]), json!([reader, writer])] {
        let tests = json!({"flowbench": 1, "workflow": "leaky.flow.json", "cases": cases});
        write(dir.path(), "leaky.test.json", &tests.to_string());
        // Twice each way: the second process run reuses nothing, the cases within one do.
        for _ in 0..2 {
            let o = run(&["test", dir.path().to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            assert_eq!(stdout(&o).lines().last(), Some("2 passed, 0 failed"));
        }
    }
}
