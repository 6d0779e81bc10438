//! Workflows the benchmarks share.

use flowbench::api::history::History;
use flowbench::engine::{run_prepared, Prepared, RunControl, RunOptions};
use flowbench::model::{Edge, Node, RunReport, Workflow};
use serde_json::{Map, Value};
use std::sync::Arc;

/// The runtime the app and the service run workflows on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// One run of a prepared workflow to its end, on `rt`.
pub fn run(
    rt: &tokio::runtime::Runtime,
    prepared: &Arc<Prepared>,
    options: RunOptions,
) -> RunReport {
    rt.block_on(run_prepared(
        prepared.clone(),
        options,
        RunControl::new(),
        None,
    ))
    .unwrap()
}

/// A new history in `dir`, kept as the app and the service keep theirs:
/// checkpoints on a thread of their own.
pub fn history(dir: &std::path::Path) -> History {
    let history = History::open(Some(&dir.join("h.db"))).unwrap();
    history.checkpoint_in_background().unwrap();
    history
}

/// A trigger, then `n` nodes of one type and config, each after the last.
pub fn chain(n: usize, node_type: &str, config: Value) -> Workflow {
    let mut wf = Workflow::new("chain");
    wf.nodes
        .push(Node::new("start", "trigger.manual", Map::new()));
    let mut prev = "start".to_string();
    for i in 0..n {
        let id = format!("n{i}");
        wf.nodes.push(Node::new(
            &id,
            node_type,
            match &config {
                Value::Object(m) => m.clone(),
                _ => unreachable!(),
            },
        ));
        wf.edges.push(Edge::new(&format!("e{i}"), &prev, None, &id));
        prev = id;
    }
    wf
}
