//! `task.python` through the real CLI (whose allocator measures Python's
//! memory): outputs from the scope, `print` in the logs, `vars` writes, errors
//! located in the node's own code, the sandbox's limits and isolation.

mod common;

use common::*;
use serde_json::{json, Value};

/// Runs a workflow of a trigger, a `task.set` and the given Python nodes in
/// a chain; gives the exit code, the report and standard error.
fn run_python(codes: &[(&str, &str)], node: Value) -> (Option<i32>, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = vec![
        json!({"id": "start", "type": "trigger.manual",
               "config": {"sampleInput": {"leads": [{"name": "Ada", "visits": 12}, {"name": "Bo", "visits": 2}]}}}),
        json!({"id": "weights", "type": "task.set", "config": {"values": {"perVisit": 5}}}),
    ];
    let mut edges = vec![json!({"from": "start", "to": "weights"})];
    let mut prev = "weights".to_string();
    for (id, code) in codes {
        let mut n = json!({"id": id, "type": "task.python", "config": {"code": code}});
        for (k, v) in node.as_object().unwrap() {
            n[k] = v.clone();
        }
        nodes.push(n);
        edges.push(json!({"from": prev, "to": id}));
        prev = id.to_string();
    }
    let wf = json!({"flowbench": 1, "id": "py", "variables": {"seen": 0}, "nodes": nodes, "edges": edges});
    let file = write(dir.path(), "py.flow.json", &wf.to_string());
    let o = run(&["run", file.to_str().unwrap(), "--json", "--no-history"]);
    let report = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (o.status.code(), report, stderr(&o))
}

#[test]
fn python_computes_from_input_nodes_and_trigger_prints_and_writes_vars() {
    let code = "import math\n\
                per_visit = input['perVisit']\n\
                scored = [{'name': l['name'], 'score': l['visits'] * nodes['weights']['output']['perVisit']} for l in trigger['leads']]\n\
                print('scored', len(scored), 'leads')\n\
                vars['seen'] = vars['seen'] + len(scored)\n\
                return {'leads': scored, 'top': max(scored, key=lambda s: s['score'])['name'], 'root': math.sqrt(per_visit * 5), 'run': run['workflowId']}";
    let (code, report, err) = run_python(&[("score", code)], json!({}));
    assert_eq!(code, Some(0), "{err}");
    let score = record(&report, "score");
    assert_eq!(
        score["output"],
        json!({"leads": [{"name": "Ada", "score": 60}, {"name": "Bo", "score": 10}], "top": "Ada", "root": 5, "run": "py"})
    );
    assert_eq!(score["logs"][0]["message"], "scored 2 leads");
    assert_eq!(report["vars"]["seen"], 2);
}

#[test]
fn errors_name_the_line_and_column_in_the_node_s_own_code() {
    let (code, report, _) = run_python(
        &[(
            "broken",
            "total = 0\nfor l in trigger['leads']:\n    total += l['missing']\nreturn total",
        )],
        json!({}),
    );
    assert_eq!(code, Some(1));
    let e = &record(&report, "broken")["error"];
    assert_eq!(e["code"], "script_error");
    assert_eq!(e["message"], "KeyError: missing (line 3, column 14)");
    // Syntax is checked while drawing: validation names the line.
    let dir = tempfile::tempdir().unwrap();
    let wf = json!({"flowbench": 1, "id": "s", "nodes": [
        {"id": "start", "type": "trigger.manual"},
        {"id": "bad", "type": "task.python", "config": {"code": "x = 1\nif x >\n    return 2"}}],
        "edges": [{"from": "start", "to": "bad"}]});
    let file = write(dir.path(), "s.flow.json", &wf.to_string());
    let o = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("error[code_syntax] node bad: Node \"bad\": the Python code does not compile: SyntaxError:")
            && out.contains("(line 2, column"),
        "{out}"
    );
}

#[test]
fn an_infinite_loop_and_a_memory_bomb_end_within_their_limits_and_the_run_goes_on() {
    let started = std::time::Instant::now();
    let (code, report, err) = run_python(
        &[
            ("spin", "while True:\n    pass"),
            ("bomb", "x = []\nwhile True:\n    x.append('a' * 100000)"),
            ("after", "return 'still here'"),
        ],
        json!({"timeoutMs": 500, "onError": "continue"}),
    );
    assert_eq!(code, Some(0), "{err}");
    let spin = &record(&report, "spin")["error"];
    assert_eq!(spin["code"], "script_timeout");
    assert_eq!(spin["message"], "timed out after 500 ms");
    let bomb = &record(&report, "bomb")["error"];
    assert_eq!(bomb["code"], "script_memory");
    assert_eq!(bomb["message"], "memory limit of 64 MiB exceeded");
    assert_eq!(record(&report, "after")["output"], "still here");
    // Generous: the point is that neither ran on (a loop would never end).
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn the_sandbox_reaches_no_file_network_process_or_module_outside_the_set() {
    for (code, expected) in [
        ("return open('/etc/passwd').read()", "NotImplementedError"),
        ("return __import__('os')", "NameError"),
        (
            "import socket\nreturn 1",
            "import of \"socket\" is not allowed",
        ),
        (
            "import os\nreturn os.listdir('/')",
            "import of \"os\" is not allowed",
        ),
        (
            "from pathlib import Path\nreturn Path('/etc').exists()",
            "import of \"pathlib\" is not allowed",
        ),
        (
            "import subprocess\nreturn 1",
            "import of \"subprocess\" is not allowed",
        ),
    ] {
        let (_, report, err) = run_python(&[("probe", code)], json!({}));
        let text = format!("{report}{err}");
        assert!(text.contains(expected), "{code}: {text}");
        assert!(!text.contains("root:x:0:0"), "{code} read the file");
    }
    // The allowed modules work.
    let (code, report, err) = run_python(
        &[(
            "mods",
            "import json, re, datetime\nreturn [json.loads('[1]'), re.sub('a', 'b', 'aa'), datetime.date(2026, 12, 5).isoformat()]",
        )],
        json!({}),
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        record(&report, "mods")["output"],
        json!([[1], "bb", "2026-12-05"])
    );
}

#[test]
fn no_state_crosses_nodes_or_runs() {
    // A global set by one node is not there in the next, nor in the next run.
    let codes = [
        ("first", "global leaked\nleaked = 42\nreturn 1"),
        (
            "second",
            "try:\n    return leaked\nexcept NameError:\n    return 'clean'",
        ),
    ];
    for _ in 0..2 {
        let (code, report, err) = run_python(&codes, json!({}));
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(record(&report, "second")["output"], "clean");
    }
}
