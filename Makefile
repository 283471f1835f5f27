# The two commands a chapter needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= ./data

.PHONY: run test interop interop-deps bench clean-venv translations browser-deps postgres-deps test-postgres deploy-deps
MO := web/locale/de/LC_MESSAGES/messages.mo

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The compiled catalog is committed too; this rebuilds it when the .po is newer.
$(MO): web/locale/de/LC_MESSAGES/messages.po | $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d web/locale -D messages

# After changing strings: extract them all, merge into the catalogs, then translate.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -o web/locale/messages.pot --no-location --sort-output --project fedchapter .
	$(VENV)/bin/pybabel update -i web/locale/messages.pot -d web/locale -D messages --ignore-obsolete --no-fuzzy-matching
	$(VENV)/bin/pybabel compile --statistics -d web/locale -D messages

# Debian's Chromium and axe-core for the browser tests (never a browser download).
browser-deps:
	bash tests/browser/install.sh

run: $(STAMP) $(MO)
	$(VENV)/bin/fedchapter --data $(DATA) demo
	$(VENV)/bin/fedchapter --data $(DATA) serve --host 127.0.0.1 --port 8000

test: $(STAMP) $(MO) browser-deps postgres-deps deploy-deps
	$(PY) -m pytest --ignore=tests/interop

# nginx, caddy and systemd-analyze from Debian, to validate the files in deploy/.
deploy-deps:
	bash tests/deploy/install.sh

# Debian's PostgreSQL, installed if missing; the tests start their own server
# from it (a temporary folder, a loopback port), never the system's.
postgres-deps:
	bash tests/support/install_postgres.sh

# The whole suite with every chapter on PostgreSQL (one schema each).
test-postgres: $(STAMP) $(MO) browser-deps postgres-deps
	FEDCHAPTER_TEST_DATABASE=postgresql $(PY) -m pytest --ignore=tests/interop

# Real independent ActivityPub peers (Fedify, bovine-herd) on loopback,
# installed into a cache folder outside the repo. CI runs it after make test.
interop-deps:
	bash tests/interop/install_peers.sh

interop: $(STAMP) interop-deps
	FEDCHAPTER_INTEROP_REQUIRE=1 $(PY) -m pytest tests/interop

# Benchmarks (issue 9; not part of `make test`): needs Debian's wrk, installed here if missing.
bench: $(STAMP) postgres-deps
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(PY) -m bench.run

clean-venv:
	rm -rf $(VENV)
