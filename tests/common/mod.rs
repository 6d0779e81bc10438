#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The real `flowbench` binary that cargo built for these tests. Its run
/// history is a database in a temporary folder of this test process, never
/// the user's own, and its secrets key a file beside it, never in the user's
/// keyring (`tests/keyring.rs` tests the keyring on a private one).
pub fn flowbench() -> Command {
    static HISTORY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = HISTORY.get_or_init(|| tempfile::tempdir().expect("a temporary folder"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowbench"));
    cmd.current_dir(root());
    cmd.env("FLOWBENCH_DB", dir.path().join("history.db"));
    cmd.env("FLOWBENCH_KEYRING", "off");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn run(args: &[&str]) -> Output {
    flowbench()
        .args(args)
        .output()
        .expect("the flowbench binary runs")
}

/// Runs `cmd` with `input` on its standard input; what it printed and its status.
pub fn output_with_input(cmd: &mut Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the flowbench binary runs");
    child
        .stdin
        .take()
        .expect("a pipe to its input")
        .write_all(input.as_bytes())
        .expect("its input is written");
    child.wait_with_output().expect("it ends")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A node's record in a run report (`report.nodes[]` where `node` is `id`).
pub fn record<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no report: {report}"))
        .iter()
        .find(|n| n["node"] == id)
        .unwrap_or_else(|| panic!("no record of {id} in {report}"))
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn examples() -> Vec<PathBuf> {
    flowbench::file::workflow_files(&root().join("workflows")).unwrap()
}

/// A local HTTP server on 127.0.0.1 (port 0) for the examples: it records the
/// JSON bodies it receives, serves paged customers, and can fail on demand.
pub struct Peer {
    pub base: String,
    pub received: std::sync::Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>,
}

pub fn start_peer(
    customers: usize,
    page_size: usize,
    crm_status: u16,
    flaky_failures: usize,
) -> Peer {
    use axum::extract::{Query, State};
    use axum::http::StatusCode;
    use axum::routing::{get, post};
    use axum::{Json, Router};
    use serde_json::{json, Value};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    #[derive(Clone)]
    struct St {
        received: Arc<Mutex<Vec<(String, Value)>>>,
        customers: usize,
        page_size: usize,
        crm_status: u16,
        flaky_left: Arc<AtomicUsize>,
    }
    let received = Arc::new(Mutex::new(Vec::new()));
    let state = St {
        received: received.clone(),
        customers,
        page_size,
        crm_status,
        flaky_left: Arc::new(AtomicUsize::new(flaky_failures)),
    };
    let app = Router::new()
        .route(
            "/notifications",
            post(|State(s): State<St>, Json(body): Json<Value>| async move {
                s.received.lock().unwrap().push(("/notifications".into(), body));
                (StatusCode::CREATED, Json(json!({"ok": true})))
            }),
        )
        .route(
            "/crm/leads",
            post(|State(s): State<St>, Json(body): Json<Value>| async move {
                s.received.lock().unwrap().push(("/crm/leads".into(), body));
                let status = StatusCode::from_u16(s.crm_status).unwrap();
                (status, Json(json!({"id": "L-1", "message": if status.is_success() { "created" } else { "CRM is down for maintenance" }})))
            }),
        )
        .route(
            "/flaky",
            get(|State(s): State<St>| async move {
                let left = s.flaky_left.load(Ordering::SeqCst);
                if left > 0 {
                    s.flaky_left.store(left - 1, Ordering::SeqCst);
                    (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"error": "try again"})))
                } else {
                    (StatusCode::OK, Json(json!({"ok": true})))
                }
            }),
        )
        .route(
            "/customers",
            get(|State(s): State<St>, Query(q): Query<std::collections::HashMap<String, String>>| async move {
                let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
                let size: usize = q.get("pageSize").and_then(|p| p.parse().ok()).unwrap_or(s.page_size).min(s.page_size);
                let total_pages = s.customers.div_ceil(size).max(1);
                let records: Vec<Value> = ((page - 1) * size..(page * size).min(s.customers))
                    .map(|i| json!({"id": i + 1, "email": format!("  Person{}@Example.ORG ", i + 1), "firstName": "Person", "lastName": format!("{}", i + 1), "country": "de"}))
                    .collect();
                Json(json!({"page": page, "totalPages": total_pages, "records": records}))
            }),
        )
        .with_state(state);
    let addr = serve(app);
    Peer {
        base: format!("http://{addr}"),
        received,
    }
}

/// Copies an example into a fresh folder, so its SQLite files land there.
pub fn example_in_tempdir(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::copy(root().join("workflows").join(name), &path).unwrap();
    (dir, path)
}

/// Serves an axum app on 127.0.0.1, on a port of its own, from a thread of its own.
pub fn serve(app: axum::Router) -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}
