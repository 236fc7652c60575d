# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
# The first interpreter durable-rules supports (3.10-3.12).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.10 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] < (3, 13))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.10-3.12 is required (durable-rules does not import on 3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(BIN)/gunicorn --config gunicorn.conf.py service.wsgi:app

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive service gunicorn.conf.py

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
