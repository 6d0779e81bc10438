//! What recording a run in the history adds to it: `cargo bench --bench
//! recording`. Runs without the history and runs with it take turns, a block
//! of each at a time, many times over, so that whatever else the machine
//! does weighs on both alike; it prints the medians. (Criterion's figures
//! for the two, in `engine`, are taken minutes apart and drift by more than
//! the difference.)
//!
//! Two pairs, each compared like with like:
//! - from idle: every run starts once the history has written the last one
//!   and the thread has been idle a millisecond. A thread that waited
//!   starts slower (on the 2-core machine a run not recorded took ~8% longer
//!   after 0.8 ms asleep), and a recorded run's thread waits while its
//!   predecessor is written: without the same idle before the runs not
//!   recorded, that wait was counted as recording's cost.
//! - back to back: one run after another, none waiting; the recorded ones
//!   start while the history's writer writes the last on the other core.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use flowbench::engine::{prepare, RunOptions};
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
        "runs not recorded and recorded take turns of {BLOCK} (the first {SETTLING} left out)"
    );
    for (name, node_type, config, turns) in cases {
        let wf = Arc::new(common::chain(1_000, node_type, config));
        let prepared = prepare(wf.clone()).unwrap();
        // A run's own time, and until its journal is written.
        // Making the recorder is recording's cost too: it is timed.
        let run = |kind: Kind| {
            if kind.starts_idle() {
                history.settle().unwrap();
                std::thread::sleep(IDLE);
            }
            let started = Instant::now();
            let mut options = RunOptions::default();
            if kind.recorded() {
                options.journal = Some(history.recorder(&wf, None, &options));
            }
            let report = common::run(&rt, &prepared, options);
            let ran = started.elapsed();
            if kind.starts_idle() {
                history.settle().unwrap();
            }
            let written = started.elapsed();
            drop(report);
            (ran, written)
        };
        let kinds = Kind::ALL;
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); kinds.len() + 1];
        // The first turn warms up.
        for turn in 0..turns / (BLOCK - SETTLING) + 1 {
            for (k, &kind) in kinds.iter().enumerate() {
                for i in 0..BLOCK {
                    let (ran, written) = run(kind);
                    if turn > 0 && i >= SETTLING {
                        times[k].push(ran);
                        if kind == Kind::RecordedFromIdle {
                            times[kinds.len()].push(written);
                        }
                    }
                }
            }
            // The last recorded back to back are written before the next turn.
            history.settle().unwrap();
        }
        let runs = times[0].len();
        let [idle_plain, idle_recorded, plain, recorded, written] =
            <[Vec<Duration>; 5]>::try_from(times).unwrap().map(spread);
        println!("{name} ({runs} runs of each), median [quartiles]:");
        for (pair, base, with) in [
            ("from idle", &idle_plain, &idle_recorded),
            ("back to back", &plain, &recorded),
        ] {
            let more = (with.median / base.median - 1.0) * 100.0;
            println!(
                "  {pair:<13} not recorded {}, recorded {} ({more:+.1}%)",
                base.text(),
                with.text()
            );
        }
        println!("  until written {}", written.text());
    }
}

/// How a run is measured.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Started once the history is settled and the thread idle ([`IDLE`]).
    NotRecordedFromIdle,
    /// The same, recorded: the writer is idle as it starts, and writes
    /// the run's end after it returns.
    RecordedFromIdle,
    NotRecorded,
    /// One after another, each starting while the writer writes the last.
    Recorded,
}

impl Kind {
    const ALL: [Kind; 4] = [
        Kind::NotRecordedFromIdle,
        Kind::RecordedFromIdle,
        Kind::NotRecorded,
        Kind::Recorded,
    ];

    fn recorded(self) -> bool {
        matches!(self, Kind::RecordedFromIdle | Kind::Recorded)
    }

    fn starts_idle(self) -> bool {
        matches!(self, Kind::NotRecordedFromIdle | Kind::RecordedFromIdle)
    }
}

/// How long the thread is idle before a run "from idle": longer than the
/// history takes to write the last run, so that either kind starts alike.
const IDLE: Duration = Duration::from_millis(1);

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
