# Two commands on a fresh machine: `make run` (build the graph and show what it knows)
# and `make test` (ruff + pytest). Both create .venv and install the project when needed.

# The interpreter .venv is made with: Python 3.12 when found (on PATH or installed by
# pyenv), else python3 (scripts/python.sh says how it looks, and why not 3.13). On 3.12+ the tests
# measure coverage through sys.monitoring (COVERAGE_CORE=sysmon): the suite's CPU time about
# halves against 3.11's tracer. Any 3.11+ works: e.g. `make test PYTHON=python3`.
PYTHON ?= $(shell sh scripts/python.sh)
PYVER  := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint clean bench bench-cli bench-gleif loadtest eval-draft editor screenshots

# The venv is made anew when it was made with another Python version than PYVER (its marker
# .venv/.python-X.Y is missing: a .venv of 3.11 is removed whole, never mixed), and
# (re)installed when pyproject.toml is newer than the stamp.
$(VENV)/.python-$(PYVER):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -c 'import sys; print(sys.executable, sys.version)' > $@

$(STAMP): pyproject.toml $(VENV)/.python-$(PYVER)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/automaker-kg build
	$(BIN)/automaker-kg site -o site
	$(BIN)/automaker-kg summary

# The benchmark (not a test): generated graphs of each size, every figure, a markdown table
# and bench-results/results.json. Override e.g. `make bench SIZES=10k,100k REPEAT=5`.
# Each measured query runs in a child killed after QUERY_TIMEOUT seconds a run (rdflib's
# after RDFLIB_TIMEOUT); the result then reads "timeout" instead of the run hanging.
SIZES  ?= 10k,100k,1M
REPEAT ?= 3
QUERY_TIMEOUT  ?= 60
RDFLIB_TIMEOUT ?= 30
bench: $(STAMP)
	AUTOMAKER_KG_BENCH_QUERY_TIMEOUT=$(QUERY_TIMEOUT) $(BIN)/automaker-kg bench run \
		--sizes $(SIZES) --repeat $(REPEAT) --rdflib-timeout $(RDFLIB_TIMEOUT) --out bench-results

# Commands as a user runs them on the shipped graph: CPU and wall of `--help`, `stats`,
# `query`, `facts`, `path`, `ownership`, each beside `python -c "import pyoxigraph, typer,
# rich.table"` in the same rounds, with the targets (--help <= 3x, others <= 4x) and the
# machine's load. Writes bench-results/cli.md and cli.json. Override e.g. `CLI_ROUNDS=9`.
CLI_ROUNDS ?= 5
bench-cli: $(STAMP)
	$(BIN)/python -m automaker_kg.bench.cli_startup --rounds $(CLI_ROUNDS) \
		--store bench-results/cli-store --out bench-results

# GLEIF at golden-copy scale: a generated RR-CDF file of each size imported (streamed) in a
# child process: import time, CPU time and peak memory as JSON lines. Targets at 1M: <= 60 s,
# <= 1 GB. Override e.g. `make bench-gleif GLEIF_SIZES="100000" GLEIF_FORMAT=json`;
# GLEIF_BUILD=--build also imports the LEI and exception files and times `build --full`.
GLEIF_SIZES  ?= 100000 1000000
GLEIF_FORMAT ?= xml
GLEIF_BUILD  ?=
bench-gleif: $(STAMP)
	$(BIN)/python -m automaker_kg.bench.gleif_generator $(GLEIF_SIZES) --format $(GLEIF_FORMAT) \
		$(GLEIF_BUILD) --work bench-results/gleif | tee bench-results/gleif.jsonl

# Drafts of the 24 briefs scored against their curated sheets (docs/drafting.md): precision
# and recall per kind, the rules' half and the held-out half apart.
eval-draft: $(STAMP)
	$(BIN)/python -m automaker_kg.draft.evaluate

# The load test (not a test): the generated graph of LOAD_TRIPLES triples served by
# `automaker-kg serve` (as shipped, and without its result cache) and by Virtuoso when
# installed, all at once; the benchmark's query mix sent by POST at each of LOAD_CLIENTS
# concurrent clients, every answer compared; prints throughput, p50/p99 (overall and per
# query), 503s, wrong answers, CPU time and the load average. Loopback only, a bounded
# number of requests (LOAD_PER_CLIENT per client). E.g. `make loadtest LOAD_TRIPLES=1000000`.
# LOAD_FLAGS: e.g. --memory (workers hold the store in memory), --no-virtuoso.
LOAD_TRIPLES    ?= 100000
LOAD_CLIENTS    ?= 32,128
LOAD_PER_CLIENT ?= 10
LOAD_FLAGS      ?=
loadtest: $(STAMP)
	$(BIN)/python scripts/loadtest.py --generated $(LOAD_TRIPLES) --clients $(LOAD_CLIENTS) \
		--per-client $(LOAD_PER_CLIENT) $(LOAD_FLAGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

# pytest exits 5 when it collects no tests; make treats any non-zero status as failure.
# Two workers (modules kept whole, so module fixtures are built once; the longest modules
# first, as tests/conftest.py orders them); coverage of the package measured in the test
# processes (through sys.monitoring on Python 3.12+, else the C tracer; a COVERAGE_CORE set
# outside is kept); the suite's wall time, total coverage and interpreter printed last.
# mypy (one core, 10-20 s without its cache) runs beside pytest rather than before it; its
# report is printed after pytest's, and its failure fails the target as pytest's does.
test: lint
	@start=$$(date +%s); status=0; typed=$$(mktemp); \
	$(BIN)/mypy >$$typed 2>&1 & mypy=$$!; \
	core=$$($(BIN)/python -c 'import sys; print("sysmon" if sys.version_info >= (3, 12) else "ctrace")'); \
	COVERAGE_CORE=$${COVERAGE_CORE:-$$core} \
	$(BIN)/pytest -n 2 --dist loadscope --no-loadscope-reorder --cov=automaker_kg --cov-report= \
		|| status=$$?; \
	wait $$mypy || status=1; echo "mypy: $$(cat $$typed)"; rm -f $$typed; \
	echo "suite: $$(( $$(date +%s) - start )) s wall, coverage $$($(BIN)/coverage report --format=total)% of src/automaker_kg (Python $$($(BIN)/python -c 'import platform; print(platform.python_version())'), coverage core $${COVERAGE_CORE:-$$core})"; \
	exit $$status

clean:
	rm -rf .automaker-kg dist build .pytest_cache .ruff_cache .hypothesis .mypy_cache .coverage
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	rm -f $(STAMP)

# The query page's editor (CodeMirror 6 from the npm registry) bundled into one file that the
# server serves itself (src/automaker_kg/static/editor.js, committed: no npm needed to run).
editor:
	cd js/editor && npm ci --no-audit --no-fund && npm run build

# The README's screenshots (docs/screenshots/), taken in Debian's Chromium from the built graph's
# site served by the project's own server; fails if a page logs an error or asks the network.
screenshots: $(STAMP)
	$(BIN)/automaker-kg build
	$(BIN)/python scripts/screenshots.py --out docs/screenshots
