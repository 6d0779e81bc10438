#!/usr/bin/env bash
# The desktop app's figures: start to an interactive canvas, idle memory and
# memory with 1,000 nodes open, from a release build under Xvfb at 1366x768.
# Needs scripts/setup.sh first (system packages, the UI's npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
tools="${XDG_CACHE_HOME:-$HOME/.cache}/flowbench-tools"
if ! command -v tauri-driver >/dev/null && [ ! -x "$tools/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked --root "$tools"
fi
export PATH="$tools/bin:$PATH"
(cd ui && npm run build >/dev/null)
cargo build --release --locked -p flowbench-app
# As the E2E suite runs it: no GPU here, so WebKit draws without compositing.
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export FLOWBENCH_APP="${FLOWBENCH_APP:-$target/release/flowbench-app}"
cd ui
exec xvfb-run -a -s "-screen 0 1366x768x24" node e2e/figures.mjs
