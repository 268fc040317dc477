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
GPU_BUNDLE ?= dist/gpu-bundle
# The Python that `make test-gpu-bundle` hands the bundle's script, as the GPU machine's python3.
GPU_BUNDLE_PYTHON ?= python3
GPU_CHECK := gpucheck/__init__.py gpucheck/bundle.py gpucheck/lock.py gpucheck/run-bundle.sh

.PHONY: test-gpu-pytorch gpu-bundle test-gpu-bundle

test-gpu-pytorch:
ifeq ($(GPU_PYTHON),)
	@$(MAKE) --no-print-directory install data TRACK=pytorch
endif
	PYTHONPATH=$(CURDIR)$${PYTHONPATH:+:$$PYTHONPATH} $(or $(GPU_PYTHON),.venv-pytorch/bin/python) -m gpucheck.run \
	  $(if $(filter 1,$(GPU_ALLOW_CPU)),--allow-cpu) --rtol $(GPU_RTOL) $(GPU_CHECK_ARGS) notebooks-pytorch

gpu-bundle: $(GPU_BUNDLE)/SHA256SUMS ## Pack dist/gpu-bundle (+ .tar.gz): wheels, MNIST and run.sh for an offline GPU machine

# SHA256SUMS is written last, inside the bundle that is swapped in when complete.
$(GPU_BUNDLE)/SHA256SUMS: requirements-pytorch.lock $(GPU_CHECK) $(MNIST_STAMP) | $(INSTALLED)
	$(BIN)/python -m gpucheck.bundle --out $(GPU_BUNDLE)

test-gpu-bundle: gpu-bundle ## Run the bundle's script here as on the GPU machine (GPU_BUNDLE_PYTHON; GPU_ALLOW_CPU=1 without a GPU)
	PYTHON=$(GPU_BUNDLE_PYTHON) GPU_ALLOW_CPU=$(GPU_ALLOW_CPU) sh $(GPU_BUNDLE)/run.sh --rtol $(GPU_RTOL) $(GPU_CHECK_ARGS)
