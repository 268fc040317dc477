# The PyTorch track: the course's lessons on PyTorch, in its own virtualenv (.venv-pytorch), from
# its own pins (requirements-pytorch.txt) and lock (requirements-pytorch.lock), free of MXNet's
# (Python 3.11 to 3.13, numpy 2). The course's own targets serve it with TRACK=pytorch
# (`make install TRACK=pytorch`, `make lab TRACK=pytorch`, `make unit TRACK=pytorch`).

# Where PyTorch's CPU build of torch is found on Linux: PyPI holds only the build that pulls the
# CUDA stack (gigabytes). `make lock TRACK=pytorch` records the hashes of the wheels listed there;
# TORCH_CPU_WHEELS=/a/folder locks from wheels on disk instead.
TORCH_CPU_WHEELS ?= https://download.pytorch.org/whl/cpu/torch/
# Extra pip arguments for `make install TRACK=pytorch`: on Linux, where no torch "+cpu" wheel is
# on disk or in pip's configured indexes, PYTORCH_PIP_ARGS="--find-links $(TORCH_CPU_WHEELS)".
PYTORCH_PIP_ARGS ?=

ifeq ($(TRACK),pytorch)
TRACK_LOCK_FLAGS := --find-links $(TORCH_CPU_WHEELS)
TRACK_PIP_ARGS := $(PYTORCH_PIP_ARGS)
# The PyTorch track's unit tests: d2l_utils' PyTorch side, run in .venv-pytorch.
UNIT_TESTS := tests/torch
endif

# Where the PyTorch track's unit tests list what they skipped (tests/conftest.py), beside the
# MXNet track's SKIPPED_TESTS: `make test` prints both.
PYTORCH_SKIPPED_TESTS ?= test-artifacts/skipped-tests-pytorch.txt

.PHONY: unit-pytorch

unit-pytorch: ## The PyTorch track's unit tests, in .venv-pytorch (installs it first; `make test` runs them)
	@D2L_SKIPPED_TESTS=$(abspath $(PYTORCH_SKIPPED_TESTS)) $(MAKE) --no-print-directory unit TRACK=pytorch
