//! The data-step modifiers of `task.http` (FORMAT.md): each pagination mode,
//! a page that fails once and is retried without fetching earlier pages
//! again, maxPages, dataPath and fieldMapping, against a local server.

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A local API of 7 records, served three ways, with the paths it was asked for.
struct Api {
    base: String,
    asked: Arc<Mutex<Vec<String>>>,
}

fn api() -> Api {
    use axum::extract::{Query, State};
    use axum::http::{StatusCode, Uri};
    use axum::routing::get;
    use axum::{Json, Router};
    type Asked = Arc<Mutex<Vec<String>>>;
    #[derive(Clone)]
    struct St {
        asked: Asked,
        failed_once: Arc<Mutex<bool>>,
    }
    fn page_of(page: usize, size: usize) -> Vec<Value> {
        (page * size..((page + 1) * size).min(7))
            .map(|i| json!({"id": i + 1, "name": format!("r{}", i + 1)}))
            .collect()
    }
    fn note(s: &St, uri: &Uri) {
        s.asked.lock().unwrap().push(uri.to_string());
    }
    let st = St {
        asked: Arc::default(),
        failed_once: Arc::default(),
    };
    let app = Router::new()
        // Next URL, relative, in the body.
        .route(
            "/linked",
            get(
                |State(s): State<St>, uri: Uri, Query(q): Query<HashMap<String, usize>>| async move {
                    note(&s, &uri);
                    let page = q.get("p").copied().unwrap_or(0);
                    let next = (page < 2).then(|| format!("linked?p={}", page + 1));
                    Json(json!({"items": page_of(page, 3), "next": next}))
                },
            ),
        )
        // A page number; an empty page after the last.
        .route(
            "/numbered",
            get(
                |State(s): State<St>, uri: Uri, Query(q): Query<HashMap<String, usize>>| async move {
                    note(&s, &uri);
                    let page = q.get("page").copied().unwrap_or(1);
                    Json(json!({"data": {"items": page_of(page - 1, 3)}}))
                },
            ),
        )
        // A cursor: the next record's id.
        .route(
            "/cursor",
            get(
                |State(s): State<St>, uri: Uri, Query(q): Query<HashMap<String, usize>>| async move {
                    note(&s, &uri);
                    let after = q.get("after").copied().unwrap_or(0);
                    let items = page_of(0, 7)
                        .into_iter()
                        .skip(after)
                        .take(4)
                        .collect::<Vec<_>>();
                    let next = (after + 4 < 7).then_some(after + 4);
                    Json(json!({"records": items, "cursor": next}))
                },
            ),
        )
        // Page 2 fails once.
        .route(
            "/flaky",
            get(
                |State(s): State<St>, uri: Uri, Query(q): Query<HashMap<String, usize>>| async move {
                    note(&s, &uri);
                    let page = q.get("page").copied().unwrap_or(1);
                    let mut failed = s.failed_once.lock().unwrap();
                    if page == 2 && !*failed {
                        *failed = true;
                        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"error": "busy"})));
                    }
                    (StatusCode::OK, Json(json!(page_of(page - 1, 3))))
                },
            ),
        )
        // Never ends.
        .route(
            "/endless",
            get(|State(s): State<St>, uri: Uri| async move {
                note(&s, &uri);
                Json(json!([{"id": 1}]))
            }),
        )
        .with_state(st.clone());
    Api {
        base: format!("http://{}", serve(app)),
        asked: st.asked,
    }
}

/// Runs a one-HTTP-node workflow; gives the exit code and the node's record.
fn run_http(api: &Api, config: Value, node: Value) -> (Option<i32>, Value) {
    let dir = tempfile::tempdir().unwrap();
    let mut http = json!({"id": "fetch", "type": "task.http", "position": {"x": 200, "y": 0}, "config": config});
    for (k, v) in node.as_object().unwrap() {
        http[k] = v.clone();
    }
    let wf = json!({"flowbench": 1, "id": "paged", "variables": {"base": api.base},
        "nodes": [{"id": "start", "type": "trigger.manual", "position": {"x": 0, "y": 0}}, http],
        "edges": [{"from": "start", "to": "fetch"}]});
    let file = write(dir.path(), "paged.flow.json", &wf.to_string());
    let o = run(&["run", file.to_str().unwrap(), "--json", "--no-history"]);
    let report: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    let record = report["nodes"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["node"] == "fetch").cloned())
        .unwrap_or_else(|| panic!("no record: {}", stderr(&o)));
    (o.status.code(), record)
}

fn ids(record: &Value) -> Vec<i64> {
    record["output"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn next_url_pages_until_there_is_none() {
    let api = api();
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/linked", "dataPath": "items",
               "pagination": {"nextUrl": "{{ $response.body.next }}"}}),
        json!({}),
    );
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(ids(&r), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(r["output"]["pages"], 3);
    // Each page's request and response is in the record.
    let pages = r["http"]["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(
        pages[2]["request"]["url"],
        format!("{}/linked?p=2", api.base)
    );
    assert_eq!(pages[2]["response"]["body"]["next"], Value::Null);
    assert_eq!(
        *api.asked.lock().unwrap(),
        ["/linked", "/linked?p=1", "/linked?p=2"]
    );
}

#[test]
fn a_page_parameter_counts_up_and_an_empty_page_ends_paging() {
    let api = api();
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/numbered", "query": {"size": 3}, "dataPath": "data.items",
               "pagination": {"param": "page", "start": 1}}),
        json!({}),
    );
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(ids(&r), [1, 2, 3, 4, 5, 6, 7]);
    // The empty fourth page counts.
    assert_eq!(r["output"]["pages"], 4);
    assert_eq!(
        *api.asked.lock().unwrap(),
        [
            "/numbered?size=3&page=1",
            "/numbered?size=3&page=2",
            "/numbered?size=3&page=3",
            "/numbered?size=3&page=4"
        ]
    );
}

