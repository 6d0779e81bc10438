#!/usr/bin/env bash
# End-to-end tests of the desktop app under Xvfb over WebDriver.
# Needs scripts/setup.sh first (the app binary and the system packages).
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${XDG_CACHE_HOME:-$HOME/.cache}/flowbench-tools"
if ! command -v tauri-driver >/dev/null && [ ! -x "$tools/bin/tauri-driver" ]; then
  echo "== installing tauri-driver"
  cargo install tauri-driver --locked --root "$tools"
fi
export PATH="$tools/bin:$PATH"
# WebKitGTK's threaded compositor renders with Mesa's software GL under Xvfb,
# and has been seen to segfault there (in swrast_dri.so), killing the page
# mid-suite. Without compositing mode it draws in software directly.
export WEBKIT_DISABLE_COMPOSITING_MODE=1
cd ui
exec xvfb-run -a -s "-screen 0 1366x768x24" node --test --test-concurrency=1 e2e/
