# Two entry points for a fresh machine: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA ?= data
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run ingest serve test bench clean browser virtuoso wrk

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# CPU torch first: torch==2.13.0 is served from local disk; any other resolution pulls a CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The SPARQL editor's files (YASGUI, kg/service/package.json), served by the app from kg/service/node_modules at /vendor/yasgui.
kg/service/node_modules/.installed: kg/service/package.json kg/service/package-lock.json
	npm ci --prefix kg/service --no-audit --no-fund --ignore-scripts
	touch $@

setup: $(VENV)/.installed kg/service/node_modules/.installed

ingest: setup
	$(BIN)/r2p --data $(DATA) ingest

serve: setup
	$(BIN)/r2p --data $(DATA) serve --host $(HOST) --port $(PORT)

run: ingest serve

# Debian's Chromium for the browser tests (never a browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped"; fi; }

# Debian's Virtuoso for the remote-store tests (the tests start it on a loopback port with a database of their own).
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	  else echo "virtuoso-opensource missing: the Virtuoso tests will be skipped"; fi; }

# Debian's wrk, the compiled load client of benchmarks/bench_load.py (it falls back to a Python client without it).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk missing: bench_load will use its Python client"; fi; }

test: setup browser virtuoso
	$(BIN)/python -m pytest -q

# Figures, not tests: each script prints its measurements (see README, "Measured figures").
bench: setup wrk
	$(BIN)/python -m benchmarks.search_quality
	$(BIN)/python -m benchmarks.eval_examples
	$(BIN)/python -m benchmarks.search_latency --synthetic 100000
	$(BIN)/python -m benchmarks.bench_ingest --sizes 1000 10000 --work /tmp/r2p-bench --pdf-reports 5
	$(BIN)/python -m benchmarks.bench_sparql --data /tmp/r2p-bench/data-10000
	$(BIN)/python -m benchmarks.bench_sparql_guard
	$(BIN)/python -m benchmarks.bench_load --clients 32 --duration 30

clean:
	rm -rf $(VENV) $(DATA) kg/service/node_modules
