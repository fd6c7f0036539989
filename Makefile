# propwatch: two commands for users (make run, make test); the rest are helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
# make run PORT=8080 HOST=0.0.0.0
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test lint typecheck pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,train]'
	touch $@ $(STAMP_RUN)

## run: install into .venv and start the web app on http://$(HOST):$(PORT) (Ctrl-C stops it)
run: $(STAMP_RUN)
	$(BIN)/propwatch serve --host $(HOST) --port $(PORT)

## test: install dev extras, then lint, type-check and run the whole test suite
test: $(STAMP_DEV) lint typecheck pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

pytest: $(STAMP_DEV)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build *.egg-info
