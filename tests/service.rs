//! `flowbench serve` as a process on port 0: webhooks with tokens and every
//! answer SERVICE.md names, the HTTP API round trip, live reload of workflow
//! files, and a clean stop on SIGTERM.

mod common;

use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running `flowbench serve` over a copy of the examples, with its own history.
struct Served {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Served {
    fn start() -> Served {
        Served::start_with(&[])
    }

    /// Serves the examples and these further files (name, text).
    fn start_with(extra: &[(&str, String)]) -> Served {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in extra {
            write(dir.path(), name, text);
        }
        for f in std::fs::read_dir(root().join("workflows")).unwrap() {
            let p = f.unwrap().path();
            if p.to_string_lossy().ends_with(".flow.json") {
                std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
            }
        }
        let db = dir.path().join("history.db");
        let mut child = flowbench()
            .env("FLOWBENCH_DB", &db)
            .args(["serve", dir.path().to_str().unwrap(), "--port", "0"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Its own signal: the `listening on` line.
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while !line.starts_with("listening on ") {
            line.clear();
            assert!(err.read_line(&mut line).unwrap() > 0, "serve ended: {line}");
        }
        let base = line.trim().trim_start_matches("listening on ").to_string();
        std::thread::spawn(move || std::io::copy(&mut err, &mut std::io::sink()));
        Served {
            child,
            base,
            dir,
            db,
        }
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        let mut c: Command = flowbench();
        c.env("FLOWBENCH_DB", &self.db).args(args).output().unwrap()
    }

    fn secret(&self, name: &str) -> String {
        let o = self.cli(&["secrets", "get", name]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o).trim_end().to_string()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

fn error_code(r: reqwest::blocking::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let body: Value = r.json().unwrap();
    (
        status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

#[test]
fn order_placement_answers_over_http_as_its_respond_nodes_say() {
    let s = Served::start();
    let token = s.secret("webhook.order-placement");
    let url = format!("{}/hooks/order-placement/orders", s.base);
    let r = client()
        .post(&url)
        .query(&[("token", &token)])
        .json(&json!({"customer": "c-1", "sku": "A1", "qty": 2}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 201);
    let run_id = r.headers()["flowbench-run-id"]
        .to_str()
        .unwrap()
        .to_string();
    let body: Value = r.json().unwrap();
    assert_eq!(body["status"], "placed");
    // Bearer works as well as ?token=; too many ordered: 409 with the reason.
    let r = client()
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"customer": "c-1", "sku": "C3", "qty": 2}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 409);
    let body: Value = r.json().unwrap();
    assert_eq!(body["status"], "refused");
    // Both runs are in the history; the run saw no token.
    let shown = s.cli(&["runs", "show", &run_id, "--json"]);
    let report: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(report["status"], "succeeded");
    assert_eq!(report["input"]["body"]["sku"], "A1");
    assert!(report["input"]["query"].get("token").is_none());
    assert!(!String::from_utf8_lossy(&shown.stdout).contains(&token));
    let list: Value = serde_json::from_slice(
        &s.cli(&["runs", "list", "--workflow", "order-placement", "--json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[test]
fn a_run_goes_on_when_its_caller_hangs_up() {
    let slow = json!({"flowbench": 1, "id": "slow-hook", "nodes": [
        {"id": "hook", "type": "trigger.webhook", "position": {"x": 0, "y": 0}, "config": {"path": "/slow"}},
        {"id": "wait", "type": "task.delay", "position": {"x": 200, "y": 0}, "config": {"ms": 1500}},
        {"id": "answer", "type": "task.respond", "position": {"x": 400, "y": 0},
         "config": {"status": 200, "body": {"done": true}}}],
        "edges": [{"id": "e1", "from": "hook", "to": "wait"}, {"id": "e2", "from": "wait", "to": "answer"}]});
    let s = Served::start_with(&[("slow-hook.flow.json", slow.to_string())]);
    let token = s.secret("webhook.slow-hook");
    let runs = |status: &str| -> usize {
        let o = s.cli(&[
            "runs",
            "list",
            "--workflow",
            "slow-hook",
            "--status",
            status,
            "--json",
        ]);
        serde_json::from_slice::<Value>(&o.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len()
    };
    // A caller sends the request by hand, and hangs up once its run is
    // recorded as running (the delay's start is committed before it waits).
    use std::io::Write;
    let addr = s.base.trim_start_matches("http://");
    let mut caller = std::net::TcpStream::connect(addr).unwrap();
    write!(
        caller,
        "POST /hooks/slow-hook/slow?token={token} HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}"
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while runs("running") == 0 && runs("succeeded") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the run never started"
        );
    }
    drop(caller);
    // The run goes on without its caller, to its end.
    while runs("succeeded") == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the run did not end after its caller hung up: {} running",
            runs("running")
        );
    }
}

#[test]
fn bad_calls_get_the_answers_service_md_names_and_the_service_stays_up() {
    let s = Served::start();
    let token = s.secret("webhook.order-placement");
    let other = s.secret("webhook.lead-intake");
    let url = format!("{}/hooks/order-placement/orders", s.base);
    let order = json!({"customer": "c-1", "sku": "A1", "qty": 1});
    let post = |t: Option<&str>| {
        let mut r = client().post(&url).json(&order);
        if let Some(t) = t {
            r = r.query(&[("token", t)]);
        }
        error_code(r.send().unwrap())
    };
    assert_eq!(post(None), (401, "unauthorized".into()));
    assert_eq!(post(Some("wrong")), (401, "unauthorized".into()));
    assert_eq!(
        post(Some(&other)),
        (401, "unauthorized".into()),
        "another workflow's token"
    );
    let unknown = client()
        .post(format!(
            "{}/hooks/order-placement/nowhere?token={token}",
            s.base
        ))
        .send()
        .unwrap();
    assert_eq!(error_code(unknown), (404, "not_found".into()));
    let unknown = client()
        .post(format!("{}/hooks/ghost/orders", s.base))
        .send()
        .unwrap();
    assert_eq!(error_code(unknown), (404, "not_found".into()));
    let get = client()
        .get(&url)
        .query(&[("token", &token)])
        .send()
        .unwrap();
    assert_eq!(error_code(get), (405, "method_not_allowed".into()));
    let big = client()
        .post(&url)
        .query(&[("token", &token)])
        .header("content-type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .unwrap();
    assert_eq!(error_code(big), (413, "body_too_large".into()));
    let bad = client()
        .post(&url)
        .query(&[("token", &token)])
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(error_code(bad), (400, "bad_json".into()));

    let order_with_token = || {
        client()
            .post(&url)
            .query(&[("token", &token)])
            .json(&order)
            .send()
            .unwrap()
    };
    // A workflow file saved with errors while serving: 503 with them; fixed: served again.
    let file = s.path("order-placement.flow.json");
    let good = std::fs::read_to_string(&file).unwrap();
    let broken = good.replacen("\"query\": \"SELECT", "\"querry\": \"SELECT", 1);
    assert_ne!(broken, good);
    std::fs::write(&file, &broken).unwrap();
    let r = order_with_token();
    assert_eq!(r.status().as_u16(), 503);
    let body: Value = r.json().unwrap();
    assert_eq!(body["error"]["code"], "workflow_invalid");
    assert!(!body["error"]["diagnostics"].as_array().unwrap().is_empty());
    std::fs::write(&file, &good).unwrap();
    // The file's modification time moves on; the service reads it again.
    let r = order_with_token();
    assert_eq!(r.status().as_u16(), 201);
    // Nothing was lost: one run per call that started one (the last).
    let list: Value = serde_json::from_slice(
        &s.cli(&["runs", "list", "--workflow", "order-placement", "--json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn the_api_lists_starts_reads_and_decides() {
    let s = Served::start();
    let api = s.secret("api");
    let get = |path: &str| {
        let r = client()
            .get(format!("{}{path}", s.base))
            .bearer_auth(&api)
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        r.json::<Value>().unwrap()
    };
    let post = |path: &str, body: Value| {
        client()
            .post(format!("{}{path}", s.base))
            .bearer_auth(&api)
            .json(&body)
            .send()
            .unwrap()
    };
    // Polls the run's own status until `done` says it has moved on.
    let until = |run: &str, done: &dyn Fn(&Value) -> bool| {
        for _ in 0..500 {
            let report = get(&format!("/api/runs/{run}"));
            if done(&report) {
                return report;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("run {run} never moved on");
    };
    let refused = client()
        .get(format!("{}/api/workflows", s.base))
        .send()
        .unwrap();
    assert_eq!(error_code(refused), (401, "unauthorized".into()));
    let list = get("/api/workflows");
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"purchase-approval"), "{ids:?}");
    assert!(list.as_array().unwrap().iter().all(|w| w["valid"] == true));
    assert_eq!(
        get("/api/workflows/purchase-approval")["id"],
        "purchase-approval"
    );

    // Start with input: it waits for a manager.
    let r = post(
        "/api/workflows/purchase-approval/runs",
        json!({"input": {"item": "Chair", "amount": 900, "requester": "ann"}}),
    );
    assert_eq!(r.status().as_u16(), 201);
    let run_id = r.json::<Value>().unwrap()["runId"]
        .as_str()
        .unwrap()
        .to_string();
    let report = until(&run_id, &|r| r["status"] == "waiting");
    assert_eq!(report["input"]["item"], "Chair");
    let tasks = get("/api/tasks?assignee=manager");
    assert_eq!(tasks[0]["runId"], run_id.as_str());
    let decide = format!("/api/runs/{run_id}/tasks/ask_manager");
    let r = post(
        &decide,
        json!({"outcome": "approved", "comment": "ok", "by": "dana"}),
    );
    assert_eq!(r.status().as_u16(), 200);
    let again = post(&decide, json!({"outcome": "approved"}));
    assert_eq!(error_code(again), (409, "task_already_decided".into()));
    let report = until(&run_id, &|r| r["status"] != "running");
    assert_eq!(report["status"], "succeeded");
    assert_eq!(report["response"]["body"]["by"], "dana");
    let runs = get("/api/runs?workflow=purchase-approval");
    assert_eq!(runs[0]["runId"], run_id.as_str());

    // ?wait=true answers with the report.
    let r = client()
        .post(format!(
            "{}/api/workflows/purchase-approval/runs?wait=true",
            s.base
        ))
        .bearer_auth(&api)
        .json(&json!({"input": {"item": "Pen", "amount": 3, "requester": "bo"}}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let done: Value = r.json().unwrap();
    assert_eq!(done["status"], "succeeded");
    assert_eq!(done["response"]["body"]["by"], "limit");
}

#[test]
fn sigterm_stops_the_service_cleanly() {
    let mut s = Served::start();
    let pid = s.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = s.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(reqwest::blocking::get(format!("{}/api/workflows", s.base)).is_err());
}

#[test]
fn a_schedule_fires_every_second_and_each_run_is_in_the_history() {
    let tick = json!({"flowbench": 1, "id": "tick", "nodes": [
        {"id": "every_second", "type": "trigger.schedule", "position": {"x": 0, "y": 0},
         "config": {"cron": "* * * * * *", "timezone": "Europe/Paris"}},
        {"id": "note", "type": "task.set", "position": {"x": 200, "y": 0},
         "config": {"values": {"at": "{{ $input.firedAt }}"}}}],
        "edges": [{"id": "e1", "from": "every_second", "to": "note"}]});
    let s = Served::start_with(&[("tick.flow.json", tick.to_string())]);
    // The history's own record of the fires: poll it until two runs are there.
    let mut runs = Value::Null;
    for _ in 0..1000 {
        runs = serde_json::from_slice(
            &s.cli(&[
                "runs",
                "list",
                "--workflow",
                "tick",
                "--status",
                "succeeded",
                "--json",
            ])
            .stdout,
        )
        .unwrap();
        if runs.as_array().unwrap().len() >= 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let runs = runs.as_array().unwrap();
    assert!(runs.len() >= 2, "{runs:?}");
    let mut fired = Vec::new();
    for r in runs.iter().take(2) {
        assert_eq!(r["trigger"], "every_second");
        let report: Value = serde_json::from_slice(
            &s.cli(&["runs", "show", r["runId"].as_str().unwrap(), "--json"])
                .stdout,
        )
        .unwrap();
        let at = report["output"]["note"]["at"].as_str().unwrap().to_string();
        assert!(at.ends_with(".000Z"), "fired on a whole second: {at}");
        fired.push(at);
    }
    assert_ne!(fired[0], fired[1]);
}

#[test]
fn a_secret_never_appears_in_any_output() {
    let secret = "sk-live-7d1f2c9a8b3e4f50";
    // A workflow that reads the secret, logs it, returns it, sends it to a
    // webhook caller, and fails with it in the message.
    let leaky = json!({"flowbench": 1, "id": "leaky", "nodes": [
        {"id": "hook", "type": "trigger.webhook", "position": {"x": 0, "y": 0}, "config": {"path": "/leak"}},
        {"id": "use", "type": "task.code", "position": {"x": 200, "y": 0},
         "config": {"code": "console.log('key is ' + $secrets.PAYMENT_KEY); $vars.k = $secrets.PAYMENT_KEY; return {key: $secrets.PAYMENT_KEY};"}},
        {"id": "answer", "type": "task.respond", "position": {"x": 400, "y": 0},
         "config": {"status": 200, "body": {"echo": "{{ $secrets.PAYMENT_KEY }}", "from": "{{ $input.key }}"}}},
        {"id": "boom", "type": "task.code", "position": {"x": 600, "y": 0},
         "config": {"code": "throw new Error('rejected key ' + $secrets.PAYMENT_KEY);"}}],
        "edges": [{"id": "e1", "from": "hook", "to": "use"}, {"id": "e2", "from": "use", "to": "answer"},
                  {"id": "e3", "from": "answer", "to": "boom"}]});
    let s = Served::start_with(&[("leaky.flow.json", leaky.to_string())]);
    let set = output_with_input(
        flowbench()
            .env("FLOWBENCH_DB", &s.db)
            .args(["secrets", "set", "PAYMENT_KEY"]),
        &format!("{secret}\n"),
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let mut seen = String::new();

    // The webhook caller's answer, and the run it started.
    let token = s.secret("webhook.leaky");
    let r = client()
        .post(format!("{}/hooks/leaky/leak", s.base))
        .query(&[("token", &token)])
        .json(&json!({}))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let run_id = r.headers()["flowbench-run-id"]
        .to_str()
        .unwrap()
        .to_string();
    let answer = r.text().unwrap();
    assert!(answer.contains("[secret PAYMENT_KEY]"), "{answer}");
    seen.push_str(&answer);
    // The run goes on to fail after answering; the history shows it failed.
    let mut shown = Value::Null;
    for _ in 0..500 {
        shown =
            serde_json::from_slice(&s.cli(&["runs", "show", &run_id, "--json"]).stdout).unwrap();
        if shown["status"] != "running" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(shown["status"], "failed");
    let text = shown.to_string();
    assert!(text.contains("rejected key [secret PAYMENT_KEY]"), "{text}");
    assert!(text.contains("key is [secret PAYMENT_KEY]"), "{text}");
    seen.push_str(&text);
    // The CLI: progress, errors and the report of a run from the command line.
    let file = s.path("leaky.flow.json");
    let o = s.cli(&["run", file.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1));
    seen.push_str(&stdout(&o));
    seen.push_str(&stderr(&o));
    assert!(
        stderr(&o).contains("[secret PAYMENT_KEY]"),
        "{}",
        stderr(&o)
    );
    // And with --no-history, which still reads secrets.
    let o = s.cli(&["run", file.to_str().unwrap(), "--no-history"]);
    seen.push_str(&stdout(&o));
    seen.push_str(&stderr(&o));
    // The debugger through a pipe: what it shows while paused.
    let o = output_with_input(
        flowbench().env("FLOWBENCH_DB", &s.db).args([
            "run",
            file.to_str().unwrap(),
            "--break",
            "answer",
        ]),
        "eval $secrets.PAYMENT_KEY\ninput\nconfig\nvars\noutput use\ncontinue\n",
    );
    let err = stderr(&o);
    assert!(err.contains("\"[secret PAYMENT_KEY]\""), "{err}");
    seen.push_str(&err);
    seen.push_str(&stdout(&o));
    // Lists and the API.
    for args in [
        vec!["runs", "list", "--json"],
        vec!["secrets", "list"],
        vec!["tasks", "list"],
    ] {
        let o = s.cli(&args);
        seen.push_str(&stdout(&o));
        seen.push_str(&stderr(&o));
    }
    let api = s.secret("api");
    for path in [
        "/api/runs",
        &format!("/api/runs/{run_id}"),
        "/api/workflows/leaky",
    ] {
        seen.push_str(
            &client()
                .get(format!("{}{path}", s.base))
                .bearer_auth(&api)
                .send()
                .unwrap()
                .text()
                .unwrap(),
        );
    }
    // The history itself: every journal entry of every run, read back.
    let history = flowbench::api::history::History::open(Some(&s.db)).unwrap();
    for run in history.list(&Default::default()).unwrap() {
        seen.push_str(&serde_json::to_string(&history.show(&run.run_id).unwrap()).unwrap());
    }
    assert!(seen.len() > 2000);
    assert!(!seen.contains(secret), "the secret leaked");
    // The workflow file never held it.
    assert!(!std::fs::read_to_string(&file).unwrap().contains(secret));
}

#[test]
fn a_subflow_reads_the_secrets_it_names_and_its_parent_redacts_them() {
    let secret = "pw-subflow-93c1e07a";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    // The parent never names the secret; the child it calls does, and
    // returns it, so it reaches the parent's report through the node's output.
    let child = json!({"flowbench": 1, "id": "child", "nodes": [
        {"id": "start", "type": "trigger.manual", "position": {"x": 0, "y": 0}},
        {"id": "check", "type": "task.code", "position": {"x": 200, "y": 0},
         "config": {"code": "return {matches: $secrets.DB_PASSWORD === 'pw-subflow-93c1e07a', echo: $secrets.DB_PASSWORD};"}}],
        "edges": [{"id": "e1", "from": "start", "to": "check"}]});
    let parent = json!({"flowbench": 1, "id": "parent", "nodes": [
        {"id": "start", "type": "trigger.manual", "position": {"x": 0, "y": 0}},
        {"id": "call", "type": "task.subflow", "position": {"x": 200, "y": 0},
         "config": {"workflow": "child"}}],
        "edges": [{"id": "e1", "from": "start", "to": "call"}]});
    std::fs::write(dir.path().join("child.flow.json"), child.to_string()).unwrap();
    let file = dir.path().join("parent.flow.json");
    std::fs::write(&file, parent.to_string()).unwrap();
    let set = output_with_input(
        flowbench()
            .env("FLOWBENCH_DB", &db)
            .args(["secrets", "set", "DB_PASSWORD"]),
        &format!("{secret}\n"),
    );
    assert!(set.status.success(), "{}", stderr(&set));

    let o = flowbench()
        .env("FLOWBENCH_DB", &db)
        .args(["run", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    // The subflow's output is the child's: its leaves' outputs by id.
    let output = &report["output"]["call"]["check"];
    assert_eq!(output["matches"], true, "{report}");
    assert_eq!(output["echo"], "[secret DB_PASSWORD]", "{report}");
    let history = flowbench::api::history::History::open(Some(&db)).unwrap();
    let runs = history.list(&Default::default()).unwrap();
    let shown = serde_json::to_string(&history.show(&runs[0].run_id).unwrap()).unwrap();
    for text in [stdout(&o), stderr(&o), shown] {
        assert!(!text.contains(secret), "the secret leaked: {text}");
    }
}
