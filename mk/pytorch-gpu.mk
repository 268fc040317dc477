# The PyTorch track on a CUDA GPU (gpucheck/): `make test-gpu TRACK=pytorch` runs its notebooks under
# strict nbval there, device names sanitized (tests/nbval_sanitize_gpu.cfg) and printed numbers
# compared within GPU_RTOL; `make gpu-bundle` packs what that check needs on a bare, offline GPU
# machine whose Python already has torch, numpy, matplotlib and pytest.

# The Python that runs the check: its torch must be a CUDA build, with nbval and ipykernel beside it.
# Empty: the track's .venv-pytorch (`make install TRACK=pytorch`), whose torch on Linux is the CPU build.
GPU_PYTHON ?=
# 1: run the check on the CPU where there is no CUDA GPU, to test the check itself (no GPU result).
GPU_ALLOW_CPU ?= 0
# Printed numbers with a decimal point agree within this relative tolerance, or one unit in their
# last printed digit; integers and all other text must be equal (gpucheck/tolerance.py).
GPU_RTOL ?= 1e-3
# More arguments of `python -m gpucheck.run`, e.g. GPU_CHECK_ARGS="--times seconds.json".
GPU_CHECK_ARGS ?=

.PHONY: test-gpu-pytorch

test-gpu-pytorch:
ifeq ($(GPU_PYTHON),)
	@$(MAKE) --no-print-directory install data TRACK=pytorch
endif
	PYTHONPATH=$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH} $(or $(GPU_PYTHON),.venv-pytorch/bin/python) -m gpucheck.run \
	  $(if $(filter 1,$(GPU_ALLOW_CPU)),--allow-cpu) --rtol $(GPU_RTOL) $(GPU_CHECK_ARGS) notebooks-pytorch
