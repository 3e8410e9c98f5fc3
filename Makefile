# Two commands from a clean clone: `make run` (the app on the sample article)
# and `make test` (the whole suite).  Each creates .venv and installs first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint bench screenshot clean

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

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
