//! `flowbench import n8n`: n8n exports (fixtures written for these tests, in
//! tests/fixtures/n8n) import to workflows that validate with no errors and,
//! with HTTP pointed at a local server, run and give the data n8n would.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/n8n").join(name)
}

/// Imports a fixture into a fresh folder; gives the folder, the workflow
/// file and the lines printed on standard error.
fn import(name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(name.replace(".json", ".flow.json"));
    let o = run(&[
        "import",
        "n8n",
        fixture(name).to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote"), "{}", stdout(&o));
    (dir, out, stderr(&o))
}

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn node<'a>(wf: &'a Value, id: &str) -> &'a Value {
    wf["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id} in {wf}"))
}

fn run_json(file: &Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = vec!["run", file.to_str().unwrap(), "--json", "--no-history"];
    all.extend_from_slice(args);
    let o = run(&all);
    let report = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    (o.status.code(), report, stderr(&o))
}

fn output<'a>(report: &'a Value, id: &str) -> &'a Value {
    &record(report, id)["output"]
}

/// The calls a local service received: path, JSON body, `X-Source` header.
type Calls = Arc<Mutex<Vec<(String, Value, Option<String>)>>>;

/// A local stand-in for the services the fixtures call.
struct Api {
    base: String,
    calls: Calls,
}

impl Api {
    /// The paths asked for, in order.
    fn paths(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|c| c.0.clone())
            .collect()
    }
}

