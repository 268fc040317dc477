# Benchmarks: the MLP lesson's training epoch against the D2L book's pipeline, PyTorch and the
# machine's matrix-multiply limit, and the course's run time, on both tracks. The peer baseline's
# PyTorch lives in its own virtualenv, .venv-bench, so that the course's environment never sees
# it; the PyTorch track's path and notebooks run in that track's .venv-pytorch.

BENCH_VENV ?= .venv-bench
BENCH_BIN := $(BENCH_VENV)/bin
BENCH_INSTALLED := $(BENCH_VENV)/.bench-installed
# Extra pip arguments for .venv-bench, e.g. PyTorch's CPU package index where no wheel is on disk.
BENCH_PIP_ARGS ?=
BENCH_EPOCHS ?= 3
BENCH_ROUNDS ?= 3
# More options of `python -m bench.run`, e.g. BENCH_ARGS="--json bench.json" to keep every measurement.
BENCH_ARGS ?=
BENCH_RUN := $(BIN)/python -m bench.run --torch-python $(BENCH_BIN)/python --pytorch-python .venv-pytorch/bin/python \
	--epochs $(BENCH_EPOCHS) --rounds $(BENCH_ROUNDS) $(BENCH_ARGS)
SETUP_CLONE ?= /tmp/d2l-setup-cost

.PHONY: bench bench-env bench-pytorch-env bench-mlp bench-profile bench-setup

bench-env: $(BENCH_INSTALLED) ## Create .venv-bench with PyTorch's CPU build (hash-checked, ~1 GB)

$(BENCH_INSTALLED): requirements-bench.txt
	@test -x $(BENCH_BIN)/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes $(BENCH_PIP_ARGS) \
	  -r requirements-bench.txt
	@touch $@

# The PyTorch track's environment, for its course path and notebooks.
bench-pytorch-env:
	@$(MAKE) --no-print-directory install TRACK=pytorch

bench: install data bench-env bench-pytorch-env ## Measure MLP epochs (course on both tracks, D2L book, PyTorch, limits) and both tracks' run time
	$(BENCH_RUN)

bench-mlp: install data bench-env bench-pytorch-env ## Only the MLP epoch table of `make bench` (no notebooks)
	$(BENCH_RUN) --notebooks --pytorch-notebooks

bench-profile: install data ## Per-operator profile of one epoch of the course's path (MXNet profiler)
	$(BIN)/python -m bench.profile_epoch

bench-setup: ## Time `make install` and `make data` in a fresh clone in /tmp (network; COLD=1: empty caches)
	sh bench/setup_cost.sh $(CURDIR) $(SETUP_CLONE)
