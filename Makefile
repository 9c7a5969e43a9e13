# One command for each job. Every target builds .venv from the lock files when it is
# missing or older than them, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
LESSON ?= 04

.PHONY: lab test test-quick test-browser bench render present notebooks lock clean help

help:
	@echo "make lab      - start JupyterLab on the lessons (127.0.0.1, token auth)"
	@echo "make test     - build the test environment and run the whole suite (with a browser)"
	@echo "make test-quick - the suite without the browser tests"
	@echo "make render   - render every lesson to an offline HTML site in build/site"
	@echo "make present LESSON=04 - serve one lesson as a classroom dashboard (Voila)"
	@echo "make bench    - print benchmark figures and write build/bench.json"
	@echo "make notebooks - re-execute the committed lessons in place (maintainers; each replaced only after it ran cleanly)"
	@echo "make lock     - re-resolve requirements/*.txt from pyproject.toml"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Runtime environment: exactly the pins in requirements/lock.txt (--no-deps: the lock is
# complete, and it deliberately leaves out rfc3987-syntax, see LOCK_FLAGS).
$(VENV)/.runtime-stamp: requirements/lock.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Test environment: the runtime pins plus the test tools (requirements/dev-lock.txt).
$(VENV)/.dev-stamp: requirements/dev-lock.txt $(VENV)/.runtime-stamp
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/dev-lock.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# `lessons lab` installs jupyter/overrides.json (JupyterLab's news pop-up off) into .venv and
# passes the token in the environment, never on the command line. PORT=0 picks a free port.
lab: $(VENV)/.runtime-stamp
	$(BIN)/lessons lab --port $(PORT)

# The whole suite: lint; unit, property and doctests; the browser tests (JupyterLab, Voila
# and the static site in a real Chromium, which `tools.browser ensure` finds or installs:
# Debian's chromium as root, else Playwright's download); strict nbval on every lesson.
# The browser tests run on their own: they share one Chromium per worker for the session.
test: $(VENV)/.dev-stamp
	$(BIN)/ruff check lessons tests notebooks benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile --doctest-modules -m "not browser" lessons tests
	$(BIN)/python -m tools.browser ensure
	$(BIN)/python -m pytest -n 2 --dist loadfile -m browser tests
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval notebooks

# The suite without a browser: quicker while working (CI runs `make test`).
test-quick: $(VENV)/.dev-stamp
	$(BIN)/ruff check lessons tests notebooks benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile --doctest-modules -m "not browser" lessons tests
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval notebooks

# Only the real-browser tests.
test-browser: $(VENV)/.dev-stamp
	$(BIN)/python -m tools.browser ensure
	$(BIN)/python -m pytest -n 2 --dist loadfile -m browser tests

bench: $(VENV)/.dev-stamp
	$(BIN)/python -m tools.bench

render: $(VENV)/.runtime-stamp
	$(BIN)/lessons render --out build/site

present: $(VENV)/.runtime-stamp
	$(BIN)/lessons present $(LESSON)

# The one command that writes notebooks/: each lesson runs into a temporary file that
# replaces the committed one, by a rename, only when every cell succeeded.
notebooks: $(VENV)/.runtime-stamp
	$(BIN)/lessons execute --in-place

# rfc3987-syntax (an optional IRI checker of jsonschema's "format-nongpl" extra, pulled in by
# jupyter-events) builds an Earley parser at import: 2-10 s added to every kernel that
# imports nbformat or plotly's renderer (jsonschema issue #1392). jsonschema works without
# it (the import is guarded), so the lock leaves it and its only dependency, lark, out.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes -q \
	--no-emit-package rfc3987-syntax --no-emit-package lark

lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements/lock.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) -c requirements/lock.txt -o requirements/dev-lock.txt

clean:
	rm -rf build .pytest_cache
