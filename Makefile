# salesaudit — B2B sales-department audit workbook.
# `make help` lists the targets. Two commands matter on a fresh machine: `make demo`, `make test`.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv demo test lint format demo-data benchmark workshop clean

help:  ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11+)"; exit 1; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# bytecode for our own package too (pip compiles only what it copies); three processes of
	@# every run import it, and PYTHONDONTWRITEBYTECODE=1 environments would compile it each time
	$(PY) -m compileall -q lib
	@touch $(STAMP)

venv: $(STAMP)  ## create or refresh .venv with pinned dependency ranges

demo: $(STAMP)  ## build the demo company's express assessment into reports/demo/
	$(VENV)/bin/salesaudit run data_samples/demo --out reports/demo --settings data_samples/consultancy.yaml

test: $(STAMP)  ## lint, format check and the whole test suite (notebooks, PDF, browser)
	$(VENV)/bin/ruff check lib tests benchmarks
	$(VENV)/bin/ruff format --check lib tests benchmarks
	$(VENV)/bin/pytest -n 2 --dist loadgroup

lint: $(STAMP)  ## ruff lint only
	$(VENV)/bin/ruff check lib tests benchmarks

format: $(STAMP)  ## apply ruff formatting
	$(VENV)/bin/ruff format lib tests benchmarks
	$(VENV)/bin/ruff check --fix lib tests benchmarks

demo-data: $(STAMP)  ## regenerate data_samples/demo from the seeded generator
	$(VENV)/bin/salesaudit demo-data data_samples/demo

benchmark: $(STAMP)  ## time each stage on the demo and the scale data -> docs/performance.md
	$(PY) benchmarks/run.py

workshop: $(STAMP)  ## open the live workshop dashboard on the demo company
	$(VENV)/bin/salesaudit workshop data_samples/demo

clean:  ## remove caches and built reports (keeps .venv)
	rm -rf .pytest_cache .ruff_cache .hypothesis reports/demo
