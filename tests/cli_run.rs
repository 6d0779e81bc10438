//! `flowbench run` through the real binary, against local HTTP servers and
//! SQLite files in temporary folders.

mod common;
use common::*;
use serde_json::{json, Value};

fn run_json(args: &[&str]) -> (Option<i32>, Value, String) {
    let o = run(args);
    let report = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not only JSON ({e}): {}\n{}",
            stdout(&o),
            stderr(&o)
        )
    });
    (o.status.code(), report, stderr(&o))
}

fn sqlite_count(path: &std::path::Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn inventory_reorder_records_reorders_and_notifies() {
    let peer = start_peer(0, 10, 201, 0);
    let (dir, wf) = example_in_tempdir("inventory-reorder.flow.json");
    let base = format!("baseUrl=\"{}\"", peer.base);
    let (code, report, progress) =
        run_json(&["run", wf.to_str().unwrap(), "--json", "--var", &base]);
    assert_eq!(code, Some(0), "{progress}");
    assert_eq!(report["status"], "succeeded");
    assert_eq!(report["output"], json!({"reordered": 2}));
    assert_eq!(record(&report, "all_stocked")["status"], "skipped");
    assert_eq!(
        record(&report, "reorder")["iterations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        record(&report, "low")["logs"][0]["message"],
        "2 of 3 items below 10"
    );
    assert_eq!(record(&report, "notify")["http"]["response"]["status"], 201);
    assert_eq!(
        sqlite_count(&dir.path().join("inventory.sqlite"), "reorders"),
        2
    );
    let received = peer.received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].1["text"], "Reorder A1, C3");
    assert_eq!(received[0].1["items"][1]["sku"], "C3");
    // Progress went to standard error, node by node.
    assert!(
        progress.contains("▶ notify") && progress.contains("✔ notify succeeded"),
        "{progress}"
    );
    assert!(progress.contains("Succeeded in "), "{progress}");
}

