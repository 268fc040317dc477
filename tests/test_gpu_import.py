"""MXNet's CUDA build imported for real, from the pinned wheels of requirements-gpu.txt.

Run by `make check-gpu-import` (no GPU: a stub NVIDIA driver, tests/fake_libcuda.c, lets the
CUDA build load, and plays a GPU in fresh processes) and by `make test-gpu` (on a real GPU).
Skipped in the course's default environment, which has MXNet's CPU build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import mxnet as mx
import pytest
from mxnet import autograd, gluon, np, npx

from d2l_utils import try_gpu
from d2l_utils.cuda import CUDA_LIBRARIES, cuda_build_installed, find_library
from d2l_utils.gpu_probe import find_gpus

pytestmark = [
    pytest.mark.skipif(not cuda_build_installed(), reason="needs MXNet's CUDA build: `make check-gpu-import`"),
    pytest.mark.ci_may_skip,  # CI never downloads the GPU stack
]

STUB_DRIVER_DIR = os.environ.get("D2L_STUB_DRIVER_DIR")
needs_stub_driver = pytest.mark.skipif(not STUB_DRIVER_DIR, reason="needs the stub driver of `make check-gpu-import`")


def test_the_imported_mxnet_is_the_cuda_build():
    features = mx.runtime.Features()
    assert mx.__version__ == "1.9.1"
    assert all(features.is_enabled(name) for name in ("CUDA", "CUDNN", "NCCL", "CUDA_RTC"))


def test_every_cuda_library_was_loaded_from_its_pip_package():
    maps = Path("/proc/self/maps").read_text().splitlines()
    mapped = {Path(line.split()[-1]).resolve() for line in maps if "/" in line}
    for library in CUDA_LIBRARIES:
        if library.package:
            path = find_library(library)
            assert path is not None and path.resolve() in mapped, library.soname
    assert any(path.name == "libcuda.so.1" for path in mapped)


def test_the_cuda_build_trains_on_the_cpu():
    npx.set_np()
    x = np.arange(12.0).reshape(6, 2)
    assert float((x.T @ x)[0, 1]) == 250.0  # 0*1 + 2*3 + 4*5 + 6*7 + 8*9 + 10*11
    net = gluon.nn.Dense(1)
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": 0.01})
    y = x @ np.array([2.0, -1.0]) + 0.5
    losses = []
    for _ in range(20):
        with autograd.record():
            loss = ((net(x).reshape(-1) - y) ** 2).mean()
        loss.backward()
        trainer.step(1)
        losses.append(float(loss))
    assert losses[-1] < losses[0] / 10


def test_the_device_is_the_first_gpu_the_build_can_run_else_the_cpu():
    supported = [gpu for gpu in find_gpus() if gpu.supported]
    if os.environ.get("D2L_EXPECT_GPU"):
        assert supported, f"`make test-gpu` needs a GPU of compute capability 5.0 to 8.9, found {find_gpus()}"
    assert try_gpu() == (npx.gpu(supported[0].index) if supported else npx.cpu())


def test_a_supported_gpu_computes_like_the_cpu():
    device = try_gpu()
    if device.device_type != "gpu":
        pytest.skip("no GPU that MXNet 1.9.1 can run")
    x = np.random.uniform(size=(64, 64))
    on_gpu = npx.relu(x.copyto(device) @ x.copyto(device)).sum()
    assert abs(float(on_gpu) - float(npx.relu(x @ x).sum())) < 1e-3 * float(on_gpu)


def as_if_the_driver_had(devices: str) -> subprocess.CompletedProcess:
    """Import the course in a fresh process whose stub driver reports ``devices``, and compute on its device."""
    code = (
        "from mxnet import np\n"
        "from d2l_utils import try_gpu\n"
        "from d2l_utils.devices import describe_devices\n"
        "print(describe_devices())\n"
        "device = try_gpu()\n"
        "print(device, float(np.ones(3, ctx=device).sum()) if device.device_type == 'cpu' else '')\n"
    )
    env = {**os.environ, "LD_LIBRARY_PATH": STUB_DRIVER_DIR, "FAKE_CUDA_DEVICES": devices}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


@needs_stub_driver
def test_on_hopper_the_cuda_build_computes_on_the_cpu_with_a_warning():
    result = as_if_the_driver_had("NVIDIA H100 80GB HBM3:9.0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("so the course computes on cpu(0) instead.\ncpu(0) 3.0\n")
    assert "UnsupportedGPUWarning: MXNet 1.9.1's CUDA build cannot run GPU 0 (NVIDIA H100" in result.stderr


@needs_stub_driver
def test_on_ampere_the_cuda_build_picks_the_gpu():
    result = as_if_the_driver_had("NVIDIA GeForce RTX 3090:8.6")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("The course computes on gpu(0) with MXNet's CUDA build.\ngpu(0) \n")
    assert "Warning" not in result.stderr
