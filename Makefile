# The two commands that do everything on a fresh machine: `make demo` and `make test`.
# Adapters are discovered: every adapters/<name>/pyproject.toml is installed (editable).

# The interpreter the venv is built from: see scripts/pick-python (the distribution's
# optimised Python 3.11 first); `make PYTHON=/path/to/python ...` chooses another.
PYTHON ?= $(or $(shell sh $(dir $(lastword $(MAKEFILE_LIST)))scripts/pick-python),$(error no Python 3.11+ that can create a venv: install one (Debian: python3.11-venv) or run make PYTHON=/path/to/python3.11))
VENV := .venv
BIN := $(VENV)/bin
ADAPTER_PROJECTS := $(sort $(wildcard adapters/*/pyproject.toml))
ADAPTER_DIRS := $(patsubst %/pyproject.toml,%,$(ADAPTER_PROJECTS))
ADAPTER_SRC := $(wildcard adapters/*/src)
RUNTIME_STAMP := $(VENV)/.ssbx-runtime
DEV_STAMP := $(VENV)/.ssbx-dev
# Every distribution here builds with hatchling: install it once into the venv and build
# without isolation, instead of one throw-away build environment per distribution.
PIP_INSTALL := $(BIN)/python -m pip install --quiet --no-build-isolation

.PHONY: install demo test lint typecheck pytest docs compat docs-serve bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'hatchling>=1.24' editables

# What the demo needs: the core and every adapter, without test and docs tools.
$(RUNTIME_STAMP): $(BIN)/python pyproject.toml $(ADAPTER_PROJECTS)
	$(PIP_INSTALL) -e . $(foreach d,$(ADAPTER_DIRS),-e $(d))
	touch $@

# Everything `make test` needs on top: the core's dev extra and each adapter's test extra.
$(DEV_STAMP): $(RUNTIME_STAMP)
	$(PIP_INSTALL) -e '.[dev]' $(foreach d,$(ADAPTER_DIRS),-e '$(d)[test]')
	touch $@

install: $(DEV_STAMP)

demo: $(RUNTIME_STAMP)
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

# The declared ranges of attrs, cattrs and msgspec, tested at both ends in throw-away
# venvs (the codec and model tests only; needs PyPI for what pip's cache lacks).
compat:
	PYTHON=$(PYTHON) sh scripts/dependency-range.sh

test: lint typecheck pytest docs compat

docs-serve: install
	$(BIN)/mkdocs serve

bench: install
	$(BIN)/python -m benchmarks

# The fuzz and leak suite (tests/fuzz) with a large budget: FUZZ_EXAMPLES examples per
# test (`make test` runs it with 20). E.g. `make fuzz FUZZ_EXAMPLES=20000 FUZZ_ARGS=-x`.
FUZZ_EXAMPLES ?= 2000
fuzz: install
	SSBX_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz $(FUZZ_ARGS)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis .ssbx-demo
