//! The local service under load: `cargo bench --bench serve` starts the real
//! `flowbench serve` (this build) on a 10-node webhook workflow and prints the
//! figures: one call at a time (the round trip), then 1,000 concurrent calls
//! (throughput, 50th and 99th percentile), every run found in the history,
//! and the idle service's memory.

use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Calls made: to warm up, one at a time, and all at once.
const WARM_UP: usize = 200;
const ALONE: usize = 2000;
const TOGETHER: usize = 1000;

fn main() {
    // `cargo bench` passes filter arguments; this bench has no parts to filter.
    if std::env::args().any(|a| a == "--list") {
        println!("serve: bench");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = vec![
        json!({"id": "hook", "type": "trigger.webhook", "position": {"x": 0, "y": 0},
                               "config": {"path": "/call"}}),
    ];
    let mut edges = Vec::new();
    for i in 0..8 {
        let who = if i == 0 {
            "{{ $input.body.who }}"
        } else {
            "{{ $input.who }}"
        };
        nodes.push(
            json!({"id": format!("n{i}"), "type": "task.set", "position": {"x": 0, "y": 0},
                          "config": {"values": {"step": i, "who": who}}}),
        );
        let from = if i == 0 {
            "hook".to_string()
        } else {
            format!("n{}", i - 1)
        };
        edges.push(json!({"id": format!("e{i}"), "from": from, "to": format!("n{i}")}));
    }
    nodes.push(
        json!({"id": "answer", "type": "task.respond", "position": {"x": 0, "y": 0},
                      "config": {"status": 200, "body": {"ok": true, "who": "{{ $input.who }}"}}}),
    );
    edges.push(json!({"id": "e8", "from": "n7", "to": "answer"}));
    let w = json!({"flowbench": 1, "id": "ten", "nodes": nodes, "edges": edges});
    std::fs::write(dir.path().join("ten.flow.json"), w.to_string()).unwrap();
    let db = dir.path().join("history.db");
    let bin = env!("CARGO_BIN_EXE_flowbench");
    // The service is stopped however the bench ends.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut serve = Command::new(bin)
        .env("FLOWBENCH_DB", &db)
        .env("FLOWBENCH_KEYRING", "off")
        .args(["serve", dir.path().to_str().unwrap(), "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(serve.stderr.take().unwrap());
    let serve = Stop(serve);
    let mut line = String::new();
    while !line.starts_with("listening on ") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0);
    }
    std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
    let base = line.trim().trim_start_matches("listening on ").to_string();
    let token = String::from_utf8(
        Command::new(bin)
            .env("FLOWBENCH_DB", &db)
            .env("FLOWBENCH_KEYRING", "off")
            .args(["secrets", "get", "webhook.ten"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    std::thread::sleep(Duration::from_millis(300));
    println!("idle service memory (RSS): {:.1} MB", rss_mb(serve.0.id()));

    let url = format!("{base}/hooks/ten/call?token={token}");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = reqwest::Client::new();
    let call = |who: usize| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let started = Instant::now();
            let r = client
                .post(&url)
                .json(&json!({"who": who}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 200);
            let body: serde_json::Value = r.json().await.unwrap();
            assert_eq!(body["who"], who);
            started.elapsed()
        }
    };
    // One at a time: the round trip, after 200 calls that warm the
    // connection, the caches and the history's file.
    let mut alone: Vec<Duration> = rt.block_on(async {
        for i in 0..WARM_UP {
            call(i).await;
        }
        let mut out = Vec::new();
        for i in 0..ALONE {
            out.push(call(i).await);
        }
        out
    });
    alone.sort();
    println!(
        "one call at a time (2,000 after 200 to warm up): median {:.2} ms, 99th percentile {:.2} ms",
        percentile(&alone, 0.5).as_secs_f64() * 1e3,
        percentile(&alone, 0.99).as_secs_f64() * 1e3
    );
    // 1,000 at once.
    let started = Instant::now();
    let mut together: Vec<Duration> = rt.block_on(async {
        let tasks: Vec<_> = (0..TOGETHER)
            .map(|i| tokio::spawn(call(10_000 + i)))
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let total = started.elapsed();
    together.sort();
    println!(
        "1,000 concurrent calls: all answered 200 in {:.0} ms: {:.0} calls/s; 50th percentile {:.1} ms, 99th {:.1} ms",
        total.as_secs_f64() * 1e3,
        TOGETHER as f64 / total.as_secs_f64(),
        percentile(&together, 0.5).as_secs_f64() * 1e3,
        percentile(&together, 0.99).as_secs_f64() * 1e3
    );
    // Every run is in the history, none lost.
    let listed = Command::new(bin)
        .env("FLOWBENCH_DB", &db)
        .args([
            "runs",
            "list",
            "--workflow",
            "ten",
            "--status",
            "succeeded",
            "--limit",
            "5000",
            "--json",
        ])
        .output()
        .unwrap();
    let runs: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    println!(
        "runs in the history: {} of {} calls",
        runs.as_array().unwrap().len(),
        WARM_UP + ALONE + TOGETHER
    );
    drop(serve);
}
