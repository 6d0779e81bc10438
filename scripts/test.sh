#!/usr/bin/env bash
# Runs every test of Flowbench. Installs what a fresh machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Rust toolchain comes with the machine; make sure its linters are there.
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== format and lint"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings

echo "== unit and integration tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --locked 2>&1 | tee "$log"

echo "== the examples validate clean"
cargo run --locked --quiet -- validate workflows/
cargo run --locked --quiet -- fmt --check workflows/

echo "== benchmarks compile"
cargo bench --locked --no-run

# One closing line for every test that ran, across all test binaries.
awk '/^test result:/ { p += $4; f += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
