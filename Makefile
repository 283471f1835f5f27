# The two commands a chapter needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DATA ?= ./data

.PHONY: run test interop bench clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/fedchapter --data $(DATA) demo
	$(VENV)/bin/fedchapter --data $(DATA) serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(PY) -m pytest

clean-venv:
	rm -rf $(VENV)