#[test]
fn inventory_with_nothing_low_takes_the_false_branch() {
    let (_dir, wf) = example_in_tempdir("inventory-reorder.flow.json");
    let (code, report, _) = run_json(&[
        "run",
        wf.to_str().unwrap(),
        "--json",
        "--var",
        "threshold=1",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(record(&report, "all_stocked")["status"], "succeeded");
    for skipped in ["reorder", "notify", "done"] {
        assert_eq!(record(&report, skipped)["status"], "skipped", "{skipped}");
    }
    assert_eq!(
        record(&report, "all_stocked")["logs"][0]["message"],
        "Nothing below 1; no reorders today."
    );
}

#[test]
fn order_placement_deducts_stock_or_refuses() {
    let (dir, wf) = example_in_tempdir("order-placement.flow.json");
    let w = wf.to_str().unwrap();
    let (code, report, _) = run_json(&["run", w, "--json"]);
    assert_eq!(code, Some(0));
    assert_eq!(report["output"], json!({"orderId": 1, "status": "placed"}));
    let db = dir.path().join("shop.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let qty: i64 = conn
        .query_row("SELECT qty FROM inventory WHERE sku = 'A1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(qty, 18);
    let (_, report, _) = run_json(&[
        "run",
        w,
        "--json",
        "--input",
        r#"{"body": {"customer": "c-9", "sku": "B2", "qty": 6}}"#,
    ]);
    assert_eq!(
        report["output"]["reason"],
        "Only 5 of B2 in stock; 6 ordered."
    );
    assert_eq!(record(&report, "deduct")["status"], "skipped");
    assert_eq!(sqlite_count(&db, "orders"), 1);
    // The refusal's status is in the report: what a webhook caller would get.
    assert_eq!(report["response"]["status"], 409);
    assert_eq!(report["response"]["body"], report["output"]);
}

#[test]
fn nightly_etl_pages_and_persists() {
    let peer = start_peer(23, 5, 201, 0);
    let (dir, wf) = example_in_tempdir("nightly-etl.flow.json");
    let base = format!("baseUrl={}", peer.base);
    let (code, report, progress) = run_json(&[
        "run",
        wf.to_str().unwrap(),
        "--json",
        "--var",
        &base,
        "--var",
        "pageSize=5",
    ]);
    assert_eq!(code, Some(0), "{progress}");
    // One node pages through the API: 23 customers in pages of 5.
    let customers = record(&report, "customers");
    assert_eq!(customers["output"]["pages"], 5);
    assert_eq!(customers["http"]["pages"].as_array().unwrap().len(), 5);
    assert_eq!(
        customers["http"]["pages"][4]["request"]["url"],
        format!("{}/customers?pageSize=5&page=5", peer.base)
    );
    let records = customers["output"]["records"].as_array().unwrap();
    assert_eq!(records.len(), 23);
    assert_eq!(
        records[0],
        json!({"id": "1", "email": "person1@example.org", "name": "Person 1", "country": "DE"})
    );
    assert_eq!(
        sqlite_count(&dir.path().join("reporting.sqlite"), "customers"),
        23
    );
    assert_eq!(
        record(&report, "summary")["logs"][0]["message"],
        "Loaded 23 customers from 5 pages."
    );
}

#[test]
fn lead_intake_routes_a_crm_failure_to_the_error_port() {
    let peer = start_peer(0, 10, 500, 0);
    let (_dir, wf) = example_in_tempdir("lead-intake.flow.json");
    let base = format!("baseUrl={}", peer.base);
    let (code, report, _) = run_json(&["run", wf.to_str().unwrap(), "--json", "--var", &base]);
    assert_eq!(code, Some(0));
    assert_eq!(report["status"], "succeeded");
    let crm = record(&report, "crm");
    assert_eq!(crm["status"], "failed");
    assert_eq!(crm["attempts"], 3);
    assert_eq!(crm["error"]["code"], "http_status");
    assert!(crm["error"]["message"].as_str().unwrap().contains("500"));
    let failed = record(&report, "crm_failed");
    assert_eq!(failed["status"], "succeeded");
    assert_eq!(
        failed["logs"][0]["message"],
        "CRM refused lead ada@example.org: ".to_string()
            + crm["error"]["message"].as_str().unwrap()
    );
    assert_eq!(report["output"], json!({"received": true, "tier": "hot"}));
    assert_eq!(peer.received.lock().unwrap().len(), 3);
}

fn write_flow(dir: &std::path::Path, nodes: Value, edges: Value) -> std::path::PathBuf {
    let wf = json!({"flowbench": 1, "id": "t", "nodes": nodes, "edges": edges});
    write(dir, "t.flow.json", &wf.to_string())
}

#[test]
fn runaway_loop_and_memory_bomb_are_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_flow(
        dir.path(),
        json!([{"id": "start", "type": "trigger.manual"},
               {"id": "spin", "type": "task.code", "timeoutMs": 500, "config": {"code": "while (true) {}"}},
               {"id": "bomb", "type": "task.code", "config": {"code": "const a = []; while (true) a.push(new Array(10000).fill(a.length));"}}]),
        json!([{"from": "start", "to": "spin"}, {"from": "start", "to": "bomb"}]),
    );
    let (code, report, _) = run_json(&["run", p.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["status"], "failed");
    let spin = record(&report, "spin");
    let bomb = record(&report, "bomb");
    // The first to fail stops the run; the other is cancelled or failed in its own way.
    let messages: Vec<&str> = [spin, bomb]
        .iter()
        .filter_map(|n| n["error"]["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"timed out after 500 ms")
            || messages.contains(&"memory limit of 64 MiB exceeded"),
        "{messages:?}"
    );
    for (n, expected) in [
        (spin, "timed out after 500 ms"),
        (bomb, "memory limit of 64 MiB exceeded"),
    ] {
        if n["status"] == "failed" {
            assert_eq!(n["error"]["message"], expected);
        }
    }
}

#[test]
fn each_limit_alone() {
    let dir = tempfile::tempdir().unwrap();
    // The memory bomb gets a generous time limit, so that only memory can end it.
    for (code, timeout, expected, error_code) in [
        (
            "while (true) {}",
            300,
            "timed out after 300 ms",
            "script_timeout",
        ),
        (
            "const a = []; let i = 0; while (true) a.push('x'.repeat(1000) + i++);",
            60_000,
            "memory limit of 64 MiB exceeded",
            "script_memory",
        ),
    ] {
        let p = write_flow(
            dir.path(),
            json!([{"id": "start", "type": "trigger.manual"}, {"id": "c", "type": "task.code", "timeoutMs": timeout, "config": {"code": code}}]),
            json!([{"from": "start", "to": "c"}]),
        );
        let (exit, report, progress) = run_json(&["run", p.to_str().unwrap(), "--json"]);
        assert_eq!(exit, Some(1));
        assert_eq!(
            record(&report, "c")["error"],
            json!({"code": error_code, "message": expected}),
            "{progress}"
        );
    }
}

#[test]
fn flaky_peer_succeeds_on_the_third_attempt() {
    let peer = start_peer(0, 10, 201, 2);
    let dir = tempfile::tempdir().unwrap();
    let p = write_flow(
        dir.path(),
        json!([{"id": "start", "type": "trigger.manual"},
               {"id": "call", "type": "task.http", "retry": {"maxAttempts": 3, "backoffMs": 20}, "config": {"url": "{{ $vars.baseUrl }}/flaky"}}]),
        json!([{"from": "start", "to": "call"}]),
    );
    let base = format!("baseUrl={}", peer.base);
    let (code, report, _) = run_json(&["run", p.to_str().unwrap(), "--json", "--var", &base]);
    assert_eq!(code, Some(0));
    let call = record(&report, "call");
    assert_eq!(call["attempts"], 3);
    assert_eq!(call["output"]["body"], json!({"ok": true}));
    let warnings: Vec<&str> = call["logs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["level"] == "warn")
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 2);
    assert!(
        warnings[0].contains("retrying in 20 ms") && warnings[1].contains("retrying in 40 ms"),
        "{warnings:?}"
    );
}

#[test]
fn join_after_a_condition_runs_once_with_the_taken_branch() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_flow(
        dir.path(),
        json!([{"id": "start", "type": "trigger.manual"},
               {"id": "big", "type": "condition.if", "config": {"condition": "{{ $input.n > 10 }}"}},
               {"id": "yes", "type": "task.set", "config": {"values": {"size": "big"}}},
               {"id": "no", "type": "task.set", "config": {"values": {"size": "small"}}},
               {"id": "join", "type": "task.code", "config": {"code": "return { got: $input, n: $trigger.n };"}}]),
        json!([{"from": "start", "to": "big"}, {"from": "big", "fromPort": "true", "to": "yes"},
               {"from": "big", "fromPort": "false", "to": "no"}, {"from": "yes", "to": "join"}, {"from": "no", "to": "join"}]),
    );
    for (n, size, skipped) in [(3, "small", "yes"), (30, "big", "no")] {
        let input = format!("{{\"n\": {n}}}");
        let (code, report, _) =
            run_json(&["run", p.to_str().unwrap(), "--json", "--input", &input]);
        assert_eq!(code, Some(0));
        assert_eq!(
            record(&report, "join")["output"],
            json!({"got": {"size": size}, "n": n})
        );
        assert_eq!(record(&report, skipped)["status"], "skipped");
        assert_eq!(
            report["nodes"].as_array().unwrap().last().unwrap()["node"],
            skipped,
            "skipped nodes come last"
        );
    }
}

#[test]
fn bad_run_usage() {
    let o = run(&[
        "run",
        "workflows/inventory-reorder.flow.json",
        "--input",
        "{oops",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--input:1:2: the input is not valid JSON"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "run",
        "workflows/inventory-reorder.flow.json",
        "--trigger",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("\"nope\" is not a trigger of this workflow; its triggers are: start")
    );
    let dir = tempfile::tempdir().unwrap();
    let p = write_flow(
        dir.path(),
        json!([{"id": "a", "type": "task.log", "config": {"message": "x"}}]),
        json!([]),
    );
    let o = run(&["run", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[no_trigger]"), "{}", stderr(&o));
}
