#!/usr/bin/env bash
# Installs what Flowbench needs on a fresh Debian machine and builds it:
# system packages for the desktop app, the UI's npm packages, the engine, the
# CLI and the app. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# dbus-daemon and gnome-keyring: a private Secret Service for the keyring test.
packages=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev libdbus-1-dev file xvfb webkit2gtk-driver imagemagick xdotool x11-utils dbus-daemon gnome-keyring)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # A first install on a fresh machine has been seen to fail once on a vanished .deb: retry.
  for attempt in 1 2 3; do
    if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then break; fi
    [ "$attempt" = 3 ] && exit 1
    $SUDO apt-get update -qq
  done
fi

echo "== UI packages and build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

echo "== engine, CLI and desktop app"
cargo build --locked -p flowbench -p flowbench-app
