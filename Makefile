# Two entry points on a fresh machine (Python 3.11 + pip): `make demo`, `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export WORKBENCH_HOME ?= $(CURDIR)/workbench-data
DEMO_DATA := $(WORKBENCH_HOME)/demo-input
DEMO_PERSONS ?= 5000
DEMO_PORT ?= 8501

CHROMIUM ?= /usr/bin/chromium

.PHONY: install lint test fuzz demo bench schema-docs clean chromium

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@test -x $(CHROMIUM) || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then S=; else S=sudo; fi; \
	  $$S apt-get update -qq && $$S apt-get install -y -qq chromium; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint chromium
	$(BIN)/python -m pytest

# The loaders' fuzzing suite with many more examples than `make test` runs (minutes);
# its tests share no fixture, so they are spread over the workers one by one.
FUZZ_EXAMPLES ?= 2000
fuzz: install
	WORKBENCH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider \
	  --dist load tests/loaders/test_fuzz.py tests/loaders/test_fuzz_corpus.py tests/loaders/test_xlsx.py

demo: install
	$(BIN)/workbench demo --persons $(DEMO_PERSONS) --out $(DEMO_DATA)
	$(BIN)/workbench ui --host 127.0.0.1 --port $(DEMO_PORT)

bench: install
	$(BIN)/python benchmarks/store_bench.py
	$(BIN)/python benchmarks/load_bench.py
	$(BIN)/python benchmarks/er_bench.py
	$(BIN)/python benchmarks/detect_bench.py
	$(BIN)/python benchmarks/dossier_bench.py
	$(BIN)/python benchmarks/learning_bench.py
	$(BIN)/python benchmarks/hostile_bench.py
	$(BIN)/python benchmarks/query_bench.py  # builds an 80k-person store first (about 30 min)
	$(BIN)/python benchmarks/concurrency_bench.py  # four readers during an 80k-person pipeline (an hour)
	$(BIN)/python benchmarks/scale_bench.py  # 50k to 1M rows: linear stages, a million rows, a delivery (an hour)

schema-docs: install
	$(BIN)/python -m graph_schema.docs > docs/schema.md

clean:
	rm -rf $(VENV) workbench-data .mypy_cache .ruff_cache .pytest_cache
