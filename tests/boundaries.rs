//! Dependencies point one way (ARCHITECTURE.md, "Boundaries"): the model
//! imports nothing else of the crate; the engine reads no files itself; the
//! CLI and the desktop shell call `flowbench::api` and the model's types only.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// Every `PREFIX::name` in the file's code (comments skipped), by name.
fn uses(file: &Path, prefix: &str) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '{')
                .collect();
            found.push((n + 1, name));
        }
    }
    found
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_model_imports_nothing_else_of_the_crate() {
    for file in rust_files(&root().join("src/model")) {
        for (line, name) in uses(&file, "crate::") {
            assert_eq!(
                name,
                "model",
                "{}:{line} uses crate::{name}",
                file.display()
            );
        }
    }
}

#[test]
fn the_engine_reads_no_workflow_files_itself() {
    for file in rust_files(&root().join("src/engine")) {
        for (line, name) in uses(&file, "crate::") {
            assert!(
                name != "file" && name != "workspace",
                "{}:{line} uses crate::{name}; the engine gets a WorkflowSource",
                file.display()
            );
        }
    }
}

#[test]
fn the_shells_call_the_api_and_the_model_only() {
    let mut files = rust_files(&root().join("src/cli"));
    files.push(root().join("src/main.rs"));
    files.extend(rust_files(&root().join("src-tauri/src")));
    let mut checked = 0;
    for file in files {
        for (line, name) in uses(&file, "flowbench::") {
            checked += 1;
            assert!(
                name == "api" || name == "model",
                "{}:{line} uses flowbench::{name}; shells call flowbench::api",
                file.display()
            );
        }
    }
    assert!(
        checked > 10,
        "only {checked} uses found: is the scan broken?"
    );
}
