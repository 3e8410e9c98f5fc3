# Two commands from a clean clone: `make run` (the app on the sample article)
# and `make test` (the whole suite).  Each creates .venv and installs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

DIST_VENV := build/dist-venv
DIST_TOOLS := $(DIST_VENV)/.tools-installed

.PHONY: run test lint bench screenshot clean dist dist-smoke

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

# compileall: the app's start-up is mostly imports, and an editable install
# (or PYTHONDONTWRITEBYTECODE) would otherwise compile every module each run.
run: $(STAMP_RUN)
	$(BIN)/python -m compileall -q workbench
	$(BIN)/workbench

test: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run_all.py

screenshot: $(STAMP_TEST)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py

# `make dist`: the desktop distribution in dist/ (a PyInstaller bundle as .tar.gz,
# and on Debian a .deb); see docs/PACKAGING.md.  The app is pip-installed, not
# editable, into its own venv, so the bundle holds what a user's install holds;
# setuptools' build/lib is cleared first so no stale file reaches the wheel.
$(DIST_TOOLS): packaging/requirements.txt
	$(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DIST_VENV)/bin/pip install --quiet -r packaging/requirements.txt
	touch $@

dist: $(DIST_TOOLS)
	rm -rf build/lib build/bdist.* dist/claim-workbench[-_]*
	$(DIST_VENV)/bin/pip install --quiet .
	nice -n 10 $(DIST_VENV)/bin/python packaging/build.py

# The package as a user's machine runs it: extracted, minimal environment, headless.
dist-smoke:
	python3 packaging/smoke.py dist/claim-workbench_*.deb

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
