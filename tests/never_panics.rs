//! Arbitrary bytes and arbitrary JSON never panic the loader or the validator,
//! and whatever loads saves to text that loads back to the same workflow.

use flowbench::{file, validate};
use proptest::prelude::*;
use serde_json::{json, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z_.{} $]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Workflow-shaped JSON: real node types and keys, random wiring and values.
fn workflow_like() -> impl Strategy<Value = Value> {
    let types = prop::sample::select(vec![
        "trigger.manual",
        "trigger.webhook",
        "trigger.schedule",
        "condition.if",
        "condition.switch",
        "task.http",
        "task.code",
        "task.sql",
        "task.set",
        "task.delay",
        "task.approval",
        "task.log",
        "task.subflow",
        "task.respond",
        "task.bogus",
        "",
    ]);
    let ids = prop::sample::select(vec!["a", "b", "c", "d", "e", "1x", "", "a b"]);
    let ports = prop::sample::select(vec!["out", "true", "false", "error", "default", "x"]);
    let node = (ids.clone(), types, any_json(), prop::option::of("\\{\\{[a-z$. ()]{0,10}\\}\\}"), prop::sample::select(vec!["fail", "continue", "route", "bogus"]))
        .prop_map(|(id, t, config, each, on_error)| {
            let config = if config.is_object() { config } else { json!({"code": "return 1;", "condition": "{{ $input.x }}", "cases": [{"port": "p", "equals": 1}]}) };
            let mut n = json!({"id": id, "type": t, "config": config, "onError": on_error});
            if let Some(e) = each {
                n["forEach"] = json!(e);
            }
            n
        });
    let edge =
        (ids.clone(), ids, ports).prop_map(|(f, t, p)| json!({"from": f, "to": t, "fromPort": p}));
    (
        prop::collection::vec(node, 0..8),
        prop::collection::vec(edge, 0..12),
    )
        .prop_map(
            |(nodes, edges)| json!({"flowbench": 1, "id": "prop", "nodes": nodes, "edges": edges}),
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(wf) = file::parse(&text, "fuzz") {
            let _ = validate::validate(&wf);
        }
    }

    #[test]
    fn arbitrary_json(value in any_json()) {
        if let Ok(wf) = file::parse(&value.to_string(), "fuzz") {
            let _ = validate::validate(&wf);
            let again = file::parse(&file::to_text(&wf), "fuzz").unwrap();
            prop_assert_eq!(file::to_text(&again), file::to_text(&wf));
        }
    }

    #[test]
    fn arbitrary_workflows(value in workflow_like()) {
        let wf = file::parse(&value.to_string(), "fuzz").unwrap();
        let diagnostics = validate::validate(&wf);
        for d in &diagnostics {
            prop_assert!(!d.message.is_empty() && !d.code.as_str().is_empty());
        }
        let text = file::to_text(&wf);
        prop_assert_eq!(file::to_text(&file::parse(&text, "fuzz").unwrap()), text);
    }
}

/// n8n-shaped exports: real node types and versions, random parameters,
/// random connections by name (some to nodes that are not there).
fn n8n_like() -> impl Strategy<Value = Value> {
    let types = prop::sample::select(vec![
        ("n8n-nodes-base.manualTrigger", 1.0),
        ("n8n-nodes-base.webhook", 2.0),
        ("n8n-nodes-base.scheduleTrigger", 1.2),
        ("n8n-nodes-base.cron", 1.0),
        ("n8n-nodes-base.httpRequest", 4.2),
        ("n8n-nodes-base.httpRequest", 1.0),
        ("n8n-nodes-base.if", 2.2),
        ("n8n-nodes-base.if", 1.0),
        ("n8n-nodes-base.switch", 3.2),
        ("n8n-nodes-base.switch", 1.0),
        ("n8n-nodes-base.code", 2.0),
        ("n8n-nodes-base.set", 3.4),
        ("n8n-nodes-base.set", 2.0),
        ("n8n-nodes-base.merge", 3.0),
        ("n8n-nodes-base.wait", 1.1),
        ("n8n-nodes-base.splitInBatches", 3.0),
        ("n8n-nodes-base.respondToWebhook", 1.1),
        ("n8n-nodes-base.executeWorkflow", 1.1),
        ("n8n-nodes-base.stickyNote", 1.0),
        ("n8n-nodes-base.slack", 2.0),
    ]);
    let names = prop::sample::select(vec!["A", "B", "C", "D", "E f", "1"]);
    let node = (names.clone(), types, any_json()).prop_map(|(name, (t, v), params)| {
        json!({"name": name, "type": t, "typeVersion": v, "position": [0, 0], "parameters": params,
               "onError": "continueErrorOutput"})
    });
    let connection = (names.clone(), names, 0..3usize, 0..2usize)
        .prop_map(|(from, to, output, input)| (from, to, output, input));
    (
        prop::collection::vec(node, 0..7),
        prop::collection::vec(connection, 0..10),
    )
        .prop_map(|(nodes, connections)| {
            let mut by_source = serde_json::Map::new();
            for (from, to, output, input) in connections {
                let entry = by_source
                    .entry(from.to_string())
                    .or_insert_with(|| json!({"main": [[], [], []]}));
                entry["main"][output]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"node": to, "type": "main", "index": input}));
            }
            json!({"name": "prop", "nodes": nodes, "connections": by_source})
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_the_n8n_import(value in any_json()) {
        let _ = flowbench::import::n8n::import_value(&value, "fuzz", "fuzz");
    }

    #[test]
    fn n8n_like_exports_import_to_files_that_load_back(value in n8n_like()) {
        if let Ok(imported) = flowbench::import::n8n::import_value(&value, "fuzz", "fuzz") {
            let text = file::to_text(&imported.workflow);
            let again = file::parse(&text, "fuzz").unwrap();
            prop_assert_eq!(file::to_text(&again), text);
            for line in &imported.report {
                prop_assert!(!line.to_string().is_empty());
            }
        }
    }
}
