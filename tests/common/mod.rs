#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The real `flowbench` binary that cargo built for these tests.
pub fn flowbench() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowbench"));
    cmd.current_dir(root());
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

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn examples() -> Vec<PathBuf> {
    flowbench::file::workflow_files(&root().join("workflows")).unwrap()
}
