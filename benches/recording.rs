//! What recording a run in the history adds to it: `cargo bench --bench
//! recording`. Runs without the history and runs with it take turns, a block
//! of each at a time, many times over, so that whatever else the machine
//! does weighs on both alike; it prints the medians. (Criterion's figures
//! for the two, in `engine`, are taken minutes apart and drift by more than
//! the difference.)

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use flowbench::engine::{prepare, run_prepared, RunControl, RunOptions};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Runs of one kind in a row, and how many of them are left out: a run is
/// measured after runs like it, not after the other kind's.
const BLOCK: usize = 25;
const SETTLING: usize = 5;

fn main() {
    let rt = common::runtime();
    let dir = tempfile::tempdir().unwrap();
    let history = common::history(dir.path());
    let cases = [
        (
            "1,000-node task.set chain",
            "task.set",
            json!({"values": {"status": "ok", "count": 3}}),
            2_000,
        ),
        (
            "1,000-node task.code chain",
            "task.code",
            json!({"code": "return { total: ($input && $input.total || 0) + 1 };"}),
            400,
        ),
    ];
    println!(
        "runs not recorded, recorded and recorded back to back take turns of {BLOCK} (the \
         first {SETTLING} left out)"
    );
    for (name, node_type, config, turns) in cases {
        let wf = Arc::new(common::chain(1_000, node_type, config));
        let prepared = prepare(wf.clone()).unwrap();
        // A run's own time, and until its journal is written.
        let run = |kind: Kind| {
            let mut options = RunOptions::default();
            if kind != Kind::NotRecorded {
                options.journal = Some(history.recorder(&wf, None, &options));
            }
            if kind != Kind::BackToBack {
                history.settle().unwrap();
            }
            let started = Instant::now();
            let report = rt
                .block_on(run_prepared(
                    prepared.clone(),
                    options,
                    RunControl::new(),
                    None,
                ))
                .unwrap();
            let ran = started.elapsed();
            if kind != Kind::BackToBack {
                history.settle().unwrap();
            }
            let written = started.elapsed();
            drop(report);
            (ran, written)
        };
        let kinds = [Kind::NotRecorded, Kind::Recorded, Kind::BackToBack];
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len() + 1];
        // The first turn warms up.
        for turn in 0..turns / (BLOCK - SETTLING) + 1 {
            for (k, &kind) in kinds.iter().enumerate() {
                for i in 0..BLOCK {
                    let (ran, written) = run(kind);
                    if turn > 0 && i >= SETTLING {
                        times[k].push(ran);
                        if kind == Kind::Recorded {
                            times[kinds.len()].push(written);
                        }
                    }
                }
            }
        }
        let runs = times[0].len();
        let [plain, recorded, back_to_back, written] =
            <[Vec<Duration>; 4]>::try_from(times).unwrap().map(spread);
        println!("{name} ({runs} runs of each), median [quartiles]:");
        for (label, s) in [
            ("not recorded", &plain),
            ("recorded", &recorded),
            ("back to back", &back_to_back),
            ("until written", &written),
        ] {
            let more = (s.median / plain.median - 1.0) * 100.0;
            println!("  {label:<14}{} ({more:+.1}%)", s.text());
        }
    }
}

/// How a run is measured.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    NotRecorded,
    /// From a start with the history's writer idle: what recording costs the
    /// run itself. Its end is written after it returns.
    Recorded,
    /// One after another, each starting while the writer writes the last.
    BackToBack,
}

/// Milliseconds: the median and the quartiles.
struct Spread {
    median: f64,
    low: f64,
    high: f64,
}

impl Spread {
    fn text(&self) -> String {
        format!("{:.3} ms [{:.3}–{:.3}]", self.median, self.low, self.high)
    }
}

fn spread(mut times: Vec<Duration>) -> Spread {
    times.sort();
    let at = |f: f64| times[(times.len() as f64 * f) as usize].as_secs_f64() * 1000.0;
    Spread {
        median: at(0.5),
        low: at(0.25),
        high: at(0.75),
    }
}
