#!/usr/bin/env bash
# What the browser tests need on a fresh Debian machine: Debian's Chromium
# (never a browser download) and axe-core from the npm registry, kept in a
# cache folder outside the repository. Safe to run again: it installs only
# what is missing. Without root it says what is missing and the browser
# tests skip (in CI, where CI=true, they fail instead).
set -euo pipefail

AXE_DIR="${FEDCHAPTER_AXE_DIR:-$HOME/.cache/fedchapter-browser}"
AXE_FILE="$AXE_DIR/node_modules/axe-core/axe.min.js"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq && apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "browser tests: installing Debian's chromium" >&2
  apt_install chromium || echo "browser tests: cannot install chromium (need root: apt-get install chromium)" >&2
fi

if [ ! -f "$AXE_FILE" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "browser tests: installing npm" >&2
    apt_install npm || echo "browser tests: cannot install npm (need root: apt-get install npm)" >&2
  fi
  if command -v npm >/dev/null 2>&1; then
    echo "browser tests: installing axe-core into $AXE_DIR" >&2
    npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4 >/dev/null
  fi
fi
