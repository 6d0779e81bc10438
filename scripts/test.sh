#!/usr/bin/env bash
# Runs every test of Flowbench; installs and builds what a fresh machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup component add rustfmt clippy >/dev/null 2>&1 || true
./scripts/setup.sh

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

echo "== format, lint and type checks"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
(cd ui && npm run --silent format:check && npm run --silent check)

echo "== engine: unit and integration tests (the CLI binary included)"
# The app crate has no tests of its own (its E2E tests are below); testing only
# the engine keeps dev-dependency features from rebuilding the Tauri stack.
cargo test -p flowbench --locked 2>&1 | tee "$logs/cargo"

echo "== UI: Vitest"
(cd ui && npx vitest run --reporter=verbose) 2>&1 | tee "$logs/vitest"

echo "== desktop app: end-to-end under Xvfb"
./scripts/e2e.sh 2>&1 | tee "$logs/e2e"

echo "== the examples validate clean, are in canonical form, and pass their tests"
cargo run --locked --quiet -p flowbench -- validate workflows/
cargo run --locked --quiet -p flowbench -- fmt --check workflows/
cargo run --locked --quiet -p flowbench -- test workflows/ --junit "$logs/examples.xml"

echo "== benchmarks compile"
cargo bench --locked -p flowbench --no-run

# One closing line for every test that ran: cargo, Vitest and the E2E tests.
passed=$(awk '/^test result:/ { p += $4 } END { print p + 0 }' "$logs/cargo")
failed=$(awk '/^test result:/ { f += $6 } END { print f + 0 }' "$logs/cargo")
v_passed=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/vitest" | awk '/^ *Tests / { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed/) print $i }' | tail -1)
v_failed=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/vitest" | awk '/^ *Tests / { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed/) print $i }' | tail -1)
e_passed=$(awk '/^# pass / { print $3 }' "$logs/e2e" | tail -1)
e_failed=$(awk '/^# fail / { print $3 }' "$logs/e2e" | tail -1)
echo "tests: $((passed + ${v_passed:-0} + ${e_passed:-0})) passed, $((failed + ${v_failed:-0} + ${e_failed:-0})) failed"
