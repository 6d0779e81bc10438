//! `flowbench validate` and `flowbench schema`, through the real binary.

mod common;
use common::*;
use serde_json::Value;

#[test]
fn examples_validate_clean() {
    let o = run(&["validate", "workflows/"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("6 files checked: 0 errors, 0 warnings"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diagnostics_one_a_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "bad.flow.json",
        r#"{"flowbench": 1, "id": "bad", "nodes": [
            {"id": "start", "type": "trigger.manual"},
            {"id": "a", "type": "task.nope"},
            {"id": "b", "type": "task.http", "config": {}}
        ], "edges": [{"id": "e1", "from": "start", "to": "a"}, {"id": "e2", "from": "a", "to": "ghost"}]}"#,
    );
    let o = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let file = p.display().to_string();
    assert!(lines.contains(&format!("{file}: error[unknown_node_type] node a: Node \"a\" has type \"task.nope\", which Flowbench does not know; pick one from the palette (such as task.http or condition.if).").as_str()), "{out}");
    assert!(
        lines.iter().any(
            |l| l.starts_with(&format!("{file}: error[edge_unknown_node] edge e2:"))
                && l.contains("\"ghost\"")
        ),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("error[missing_config] node b:") && l.contains("\"url\"")),
        "{out}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("warning[unreachable_node] node b:")),
        "{out}"
    );
}

#[test]
fn json_output_is_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "x.flow.json",
        r#"{"flowbench": 1, "id": "x", "nodes": [], "edges": []}"#,
    );
    let o = run(&["validate", "--json", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let list: Value = serde_json::from_slice(&o.stdout).expect("stdout is only JSON");
    assert_eq!(
        list,
        serde_json::json!([{"file": p.display().to_string(), "severity": "error", "code": "no_trigger",
            "message": "The workflow has no trigger: add a trigger.manual, trigger.webhook or trigger.schedule node to start it.",
            "node": null, "edge": null}])
    );
}

#[test]
fn refused_files_exit_2_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "syntax.flow.json",
            "{\n  \"flowbench\": 1,\n  \"id\": oops\n}",
            "syntax.flow.json:3:9: not valid JSON",
        ),
        (
            "array.flow.json",
            "[1, 2]",
            "must hold a JSON object, but this one holds an array",
        ),
        (
            "future.flow.json",
            r#"{"flowbench": 7, "id": "f", "nodes": [], "edges": []}"#,
            "format version 7 is newer",
        ),
    ];
    for (name, text, expected) in cases {
        let p = write(dir.path(), name, text);
        let o = run(&["validate", p.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(stdout(&o).contains(expected), "{name}: {}", stdout(&o));
    }
    let missing = dir.path().join("missing.flow.json");
    let o = run(&["validate", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("missing.flow.json: cannot read the file"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn refusal_outranks_errors_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.flow.json",
        r#"{"flowbench": 1, "id": "a", "nodes": [], "edges": []}"#,
    );
    write(dir.path(), "b.flow.json", "not json");
    let o = run(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("a.flow.json: error[no_trigger]"));
    assert!(stdout(&o).contains("b.flow.json: error[file_not_json]"));
}

#[test]
fn empty_folder_and_bad_usage_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no *.flow.json files"));
    assert_eq!(run(&["validate"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["validate", "--help"]).status.code(), Some(0));
}

#[test]
fn schema_accepts_every_example_and_rejects_bad_config() {
    let o = run(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let schema: Value = serde_json::from_slice(&o.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    for path in examples() {
        let wf: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors: Vec<String> = validator.iter_errors(&wf).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    }
    let bad = serde_json::json!({"flowbench": 1, "id": "x", "edges": [],
        "nodes": [{"id": "h", "type": "task.http", "config": {"method": "GET"}}]});
    assert!(
        !validator.is_valid(&bad),
        "a task.http without url must not pass the schema"
    );
    let no_nodes = serde_json::json!({"flowbench": 1, "id": "x", "edges": []});
    assert!(!validator.is_valid(&no_nodes));
}

#[test]
fn a_schedule_names_its_bad_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let w = serde_json::json!({"flowbench": 1, "id": "tz", "nodes": [
        {"id": "nightly", "type": "trigger.schedule", "position": {"x": 0, "y": 0},
         "config": {"cron": "0 2 * * *", "timezone": "Mars/Olympus"}}], "edges": []});
    let file = write(dir.path(), "tz.flow.json", &w.to_string());
    let o = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("bad_cron"), "{}", stdout(&o));
    assert!(stdout(&o).contains("\"Mars/Olympus\""), "{}", stdout(&o));
}