#[test]
fn a_cursor_from_each_response_fetches_the_next() {
    let api = api();
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/cursor", "dataPath": "records",
               "pagination": {"cursorParam": "after", "cursor": "{{ $response.body.cursor }}"}}),
        json!({}),
    );
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(ids(&r), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(*api.asked.lock().unwrap(), ["/cursor", "/cursor?after=4"]);
}

#[test]
fn a_page_that_fails_once_is_retried_without_fetching_earlier_pages_again() {
    let api = api();
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/flaky",
               "pagination": {"param": "page", "stopWhen": "{{ $response.body.length < 3 }}"}}),
        json!({"retry": {"maxAttempts": 2, "backoffMs": 10}}),
    );
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(r["attempts"], 2);
    assert_eq!(ids(&r), [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(r["output"]["pages"], 3);
    assert_eq!(
        *api.asked.lock().unwrap(),
        [
            "/flaky?page=1",
            "/flaky?page=2",
            "/flaky?page=2",
            "/flaky?page=3"
        ]
    );
    assert!(r["logs"].as_array().unwrap().iter().any(|l| l["message"]
        .as_str()
        .unwrap()
        .contains("attempt 1 of 2 failed")));
}

#[test]
fn max_pages_fails_the_node_unless_told_to_stop() {
    let api = api();
    let config =
        json!({"url": "{{ $vars.base }}/endless", "pagination": {"param": "page", "maxPages": 3}});
    let (code, r) = run_http(&api, config.clone(), json!({}));
    assert_eq!(code, Some(1));
    assert_eq!(r["error"]["code"], "http_error");
    assert_eq!(
        r["error"]["message"],
        "paging reached maxPages (3) and would fetch page 4; raise maxPages, or set onMaxPages to \"stop\""
    );
    let mut stop = config;
    stop["pagination"]["onMaxPages"] = json!("stop");
    let (code, r) = run_http(&api, stop, json!({}));
    assert_eq!(code, Some(0));
    assert_eq!(r["output"]["pages"], 3);
    assert_eq!(r["output"]["records"].as_array().unwrap().len(), 3);
}

#[test]
fn field_mapping_gives_exactly_its_keys_and_missing_fields_are_null() {
    let api = api();
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/linked", "dataPath": "items",
               "fieldMapping": {"key": "{{ 'R-' + $record.id }}", "label": "{{ $record.name.toUpperCase() }}",
                                "email": "{{ $record.email }}", "source": "linked"}}),
        json!({}),
    );
    assert_eq!(code, Some(0), "{r}");
    // Without pagination: one request, its records mapped.
    assert_eq!(r["output"]["pages"], 1);
    assert_eq!(
        r["output"]["records"],
        json!([{"key": "R-1", "label": "R1", "email": null, "source": "linked"},
               {"key": "R-2", "label": "R2", "email": null, "source": "linked"},
               {"key": "R-3", "label": "R3", "email": null, "source": "linked"}])
    );
    // An expression that throws names the record and the key.
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/linked", "dataPath": "items",
               "fieldMapping": {"email": "{{ $record.email.trim() }}"}}),
        json!({}),
    );
    assert_eq!(code, Some(1));
    assert_eq!(r["error"]["code"], "expression_error");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("config.fieldMapping.email failed on record 0:"),
        "{message}"
    );
}

#[test]
fn a_data_path_that_holds_no_list_is_an_error() {
    let api = api();
    let (code, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/linked", "dataPath": "next"}),
        json!({}),
    );
    assert_eq!(code, Some(1));
    let message = r["error"]["message"].as_str().unwrap();
    assert!(
        message.ends_with("dataPath \"next\" holds text, not a list of records"),
        "{message}"
    );
    let (_, r) = run_http(
        &api,
        json!({"url": "{{ $vars.base }}/linked", "dataPath": "data.rows"}),
        json!({}),
    );
    assert!(r["error"]["message"]
        .as_str()
        .unwrap()
        .ends_with("the body has nothing at dataPath \"data.rows\" (no \"data\")"));
}

#[test]
fn validation_names_a_bad_pagination() {
    let dir = tempfile::tempdir().unwrap();
    let wf = json!({"flowbench": 1, "id": "bad", "nodes": [
        {"id": "start", "type": "trigger.manual"},
        {"id": "two", "type": "task.http", "config": {"url": "http://127.0.0.1:9/", "pagination": {"param": "p", "nextUrl": "{{ $response.body.next }}"}}},
        {"id": "broken", "type": "task.http", "config": {"url": "http://127.0.0.1:9/", "pagination": {"nextUrl": "{{ $response.body. }}"}}},
        {"id": "cursorless", "type": "task.http", "config": {"url": "http://127.0.0.1:9/", "pagination": {"cursorParam": "c"}}}],
        "edges": [{"from": "start", "to": "two"}, {"from": "start", "to": "broken"}, {"from": "start", "to": "cursorless"}]});
    let file = write(dir.path(), "bad.flow.json", &wf.to_string());
    let o = run(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for expected in [
        "Node \"two\": config.pagination takes one of nextUrl, param or cursorParam, not several",
        "Node \"broken\": config.pagination.nextUrl: the expression {{ $response.body. }} does not compile",
        "Node \"cursorless\": config.pagination.cursorParam needs cursor",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}
