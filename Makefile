# The two commands that do everything on a fresh machine: `make demo` and `make test`.
# Adapters are discovered: every adapters/<name>/pyproject.toml is installed (editable).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ADAPTER_PROJECTS := $(sort $(wildcard adapters/*/pyproject.toml))
ADAPTER_DIRS := $(patsubst %/pyproject.toml,%,$(ADAPTER_PROJECTS))
ADAPTER_SRC := $(wildcard adapters/*/src)
STAMP := $(VENV)/.ssbx-installed

.PHONY: install demo test lint typecheck pytest docs docs-serve bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml $(ADAPTER_PROJECTS)
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(foreach d,$(ADAPTER_DIRS),-e '$(d)[test]')
	touch $@

install: $(STAMP)

demo: install
	$(BIN)/ssbx demo

lint: install
	$(BIN)/ruff check src tests benchmarks adapters
	$(BIN)/ruff format --check src tests benchmarks adapters

typecheck: install
	$(BIN)/mypy --strict src $(ADAPTER_SRC)

pytest: install
	PATH="$(CURDIR)/$(BIN):$$PATH" PYTHON=$(BIN)/python scripts/with-postgres.sh scripts/run-tests.sh

docs: install
	$(BIN)/mkdocs build --strict --site-dir site

test: lint typecheck pytest docs

docs-serve: install
	$(BIN)/mkdocs serve

bench: install
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis .ssbx-demo
