#!/usr/bin/env bash
# What the deploy-file tests need on a fresh Debian machine: nginx (for
# `nginx -t`), caddy (for `caddy validate`) and systemd-analyze (for
# `systemd-analyze verify`), all from Debian. Safe to run again: it installs
# only what is missing. Installing never starts a service here: Debian's
# packages ask invoke-rc.d, which a container's policy-rc.d refuses; where
# there is none, one is put in place for the install and taken away after.
# Without root it says what is missing and the tests skip (fail under CI=true).
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v caddy >/dev/null 2>&1 || missing+=(caddy)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deploy tests: installing Debian's ${missing[*]}" >&2
policy=/usr/sbin/policy-rc.d
placed=""
if [ ! -e "$policy" ]; then
  as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && placed=1
fi
trap '[ -n "$placed" ] && as_root rm -f "$policy"' EXIT
as_root apt-get update -qq \
  && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "deploy tests: cannot install ${missing[*]} (need root: apt-get install ${missing[*]})" >&2