fn api() -> Api {
    use axum::extract::{Path as UrlPath, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::{get, post};
    use axum::{Json, Router};
    let calls: Calls = Arc::default();
    let app = Router::new()
        .route(
            "/orders",
            post(
                |State(c): State<Calls>, headers: HeaderMap, Json(body): Json<Value>| async move {
                    let source = headers
                        .get("x-source")
                        .map(|v| v.to_str().unwrap().to_string());
                    c.lock()
                        .unwrap()
                        .push(("/orders".into(), body.clone(), source));
                    (
                        StatusCode::CREATED,
                        Json(json!({"id": 42, "customer": body["customer"]})),
                    )
                },
            ),
        )
        .route(
            "/customers",
            get(|State(c): State<Calls>, uri: axum::http::Uri| async move {
                c.lock().unwrap().push((uri.to_string(), Value::Null, None));
                // Two customers a page; an empty page after the last.
                let page = match uri.query() {
                    Some("page=1") => json!([{"name": "ada"}, {"name": "grace"}]),
                    Some("page=2") => json!([{"name": "linus"}]),
                    _ => json!([]),
                };
                Json(page)
            }),
        )
        .route(
            "/items/{id}",
            get(
                |State(c): State<Calls>, UrlPath(id): UrlPath<u32>| async move {
                    c.lock()
                        .unwrap()
                        .push((format!("/items/{id}"), Value::Null, None));
                    Json(json!({"id": id, "name": format!("item-{id}")}))
                },
            ),
        )
        .with_state(calls.clone());
    Api {
        base: format!("http://{}", serve(app)),
        calls,
    }
}

#[test]
fn every_fixture_imports_to_a_workflow_with_no_errors() {
    let fixtures: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/n8n"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect();
    assert!(fixtures.len() >= 5, "{fixtures:?}");
    for name in fixtures {
        let (_dir, out, err) = import(&name);
        assert!(!err.contains("error["), "{name}: {err}");
        let o = run(&["validate", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stdout(&o));
    }
}

#[test]
fn webhook_if_http_respond_answers_as_n8n_would() {
    let api = api();
    let (_dir, out, err) = import("webhook-if-http-respond.json");
    // The one thing to set by hand: n8n's instance variable.
    assert!(
        err.contains("workflow: $vars.baseUrl: n8n variables belong to the instance"),
        "{err}"
    );
    let wf = load(&out);
    assert_eq!(node(&wf, "webhook")["config"]["path"], "/orders");
    assert_eq!(node(&wf, "webhook")["config"]["method"], "POST");
    assert_eq!(
        node(&wf, "create_order")["retry"],
        json!({"maxAttempts": 2, "backoffMs": 100})
    );
    let var = format!("baseUrl={}", api.base);

    let big = json!({"body": {"customer": "ada", "total": 150}}).to_string();
    let (code, report, err) = run_json(&out, &["--input", &big, "--var", &var]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        report["response"],
        json!({"status": 201, "body": {"orderId": "42", "customer": "ada"}}),
        "{report}"
    );
    assert_eq!(
        api.calls.lock().unwrap().as_slice(),
        &[(
            "/orders".to_string(),
            json!({"customer": "ada", "total": 150}),
            Some("n8n-import".to_string())
        )]
    );

    let small = json!({"body": {"customer": "bob", "total": 20}}).to_string();
    let (code, report, _) = run_json(&out, &["--input", &small, "--var", &var]);
    assert_eq!(code, Some(0));
    assert_eq!(
        report["response"],
        json!({"status": 409, "body": "Order of 20 is below the minimum"})
    );
    // No customer: the second condition fails.
    let anonymous = json!({"body": {"customer": "", "total": 500}}).to_string();
    let (_, report, _) = run_json(&out, &["--input", &anonymous, "--var", &var]);
    assert_eq!(report["response"]["status"], 409);
    assert_eq!(api.calls.lock().unwrap().len(), 1);
}

#[test]
fn schedule_http_code_set_gives_n8n_data() {
    let api = api();
    let (_dir, out, err) = import("schedule-http-code-set.json");
    assert!(!err.contains("pagination"), "{err}");
    let wf = load(&out);
    // Two rules, two triggers, each in the workflow's time zone.
    assert_eq!(
        node(&wf, "schedule_trigger")["config"],
        json!({"cron": "30 2 * * *", "timezone": "Europe/Berlin"})
    );
    assert_eq!(
        node(&wf, "schedule_trigger_2")["config"],
        json!({"cron": "0 12 * * 1-5", "timezone": "Europe/Berlin"})
    );
    // n8n's page parameter ($pageCount + 1) is Flowbench's page parameter.
    assert_eq!(
        node(&wf, "get_customers")["config"]["pagination"],
        json!({"param": "page", "start": 1, "maxPages": 10, "onMaxPages": "stop"})
    );
    let var = format!("baseUrl={}", api.base);
    for trigger in ["schedule_trigger", "schedule_trigger_2"] {
        let (code, report, err) = run_json(&out, &["--trigger", trigger, "--var", &var]);
        assert_eq!(code, Some(0), "{err}");
        assert_eq!(output(&report, "get_customers")["pages"], 3);
        assert_eq!(
            output(&report, "summarise"),
            &json!({"count": 3, "names": ["ADA", "GRACE", "LINUS"]})
        );
        assert_eq!(
            output(&report, "edit_fields"),
            &json!({"total": 3, "first": "ADA", "source": "api", "checked": true})
        );
    }
    assert_eq!(
        api.paths(),
        [
            "/customers?page=1",
            "/customers?page=2",
            "/customers?page=3",
            "/customers?page=1",
            "/customers?page=2",
            "/customers?page=3"
        ]
    );
}

#[test]
fn merge_modes_combine_both_branches() {
    let (_dir, out, _) = import("merge-branches.json");
    let (code, report, err) = run_json(&out, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(output(&report, "person"), &json!({"id": 7, "name": "Ada"}));
    assert_eq!(
        output(&report, "address"),
        &json!({"id": 7, "city": "London"})
    );
    let both = json!({"id": 7, "name": "Ada", "city": "London"});
    assert_eq!(output(&report, "merge"), &both);
    assert_eq!(output(&report, "merge_by_id"), &both);
    assert_eq!(
        output(&report, "append"),
        &json!([{"id": 7, "name": "Ada"}, {"id": 7, "city": "London"}])
    );
}

#[test]
fn loop_over_items_becomes_for_each() {
    let api = api();
    let (_dir, out, _) = import("loop-over-items.json");
    let wf = load(&out);
    assert_eq!(node(&wf, "fetch_item")["forEach"], "{{ $input }}");
    assert_eq!(node(&wf, "label")["forEach"], "{{ $input }}");
    // The loop's way back is gone; `done` now follows the chain.
    let edges: Vec<(String, String)> = wf["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        edges.contains(&("label".into(), "collect".into())),
        "{edges:?}"
    );
    assert!(!edges.contains(&("label".into(), "loop_over_items".into())));
    let var = format!("baseUrl={}", api.base);
    let (code, report, err) = run_json(&out, &["--var", &var]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        output(&report, "collect"),
        &json!({"labels": ["item-1 (#1)", "item-2 (#2)", "item-3 (#3)"]})
    );
    assert_eq!(api.paths(), ["/items/1", "/items/2", "/items/3"]);
}

#[test]
fn older_versions_map_and_what_is_not_mapped_is_named() {
    let (dir, out, err) = import("older-versions.json");
    for line in [
        "Slack: n8n-nodes-base.slack: this node type has no Flowbench equivalent",
        "Slack: credentials: credentials are not imported",
        "Execute Workflow: workflow: runs the Flowbench workflow \"notify-team\"",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    let wf = load(&out);
    assert_eq!(
        node(&wf, "cron")["config"]["cron"],
        "15 6 * * *",
        "{}",
        node(&wf, "cron")
    );
    assert_eq!(node(&wf, "cron_2")["config"]["cron"], "*/10 * * * *");
    assert_eq!(node(&wf, "interval")["config"]["cron"], "*/30 * * * *");
    assert_eq!(node(&wf, "wait")["config"], json!({"ms": 2000}));
    assert_eq!(node(&wf, "execute_workflow")["type"], "task.subflow");
    assert_eq!(node(&wf, "filter")["disabled"], true);
    assert_eq!(node(&wf, "slack")["onError"], "route");
    let notes = node(&wf, "slack")["notes"].as_str().unwrap();
    assert!(
        notes.contains("n8n-nodes-base.slack") && notes.contains("#sales"),
        "{notes}"
    );
    assert_eq!(
        wf["annotations"],
        json!([{"id": "sticky_note", "text": "## Tiers\nGold orders go to **Slack**.",
                "position": {"x": 0, "y": -300}, "size": {"width": 300, "height": 200}, "color": "blue"}])
    );
    // pinData became the pins file beside the workflow.
    let pins = load(&dir.path().join("older-versions.pins.json"));
    assert_eq!(
        pins,
        json!({"flowbench": 1, "pins": {"function": {"output": {"amount": 5, "tier": "silver", "tags": ["b"]}}}})
    );

    // Gold goes to Slack, which is not mapped: it fails with unmapped_node,
    // and its error output (n8n's continueErrorOutput) goes on.
    let (code, report, err) = run_json(&out, &["--trigger", "cron"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        output(&report, "functionitem"),
        &json!({"amount": 250, "tier": "gold", "tags": ["a", "b"], "doubled": 500})
    );
    let slack = record(&report, "slack");
    assert_eq!(slack["status"], "failed");
    assert_eq!(slack["error"]["code"], "unmapped_node");
    assert!(slack["error"]["message"]
        .as_str()
        .unwrap()
        .contains("n8n-nodes-base.slack"));
    assert_eq!(
        record(&report, "no_operation_do_nothing")["status"],
        "succeeded"
    );
    assert_eq!(record(&report, "wait")["status"], "skipped");

    // With the pins, Function gives a silver order: the IF's false branch,
    // then the v3 Switch routes by its tags to the fallback output.
    let (code, report, err) = run_json(&out, &["--trigger", "cron", "--pins"]);
    assert_eq!(code, Some(1), "the subflow's workflow is not there: {err}");
    assert_eq!(record(&report, "route")["status"], "succeeded");
    assert_eq!(record(&report, "http_request")["status"], "skipped");
    assert_eq!(record(&report, "set")["status"], "succeeded");
    assert_eq!(output(&report, "set")["route"], "tagged silver");
    assert_eq!(
        record(&report, "execute_workflow")["error"]["code"],
        "subflow_not_found"
    );
}

#[test]
fn bad_exports_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("not-json.json", "{\"nodes\": [".into(), "is not JSON"),
        (
            "no-nodes.json",
            json!({"name": "x", "connections": {}}).to_string(),
            "is not an n8n workflow export: it has no \"nodes\" list",
        ),
        (
            "unknown-target.json",
            json!({"nodes": [{"name": "A", "type": "n8n-nodes-base.manualTrigger", "parameters": {}}],
                   "connections": {"A": {"main": [[{"node": "Ghost", "type": "main", "index": 0}]]}}})
            .to_string(),
            "a connection from \"A\" leads to \"Ghost\", which is not a node of the workflow",
        ),
        (
            "duplicate.json",
            json!({"nodes": [{"name": "A", "type": "n8n-nodes-base.noOp"}, {"name": "A", "type": "n8n-nodes-base.noOp"}],
                   "connections": {}})
            .to_string(),
            "two nodes are named \"A\"",
        ),
        (
            "loop.json",
            json!({"nodes": [{"name": "Start", "type": "n8n-nodes-base.manualTrigger"},
                             {"name": "Ask", "type": "n8n-nodes-base.httpRequest", "typeVersion": 4.2, "parameters": {"url": "http://127.0.0.1:9/"}},
                             {"name": "Again?", "type": "n8n-nodes-base.if", "typeVersion": 2}],
                   "connections": {"Start": {"main": [[{"node": "Ask", "type": "main", "index": 0}]]},
                                   "Ask": {"main": [[{"node": "Again?", "type": "main", "index": 0}]]},
                                   "Again?": {"main": [[{"node": "Ask", "type": "main", "index": 0}], []]}}})
            .to_string(),
            "the nodes \"Ask\", \"Again?\" form a loop",
        ),
    ];
    for (name, text, message) in cases {
        let source = write(dir.path(), name, &text);
        let o = run(&["import", "n8n", source.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert!(stderr(&o).contains(message), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(name), "names the file: {}", stderr(&o));
        assert!(
            !dir.path()
                .join(name.replace(".json", ".flow.json"))
                .exists(),
            "{name}: nothing written"
        );
    }
    // An existing file is not replaced without --force.
    let source = fixture("merge-branches.json");
    let out = dir.path().join("kept.flow.json");
    std::fs::write(&out, "mine").unwrap();
    let o = run(&[
        "import",
        "n8n",
        source.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("exists already"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    let o = run(&[
        "import",
        "n8n",
        source.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(load(&out)["id"], "kept");
}

#[test]
fn without_out_the_file_lands_beside_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("My Flow.json");
    std::fs::copy(fixture("merge-branches.json"), &source).unwrap();
    let o = run(&["import", "n8n", source.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wf = load(&dir.path().join("My Flow.flow.json"));
    assert_eq!(wf["id"], "my-flow");
    assert_eq!(wf["name"], "Merge two branches");
}

#[test]
fn a_webhook_that_answers_at_once_keeps_its_fields_and_posts_them() {
    let api = api();
    let (_dir, out, _) = import("webhook-immediately.json");
    let wf = load(&out);
    // n8n's default response mode answers on receipt.
    assert_eq!(
        node(&wf, "webhook")["config"],
        json!({"path": "/leads", "method": "POST", "respond": "immediately"})
    );
    assert_eq!(node(&wf, "create_lead")["onError"], "continue");
    assert_eq!(node(&wf, "create_lead")["config"]["timeoutMs"], 5000);
    assert_eq!(node(&wf, "pause")["config"], json!({"ms": 1000}));
    let input = json!({"body": {"name": "ada", "visits": 4}}).to_string();
    let var = format!("baseUrl={}", api.base);
    let (code, report, err) = run_json(&out, &["--input", &input, "--var", &var]);
    assert_eq!(code, Some(0), "{err}");
    // Set with "include other fields" keeps the webhook's and adds its own.
    assert_eq!(
        output(&report, "enrich"),
        &json!({"body": {"name": "ada", "visits": 4}, "source": "webhook", "score": 40})
    );
    assert_eq!(
        api.calls.lock().unwrap()[0].1,
        json!({"customer": "ada", "total": 40})
    );
}
