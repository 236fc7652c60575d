# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
# The Pythons the service runs on, newest first: make picks the first one the machine has, and
# `make run PYTHON=python3.11` forces one (the venv is rebuilt when the interpreter changes).
SUPPORTED_PYTHONS := python3.13 python3.12 python3.11 python3.10
PYTHON ?= $(shell for p in $(SUPPORTED_PYTHONS) python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; \
	then echo $$p; break; fi; done)
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# What `make test` also runs on each other supported Python the machine has: the engine, rules,
# API and integration tests and the checks of docs and build files (not the browser, load or slow
# ones), answers compared byte for byte.
PORTABLE_TESTS := tests/unit tests/rules tests/api tests/integrations tests/docs_and_build \
	tests/clinical

.PHONY: run test test-other-pythons check check-lock lock sbom lint audit soak bench kb-diff clean \
	contract-docs check-contract-docs client clinical-report

# Every install is hash-checked from the lock: requirements/*.txt, exported from uv.lock by
# `make lock` (docs/development.md, "Dependencies"). First the tools (pip, setuptools, uv), then
# everything else, so no build pulls an unlocked setuptools.
PIP := $(BIN)/python -m pip --quiet
$(VENV)/.python-$(PY_VERSION): requirements/tools.txt
	@test -n "$(PY_VERSION)" || { echo "Python 3.10-3.13 is required (make PYTHON=/path/to/python3.x to name one)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --requirement requirements/tools.txt
	touch $@

# durable-rules 2.0.28 with the service's patches (third_party/durable-rules/README.md), built
# from PyPI's hash-checked source distribution and installed before anything needs it. The
# requirement files leave it out: pip would otherwise build the unpatched source.
$(VENV)/.durable-rules: tools/durable_rules_wheel.py $(wildcard third_party/durable-rules/*.patch) $(VENV)/.python-$(PY_VERSION)
	$(PIP) install --force-reinstall --no-deps "$$($(BIN)/python tools/durable_rules_wheel.py $(VENV)/wheels | tail -n 1)"
	touch $@

# The runtime alone (what make run serves and the image ships), then the project without its
# dependencies: they all came from the lock. pip check proves the set is complete and consistent.
$(VENV)/.runtime: pyproject.toml requirements/runtime.txt $(VENV)/.durable-rules
	$(PIP) install --require-hashes --requirement requirements/runtime.txt
	$(PIP) install --no-deps --no-build-isolation --editable .
	$(PIP) check
	touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.runtime
	$(PIP) install --require-hashes --requirement requirements/test.txt
	$(PIP) check
	touch $@

# newman, which runs the Postman collection in make test, exactly as package-lock.json pins it.
node_modules/.installed: package-lock.json package.json
	@command -v npm >/dev/null 2>&1 || { echo "npm (Node.js 18 or later) is required: make test runs the Postman collection with newman"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# Debian's Chromium, which the browser tests (tests/browser) drive with Playwright: Playwright
# cannot download a browser of its own here. Installed when missing if make runs as root (CI);
# otherwise make stops and says how. Another Chromium: make test CHROMIUM_PATH=/path/to/it.
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
$(CHROMIUM_PATH):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "make test needs Chromium at $(CHROMIUM_PATH) for the browser tests: install it as root (Debian: apt-get update && apt-get install -y chromium)"; \
		exit 1; \
	fi

# Debian's valgrind, which runs the patched C core of the rule engine under memcheck
# (tests/load/test_engine_memcheck.py). Installed as Chromium is.
/usr/bin/valgrind:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y valgrind; \
	else \
		echo "make test needs valgrind for the engine's memory check: install it as root (Debian: apt-get update && apt-get install -y valgrind)"; \
		exit 1; \
	fi

# Debian's redis-server, which the shared replay store's tests start on loopback (two gunicorns
# sharing one Redis: tests/integrations/test_cds_replay_gunicorn.py). Installed as Chromium is.
/usr/bin/redis-server:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y redis-server; \
	else \
		echo "make test needs redis-server for the replay store's tests: install it as root (Debian: apt-get update && apt-get install -y redis-server)"; \
		exit 1; \
	fi

run: $(VENV)/.runtime
	$(BIN)/gunicorn --config gunicorn.conf.py service.wsgi:app

# Style, security lint, the layers of service/ (the import contracts in pyproject.toml) and its
# types (mypy, [tool.mypy] there).
lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/bandit --quiet --recursive service gunicorn.conf.py
	$(BIN)/lint-imports
	$(BIN)/mypy

# The whole suite: every test, real gunicorn, Chromium, newman, valgrind, Redis and the short soak.
test: check-lock check-contract-docs lint node_modules/.installed $(CHROMIUM_PATH) /usr/bin/valgrind /usr/bin/redis-server
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory test-other-pythons

# The portable tests on every other supported Python present, each in its own .venv-3.x.
test-other-pythons:
	@for p in $(SUPPORTED_PYTHONS); do \
		v=$$($$p -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue; \
		[ "$$v" = "$(PY_VERSION)" ] && continue; \
		echo "== the portable tests on Python $$v"; \
		$(MAKE) --no-print-directory PYTHON=$$p VENV=.venv-$$v .venv-$$v/.test || exit 1; \
		.venv-$$v/bin/python -m pytest -q -p no:cacheprovider -m "not browser and not slow" $(PORTABLE_TESTS) || exit 1; \
	done

# While you work, in well under a minute: the lock, ruff, the import contracts, mypy and the
# in-process tests (none marked server, browser or slow). A test that starts gunicorn unmarked
# fails here.
check: $(VENV)/.test check-lock check-contract-docs
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	TESTS_START_NO_SERVER=1 $(BIN)/python -m pytest -q -n auto -m "not server and not browser and not slow"

# The parts of openapi.yaml and docs/api.md that state the contract's values (the enums and their
# descriptions, an example's error, the values table) are written from
# service/contract/vocabulary.py by tools/contract_docs.py; everything else there by hand
# (docs/development.md, "The contract's one source"). check-contract-docs, in make check and
# make test, fails when a generated part is stale.
contract-docs: $(VENV)/.runtime
	$(BIN)/python -m tools.contract_docs --write

check-contract-docs: $(VENV)/.runtime
	@$(BIN)/python -m tools.contract_docs --check

# The numbers of the independent clinical vignettes (tests/clinical) in docs/clinical-safety.md
# ("Measured against independent vignettes"), written by tools/clinical_report.py from the
# answers of the knowledge base now. make test fails when they are stale
# (tests/docs_and_build/test_clinical_report.py); its two safety gates are tests/clinical.
clinical-report: $(VENV)/.runtime
	$(BIN)/python -m tools.clinical_report --write

# A Python client of openapi.yaml, as an integrator makes one (docs/api.md, "A generated
# client"), from a fresh clone: the generator and what it needs alone, from the lock
# (requirements/client.txt), into .venv; then the client, rewritten in $(CLIENT_DIR) each time.
# Its post hooks run the ruff installed with it, so .venv/bin goes first on PATH.
CLIENT_DIR ?= leg_cramps_advice_client
$(VENV)/.client: requirements/client.txt $(VENV)/.python-$(PY_VERSION)
	$(PIP) install --require-hashes --requirement requirements/client.txt
	$(PIP) check
	touch $@

client: $(VENV)/.client
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config openapi-python-client.yaml --meta none --output-path $(CLIENT_DIR) --overwrite

# The lock: uv.lock is one resolution of pyproject.toml for every supported Python; pip installs
# its exports, requirements/{tools,runtime,test}.txt, with --require-hashes. durable-rules is left
# out of them (see .durable-rules above). `make lock` resolves what pyproject.toml changed and
# keeps every other pin; `make lock LOCK_ARGS=--upgrade` takes every new release in range
# (LOCK_ARGS="--upgrade-package flask" one). `make check-lock`, in make check and make test, fails
# when uv.lock no longer satisfies pyproject.toml or an export no longer matches uv.lock; offline.
UV := UV_PYTHON_DOWNLOADS=never $(BIN)/uv
UV_EXPORT := $(UV) export --frozen --quiet --no-header --no-emit-project --no-emit-package durable-rules --format requirements.txt
LOCK_HEADER := \# Exported from uv.lock by make lock; do not edit (docs/development.md, "Dependencies").
LOCKED := tools runtime test client
EXPORT_tools := --only-group tools
EXPORT_client := --only-group client
EXPORT_runtime := --no-default-groups
EXPORT_test := --no-default-groups --extra test
lock: $(VENV)/.python-$(PY_VERSION)
	$(UV) lock --python $(BIN)/python $(LOCK_ARGS)
	@$(foreach each,$(LOCKED),{ echo '$(LOCK_HEADER)'; $(UV_EXPORT) $(EXPORT_$(each)); } > requirements/$(each).txt &&) true
	@echo "uv.lock and requirements/ written; read what changed: git diff --stat uv.lock requirements"

check-lock: $(VENV)/.python-$(PY_VERSION)
	@$(UV) lock --check --offline --python $(BIN)/python \
		|| { echo "uv.lock does not satisfy pyproject.toml: run make lock"; exit 1; }
	@$(foreach each,$(LOCKED),{ echo '$(LOCK_HEADER)'; $(UV_EXPORT) $(EXPORT_$(each)); } | diff -u requirements/$(each).txt - >/dev/null \
		|| { echo "requirements/$(each).txt is not what uv.lock exports: run make lock"; exit 1; } &&) true

# Known vulnerabilities of the installed packages. Not part of make test: it needs a vulnerability
# database (PyPI's JSON API or OSV). --strict fails when a package cannot be audited, where a
# plain pip-audit would skip it and still pass.
audit: $(VENV)/.test
	$(BIN)/pip-audit --strict --progress-spinner off

# A CycloneDX SBOM of what ships, for a security review: uv.lock's runtime packages with their
# hashes (uv export), completed with their licences, the patches of durable-rules and the
# vendored Swagger UI (tools/sbom.py).
SBOM := dist/leg-cramps-advice.cdx.json
sbom: $(VENV)/.runtime
	@mkdir -p dist
	$(UV) export --frozen --quiet --format cyclonedx1.5 --no-default-groups --output-file $(SBOM)
	$(BIN)/python tools/sbom.py $(SBOM)

# 100,000 mixed requests through the production gunicorn config, twice (see bench/soak.py):
# exits non-zero if any invariant fails; the full report goes to test-artifacts/soak.json.
soak: $(VENV)/.runtime
	$(BIN)/python -m bench.soak --requests 100000 --json test-artifacts/soak.json

# Performance figures, reported and never judged (see bench/perf.py): in-process timings (the
# advice path, and the free-text parser: bench/perf_free_text.py), wrk
# against the production gunicorn config (diverse and replayed traffic), start-up, memory, 1 vs 2
# workers, in about 5 minutes.
# Prints one markdown table; the full report goes to test-artifacts/bench.json. wrk comes from
# Debian (installed here when missing and run as root). `make bench BENCH_ARGS=--quick`: ~30 s.
bench: $(VENV)/.runtime
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; \
		else \
			echo "make bench needs wrk: install it as root (Debian/Ubuntu: apt-get install -y wrk)"; \
			exit 1; \
		fi; }
	$(BIN)/python -m bench.perf --json test-artifacts/bench.json $(BENCH_ARGS)

# What a knowledge change changes: answers at REV vs the working tree (see tools/kb_diff.py).
kb-diff: $(VENV)/.runtime
	@test -n "$(REV)" || { echo "usage: make kb-diff REV=<git revision>"; exit 1; }
	$(BIN)/python -m tools.kb_diff --rev $(REV) --json test-artifacts/kb-diff.json

clean:
	rm -rf $(VENV) .venv-3.* .pytest_cache .hypothesis node_modules dist leg_cramps_advice_client
