# The GPU route: the same course on MXNet's CUDA build (mxnet-cu117 1.9.1), in its own
# virtualenv. It runs on NVIDIA GPUs of compute capability 5.0 to 8.9 (Maxwell to Ada);
# d2l_utils falls back to the CPU on newer ones. The CPU route stays the default.

VENV_GPU ?= .venv-gpu
GPU_BIN := $(VENV_GPU)/bin
GPU_INSTALLED := $(VENV_GPU)/.course-gpu-installed
# The course pins of requirements.txt with its mxnet line swapped for requirements-gpu.txt;
# `make lock-gpu` resolves them into requirements-gpu.lock (every package, with hashes).
GPU_PINS := sed '/^mxnet==/d' requirements.txt requirements-gpu.txt
GPU_LOCK := requirements-gpu.lock
# The course's own targets, run on the GPU virtualenv. install-gpu refreshes its
# .course-installed stamp, and depends on all the stamp does, so that they never
# install the CPU build into it.
GPU_MAKE := $(MAKE) --no-print-directory VENV=$(VENV_GPU)
GPU_STUB_DRIVER_DIR := $(abspath $(VENV_GPU))/stub-driver
CC ?= cc

.PHONY: install-gpu gpu-requirements lock-gpu lab-gpu test-gpu test-gpu-mxnet check-gpu-import clean-gpu

install-gpu: $(GPU_INSTALLED) ## Create .venv-gpu: the course on MXNet's CUDA build (~2.4 GB from PyPI)

gpu-requirements: ## Print the pins that lock-gpu resolves
	@$(GPU_PINS)

lock-gpu: $(UV) ## Re-resolve the GPU pins into requirements-gpu.lock (pinned, hashed)
	$(GPU_PINS) | $(UV) pip compile - $(LOCK_FLAGS) --output-file $(GPU_LOCK)

$(GPU_INSTALLED): $(GPU_LOCK) requirements.lock pyproject.toml $(LAB_OVERRIDES)
	@sh scripts/ensure-venv.sh $(PYTHON) $(VENV_GPU) "make clean-gpu install-gpu"
	@echo "installing MXNet's CUDA build and CUDA 11 from PyPI: about 2.4 GB to download, 4.9 GB on disk"
	$(GPU_BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(GPU_LOCK)
	$(GPU_BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(GPU_BIN)/python -P d2l_utils/cuda.py
	$(call install_lab_settings,$(VENV_GPU))
	@touch $(VENV_GPU)/.course-installed $@

lab-gpu: install-gpu ## Open the course in JupyterLab, computing on the GPU
	@$(GPU_MAKE) lab

test-gpu: test-gpu-$(TRACK) ## On a GPU, every notebook of the track, strict (MXNet: compute capability 5.0-8.9; TRACK=pytorch: any CUDA GPU)

# The MXNet track's GPU check, on .venv-gpu (mk/pytorch-gpu.mk holds the PyTorch track's).
test-gpu-mxnet: install-gpu
	D2L_EXPECT_GPU=1 $(GPU_BIN)/python -m pytest -q tests/test_gpu_import.py
	@$(GPU_MAKE) nbval NBVAL=strict

check-gpu-import: install-gpu ## Opt-in, no GPU needed: import the CUDA build against a stub NVIDIA driver
	@mkdir -p $(GPU_STUB_DRIVER_DIR)
	$(CC) -shared -fPIC -O1 -Wl,-soname,libcuda.so.1 -o $(GPU_STUB_DRIVER_DIR)/libcuda.so.1 tests/fake_libcuda.c -ldl
	LD_LIBRARY_PATH=$(GPU_STUB_DRIVER_DIR) D2L_STUB_DRIVER_DIR=$(GPU_STUB_DRIVER_DIR) \
	  $(GPU_BIN)/python -m pytest -v tests/test_gpu_import.py

clean-gpu: ## Remove .venv-gpu (about 4.9 GB)
	rm -rf $(VENV_GPU)
