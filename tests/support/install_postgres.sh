#!/usr/bin/env bash
# Debian's PostgreSQL and PgBouncer for the tests (make test, make test-postgres, .ci/run),
# installed only if missing. The tests start their own throwaway server from
# it (tests/support/postgres.py); nothing here starts or configures one.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && command -v pgbouncer >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is missing: run 'sudo apt-get install postgresql' (Debian's package), then again" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# PgBouncer too: the 4-worker test runs through it in transaction mode.
apt-get install -y -qq --no-install-recommends postgresql pgbouncer >/dev/null
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "postgresql installed but no initdb found" >&2; exit 1; }
