#!/usr/bin/env bash
# Sets Flowbench up and starts the desktop app. Without a display it says so
# and runs an example through the CLI instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
target="${CARGO_TARGET_DIR:-target}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo
  echo "No display here, so the desktop app cannot open (it needs X11 or Wayland)."
  echo "The same engine runs from the command line; running an example:"
  echo "  $target/debug/flowbench run workflows/order-placement.flow.json"
  exec "$target/debug/flowbench" run workflows/order-placement.flow.json
fi
exec "$target/debug/flowbench-app"
