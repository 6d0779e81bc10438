//! Benchmarks: `cargo bench`. Figures are quoted in the issues' closing notes.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use flowbench::model::{Edge, Node, Workflow};
use flowbench::validate::validate;
use serde_json::{json, Map, Value};

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

criterion_group!(benches, validation);
criterion_main!(benches);
