# Two entry points on a fresh machine (Python 3.11 + pip): `make demo`, `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export WORKBENCH_HOME ?= $(CURDIR)/workbench-data
DEMO_DATA := $(WORKBENCH_HOME)/demo-input
DEMO_PERSONS ?= 5000

.PHONY: install lint test demo bench schema-docs clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

demo: install
	$(BIN)/workbench demo --persons $(DEMO_PERSONS) --out $(DEMO_DATA)

bench: install
	$(BIN)/python benchmarks/store_bench.py
	$(BIN)/python benchmarks/load_bench.py
	$(BIN)/python benchmarks/er_bench.py

schema-docs: install
	$(BIN)/python -m graph_schema.docs > docs/schema.md

clean:
	rm -rf $(VENV) workbench-data .mypy_cache .ruff_cache .pytest_cache
