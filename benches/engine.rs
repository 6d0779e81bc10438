//! Benchmarks: `cargo bench`. Figures are quoted in the issues' closing notes.

// The allocator the `flowbench` binary uses (src/main.rs), so that the figures
// are those of the shipped program.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use flowbench::model::{Edge, Node, Workflow};
use flowbench::validate::validate;
use serde_json::{json, Map, Value};

mod common;
use common::chain;

fn config(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// A realistic large graph: a trigger, then `n - 1` nodes in rows of four
/// parallel branches that join, mixing literal values, expressions that read
/// upstream nodes, conditions and code.
pub fn large_workflow(n: usize) -> Workflow {
    let mut wf = Workflow::new("bench");
    wf.nodes
        .push(Node::new("start", "trigger.manual", Map::new()));
    let mut prev = "start".to_string();
    let mut i = 1;
    while i < n {
        let join = format!("join_{i}");
        let branches: Vec<String> = (0..3).map(|b| format!("n_{i}_{b}")).collect();
        for (b, id) in branches.iter().enumerate() {
            if i + b >= n {
                break;
            }
            let node = match b {
                0 => Node::new(
                    id,
                    "task.set",
                    config(
                        json!({"values": {"total": "{{ $nodes.".to_string() + &prev + ".output }}", "step": i}}),
                    ),
                ),
                1 => Node::new(id, "task.code", config(json!({"code": "return $input;"}))),
                _ => Node::new(
                    id,
                    "task.log",
                    config(json!({"message": "step {{ $index }} of {{ $vars.max }}"})),
                ),
            };
            wf.nodes.push(node);
            wf.edges
                .push(Edge::new(&format!("e_{prev}_{id}"), &prev, None, id));
        }
        if i + 3 < n {
            wf.nodes
                .push(Node::new(&join, "task.delay", config(json!({"ms": 0}))));
            for id in branches.iter() {
                wf.edges
                    .push(Edge::new(&format!("e_{id}_{join}"), id, None, &join));
            }
            prev = join;
        }
        i += 4;
    }
    wf.nodes.truncate(n);
    let ids: std::collections::HashSet<String> = wf.nodes.iter().map(|n| n.id.clone()).collect();
    wf.edges
        .retain(|e| ids.contains(&e.from) && ids.contains(&e.to));
    wf
}

fn validation(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    group.sample_size(20);
    for n in [100, 1_000, 10_000] {
        let wf = large_workflow(n);
        assert_eq!(wf.nodes.len(), n);
        let errors: Vec<_> = validate(&wf).into_iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:#?}");
        group.bench_with_input(BenchmarkId::from_parameter(n), &wf, |b, wf| {
            b.iter(|| validate(wf))
        });
    }
    group.finish();
}

fn execution(c: &mut Criterion) {
    use flowbench::engine::{prepare, RunOptions};
    use std::sync::Arc;
    let rt = common::runtime();
    let mut group = c.benchmark_group("run_task_set_chain");
    group.sample_size(10);
    for n in [10, 1_000, 10_000] {
        // Prepared (validated and indexed) once, as the test runner and the app
        // do; validation has its own benchmark above.
        let wf = prepare(Arc::new(chain(
            n,
            "task.set",
            json!({"values": {"status": "ok", "count": 3}}),
        )))
        .unwrap();
        group.throughput(criterion::Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &wf, |b, wf| {
            b.iter(|| {
                let report = common::run(&rt, wf, RunOptions::default());
                assert_eq!(report.nodes.len(), n + 1);
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("run_task_code_chain");
    group.sample_size(10);
    let n = 1_000;
    let wf = prepare(Arc::new(chain(
        n,
        "task.code",
        json!({"code": "return { total: ($input && $input.total || 0) + 1 };"}),
    )))
    .unwrap();
    group.throughput(criterion::Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::from_parameter(n), |b| {
        b.iter(|| common::run(&rt, &wf, RunOptions::default()))
    });
    group.finish();
}

fn expression(c: &mut Criterion) {
    use flowbench::expr::{with_sandbox, Limits, Scope};
    let (input, trigger, nodes, run) = (
        json!({"qty": 3, "sku": "A1"}),
        json!({}),
        json!({}),
        json!({}),
    );
    let vars: Map<String, Value> = [("threshold".to_string(), json!(10))].into_iter().collect();
    let scope = Scope::of(&input, &trigger, &vars, &nodes, &run);
    c.bench_function("expression/simple", |b| {
        b.iter(|| {
            with_sandbox(|sb| {
                sb.eval_expression("$input.qty < $vars.threshold", &scope, Limits::default())
            })
            .unwrap()
        })
    });
}

fn cli_run(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("flowbench-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut wf = chain(
        9,
        "task.set",
        json!({"values": {"at": "{{ $run.startedAt }}", "n": 1}}),
    );
    wf.nodes[5] = Node::new("n4", "task.code", config(json!({"code": "return $input;"})));
    let path = dir.join("ten.flow.json");
    flowbench::file::save(&wf, &path).unwrap();
    let db = dir.join("history.db");
    for (name, history) in [
        ("cli/flowbench_run_10_nodes", vec!["--no-history"]),
        (
            "cli/flowbench_run_10_nodes_recorded",
            vec!["--db", db.to_str().unwrap()],
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let out = std::process::Command::new(env!("CARGO_BIN_EXE_flowbench"))
                    .args(["run", path.to_str().unwrap(), "--json"])
                    .args(&history)
                    .output()
                    .unwrap();
                assert!(out.status.success());
            })
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The run history: listing a large history with a filter, and resuming a
/// large run from its journal. What recording adds to a run: `benches/recording.rs`.
fn history(c: &mut Criterion) {
    use flowbench::api::history::RunFilter;
    use flowbench::engine::{
        continue_run, prepare, JournalHandle, MemoryJournal, RunControl, RunOptions,
    };
    use flowbench::model::JournalEntry;
    use std::sync::Arc;
    let rt = common::runtime();
    let dir = tempfile::tempdir().unwrap();
    let history = common::history(dir.path());
    let n = 1_000;
    let wf = Arc::new(chain(
        n,
        "task.set",
        json!({"values": {"status": "ok", "count": 3}}),
    ));
    let prepared = prepare(wf.clone()).unwrap();

    // 100,000 runs of 20 workflows, a tenth of them failed, written straight
    // into the table (recording each would take minutes and measure nothing new).
    {
        let conn = rusqlite::Connection::open(dir.path().join("h.db")).unwrap();
        conn.execute_batch("BEGIN").unwrap();
        let mut insert = conn
            .prepare(
                "INSERT INTO runs (id, workflow_id, folder, workflow_hash, status, trigger, started_at, finished_at, duration_ms)
                 VALUES (?1, ?2, '.', '{}', ?3, 'start', ?4, ?4, 12)",
            )
            .unwrap();
        let start = chrono::Utc::now() - chrono::Duration::days(100);
        for i in 0..100_000i64 {
            let at = (start + chrono::Duration::seconds(i * 80))
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let status = if i % 7 == 0 { "failed" } else { "succeeded" };
            insert
                .execute(rusqlite::params![
                    format!("seed-{i:06}"),
                    format!("wf-{}", i % 20),
                    status,
                    at
                ])
                .unwrap();
        }
        drop(insert);
        conn.execute_batch("COMMIT").unwrap();
    }
    let mut group = c.benchmark_group("history_list_100k_runs");
    group.sample_size(50);
    let filters = [
        ("newest_50", RunFilter::default()),
        (
            "workflow_and_failed",
            RunFilter {
                workflow: Some("wf-7".into()),
                status: Some(flowbench::model::RunStatus::Failed),
                ..RunFilter::default()
            },
        ),
    ];
    for (name, filter) in filters {
        group.bench_function(name, |b| {
            b.iter(|| {
                let runs = history.list(&filter).unwrap();
                assert_eq!(runs.len(), 50);
            })
        });
    }
    group.finish();

    // Resuming: the 1,000-node run's journal read back from the history and
    // replayed, cut where a process killed just as its last node started would leave it.
    let journal = MemoryJournal::new();
    let mut options = RunOptions {
        journal: Some(JournalHandle(journal.clone())),
        ..RunOptions::default()
    };
    let report = common::run(&rt, &prepared, options.clone());
    options.journal = Some(history.recorder(&wf, None, &options));
    let recorded = common::run(&rt, &prepared, options);
    let entries = journal.entries();
    let cut = entries
        .iter()
        .rposition(|e| matches!(e, JournalEntry::NodeStarted { .. }))
        .unwrap()
        + 1;
    let mut group = c.benchmark_group("history_resume");
    group.sample_size(20);
    group.bench_function("1000_nodes_read_and_replay", |b| {
        b.iter(|| {
            let shown = history.show(&recorded.run_id).unwrap();
            assert_eq!(shown.nodes.len(), n + 1);
            let resumed = rt
                .block_on(continue_run(
                    prepared.clone(),
                    entries[..cut].to_vec(),
                    RunOptions::default(),
                    RunControl::new(),
                    None,
                ))
                .unwrap();
            assert_eq!(resumed.output, report.output);
        })
    });
    group.finish();
}

/// A trivial code node in Python (Monty) beside the same in JavaScript
/// (QuickJS): a chain of 100, per node.
fn python_and_javascript(c: &mut Criterion) {
    use flowbench::engine::{prepare, RunOptions};
    use std::sync::Arc;
    let rt = common::runtime();
    let n = 100;
    let mut group = c.benchmark_group("code_node");
    group.throughput(criterion::Throughput::Elements(n as u64));
    for (name, kind, code) in [
        (
            "python_return_input_plus_one",
            "task.python",
            "return (input or 0) + 1",
        ),
        (
            "javascript_return_input_plus_one",
            "task.code",
            "return ($input || 0) + 1;",
        ),
    ] {
        let prepared = prepare(Arc::new(chain(n, kind, json!({ "code": code })))).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = common::run(&rt, &prepared, RunOptions::default());
                assert_eq!(r.status, flowbench::model::RunStatus::Succeeded);
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    validation,
    execution,
    expression,
    cli_run,
    history,
    python_and_javascript
);
criterion_main!(benches);
